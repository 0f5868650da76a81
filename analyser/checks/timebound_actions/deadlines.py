"""By when: the deadline of an action (dates, review-tied, birthdays) and its vague timescales."""

from __future__ import annotations

import re
from datetime import date

from analyser import dates
from analyser.facts import Facts
from analyser.rubric import Rubric


def deadline_for(text: str, facts: Facts) -> dates.DateMention | None:
    found = dates.find_deadline(text, facts.date, facts.next_review)
    if found is None and facts.birth_date is not None and "birthday" in text.lower():
        return _birthday_deadline(text, facts.birth_date, facts.date)
    return found


# "before Kofi's 18th birthday", "by his birthday": a date when the record gives the date of birth.
_BIRTHDAY = re.compile(
    r"\b(?:before|by|for|on|ahead of)\s+(?:his|her|their|your|my|[A-Z][\w'’-]*['’]s?)\s+(?:(\d{1,2})(?:st|nd|rd|th)\s+)?birthday\b"
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
