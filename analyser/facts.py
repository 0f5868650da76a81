"""Record facts read from the text itself: document type, date, child's first name and age, next review.

Callers may pass any of these; a given value always wins over what is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from analyser import dates

# Labelled header fields, e.g. "Date of review: 02/11/2024", "Name: Amira Khan".
_FIELD = re.compile(r"^[ \t]*(?P<label>[A-Za-z][A-Za-z '’/()-]{1,40}?)[ \t]*[:\-–][ \t]*(?P<value>\S.*)$", re.MULTILINE)
_DATE_LABELS = re.compile(r"^(date\b.*|.*\bdate|dated|written on|(review|meeting|visit) held( on)?|this review)$", re.IGNORECASE)
# Labelled dates that are not the record's own date.
_OTHER_DATE_LABELS = re.compile(r"birth|dob|next|entered|admission|accommodated|placement|start|end|due|expir|previous|last|referral|order", re.IGNORECASE)
_NAME_LABELS = re.compile(
    r"^(name|child'?s? name|child|young person|young person'?s name|name of child|name of young person|"
    r"child/young person|written to|this plan is for|for|full name|child'?s full name|plan for)$",
    re.IGNORECASE,
)
_NEXT_REVIEW = re.compile(
    r"\b(next ([\w'’-]+ ){0,2}(review|meeting)|date of (the )?next (\w+ )?review|"
    r"when we will (look at|review) (this|your) plan again|(this|your) plan will be reviewed)\b",
    re.IGNORECASE,
)
_UNKNOWN = re.compile(r"^\W*(tbc|tba|to be (confirmed|arranged|agreed)|not (yet )?(set|known|booked|arranged)|unknown)\b", re.IGNORECASE)
_DOB_LABEL = re.compile(r"^(dob|d\.o\.b\.?|date of birth|born)$", re.IGNORECASE)
_AGE_LABEL = re.compile(r"^(age|child'?s age|age at review)$", re.IGNORECASE)
_AGE_TEXT = re.compile(r"\b(?:aged|age)\s+(\d{1,2})\b|\b(\d{1,2})[- ]years?[- ]old\b", re.IGNORECASE)
_DEAR = re.compile(r"^\s*(?:Dear|Hi|Hello|To)\s+([A-Z][a-z'’-]+)\b", re.MULTILINE)
_NAME_WORD = re.compile(r"[A-Z][a-zA-Z'’-]+")
_POSSESSIVE_PLAN = re.compile(
    r"\b([A-Z][a-z'’-]+)(?:'s|’s)\s+(?:care plan|pathway plan|review|plan|looked after review|LAC review|CLA review)\b"
)
_NOT_NAMES = {
    "The", "This", "Your", "My", "Our", "Child", "Young", "Care", "Plan", "Review", "Pathway", "Date", "Name",
    "Looked", "Social", "Independent", "Personal", "Mr", "Mrs", "Ms", "Miss", "Dr", "Baby", "Unknown", "Not",
    "N/A", "Team", "Council", "Children", "Minutes", "Meeting", "Dear", "Hello", "Hi", "Record", "Visit",
}

_TYPE_PATTERNS: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "pathway_plan": [
        (re.compile(r"\bpathway plan\b", re.IGNORECASE), 4.0),
        (re.compile(r"\bpersonal advis[eo]r\b|\bPA\b", re.IGNORECASE), 1.5),
        (re.compile(r"\b(leaving care|care leaver|staying put|supported lodgings|tenancy|semi-independent)\b", re.IGNORECASE), 1.0),
        (re.compile(r"\b(national insurance|NI number|universal credit|bursary|apprenticeship)\b", re.IGNORECASE), 0.7),
        (re.compile(r"\bplan for (your|the) future\b", re.IGNORECASE), 1.0),
    ],
    "review_minutes": [
        (re.compile(r"\breview minutes\b|\bminutes of\b|\bminutes\b", re.IGNORECASE), 3.0),
        (re.compile(r"\b(looked after|LAC|CLA|CiC|child in care|child'?s?) review\b", re.IGNORECASE), 2.0),
        (re.compile(r"\b(IRO|independent reviewing officer)\b", re.IGNORECASE), 0.8),
        (re.compile(r"^\s*(present|attendees|in attendance|apologies|attendance)\b", re.IGNORECASE | re.MULTILINE), 2.0),
        (re.compile(r"\b(recommendations?|recs)\b", re.IGNORECASE), 0.8),
        (re.compile(r"\b(previous|last) review\b|\bsince (the|your) last review\b", re.IGNORECASE), 1.5),
        (re.compile(r"\bthe review (was|took place|agreed|heard)\b|\bat (the|your) review\b|\bthis review\b", re.IGNORECASE), 1.0),
        (re.compile(r"\b(about|of|at|from) your review\b|\breview meetings?\b|\byour (last |next )?review\b", re.IGNORECASE), 1.5),
    ],
    "care_plan": [
        (re.compile(r"\bcare (and [\w-]+ )?plan\b", re.IGNORECASE), 3.0),
        (re.compile(r"\bplacement plan\b|\bplan for permanence\b|\bpermanence plan\b", re.IGNORECASE), 1.5),
        (re.compile(r"\b(contingency|parallel) plan\b", re.IGNORECASE), 0.7),
        (re.compile(r"\bpermanence\b|\blong[- ]term (plan|foster)", re.IGNORECASE), 0.7),
    ],
}


# Records that are not plans: supervision, visit and case notes.
_OTHER_PATTERNS = [
    (re.compile(r"\b(supervision record|case supervision|supervisee|visit record|visit note|case note|"
                r"contact record|statutory visit record|chronology|referral form)\b", re.IGNORECASE), 4.0),
]


@dataclass(frozen=True)
class Facts:
    doc_type: str
    date: date | None
    child_name: str | None
    child_age: int | None
    next_review: date | None


def _fields(text: str, limit: int = 4000) -> list[tuple[str, str, int]]:
    """(label, value, value offset) for header-like 'Label: value' lines near the top."""
    head = text[:limit]
    return [(m.group("label").strip(), m.group("value").strip(), m.start("value")) for m in _FIELD.finditer(head)]


def detect_doc_type(text: str) -> str:
    """Rule-based document type: weighted cues, the title (first lines) counting double."""
    head = text[:300]
    scores: dict[str, float] = {}
    for doc_type, patterns in _TYPE_PATTERNS.items():
        total = 0.0
        for pattern, weight in patterns:
            hits = len(pattern.findall(text[:20000]))
            if hits:
                total += weight * min(hits, 3) ** 0.5
                if pattern.search(head):
                    total += weight
        scores[doc_type] = total
    other = sum(w for pattern, w in _OTHER_PATTERNS if pattern.search(head))
    best = max(scores, key=lambda k: scores[k])
    if other and other >= scores[best] / 2:
        return "other"
    return best if scores[best] >= 2.5 else "other"


def detect_date(text: str) -> date | None:
    """The record's own date: a labelled date field, else the first full date in the opening lines."""
    for label, value, _ in _fields(text):
        if _DATE_LABELS.match(label) and not _OTHER_DATE_LABELS.search(label):
            found = dates.find_dates(value)
            if found and found[0].value:
                return found[0].value
    for mention in dates.find_dates(text[:600]):
        if mention.value and _looks_like_full_date(mention.text):
            if not _NEXT_REVIEW.search(text[max(0, mention.start - 60) : mention.start]) and not _is_dob(text, mention.start):
                return mention.value
    return None


def _looks_like_full_date(s: str) -> bool:
    return bool(re.search(r"\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2}", s))


def _is_dob(text: str, pos: int) -> bool:
    return bool(re.search(r"(dob|d\.o\.b|date of birth|born)\W*$", text[max(0, pos - 25) : pos], re.IGNORECASE))


def detect_next_review(text: str, ref: date | None) -> date | None:
    """The date following a 'next review' cue in the same sentence or line."""
    for m in _NEXT_REVIEW.finditer(text):
        # The date sits on the same line, or on the next line when the cue ends its line ("Next review:\n 5 May").
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        rest = text[m.end() : line_end]
        if not re.search(r"\w", rest.replace(":", "")):
            nxt_end = text.find("\n", line_end + 1)
            rest = text[line_end : len(text) if nxt_end == -1 else nxt_end]
        rest = rest[:160]
        if _UNKNOWN.match(rest.lstrip(" :*-–")):
            continue
        found = dates.find_dates(rest, ref)
        if found and found[0].value:
            return found[0].value
    return None


def _first_name(value: str) -> str | None:
    for word in _NAME_WORD.findall(value):
        if word not in _NOT_NAMES and len(word) > 1:
            return word
    return None


def detect_child_name(text: str) -> str | None:
    """First name from a 'Name:' style field, a 'Dear X' greeting, or "X's care plan"."""
    for label, value, _ in _fields(text, 2000):
        if _NAME_LABELS.match(label):
            name = _first_name(value)
            if name:
                return name
    m = _DEAR.search(text[:1500])
    if m and m.group(1) not in _NOT_NAMES:
        return m.group(1)
    m = _POSSESSIVE_PLAN.search(text[:1500])
    if m and m.group(1) not in _NOT_NAMES:
        return m.group(1)
    return None


def detect_child_age(text: str, ref: date | None) -> int | None:
    for label, value, _ in _fields(text, 2000):
        if _AGE_LABEL.match(label):
            m = re.match(r"\s*(\d{1,2})\b", value)
            if m and int(m.group(1)) <= 25:
                return int(m.group(1))
        if _DOB_LABEL.match(label):
            found = dates.find_dates(value)
            if found and found[0].value and ref:
                born = found[0].value
                age = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
                if 0 <= age <= 25:
                    return age
    m = _AGE_TEXT.search(text[:3000])
    if m:
        age = int(m.group(1) or m.group(2))
        if age <= 25:
            return age
    return None


def read_facts(
    text: str,
    *,
    doc_type: str | None = None,
    date_: date | None = None,
    child_name: str | None = None,
    child_age: int | None = None,
    next_review: date | None = None,
) -> Facts:
    """Facts for the record; given values win over detected ones."""
    record_date = date_ or detect_date(text)
    return Facts(
        doc_type=doc_type or detect_doc_type(text),
        date=record_date,
        child_name=child_name or detect_child_name(text),
        child_age=child_age if child_age is not None else detect_child_age(text, record_date),
        next_review=next_review or detect_next_review(text, record_date),
    )
