"""Plain text -> Document: newline normalisation, byte decoding, block splitting, sanity checks.

Extracted text for .txt/.md/strings is the input with a leading BOM removed and ``\r\n``/``\r``
turned into ``\n``; nothing else changes. Blocks are trimmed spans of that text:

- heading: ``#``..``######`` lines (span excludes the #s), setext (``===``/``---`` underline),
  a wholly ``**bold**`` short line (span excludes the asterisks), short lines ending in ``:``,
  short ALL-CAPS lines (not ``KEY: value`` fields), numbered titles ("3. Health", "4.1 Physical
  health", "Section 4 - Education"; the span keeps the number), a short Title Case line after a
  blank line or a finished sentence, and a short sentence-case line ("Where you live") between a
  blank line and its content that has no action words (will/to/by/ASAP/...) or digits.
- bullet: ``- * + • ◦ ▪ – ·`` (and Word's pasted glyphs), ``1.``/``1)``, ``(a)``/``a)``/``i.``
  items; the span excludes the marker and takes in wrapped continuation lines (indented, or
  starting lowercase). A numbered line is a bullet when it is part of a running list (the
  previous item was n-1 or the next is n+1) or does not look like a title.
- table_row: markdown pipe rows (the ``|---|`` separator is no block), lines containing " | ",
  and runs of 2+ consecutive tab-separated lines; ``cells`` are trimmed cell spans (empty cells
  are kept as zero-length spans so columns line up); the row spans first to last non-empty cell.
- paragraph: everything else; consecutive lines form one paragraph, except that each
  ``Key: value`` line ("Name: Amira Khan") is its own paragraph.

The splitter runs on every record of large batches: one pass of per-line classification (regexes
compiled once) and one pass that looks at neighbouring lines to settle the ambiguous cases.
"""

from __future__ import annotations

import re

from analyser.document import Block, Document
from analyser.rules import word_list

from .errors import IngestError

# ---------------------------------------------------------------------------------------------
# Normalisation and decoding
# ---------------------------------------------------------------------------------------------


def normalise_newlines(text: str) -> str:
    """Strip a leading BOM and turn ``\\r\\n`` / ``\\r`` into ``\\n``; nothing else changes."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Control characters that never occur in real text files (tab, LF, VT, FF, CR are allowed).
# U+FFFD comes from undecodable bytes in the cp1252 fallback.
# "TBC." under a heading is the section's content (a placeholder), not an ALL-CAPS title.
_PLACEHOLDER_LINE = re.compile(
    r"^\W*(?:" + "|".join(re.escape(w) for w in sorted(word_list("placeholders", "not_a_title"), key=len, reverse=True))
    + r")\W*$", re.IGNORECASE,
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_CONTROL_SHARE = 0.01


def decode_text_bytes(data: bytes, source: str) -> str:
    """Decode a .txt/.md file: UTF-8 (BOM optional), UTF-16 with BOM, else cp1252.

    Raises :class:`IngestError` for empty files and binary data. The result is not yet
    newline-normalised.
    """
    if not data:
        raise IngestError(source, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Notepad's "Unicode" is UTF-16 with a BOM; without this it would look binary (NULs).
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(source, "not a text file (binary data)") from None
    elif b"\x00" in data:
        raise IngestError(source, "not a text file (binary data)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older Windows tools save cp1252 ("£", smart quotes). Undefined bytes become U+FFFD
            # and count as non-printable below, so binary data still gets rejected.
            text = data.decode("cp1252", errors="replace")
    if text and len(_CONTROL_RE.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise IngestError(source, "not a text file (binary data)")
    return text


# ---------------------------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------------------------

BLANK, TEXT, KV, HEAD, BULLET, NUM, PIPE, SEP, RULE, TABC, TITLEC, SENTC = range(12)

# Bullet glyphs. "-", "*", "+" need a space after them (so "-5" or "**bold**" are not bullets);
# the typographic glyphs may be glued to the text. \uf0b7/\uf0a7/\uf0d8 are Word's Symbol/Wingdings
# bullets as they come out of copy-paste; \x7f is a PDF's bullet whose font maps it to no character (a
# reportlab "•" reads back so). An optional markdown task box "[ ]" is part of the marker.
_BULLET_RE = re.compile(
    r"(?:[-*+][ \t]+|[•◦▪▫‣○●■□➢►▶✓✔·–\uf0b7\uf0a7\uf0d8\x7f][ \t]*)(?:\[[ xX]\][ \t]+)?(?=\S)"
)
# Word's second-level bullet "o" survives copy-paste as "o<tab>" (or an indented "o ").
_O_BULLET_RE = re.compile(r"o[ \t]+(?=\S)")
# (a) (iv) (3)  a)  A)  iv.  iv)
_LETTERED_RE = re.compile(
    r"(?:\((?:[a-zA-Z]|[ivxIVX]{1,5}|\d{1,3})\)|[a-zA-Z]\)|[ivx]{1,5}[.)])[ \t]+(?=\S)"
)
_NUM_RE = re.compile(r"(\d{1,3})[.)][ \t]+(?=\S)")
# 4.1 Physical health / 4.1. Physical health (not dates such as 12.03.2024)
_MULTI_RE = re.compile(r"(\d{1,2}(?:\.\d{1,2})+)\.?[ \t]+(?=\S)")
_SECTION_RE = re.compile(
    r"(?:section|part|appendix|annex|schedule|chapter)[ \t]+(?:\d{1,3}[a-z]?|[A-Z]|[IVXivx]{1,5})\b"
    r"[ \t]*([-–—:.][ \t]*)?",
    re.IGNORECASE,
)
_ATX_RE = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BOLD_RE = re.compile(r"(\*\*|__)([^*_].*?)\1[ \t]*:?")
# "Name: Amira Khan", "Date of review: 02/11/2024", "**Date of plan:** 21 October 2024": a short
# capitalised key (optionally bold), a colon, a value.
_KV_RE = re.compile(
    r"(?:\*\*|__)?([A-Z][A-Za-z0-9'’/()&,.\- ]{0,40}?)[ \t]*(?:\*\*|__)?:(?:\*\*|__)?[ \t]+(?=\S)"
)
_PAREN_RE = re.compile(r"\([^)]*\)")
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")
_TAB_SPLIT_RE = re.compile(r"\t+")
# Words that make a short numbered line an action rather than a section title.
_ACTION_WORD_RE = re.compile(r"\b(?:will|must|should|shall|by|within|to be)\b")
# ...and that stop a short sentence-case line ("Where you live") being taken as a heading: terse
# actions without full stops ("Mum to ring school", "SW visit ASAP") must stay text.
_SENT_ACTION_RE = re.compile(r"\b(?:will|must|should|shall|by|within|to|needs?|asap|ASAP|TBC|tbc)\b|\d")
# A line ending in one of these is a wrapped sentence, not a heading ("Amira lives with her").
_DANGLING_WORDS = frozenset(["and", "or", "but", "the", "a", "an", "her", "his", "their", "my", "your", "our", "that"])
_SMALL_WORDS = frozenset(
    ["a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "at", "by", "from", "or", "as", "into", "vs", "via", "per", "&"]
)
_OPEN_PUNCT = "\"'([{“‘"
_CLOSE_PUNCT = "\"')]}”’,;:"


class Line:
    """What one line looks like on its own. ``cs``/``ce`` is the span a block would take."""

    __slots__ = (
        "ce",
        "cls",
        "cs",
        "ends",
        "headable",
        "indent",
        "level",
        "lower",
        "marker",
        "num",
        "start",
        "words",
    )

    def __init__(self, cls: int, cs: int = 0, ce: int = 0, start: int = 0, level: int = 0,
                 num: int = 0, indent: int = 0, lower: bool = False, ends: bool = False,
                 headable: bool = False, marker: str = "", words: int = 0) -> None:
        self.cls = cls
        self.cs = cs  # block span (after any marker)
        self.ce = ce
        self.start = start  # start of the stripped line (numbered headings keep their number)
        self.level = level
        self.num = num
        self.indent = indent
        self.lower = lower  # starts with a lowercase letter or digit: a wrapped continuation?
        self.ends = ends  # ends a sentence (. ! ?)
        self.headable = headable
        self.marker = marker
        self.words = words


_BLANK_LINE = Line(BLANK)


def _is_title_case(s: str) -> bool:
    """Every significant word capitalised ("Health and Wellbeing", "Amira's Views")."""
    if not s[0].isupper():
        return False
    long_word = False
    for w in s.split():
        w = w.strip(_OPEN_PUNCT).rstrip(_CLOSE_PUNCT)
        if not w or not any(c.isalpha() for c in w):
            continue
        if len(w) > 1:
            long_word = True
        if w[0].isupper():
            continue
        if w.lower() in _SMALL_WORDS:
            continue
        return False
    return long_word


def _short_title(rest: str) -> bool:
    """Could the text after a section number be a section title (not an action or sentence)?"""
    return (
        len(rest.split()) <= 8
        and rest[-1] not in ".;,!"
        and rest[0].isupper()
        and not _ACTION_WORD_RE.search(rest)
    )


def classify_line(text: str, ls: int, le: int) -> Line:
    """Classify the line ``text[ls:le]`` (no newline inside) without looking at its neighbours."""
    line = text[ls:le]
    body = line.lstrip()
    if not body:
        return _BLANK_LINE
    s = body.rstrip()
    indent = len(line) - len(body)
    cs = ls + indent
    ce = cs + len(s)
    first = s[0]
    nw = len(s.split())
    lower = first.islower() or first.isdigit()
    ends = s[-1] in ".!?"

    def mk(cls: int, bs: int = cs, level: int = 0, **kw) -> Line:
        return Line(cls, bs, ce, cs, level, indent=indent, lower=lower, ends=ends, words=nw, **kw)

    # Markdown table separator |---|:---:| (not a block)
    if "|" in s and "-" in s and not s.strip("|-: \t"):
        return mk(SEP)
    compact = s.replace(" ", "").replace("\t", "")
    if len(compact) >= 3 and compact[0] in "=-*_" and compact.count(compact[0]) == len(compact):
        return mk(RULE, marker=compact[0])
    if first == "#":
        m = _ATX_RE.match(s)
        if m:
            if m.group(2):
                return Line(HEAD, cs + m.start(2), cs + m.end(2), cs, len(m.group(1)),
                             indent=indent, words=nw)
            return mk(RULE, marker="#")
    if (first == "|" and s.count("|") >= 2) or " | " in s:
        return mk(PIPE)
    if first in "-*+•◦▪▫‣○●■□➢►▶✓✔·–\uf0b7\uf0a7\uf0d8\x7f":
        m = _BULLET_RE.match(s)
        if m:
            return mk(BULLET, cs + m.end())
    # "o Jo will ring ..." unindented is Word's bullet too when a capital follows (no English line opens with
    # a lone "o" before a capitalised word); "§ Mum will ..." is Wingdings' square bullet pasted as text
    # (a section sign before a number, "§ 20", is not).
    if first == "o" and (indent or s[1:2] == "\t" or re.match(r"o[ \t]+[A-Z]", s)):
        m = _O_BULLET_RE.match(s)
        if m:
            return mk(BULLET, cs + m.end())
    if first == "§" and (m := re.match(r"§[ \t]+(?=[A-Za-z])", s)):
        return mk(BULLET, cs + m.end())
    if first == "(" or (len(s) > 2 and s[1] in ".)") or first in "ivx":
        m = _LETTERED_RE.match(s)
        if m:
            return mk(BULLET, cs + m.end())
    if first.isdigit():
        m = _MULTI_RE.match(s)
        if m:
            rest = s[m.end():]
            if _short_title(rest):
                return mk(HEAD, level=m.group(1).count(".") + 1)
            return mk(BULLET, cs + m.end())
        m = _NUM_RE.match(s)
        if m:
            return mk(NUM, cs + m.end(), num=int(m.group(1)), headable=_short_title(s[m.end():]))
    if first in "SsPpAaCc":
        m = _SECTION_RE.match(s)
        if m and nw <= 10 and s[-1] != ".":
            rest = s[m.end():]
            if not rest or m.group(1) or _is_title_case(rest):
                return mk(HEAD, level=1)
    if first in "*_" and s[:2] in ("**", "__"):
        m = _BOLD_RE.fullmatch(s)
        if m and len(m.group(2).split()) <= 10 and not m.group(2).rstrip().endswith("."):
            inner_s, inner_e = trim_span(text, cs + m.start(2), cs + m.end(2))
            if inner_s < inner_e:
                return Line(HEAD, inner_s, inner_e, cs, 0, indent=indent, words=nw)
    caps = _PAREN_RE.sub("", s) if "(" in s else s  # "PREVIOUS RECS (review 15/01/2025)" is a caps title
    if nw <= 12 and caps.upper() == caps and sum(c.isalpha() for c in caps) >= 3 and not _PLACEHOLDER_LINE.match(s):
        # ALL-CAPS title, unless it is a "DOB: 01/02/2015" / "IRO: K SANDHU" style field
        key, colon, value = s.partition(":")
        if not (colon and value.strip()):
            return mk(HEAD)
    m = _KV_RE.match(s)
    if m and len(m.group(1).split()) <= 5:
        return mk(KV)
    if s[-1] == ":" and nw <= 8:
        return mk(HEAD)
    if "\t" in s and sum(1 for c in _TAB_SPLIT_RE.split(s) if c.strip()) >= 2:
        return mk(TABC)
    if nw <= 8 and s[-1] not in ".,;:!?":
        if _is_title_case(s):
            return mk(TITLEC)
        if first.isupper() and not _SENT_ACTION_RE.search(s) \
                and s.rsplit(None, 1)[-1].lower() not in _DANGLING_WORDS:
            return mk(SENTC)
    return mk(TEXT)


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def row_block(cells: list[tuple[int, int]]) -> Block | None:
    """A table_row block spanning the first to the last non-empty cell; None if all are empty.

    Empty cells are kept (column positions matter) as zero-length spans clamped into the block.
    """
    filled = [c for c in cells if c[0] < c[1]]
    if not filled:
        return None
    bs, be = filled[0][0], filled[-1][1]
    clamped = tuple((min(max(s, bs), be), min(max(e, bs), be)) if s == e else (s, e) for s, e in cells)
    return Block("table_row", bs, be, cells=clamped)


def _pipe_row(text: str, cs: int, ce: int) -> Block | None:
    """Cells of a markdown pipe row ``| a | b |`` (outer pipes optional, ``\\|`` escapes)."""
    pieces: list[tuple[int, int]] = []
    seg = cs
    for m in _UNESCAPED_PIPE_RE.finditer(text, cs, ce):
        pieces.append((seg, m.start()))
        seg = m.end()
    pieces.append((seg, ce))
    if text[cs] == "|":
        pieces.pop(0)
    if pieces and text[ce - 1] == "|" and (ce - 2 < cs or text[ce - 2] != "\\"):
        pieces.pop()
    return row_block([trim_span(text, s, e) for s, e in pieces])


def _tab_row(text: str, cs: int, ce: int) -> Block | None:
    cells = []
    seg = cs
    for m in _TAB_SPLIT_RE.finditer(text, cs, ce):
        cells.append(trim_span(text, seg, m.start()))
        seg = m.end()
    cells.append(trim_span(text, seg, ce))
    return row_block([c for c in cells if c[0] < c[1]])


# ---------------------------------------------------------------------------------------------
# Block assembly
# ---------------------------------------------------------------------------------------------


def split_blocks(text: str) -> list[Block]:
    """Split normalised text into heading / paragraph / bullet / table_row blocks (see module doc)."""
    infos: list[Line] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        infos.append(classify_line(text, pos, end))
        pos = end + 1
    n = len(infos)
    next_nb = [-1] * n  # index of the next non-blank line
    nb = -1
    for i in range(n - 1, -1, -1):
        next_nb[i] = nb
        if infos[i].cls != BLANK:
            nb = i

    blocks: list[Block] = []
    open_kind = ""  # "", "paragraph", "bullet", "kv"
    o_start = o_end = o_indent = o_lines = o_number = 0
    last_num: int | None = None  # number of the numbered item that is the latest block

    def flush() -> None:
        nonlocal open_kind
        if open_kind:
            bullet = open_kind == "bullet"
            blocks.append(Block("bullet" if bullet else "paragraph", o_start, o_end, number=o_number if bullet else 0))
            open_kind = ""

    def open_block(kind: str, info: Line) -> None:
        nonlocal open_kind, o_start, o_end, o_indent, o_lines, o_number
        flush()
        open_kind, o_start, o_end, o_indent, o_lines = kind, info.cs, info.ce, info.indent, 1
        o_number = info.num if info.cls == NUM else 0

    for i, info in enumerate(infos):
        cls = info.cls
        if cls == BLANK:
            flush()
            continue
        # Continuation lines: wrapped bullet text (indented or lowercase), wrapped field values,
        # and ordinary lines of an open paragraph.
        if open_kind and cls in (TEXT, TITLEC, SENTC, KV, TABC):
            if open_kind == "bullet" and (info.indent > o_indent or (info.lower and cls == TEXT)):
                o_end, o_lines = info.ce, o_lines + 1
                continue
            if open_kind == "kv" and cls != KV and info.lower:
                o_end, o_lines = info.ce, o_lines + 1
                continue
        if cls == TITLEC or cls == SENTC:
            # A short line on its own: Title Case ("Contact Arrangements") after a blank line or a
            # finished sentence; sentence case ("Where you live") only after a blank line and
            # directly followed by its content.
            prev = infos[i - 1] if i else _BLANK_LINE
            nxt = infos[i + 1] if i + 1 < n else _BLANK_LINE
            if cls == TITLEC:
                standalone = prev.cls in (BLANK, HEAD, RULE, SEP) or (prev.cls in (TEXT, KV) and prev.ends)
            else:
                standalone = prev.cls in (BLANK, HEAD, RULE, SEP) and nxt.cls not in (BLANK, RULE)
                # A letter's "Your home", set apart by blank lines above and below, heads the paragraph
                # after it; a lone short line before a signature ("Best wishes" / "Ruth Adeyemi") does not.
                j = next_nb[i]
                if not standalone and prev.cls in (BLANK, HEAD, RULE, SEP) and nxt.cls == BLANK and j >= 0:
                    after = infos[j]
                    standalone = (after.cls in (TEXT, KV) and not after.lower) or after.cls in (BULLET, NUM, PIPE)
            if standalone and not (nxt.lower and nxt.cls in (TEXT, SENTC)):
                flush()
                blocks.append(Block("heading", info.cs, info.ce))
                last_num = None
                continue
            cls = TEXT
        if cls == TABC:
            run = (i and infos[i - 1].cls == TABC) or (i + 1 < n and infos[i + 1].cls == TABC)
            if run:
                flush()
                row = _tab_row(text, info.cs, info.ce)
                if row is not None:
                    blocks.append(row)
                last_num = None
                continue
            cls = TEXT
        if cls == TEXT:
            if open_kind == "paragraph":
                o_end, o_lines = info.ce, o_lines + 1
            else:
                open_block("paragraph", info)
                last_num = None
            continue
        if cls == KV:
            open_block("kv", info)
            last_num = None
            continue
        if cls == BULLET:
            open_block("bullet", info)
            last_num = None
            continue
        if cls == NUM:
            num = info.num
            j = next_nb[i]
            in_list = (last_num is not None and num == last_num + 1) or (
                j >= 0 and infos[j].cls == NUM and infos[j].num == num + 1
            )
            if in_list or not info.headable:
                open_block("bullet", info)
                last_num = num
            else:
                flush()
                blocks.append(Block("heading", info.start, info.ce, level=1))
                last_num = None
            continue
        if cls == HEAD:
            flush()
            blocks.append(Block("heading", info.cs, info.ce, level=info.level))
        elif cls == PIPE:
            flush()
            row = _pipe_row(text, info.cs, info.ce)
            if row is not None:
                blocks.append(row)
        elif cls == RULE:
            # Setext heading: a single line underlined with === or ---
            if open_kind == "paragraph" and o_lines == 1 and info.marker in "=-" \
                    and infos[i - 1].words <= 10:
                blocks.append(Block("heading", o_start, o_end, level=1 if info.marker == "=" else 2))
                open_kind = ""
            elif not open_kind and info.marker in "=-" and blocks and blocks[-1].kind == "heading" \
                    and blocks[-1].level == 0 and blocks[-1].end == infos[i - 1].ce:
                # the line above was already taken as a heading; the underline gives its level
                h = blocks[-1]
                blocks[-1] = Block("heading", h.start, h.end, level=1 if info.marker == "=" else 2)
            else:
                flush()
        elif cls == SEP:
            flush()
        last_num = None
    flush()
    return blocks


# ---------------------------------------------------------------------------------------------
# Sanity checks
# ---------------------------------------------------------------------------------------------

_LATIN_RUN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+")
# Characters that say nothing about the language: digits, whitespace, everyday punctuation,
# table pipes, bullets. Everything else that is not a Latin letter counts against English.
_NEUTRAL_RUN_RE = re.compile(r"[\s\d.,:;!?'\"’‘“”()\[\]/\\\-–—|&%£$€@#*+=_<>•◦▪·…]+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Deliberately no one-letter words: Welsh "a"/"i"/"o" would otherwise pass as English.
_FUNCTION_WORDS = frozenset(
    ["the", "and", "to", "of", "in", "is", "you", "your", "will", "for", "with", "be", "on", "by", "that", "this", "are", "was", "were", "has", "have", "had", "he", "she", "his", "her", "they", "their", "them", "it", "its", "at", "as", "from", "or", "not", "we", "our", "us", "an", "been", "would", "should", "can", "about", "if", "who", "which", "what", "when", "there", "any", "all", "has", "but", "she's", "he's", "it's", "i'm", "i'll", "you'll", "we'll"]
)
_MIN_WORDS_FOR_FUNCTION_CHECK = 40
_MIN_FUNCTION_SHARE = 0.05


def looks_english(text: str, prose: str | None = None) -> bool:
    """Cheap language sniff: mostly Latin letters, and running prose has English function words.

    ``prose`` is the text to count function words in (paragraphs and bullets; terse tables of
    names and dates have few function words, so they are left out). Short prose (< 40 words) is
    never rejected for lacking function words.
    """
    letters = sum(map(len, _LATIN_RUN_RE.findall(text)))
    if letters == 0:
        return False
    other = len(_NEUTRAL_RUN_RE.sub("", text)) - letters
    if letters < other:  # fewer than half of the meaningful characters are Latin letters
        return False
    words = _WORD_RE.findall(text if prose is None else prose)
    if len(words) >= _MIN_WORDS_FOR_FUNCTION_CHECK:
        # Enough function words is all that is asked: stop counting once there are (English prose
        # reaches 5% within its first lines).
        need = _MIN_FUNCTION_SHARE * len(words)
        hits = 0
        for w in words:
            if w.lower() in _FUNCTION_WORDS:
                hits += 1
                if hits >= need:
                    return True
        return False
    return True


def validate(doc: Document, source: str, empty_reason: str) -> Document:
    """Raise :class:`IngestError` if ``doc`` has no text or does not look like English."""
    if not doc.text.strip() or not doc.blocks:
        raise IngestError(source, empty_reason)
    prose = "\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.kind in ("paragraph", "bullet"))
    if not looks_english(doc.text, prose):
        raise IngestError(source, "does not look like English text")
    return doc


def from_text(text: str, *, source: str | None = None, format: str = "record",
              validate_text: bool = True) -> Document:
    """Build a Document from a string: ``Document.text`` is ``text`` with ``\\r\\n``/``\\r`` -> ``\\n``
    and any BOM removed; blocks index it.

    Raises :class:`IngestError` (source = ``source`` or ``"text"``) when the text is empty
    ("no text" for records, "file is empty" for files) or does not look like English, unless
    ``validate_text`` is false.
    """
    if not isinstance(text, str):
        raise TypeError("from_text expects str")
    if "\x00" in text:
        # Never in a real record (files with NULs are binary, above), and PostgreSQL cannot store it.
        raise IngestError(source or "text", "the text contains a NUL character (\\x00)")
    text = normalise_newlines(text)
    doc = Document(text=text, blocks=split_blocks(text), source=source, format=format)
    if validate_text:
        validate(doc, source or "text", "no text" if format == "record" else "file is empty")
    return doc
