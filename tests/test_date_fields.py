"""Dates given beside a record and stored dates: one reader for every adapter; one way to write a date."""

from __future__ import annotations

from datetime import date

import pytest

from analyser import analyse, warm_up
from analyser.date_fields import given_date, iso_date
from analyser.dates import long_date
from analyser.rubric import RubricError


def test_given_dates_are_read_day_first_and_bad_ones_name_the_field() -> None:
    assert given_date("2025-03-18") == date(2025, 3, 18)
    assert given_date("02/11/2024") == date(2024, 11, 2)  # UK order: 2 November
    assert given_date(date(2024, 1, 5)) == date(2024, 1, 5)
    assert given_date(None) is None
    with pytest.raises(ValueError, match=r"next_review 'soon' is not a date \(use YYYY-MM-DD or DD/MM/YYYY\)"):
        given_date("soon", "next_review")
    with pytest.raises(ValueError, match=r"^not a date"):
        given_date("soon")


def test_the_analyser_and_the_api_reject_a_bad_date_alike() -> None:
    from pydantic import ValidationError

    from service.schemas import AnalyseOptions

    with pytest.raises(ValueError, match="date 'tomorrow' is not a date"):
        analyse("Jo will visit you by 2 May 2025.", date="tomorrow")
    with pytest.raises(ValidationError, match="not a date"):
        AnalyseOptions(date="tomorrow")
    assert AnalyseOptions(date="02/11/2024").date == "2024-11-02"


def test_stored_iso_dates_read_back_leniently() -> None:
    assert iso_date("2025-03-18") == date(2025, 3, 18)
    assert iso_date(date(2025, 3, 18)) == date(2025, 3, 18)
    assert iso_date("") is None and iso_date(None) is None
    assert iso_date("18/03/2025") is None  # stored dates are ISO; anything else is no date, not an error


def test_dates_are_written_one_way() -> None:
    assert long_date(date(2025, 3, 8)) == "8 March 2025"
    assert long_date("2025-03-18") == "18 March 2025"
    assert long_date(None) == "" and long_date("") == ""


def test_warm_up_fails_on_a_bad_rubric_with_its_own_error(tmp_path) -> None:
    warm_up()  # the default rubric and pipeline load
    bad = tmp_path / "bad.toml"
    bad.write_text("this is not toml = = =\n")
    with pytest.raises(RubricError):
        warm_up(str(bad))
