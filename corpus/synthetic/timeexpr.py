"""Time expressions for the synthetic corpus: UK date formats, relative periods, frequencies, vague words.

Every concrete expression is generated *from* a resolved date, so the gold deadline is known by
construction. The conventions follow docs/GOLD_FORMAT.md:

- numeric dates are day-first; a two-digit year means 20yy;
- a date written without a year means its next occurrence on or after the document date;
- "end of June" means 30 June (next occurrence); "w/c 4th March" resolves to that Monday;
- "within N weeks/days" = document date + N*7 / N days; "within N months" = same day N months later;
- "within N working days" skips weekends and England bank holidays;
- "by the end of the month" = last day of the document date's month;
- "before the next review" = the next review date when the record states one, else no deadline;
- concrete frequencies ("every two weeks") are timebound with no single deadline;
- vague timescales ("ongoing", "ASAP", ...) are not timebound.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

MONTHS = list(calendar.month_name)[1:]
MONTHS_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
WEEKDAYS = list(calendar.day_name)
NUM_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
             9: "nine", 10: "ten", 12: "twelve", 20: "twenty", 28: "twenty-eight"}


def ordinal(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


@lru_cache(maxsize=None)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def add_working_days(start: date, n: int) -> date:
    d = start
    while n > 0:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def next_occurrence(day: int, month: int, ref: date) -> date | None:
    """The first (day, month) on or after ref, or None when it does not exist (29 Feb)."""
    for y in (ref.year, ref.year + 1, ref.year + 2):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d >= ref:
            return d
    return None


# ---------------------------------------------------------------------------------------------
# Formatting dates

YEARFUL_STYLES = ["dmy", "dmy", "dmy_np", "dmy_short", "dmy_dot", "long_ord", "long", "long", "abbr",
                  "wd_long_ord", "wd_long"]
YEARLESS_STYLES = ["wd_ord_noyear", "ord_noyear", "long_noyear", "dm_noyear", "wd_noyear"]


def fmt_date(d: date, style: str) -> str:
    """Write d in one UK style. Year-less styles are only valid for the next occurrence."""
    wd, mon, mab = WEEKDAYS[d.weekday()], MONTHS[d.month - 1], MONTHS_ABBR[d.month - 1]
    match style:
        case "dmy":
            return f"{d.day:02d}/{d.month:02d}/{d.year}"
        case "dmy_np":
            return f"{d.day}/{d.month}/{d.year}"
        case "dmy_short":
            return f"{d.day}/{d.month}/{d.year % 100:02d}"
        case "dmy_dot":
            return f"{d.day:02d}.{d.month:02d}.{d.year}"
        case "long_ord":
            return f"{ordinal(d.day)} {mon} {d.year}"
        case "long":
            return f"{d.day} {mon} {d.year}"
        case "abbr":
            return f"{d.day} {mab} {d.year}"
        case "wd_long_ord":
            return f"{wd} {ordinal(d.day)} {mon} {d.year}"
        case "wd_long":
            return f"{wd} {d.day} {mon} {d.year}"
        case "wd_ord_noyear":
            return f"{wd} {ordinal(d.day)} {mon}"
        case "wd_noyear":
            return f"{wd} {d.day} {mon}"
        case "ord_noyear":
            return f"{ordinal(d.day)} {mon}"
        case "long_noyear":
            return f"{d.day} {mon}"
        case "dm_noyear":
            return f"{d.day}/{d.month}"
    raise ValueError(style)


def pick_date_text(rng: random.Random, d: date, ref: date, *, numeric_bias: float = 0.4) -> str:
    """Write d in a random UK style; year-less only when d is the next occurrence after ref."""
    yearless_ok = next_occurrence(d.day, d.month, ref) == d
    if yearless_ok and rng.random() < 0.3:
        return fmt_date(d, rng.choice(YEARLESS_STYLES))
    if rng.random() < numeric_bias:
        return fmt_date(d, rng.choice(["dmy", "dmy", "dmy_np", "dmy_short", "dmy_dot"]))
    return fmt_date(d, rng.choice(YEARFUL_STYLES))


# ---------------------------------------------------------------------------------------------
# Deadlines

@dataclass(frozen=True, slots=True)
class When:
    """A time expression attached to an action.

    phrase: how it reads inside a sentence ("by 15 March 2024"); cell: how it reads in a "By when"
    table cell ("15/03/2024"). deadline: resolved ISO date or None. timebound per GOLD_FORMAT.
    """

    phrase: str
    cell: str
    deadline: date | None
    timebound: bool
    kind: str  # date | relative | next_review | frequency | vague | none


VAGUE = ["ongoing", "as soon as possible", "ASAP", "in due course", "when possible", "when appropriate",
         "as required", "as needed", "as and when", "TBC", "to be confirmed", "soon", "shortly",
         "going forward", "in the near future", "over time", "regularly", "at the earliest opportunity",
         "within timescales", "when the time is right", "as appropriate", "at some point"]
VAGUE_CELLS = ["Ongoing", "ongoing", "ASAP", "TBC", "Asap", "In due course", "As and when", "When possible",
               "As required", "Going forward", "Within timescales", "Soon", "Regularly", "tbc", "N/A", "-"]

FREQUENCIES = [
    ("every two weeks", "Every 2 weeks"), ("fortnightly", "Fortnightly"), ("weekly", "Weekly"),
    ("once a week", "Once a week"), ("every week", "Weekly"), ("once a month", "Monthly"),
    ("every month", "Monthly"), ("every six weeks", "Every 6 weeks"), ("at least every 6 weeks", "6 weekly"),
    ("twice a week", "Twice weekly"), ("every Saturday", "Every Saturday"), ("every Sunday", "Sundays"),
    ("every half term", "Each half term"), ("once a term", "Termly"), ("every Wednesday after school",
                                                                        "Wednesdays"),
    ("every three months", "3 monthly"),
]


def _num(rng: random.Random, n: int) -> str:
    return NUM_WORDS[n] if n in NUM_WORDS and rng.random() < 0.4 else str(n)


def _by(rng: random.Random) -> str:
    return rng.choice(["by", "by", "by", "by", "before", "no later than", "on or before"])


def when_date(rng: random.Random, d: date, ref: date) -> When:
    txt = pick_date_text(rng, d, ref)
    cell_txt = pick_date_text(rng, d, ref, numeric_bias=0.75)
    if rng.random() < 0.15:
        cell_txt = f"By {cell_txt}"
    return When(f"{_by(rng)} {txt}", cell_txt, d, True, "date")


def when_future(rng: random.Random, ref: date, next_review: date | None) -> When:
    """A concrete, resolvable time: an absolute date, a bounded period, or the (known) next review."""
    r = rng.random()
    if r < 0.45:
        d = ref + timedelta(days=rng.randint(5, 120))
        while d.weekday() >= 5:
            d += timedelta(days=1)
        return when_date(rng, d, ref)
    if r < 0.52:  # end of a month
        d = month_end(add_months(ref, rng.randint(1, 5)))
        if next_occurrence(d.day, d.month, ref) == d:
            mon = MONTHS[d.month - 1]
            phrase = rng.choice([f"by the end of {mon}", f"by end of {mon}", f"before the end of {mon}"])
            return When(phrase, rng.choice([f"End of {mon}", f"end {mon}", f"By end of {mon}"]), d, True,
                        "date")
        return when_date(rng, d, ref)
    if r < 0.57:  # week commencing a Monday
        d = ref + timedelta(days=rng.randint(7, 70))
        d -= timedelta(days=d.weekday())
        if d < ref:
            d += timedelta(days=7)
        txt = rng.choice([f"w/c {ordinal(d.day)} {MONTHS[d.month - 1]}" if next_occurrence(
            d.day, d.month, ref) == d else f"w/c {fmt_date(d, 'long')}", f"w/c {fmt_date(d, 'dmy_np')}"])
        pre = rng.choice(["by", "in the week of", "during", "by"])
        if pre == "in the week of":
            txt = txt.replace("w/c ", "")
            return When(f"in the week of {txt}", f"w/c {txt}", d, True, "date")
        return When(f"{pre} {txt}", txt, d, True, "date")
    if r < 0.82:
        k = rng.random()
        if k < 0.35:
            n = rng.choice([2, 3, 4, 4, 6, 8])
            d = ref + timedelta(days=7 * n)
            w = _num(rng, n)
            phrase = rng.choice([f"within {w} weeks", f"within the next {w} weeks", f"in the next {w} weeks",
                                 f"within {w} weeks of this {{docword}}"])
            return When(phrase, rng.choice([f"Within {n} weeks", f"{n} weeks", f"within {w} weeks"]), d, True,
                        "relative")
        if k < 0.65:
            n = rng.choice([5, 10, 10, 15, 20])
            d = add_working_days(ref, n)
            phrase = rng.choice([f"within {n} working days", f"within {_num(rng, n)} working days"])
            return When(phrase, rng.choice([f"{n} working days", f"Within {n} working days"]), d, True,
                        "relative")
        if k < 0.8:
            n = rng.choice([7, 14, 28])
            d = ref + timedelta(days=n)
            return When(f"within {_num(rng, n)} days", f"Within {n} days", d, True, "relative")
        if k < 0.92:
            n = rng.choice([1, 2, 3])
            d = add_months(ref, n)
            m = "month" if n == 1 else "months"
            w = "one" if n == 1 else _num(rng, n)
            return When(rng.choice([f"within {w} {m}", f"within the next {w} {m}"]), f"Within {n} {m}", d,
                        True, "relative")
        if ref != month_end(ref) and ref.day < 20:
            return When(rng.choice(["by the end of the month", "before the end of this month"]),
                        "End of month", month_end(ref), True, "relative")
        return when_date(rng, ref + timedelta(days=rng.randint(5, 60)), ref)
    if r < 0.9 and next_review is not None:
        phrase = rng.choice(["before the next review", "by the next review", "before {yr} next review",
                             "by the time of the next review", "before the next review meeting",
                             "prior to the next review"])
        return When(phrase, rng.choice(["Before next review", "By next review", "Next review"]),
                    next_review, True, "next_review")
    d = ref + timedelta(days=rng.randint(5, 90))
    return when_date(rng, d, ref)


def when_past(rng: random.Random, ref: date) -> When:
    """A deadline that had already passed on the document date (stale copy-and-paste)."""
    d = ref - timedelta(days=rng.randint(10, 200))
    txt = fmt_date(d, rng.choice(["dmy", "dmy", "dmy_np", "dmy_short", "long", "abbr", "long_ord"]))
    return When(f"{_by(rng)} {txt}", txt, d, True, "date")


def when_frequency(rng: random.Random) -> When:
    phrase, cell = rng.choice(FREQUENCIES)
    return When(phrase, cell, None, True, "frequency")


def when_vague(rng: random.Random, next_review_known: bool) -> When:
    if not next_review_known and rng.random() < 0.15:
        return When(rng.choice(["before the next review", "by the next review"]), "Next review", None, False,
                    "next_review")
    v = rng.choice(VAGUE)
    return When(v, rng.choice(VAGUE_CELLS) if rng.random() < 0.5 else v.capitalize(), None, False, "vague")


NO_WHEN = When("", "", None, False, "none")
