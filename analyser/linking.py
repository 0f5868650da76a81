"""How a record joins its child's history: by child id, else by the child's name plus date of birth.

Kept apart from :mod:`analyser.drift` (which needs the checks) so the results store can compute the
same key when it writes a record and index it: a child's records are then one indexed lookup,
however many records the store holds. Never by name alone: two children may share a name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, Literal

LinkedBy = Literal["child_id", "name+dob"]


def name_key(name: str) -> str:
    """A name normalised for linking: its words lower-cased and sorted ("KHAN, Amira" = "Amira Khan")."""
    return " ".join(sorted(w.lower() for w in re.findall(r"[A-Za-z]+", name)))


def name_dob_digest(name: str, dob: str) -> str:
    """The child's name (normalised) and date of birth as a digest: what a name-and-birthday link keys
    on, so neither is stored (records.fields, records.link_key) to make the link. Deterministic, so the
    same child links across runs and stores; a one-way hash, though names and birthdays are few enough
    that someone holding the store could test guesses against it."""
    return hashlib.sha256(f"caseqa.link/1|{name_key(name)}|{dob}".encode()).hexdigest()[:40]


def link_name_dob(fields: Mapping[str, Any], child_name: str | None) -> str | None:
    """The name+dob digest of a record, from its fields (a stored ``history`` carries it as ``name_dob``;
    fresh facts carry the full name and date of birth), or None when it has no name or no date of birth."""
    history = fields.get("history") or {}
    if history.get("name_dob"):
        return str(history["name_dob"])
    dob = fields.get("dob") or history.get("dob")
    name = fields.get("child_full_name") or history.get("child_full_name") or fields.get("child_name") or child_name
    return name_dob_digest(str(name), str(dob)) if dob and name else None


def link(fields: Mapping[str, Any], child_name: str | None) -> tuple[str | None, LinkedBy | None]:
    """``(child id, "child_id")``, ``(digest|team, "name+dob")`` or ``(None, None)`` from a record's fields
    (its ``history`` facts included) and the child's name as the report gives it."""
    child_id = str(fields.get("child_id") or "").strip()
    if child_id:
        return child_id, "child_id"
    digest = link_name_dob(fields, child_name)
    if digest:
        # The team is part of a name-and-birthday link: a name and a date of birth are not an identity,
        # so a record filed in one team never joins (or reads the drift quotes of) another team's child.
        return f"{digest}|{fields.get('team') or ''}", "name+dob"
    return None, None


def stored_key(key: str, linked_by: LinkedBy) -> str:
    """The key as the store indexes it: prefixed by how, so a child id never meets a name|dob key."""
    return f"{linked_by}:{key}"


def stored_link_key(fields: Mapping[str, Any], child_name: str | None) -> str | None:
    """The store's ``records.link_key`` for a record (None: it cannot be linked)."""
    key, how = link(fields, child_name)
    return stored_key(key, how) if key and how else None
