"""The checks, one module per dimension, registered by name.

Each check reads the shared :class:`~analyser.nlp.Analysis` and returns a :class:`CheckResult` with the
dimension score, findings and (for timebound actions) the record's actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from analyser import nlp
from analyser.facts import Facts
from analyser.nlp import Analysis, Unit
from analyser.report import Action, Finding
from analyser.rubric import Rubric


@dataclass
class CheckResult:
    score: float
    summary: str
    metrics: dict[str, float | int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


class Check(Protocol):
    def __call__(self, analysis: Analysis, facts: Facts, rubric: Rubric) -> CheckResult: ...


REGISTRY: dict[str, Check] = {}
# Per check: which units it will read part-of-speech tags on (see analyser.nlp: tagging runs on demand).
TAG_HINTS: dict[str, Callable[[Unit], bool]] = {}


def register(dimension: str) -> Callable[[Check], Check]:
    """Register a check function under its dimension name."""

    def deco(fn: Check) -> Check:
        REGISTRY[dimension] = fn
        return fn

    return deco


def wants_tags(dimension: str) -> Callable[[Callable[[Unit], bool]], Callable[[Unit], bool]]:
    """Register a cheap predicate: the units a check will read ``tag_`` on, so they are tagged in one batch.

    A hint only saves time: a unit it misses is tagged when the check reads it, one that it wrongly
    includes is tagged for nothing. Answers never depend on it.
    """

    def deco(fn: Callable[[Unit], bool]) -> Callable[[Unit], bool]:
        TAG_HINTS[dimension] = fn
        return fn

    return deco


def prefetch_tags(analysis: Analysis) -> None:
    """Tag, in one batch, every unit some check's hint says it will read tags on."""
    hints = list(TAG_HINTS.values())
    nlp.tag_units([u.doc for u in analysis.units if u.doc is not None and not u.doc.tagged and any(h(u) for h in hints)])


def finding(
    analysis: Analysis,
    dimension: str,
    code: str,
    severity: str,
    message: str,
    start: int,
    end: int,
    suggestion: str | None = None,
) -> Finding:
    """A finding pointing at text[start:end] (the excerpt is those words, trimmed to 200 characters)."""
    excerpt = analysis.text[start:end]
    if len(excerpt) > 200:
        excerpt = excerpt[:197] + "..."
    return Finding(
        dimension=dimension,
        code=code,
        severity=severity,  # type: ignore[arg-type]
        message=message,
        start=start,
        end=end,
        excerpt=excerpt,
        suggestion=suggestion,
    )


def clamp(score: float) -> float:
    return round(max(0.0, min(100.0, score)), 1)


def load_all() -> dict[str, Check]:
    """Import the check modules so they register themselves."""
    from analyser.checks import (  # noqa: F401
        child_directed_language,
        plan_detail,
        readability,
        timebound_actions,
    )

    # Timebound actions runs first: plan detail reads the actions it found from the analysis.
    order = ["timebound_actions", "child_directed_language", "readability", "plan_detail"]
    return {name: REGISTRY[name] for name in order if name in REGISTRY} | REGISTRY
