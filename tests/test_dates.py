"""Tests for analyser.dates: finding and resolving dates and deadline phrases (UK English)."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime

import pytest

from analyser.dates import (
    DateMention,
    add_working_days,
    find_dates,
    find_deadline,
    find_vague_timescales,
    parse_date,
)

# Monday 4 March 2024: the record date used throughout unless a test needs another.
DOC = date(2024, 3, 4)
NEXT_REVIEW = date(2024, 9, 4)


def deadline(text: str, doc: date | None = DOC, review: date | None = None) -> DateMention:
    found = find_deadline(text, doc, review)
    assert found is not None, f"no deadline found in {text!r}"
    assert found.text == text[found.start : found.end]
    return found


# --------------------------------------------------------------------------------------------------
# parse_date
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/11/2024", date(2024, 11, 2)),
        ("03/04/2024", date(2024, 4, 3)),
        ("3/9/2024", date(2024, 9, 3)),
        ("12/01/2025", date(2025, 1, 12)),
    ],
)
def test_numeric_dates_are_day_first(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("31.03.2025", date(2025, 3, 31)), ("15-03-2024", date(2024, 3, 15))],
)
def test_numeric_dates_accept_dots_and_dashes(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("31.03.25", date(2025, 3, 31)), ("02/11/24", date(2024, 11, 2)), ("15-Mar-24", date(2024, 3, 15))],
)
def test_two_digit_years_are_twenty_first_century(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-03-15", date(2024, 3, 15)), ("2024/03/05", date(2024, 3, 5))],
)
def test_year_first_numeric_dates_are_iso_order(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2nd November 2024", date(2024, 11, 2)),
        ("2 Nov 2024", date(2024, 11, 2)),
        ("the 3rd of May 2024", date(2024, 5, 3)),
        ("Friday 12th July 2024", date(2024, 7, 12)),
        ("Fri, 12 July 2024", date(2024, 7, 12)),
        ("3 May, 2024", date(2024, 5, 3)),
        ("3 May '24", date(2024, 5, 3)),
        ("May 3, 2024", date(2024, 5, 3)),
        ("March 15th 2024", date(2024, 3, 15)),
        ("1st Sept. 2024", date(2024, 9, 1)),
    ],
)
def test_written_dates_parse_with_ordinals_weekdays_and_abbreviations(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_missing_year_resolves_to_next_occurrence() -> None:
    ref = date(2024, 7, 10)
    assert parse_date("15 March", ref) == date(2025, 3, 15)
    assert parse_date("15 August", ref) == date(2024, 8, 15)


def test_missing_year_on_the_reference_day_is_that_day() -> None:
    assert parse_date("10 July", date(2024, 7, 10)) == date(2024, 7, 10)


def test_missing_year_uses_ref_year_when_not_preferring_future() -> None:
    assert parse_date("15 March", date(2024, 7, 10), prefer_future=False) == date(2024, 3, 15)


def test_missing_year_without_ref_cannot_be_resolved() -> None:
    assert parse_date("15 March") is None


def test_leap_day_without_year_moves_to_next_leap_year() -> None:
    assert parse_date("29 February", date(2025, 1, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    [
        ("June 2025", None, date(2025, 6, 30)),
        ("end of February 2024", None, date(2024, 2, 29)),
        ("the end of June 2025", None, date(2025, 6, 30)),
        ("end of June", date(2024, 3, 4), date(2024, 6, 30)),
        ("end of June", date(2024, 7, 10), date(2025, 6, 30)),
        ("June", date(2024, 3, 4), date(2024, 6, 30)),
    ],
)
def test_month_only_resolves_to_last_day_of_month(text: str, ref: date | None, expected: date) -> None:
    assert parse_date(text, ref) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("start of September 2024", date(2024, 9, 1)),
        ("beginning of September 2024", date(2024, 9, 1)),
        ("mid-June 2024", date(2024, 6, 15)),
        ("the middle of June 2024", date(2024, 6, 15)),
        ("late June 2024", date(2024, 6, 30)),
    ],
)
def test_start_middle_and_late_month_resolve_to_first_fifteenth_and_last(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2024", "29/02/2023", "32 May 2024", "15/13/2024", "31 April 2024", "00/01/2024"]
)
def test_invalid_dates_are_not_dates(text: str) -> None:
    assert parse_date(text, DOC) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("by 15 March 2024", date(2024, 3, 15)), ("w/c 4th March 2024", date(2024, 3, 4)),
     ("no later than 1st April 2024.", date(2024, 4, 1))],
)  # fmt: skip
def test_parse_date_accepts_a_leading_preposition(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "hello", "Year 6", "63%", "10:30", "£50", "within 4 weeks", "next review", "2024"]
)
def test_parse_date_returns_none_for_non_dates(text: str) -> None:
    assert parse_date(text, DOC) is None


def test_parse_date_only_parses_a_whole_expression() -> None:
    assert parse_date("15 March 2024 and more words") is None


def test_parse_date_accepts_a_datetime_reference() -> None:
    assert parse_date("15 March", datetime(2024, 7, 10, 9, 30)) == date(2025, 3, 15)


# --------------------------------------------------------------------------------------------------
# find_dates
# --------------------------------------------------------------------------------------------------


def test_find_dates_returns_offsets_into_the_text() -> None:
    text = "The plan dated 02/11/2024 was reviewed on 2nd December 2024."
    found = find_dates(text)
    assert [m.text for m in found] == ["02/11/2024", "2nd December 2024"]
    assert all(text[m.start : m.end] == m.text and m.kind == "absolute" for m in found)
    assert [m.value for m in found] == [date(2024, 11, 2), date(2024, 12, 2)]


def test_find_dates_are_in_order_and_do_not_overlap() -> None:
    text = "Seen 3 May 2024, 2024-05-10, Friday 12th July and June 2025."
    found = find_dates(text, DOC)
    assert [m.text for m in found] == ["3 May 2024", "2024-05-10", "Friday 12th July", "June 2025"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_find_dates_include_the_with_ordinal_day_of_month() -> None:
    found = find_dates("We will meet on the 3rd of May.", DOC)
    assert [(m.text, m.value) for m in found] == [("the 3rd of May", date(2024, 5, 3))]


def test_find_dates_without_reference_keep_yearless_dates_unresolved() -> None:
    found = find_dates("Contact on 15 March.")
    assert [(m.text, m.value) for m in found] == [("15 March", None)]


def test_day_range_resolves_to_its_last_day() -> None:
    found = find_dates("The visit on 16 and 17 April 2024 went well.")
    assert [(m.text, m.value) for m in found] == [("16 and 17 April 2024", date(2024, 4, 17))]


def test_time_after_a_date_is_not_read_as_a_year() -> None:
    assert [m.value for m in find_dates("Meeting 3 May 10:30.", DOC)] == [date(2024, 5, 3)]


@pytest.mark.parametrize(
    "text",
    [
        "Ms Smith will improve attendance from 63% to 85%.",
        "Amira has 2 brothers and 1 sister.",
        "Amira is in Year 6 at school.",
        "Pocket money is £50 a month.",
        "Amira is aged 14 and is accommodated under section 20.",
        "The meeting starts at 10:30 or 10.30.",
        "He scored 7/10 and support is available 24/7.",
        "He went missing on 2/3 occasions.",
        "See section 2.5.24 of the policy.",
        "Phone 0121 704 6000 or postcode B91 3QB.",
        "The 2 children were placed together in 2019.",
    ],
)
def test_numbers_that_are_not_dates_are_ignored(text: str) -> None:
    assert find_dates(text, DOC) == []


def test_percentages_are_not_dates() -> None:
    found = find_dates("Improve attendance from 63% to 85% by 23 July.", DOC)
    assert [m.text for m in found] == ["23 July"]


@pytest.mark.parametrize(
    "text",
    [
        "You may want to talk to your teacher.",
        "All 3 may attend the meeting.",
        "Amira may 2 or 3 times a week ask to ring Mum.",
    ],
)
def test_may_modal_verb_is_not_a_date(text: str) -> None:
    assert find_dates(text, DOC) == []


@pytest.mark.parametrize(
    ("text", "expected_text"),
    [
        ("The review is by 3 May.", "3 May"),
        ("The review is on 3rd may.", "3rd may"),
        ("We will meet in May.", "May"),
        ("We will meet before May 2025.", "May 2025"),
        ("by the end of may", "the end of may"),
    ],
)
def test_may_with_a_day_year_or_lead_in_is_a_month(text: str, expected_text: str) -> None:
    assert [m.text for m in find_dates(text, DOC)] == [expected_text]


def test_lower_case_bare_may_after_by_is_still_the_verb() -> None:
    assert find_dates("Mum said the contact by may change.", DOC) == []


@pytest.mark.parametrize(
    "text", ["They will march 3 miles for charity.", "Do not mar the record.", "March on!"]
)
def test_march_as_a_verb_is_not_a_date(text: str) -> None:
    assert find_dates(text, DOC) == []


def test_sat_as_a_verb_is_not_part_of_a_date() -> None:
    assert [m.text for m in find_dates("She sat 12 July exams.", DOC)] == ["12 July"]
    assert [m.text for m in find_dates("Sat 12 July", DOC)] == ["Sat 12 July"]


def test_bare_month_needs_a_lead_in() -> None:
    assert find_dates("June will help Amira pack.", DOC) == []
    assert [m.text for m in find_dates("Amira will move in June.", DOC)] == ["June"]


def test_possessive_month_name_is_a_person() -> None:
    assert find_dates("Amira will stay in May's house.", DOC) == []


def test_american_order_without_ordinal_or_year_is_not_a_count() -> None:
    assert find_dates("Contact with June 3 times a week.", DOC) == []
    assert [m.value for m in find_dates("Due June 3.", DOC)] == [date(2024, 6, 3)]


def test_yearless_numeric_date_needs_a_lead_in() -> None:
    assert find_dates("Scored 15/03 in the test.", DOC) == []
    assert [m.value for m in find_dates("Due by 15/03.", DOC)] == [date(2024, 3, 15)]


def test_day_of_month_alone_needs_a_lead_in_and_a_clause_end() -> None:
    assert find_dates("She lives on the 2nd floor.", DOC) == []
    assert [m.value for m in find_dates("Send it by the 15th.", DOC)] == [date(2024, 3, 15)]
    assert [m.value for m in find_dates("Send it by the 2nd.", DOC)] == [date(2024, 4, 2)]


def test_invalid_dates_in_text_are_skipped() -> None:
    assert find_dates("Due 31/02/2024 or 29/02/2023.", DOC) == []


# --------------------------------------------------------------------------------------------------
# find_deadline: absolute
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_text", "expected"),
    [
        ("Ms Smith will book Amira's dental check by 15 March 2024.", "by 15 March 2024", date(2024, 3, 15)),
        ("SW to send the letter by 15/03/2024", "by 15/03/2024", date(2024, 3, 15)),
        ("Amira will start at her new school on 3/09/2024.", "on 3/09/2024", date(2024, 9, 3)),
        ("Contact will increase from 3/09/2024.", "from 3/09/2024", date(2024, 9, 3)),
        ("Finish the life story book by the end of June.", "by the end of June", date(2024, 6, 30)),
        ("Complete the assessment by end of March 2025.", "by end of March 2025", date(2025, 3, 31)),
        ("Apply no later than 1st April.", "no later than 1st April", date(2024, 4, 1)),
        ("Book the trip by Friday 12th July.", "by Friday 12th July", date(2024, 7, 12)),
        ("Start the sessions w/c 4th March.", "w/c 4th March", date(2024, 3, 4)),
        ("Start the sessions week commencing 11 March.", "week commencing 11 March", date(2024, 3, 11)),
        ("Return the form by 31.03.25.", "by 31.03.25", date(2025, 3, 31)),
        ("Return the form by 2024-03-15.", "by 2024-03-15", date(2024, 3, 15)),
        ("Amira will have her passport by March 2025.", "by March 2025", date(2025, 3, 31)),
        ("Dad will ring by the 3rd of May.", "by the 3rd of May", date(2024, 5, 3)),
        ("The plan will be updated before 1 June 2024.", "before 1 June 2024", date(2024, 6, 1)),
        ("Amira will stay with Ms Jones until 30 June 2024.", "until 30 June 2024", date(2024, 6, 30)),
        ("The move will happen in April 2024.", "in April 2024", date(2024, 4, 30)),
        ("Deadline: 15/03/2024", "Deadline: 15/03/2024", date(2024, 3, 15)),
        ("Mum will buy the uniform by next Friday 12 July.", "by next Friday 12 July", date(2024, 7, 12)),
        ("The move will happen before Christmas.", "before Christmas", date(2024, 12, 25)),
        ("Book the holiday before Easter.", "before Easter", date(2024, 3, 31)),
    ],
)
def test_absolute_deadlines_include_their_preposition(text: str, expected_text: str, expected: date) -> None:
    found = deadline(text)
    assert (found.text, found.value, found.kind) == (expected_text, expected, "absolute")


def test_missing_year_in_a_deadline_is_the_next_occurrence_after_the_record() -> None:
    assert deadline("Ring school by 1 March.").value == date(2025, 3, 1)
    assert deadline("Finish by the end of February.", date(2024, 3, 4)).value == date(2025, 2, 28)


def test_year_given_in_the_past_is_kept() -> None:
    assert deadline("Book the dental check by 15 January 2024.").value == date(2024, 1, 15)


def test_week_commencing_resolves_to_that_monday() -> None:
    found = deadline("Sessions start w/c 4th March 2024.")
    assert found.value == date(2024, 3, 4) and found.value.weekday() == 0


def test_bare_date_in_a_table_row_is_the_deadline() -> None:
    found = deadline("Dental check | Ms Smith | 15/03/2024")
    assert (found.text, found.value, found.kind) == ("15/03/2024", date(2024, 3, 15), "absolute")


def test_absolute_deadline_without_doc_date_still_resolves_when_year_given() -> None:
    assert deadline("Do it by 15 March 2024.", None).value == date(2024, 3, 15)
    assert deadline("Do it by 15 March.", None).value is None


# --------------------------------------------------------------------------------------------------
# find_deadline: relative
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_text", "expected"),
    [
        ("SW will visit within 4 weeks.", "within 4 weeks", date(2024, 4, 1)),
        ("SW will visit within four weeks.", "within four weeks", date(2024, 4, 1)),
        ("Send the minutes within 28 days.", "within 28 days", date(2024, 4, 1)),
        ("SW will ring Mum in 2 weeks.", "in 2 weeks", date(2024, 3, 18)),
        ("SW will ring Mum in two weeks' time.", "in two weeks' time", date(2024, 3, 18)),
        ("We will meet again in 6 weeks' time.", "in 6 weeks' time", date(2024, 4, 15)),
        ("We will meet again in a week's time.", "in a week's time", date(2024, 3, 11)),
        ("Amira will be registered within the next 3 months.", "within the next 3 months", date(2024, 6, 4)),
        ("Amira will be registered within a month.", "within a month", date(2024, 4, 4)),
        ("Complete the referral within 6-8 weeks.", "within 6-8 weeks", date(2024, 4, 29)),
        ("Write to Amira within twenty-one days.", "within twenty-one days", date(2024, 3, 25)),
        ("Send the report by the end of the month.", "by the end of the month", date(2024, 3, 31)),
        ("Send the report by the end of next month.", "by the end of next month", date(2024, 4, 30)),
        ("Send the report by the end of next week.", "by the end of next week", date(2024, 3, 15)),
        ("Send the report by next week.", "by next week", date(2024, 3, 15)),
        ("Send the report by the end of the week.", "by the end of the week", date(2024, 3, 8)),
        ("Send the report by the end of the year.", "by the end of the year", date(2024, 12, 31)),
        ("Send the report by the end of the day.", "by the end of the day", date(2024, 3, 4)),
        ("SW will ring Amira tomorrow.", "tomorrow", date(2024, 3, 5)),
        ("SW will ring Amira today.", "today", date(2024, 3, 4)),
        ("Amira will start swimming next month.", "next month", date(2024, 4, 30)),
        ("The EDT will ring back within 24 hours.", "within 24 hours", date(2024, 3, 5)),
        ("The EDT will ring back within 48 hours.", "within 48 hours", date(2024, 3, 6)),
        ("Write within 10 working days from the date of this review.",
         "within 10 working days from the date of this review", date(2024, 3, 18)),
        ("Mum will ring by Friday.", "by Friday", date(2024, 3, 8)),
        ("Mum will ring next Friday.", "next Friday", date(2024, 3, 15)),
    ],
)  # fmt: skip
def test_relative_deadlines_count_from_the_record_date(text: str, expected_text: str, expected: date) -> None:
    found = deadline(text)
    assert (found.text, found.value, found.kind) == (expected_text, expected, "relative")


def test_within_working_days_skips_bank_holidays() -> None:
    # Friday 24 May 2024; Monday 27 May 2024 is the Spring Bank Holiday.
    assert deadline("Write within 1 working day.", date(2024, 5, 24)).value == date(2024, 5, 28)
    # Friday 20 December 2024: 25 and 26 December are bank holidays.
    assert deadline("Reply within 5 working days.", date(2024, 12, 20)).value == date(2024, 12, 31)


def test_within_working_days_counts_ten_weekdays() -> None:
    assert deadline("Write within 10 working days.").value == date(2024, 3, 18)


def test_months_are_the_same_day_clamped_to_month_end() -> None:
    assert deadline("Review within 1 month.", date(2024, 1, 31)).value == date(2024, 2, 29)
    assert deadline("Review within 3 months.", date(2023, 11, 30)).value == date(2024, 2, 29)


def test_end_of_week_on_a_weekend_is_not_before_the_record() -> None:
    saturday = date(2024, 3, 9)
    assert deadline("Ring by the end of the week.", saturday).value == saturday
    assert deadline("Ring by the end of next week.", saturday).value == date(2024, 3, 15)


def test_relative_phrases_without_doc_date_keep_their_kind_but_no_value() -> None:
    for text in ("within 4 weeks", "by the end of the month", "tomorrow", "by Friday"):
        found = deadline(text, None)
        assert (found.kind, found.value) == ("relative", None)


@pytest.mark.parametrize(
    "text",
    [
        "Amira goes to a day centre in a day centre van.",
        "Amira is in a year 6 class.",
        "Amira attends nursery in 2 days a week.",
        "Amira has lived here over 6 weeks.",
        "Amira will be 16 in 2 years old.",
    ],
)
def test_counts_that_are_not_periods_are_not_relative_deadlines(text: str) -> None:
    assert find_deadline(text, DOC) is None


# --------------------------------------------------------------------------------------------------
# find_deadline: review, recurring, open, vague
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "before the next review",
        "by the next review",
        "by the next LAC review",
        "by the next CLA review",
        "by the next looked after review",
        "by the next Child Looked After Review",
        "at the next review",
        "by Amira's next review",
        "by Amira’s next review",
        "prior to the next review",
        "in time for the next review meeting",
        "by your next review",
    ],
)
def test_review_phrases_are_review_deadlines(text: str) -> None:
    found = deadline(f"SW will complete the referral {text}.", review=NEXT_REVIEW)
    assert (found.text, found.kind, found.value) == (text, "review", NEXT_REVIEW)


def test_next_review_resolves_only_when_known() -> None:
    assert deadline("Do it before the next review.", review=None).value is None
    assert deadline("Do it before the next review.", review=NEXT_REVIEW).value == NEXT_REVIEW


def test_review_of_another_plan_does_not_take_the_next_review_date() -> None:
    found = deadline("Update the targets by the next PEP review.", review=NEXT_REVIEW)
    assert (found.kind, found.value) == ("review", None)


def test_review_with_a_named_date_uses_that_date() -> None:
    found = deadline("Finish by the next review on 4 October 2024.", review=None)
    assert found.text == "by the next review on 4 October 2024"
    assert (found.kind, found.value) == ("review", date(2024, 10, 4))


def test_review_without_next_or_owner_is_not_a_review_deadline() -> None:
    assert find_deadline("We will review progress.", DOC, NEXT_REVIEW) is None


@pytest.mark.parametrize(
    "text",
    [
        "every two weeks", "every 6 weeks", "every six to eight weeks", "weekly", "fortnightly",
        "monthly", "each week", "twice a week", "once a month", "three times a week",
        "every Saturday", "every other weekend", "daily", "each term", "termly", "6-weekly",
        "six weekly", "on Saturdays", "twice weekly",
    ],
)  # fmt: skip
def test_frequencies_are_recurring_with_no_date(text: str) -> None:
    found = deadline(f"Amira will see her brother {text}.")
    assert (found.text, found.kind, found.value) == (text, "recurring", None)


@pytest.mark.parametrize("text", ["until further notice", "from now on", "with immediate effect"])
def test_open_ended_phrases_are_open_with_no_date(text: str) -> None:
    found = deadline(f"Contact will be supervised {text}.")
    assert (found.text, found.kind, found.value) == (text, "open", None)


@pytest.mark.parametrize(
    "text",
    [
        "Continue to monitor (ongoing).",
        "SW will visit as soon as possible.",
        "The referral will be made in due course.",
        "Assessment to be completed within timescales.",
        "Mum will be contacted within the next few weeks.",
        "Contact will increase soon.",
        "Date TBC.",
        "Amira will have contact every few weeks.",
        "The plan will be reviewed within days.",
    ],
)
def test_vague_timescales_are_not_deadlines(text: str) -> None:
    assert find_deadline(text, DOC, NEXT_REVIEW) is None


def test_no_time_phrase_returns_none() -> None:
    assert find_deadline("Amira enjoys football and drawing.", DOC) is None


# --------------------------------------------------------------------------------------------------
# find_deadline: choosing between several phrases
# --------------------------------------------------------------------------------------------------


def test_by_phrase_wins_over_an_earlier_on_phrase() -> None:
    found = deadline("Amira will start on 3 May 2024 and the referral will be sent by 1 May 2024.")
    assert found.text == "by 1 May 2024"


def test_by_phrase_wins_over_a_later_on_phrase() -> None:
    found = deadline("By 1 May 2024 SW will book the meeting on 3 May 2024.")
    assert found.text == "By 1 May 2024"


def test_within_wins_over_a_frequency() -> None:
    found = deadline("SW will visit every 6 weeks and will write within 10 working days.")
    assert found.text == "within 10 working days"


def test_introduced_phrase_wins_over_a_bare_date() -> None:
    found = deadline("Dental check 15/03/2024 | Ms Smith | on 20/03/2024")
    assert found.text == "on 20/03/2024"


def test_last_phrase_wins_among_equals() -> None:
    found = deadline("SW will write by 1 May 2024 and ring Mum by 8 May 2024.")
    assert found.text == "by 8 May 2024"


def test_date_beats_review_phrase_among_by_phrases() -> None:
    found = deadline("Book it by 15 March 2024, before the next review.", review=NEXT_REVIEW)
    assert found.text == "by 15 March 2024"


def test_a_start_date_beats_a_frequency() -> None:
    # "every Saturday from 3 May": the first one is due on 3 May, so that is the date to check.
    found = deadline("Mum will have contact every Saturday from 3 May 2024.")
    assert (found.text, found.kind, found.value) == ("from 3 May 2024", "absolute", date(2024, 5, 3))
    found = deadline("Sarah Finch (PA) to meet Dawit monthly, starting 06/05/2025.")
    assert (found.text, found.value) == ("starting 06/05/2025", date(2025, 5, 6))


def test_frequencies_tied_to_visits_and_weekdays_of_the_month() -> None:
    for text, phrase in (
        ("Ravi will phone Mum on the Friday before each visit to check she is coming.", "before each visit"),
        ("Carers to send a photo diary to Mum on the first Monday of every month.", "the first Monday of every month"),
    ):
        found = deadline(text)
        assert found is not None and found.kind == "recurring" and phrase in found.text, text


def test_frequency_beats_an_open_end() -> None:
    found = deadline("Contact will be weekly until further notice.")
    assert (found.text, found.kind) == ("weekly", "recurring")


def test_deadline_offsets_index_the_text_passed_in() -> None:
    text = "  - Ms Smith will book the dental check by 15 March 2024."
    found = deadline(text)
    assert text[found.start : found.end] == "by 15 March 2024"


def test_false_positive_numbers_do_not_become_deadlines() -> None:
    text = "Ms Smith will improve attendance from 63% to 85% by 23 July"
    found = deadline(text)
    assert (found.text, found.value) == ("by 23 July", date(2024, 7, 23))


# --------------------------------------------------------------------------------------------------
# find_deadline: table cells, weeks, anchors and look-backs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "kind", "expected"),
    [
        ("4 weeks", "relative", date(2024, 4, 1)),
        ("10 working days", "relative", date(2024, 3, 18)),
        ("Next review", "review", NEXT_REVIEW),
        ("4/5", "absolute", date(2024, 5, 4)),
        ("end July", "absolute", date(2024, 7, 31)),
        ("End of month", "relative", date(2024, 3, 31)),
        ("Sundays", "recurring", None),
        ("6 weekly", "recurring", None),
    ],
)
def test_a_by_when_cell_on_its_own_is_a_deadline(cell: str, kind: str, expected: date | None) -> None:
    found = deadline(cell, review=NEXT_REVIEW)
    assert (found.text, found.kind, found.value) == (cell, kind, expected)


def test_cell_phrases_are_found_in_a_whole_table_row() -> None:
    row = "Book the dental check | Ms Smith | 4 weeks"
    found = deadline(row)
    assert (found.text, found.value) == ("4 weeks", date(2024, 4, 1))
    assert row[found.start : found.end] == "4 weeks"


def test_a_count_in_a_sentence_is_not_a_period() -> None:
    assert find_deadline("Amira has 4 weeks of swimming lessons left.", DOC) is None


def test_round_the_clock_is_not_a_date_unless_introduced() -> None:
    assert find_deadline("24/7", DOC) is None
    assert deadline("Apply on or before 24/7.").value == date(2024, 7, 24)


@pytest.mark.parametrize(
    ("text", "expected_text"),
    [
        ("Sessions will start by w/c 11th March.", "by w/c 11th March"),
        ("Sessions will start during w/c 11/3/2024.", "during w/c 11/3/2024"),
        ("Sessions will start in the week of 11th March.", "in the week of 11th March"),
    ],
)
def test_week_commencing_keeps_its_lead_in(text: str, expected_text: str) -> None:
    found = deadline(text)
    assert (found.text, found.value) == (expected_text, date(2024, 3, 11))


def test_by_week_commencing_is_a_by_phrase() -> None:
    found = deadline("By w/c 11th March 2024 SW will meet Amira on 4 April 2024.")
    assert found.text == "By w/c 11th March 2024"


def test_label_takes_a_colon_but_a_preposition_does_not() -> None:
    assert deadline("Target date: 15/03/2024").text == "Target date: 15/03/2024"
    assert deadline("Date became looked after: 31 October 2023").text == "31 October 2023"


def test_period_counted_from_an_event_has_no_single_date() -> None:
    found = deadline("Offer a return home interview within 72 hours of any missing episode.")
    assert (found.text, found.kind, found.value) == (
        "within 72 hours of any missing episode", "relative", None)  # fmt: skip
    assert deadline("Tell you within two weeks of hearing back.").value is None
    found = deadline("Offer a chat within 72 hours of any missing episode because you asked.")
    assert (found.text, found.value) == ("within 72 hours of any missing episode", None)


def test_period_counted_from_this_record_resolves() -> None:
    found = deadline("SW will write within 4 weeks of this plan.")
    assert (found.text, found.value) == ("within 4 weeks of this plan", date(2024, 4, 1))


def test_since_a_date_is_never_a_deadline() -> None:
    assert find_deadline("You have lived at Oakwood since July.", DOC) is None
    assert find_deadline("Seen weekly since 3 March 2024.", DOC).kind == "recurring"  # type: ignore[union-attr]


def test_at_the_review_without_next_is_not_a_review_deadline() -> None:
    assert find_deadline("Everyone at the review agreed with this.", DOC, NEXT_REVIEW) is None


@pytest.mark.parametrize(
    "owner", ["the young person's", "the child's", "CYP's", "his", "their", "Amira's", "James'"]
)
def test_review_belonging_to_the_child_is_a_review_deadline(owner: str) -> None:
    found = deadline(f"Book it before {owner} next review.", review=NEXT_REVIEW)
    assert (found.text, found.value) == (f"before {owner} next review", NEXT_REVIEW)


def test_plural_weekday_needs_on_to_be_a_frequency() -> None:
    assert find_deadline("SW will ask Mum if contact can move to Saturdays.", DOC) is None
    assert deadline("Amira sees Dad on Saturdays.").kind == "recurring"


@pytest.mark.parametrize(
    "text", ["at least every 6 weeks", "every Wednesday after school", "3x weekly", "2x a week"]
)
def test_frequency_phrases_keep_their_qualifiers(text: str) -> None:
    found = deadline(f"Contact will take place {text}.")
    assert (found.text, found.kind) == (text, "recurring")


# --------------------------------------------------------------------------------------------------
# add_working_days
# --------------------------------------------------------------------------------------------------


def test_add_working_days_skips_weekends() -> None:
    assert add_working_days(date(2024, 3, 8), 1) == date(2024, 3, 11)  # Friday -> Monday


def test_add_working_days_skips_christmas_and_boxing_day() -> None:
    assert add_working_days(date(2024, 12, 24), 1) == date(2024, 12, 27)


def test_add_working_days_skips_substitute_bank_holidays() -> None:
    # Christmas 2027 is a Saturday: Monday 27 and Tuesday 28 December are substitute days.
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


def test_add_working_days_skips_easter() -> None:
    # Good Friday 29 March and Easter Monday 1 April 2024.
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)


def test_add_working_days_zero_is_the_start_day() -> None:
    assert add_working_days(date(2024, 3, 9), 0) == date(2024, 3, 9)


def test_add_working_days_counts_backwards_for_negative_n() -> None:
    assert add_working_days(date(2024, 5, 28), -1) == date(2024, 5, 24)


# --------------------------------------------------------------------------------------------------
# find_vague_timescales
# --------------------------------------------------------------------------------------------------

VAGUE = ["ongoing", "as soon as possible", "ASAP", "soon", "in due course", "TBC", "when appropriate"]


def test_vague_timescales_match_case_insensitively_with_offsets() -> None:
    text = "SW will visit ASAP; contact is Ongoing."
    assert find_vague_timescales(text, VAGUE) == [(14, 18, "ASAP"), (31, 38, "Ongoing")]


def test_vague_timescales_match_whole_words_only() -> None:
    assert find_vague_timescales("Sooner or later, the asapish plan.", ["soon", "asap"]) == []


def test_longest_vague_phrase_wins() -> None:
    found = find_vague_timescales("Do it as soon as possible.", VAGUE)
    assert found == [(6, 25, "as soon as possible")]


def test_vague_phrase_spacing_is_flexible() -> None:
    assert find_vague_timescales("in  due\ncourse", VAGUE) == [(0, 14, "in  due\ncourse")]


def test_vague_timescales_with_no_phrases_find_nothing() -> None:
    assert find_vague_timescales("ongoing", []) == []
    assert find_vague_timescales("ongoing", ["", "  "]) == []


# --------------------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------------------


def test_date_mention_is_immutable() -> None:
    mention = DateMention(0, 1, "x", None, "open")
    with pytest.raises(AttributeError):
        mention.start = 2  # type: ignore[misc]


@pytest.mark.parametrize("bad", [None, "", "   ", 42, b"by 15 March", ["by 15 March"]])
def test_odd_input_returns_empty_results(bad: object) -> None:
    assert find_dates(bad) == []  # type: ignore[arg-type]
    assert find_deadline(bad, DOC) is None  # type: ignore[arg-type]
    assert parse_date(bad) is None  # type: ignore[arg-type]
    assert find_vague_timescales(bad, VAGUE) == []  # type: ignore[arg-type]


def test_odd_reference_dates_are_ignored_not_raised() -> None:
    assert find_deadline("within 4 weeks", "2024-03-04", "soon") is not None  # type: ignore[arg-type]
    assert find_deadline("within 4 weeks", datetime(2024, 3, 4, 12)).value == date(2024, 4, 1)  # type: ignore[union-attr]


def test_dates_near_the_calendar_limits_do_not_raise() -> None:
    assert find_deadline("within 999 years", date(9999, 12, 1)) is not None
    assert find_deadline("by 31 December", date(9999, 12, 31)) is not None
    assert find_deadline("by Christmas", date(9999, 12, 31)) is not None
    assert find_dates("by the 31st.", date(9999, 12, 31)) is not None


def test_random_text_never_raises() -> None:
    rng = random.Random(20240304)
    tokens = [
        "by",
        "within",
        "on",
        "from",
        "the",
        "end",
        "of",
        "next",
        "week",
        "month",
        "year",
        "15",
        "3rd",
        "31/02/2024",
        "2024-13-45",
        "May",
        "may",
        "March",
        "every",
        "two",
        "weeks",
        "review",
        "Amira's",
        "LAC",
        "w/c",
        "24/7",
        "£50",
        "63%",
        "10:30",
        "(",
        ")",
        "|",
        ".",
        ",",
        "'",
        "’",
        "-",
        "–",
        "\n",
        "tomorrow",
        "Friday",
        "Sat",
        "99999",
        "0",
        "00/00/00",
        "working",
        "days",
        "hours",
        "in",
        "a",
        "time",
        "Christmas",
        "the",
        "2nd",
    ]
    for _ in range(2000):
        text = " ".join(rng.choice(tokens) for _ in range(rng.randint(0, 14)))
        for found in find_dates(text, DOC):
            assert text[found.start : found.end] == found.text
        result = find_deadline(text, DOC, NEXT_REVIEW)
        if result is not None:
            assert text[result.start : result.end] == result.text
        parse_date(text, DOC)
        find_vague_timescales(text, VAGUE)


def test_long_text_is_handled() -> None:
    text = ("Amira enjoys school. " * 2000) + "SW will visit by 15 March 2024."
    assert deadline(text).value == date(2024, 3, 15)


def test_school_term_deadline_without_a_date_is_a_calendar_point() -> None:
    """Issue 19 item 7: found (its words are the deadline text) but undated, so not timebound."""
    m = find_deadline("SENCO to hold the review by the end of the summer term", date(2024, 6, 1))
    assert m is not None and m.text == "by the end of the summer term" and m.kind == "calendar" and m.value is None


def test_month_and_year_only_resolves_to_the_end_of_that_month() -> None:
    m = find_deadline("RHA due 12/2024 - SW to request.", date(2024, 6, 1))
    assert m is not None and m.value == date(2024, 12, 31)


def test_at_every_visit_is_a_recurring_timescale() -> None:
    m = find_deadline("I will check with you at every visit whether you feel safe.", date(2024, 6, 1))
    assert m is not None and m.kind == "recurring"


def test_a_resolvable_deadline_beats_an_event_relative_one() -> None:
    m = find_deadline("Becky will write by 21 June and tell you within two weeks of hearing back.", date(2024, 6, 1))
    assert m is not None and m.value == date(2024, 6, 21)


def test_a_term_deadline_with_its_date_in_brackets_takes_that_date() -> None:
    m = find_deadline("The nursery is to complete the PEP by the end of the summer term (21/07/2023).", date(2023, 3, 1))
    assert m is not None and m.value == date(2023, 7, 21)


def test_a_month_named_after_for_is_not_a_deadline() -> None:
    assert find_deadline("Ms Fraser to share the timetable for September with Mrs Evans.", date(2023, 3, 1)) is None


def test_next_meeting_resolves_to_the_next_review_date() -> None:
    m = find_deadline("Jack will add pages before your next meeting.", date(2023, 3, 1), date(2023, 9, 1))
    assert m is not None and m.kind == "review" and m.value == date(2023, 9, 1)


def test_this_weekend_and_for_the_next_weeks_are_due_at_their_end() -> None:
    wed = date(2027, 1, 13)
    assert find_deadline("Pauline will sit with you to download the app this weekend.", wed).value == date(2027, 1, 17)
    assert find_deadline("Jo will post the form by the weekend.", wed).value == date(2027, 1, 17)
    assert find_deadline("Jo will ring you next weekend.", wed).value == date(2027, 1, 24)
    hit = find_deadline("Carol will keep a bedtime diary with you for the next four weeks so we can see.", wed)
    assert hit.text == "for the next four weeks" and hit.value == date(2027, 2, 10)
    # A habit and a duration in the past are not deadlines.
    assert find_deadline("You see your dad at the weekend.", wed) is None
    assert find_deadline("He has lived there for 6 weeks.", wed) is None


def test_a_daily_log_is_a_record_not_a_frequency() -> None:
    assert find_deadline("Record night waking in the daily log", date(2026, 1, 1)) is None
    m = find_deadline("Staff will see her daily", date(2026, 1, 1))
    assert m is not None and m.kind == "recurring"
