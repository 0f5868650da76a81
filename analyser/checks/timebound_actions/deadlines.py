"""By when: the deadline of an action (dates, review-tied, birthdays) and its vague timescales."""

from __future__ import annotations

import re
from datetime import date, timedelta

from analyser import dates
from analyser.facts import Facts
from analyser.rubric import Rubric


# "At the planning meeting on 05/11/2025 Ms Marsh agreed to attend ... starting 24/11/2025": the opening
# phrase dates the meeting where it was agreed, already past; the task's own date comes after it.
_FRONTED_MEETING = re.compile(
    r"^\W*(?:at|on|following|after|during)\s+(?:the|your|his|her|their|\w+'s)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:meeting|review|visit|conference|panel)\s+(?:held\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)


# "within 2 weeks of this letter": counted from the day the letter was written, which a letter dated by its
# meeting (facts.written) gives apart from the record's date.
_OF_THIS_LETTER = re.compile(r"\s+(?:of|from|after)\s+(?:the\s+date\s+(?:of|on)\s+)?this\s+letter\b", re.IGNORECASE)


# "using the memory box his mum sent in February": a month after a past-tense verb is when something
# happened, not when the action is due (year-less, it would otherwise resolve to next February).
_PAST_BEFORE = re.compile(r"\b(?:sent|received|arrived|started|moved|came|began|happened|went|made|had|was|were|did|got|"
                          r"gave|took|bought|brought|posted|visited|saw|met)\s+(?:it\s+|them\s+|him\s+|her\s+)?$", re.IGNORECASE)


def deadline_for(text: str, facts: Facts) -> dates.DateMention | None:
    found = dates.find_deadline(text, facts.date, facts.next_review)
    if (found is not None and found.kind == "absolute" and not re.search(r"\d{4}", found.text)
            and not re.match(r"(?:by|before|within|until|no later)\b", found.text, re.IGNORECASE)
            and (past := _PAST_BEFORE.search(text[: found.start]))
            and not re.search(r"\b(?:be|been|being|is|are|was|were|to|will)\s+$", text[: past.start()], re.IGNORECASE)):
        later = dates.find_deadline(text[found.end :], facts.date, facts.next_review)
        found = shifted(later, found.end) if later is not None else None
    if (found is not None and found.kind == "relative" and facts.written is not None
            and _OF_THIS_LETTER.match(text, found.end)):
        found = dates.find_deadline(text, facts.written, facts.next_review) or found
    if (found is not None and found.value is not None and facts.date is not None and found.value < facts.date
            and _FRONTED_MEETING.match(text[: found.start])):
        later = dates.find_deadline(text[found.end :], facts.date, facts.next_review)
        if later is not None:
            return shifted(later, found.end)
    if found is None and facts.birth_date is not None and "birthday" in text.lower():
        return _birthday_deadline(text, facts.birth_date, facts.date)
    if (found is None or found.value is None) and facts.school_holidays:
        # "by half-term" is dated only where the record says when school breaks up for it.
        found = _holiday_deadline(text, facts.school_holidays) or _term_end(found, facts) or found
    if found is None and (holiday := HOLIDAY_PHRASE.search(text)):
        # "before the summer holidays" in a record that never says when they are (issue 19 item 7): a
        # school-calendar point, like an undated "by half-term", not a date.
        return dates.DateMention(holiday.start(), holiday.end(), holiday.group(0), None, "calendar")
    return found


_TERM_END = re.compile(r"\bend\s+of\s+(?:the\s+|this\s+)?(?:(?P<term>autumn|spring|summer)\s+)?term\b", re.IGNORECASE)
_TERM_BEFORE = {"autumn": "christmas", "spring": "easter", "summer": "summer"}


def _term_end(found: dates.DateMention | None, facts: Facts) -> dates.DateMention | None:
    """ "by the end of term" where the record says when school breaks up next ("breaks up for Easter on
    Friday 26 March"): that last school day; a named term only by its own holiday."""
    m = _TERM_END.search(found.text) if found is not None and found.kind == "calendar" else None
    if m is None or found is None:
        return None
    wanted = _TERM_BEFORE.get((m.group("term") or "").lower())
    ends = sorted(first - timedelta(days=1) for season, first, _ in facts.school_holidays
                  if first is not None and (wanted is None or season == wanted)
                  and (facts.date is None or first > facts.date))
    if not ends:
        return None
    value = ends[0]
    while value.weekday() >= 5:  # the last school day before the holiday
        value -= timedelta(days=1)
    return dates.DateMention(found.start, found.end, found.text, value, "absolute")


# "for the Easter holidays", "before the summer holidays": a date only when the record states the
# holiday's dates (facts.school_holidays); otherwise the action stays without one and asks for it.
HOLIDAY_PHRASE = re.compile(
    r"\b(?P<prep>before|by|ahead of|in|during|for|over|at)\s+(?:the\s+)?"
    r"(?:(?P<season>easter|summer|christmas|winter|spring|autumn|october|february|may|whitsun)\s+)?"
    r"(?:school\s+)?(?:holidays?|half[- ]term(?:\s+holidays?)?)\b",
    re.IGNORECASE,
)


# A "By when" cell that is only the holiday ("Easter holidays"): due by its end, as "during" is.
_BARE_HOLIDAY = re.compile(
    r"(?P<prep>)(?:the\s+)?(?P<season>easter|summer|christmas|winter|spring|autumn|october|february|may|whitsun)\s+"
    r"(?:school\s+)?(?:holidays?|half[- ]term(?:\s+holidays?)?)",
    re.IGNORECASE,
)


# "Sam will help you finish your folder before you break up" (the record: "College breaks up for Christmas on
# Friday 18 December"): by the day school breaks up, as "before the holidays" is.
_BEFORE_BREAK_UP = re.compile(
    r"\b(?P<prep>before|by)\s+(?:you|school|college|they|we)\s+breaks?\s+up"
    r"(?:\s+for\s+(?:the\s+)?(?P<season>easter|summer|christmas|winter|spring|autumn|october|february|may|whitsun)?)?",
    re.IGNORECASE,
)


def _holiday_deadline(text: str, holidays: tuple[tuple[str, date | None, date | None], ...]) -> dates.DateMention | None:
    m = HOLIDAY_PHRASE.search(text) or _BARE_HOLIDAY.fullmatch(text.strip()) or _BEFORE_BREAK_UP.search(text)
    if m is None:
        return None
    season = (m.group("season") or "").lower()
    fitting = [h for h in holidays if h[0] == season] or ([holidays[0]] if len(holidays) == 1 and not season else [])
    if len({(h[1], h[2]) for h in fitting}) != 1:
        return None  # not stated, or stated twice differently: no guess
    first, last = fitting[0][1], fitting[0][2]
    before = (m.group("prep") or "").lower() in ("before", "by", "ahead of")
    if before and first is None:
        return None
    value = last
    if not before and last is None:
        return None  # "during half-term" when only the day school breaks up is given
    if before and first is not None:
        value = first - timedelta(days=1)
        while value.weekday() >= 5:  # the last school day before the holiday
            value -= timedelta(days=1)
    assert value is not None
    return dates.DateMention(m.start(), m.end(), m.group(0), value, "absolute")


# "before Kofi's 18th birthday", "by his birthday": a date when the record gives the date of birth.
_BIRTHDAY = re.compile(
    r"\b(?i:before|by|for|on|ahead of)\s+(?:(?i:his|her|their|your|my)|[A-Z][\w'’-]*['’]s?)\s+(?:(\d{1,2})(?:st|nd|rd|th)\s+)?"
    # "for your birthday money" is what the money is, not when
    r"birthday\b(?!\s+(?:money|present|presents|card|cards|party|parties|cake|gift|gifts|treat))"
)


def _birthday_deadline(text: str, born: date, ref: date | None) -> dates.DateMention | None:
    m = _BIRTHDAY.search(text)
    if m is None:
        return None
    if m.group(1):
        years = int(m.group(1))
    elif ref is not None:
        years = ref.year - born.year + ((ref.month, ref.day) > (born.month, born.day))
    else:
        return None
    try:
        day = born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        day = date(born.year + years, 3, 1)
    return dates.DateMention(m.start(), m.end(), m.group(), day, "absolute")


def shifted(m: dates.DateMention, by: int) -> dates.DateMention:
    return dates.DateMention(m.start + by, m.end + by, m.text, m.value, m.kind)


def vague_timescales(text: str, rubric: Rubric) -> list[tuple[int, int, str]]:
    """The vague timescales in ``text`` (the rule set analyser/rules/vague_timescales.toml)."""
    return [(m.start, m.end, m.text) for m in rubric.rule("vague_timescales").finditer(text)]


# "before then", "at the same time", "the day after your dentist appointment", "make sure this happens":
# the when is in a sentence just before, in the same paragraph ("Your PEP is on 9 May.").
_BACK_REFERENCE = re.compile(
    r"\b(?:before|by|until) then\b|\bat the same time\b|\bon (?:that|the) day\b|\bthat day\b|"
    r"\bthe day (?P<shift>after|before)\b(?: (?:your|the|his|her|their|\w+'s) [\w' -]{1,30}?\b(?:appointment|meeting|"
    r"review|visit|assessment|hearing|interview|exam|test|session|panel))?|\b(?:this|it) happens\b|"
    # "Jan and I will both be there.", "Denise will take you.", "Helen and Mrs Cole will both attend.", "Darren
    # will attend and speak for Leah.": the place and time are the event just named.
    r"\bbeforehand\b|\bthe same (?:day|afternoon|morning|evening)\b|\b(?:present|speak|go|come) [\w' ]{0,30}?\bthere\b|"
    r"\bbe\s+there\b|\bbe\s+at\s+(?:it|that)\b|\bafterwards\b|"
    # "Poppy's parents' evening is on 10 March. Sue will go, and you are welcome to join her."
    r"\bwill\s+(?:both\s+|also\s+)?(?:go|come)(?=\s*(?:[.!,;]|$|and\b|with\b))|"
    r"\bmeet (?:you|him|her|them)(?: there| at the [\w' ]{1,30}| outside(?: [\w' ]{1,30})?)?(?=\s*[.!]?\s*$)|\battend(?: it| too| as well)?(?=\s*(?:[.!]?\s*$|and\b|while\b|with\b))|\b(?:take|bring|drive|walk|go\s+with|come\s+with|come\s+along\s+with)\s+(?:you|him|her|them)"
    r"(?: there| along| too)?(?=\s*(?:[.!]?\s*$|,?\s*and\b))",
    re.IGNORECASE,
)
LOOK_BACK_UNITS = 3  # sentences of the paragraph a back reference may point to


def back_referenced_deadline(text: str, earlier: list[str], facts: Facts) -> dates.DateMention | None:
    """The date an undated action's "then" / "at the same time" points back to: the nearest of the
    ``earlier`` sentences (nearest last) of its paragraph with one date of its own, not already past."""
    ref = _BACK_REFERENCE.search(text)
    if ref is None:
        return None
    for sentence in reversed(earlier[-LOOK_BACK_UNITS:]):
        found = dates.find_deadline(sentence, facts.date, facts.next_review)
        if found is None or found.value is None:
            continue
        if facts.date is not None and found.value < facts.date:
            return None
        shift = {"after": 1, "before": -1}.get((ref.group("shift") or "").lower(), 0)
        return dates.DateMention(ref.start(), ref.end(), ref.group(0), found.value + timedelta(days=shift), "relative")
    return None


# "before the meeting", "the day after your dentist appointment", "at your PEP": an event the record dates
# earlier ("Your PEP meeting is on 12 March 2026", "Your dentist appointment is on 24 February").
_EVENT_REFERENCE = re.compile(
    r"\b(?P<rel>the day after|the day before|before|after|at|by|for|go on|go to|come to|attend|join|start)\s+"
    r"(?:your|the|his|her|their|my|our|\w+'s)\s+"
    # "The course starts on 19 January 2027. You agreed to go on the six-week course together."
    r"(?:[\w'-]+\s+){0,2}?(?P<event>appointment|meeting|review|PEP|hearing|visit|assessment|interview|panel|"
    r"conference|exam|operation|course|group|workshop)\b",
    re.IGNORECASE,
)
_EVENT_DATED = r"\b{event}s?\b[^.\n]{{0,25}}?\b(?:is|will be|was|has been)?\s*(?:held |booked |arranged )?(?:on|for)\s+"
_EVENT_SHIFT = {"the day after": 1, "the day before": -1}


def event_deadline(text: str, before: str, facts: Facts) -> dates.DateMention | None:
    """The date of the event an undated action is tied to, from the last place before it where the
    record dates that event; not an event already past at the record's date."""
    ref = _EVENT_REFERENCE.search(text)
    if ref is None:
        return None
    dated = list(re.finditer(_EVENT_DATED.format(event=re.escape(ref.group("event"))), before, re.IGNORECASE))
    for m in reversed(dated):
        found = dates.find_dates(before[m.end() : m.end() + 30], facts.date)
        if not found or found[0].start != 0 or found[0].value is None:
            continue
        if facts.date is not None and found[0].value < facts.date:
            return None
        shift = _EVENT_SHIFT.get(ref.group("rel").lower(), 0)
        return dates.DateMention(ref.start(), ref.end(), ref.group(0), found[0].value + timedelta(days=shift), "relative")
    return None
