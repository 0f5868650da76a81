"""Windowed tagging changes no report and no tag (measure/identity.py; the 100k-token proof is
`caseqa bench --identity`, docs/PERFORMANCE.md)."""

from __future__ import annotations

import pytest

from measure import identity


def test_reports_and_tags_are_identical_with_windowed_and_whole_unit_tagging() -> None:
    result = identity.run(generated_tokens=3000, sets=("corpus/handwritten",))
    assert result["gold_sets"] == ["corpus/handwritten"]
    assert result["gold_records"] >= 40 and result["generated_records"] >= 1
    assert result["receptive_field"] == 4
    assert result["reports_differing_unit"] == 0
    assert result["reports_differing_window"] == 0, result["differing"]
    assert result["tag_tokens_compared"] == result["tokens"]  # every token compared once
    assert result["tag_differences"] == 0
    assert result["identical"] is True
    tagged = result["tagged_tokens"]
    assert isinstance(tagged, dict)
    # The default tags fewer tokens than whole units on demand, which tags fewer than every unit.
    assert tagged["window"] < tagged["unit"] < tagged["all"] == result["tokens"]
    assert isinstance(result["tagged_in_windows"], int) and result["tagged_in_windows"] > 0


def test_the_held_out_sets_are_never_read() -> None:
    with pytest.raises(ValueError, match="held-out"):
        identity.run(generated_tokens=0, sets=("corpus/blind4",))
