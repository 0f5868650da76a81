"""Scoring: dimension results -> overall score and grade, by the rubric's weights and thresholds.

A dimension that does not apply to a record (its check returned no score) is left out and the other
weights are renormalised: it is never scored 100 for what it was not asked to do.
"""

from __future__ import annotations

from analyser.checks import CheckResult
from analyser.report import DIMENSIONS, DimensionResult, Overall
from analyser.rubric import Rubric


def applied_weights(results: dict[str, CheckResult], rubric: Rubric) -> dict[str, float]:
    """The weights of the dimensions that were scored, renormalised to sum to 1 (empty if none was)."""
    scored = {d: rubric.weights[d] for d in DIMENSIONS if results[d].score is not None}
    total = sum(scored.values())
    return {d: w / total for d, w in scored.items()} if total > 0 else {}


def overall(results: dict[str, CheckResult], rubric: Rubric) -> Overall:
    """Weighted mean of the scored dimensions, graded by the rubric's thresholds (0 if none was scored)."""
    weights = applied_weights(results, rubric)
    score = round(sum(w * float(results[d].score or 0.0) for d, w in weights.items()), 1)
    return Overall(score=score, grade=rubric.grade_for(score))  # type: ignore[arg-type]


def dimension_results(results: dict[str, CheckResult]) -> dict[str, DimensionResult]:
    return {
        d: DimensionResult(score=results[d].score, summary=results[d].summary, metrics=results[d].metrics,
                           applies=results[d].score is not None)
        for d in DIMENSIONS
    }
