"""Scoring (issue 14): no free marks. A dimension that does not apply is not scored and left out of the
overall score; a record whose type cannot be read says so; a nearly empty record is graded as one."""

from __future__ import annotations

import pytest

from analyser import analyse
from analyser.checks import CheckResult
from analyser.report import DIMENSIONS, DimensionResult, Report
from analyser.rubric import load_rubric
from analyser.scoring import applied_weights, overall

VISIT = (
    "Statutory visit record\n\n"
    "I visited Amira at her foster home on Tuesday afternoon. She showed me her bedroom and the drawings she "
    "has made at school this term. She told me that she likes living with Sam and Priya and that she enjoys "
    "walking their dog in the park after tea. We talked about her friends at school and what she would like "
    "to do in the summer.\n"
)


def test_a_record_that_is_not_a_plan_is_not_given_free_marks_for_plan_detail_or_actions() -> None:
    r = analyse(VISIT)
    assert r.doc_type == "other"
    for d in ("plan_detail", "timebound_actions"):
        assert r.dimensions[d].score is None and r.dimensions[d].applies is False
        assert r.dimensions[d].summary.startswith("Not scored")
    # The overall is the mean of the two scored dimensions by their renormalised weights, not with 100s.
    w = load_rubric().weights
    cdl, read = r.dimensions["child_directed_language"].score, r.dimensions["readability"].score
    assert cdl is not None and read is not None
    expected = (w["child_directed_language"] * cdl + w["readability"] * read) / (w["child_directed_language"] + w["readability"])
    assert r.overall.score == pytest.approx(expected, abs=0.06)


def test_a_record_whose_type_cannot_be_read_says_so_and_names_doc_type() -> None:
    r = analyse(VISIT)
    said = [f for f in r.findings if f.rule == "plan_detail.doc_type_unknown"]
    assert len(said) == 1 and "--doc-type" in (said[0].suggestion or "")
    assert "--doc-type" in r.dimensions["plan_detail"].summary
    # Given the type, the record is scored as that type and the finding is gone.
    typed = analyse(VISIT, doc_type="care_plan")
    assert typed.dimensions["plan_detail"].score is not None
    assert not [f for f in typed.findings if f.rule == "plan_detail.doc_type_unknown"]


def test_the_api_case_two_headings_and_no_concerns_is_inadequate_not_good() -> None:
    # Issue 14: through the API this scored 84 (good): 100 for plan detail and actions it was never asked for.
    r = analyse("Summary\nThe child is fine.\n\nPlan\nNo concerns.\n")
    assert r.overall.grade == "inadequate" and r.overall.score < 50
    assert r.dimensions["plan_detail"].score is not None and r.dimensions["plan_detail"].score <= 10
    assert any(f.rule == "plan_detail.nearly_empty" for f in r.findings)
    assert all(d.score != 100 for name, d in r.dimensions.items() if name != "readability")


def test_a_nearly_empty_care_plan_is_graded_as_nearly_empty() -> None:
    r = analyse("CARE PLAN\n\nHealth\nNo concerns.\n\nEducation\nAs per plan.\n")
    assert r.overall.grade == "inadequate"
    assert r.dimensions["plan_detail"].metrics["content_words"] < 10


def test_weights_are_renormalised_over_the_scored_dimensions() -> None:
    rubric = load_rubric()
    results = {d: CheckResult(50.0, "") for d in DIMENSIONS}
    results["plan_detail"] = CheckResult(None, "Not scored: test.")
    weights = applied_weights(results, rubric)
    assert "plan_detail" not in weights and sum(weights.values()) == pytest.approx(1.0)
    assert overall(results, rubric).score == 50.0
    none = {d: CheckResult(None, "Not scored: test.") for d in DIMENSIONS}
    assert overall(none, rubric).score == 0.0 and overall(none, rubric).grade == "inadequate"


def test_a_dimension_has_a_score_exactly_when_it_applies() -> None:
    assert DimensionResult(score=None, summary="Not scored.", applies=False).shown() == "not scored"
    assert DimensionResult(score=83.4, summary="").shown() == "83"
    with pytest.raises(ValueError):
        DimensionResult(score=None, summary="")
    with pytest.raises(ValueError):
        DimensionResult(score=50, summary="", applies=False)


def test_a_not_scored_report_round_trips_through_json() -> None:
    r = analyse(VISIT)
    data = r.to_dict()
    assert data["dimensions"]["plan_detail"] == {**data["dimensions"]["plan_detail"], "score": None, "applies": False}
    assert Report.from_dict(data) == r


def _plan_with(dated: int, undated: int) -> str:
    people = ["Jo Smith", "Sam Reid", "Priya Shah", "Tom Hale", "Ann Lee"]
    lines = [f"- {people[i % 5]} will ring the school about the reading plan by {10 + i} March 2025." for i in range(dated)]
    lines += [f"- {people[i % 5]} will ring the school about the reading plan." for i in range(undated)]
    return "CARE PLAN\nName: Amy Lee\nDate: 03/03/2025\n\nActions\n" + "\n".join(lines) + "\n"


def test_timebound_is_led_by_the_share_of_smart_actions_and_each_fixed_action_shows() -> None:
    # Issue 14 item 1: ten owned actions with no date are inadequate on this dimension; all SMART near 100;
    # each action given a date adds about the same.
    scores = [analyse(_plan_with(k, 10 - k)).dimensions["timebound_actions"].score for k in range(11)]
    assert all(s is not None for s in scores)
    assert scores[0] <= 30 and scores[10] >= 95  # type: ignore[operator]
    steps = [b - a for a, b in zip(scores, scores[1:])]  # type: ignore[operator]
    assert all(step > 0 for step in steps) and max(steps) - min(steps) <= 3, steps
