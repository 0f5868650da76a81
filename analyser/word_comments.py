"""Word in, Word out: a copy of the worker's own .docx with the report's findings as Word comments.

An adapter around the :class:`~analyser.report.Report`: it never re-analyses. Each finding becomes a
real Word comment (author "caseqa") anchored on the finding's words; one more comment, on the
document's first line, gives the grade, the four dimension scores and the three most important fixes.
Nothing else in the document changes: its text, styles, tables, headers, footers, existing comments
and tracked changes stay as they were. Where a finding starts or ends inside a run, the run is split
in two (both halves keep the run's formatting), so the comment covers exactly the flagged words.

Offsets in the report index the extracted text (analyser/ingest/docx.py); :func:`text_map` there says
which run shows each character, so this module does not walk the document a second way.

With ``suggest=True`` the preferred words a finding names (e.g. jargon: "Children often prefer:
home") are also written as tracked changes, a deletion of the flagged words and an insertion of the
first preferred wording, which the worker can accept or reject in Word.
"""

from __future__ import annotations

import bisect
import copy
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from analyser.ingest.docx import TextPiece, load_docx, text_map
from analyser.ingest.errors import IngestError
from analyser.report import DIMENSIONS, Finding, Report

AUTHOR = "caseqa"
INITIALS = "CQ"
SUMMARY_PREFIX = "caseqa summary"

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + _W_NS + "}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_GRADE_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
_DIMENSION_WORDS = {
    "timebound_actions": "Timebound actions",
    "child_directed_language": "Child-directed language",
    "readability": "Readability",
    "plan_detail": "Plan detail",
}


class AnnotateError(ValueError):
    """The document cannot be annotated with this report (not a Word file, or not the report's document)."""


def rule_id(finding: Finding) -> str:
    """The finding's rule name. Findings are getting a ``rule`` field; until then ``code`` is the rule."""
    return str(getattr(finding, "rule", None) or finding.code)


def comment_text(finding: Finding) -> str:
    """What the comment says: the message, then the suggestion."""
    parts = [finding.message.strip()]
    if finding.suggestion:
        parts.append(finding.suggestion.strip())
    return " ".join(p for p in parts if p)


def top_fixes(report: Report, n: int = 3) -> list[Finding]:
    """The ``n`` most important fixes: worst severity first, then the weakest dimension, then text order;
    one per rule, so three jargon words do not crowd out a missing deadline."""
    # A dimension that is not scored ranks with the strongest: its findings are not the weakest's.
    scores = {name: 100.0 if result.score is None else result.score for name, result in report.dimensions.items()}
    ranked = sorted(
        (f for f in report.findings if f.suggestion or f.severity != "info"),
        key=lambda f: (_SEVERITY_RANK.get(f.severity, 3), scores.get(f.dimension, 100.0), f.start, f.end),
    )
    chosen: list[Finding] = []
    seen: set[str] = set()
    for f in ranked:
        if rule_id(f) in seen:
            continue
        seen.add(rule_id(f))
        chosen.append(f)
        if len(chosen) == n:
            break
    return chosen


def summary_text(report: Report) -> str:
    """The top comment: grade, the four scores, the three most important fixes."""
    lines = [
        f"{SUMMARY_PREFIX}: {_GRADE_WORDS.get(report.overall.grade, report.overall.grade)} "
        f"({report.overall.score:g}/100).",
        "; ".join(
            f"{_DIMENSION_WORDS.get(d, d)} {report.dimensions[d].shown('g')}" for d in DIMENSIONS if d in report.dimensions
        ) + ".",
    ]
    fixes = top_fixes(report)
    if fixes:
        lines.append("Most important fixes:")
        for i, f in enumerate(fixes, 1):
            where = f" ('{_short(f.excerpt)}')" if f.excerpt.strip() else ""
            lines.append(f"{i}. {comment_text(f)}{where}")
    else:
        lines.append("Nothing to fix.")
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def preferred_words(finding: Finding) -> str | None:
    """The first wording a finding prefers, from its structured data (jargon: ``data["preferred"]``,
    e.g. "your review / your meeting" -> "your review"); never read from the message text."""
    preferred = (finding.data or {}).get("preferred")
    if not isinstance(preferred, str) or not preferred.strip():
        return None
    words = re.split(r"\s*[/;,]\s*|\.\s*$", preferred.strip(), maxsplit=1)[0].strip(" .")
    return words or None


@dataclass(frozen=True)
class Annotated:
    """The annotated file and how many comments were added (findings + the summary)."""

    data: bytes
    comments: int
    suggestions: int = 0


def annotate_docx(data: bytes, report: Report, *, source: str = "document.docx", suggest: bool = False,
                  now: datetime | None = None) -> Annotated:
    """A copy of ``data`` (a .docx) with every finding of ``report`` as a Word comment on its words.

    ``report`` must be the report of this very file (its offsets index the file's extracted text).
    Raises :class:`AnnotateError` (or :class:`IngestError` for a corrupt file) with a clear reason.
    """
    import docx
    from docx.text.run import Run

    load_docx(data, source)  # the same safety checks (zip bombs, encryption, corrupt files) as ingest
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - load_docx accepted it, so this is very unlikely
        raise IngestError(source, "not a Word document or it is corrupt") from None
    text, pieces = text_map(document)
    findings = list(report.findings)
    for f in findings:
        if not (0 <= f.start <= f.end <= len(text) and excerpt_matches(f.excerpt, text[f.start : f.end])):
            raise AnnotateError(f"the report does not belong to {source}: its findings point at other text")

    spans = [(f.start, f.end) for f in findings if f.start < f.end]
    first_line = _first_line(text, pieces)
    if first_line is not None:
        spans.append(first_line)
    _split_at(pieces, sorted({b for s, e in spans for b in (s, e)}, reverse=True))
    text_after, pieces = text_map(document)
    assert text_after == text, "splitting runs must not change the text"

    stamp = now or datetime.now(UTC)
    added = 0
    if first_line is not None:
        runs = _runs_in(pieces, *first_line)
        _comment(document, runs, summary_text(report), stamp, Run)
        added += 1
    for f in findings:
        runs = _runs_in(pieces, f.start, f.end) if f.start < f.end else [_empty_run_at(pieces, f.start)]
        _comment(document, runs, comment_text(f), stamp, Run)
        added += 1

    suggestions = 0
    if suggest:
        suggestions = _track_suggestions(pieces, findings, stamp)
    out = io.BytesIO()
    document.save(out)
    return Annotated(out.getvalue(), added, suggestions)


def excerpt_matches(excerpt: str, words: str) -> bool:
    """Whether a finding's excerpt shows these words (long excerpts are cut short and end in "...")."""
    if excerpt == words:
        return True
    return excerpt.endswith("...") and words.startswith(excerpt[:-3])


def _comment(document: Any, runs: Sequence[Any], body: str, stamp: datetime, run_cls: Any) -> None:
    comment = document.add_comment([run_cls(r, None) for r in (runs[0], runs[-1])], text=body, author=AUTHOR,
                                   initials=INITIALS)
    comment._comment_elm.date = stamp  # one time for the whole file: the check ran once


def _first_line(text: str, pieces: list[TextPiece]) -> tuple[int, int] | None:
    """Where the summary comment goes: the first line (a table's first non-empty cell) with text."""
    if not pieces:
        return None
    start = pieces[0].start
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    cell_end = text.find(" | ", start, end)
    if cell_end > start:
        end = cell_end
    last = max((p.end for p in pieces if start <= p.start < end), default=start)
    return (start, last) if last > start else None


def _split_at(pieces: list[TextPiece], boundaries: Iterable[int]) -> None:
    """Split runs so that each boundary falls between runs. ``boundaries`` must run from the end backwards:
    splitting keeps the front half in the original run and node, so pieces before a split stay valid."""
    starts = [p.start for p in pieces]
    for b in boundaries:
        i = bisect.bisect_right(starts, b) - 1
        if i < 0:
            continue
        p = pieces[i]
        if not p.start < b < p.end:
            continue
        _split_run(p.run, p.node, p.node_offset + (b - p.start))


def _split_run(r: Any, node: Any, at: int) -> Any:
    """Split run ``r`` inside its text node ``node`` at character ``at``; return the new second run."""
    if node.tag != _W + "t":  # tabs and breaks are one character: never split inside
        return None
    children = list(r)
    idx = children.index(node)
    second = copy.deepcopy(r)
    second_children = list(second)
    head, tail = (node.text or "")[:at], (node.text or "")[at:]
    for child in children[idx + 1 :]:
        r.remove(child)
    node.text = head
    node.set(_XML_SPACE, "preserve")
    for child in second_children[:idx]:
        if child.tag != _W + "rPr":
            second.remove(child)
    second_node = second_children[idx]
    second_node.text = tail
    second_node.set(_XML_SPACE, "preserve")
    r.addnext(second)
    return second


def _runs_in(pieces: list[TextPiece], start: int, end: int) -> list[Any]:
    """The runs showing text[start:end], in document order (after splitting, none reaches outside)."""
    runs: list[Any] = []
    for p in pieces:
        if p.end <= start:
            continue
        if p.start >= end:
            break
        if not runs or runs[-1] is not p.run:
            runs.append(p.run)
    if not runs:
        raise AnnotateError("a finding points at text the document does not show")
    return runs


def _empty_run_at(pieces: list[TextPiece], at: int) -> Any:
    """A new empty run just before the text at ``at``: where a whole-record finding (no words) is pinned."""
    from docx.oxml import OxmlElement

    following = next((p for p in pieces if p.end > at), pieces[-1] if pieces else None)
    if following is None:
        raise AnnotateError("the document has no text to comment on")
    r = OxmlElement("w:r")
    following.run.addprevious(r)
    return r


def _track_suggestions(pieces: list[TextPiece], findings: list[Finding], stamp: datetime) -> int:
    """Write each finding's preferred words as a tracked change: w:del of the words, w:ins of the new ones.

    Only findings whose words lie in one paragraph and do not overlap another suggestion are changed, so
    the document stays well formed and every change can be accepted or rejected on its own.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    done: list[tuple[int, int]] = []
    count = 0
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    change_id = 900000
    for f in findings:
        words = preferred_words(f)
        if not words or f.start >= f.end or any(s < f.end and f.start < e for s, e in done):
            continue
        runs = _runs_in(pieces, f.start, f.end)
        parent = runs[0].getparent()
        if any(r.getparent() is not parent for r in runs):
            continue
        # Keep the word's capital: "Contact" -> "Family time".
        if f.excerpt[:1].isupper() and words[:1].islower():
            words = words[:1].upper() + words[1:]
        deletion = OxmlElement("w:del", {qn("w:id"): str(change_id), qn("w:author"): AUTHOR, qn("w:date"): when})
        insertion = OxmlElement("w:ins", {qn("w:id"): str(change_id + 1), qn("w:author"): AUTHOR, qn("w:date"): when})
        change_id += 2
        new_run = copy.deepcopy(runs[0])
        for child in list(new_run):
            if child.tag != qn("w:rPr"):
                new_run.remove(child)
        t = OxmlElement("w:t")
        t.text = words
        t.set(_XML_SPACE, "preserve")
        new_run.append(t)
        insertion.append(new_run)
        runs[-1].addnext(insertion)
        runs[0].addprevious(deletion)
        for r in runs:
            for child in r:
                if child.tag == qn("w:t"):
                    child.tag = qn("w:delText")
            deletion.append(r)  # moves the run into the deletion
        done.append((f.start, f.end))
        count += 1
    return count


def is_docx_name(name: str | None) -> bool:
    return bool(name) and str(name).lower().endswith(".docx")


def not_docx_message(name: str | None) -> str:
    """The error for asking to annotate something that is not a Word file."""
    what = f"'{name}'" if name else "text"
    return (f"comments can only be written into a Word file (.docx); {what} is not one. "
            "Check the .docx itself, or leave out the annotate option.")
