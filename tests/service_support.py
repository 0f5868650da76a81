"""Shared set-up for the service tests: a store with users of every role and a few scored records."""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from analyser import analyse
from analyser.batch import content_hash
from analyser.store import Store

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx (pinned) works the same.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["Seeded", "TestClient", "billion_laughs_docx", "make_docx", "seed", "xxe_docx", "zip_bomb_docx"]

ROOT = Path(__file__).resolve().parent.parent
POOR_DRAFT = (ROOT / "examples" / "care_plan_amira_before.txt").read_text(encoding="utf-8")
GOOD_DRAFT = (ROOT / "examples" / "care_plan_amira.txt").read_text(encoding="utf-8")
# A word that appears in no log line or error unless record text leaked into it.
SENTINEL = "Zebulonquist"

USERS = {
    "sw_north": ("social_worker", "North"),
    "sw_south": ("social_worker", "South"),
    "sup_north": ("supervisor", "North"),
    "sup_none": ("supervisor", None),
    "auditor": ("auditor", "QA"),
    "admin": ("admin", None),
}


@dataclass(frozen=True)
class Seeded:
    db: str
    keys: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


def seed(db: str) -> Seeded:
    """Users of each role, and records: N-1 (North, by sw_north, text stored), N-2 (North), S-1 (South)."""
    with Store(db) as store:
        keys = {name: store.add_user(name, role, team)[1] for name, (role, team) in USERS.items()}
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        for rid, text, worker, team, date, keep in (
            ("N-1", POOR_DRAFT, "sw_north", "North", "2025-01-10", True),
            ("N-2", GOOD_DRAFT, "ann_north", "North", "2025-03-02", False),
            ("S-1", GOOD_DRAFT, "sw_south", "South", "2025-02-01", True),
        ):
            report = analyse(text, id=rid, date=date)
            store.save_result(run, report, content_hash=content_hash(text, {"id": rid}),
                              fields={"worker": worker, "team": team}, text=text if keep else None,
                              submitted_by=worker)
        store.finish_run(run, scored=3, skipped=0, failed=0)
    return Seeded(db, keys)


def make_docx(*paragraphs: str) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def patch_document_xml(data: bytes, fn) -> bytes:  # type: ignore[no-untyped-def]
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            b = zin.read(item.filename)
            zout.writestr(item, fn(b) if item.filename == "word/document.xml" else b)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A Word file whose document.xml unpacks to 30 MB of spaces (compressed about 1000:1)."""
    def pad(xml: bytes) -> bytes:
        return xml.replace(b"</w:body>", b" " * (30 * 1024 * 1024) + b"</w:body>")
    return patch_document_xml(make_docx("Amira is well."), pad)


def xxe_docx(secret_uri: str) -> bytes:
    """A Word file that tries to read a local file through an external XML entity."""
    def xxe(xml: bytes) -> bytes:
        xml = xml.replace(b"</w:body>", b"<w:p><w:r><w:t>Amira &xxe;</w:t></w:r></w:p></w:body>")
        i = xml.index(b"?>") + 2
        return xml[:i] + f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret_uri}">]>'.encode() + xml[i:]
    return patch_document_xml(make_docx("Jo Smith will visit you at home by 2 April 2025."), xxe)


def billion_laughs_docx() -> bytes:
    ents = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))

    def bomb(xml: bytes) -> bytes:
        xml = xml.replace(b"</w:body>", b"<w:p><w:r><w:t>Amira &l9;</w:t></w:r></w:p></w:body>")
        i = xml.index(b"?>") + 2
        return xml[:i] + f"<!DOCTYPE w:document [{ents}]>".encode() + xml[i:]
    return patch_document_xml(make_docx("Jo Smith will visit you at home by 2 April 2025."), bomb)
