"""Word .docx -> Document.

Extracted text (docs/GOLD_FORMAT.md): the body's paragraphs and table rows in document order, one per
line, joined with "\\n". A paragraph line is the paragraph's text exactly as Word shows it (runs,
hyperlinks, tracked insertions, filled-in content controls and simple fields; a line break inside a
paragraph is "\\n", a tab "\\t"; deleted text, field codes, unfilled content-control placeholders,
text boxes, headers, footers, footnotes and comments are left out). Automatic list numbers and
bullet glyphs are not part of the text. Whitespace-only paragraphs are skipped entirely. A table
row is its cells' text joined with " | "; a cell's text is its non-empty paragraphs, each stripped,
joined with " " (line breaks inside a cell become spaces, nested tables are flattened into the
cell the same way). A merged cell appears once: a horizontally merged cell is one cell, the
continuation of a vertical merge is an empty cell. Rows whose cells are all empty are skipped.

Safety: the zip is checked (total unpacked size, compression ratio of every part and of the whole) before
python-docx parses it. python-docx parses XML with ``resolve_entities=False`` (docx/oxml/parser.py
and docx/opc/oxml.py in python-docx 1.2.0), so entity expansion ("billion laughs") and external
entities (XXE) are not resolved; libxml2's default depth/size limits apply (no ``huge_tree``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from analyser.document import CELL_SEPARATOR, Block, Document

from .errors import IngestError
from .text import BULLET, HEAD, NUM, SENTC, TEXT, TITLEC, Line, classify_line, row_block, trim_span, validate

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# No part above this size may be compressed more than MAX_RATIO:1 (real documents
# compress roughly 5-20:1; zip bombs compress 1000:1).
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_ENTRIES = 5000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r", _W + "t"
_SDT, _SDT_CONTENT, _SDT_PR, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "sdtPr", _W + "customXml"
_PPR, _RPR, _TCPR = _W + "pPr", _W + "rPr", _W + "tcPr"
_VAL = _W + "val"
# Inline containers whose runs are shown as text.
_INLINE_CONTAINERS = frozenset(
    _W + t for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "moveTo", "dir", "bdo")
)
_RUN_TEXT = {
    _W + "tab": "\t",
    _W + "ptab": "\t",
    _W + "cr": "\n",
    _W + "noBreakHyphen": "-",
}
_BR = _W + "br"
_FALSE = ("0", "false", "off")
_HEADING_NUM_RE = re.compile(r"heading\s*(\d)", re.IGNORECASE)


def _check_zip(data: bytes, source: str) -> None:
    """Refuse zip bombs before python-docx unpacks anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise IngestError(source, "not a Word document or it is corrupt") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise IngestError(source, "Word document has too many parts (corrupt or malicious?)")
    # zipfile stops reading a member at its declared file_size, so the declared sizes bound
    # what python-docx can unpack.
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise IngestError(
            source, f"Word document is too large when unpacked ({total // (1024 * 1024)} MB; limit 200 MB)"
        )
    # Every part, whatever its name (the main part need not be word/document.xml, and python-docx also
    # unpacks styles, numbering, headers...): none may unpack more than MAX_RATIO times its packed size,
    # nor may the whole file.
    for info in infos:
        if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise IngestError(source, "Word document looks malformed (suspicious compression: a part unpacks to "
                                      f"{info.file_size // (1024 * 1024)} MB)")
    if total > RATIO_CHECK_MIN_BYTES and total > MAX_RATIO * max(len(data), 1):
        raise IngestError(source, "Word document looks malformed (suspicious compression: it unpacks to "
                                  f"{total // (1024 * 1024)} MB)")


def _is_placeholder(sdt) -> bool:
    """An unfilled content control shows placeholder text ("Click or tap here to enter text.")."""
    pr = sdt.find(_SDT_PR)
    return pr is not None and pr.find(_W + "showingPlcHdr") is not None


def _on(el) -> bool:
    """A w:b-style toggle: present and not switched off."""
    return el is not None and el.get(_VAL, "true").lower() not in _FALSE


@dataclass(frozen=True, slots=True)
class TextPiece:
    """Characters ``[start, end)`` of the extracted text, shown by ``node`` (a w:t, w:tab, w:br ... child
    of the run ``run``) from character ``node_offset`` of that node's own text on."""

    start: int
    end: int
    run: Any
    node: Any
    node_offset: int = 0


class _TextWalker:
    """Collects a paragraph's visible text and whether all of it is bold.

    With ``track``, ``nodes`` holds for each text part the (w:r, child) pair that shows it, so the
    text's characters can be found again in the XML (:func:`text_map`).
    """

    __slots__ = ("all_bold", "nodes", "parts")

    def __init__(self, track: bool = False) -> None:
        self.parts: list[str] = []
        self.nodes: list[tuple[Any, Any]] | None = [] if track else None
        self.all_bold = True

    def walk(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == _R:
                self._run(child)
            elif tag == _SDT:
                if not _is_placeholder(child):
                    content = child.find(_SDT_CONTENT)
                    if content is not None:
                        self.walk(content)
            elif tag in _INLINE_CONTAINERS:
                self.walk(child)
            # w:del, w:moveFrom (deleted text), w:pPr, bookmarks, comments: skipped

    def _run(self, r) -> None:
        start = len(self.parts)
        nodes = self.nodes
        for child in r:
            tag = child.tag
            if tag == _T:
                self.parts.append(child.text or "")
            elif tag == _BR:
                # python-docx convention: line break -> "\n", page/column break -> ""
                if child.get(_W + "type", "textWrapping") == "textWrapping":
                    self.parts.append("\n")
                else:
                    continue
            elif tag in _RUN_TEXT:
                self.parts.append(_RUN_TEXT[tag])
            else:
                continue  # w:drawing, w:pict, mc:AlternateContent (text boxes), w:instrText, w:delText
            if nodes is not None:
                nodes.append((r, child))
        if self.all_bold and any(p.strip() for p in self.parts[start:]):
            rpr = r.find(_RPR)
            if rpr is None or not _on(rpr.find(_W + "b")):
                self.all_bold = False

    def text(self) -> str:
        return "".join(self.parts)

    def pieces(self, offset: int, lo: int = 0, hi: int | None = None) -> list[TextPiece]:
        """Tracked parts as pieces of the extracted text, keeping only text[lo:hi], moved to ``offset``."""
        assert self.nodes is not None
        out: list[TextPiece] = []
        pos = 0
        for part, (r, node) in zip(self.parts, self.nodes):
            end = pos + len(part)
            s, e = max(pos, lo), end if hi is None else min(end, hi)
            if s < e:
                out.append(TextPiece(offset + s - lo, offset + e - lo, r, node, s - pos))
            pos += len(part)
        return out


class _StyleInfo:
    __slots__ = ("bold", "heading_level", "is_heading", "is_list")

    def __init__(self, is_heading: bool, heading_level: int, is_list: bool, bold: bool) -> None:
        self.is_heading = is_heading
        self.heading_level = heading_level
        self.is_list = is_list
        self.bold = bold


class _Styles:
    """Paragraph style facts, cached by style id (walks base styles for numbering/outline/bold)."""

    def __init__(self, document) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self._doc = document
        self._type = WD_STYLE_TYPE.PARAGRAPH
        self._cache: dict[str | None, _StyleInfo] = {}

    def get(self, style_id: str | None) -> _StyleInfo:
        info = self._cache.get(style_id)
        if info is None:
            info = self._cache[style_id] = self._compute(style_id)
        return info

    def _compute(self, style_id: str | None) -> _StyleInfo:
        try:
            style = self._doc.part.get_style(style_id, self._type)
        except Exception:  # broken styles part: treat as Normal
            return _StyleInfo(False, 0, False, False)
        name = (style.name or "") if style is not None else ""
        lname = name.lower()
        is_heading = lname.startswith("heading") or lname == "title"
        m = _HEADING_NUM_RE.match(lname)
        level = int(m.group(1)) if m else (1 if lname == "title" else 0)
        is_list = lname.startswith("list")
        bold = False
        seen = 0
        s = style
        while s is not None and seen < 10:  # base-style chains are short; cap against cycles
            el = s.element
            ppr = el.find(_PPR)
            if ppr is not None:
                if not is_list and ppr.find(_W + "numPr") is not None:
                    is_list = _num_pr_active(ppr.find(_W + "numPr"))
                outline = ppr.find(_W + "outlineLvl")
                if not is_heading and outline is not None and (outline.get(_VAL) or "").isdigit():
                    lvl = int(outline.get(_VAL))
                    if lvl < 9:
                        is_heading, level = True, lvl + 1
            rpr = el.find(_RPR)
            if rpr is not None and rpr.find(_W + "b") is not None:
                bold = bold or _on(rpr.find(_W + "b"))
                break
            s = s.base_style
            seen += 1
        return _StyleInfo(is_heading, level, is_list, bold)


def _num_pr_active(num_pr) -> bool:
    """numId 0 means "numbering removed"."""
    num_id = num_pr.find(_W + "numId")
    return num_id is None or num_id.get(_VAL) != "0"


def _iter_block_elements(container, depth: int = 0):
    """w:p and w:tbl children in document order, looking inside content controls / custom XML."""
    for child in container:
        tag = child.tag
        if tag == _P or tag == _TBL:
            yield child
        elif depth < 20 and tag == _SDT:
            if not _is_placeholder(child):
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    yield from _iter_block_elements(content, depth + 1)
        elif depth < 20 and tag == _CUSTOM_XML:
            yield from _iter_block_elements(child, depth + 1)


def _iter_children(container, want: str, depth: int = 0):
    """Children tagged ``want`` (w:tr in a table, w:tc in a row), through sdt/customXml wrappers."""
    for child in container:
        tag = child.tag
        if tag == want:
            yield child
        elif depth < 20 and tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _iter_children(content, want, depth + 1)
        elif depth < 20 and tag == _CUSTOM_XML:
            yield from _iter_children(child, want, depth + 1)


def _cell_parts(tc, out: list[str], depth: int, walkers: list[tuple[_TextWalker, int]] | None = None) -> None:
    """Append the stripped, non-empty paragraph texts of a cell (nested tables flattened).

    With ``walkers``, also append each kept paragraph's walker and how much its stripping cut off the front.
    """
    for el in _iter_block_elements(tc):
        if el.tag == _P:
            w = _TextWalker(track=walkers is not None)
            w.walk(el)
            raw = w.text().replace("\n", " ")
            t = raw.strip()
            if t:
                out.append(t)
                if walkers is not None:
                    walkers.append((w, len(raw) - len(raw.lstrip())))
        elif depth < 10:
            for tr in _iter_children(el, _TR):
                for inner in _iter_children(tr, _TC):
                    _cell_parts(inner, out, depth + 1, walkers)


def _row_cells(tr, pieces: list[list[TextPiece]] | None = None) -> list[str]:
    """The row's cell texts; with ``pieces``, each cell's pieces too (offsets relative to the cell's text)."""
    cells: list[str] = []
    for tc in _iter_children(tr, _TC):
        tcpr = tc.find(_TCPR)
        if tcpr is not None:
            hmerge = tcpr.find(_W + "hMerge")
            if hmerge is not None and hmerge.get(_VAL, "continue") == "continue":
                continue  # legacy horizontal merge: the cell's text is in the first cell
            vmerge = tcpr.find(_W + "vMerge")
            if vmerge is not None and vmerge.get(_VAL, "continue") == "continue":
                cells.append("")  # vertical merge: text shown once, in the top cell
                if pieces is not None:
                    pieces.append([])
                continue
        parts: list[str] = []
        walkers: list[tuple[_TextWalker, int]] | None = [] if pieces is not None else None
        _cell_parts(tc, parts, 0, walkers)
        cells.append(" ".join(parts))
        if pieces is not None and walkers is not None:
            cell_pieces: list[TextPiece] = []
            at = 0
            for part, (w, lead) in zip(parts, walkers):
                cell_pieces += w.pieces(at, lead, lead + len(part))
                at += len(part) + 1  # the " " joining a cell's paragraphs
            pieces.append(cell_pieces)
    return cells


class _Unit:
    """One line of the extracted text: a body paragraph or a table row."""

    __slots__ = ("bold", "cells", "end", "info", "kind", "level", "start")

    def __init__(self, kind: str, start: int, end: int, level: int = 0,
                 cells: list[tuple[int, int]] | None = None, bold: bool = False) -> None:
        self.kind = kind  # "heading" | "bullet" | "para" | "row"
        self.start = start
        self.end = end
        self.level = level
        self.cells = cells
        self.bold = bold
        self.info: Line | None = None  # how the text rules classify the line, for plain paragraphs


def load_docx(data: bytes, source: str) -> Document:
    """Extract a .docx (bytes) into a Document following the module-level convention."""
    if data.startswith(OLE_MAGIC):
        # Encrypted .docx files and old binary .doc files are both OLE compound files.
        raise IngestError(source, "Word document is password-protected or in the old .doc format")
    if not data.startswith(b"PK"):
        raise IngestError(source, "not a Word document or it is corrupt")
    _check_zip(data, source)
    try:
        import docx  # python-docx (absolute import: this module is analyser.ingest.docx)

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except (IngestError, ImportError):
        raise  # an ImportError is a broken installation, not a broken file: an internal error
    except MemoryError:
        raise IngestError(source, "Word document is too large to read in the memory available") from None
    except Exception:  # PackageNotFoundError, ValueError (not a docx content type), lxml, KeyError...
        raise IngestError(source, "not a Word document or it is corrupt") from None

    try:
        return _extract(document, body, source)
    except (IngestError, ImportError):
        raise  # an ImportError is a broken installation, not a broken file: an internal error
    except MemoryError:
        raise IngestError(source, "Word document is too large to read in the memory available") from None
    except Exception:  # malformed-but-parseable XML in places we did not expect
        raise IngestError(source, "not a Word document or it is corrupt") from None


def _extract(document, body, source: str) -> Document:
    lines, units = _walk(document, body)
    text = "\n".join(lines)
    doc = Document(text=text, blocks=_blocks_for(text, units), source=source, format="docx")
    return validate(doc, source, "file is empty")


def text_map(document: Any) -> tuple[str, list[TextPiece]]:
    """The extracted text of a python-docx ``Document`` (exactly what :func:`load_docx` gives) and, in text
    order, the pieces of the XML that show each of its characters.

    Characters with no piece are the ones the extraction adds: the "\\n" between lines, the " | " between
    table cells and the " " between a cell's paragraphs. Adapters that write into the document (Word
    comments) use this to find the runs under a report's offsets.
    """
    pieces: list[TextPiece] = []
    lines, _ = _walk(document, document.element.body, pieces)
    return "\n".join(lines), pieces


def _walk(document: Any, body: Any, pieces: list[TextPiece] | None = None) -> tuple[list[str], list[_Unit]]:
    """The body's lines (paragraphs and table rows) and their units; with ``pieces``, where each character is."""
    styles = _Styles(document)
    lines: list[str] = []
    units: list[_Unit] = []
    pos = 0
    track = pieces is not None
    for el in _iter_block_elements(body):
        if el.tag == _P:
            w = _TextWalker(track)
            w.walk(el)
            t = w.text()
            s, e = trim_span(t, 0, len(t))
            if s == e:
                continue  # empty paragraph: no block, no separator
            if pieces is not None:
                pieces += w.pieces(pos)
            ppr = el.find(_PPR)
            style_id = None
            num_pr = outline = None
            if ppr is not None:
                ps = ppr.find(_W + "pStyle")
                style_id = ps.get(_VAL) if ps is not None else None
                num_pr = ppr.find(_W + "numPr")
                outline = ppr.find(_W + "outlineLvl")
            st = styles.get(style_id)
            if st.is_heading:
                unit = _Unit("heading", pos + s, pos + e, st.heading_level)
            elif outline is not None and (outline.get(_VAL) or "").isdigit() and int(outline.get(_VAL)) < 9:
                unit = _Unit("heading", pos + s, pos + e, int(outline.get(_VAL)) + 1)
            elif st.is_list or (num_pr is not None and _num_pr_active(num_pr)):
                unit = _Unit("bullet", pos + s, pos + e)
            else:
                unit = _Unit("para", pos + s, pos + e, bold=w.all_bold or st.bold)
            lines.append(t)
            pos += len(t) + 1
            units.append(unit)
        else:
            for tr in _iter_children(el, _TR):
                cell_pieces: list[list[TextPiece]] | None = [] if track else None
                cells = _row_cells(tr, cell_pieces)
                if not any(cells):
                    continue
                spans = []
                c = pos
                for i, cell in enumerate(cells):
                    spans.append((c, c + len(cell)))
                    if pieces is not None and cell_pieces is not None:
                        pieces += [TextPiece(p.start + c, p.end + c, p.run, p.node, p.node_offset) for p in cell_pieces[i]]
                    c += len(cell) + len(CELL_SEPARATOR)
                row = CELL_SEPARATOR.join(cells)
                lines.append(row)
                pos += len(row) + 1
                units.append(_Unit("row", 0, 0, cells=spans))
    return lines, units


def _blocks_for(text: str, units: list[_Unit]) -> list[Block]:
    """Turn units into blocks; plain paragraphs get the text rules for typed bullets/headings."""
    for u in units:
        if u.kind in ("para", "bullet") and "\n" not in text[u.start : u.end]:
            u.info = classify_line(text, u.start, u.end)
    blocks: list[Block] = []
    last_num: int | None = None
    for i, u in enumerate(units):
        num_item = None
        if u.kind == "row":
            block = row_block(u.cells or [])
            if block is None:
                continue
        elif u.kind == "heading":
            block = Block("heading", u.start, u.end, level=u.level)
        elif u.kind == "bullet":
            info = u.info
            # A typed glyph inside a Word list item ("• text"): leave it out of the block.
            start = info.cs if info is not None and info.cls == BULLET and info.cs < u.end else u.start
            block = Block("bullet", start, u.end)
        else:
            block = _para_block(text, u, units[i + 1] if i + 1 < len(units) else None, last_num)
            if block.kind == "bullet" and u.info is not None and u.info.cls == NUM:
                num_item = u.info.num
        last_num = num_item
        blocks.append(block)
    return blocks


def _para_block(text: str, u: _Unit, nxt: _Unit | None, last_num: int | None) -> Block:
    """Classify a paragraph with no list/heading style: typed bullets, numbered items and titles."""
    info = u.info
    if info is None:  # multi-line paragraph (line breaks): only a leading typed bullet counts
        first_nl = text.index("\n", u.start)
        head = classify_line(text, u.start, first_nl)
        if head.cls in (BULLET, NUM):
            return Block("bullet", head.cs, u.end, number=head.num if head.cls == NUM else 0)
        return Block("paragraph", u.start, u.end)
    if info.cls == BULLET:
        return Block("bullet", info.cs, info.ce)
    if info.cls == NUM:
        nxt_info = nxt.info if nxt is not None else None
        in_list = (last_num is not None and info.num == last_num + 1) or (
            nxt_info is not None and nxt_info.cls == NUM and nxt_info.num == info.num + 1
        )
        if in_list or not info.headable:
            return Block("bullet", info.cs, info.ce, number=info.num)
        return Block("heading", info.start, info.ce, level=1)
    if info.cls == HEAD:
        return Block("heading", info.cs, info.ce, level=info.level)
    # A short, wholly bold line in Normal style is how many templates mark a heading.
    if u.bold and info.cls in (TEXT, TITLEC, SENTC) and info.words <= 10 and text[u.end - 1] not in ".,;!":
        return Block("heading", u.start, u.end)
    return Block("paragraph", u.start, u.end)
