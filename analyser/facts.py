"""Record facts read from the text itself: document type, date, child's first name and age, next review.

Callers may pass any of these; a given value always wins over what is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
import datetime as dt
from datetime import date
from typing import TYPE_CHECKING

from analyser import dates
from analyser.rules import word_list
from analyser.prefilter import Screen

if TYPE_CHECKING:
    from analyser.discourse import Discourse
    from analyser.document import Document

# Labelled header fields, e.g. "Date of review: 02/11/2024", "Name: Amira Khan".
_FIELD = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?(?:\d+(?:\.\d+)*\.?[ \t]+)?(?P<label>[A-Za-z][A-Za-z '’/()-]{1,40}?)[ \t]*[:\-–][ \t]*(?P<value>\S.*)$", re.MULTILINE)
# A table cell or line part that is only a label ("Date of birth", "Child's name:").
_LABEL_CELL = re.compile(r"^\s*[A-Za-z][A-Za-z '’/()-]{1,40}:?\s*$")
_MARKUP = re.compile(r"\*\*|__|^#+ ", re.MULTILINE)
_TABLE_SEP = re.compile(r" \| ")
_WIDE_SEP = re.compile(r"\t+| {3,}")
_DATE_LABELS = re.compile(r"^(date\b.*|.*\bdate|dated|written on|(review|meeting|visit) held( on)?|this review)$", re.IGNORECASE)
# Labelled dates that are not the record's own date.
_OTHER_DATE_LABELS = re.compile(r"birth|dob|next|entered|admission|accommodated|placement|start|end|due|expir|previous|last|referral|order", re.IGNORECASE)
_NAME_LABELS = re.compile(
    r"^(name|child'?s? name|child|young person|young person'?s name|name of child|name of young person|"
    r"child/young person|written to|this plan is for|for|full name|child'?s full name|plan for|my name|"
    r"name of (the )?(child|young person|cyp|yp)|yp name|cyp name|child'?s details|young person'?s details|about|cyp|yp|your name)$",
    re.IGNORECASE,
)
_NEXT_REVIEW = re.compile(
    r"\b(next ([\w'’-]+ ){0,2}(review|meeting)|date of (the )?next (\w+ )?review|"
    r"first ([\w'’-]+ ){0,2}review(?= (to be|will be|is (booked|due|planned|arranged|scheduled)|due|on))|"
    r"when we will (look at|review) (this|your) plan again|(this|your) plan will be reviewed)\b",
    re.IGNORECASE,
)
# "next PEP meeting", "next dental check": next, but not the child's review.
_OTHER_MEETING = re.compile(r"\b(PEP|dental|health|contact|family time|core group|strategy|visit|supervision|panel|team)\b", re.IGNORECASE)
# In a plan's header, the date the plan is to be reviewed.
_PLAN_REVIEW_LABEL = re.compile(
    r"^((plan |care plan |pathway plan )?review date|date of (plan )?review|(plan )?to be reviewed( on| by)?|review due( date)?|"
    r"review of (this|the) plan|date for review)$",
    re.IGNORECASE,
)
_HAS_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
# "Next review: TBC": no date yet (the words: analyser/rules/_placeholders.toml).
_UNKNOWN = re.compile(
    r"^\W*(?:" + "|".join(re.escape(p) for p in sorted(word_list("placeholders", "unknown_date"), key=lambda p: (-len(p), p)))
    + r")\b", re.IGNORECASE,
)
_DOB_LABEL = re.compile(r"^([\w'’]+['’]s )?(dob|d\.o\.b\.?|date of birth|born)$", re.IGNORECASE)
# A date of birth written inline; "born" counts only in the opening lines (prose mentions siblings' births).
_DOB_INLINE = re.compile(r"\b(dob\b|d\.o\.b\b\.?|date of birth\b)[\s:.\-–]*", re.IGNORECASE)
_BORN_INLINE = re.compile(r"\bborn(?: on)?\b[\s:.\-–]*", re.IGNORECASE)
# An age beside the name in the opening lines: "Harvey Dobson 14yrs", "Poppy Gardner (16)", "(aged 9)".
_AGE_HEADER = re.compile(r"\b(\d{1,2}) ?yrs?\b|\(aged? (\d{1,2})\)|[A-Z][a-z'’-]+ \((\d{1,2})\)", re.IGNORECASE)
_AGE_LABEL = re.compile(r"^(age|child'?s age|age at review|age at (the )?(date of )?(plan|review|meeting)|you are|your age)$", re.IGNORECASE)
_AGE_TEXT = re.compile(r"(?<!since )(?<!from )(?<!at )(?<!until )(?<!under )(?<!over )\b(?:aged|age)\s+(\d{1,2})\b|\b(\d{1,2})[- ]years?[- ]old\b", re.IGNORECASE)
# A record title naming the child: "Care plan for Jayden Thompson (15)", "LAC Review Minutes - Aaliyah Begum".
_NAME_FIELD_TOP = 600  # characters: a 'Name:' field after this may be a signature block
_FIRST = r"[A-Z][a-z'’-]+"
_SURNAME = r"[A-Z][\w'’-]+"
_CAPS_NAME = r"[A-Z][A-Z'’-]+"
_TITLE_NAME = re.compile(
    rf"^[^\n]*?\b(?i:plan|minutes|review|record|meeting)\b[^\n]*?(?:\bfor|[-–:])\s+"
    rf"(?:({_FIRST})\s+{_SURNAME}|({_CAPS_NAME}) {_CAPS_NAME}[ \t]*$)"
    # "Your care plan, Tia": a plan written to the child, named after a comma
    rf"|^[ \t#*_]*(?i:your|my)[ \t]+(?:(?i:care|pathway|placement)[ \t]+)?(?i:plan)[ \t]*,[ \t]*({_FIRST})[ \t*_!.]*$",
    re.MULTILINE,
)
# A name line near the top with the age or date of birth beside it: "Chidi Okonkwo, age 6",
# "Niamh O'Connor (aged 1 year)", "Samira Warsame - age 17", "... - Callum Reid, 12", "BARKER, Harry (DOB ...)".
_NAME_WITH_AGE = re.compile(
    rf"^(?:[^\n]*[-–:] |[\d.]+ )?(?:({_FIRST}) {_SURNAME}|{_CAPS_NAME}, ({_FIRST})),? (?:\(|- |– )?"
    r"(?i:aged?\b|dob\b|d\.o\.b|born\b|\d{1,2}\s*$|\d{1,2} ?yrs?\b)",
    re.MULTILINE,
)
# "Dear Sue and Martin" writes to two adults (carers, parents), not to the child.
_DEAR = re.compile(r"^\s*(?:Dear|Hi|Hello|To)\s+([A-Z][a-z'’-]+)\b(?!\s+(?:and|&)\s)", re.MULTILINE)
_NAME_WORD = re.compile(r"[A-Z][a-zA-Z'’-]+")
_POSSESSIVE_PLAN = re.compile(
    r"\b([A-Z][a-z'’-]+)(?:'s|’s)\s+(?i:care plan|pathway plan|review|plan|looked after review|LAC review|CLA review)\b"
)
_NOT_NAMES = {
    "The", "This", "Your", "My", "Our", "Child", "Young", "Care", "Plan", "Review", "Pathway", "Date", "Name",
    "Looked", "Social", "Independent", "Personal", "Role", "Relationship", "Present", "Attended", "Who",
    "Position", "Agency", "Organisation", "Health", "Action", "Assessment", "Update", "Summary", "Mr", "Mrs", "Ms", "Miss", "Dr", "Baby", "Unknown", "Not",
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
        (re.compile(r"^[\s*_#]*(present|attendees|in attendance|apologies|attendance)\b", re.IGNORECASE | re.MULTILINE), 2.0),
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


# What a title names, checked in this order ("Pathway plan review" is a pathway plan; "Review of
# Kofi's care plan" is a review).
_TITLE_TYPES = [
    ("pathway_plan", re.compile(r"\bpathway plan\b|\b(plan|planning) for (your|my|the) future\b", re.IGNORECASE)),
    ("review_minutes", re.compile(r"\b(review|minutes)\b", re.IGNORECASE)),
    ("care_plan", re.compile(r"\bcare plan\b|\bplacement plan\b|\bpermanence plan\b", re.IGNORECASE)),
]


_GENERIC_PLAN_TITLE = re.compile(r"\b((?i:my|your)|[A-Z][\w-]*['’](?i:s)) (?i:plan)\b")  # "Kai's plan", "MY PLAN"


# Records that are not plans: supervision, visit and case notes.
_OTHER_PATTERNS = [
    (re.compile(r"\b(supervision record|case supervision|supervisee|visit record|visit note|case note|"
                r"contact record|statutory visit record|chronology|referral form|placement planning meeting|"
                r"health assessment|health action plan|strategy (meeting|discussion)|personal education plan|"
                r"delegated authority)\b", re.IGNORECASE), 4.0),
]


@dataclass(frozen=True)
class Facts:
    doc_type: str
    date: dt.date | None
    child_name: str | None
    child_age: int | None
    next_review: dt.date | None
    birth_date: dt.date | None = None  # read from the record to resolve "before his 18th birthday"; never reported
    # Who writes, to whom, and the people named (analyser/discourse.py): read once, for every check.
    discourse: Discourse | None = None
    # School holidays whose dates the record states ("the Easter holidays, from 7 to 21 April"; "half-term
    # (you break up on 22 May)"): (season word or "", first day or None, last day or None), so "for the
    # Easter holidays" or "before half-term" has a date.
    school_holidays: tuple[tuple[str, dt.date | None, dt.date | None], ...] = ()
    # Whether the caller gave the document type (--doc-type, the API's doc_type) rather than caseqa reading it.
    doc_type_given: bool = False
    # Whether the caller gave the record's date: a letter's meeting date then does not replace it.
    date_given: bool = False
    # Whether the caller gave the child's age and the next review: a letter re-dated by its meeting keeps them.
    child_age_given: bool = False
    next_review_given: bool = False
    # The child's initials where the record gives the full name ("Leon Marsh" -> "LM"): minutes call the
    # child by them ("LM needs to keep his attendance above 90%").
    child_initials: tuple[str, ...] = ()
    # The day a letter was written, where the record is dated by the meeting it records ("within 2 weeks
    # of this letter" counts from it); None otherwise.
    written: dt.date | None = None


_HOLIDAY = re.compile(
    r"\b(?:(?P<season>easter|summer|christmas|winter|spring|autumn|october|february|may|whitsun)\s+)?"
    r"(?:school\s+)?(?:holidays?|half[- ]term(?:\s+holidays?)?)\b",
    re.IGNORECASE,
)
_RANGE_START = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s*(?:to|-|–|until)\s*", re.IGNORECASE)
# "(you break up on 22 May)", "(school finishes for half-term on Friday 23 May)", "(your last day is 22 July)":
# the last school day before the holiday, so the holiday starts the day after.
_BREAK_UP = re.compile(r"\b(?:breaks?\s+up|finish(?:es)?|last\s+day(?:\s+of\s+term)?\s+is|term\s+ends)\b[^.;\n]{0,30}?$",
                       re.IGNORECASE)


# "College breaks up for Easter on Friday 27 March 2026", "school finishes for the summer on 22 July", "You
# break up for half-term on Friday 24 October": the day school breaks up, with the holiday named after it.
_BREAKS_UP_FOR = re.compile(
    r"\b(?:breaks?\s+up|finish(?:es)?|closes?)\s+for\s+(?:the\s+)?"
    r"(?:(?P<season>easter|summer|christmas|winter|spring|autumn|october|february|may|whitsun)\b"
    r"(?:\s+(?:holidays?|half[- ]term))?|half[- ]term(?:\s+holidays?)?)\s+(?:is\s+)?on\s+",
    re.IGNORECASE,
)


def read_school_holidays(text: str, record_date: date | None) -> tuple[tuple[str, date | None, date | None], ...]:
    """Holidays the record dates: a holiday's name followed closely by a range of two dates, or by the
    day school breaks up for it."""
    found: list[tuple[str, date | None, date | None]] = []
    for m in _BREAKS_UP_FOR.finditer(text):
        ds = dates.find_dates(text[m.end() : m.end() + 40], record_date)
        if ds and ds[0].start == 0 and ds[0].value is not None:
            found.append(((m.group("season") or "").lower(), ds[0].value + dt.timedelta(days=1), None))
    for m in _HOLIDAY.finditer(text):
        window = re.split(r"\n|(?<=[.;])\s", text[m.end() : m.end() + 60], maxsplit=1)[0]
        ds = [d for d in dates.find_dates(window, record_date) if d.value is not None]
        season = (m.group("season") or "").lower()
        if len(ds) == 1 and ds[0].start < 50 and ds[0].value is not None and _BREAK_UP.search(window[: ds[0].start]):
            found.append((season, ds[0].value + dt.timedelta(days=1), None))
        elif len(ds) >= 2 and ds[0].start < 25 and ds[1].value is not None and ds[0].value is not None and ds[0].value <= ds[1].value:
            found.append((season, ds[0].value, ds[1].value))
        elif len(ds) == 1 and ds[0].start < 25 and ds[0].value is not None and (r := _RANGE_START.match(ds[0].text)):
            end = ds[0].value
            try:
                found.append((season, end.replace(day=int(r.group(1))), end))
            except ValueError:
                continue
    return tuple(found)


# A letter about a review ("following your daughter's review on ...") is review minutes, whoever it is to.
# ("Review of Maisie's care plan", "Maisie's review on 27 November", "the review meeting"; not "before his
# first review", which a plan letter says of the review to come.)
_REVIEW_LETTER = re.compile(
    r"\breview (?:of|on|meeting|held|took place)\b|\b(?:\w+'s|your \w+'s|your|the) (?:looked after |child in care |CLA |LAC )?review (?:on|meeting|today|yesterday|last)\b",
    re.IGNORECASE,
)


# A letter to a parent or carer after a meeting that is not a review ("Thank you for coming to Tobi's care
# plan meeting", "This letter sets out what we talked about and what we agreed") is correspondence about
# the plan, not the child's plan: a plan letter says it sets the plan out ("This letter sets out his care plan").
_MEETING_LETTER = re.compile(
    r"\bthank you(?: both| all)? for (?:coming|attending|joining us|being) (?:to|at) (?:the |your |\w+(?:-\w+)?'s )?"
    r"(?:[\w-]+ ){0,3}meeting\b|\b(?:set|sets|setting) out what (?:we|was) (?:talked about|discussed|agreed)\b",
    re.IGNORECASE,
)
_PLAN_LETTER = re.compile(r"\b(?:set|sets|setting) out (?:his|her|their|your|the|\w+'s) (?:care |pathway )?plan\b",
                          re.IGNORECASE)
# The meeting a letter records: "Tobi's care plan meeting on Tuesday 24 November 2026", "... meeting at Shire
# Hall on Tuesday 10 November".
# "Supervision visit on 20 April 2027", "your review yesterday, Wednesday 3 March 2027" too.
# The meeting is a noun ("your review", "Tobi's care plan meeting", a line opening "Supervision visit"), not
# "Thank you for meeting me on 14 January".
_MEETING_ON = re.compile(r"(?:(?:\b(?:the|your|our|this|his|her|their)[ \t]+|['’]s[ \t]+)(?:[\w-]+[ \t]+){0,3}?|^[ \t#*_]*(?:[\w-]+[ \t]+)?)"
                         r"(?:meeting|review|visit)\b[^.\n]{0,40}?\b(?:on|yesterday|today)\b,?\s+(?P<date>[^.\n]{5,40})",
                         re.IGNORECASE | re.MULTILINE)


def with_discourse(facts: Facts, document: Document) -> Facts:
    """The facts with the record's discourse read. A letter to a parent or carer about a review is review
    minutes; one about another meeting, which does not set the plan out, is "other". Either is dated by its
    meeting, not the day the letter was written, unless the caller gave the date."""
    from analyser.discourse import read_discourse

    found = read_discourse(document, child_name=facts.child_name, doc_type=facts.doc_type)
    doc_type = facts.doc_type
    record_date = facts.date
    text = document.text
    letter_to_family = found.addressee.role in ("parent", "carer") and found.addressee.start >= 0
    if not facts.doc_type_given and letter_to_family and doc_type in ("care_plan", "other"):
        if _REVIEW_LETTER.search(text[:800]):
            doc_type = "review_minutes"
            if not facts.date_given:
                record_date = _review_held_date(text) or record_date
        elif doc_type == "care_plan" and _MEETING_LETTER.search(text[:1500]) and not _PLAN_LETTER.search(text[:1500]):
            doc_type = "other"
    written = _opening_date(text) if found.addressee.start >= 0 else None
    if found.addressee.start >= 0 and not facts.date_given and record_date is not None and doc_type in ("review_minutes", "other"):
        # A letter is written after the meeting or visit it records and is dated by it, where its subject
        # line or its opening sentence names it ("Supervision visit on 20 April 2027"; "Thank you for coming to
        # your review yesterday, Wednesday 3 March 2027"). Not a meeting it mentions further on.
        held = _meeting_date(_letter_opening(text, found.addressee.start), record_date)
        if held is not None and held < record_date:
            record_date = held
    if written is not None and (record_date is None or written <= record_date):
        written = None  # the letter is the record's own date: nothing to tell apart
    redated = replace(facts, doc_type=doc_type, date=record_date, discourse=found, written=written)
    if (doc_type, record_date) == (facts.doc_type, facts.date):
        return redated
    # What was read from the record's date and type is read again from the new ones ("Next review: in six
    # months" from the meeting, the child's age on the meeting's day); what the caller gave stays.
    return replace(
        redated,
        child_age=facts.child_age if facts.child_age_given else detect_child_age(text, record_date, facts.birth_date),
        next_review=facts.next_review if facts.next_review_given else detect_next_review(text, record_date, doc_type),
        school_holidays=read_school_holidays(text, record_date),
    )


# "I came to see you on Thursday 3 December at Pat and Graham's house": a visit letter's visit.
_VISITED_ON = re.compile(r"\b(?:I|we)\s+(?:came\s+to\s+see|visited|saw|met)\s+you\b[^.\n]{0,20}?\bon\s+(?P<date>[^.\n]{5,40})",
                         re.IGNORECASE)


def _letter_opening(text: str, salutation: int) -> str:
    """A letter's short title lines (before or after the salutation) and the first sentence after it."""
    lines = [ln for ln in text[: salutation + 600].splitlines()
             if ln.strip() and len(ln.split()) <= _TITLE_WORDS and " | " not in ln]
    after = text[salutation:].split("\n", 1)[1] if "\n" in text[salutation:] else ""
    first = next((p.strip() for p in after.split("\n") if len(p.split()) > _TITLE_WORDS), "")
    return "\n".join(lines + [re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]])


def _meeting_date(text: str, letter_date: date | None) -> date | None:
    """The date of the meeting a letter's opening names; a date without a year is the last such day on or
    before the letter's date (a letter is written after its meeting)."""
    m = next((m for m in _MEETING_ON.finditer(text[:1500]) if not _OTHER_REVIEW.search(text[max(0, m.start() - 30) : m.start()])),
             None) or _VISITED_ON.search(text[:1500])
    if m is None:
        return None
    words = m.group("date")
    found = dates.find_dates(words, letter_date)
    if not found or found[0].start != 0 or found[0].value is None:
        return None
    held = found[0].value
    if not _looks_like_full_date(found[0].text):
        if letter_date is None:
            return None
        if held > letter_date:
            try:
                held = held.replace(year=held.year - 1)
            except ValueError:
                return None
    if letter_date is not None and not dt.timedelta(0) <= letter_date - held <= dt.timedelta(days=60):
        return None  # not the meeting this letter follows
    return held


def _fields(text: str, limit: int = 4000) -> tuple[tuple[str, str, int], ...]:
    """(label, value, value offset) for header fields near the top, in text order.

    A field is a 'Label: value' line, one of several on a line ("Name: Tyler Briggs   DOB: 14/06/2010",
    tab-separated too), or a key/value table row ("Child's name | Tyler Briggs | DOB | 14/06/2010").
    Memoised for the last few texts: reading one record's facts asks for its header five times.
    """
    return _parse_fields(text, limit)


@lru_cache(maxsize=8)
def _parse_fields(text: str, limit: int) -> tuple[tuple[str, str, int], ...]:
    head = _MARKUP.sub(lambda m: " " * len(m.group()), text[:limit])
    fields: list[tuple[str, str, int]] = []
    pos = 0
    for line in head.split("\n"):
        cells = _cells(line, pos)
        pos += len(line) + 1
        i = 0
        while i < len(cells):
            cell, offset = cells[i]
            m = _FIELD.match(cell)
            if m:
                fields.append((m.group("label").strip(), m.group("value").strip(), offset + m.start("value")))
                i += 1
            elif i + 1 < len(cells) and _LABEL_CELL.match(cell) and (
                # key/value table rows have 2 or 4 cells; a 3-cell "Name | Role | Present" row is a header
                (" | " in line and len(cells) % 2 == 0) or (" | " not in line and not _FIELD.match(cells[i + 1][0]))
            ):
                value, value_offset = cells[i + 1]
                fields.append((cell.strip().rstrip(":").strip(), value.strip(), value_offset))
                i += 2
            else:
                i += 1
    return tuple(fields)


def _cells(line: str, offset: int) -> list[tuple[str, int]]:
    """A line cut into table cells (" | ") or tab/wide-space separated parts, each with its offset."""
    separator = _TABLE_SEP if " | " in line else _WIDE_SEP
    cells, start = [], 0
    for m in separator.finditer(line):
        cells.append((line[start : m.start()], offset + start))
        start = m.end()
    cells.append((line[start:], offset + start))
    # Markdown tables: "| Name | Ellis Harper |" has pipes at both ends.
    cells = [(cell.strip().strip("|"), at + len(cell) - len(cell.lstrip(" |"))) for cell, at in cells]
    return [(cell, at) for cell, at in cells if cell.strip()]


_DURATION_MINUTES = re.compile(
    r"\b(?:\d+|a\s+few|few|several|a\s+couple\s+of|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty|"
    r"forty-five|sixty|ninety)[ \t-]+minutes?\b", re.IGNORECASE)


def detect_doc_type(text: str) -> str:
    """Rule-based document type. What the record calls itself decides first: its title (first two
    non-empty lines), else a heading in its opening lines ("LAC REVIEW", "CHILD IN CARE - CARE PLAN"),
    when the content does not contradict it; only then the weighted content cues, the opening counting
    double, and the cues of records that are not plans (a health assessment or PEP the plan mentions
    near its top does not make a care plan "other")."""
    head = text[:300]
    # "I saw Tyler on his own for about twenty minutes": a length of time, not a review's minutes.
    body = text[:20000]
    if "minute" in body:
        body = _DURATION_MINUTES.sub(lambda m: " " * len(m.group()), body)
    screen = Screen(body)  # most cues are in no record: a substring test skips their scan
    scores: dict[str, float] = {}
    for doc_type, patterns in _TYPE_PATTERNS.items():
        total = 0.0
        for pattern, weight in patterns:
            hits = len(pattern.findall(body)) if screen.may_match(pattern) else 0
            if hits:
                total += weight * min(hits, 3) ** 0.5
                if pattern.search(head):
                    total += weight
        scores[doc_type] = total
    best = max(scores, key=lambda k: scores[k])
    titled = _title_type(text) or _heading_type(text)
    if titled == "other":
        return "other"
    if titled == "plan":
        # "Kai's plan", "All about my plan": a plan; its words say which kind.
        return "pathway_plan" if scores["pathway_plan"] > scores["care_plan"] else "care_plan"
    if titled and (scores[titled] >= 1.0 or scores[titled] >= scores[best] / 4):
        # The title says what the record is: a review of a 17-year-old talks about the pathway plan
        # all through, and is still the review's minutes.
        return titled
    other = sum(w for pattern, w in _OTHER_PATTERNS if pattern.search(head))
    if other and other >= scores[best] / 2:
        return "other"
    return best if scores[best] >= 2.5 else "other"


def _named_type(title: str) -> str | None:
    """The document type a title names: "other" for a record that is not a plan (a visit note), "plan"
    for a plan of unnamed kind ("Kai's plan"), None when it names none."""
    if any(pattern.search(title) for pattern, _ in _OTHER_PATTERNS):
        return "other"
    # The type named first wins: "Care Plan - Review Update" is a plan, "Review of Kofi's care plan" a review.
    named = [(m.start(), doc_type) for doc_type, pattern in _TITLE_TYPES if (m := pattern.search(title))]
    if named:
        return min(named)[1]
    return "plan" if _GENERIC_PLAN_TITLE.search(title) else None


def _title_type(text: str) -> str | None:
    """The document type its title (first two non-empty lines) names, if it names one."""
    return _named_type(" ".join([line for line in text[:400].splitlines() if line.strip()][:2]))


# A heading-shaped line: ALL CAPS, a Markdown heading or a bold line, short.
_HEADING_LINE = re.compile(r"^\s*(?:#{1,6}\s+(?P<md>[^\n]+)|\*\*(?P<bold>[^*\n]+)\*\*\s*)$")
_HEADER_LINES = 10  # the opening lines a heading may name the record in
_PROSE_WORDS = 12  # a line this long is the record's body: the opening has ended


def _heading_type(text: str) -> str | None:
    """The type a heading in the record's opening lines names ("Ashby Council / Children's Services /
    LAC REVIEW"); the opening ends at the first line of prose."""
    lines = [line.strip() for line in text[:2000].splitlines() if line.strip()][:_HEADER_LINES]
    for line in lines:
        if len(line.split()) > _PROSE_WORDS:
            break
        m = _HEADING_LINE.match(line)
        words = m.group("md") or m.group("bold") if m else line
        letters = [c for c in words if c.isalpha()]
        if not (m or (len(letters) >= 3 and words.upper() == words and ": " not in words)):
            continue
        named = _named_type(words)
        if named is not None and named != "plan":
            return named
    return None


# A review letter is dated after the meeting it records; the record's date is the meeting's, named in its
# title or "Re:" line ("Your review meeting on 27 November 2025", "Re: Amara - Review held on 3 March
# 2026", "## Ellie's review, 20 January 2026"), never the last or next review's.
_REVIEW_TITLE = re.compile(r"\breview\b(?:\s+meeting)?(?:\s+of\s+[^\n]{0,40}?)?\s*(?:held\s+on|on|,|–|—|-|:)\s*(?P<date>\S.*)$",
                           re.IGNORECASE)
_OTHER_REVIEW = re.compile(r"\b(?:last|previous|next|since|earlier|first)\b[^\n]{0,20}$", re.IGNORECASE)
_TITLE_WORDS = 16


# "This letter is about your review meeting on 10 February 2026": the letter says which meeting it records.
_LETTER_ABOUT_REVIEW = re.compile(r"\b(?:letter|minutes|record)\s+(?:is\s+)?(?:about|of|from|for|after)\s+(?:your|the|\w+'s)\s+"
                                  r"review(?:\s+meeting)?\s+(?:held\s+)?on\s+(?P<date>[^.\n]{6,30})", re.IGNORECASE)


def _review_held_date(text: str) -> date | None:
    """The meeting date a review record's title, 'Re:' line or opening sentence names, if one does."""
    about = _LETTER_ABOUT_REVIEW.search(text[:1500])
    if about is not None and (held := _date_opening(about.group("date"))) is not None:
        return held
    for line in text[:1500].splitlines():
        line = line.strip().strip("*#_ ").strip()
        if not line or len(line.split()) > _TITLE_WORDS:
            continue
        m = _REVIEW_TITLE.search(line)
        if m is None or _OTHER_REVIEW.search(line[: m.start()]):
            continue
        if (held := _date_opening(m.group("date"))) is not None:
            return held
    return None


def _date_opening(words: str) -> date | None:
    """The full date ``words`` start with ("3 March 2026 at the Hales'"), if they start with one."""
    found = dates.find_dates(words)
    if found and found[0].start == 0 and found[0].value and _looks_like_full_date(found[0].text):
        return found[0].value
    return None


def detect_date(text: str, doc_type: str | None = None) -> date | None:
    """The record's own date: a labelled date field, else the first full date in the opening lines.
    In a plan, a 'Review date' field is when the plan is next reviewed, not its own date."""
    for label, value, _ in _fields(text):
        if doc_type in ("care_plan", "pathway_plan") and _PLAN_REVIEW_LABEL.match(label):
            continue
        if _DATE_LABELS.match(label) and not _OTHER_DATE_LABELS.search(label):
            found = dates.find_dates(value)
            if found and found[0].value:
                return found[0].value
    if doc_type == "review_minutes":
        held = _review_held_date(text)
        if held is not None:
            return held
    return _opening_date(text)


def _opening_date(text: str) -> date | None:
    """The first full date of the record's opening lines that is not its next review or a birth date: a
    letter's own date."""
    for mention in dates.find_dates(text[:600]):
        if mention.value and _looks_like_full_date(mention.text):
            if not _NEXT_REVIEW.search(text[max(0, mention.start - 60) : mention.start]) and not _is_dob(text, mention.start):
                return mention.value
    return None


def _looks_like_full_date(s: str) -> bool:
    return bool(re.search(r"\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2}", s))


def _is_dob(text: str, pos: int) -> bool:
    return bool(re.search(r"(dob|d\.o\.b|date of birth|born(?: on)?)\W*$", text[max(0, pos - 25) : pos], re.IGNORECASE))


def detect_next_review(text: str, ref: date | None, doc_type: str | None = None) -> date | None:
    """The date after a 'next review' cue: a label or heading first ("Next review: 5 May 2025"),
    then a mention in a sentence ("... at your next review on 5 May"), then, in a plan, its
    'Review date' field (a plan's review date is when the plan is next reviewed)."""
    cues = list(_NEXT_REVIEW.finditer(text))
    labelled = [m for m in cues if not re.search(r"[^\s#*_>\-–•|\d.)]", text[text.rfind("\n", 0, m.start()) + 1 : m.start()])]
    for m in [*labelled, *(m for m in cues if m not in labelled)]:
        if _OTHER_MEETING.search(m.group()):
            continue
        # The date sits on the same line, or on the next line when the cue ends its line ("Next review:\n 5 May").
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end == -1 else line_end
        rest = text[m.end() : line_end]
        if not re.search(r"\w", rest.replace(":", "")):
            # Only a heading or label ("Next review:", "## Next review") reads on into the next line;
            # "... by the next review." ends its sentence, and the next line is about something else.
            if m not in labelled or "|" in rest:
                continue
            nxt_end = text.find("\n", line_end + 1)
            rest = text[line_end : len(text) if nxt_end == -1 else nxt_end]
        if m not in labelled:
            # In a sentence, the date must be in the same sentence ("... prior to the next review. X by 11/11").
            end = re.search(r"[.;!?](\s|$)", rest)
            rest = rest[: end.start()] if end else rest
        rest = rest[:160]
        if _UNKNOWN.match(rest.lstrip(" :*-–|")):
            continue
        found = dates.find_dates(rest, ref)
        if found and found[0].value and _HAS_DAY.search(found[0].text):
            return found[0].value  # "in June 2025" is not a date anyone can plan to
    if doc_type in ("care_plan", "pathway_plan"):
        for label, value, _ in _fields(text):
            if _PLAN_REVIEW_LABEL.match(label):
                found = dates.find_dates(value, ref)
                if found and found[0].value and _looks_like_full_date(found[0].text) and (ref is None or found[0].value > ref):
                    return found[0].value
    return None


def _first_name(value: str) -> str | None:
    """The first name in a name field: "Amira Khan", "KHAN, Amira", "Amira KHAN", "AMIRA KHAN"."""
    m = re.match(r"\s*([^\W\d_][^\W\d_'’-]+),\s*([A-Z][^\W\d_'’-]+)", value)
    if m and m.group(1).isupper():
        return _name_case(m.group(2))
    words = [w for w in _NAME_WORD.findall(value) if w.title() not in _NOT_NAMES and len(w) > 1]
    if not words:
        return None
    if len(words) > 1 and words[0].isupper() and not words[1].isupper():
        return words[1]  # "BRIGGS Tyler": surname first, in capitals
    return _name_case(words[0])


def _name_case(name: str) -> str:
    """"TYLER" -> "Tyler"; a name already in mixed case is kept as written."""
    return name.title() if name.isupper() else name


def detect_child_name(text: str) -> str | None:
    """First name from a 'Name:' field near the top, the title or name line, a 'Dear X' greeting,
    "X's care plan", or a 'Name:' field further down (signature blocks name staff, so it comes last)."""
    fields = [(value, at) for label, value, at in _fields(text, 2000) if _NAME_LABELS.match(label)]
    for value, at in fields:
        name = _first_name(value)
        if name and at < _NAME_FIELD_TOP:
            return name
    head = _MARKUP.sub("", text[:300])
    for pattern in (_TITLE_NAME, _NAME_WITH_AGE):
        m = pattern.search(head)
        name = m and next((g for g in m.groups() if g), None)
        if name and name.title() not in _NOT_NAMES:
            return _name_case(name)
    m = _DEAR.search(text[:1500])
    if m and m.group(1) not in _NOT_NAMES:
        return m.group(1)
    m = _POSSESSIVE_PLAN.search(text[:1500])
    if m and m.group(1) not in _NOT_NAMES:
        return m.group(1)
    for value, _ in fields:
        name = _first_name(value)
        if name:
            return name
    return None


def child_initials(text: str, child_name: str | None) -> tuple[str, ...]:
    """Initials of the child's full name as the record's opening gives it ("Leon Marsh" -> "LM")."""
    if not child_name:
        return ()
    first = child_name.split()[0]
    found = {first[0] + m.group(1)[0] for m in re.finditer(rf"\b{re.escape(first)}[ \t]+([A-Z][a-z'’-]+)\b", text[:3000])
             if m.group(1) not in _NOT_NAMES}
    return tuple(sorted(found))


def detect_birth_date(text: str) -> date | None:
    """The child's date of birth from a 'DOB:' field, "(DOB 14.06.2010)" or "born 3 May 2012" near the top."""
    for label, value, _ in _fields(text, 2000):
        if _DOB_LABEL.match(label):
            found = dates.find_dates(value)
            if found and found[0].value and _looks_like_full_date(found[0].text):
                return found[0].value
    for cue in [*_DOB_INLINE.finditer(text[:2000]), *_BORN_INLINE.finditer(text[:300])]:
        found = dates.find_dates(text[cue.end() : cue.end() + 30])
        if found and found[0].value and _looks_like_full_date(found[0].text):
            return found[0].value
    return None


def detect_child_age(text: str, ref: date | None, birth_date: date | None = None) -> int | None:
    for label, value, _ in _fields(text, 2000):
        if _AGE_LABEL.match(label):
            m = re.match(r"\s*(\d{1,2})\b( ?(months?|mths?|weeks?|days?)\b)?", value, re.IGNORECASE)
            if m and m.group(2):
                return 0 if not m.group(3).lower().startswith("m") else int(m.group(1)) // 12
            if m and int(m.group(1)) <= 25:
                return int(m.group(1))
    if birth_date and ref:
        age = _age_on(birth_date, ref)
        if 0 <= age <= 25:
            return age
    m = _AGE_HEADER.search(text[:300]) or _AGE_TEXT.search(text[:3000])
    if m:
        age = int(next(g for g in m.groups() if g))
        if age <= 25:
            return age
    return None


def _age_on(born: date, ref: date) -> int:
    return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))


def read_facts(
    text: str,
    *,
    doc_type: str | None = None,
    date_: date | None = None,
    child_name: str | None = None,
    child_age: int | None = None,
    next_review: dt.date | None = None,
) -> Facts:
    """Facts for the record; given values win over detected ones."""
    given = doc_type is not None
    doc_type = doc_type or detect_doc_type(text)
    name = child_name or detect_child_name(text)
    record_date = date_ or detect_date(text, doc_type)
    birth_date = detect_birth_date(text)
    return Facts(
        doc_type=doc_type,
        doc_type_given=given,
        date_given=date_ is not None,
        child_age_given=child_age is not None,
        next_review_given=next_review is not None,
        date=record_date,
        child_name=name,
        child_initials=child_initials(text, name),
        child_age=child_age if child_age is not None else detect_child_age(text, record_date, birth_date),
        next_review=next_review or detect_next_review(text, record_date, doc_type),
        birth_date=birth_date,
        school_holidays=read_school_holidays(text, record_date),
    )
