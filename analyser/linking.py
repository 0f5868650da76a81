"""How a record joins its child's history: by child id, else by the child's name plus date of birth.

Kept apart from :mod:`analyser.drift` (which needs the checks) so the results store can compute the
same key when it writes a record and index it: a child's records are then one indexed lookup,
however many records the store holds. Never by name alone: two children may share a name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

LinkedBy = Literal["child_id", "name+dob"]


def name_key(name: str) -> str:
    """A name normalised for linking: its words lower-cased and sorted ("KHAN, Amira" = "Amira Khan")."""
    return " ".join(sorted(w.lower() for w in re.findall(r"[A-Za-z]+", name)))


def link(fields: Mapping[str, Any], child_name: str | None) -> tuple[str | None, LinkedBy | None]:
    """``(child id, "child_id")``, ``(name|dob|team, "name+dob")`` or ``(None, None)`` from a record's fields
    (its ``history`` facts included) and the child's name as the report gives it."""
    child_id = str(fields.get("child_id") or "").strip()
    if child_id:
        return child_id, "child_id"
    history = fields.get("history") or {}
    dob = fields.get("dob") or history.get("dob")
    name = fields.get("child_full_name") or history.get("child_full_name") or fields.get("child_name") or child_name
    if dob and name:
        # The team is part of a name-and-birthday link: a name and a date of birth are not an identity,
        # so a record filed in one team never joins (or reads the drift quotes of) another team's child.
        return f"{name_key(str(name))}|{dob}|{fields.get('team') or ''}", "name+dob"
    return None, None


def stored_key(key: str, linked_by: LinkedBy) -> str:
    """The key as the store indexes it: prefixed by how, so a child id never meets a name|dob key."""
    return f"{linked_by}:{key}"


def stored_link_key(fields: Mapping[str, Any], child_name: str | None) -> str | None:
    """The store's ``records.link_key`` for a record (None: it cannot be linked)."""
    key, how = link(fields, child_name)
    return stored_key(key, how) if key and how else None
