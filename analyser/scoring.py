"""Scoring: dimension results -> overall score and grade, by the rubric's weights and thresholds."""

from __future__ import annotations

from analyser.checks import CheckResult
from analyser.report import DIMENSIONS, DimensionResult, Overall
from analyser.rubric import Rubric


def overall(results: dict[str, CheckResult], rubric: Rubric) -> Overall:
    """Weighted mean of the dimension scores, graded by the rubric's thresholds."""
    score = round(sum(rubric.weights[d] * results[d].score for d in DIMENSIONS), 1)
    return Overall(score=score, grade=rubric.grade_for(score))  # type: ignore[arg-type]


def dimension_results(results: dict[str, CheckResult]) -> dict[str, DimensionResult]:
    return {
        d: DimensionResult(score=results[d].score, summary=results[d].summary, metrics=results[d].metrics)
        for d in DIMENSIONS
    }
