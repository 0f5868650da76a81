"""Blocks -> .txt or .docx, with every action's character offsets in the extracted text.

One block list drives both writers, so a record's .txt and .docx say the same thing. Offsets follow
docs/GOLD_FORMAT.md: for .txt they index the file text; for .docx they index the body's paragraphs and
table rows joined with "\\n" (rows as cells joined with " | ", merged cells once, list paragraphs with
no glyph, empty paragraphs skipped).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

CELL_SEP = " | "
NO_OWNER_CELLS = {"", "-", "TBC", "tbc", "N/A", "All", "?"}
NO_WHEN_CELLS = {"", "-", "N/A", "?"}


@dataclass
class Item:
    """One sentence, bullet or table row. ``action`` is set when it is a commitment (gold action)."""

    text: str
    kind: str = "state"
    action: dict | None = None  # owner, deadline_text, deadline (ISO or None), timebound
    cells: list[str] | None = None  # the table-row form of an action
    meta: dict | None = None  # how an action was made (for drift sequences); never written to gold


@dataclass
class Row:
    cells: list[str]
    action: dict | None = None
    header: bool = False
    merged: bool = False  # one cell spanning the table (a title row)


@dataclass
class Blk:
    kind: str  # heading | para | item | table
    text: str = ""  # heading text
    level: int = 1
    items: list[Item] = field(default_factory=list)  # para (joined) or item (one)
    sep: str = " "  # between a paragraph's sentences
    prefix: str = ""  # inline label ("Health: ") or literal list marker kept in the text
    marker: str = ""  # .txt list marker ("- ", "1. "); for .docx see docx_style
    docx_style: str | None = None  # "List Bullet" / "List Number" / None (literal marker paragraph)
    rows: list[Row] = field(default_factory=list)
    txt_heading: str | None = None  # how the heading reads in .txt (decorated)
    bold_prefix: bool = False
    outer_pipes: bool = True
    tight: bool = False  # .txt: follows the previous block on the next line (no blank line)


def _action_record(item_action: dict, start: int, text: str) -> dict:
    a = dict(item_action)
    return {"start": start, "end": start + len(text), "text": text, **a}


def row_action(row: Row, start: int) -> dict:
    text = CELL_SEP.join(row.cells)
    return _action_record(row.action or {}, start, text)


# ---------------------------------------------------------------------------------------------
# .txt

def render_txt(blocks: list[Blk], *, blank_between: bool = True) -> tuple[str, list[dict]]:
    out: list[str] = []
    actions: list[dict] = []
    pos = 0

    def emit(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    prev_kind = None
    for b in blocks:
        if out:
            if b.tight:
                emit("\n")
            elif b.kind == "heading" and blank_between:
                emit("\n\n" if not out[-1].endswith("\n\n") else "")
            elif b.kind in ("para", "table") and prev_kind in ("para", "table", "item") and blank_between:
                emit("\n\n")
            elif b.kind == "item" and prev_kind in ("para", "table") and blank_between:
                emit("\n\n")
            else:
                emit("\n")
        if b.kind == "heading":
            emit(b.txt_heading if b.txt_heading is not None else b.text)
        elif b.kind == "para":
            emit(b.prefix)
            for i, it in enumerate(b.items):
                if i:
                    emit(b.sep)
                if it.action is not None:
                    actions.append(_action_record(it.action, pos, it.text))
                emit(it.text)
        elif b.kind == "item":
            emit(b.marker + b.prefix)
            it = b.items[0]
            if it.action is not None:
                actions.append(_action_record(it.action, pos, it.text))
            emit(it.text)
        elif b.kind == "table":
            ncols = max(len(r.cells) for r in b.rows)
            for ri, r in enumerate(b.rows):
                if ri:
                    emit("\n")
                cells = r.cells if not r.merged else r.cells[:1]
                if b.outer_pipes:
                    emit("| ")
                if r.action is not None:
                    actions.append(row_action(r, pos))
                emit(CELL_SEP.join(cells))
                if b.outer_pipes:
                    emit(" |")
                if r.header:
                    emit("\n" + ("|" if b.outer_pipes else "") + "|".join(["---"] * ncols)
                         + ("|" if b.outer_pipes else ""))
        prev_kind = b.kind
    emit("\n")
    return "".join(out), actions


# ---------------------------------------------------------------------------------------------
# .docx

FIXED_TIME = datetime(2024, 1, 1, 9, 0, 0)


def render_docx(blocks: list[Blk], path: Path | None, *, table_style: str = "Table Grid"
                ) -> tuple[str, list[dict], bytes]:
    """Write the blocks as a Word document; return (extracted text, actions, file bytes)."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    parts: list[str] = []
    actions: list[dict] = []
    pos = 0

    def add_part(s: str) -> int:
        """Register one extracted line; return its start offset. Empty lines are skipped (as ingest does)."""
        nonlocal pos
        if not s:
            return -1
        if parts:
            pos += 1
        start = pos
        parts.append(s)
        pos += len(s)
        return start

    for b in blocks:
        if b.kind == "heading":
            if b.level >= 9:  # a bold label paragraph rather than a styled heading
                p = doc.add_paragraph()
                p.add_run(b.text).bold = True
            else:
                doc.add_heading(b.text, level=b.level)
            add_part(b.text)
        elif b.kind == "para":
            body = b.sep.join(it.text for it in b.items)
            p = doc.add_paragraph()
            if b.prefix:
                p.add_run(b.prefix).bold = b.bold_prefix
            p.add_run(body)
            start = add_part(b.prefix + body)
            off = start + len(b.prefix)
            for it in b.items:
                if it.action is not None:
                    actions.append(_action_record(it.action, off, it.text))
                off += len(it.text) + len(b.sep)
        elif b.kind == "item":
            it = b.items[0]
            if b.docx_style:
                p = doc.add_paragraph(style=b.docx_style)
                lead = b.prefix
            else:
                p = doc.add_paragraph()
                lead = b.marker + b.prefix
            if lead:
                p.add_run(lead)
            p.add_run(it.text)
            start = add_part(lead + it.text)
            if it.action is not None:
                actions.append(_action_record(it.action, start + len(lead), it.text))
        elif b.kind == "table":
            ncols = max(len(r.cells) for r in b.rows)
            t = doc.add_table(rows=len(b.rows), cols=ncols)
            t.style = table_style
            for ri, r in enumerate(b.rows):
                row = t.rows[ri]
                if r.merged:
                    cell = row.cells[0].merge(row.cells[ncols - 1])
                    cell.text = r.cells[0]
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                    line = r.cells[0]
                else:
                    for ci, txt in enumerate(r.cells):
                        row.cells[ci].text = txt
                        if r.header:
                            for run in row.cells[ci].paragraphs[0].runs:
                                run.bold = True
                    line = CELL_SEP.join(r.cells)
                start = add_part(line)
                if r.action is not None:
                    actions.append(row_action(r, start))
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    cp = doc.core_properties
    cp.created = cp.modified = cp.last_printed = FIXED_TIME
    cp.author = cp.last_modified_by = "caseqa synthetic"
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    data = _fixed_zip(buf.getvalue())
    if path is not None:
        path.write_bytes(data)
    return "\n".join(parts), actions, data


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps so a seed always gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def docx_text(path: Path) -> str:
    """Extract a .docx by the GOLD_FORMAT convention (used by tests and checks of the corpus)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    lines: list[str] = []
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            txt = Paragraph(el, d).text
            if txt:
                lines.append(txt)
        elif tag == "tbl":
            for row in Table(el, d).rows:
                seen: list = []
                cells = []
                for c in row.cells:
                    if any(c._tc is s for s in seen):
                        continue
                    seen.append(c._tc)
                    cells.append(c.text)
                line = CELL_SEP.join(cells)
                if line:
                    lines.append(line)
    return "\n".join(lines)
