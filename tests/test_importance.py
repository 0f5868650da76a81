"""The one ranking of rule ids that every view reads when it must choose what comes first."""

from __future__ import annotations

from analyser.importance import rule_rank


def test_an_undated_school_calendar_point_ranks_with_a_missing_date() -> None:
    """Issue 19 item 7: "by half-term" with no date is no usable date, so it ranks beside no_deadline,
    above the unlisted middle and the style rules."""
    undated = rule_rank("timebound_actions.school_date_unknown")
    assert rule_rank("timebound_actions.no_deadline") < undated < rule_rank("timebound_actions.vague_timescale")
    assert undated < rule_rank("some.unlisted_rule") < rule_rank("readability.passive_voice")
