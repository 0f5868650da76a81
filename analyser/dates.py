"""Find and resolve dates and deadline phrases in English (UK) social-care text.

Everything is rule based and offline: regular expressions compiled once at import, the standard
library's calendar arithmetic, and the ``holidays`` package for England & Wales bank holidays.

UK conventions throughout: numeric dates are day-first (02/11/2024 is 2 November 2024), two-digit
years are 20xx, a month on its own means the last day of that month, and a date without a year is
the next occurrence on or after the reference date (the record's date).

Kinds of :class:`DateMention`:

- ``absolute``: a calendar date ("by 15 March 2024", "w/c 4th March", "by the end of June").
- ``relative``: a period counted from the record's date ("within 4 weeks", "by the end of next week").
- ``review``: tied to the next review ("before the next LAC review"); resolves to the next review
  date when the record gives one.
- ``recurring``: a frequency ("every two weeks", "fortnightly"); no single date.
- ``open``: no end ("until further notice", "from now on").
- ``vague``: reserved for the caller's vague-timescale lexicon (see :func:`find_vague_timescales`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar

import holidays

__all__ = [
    "DateMention",
    "add_working_days",
    "find_dates",
    "find_deadline",
    "find_vague_timescales",
    "long_date",
    "parse_date",
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or deadline phrase found in a text."""

    start: int  # char offsets into the text passed in
    end: int
    text: str
    value: date | None  # resolved date, None when it cannot be resolved
    # "absolute" | "relative" | "review" | "recurring" | "vague" | "open" | "calendar" (a school-calendar
    # point the record does not date: "by half-term", "before the end of the summer term")
    kind: str


# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
# Month names that are also everyday words ("you may", "march", "mar"): lower-case, they only count
# as months when a day, an ordinal or a year makes the date obvious.
_AMBIGUOUS_MONTHS = frozenset({"may", "mar", "march"})
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

_ONES = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_NUMBER_WORDS: dict[str, int] = {word: i + 1 for i, word in enumerate(_ONES)}
for _tens_word, _tens_value in _TENS.items():
    _NUMBER_WORDS[_tens_word] = _tens_value
    for _i, _unit_word in enumerate(_ONES[:9]):
        _NUMBER_WORDS[f"{_tens_word}-{_unit_word}"] = _tens_value + _i + 1

# "twenty-four" / "twenty four" before "twenty"; a short alternation keeps the scan fast.
_NUM_WORDS_RE = (
    rf"(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_ONES[:9])})\b)?"
    rf"|{'|'.join(sorted(_ONES, key=len, reverse=True))}"
)
_NUM = rf"(?:\d{{1,3}}|{_NUM_WORDS_RE})\b"  # a count: "6", "six", "twenty-four"
_NUM_A = rf"(?:{_NUM}|an?\b)"  # a count that may also be "a"/"an" ("within a month")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WD_FULL = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Abbreviated weekdays only when capitalised: "sat", "wed" and "sun" are ordinary words.
_WD = rf"(?:{_WD_FULL}|(?-i:Mon|Tues?|Weds?|Thu(?:rs?)?|Fri|Sat|Sun)\.?)"
_Y4 = r"(?:19|20)\d{2}(?!\d)"
# "Sept. 2024": an abbreviation's full stop belongs to the date only when a number follows;
# otherwise it ends the sentence.
_ABBR_DOT = r"(?:\.(?=\s*['’]?\d))?"
# Not glued to a word, an amount, a decimal, a path or a time ("£50", "3.5", "10:30").
_NOT_GLUED = r"(?<![\w£$€./:])"

_FLAGS = re.IGNORECASE | re.VERBOSE
_T = TypeVar("_T")


# --------------------------------------------------------------------------------------------------
# Absolute date patterns
# --------------------------------------------------------------------------------------------------

# "2nd November 2024", "Friday 12th July", "the 3rd of May", "15-Mar-24", "16 and 17 April 2024".
_DAY_FIRST = re.compile(
    rf"""{_NOT_GLUED}
    (?:(?P<wd>{_WD}),?\s+)?
    (?:the\s+)?
    (?:(?P<day0>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|—|to|and|&)\s*)?
    (?P<day>\d{{1,2}})(?P<ord>st|nd|rd|th)?
    (?:\s+(?P<of>of)\s+|\s*-\s*|\s+)
    (?P<mon>{_MONTH})\b{_ABBR_DOT}
    (?:(?:\s*,\s*|\s*-\s*|\s+)(?P<y4>{_Y4})
      |-(?P<y2>\d{{2}})\b(?![.:]\d)
      |\s+(?P<ya>['’]\d{{2}})(?!\d))?
    """,
    _FLAGS,
)
# "March 15th", "May 3, 2024", "Friday, March 15th".
_MONTH_FIRST = re.compile(
    rf"""{_NOT_GLUED}
    (?:(?P<wd>{_WD}),?\s+)?
    (?P<mon>{_MONTH})\b{_ABBR_DOT}\s+(?:the\s+)?
    (?P<day>\d{{1,2}})(?P<ord>st|nd|rd|th)?\b(?![.:]\d|\s*%)
    (?:,?\s+(?P<y4>{_Y4}))?
    """,
    _FLAGS,
)
# "June 2025", "end of June", "mid-March", "the start of September 2024", "June" (with context).
_MONTH_ONLY = re.compile(
    rf"""{_NOT_GLUED}
    (?:(?:the\s+)?(?:very\s+)?(?P<edge>end|close|start|beginning|middle)\s+(?:of\s+)?(?:the\s+month\s+of\s+)?
      |(?P<adj>mid|early|late)(?:\s*-\s*|\s+))?
    (?P<mon>{_MONTH})\b{_ABBR_DOT}
    (?!['’]s\b)
    (?:(?:\s*,\s*|\s+)(?P<y4>{_Y4})|\s+(?P<ya>['’]\d{{2}})(?!\d))?
    """,
    _FLAGS,
)
# "the end of 2024".
_YEAR_END = re.compile(rf"{_NOT_GLUED}(?:the\s+)?(?:very\s+)?end\s+of\s+(?P<y4>{_Y4})", _FLAGS)
# "02/11/2024", "31.03.25", "15-03-2024": always day-first.
_NUM_DMY = re.compile(
    r"(?<![\w./-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d|[./-]\d)"
)
# "2024-03-15", "2024/03/15": year first is unambiguous.
_NUM_YMD = re.compile(
    rf"(?<![\w./-])(?P<y>{_Y4})(?P<sep>[/.\-])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?!\d|[./-]\d)"
)
# "15/03" (no year): only after a deadline word, and not a fraction or a count ("on 2/3 occasions").
_NUM_DM = re.compile(
    r"""(?<![\w./-])(?P<d>\d{1,2})/(?P<m>\d{1,2})
    (?!\d|/|[.:]\d|\s*%|\s+(?:occasions?|times?|of|days?|weeks?|months?|years?|hours?|visits?|sessions?
       |children|people|nights?)\b)""",
    _FLAGS,
)
# "by the 15th" (day of month only): only after a deadline word and at the end of a clause.
_DAY_ONLY = re.compile(
    r"""(?<![\w£$€./:])(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)\b
    (?:\s+of\s+(?:the|this)\s+month)?
    (?=\s*(?:[.,;:!?)\]|]|$)|\s+(?:at|and|or|when|so|if)\b)""",
    _FLAGS,
)
# "by Christmas", "before Easter 2025"; not "the Christmas holidays" (school-specific).
_FESTIVAL = re.compile(
    rf"""(?<!\w)
    (?P<name>christmas(?:\s+(?:day|eve))?|boxing\s+day|new\s+year['’]?s\s+(?:day|eve)
      |easter(?:\s+(?:sunday|monday))?)\b
    (?!['’]s\b|\s+(?:holidays?|hols|break|period|term|party|presents?|gifts?|time)\b)
    (?:\s+(?P<y4>{_Y4}))?
    """,
    _FLAGS,
)
_SECTION_BEFORE = re.compile(
    r"\b(?:section|s|para|paragraph|regulation|reg|page|p|version|v|ref|tel|phone|no)\.?\s*\Z", re.IGNORECASE
)

# Words that introduce a date in an action. The first group (by/before/within and friends) marks the
# deadline proper; the others still beat a bare date. Longest alternatives first.
_INTRO_BY = (
    r"by\s+no\s+later\s+than|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|prior\s+to"
    r"|in\s+advance\s+of|ahead\s+of|in\s+time\s+for|due\s+(?:by|before)|by|before|within"
)
# Labels and week markers may be followed by a colon ("Deadline: 15/03/2024", "w/c: 4 March").
_INTRO_LABEL = (
    r"(?:(?:by|before|during|in|from|on|for)\s+(?:the\s+)?)?"
    r"(?:w/c|w/b|w\.c\.?|w\.b\.?|week\s+(?:commencing|beginning|starting|of))"
    r"|due(?:\s+(?:on|for|date))?|deadline(?:\s+date)?|target\s+date|completion\s+date"
)
# Ordinary prepositions: never before a colon ("looked after: 31 October" is a label, not "after").
_INTRO_OTHER = r"on\s+or\s+after|on|from|at|in|until|till|til|starting|commencing|beginning|after|during|for"
_INTRO_ANY = rf"{_INTRO_BY}|{_INTRO_LABEL}|{_INTRO_OTHER}"
_PREFIX = re.compile(
    rf"""(?<![\w/])(?:(?P<intro>{_INTRO_BY}|{_INTRO_LABEL})\s*[:\-–]?\s*|(?P<intro2>{_INTRO_OTHER})\s+)
    (?:(?:the|this|next|coming)\s+)?\Z""",
    _FLAGS,
)
_START_INTROS = frozenset({"from", "starting", "commencing", "beginning", "after", "on or after"})
_BY_INTRO = re.compile(rf"(?:{_INTRO_BY})\b", re.IGNORECASE)  # "by", "by w/c", "no later than", ...
# Extra words that make a bare month name a month ("next June", "the month of May").
_MONTH_CONTEXT = re.compile(
    rf"""(?<![\w/])(?:{_INTRO_ANY}|since|next|this|over|through|throughout
    |month\s+of|(?:start|end|middle|beginning)\s+of|early|late|mid)\s*[:\-–]?\s*(?:the\s+)?\Z""",
    _FLAGS,
)
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?\Z", re.IGNORECASE)
_SAFE_FRACTION_BEFORE = re.compile(
    r"\b(?:reduc|increas|improv|decreas|ris|fall|fell|drop|cut|grow|grew|multipl|divid)\w*\s+by\s*\Z",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------------
# Relative, review, recurring and open patterns
# --------------------------------------------------------------------------------------------------

# What may follow "in a week" / "in a month" for it to be a period rather than "in a day centre".
_CLAUSE_END = re.compile(r"\s*(?:[.,;:!?)\]|]|$)|\s+(?:and|or|to|so|then|if|when)\b", re.IGNORECASE)
_PER_PERIOD = re.compile(r"\s+(?:a|per|each|every)\s", re.IGNORECASE)
_NOT_A_PERIOD_AFTER = re.compile(r"\s*\d|\s+old\b", re.IGNORECASE)
_UNIT = r"(?P<unit>hours?|hrs?|days?|weeks?|fortnights?|months?|years?|yrs?)"
# "within 4 weeks", "in two weeks' time", "within the next 3 months", "within 10 working days".
_WITHIN = re.compile(
    rf"""(?<![\w/])
    (?P<prep>within|inside(?:\s+of)?|in|over|during|for)\s+
    (?P<next>(?:the\s+)?(?:next|coming|following)\s+)?
    (?:(?P<num>{_NUM_A})(?:\s*(?:-|–|to|or)\s*(?P<num2>{_NUM}))?(?:\s*-\s*|\s+))?
    (?P<qual>(?:working|business|school|calendar|clear|full)\s+)?
    {_UNIT}\b
    (?P<tail>['’]s?\s+time\b|['’]s?|\s+time\b)?
    """,
    _FLAGS,
)
# "within 72 hours of any missing episode": counted from an event, not from the record's date.
_EVENT_ANCHOR = re.compile(
    r"""\s+(?:of|after|following)\s+(?:(?:any|each|every|a|an)\s+[\w'’-]+|[a-z]+ing\b)(?:\s+[\w'’-]+){0,2}?
    (?=\s*(?:[.,;:!?)\]|]|$)|\s+(?:and|or|to|so|if|when|with|by|at|in|on|for|from|is|are|was|because
       |as|unless|until|while|where|which|who|that|but)\b)""",
    _FLAGS,
)
# Without a clause boundary in sight, the anchor is taken to be one word ("of any episode ...").
_EVENT_ANCHOR_SHORT = re.compile(
    r"\s+(?:of|after|following)\s+(?:(?:any|each|every|a|an)\s+[\w'’-]+|[a-z]+ing\b)", _FLAGS
)
# "10 working days from the date of this review", "6 weeks from now".
_FROM_NOW = re.compile(
    rf"""(?<![\w/])
    (?P<num>{_NUM_A})(?:\s*-\s*|\s+)
    (?P<qual>(?:working|business|school|calendar|clear|full)\s+)?
    {_UNIT}\b\s+(?:from|after|of)\s+
    (?:now|today|(?:the\s+)?(?:date\s+of\s+)?(?:this|the|today['’]s)\s+
      (?:plan|review|meeting|visit|report|conference|assessment))\b
    """,
    _FLAGS,
)
# A "By when" table cell may hold just "Sundays"; in a sentence ("move contact to Saturdays") a
# plural weekday needs "on" to be a frequency.
_BARE_WEEKDAYS = re.compile(rf"{_WD_FULL}s(?:\s+(?:and|&)\s+{_WD_FULL}s)?", re.IGNORECASE)
# A "By when" table cell may hold just "4 weeks" or "10 working days".
_BARE_PERIOD = re.compile(
    rf"""(?P<num>{_NUM_A})(?:\s*-\s*|\s+)
    (?P<qual>(?:working|business|school|calendar|clear|full)\s+)?{_UNIT}""",
    _FLAGS,
)
# "by the end of the month", "by the end of next week", "by next week", "next month".
_PERIOD = re.compile(
    r"""(?<![\w/])
    (?:(?P<prep>by|before|until|till|during|in|within|for|on|at|from)\s+)?
    (?:(?:the\s+)?(?:very\s+)?(?P<edge>end|close|start|beginning|middle)\s+of\s+)?
    (?:(?P<which>the\s+following|the\s+coming|this|next|the|coming|following)\s+)?
    (?P<per>(?:working\s+|school\s+|calendar\s+)?(?:weekend|week|month|year|day))\b
    (?P<after>\s+after\s+next\b)?
    (?!['’]s|\s*\d)
    """,
    _FLAGS,
)
_TODAY = re.compile(
    r"""(?<![\w/])
    (?:(?P<prep>by|before|until|till|from|on|for)\s+)?
    (?:(?:the\s+)?end\s+of\s+)?
    (?P<word>(?:the\s+)?day\s+after\s+tomorrow|tomorrow|today|tonight)\b
    (?!['’]s)
    """,
    _FLAGS,
)
# "by Friday", "next Tuesday"; a weekday followed by a day number is an absolute date instead.
_WEEKDAY_REL = re.compile(
    rf"""(?<![\w/])
    (?P<prep>by|before|on|until|till|from|this|next|coming|for)\s+
    (?:(?P<mod>this|next|coming|the\s+following)\s+)?
    (?P<wd>{_WD_FULL})\b
    (?!['’]s|\s*,?\s*(?:the\s+)?\d)
    """,
    _FLAGS,
)
# "before the next review", "by Amira's next LAC review", "at the next review meeting".
_REVIEW_BODY = r"""
    (?:(?:the\s+)?(?:time|date|day)\s+of\s+)?
    (?:(?P<det>
         (?:the\s+(?:subject\s+)?)?(?:child|young\s+person|(?-i:[A-Z][a-zA-Z]+(?:-[A-Z][a-zA-Z]+)?))
           (?:['’]s|['’])
       |the|his|her|their|your|my|our)\s+)?
    (?:(?P<mod>next|forthcoming|upcoming|following|coming|subsequent|first|1st)\s+)?
    (?P<qual>(?:LAC|CLA|CiC|LAAC|IRO|statutory|child(?:ren)?\s+looked[\s-]after
       |looked[\s-]after(?:\s+child(?:ren)?)?|child(?:ren)?\s+in\s+care|care\s+plan|pathway\s+plan
       |PEP|personal\s+education\s+plan|health|child\s+protection|CP|placement|permanence)
       (?:['’]s)?\s+)?
    (?:review(?:\s+(?:meeting|conference|date))?|meeting)\b
"""
# "bring his sleep diary to the next review": due then ("to the review" alone may be the last one).
_REVIEW = re.compile(rf"(?<![\w/])(?P<prep>{_INTRO_BY}|at|until|till|for|on|in|to(?=\s+(?:the|your|his|her|their)\s+next\b))\s+{_REVIEW_BODY}", _FLAGS)
# A "By when" table cell may hold just "Next review".
_REVIEW_BARE = re.compile(_REVIEW_BODY, _FLAGS)
# Reviews of something other than the child's statutory review: the record's next review date
# says nothing about them.
_OTHER_REVIEWS = frozenset(
    {"pep", "personal education plan", "health", "child protection", "cp", "placement", "permanence"}
)
# Joins a review phrase to a date that names it: "by the next review on 4 September 2024".
_REVIEW_LINK = re.compile(
    r"\s*(?:[,(–—-]\s*)?(?:(?:which\s+is\s+|scheduled\s+|booked\s+|set\s+|due\s+|planned\s+)?"
    r"(?:on|in|for|of)\s+)?",
    re.IGNORECASE,
)
_FREQ_UNIT = (
    r"(?:school\s+days?|working\s+days?|week\s*days?|weekends?|days?|weeks?|fortnights?|months?"
    r"|half[\s-]terms?|terms?|years?|mornings?|afternoons?|evenings?|nights?)"
)
_RECURRING = re.compile(
    rf"""(?<![\w/])(?:at\s+least\s+)?(?:
      (?:every|each)\s+(?:other\s+|alternate\s+|second\s+|third\s+|fourth\s+|single\s+)?
        (?:{_NUM}(?:\s*(?:-|–|to|or)\s*{_NUM})?\s+)?
        (?:{_FREQ_UNIT}|{_WD_FULL}s?)(?:\s+(?:morning|afternoon|evening|night)s?)?
        (?:\s+(?:after|before)\s+school)?
      |(?:\d\s*x\s*|{_NUM}[\s-]+|bi-?|twice[\s-]+|three\s+times\s+)?
        (?:daily|weekly|fortnightly|monthly|termly|half[\s-]termly|yearly|annually|quarterly|nightly)
        # "in the daily log", "the weekly planner": a record's name, not how often anything happens
        (?!\s+(?:log|logs|diary|diaries|record|records|recording|notes|sheet|sheets|chart|charts|planner|routine|
                 routines|timetable|newsletter|report|reports|living|life|tasks|activities|care)\b)
      |(?:once|twice|thrice|{_NUM}\s+times|\d\s*x)\s+(?:a|per|each|every)\s+{_FREQ_UNIT}
      |{_NUM}\s+(?:mornings|afternoons|evenings|nights|lunchtimes|sessions)\s+(?:a|per|each|every)\s+(?:week|fortnight|month)
      |{_NUM}\s+(?:evening\s+|morning\s+)?(?:meals?|sessions?|visits?|calls?|lessons?)\s+(?:a|per|each|every)\s+(?:week|fortnight|month)
      |on\s+{_WD_FULL}\s+(?:mornings|afternoons|evenings|nights|lunchtimes)
      |{_WD}\s*(?:&|and|/)\s*{_WD}\s+(?:mornings|afternoons|evenings|nights|lunchtimes)
      |on\s+{_WD_FULL}s(?:\s+(?:and|&)\s+{_WD_FULL}s)?
      |(?:at|on)\s+(?:the\s+)?weekends
      |(?:on|every)\s+school\s+(?:nights|days|mornings)  # "for an hour on school nights"
      |(?:at|on|during|before|after|ahead\s+of)\s+(?:every|each)\s+(?:visit|meeting|session|appointment|review|supervision|contact)s?
      |(?:on\s+)?(?:the\s+)?(?:first|last|second|third|fourth|1st|2nd|3rd|4th)\s+{_WD_FULL}\s+(?:of\s+)?(?:every|each)\s+(?:month|term|half[\s-]term)
    )\b""",
    _FLAGS,
)
_OPEN = re.compile(
    r"""(?<![\w/])(?:
      (?:until|till)\s+further\s+notice
      |from\s+now\s+on(?:wards)?
      |from\s+(?:today|this\s+point|this\s+date)\s+(?:on(?:wards)?|forwards?)
      |with\s+immediate\s+effect
      |indefinitely
    )\b""",
    _FLAGS,
)
# "parse_date('by 15 March')": the phrase may carry its preposition.
_LEADING_INTRO = re.compile(rf"(?:{_INTRO_ANY})\s*[:\-–]?\s+", re.IGNORECASE)

# Cheap substring cues: a pattern family only runs when its cue words occur in the lower-cased text.
# Most sentences have no date at all, and `in` on a str is far cheaper than a regex scan.
_HAS_DIGIT = re.compile(r"\d").search
_CUES_MONTH = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_CUES_FESTIVAL = ("christmas", "easter", "boxing", "new year")
_CUES_UNIT = ("hour", "hr", "day", "week", "fortnight", "month", "year", "yr")
_CUES_TODAY = ("today", "tomorrow", "tonight")
_CUES_WEEKDAY = tuple(_WEEKDAYS)
_CUES_RECURRING = (
    "every", "each", "daily", "weekly", "nightly", "monthly", "termly", "yearly", "annually",
    "quarterly", "times", "once", "twice", "thrice", "days", "weekends", "x a", "x per", "a week", "per week", "a fortnight", "a month", "mornings", "afternoons",
    "evenings", "nights",
)  # fmt: skip
_CUES_OPEN = ("further notice", "now on", "onward", "forward", "immediate effect", "indefinitely")


def _has_any(low: str, cues: tuple[str, ...]) -> bool:
    for cue in cues:  # a plain loop: this runs for every sentence
        if cue in low:
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------------


def _as_date(value: object) -> date | None:
    """A plain ``date`` from a date or datetime (comparing the two raises), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _day_exists(month: int, day: int) -> bool:
    """Whether day/month exists in some year (29 February does, 31 April does not)."""
    return 1 <= month <= 12 and 1 <= day <= _last_day(2000, month)


def _plus_days(start: date, days: int) -> date | None:
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return None


def _add_months(start: date, months: int) -> date | None:
    """Same day ``months`` later, clamped to the end of a shorter month (31 Jan + 1 = 29 Feb)."""
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        return None
    return date(year, month0 + 1, min(start.day, _last_day(year, month0 + 1)))


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of a shorter month (review timescales use it)."""
    moved = _add_months(start, months)
    if moved is None:
        raise ValueError(f"{start} plus {months} months is out of range")
    return moved


def _resolve(
    year: int | None, month: int, day: int | None, ref: date | None, prefer_future: bool
) -> date | None:
    """The date for day/month[/year]; ``day`` None means the month's last day.

    Without a year: ref's year, or the first later year where the date exists and (if
    ``prefer_future``) does not fall before ref.
    """
    if year is not None:
        return _make_date(year, month, _last_day(year, month) if day is None else day)
    if ref is None:
        return None
    for candidate_year in range(ref.year, min(ref.year + 9, 10000)):
        dd = _last_day(candidate_year, month) if day is None else day
        candidate = _make_date(candidate_year, month, dd)
        if candidate is None or (prefer_future and candidate < ref):
            continue
        return candidate
    return None


def _easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=512)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """``start`` + ``n`` working days, skipping weekends and England & Wales bank holidays.

    ``start`` itself is not counted: Friday + 1 working day is the next Monday (or Tuesday after a
    bank holiday Monday). ``n`` = 0 returns ``start``; a negative ``n`` counts backwards. Bank
    holidays include substitute days ("Christmas Day (observed)") and one-off holidays.
    """
    day = _as_date(start)
    if day is None:
        raise TypeError(f"start must be a date, not {type(start).__name__}")
    step = 1 if n >= 0 else -1
    remaining = abs(int(n))
    while remaining:
        day += timedelta(days=step)
        if _is_working_day(day):
            remaining -= 1
    return day


def _safe_working_days(start: date, n: int) -> date | None:
    try:
        return add_working_days(start, n)
    except (OverflowError, ValueError):
        return None


def _end_of_week(monday: date) -> date:
    """Friday: in a plan "the end of the week" means the end of the working week."""
    return monday + timedelta(days=4)


# --------------------------------------------------------------------------------------------------
# Absolute dates
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    value: date | None


def _month_number(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _is_ambiguous_lower(token: str) -> bool:
    """A lower-case "may"/"march"/"mar", which is more likely a verb than a month."""
    return token.rstrip(".").lower() in _AMBIGUOUS_MONTHS and token[:1].islower()


def _year_from(y4: str | None, short: str | None) -> int | None:
    if y4:
        return int(y4)
    if short:
        return 2000 + int(short.lstrip("'’"))
    return None


def _intro_before(text: str, start: int) -> re.Match[str] | None:
    """The deadline word ("by", "no later than", "w/c", ...) right before ``start``, if any."""
    return _PREFIX.search(text, max(0, start - 48), start)


def _followed_by_clause_end(text: str, end: int) -> bool:
    rest = text[end : end + 2]
    return not rest.strip() or rest.lstrip()[:1] in ".,;:!?)]|"


def _iter_day_first(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _DAY_FIRST.finditer(text):
        mon_token = m["mon"]
        month, day = _month_number(mon_token), int(m["day"])
        year = _year_from(m["y4"], m["y2"] or m["ya"])
        if strict and _is_ambiguous_lower(mon_token) and not (m["ord"] or m["of"] or year):
            continue  # "all 3 may attend"
        if m["day0"] and not 1 <= int(m["day0"]) <= 31:
            continue
        if not _day_exists(month, day):
            continue
        value = _resolve(year, month, day, ref, future)
        if year is not None and value is None:
            continue  # 29 February 2023
        yield _Span(m.start(), m.end(), value)


def _iter_month_first(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _MONTH_FIRST.finditer(text):
        mon_token = m["mon"]
        if strict:
            if mon_token.rstrip(".").lower() in _AMBIGUOUS_MONTHS and mon_token[:1].islower():
                continue  # "they may 3 times..."
            # American order is rare in UK records: accept it only when it cannot be a count.
            if not (m["ord"] or m["y4"] or _followed_by_clause_end(text, m.end())):
                continue
        month, day = _month_number(mon_token), int(m["day"])
        year = _year_from(m["y4"], None)
        if not _day_exists(month, day):
            continue
        value = _resolve(year, month, day, ref, future)
        if year is not None and value is None:
            continue
        yield _Span(m.start(), m.end(), value)


_HOLIDAY_AFTER = re.compile(r"\s+(?:school\s+)?(?:half[- ]term|holidays?)\b", re.IGNORECASE)


def _iter_month_only(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _MONTH_ONLY.finditer(text):
        mon_token = m["mon"]
        year = _year_from(m["y4"], m["ya"])
        qualified = bool(m["edge"] or m["adj"])
        if strict and year is None and not qualified:
            # A bare month name needs a lead-in ("by June", "in March") and, for May/March, a
            # capital letter: "you may want to" is not a date.
            if mon_token[:1].islower() and mon_token.rstrip(".").lower() in _AMBIGUOUS_MONTHS:
                continue
            if not _MONTH_CONTEXT.search(text, max(0, m.start() - 48), m.start()):
                continue
            # "Ibrahim's timetable for September" names a month; it sets no deadline.
            if re.search(r"\bfor\s+(?:the\s+)?\Z", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE):
                continue
        # "by the May half-term", "the October holidays": a school holiday named by its month, not the month's end
        # (facts.read_school_holidays dates it when the record does).
        if year is None and not qualified and _HOLIDAY_AFTER.match(text, m.end()):
            continue
        position = (m["edge"] or m["adj"] or "end").lower()
        day: int | None = None  # the month's last day
        if position in ("start", "beginning", "early"):
            day = 1
        elif position in ("middle", "mid"):
            day = 15
        value = _resolve(year, _month_number(mon_token), day, ref, future)
        yield _Span(m.start(), m.end(), value)


def _iter_year_end(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _YEAR_END.finditer(text):
        yield _Span(m.start(), m.end(), date(int(m["y4"]), 12, 31))


def _numeric_context_ok(text: str, start: int) -> bool:
    """False for section, page and reference numbers that look like dates ("section 2.5.24")."""
    return not _SECTION_BEFORE.search(text, max(0, start - 16), start)


def _iter_numeric(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _NUM_DMY.finditer(text):
        raw_year = m["y"]
        year = int(raw_year) if len(raw_year) == 4 else 2000 + int(raw_year)
        if not 1900 <= year <= 2099 or (strict and not _numeric_context_ok(text, m.start())):
            continue
        value = _make_date(year, int(m["m"]), int(m["d"]))
        if value is not None:
            yield _Span(m.start(), m.end(), value)
    for m in _NUM_YMD.finditer(text):
        if strict and not _numeric_context_ok(text, m.start()):
            continue
        value = _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if value is not None:
            yield _Span(m.start(), m.end(), value)
    for m in _NUM_DM.finditer(text):
        day, month = int(m["d"]), int(m["m"])
        if not _day_exists(month, day) or (not strict and m.group() == "24/7"):
            continue  # alone, "24/7" means round the clock; "by 24/7" is 24 July
        if strict and (
            not _intro_before(text, m.start())
            or _SAFE_FRACTION_BEFORE.search(text, max(0, m.start() - 32), m.start())
        ):
            continue  # "reduced by 1/2"
        yield _Span(m.start(), m.end(), _resolve(None, month, day, ref, future))


def _iter_day_only(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _DAY_ONLY.finditer(text):
        day = int(m["day"])
        if not 1 <= day <= 31 or (strict and not _intro_before(text, m.start())):
            continue
        value: date | None = None
        if ref is not None:
            # This month if the day is still to come, else the next month that has that day.
            for offset in range(4):
                first = _add_months(ref.replace(day=1), offset)
                if first is None:
                    break
                candidate = _make_date(first.year, first.month, day)
                if candidate is not None and (candidate >= ref or not future):
                    value = candidate
                    break
        yield _Span(m.start(), m.end(), value)


def _festival_date(name: str, year: int) -> date:
    key = " ".join(name.lower().replace("’", "'").split())
    if key.startswith("easter"):
        return _easter_sunday(year) + timedelta(days=1 if key.endswith("monday") else 0)
    fixed = {
        "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
        "boxing day": (12, 26), "new year's day": (1, 1), "new years day": (1, 1),
        "new year's eve": (12, 31), "new years eve": (12, 31),
    }  # fmt: skip
    month, day = fixed.get(key, (12, 25))
    return date(year, month, day)


def _iter_festival(text: str, ref: date | None, future: bool, strict: bool) -> Iterator[_Span]:
    for m in _FESTIVAL.finditer(text):
        if strict and not _intro_before(text, m.start()):
            continue
        value: date | None = None
        if m["y4"]:
            value = _festival_date(m["name"], int(m["y4"]))
        elif ref is not None and ref.year < 9999:
            value = _festival_date(m["name"], ref.year)
            if future and value < ref:
                value = _festival_date(m["name"], ref.year + 1)
        yield _Span(m.start(), m.end(), value)


_ABSOLUTE_FORMS: tuple[Callable[[str, date | None, bool, bool], Iterator[_Span]], ...] = (
    _iter_numeric,
    _iter_day_first,
    _iter_month_first,
    _iter_month_only,
    _iter_year_end,
    _iter_day_only,
    _iter_festival,
)


def _drop_overlaps(
    items: Iterable[_T],
    span: Callable[[_T], tuple[int, int]],
    priority: Callable[[_T], tuple[Any, ...]],
) -> list[_T]:
    """Keep the highest-priority items that do not overlap each other, in text order."""
    kept: list[_T] = []
    taken: list[tuple[int, int]] = []
    for item in sorted(items, key=priority, reverse=True):
        s, e = span(item)
        if all(e <= ts or s >= te for ts, te in taken):
            kept.append(item)
            taken.append((s, e))
    return sorted(kept, key=lambda it: span(it))


def _absolute_forms(text: str) -> list[Callable[[str, date | None, bool, bool], Iterator[_Span]]]:
    """The absolute-date forms that could match ``text`` at all, judged from cheap cues."""
    low = text.lower()
    digit = _HAS_DIGIT(text) is not None
    forms: list[Callable[[str, date | None, bool, bool], Iterator[_Span]]] = []
    if digit:
        forms += (_iter_numeric, _iter_day_only, _iter_year_end)
    if _has_any(low, _CUES_MONTH):
        forms += (_iter_day_first, _iter_month_first, _iter_month_only)
    if _has_any(low, _CUES_FESTIVAL):
        forms.append(_iter_festival)
    return forms


def _scan_absolute(text: str, ref: date | None, future: bool, strict: bool = True) -> list[_Span]:
    """Every absolute date in ``text``: the longest reading wins where forms overlap."""
    spans = [s for form in _absolute_forms(text) for s in form(text, ref, future, strict)]
    return _drop_overlaps(spans, lambda s: (s.start, s.end), lambda s: (s.end - s.start, -s.start))


def long_date(value: date | str | None) -> str:
    """2025-03-18 -> '18 March 2025': the one style of every date caseqa writes for people ('' for none)."""
    if value is None or value == "":
        return ""
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {d.strftime('%B %Y')}"


def parse_date(text: str, ref: date | None = None, *, prefer_future: bool = True) -> date | None:
    """Parse one date expression into a date, or None.

    Accepts e.g. '02/11/2024', '2nd November 2024', '15 March', 'end of June 2025', '31.03.25',
    '2024-03-15', 'Friday 12th July', 'the 3rd of May', 'June 2025', and the same with a leading
    preposition ('by 15 March'). Numeric dates are DAY-FIRST (02/11/2024 is 2 November 2024).
    Two-digit years are 20xx. When the year is missing, ref's year is used, moving to the next
    year if ``prefer_future`` and the date would fall before ref; with no ref a year-less date
    gives None. Month-only ('June 2025', 'end of June') resolves to the last day of that month,
    'start of June' to the 1st and 'mid-June' to the 15th. Invalid dates (31/02/2024) give None.
    """
    if not isinstance(text, str):
        return None
    ref = _as_date(ref)
    expression = text.strip().rstrip(" \t\n.,;:)]")
    if not expression or len(expression) > 200:
        return None
    candidates = [expression]
    lead = _LEADING_INTRO.match(expression)
    if lead and lead.end() < len(expression):
        candidates.append(expression[lead.end() :])  # "by 15 March"; but "beginning of June" whole
    for candidate in candidates:
        for form in _ABSOLUTE_FORMS:
            for span in form(candidate, ref, prefer_future, False):
                if span.start == 0 and span.end == len(candidate):
                    return span.value
    return None


def find_dates(text: str, ref: date | None = None) -> list[DateMention]:
    """Every absolute date expression in ``text``, non-overlapping, in order (kind "absolute").

    Finds numeric dates (day-first), written dates with or without a weekday ('Friday 12th July',
    'the 3rd of May', '2nd November 2024'), month-year ('June 2025'), qualified months ('end of
    June', 'mid-March') and, after a word such as 'by'/'in'/'before', a bare month ('by June').
    Year-less dates resolve to their next occurrence on or after ``ref`` (value None without
    ``ref``). Numbers that are not dates (percentages, ages, money, times, counts) are ignored.
    """
    if not isinstance(text, str) or not text:
        return []
    ref = _as_date(ref)
    return [
        DateMention(s.start, s.end, text[s.start : s.end], s.value, "absolute")
        for s in _scan_absolute(text, ref, True)
    ]


# --------------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------------

# Tie-breaks between phrases of the same tier: a date beats "before the next review", which beats a
# start date ("monthly, starting 6 May" is due on 6 May), which beats a frequency, which beats
# "until further notice".
_RANK_DATE, _RANK_REVIEW, _RANK_START, _RANK_RECURRING, _RANK_OPEN = 4, 3, 2, 1, 0


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    value: date | None
    kind: str
    tier: int  # 2: by/before/within...; 1: another lead-in or a phrase that stands alone; 0: bare
    rank: int
    solid: bool = False  # names a calendar date: wins when phrases overlap


def _norm(words: str | None) -> str:
    return " ".join(words.lower().split()) if words else ""


def _grade(intro: str, kind_rank: int = _RANK_DATE) -> tuple[int, int]:
    """(tier, rank) for a phrase introduced by ``intro`` ("" when it stands alone)."""
    intro = _norm(intro)
    if not intro:
        return 1, kind_rank
    if _BY_INTRO.match(intro):
        return 2, kind_rank
    if intro in _START_INTROS:
        return 1, min(kind_rank, _RANK_START)
    return 1, kind_rank


def _count(word: str | None) -> int | None:
    if not word:
        return None
    word = word.lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    return _NUMBER_WORDS.get(re.sub(r"[\s-]+", "-", word))


def _offset(doc_date: date, n: int, unit: str, qualifier: str) -> date | None:
    """doc_date + n units; working/school days skip weekends and bank holidays."""
    unit = unit.lower()
    if unit.startswith("h"):  # "within 24 hours": the next day, rounding up
        return _plus_days(doc_date, -(-n // 24))
    if unit.startswith("d"):
        if qualifier in ("working", "business", "school"):
            return _safe_working_days(doc_date, n)
        return _plus_days(doc_date, n)
    if unit.startswith("f"):
        return _plus_days(doc_date, 14 * n)
    if unit.startswith("w"):
        return _plus_days(doc_date, 7 * n)
    if unit.startswith("m"):
        return _add_months(doc_date, n)
    return _add_months(doc_date, 12 * n)


def _within_hits(text: str, doc_date: date | None) -> Iterator[_Hit]:
    for m in _WITHIN.finditer(text):
        prep = _norm(m["prep"])
        n = _count(m["num2"]) or _count(m["num"])
        if n is None:
            if not m["next"]:
                continue  # "within days", "in weeks": vague, the caller's lexicon handles those
            n = 1
        if prep in ("over", "during", "for") and not m["next"]:
            continue  # "over 6 weeks", "for 6 weeks" are durations, not deadlines
        rest = text[m.end() : m.end() + 24]
        if prep == "in":
            if _PER_PERIOD.match(rest):
                continue  # "in 2 days a week"
            if (
                m["num"]
                and m["num"].lower() in ("a", "an")
                and not m["next"]
                and not m["tail"]
                and not _CLAUSE_END.match(rest)
            ):
                continue  # "in a day centre", "in a year 6 class"
        if _NOT_A_PERIOD_AFTER.match(rest):
            continue  # "in year 6", "in 2 years old"
        value = _offset(doc_date, n, m["unit"], _norm(m["qual"])) if doc_date else None
        end = m.end()
        anchor = _EVENT_ANCHOR.match(text, end) or _EVENT_ANCHOR_SHORT.match(text, end)
        if anchor:
            end, value = anchor.end(), None  # no single date: it restarts with each event
        tier, rank = _grade(prep)
        yield _Hit(m.start(), end, value, "relative", tier, rank)


def _from_now_hits(text: str, doc_date: date | None) -> Iterator[_Hit]:
    for m in _FROM_NOW.finditer(text):
        n = _count(m["num"])
        if n is None:
            continue
        value = _offset(doc_date, n, m["unit"], _norm(m["qual"])) if doc_date else None
        start, intro = m.start(), ""
        lead = _intro_before(text, start)
        if lead:
            start, intro = lead.start(), (lead["intro"] or lead["intro2"])
        tier, rank = _grade(intro)
        yield _Hit(start, m.end(), value, "relative", tier, rank)


def _period_value(doc_date: date, which: str, per: str, edge: str, after_next: bool) -> date | None:
    nxt = 1 if which in ("next", "following", "the following", "the coming", "coming") else 0
    if after_next:
        nxt += 1
    per = per.split()[-1]
    if per == "day":
        return doc_date
    if per == "weekend":  # "this weekend": its Sunday; "next weekend": the Sunday after
        monday = doc_date - timedelta(days=doc_date.weekday()) + timedelta(weeks=nxt)
        return monday + timedelta(days=6)
    if per == "week":
        monday = doc_date - timedelta(days=doc_date.weekday()) + timedelta(weeks=nxt)
        if edge in ("start", "beginning"):
            return monday
        if edge == "middle":
            return monday + timedelta(days=2)
        return max(_end_of_week(monday), doc_date)
    if per == "month":
        first = _add_months(doc_date.replace(day=1), nxt)
        if first is None:
            return None
        if edge in ("start", "beginning"):
            return first
        if edge == "middle":
            return first.replace(day=15)
        return first.replace(day=_last_day(first.year, first.month))
    year = doc_date.year + nxt
    if year > 9999:
        return None
    if edge in ("start", "beginning"):
        return date(year, 1, 1)
    if edge == "middle":
        return date(year, 6, 30)
    return date(year, 12, 31)


def _period_hits(text: str, doc_date: date | None) -> Iterator[_Hit]:
    for m in _PERIOD.finditer(text):
        which, per, edge = _norm(m["which"]), _norm(m["per"]), _norm(m["edge"])
        if edge == "close":
            edge = "end"
        if not which:
            if not edge:
                continue  # "month" on its own
            which = "the"  # "end of month" (a table cell) is this month
        if per.endswith("day") and not (edge == "end" and which in ("the", "this")):
            continue  # only "the end of the day"
        if which == "the" and not edge:
            if not (per == "weekend" and _norm(m["prep"]) in ("by", "before")):
                continue  # "during the week", "at the weekend" (a habit)
            which = "this"  # "by the weekend": the coming one
        if per == "weekend" and edge:
            continue  # "the end of the weekend": no such form in records; leave it undated
        if m["after"] and per.split()[-1] != "week":
            continue
        value = _period_value(doc_date, which, per, edge, bool(m["after"])) if doc_date else None
        tier, rank = _grade(m["prep"] or "")
        yield _Hit(m.start(), m.end(), value, "relative", tier, rank)


def _today_hits(text: str, doc_date: date | None) -> Iterator[_Hit]:
    for m in _TODAY.finditer(text):
        word = _norm(m["word"])
        days = 2 if word.endswith("after tomorrow") else 1 if word == "tomorrow" else 0
        value = _plus_days(doc_date, days) if doc_date else None
        tier, rank = _grade(m["prep"] or "")
        yield _Hit(m.start(), m.end(), value, "relative", tier, rank)


def _weekday_hits(text: str, doc_date: date | None) -> Iterator[_Hit]:
    for m in _WEEKDAY_REL.finditer(text):
        prep, mod = _norm(m["prep"]), _norm(m["mod"])
        target = _WEEKDAYS[m["wd"].lower()]
        value: date | None = None
        if doc_date is not None:
            if "next" in (prep, mod) or mod == "the following":
                # "next Friday": the Friday of next week (Monday-start weeks).
                monday = doc_date - timedelta(days=doc_date.weekday())
                value = _plus_days(monday, 7 + target)
            else:
                # "by Friday", "this Friday": the first one after the record's date.
                value = _plus_days(doc_date, (target - doc_date.weekday() - 1) % 7 + 1)
        intro = "" if prep in ("this", "next", "coming") else prep
        tier, rank = _grade(intro)
        yield _Hit(m.start(), m.end(), value, "relative", tier, rank)


def _review_hits(text: str, next_review: date | None, dates: dict[int, _Span]) -> Iterator[_Hit]:
    for m in _REVIEW.finditer(text):
        if not m["mod"] and _norm(m["det"]) in ("", "the") and not (
                _norm(m["det"]) == "the" and _norm(m["prep"]).split()[0] in ("before", "by", "ahead")):
            # "at the review" is as often the last one; "your review", "the next review" are not, nor is
            # "before the review" (a deadline can only be a review still to come).
            continue
        qual = _norm(m["qual"]).removesuffix("'s").removesuffix("’s")
        value = None if qual in _OTHER_REVIEWS else next_review
        end, solid = m.end(), False
        link = _REVIEW_LINK.match(text, end)
        named = dates.get(link.end()) if link else None
        if named is not None:
            # "by the next review on 4 September 2024": the record names the date.
            end, value, solid = named.end, named.value, True
        tier, rank = _grade(m["prep"], _RANK_REVIEW)
        yield _Hit(m.start(), end, value, "review", tier, rank, solid)


def _absolute_hits(spans: list[_Span], text: str) -> Iterator[_Hit]:
    for span in spans:
        if _SINCE_BEFORE.search(text, max(0, span.start - 12), span.start):
            continue  # "since July" looks back; it is never a deadline
        start, intro, tier, rank = span.start, "", 0, _RANK_DATE
        lead = _intro_before(text, span.start)
        if lead:
            start, intro = lead.start(), (lead["intro"] or lead["intro2"])
            tier, rank = _grade(intro)
        yield _Hit(start, span.end, span.value, "absolute", tier, rank, True)


# School-calendar deadlines: the dates differ by school and council, so no value unless the record gives
# one; undated, they are not timebound (issue 19 item 7) and the finding asks for the date.
_TERM = re.compile(
    r"(?<![\w/])(?P<intro>by|before|until|at|for)?\s*(?:the\s+)?(?:(?:end|start|beginning)\s+of\s+(?:the\s+|this\s+|next\s+)?"
    r"(?:(?:autumn|spring|summer)\s+)?(?:school\s+)?(?:term|half[\s-]term|school\s+year|academic\s+year)"
    r"|(?:(?:october|february|may|summer|autumn|spring)\s+)?half[\s-]term)\b",
    re.IGNORECASE,
)
# "due 12/2024": a month and year only; the end of that month.
_MONTH_YEAR = re.compile(r"(?<![\w/.])(?P<intro>due|by|before|in)?\s*(?P<m>0?[1-9]|1[0-2])/(?P<y>20\d\d)(?![\w/])", re.IGNORECASE)


# "(21/07/2023)", "(which is 21 July)", "(college finishes on Friday 3 July 2026)": the date the record gives.
_BRACKETED_DATE = re.compile(
    r"\s*\((?:this is |which is |i\.e\.? |(?:the\s+)?(?:school|college|term)\s+(?:finishes|ends|breaks up|closes)\s+(?:on\s+)?)?"
    r"([^()]{4,30})\)", re.IGNORECASE)


def _term_hits(text: str, doc_date: date | None) -> list[_Hit]:
    hits = []
    for m in _TERM.finditer(text):
        start = m.start() if m["intro"] else m.start() + (len(m.group()) - len(m.group().lstrip()))
        tier, rank = _grade(m["intro"] or "")
        value, end = None, m.end()
        # "by the end of the summer term (21/07/2023)": the record names the date.
        bracket = _BRACKETED_DATE.match(text, m.end())
        if bracket:
            named = parse_date(bracket.group(1), doc_date)
            if named is not None:
                value, end = named, bracket.end()
        hits.append(_Hit(start, end, value, "calendar" if value is None else "absolute", tier, rank, value is not None))
    return hits


def _month_year_hits(text: str) -> list[_Hit]:
    hits = []
    for m in _MONTH_YEAR.finditer(text):
        year, month = int(m["y"]), int(m["m"])
        value = _make_date(year, month, _last_day(year, month))
        start = m.start() if m["intro"] else m.start("m")
        tier, rank = _grade(m["intro"] or "")
        hits.append(_Hit(start, m.end(), value, "absolute", tier, rank, True))
    return hits


def _deadline_hits(text: str, doc_date: date | None, next_review: date | None) -> list[_Hit]:
    low = text.lower()
    spans = _scan_absolute(text, doc_date, True)
    hits: list[_Hit] = list(_absolute_hits(spans, text))
    if "review" in low or "meeting" in low:
        hits += _review_hits(text, next_review, {s.start: s for s in spans})
    if _has_any(low, _CUES_UNIT):
        hits += _within_hits(text, doc_date)
        hits += _from_now_hits(text, doc_date)
        hits += _period_hits(text, doc_date)
    if _has_any(low, _CUES_TODAY):
        hits += _today_hits(text, doc_date)
    if _has_any(low, _CUES_WEEKDAY):
        hits += _weekday_hits(text, doc_date)
    if _has_any(low, _CUES_RECURRING):
        hits += (_Hit(m.start(), m.end(), None, "recurring", 1, _RANK_RECURRING)
                 for m in _RECURRING.finditer(text))  # fmt: skip
    if _has_any(low, _CUES_OPEN):
        hits += (_Hit(m.start(), m.end(), None, "open", 1, _RANK_OPEN) for m in _OPEN.finditer(text))
    if "term" in low:
        hits += _term_hits(text, doc_date)
    if "/20" in low:
        hits += _month_year_hits(text)
    return hits


def _whole_text_hit(text: str, doc_date: date | None, next_review: date | None) -> _Hit | None:
    """A time phrase that is the whole text, as in a "By when" table cell: "4 weeks", "Next review",
    "4/3", "June". Only tried when nothing else matched; such cells are too short to be anything else.
    """
    stripped = text.strip()
    core = stripped.rstrip(".;:")
    if not core or len(core) > 60:
        return None
    start = text.index(core)
    end = start + len(core)
    m = _BARE_PERIOD.fullmatch(core)
    if m:
        n = _count(m["num"])
        value = _offset(doc_date, n, m["unit"], _norm(m["qual"])) if doc_date and n else None
        return _Hit(start, end, value, "relative", 0, _RANK_DATE)
    if _BARE_WEEKDAYS.fullmatch(core):
        return _Hit(start, end, None, "recurring", 0, _RANK_RECURRING)
    m = _REVIEW_BARE.fullmatch(core)
    if m and (m["mod"] or _norm(m["det"]) not in ("", "the")):
        qual = _norm(m["qual"]).removesuffix("'s").removesuffix("’s")
        value = None if qual in _OTHER_REVIEWS else next_review
        return _Hit(start, end, value, "review", 0, _RANK_REVIEW)
    value = parse_date(core, doc_date)
    if value is not None or (doc_date is None and _looks_like_date(core)):
        return _Hit(start, end, value, "absolute", 0, _RANK_DATE, True)
    return None


def _cell_hits(text: str, doc_date: date | None, next_review: date | None) -> list[_Hit]:
    """Whole-text phrases in the text, or in each cell of a table row ("... | SW | 4 weeks")."""
    hits: list[_Hit] = []
    offset = 0
    for cell in text.split("|") if "|" in text else [text]:
        hit = _whole_text_hit(cell, doc_date, next_review)
        if hit is not None:
            hits.append(_Hit(hit.start + offset, hit.end + offset, hit.value, hit.kind, hit.tier,
                             hit.rank, hit.solid))  # fmt: skip
        offset += len(cell) + 1
    return hits


# An "if"/"whether" clause running up to the end of the searched text, with no clause break after it.
_ASKED_CLAUSE = re.compile(r"\b(?:if|whether)\b[^,.;:|()]*$", re.IGNORECASE)


def _looks_like_date(core: str) -> bool:
    """Whether ``core`` parses as a date once given some reference (it only lacks a year)."""
    return parse_date(core, date(2000, 1, 1)) is not None


def find_deadline(
    text: str, doc_date: date | None = None, next_review: date | None = None
) -> DateMention | None:
    """The deadline phrase in one action (a sentence, bullet or table row), or None.

    The phrase includes its preposition ('by 15 March 2024', 'within 4 weeks', 'before the next
    review'). A phrase introduced by by/before/within/no later than (and similar) beats one
    introduced by on/from/at/in/until/w/c, a stand-alone phrase ('every two weeks', 'tomorrow')
    or a bare date; between phrases of the same standing, a date beats a review phrase, which
    beats a start date ("monthly, starting 6 May" is due on 6 May), then a frequency, then an open end ('until further notice');
    otherwise the last one wins. Relative phrases resolve from ``doc_date`` (value None without
    it); review phrases resolve to ``next_review``. Vague timescales are never returned.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    doc_date, next_review = _as_date(doc_date), _as_date(next_review)
    hits = _drop_overlaps(
        _deadline_hits(text, doc_date, next_review),
        lambda h: (h.start, h.end),
        lambda h: (h.solid, h.end - h.start, -h.start),
    )
    # "ask my nan if I can see the boys every other weekend": the frequency belongs to what is asked.
    hits = [h for h in hits if h.kind != "recurring" or not _ASKED_CLAUSE.search(text, 0, h.start)]
    if not hits:
        hits = _cell_hits(text, doc_date, next_review)
    if not hits:
        return None
    # A phrase that resolves to a date beats one that cannot ("by 21 June" over "within two weeks of hearing back").
    best = max(hits, key=lambda h: (h.tier, h.value is not None or h.kind not in ("relative", "calendar"), h.rank, h.start))
    return DateMention(best.start, best.end, text[best.start : best.end], best.value, best.kind)


# --------------------------------------------------------------------------------------------------
# Vague timescales
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _vague_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # The one phrase matcher (analyser.rules), as the vague-timescale rule set uses it.
    from analyser.rules import phrase_pattern

    return phrase_pattern(phrases, hyphens="break")


def find_vague_timescales(text: str, phrases: Iterable[str]) -> list[tuple[int, int, str]]:
    """Case-insensitive whole-word matches of the vague timescale ``phrases`` in ``text``.

    Returns (start, end, matched text) in order, non-overlapping, the longest phrase winning at a
    position ("as soon as possible" rather than "soon").
    """
    if not isinstance(text, str) or not text or phrases is None or isinstance(phrases, str):
        return []
    try:
        unique = {" ".join(p.split()).lower() for p in phrases if isinstance(p, str) and p.strip()}
    except TypeError:
        return []
    if not unique:
        return []
    pattern = _vague_pattern(tuple(sorted(unique, key=lambda p: (-len(p), p))))
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
