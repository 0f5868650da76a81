"""Dates as fields: given with a record (CLI options, API bodies, export columns) or stored as ISO text.

:mod:`analyser.dates` finds dates in a record's text and writes them for people (:func:`~analyser.dates.long_date`);
this module reads the dates that come *beside* the text, so every adapter accepts and rejects them alike.
"""

from __future__ import annotations

from datetime import date

from analyser.dates import parse_date

DATE_FORMS = "use YYYY-MM-DD or DD/MM/YYYY"


def given_date(value: str | date | None, what: str | None = None) -> date | None:
    """A date given with a record: a date, or text :func:`~analyser.dates.parse_date` reads (day first).

    Raises ValueError naming ``what`` and the value (a date field, never record text) when it is not a date.
    """
    if value is None or isinstance(value, date):
        return value
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"{what} '{value}' is not a date ({DATE_FORMS})" if what else f"not a date ({DATE_FORMS})")
    return parsed


def iso_text(value: date | None) -> str | None:
    """A date as the ISO text reports and the store keep (``2025-03-18``); None stays None."""
    return value.isoformat() if value is not None else None


def iso_date(value: object) -> date | None:
    """A stored ISO date (``2025-03-18``) back as a date; None for none or anything else (never raises)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
