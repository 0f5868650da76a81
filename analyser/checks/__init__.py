"""The checks, one module per dimension, each registered in :mod:`analyser.registry`.

A check is a function of a :class:`CheckContext` (the shared :class:`~analyser.nlp.Analysis`, the record
facts, the rubric, the check's own settings and what earlier checks provided) returning a
:class:`CheckResult` with the dimension score, findings, and the provisions it declared (for timebound
actions: the record's actions). :func:`run_checks` runs the registry in dependency order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel

from analyser import nlp, registry
from analyser.facts import Facts
from analyser.nlp import Analysis, Unit
from analyser.registry import Provision
from analyser.report import Action, Finding, FindingValue
from analyser.rubric import Rubric
from analyser.rules import Match, PhraseRule

S = TypeVar("S", bound=BaseModel)
T = TypeVar("T")

# What checks share. A new provision is declared here (or in the check module that makes it).
ACTIONS: Provision[list[Action]] = Provision("actions", "the record's actions: who will do what by when")


@dataclass
class CheckResult:
    """A check's answer. ``score`` is None when the dimension does not apply to the record (the summary
    says why); scoring then leaves it out of the overall score instead of giving it free marks."""

    score: float | None
    summary: str
    metrics: dict[str, float | int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    provided: dict[str, Any] = field(default_factory=dict)

    def provide(self, what: Provision[T], value: T) -> CheckResult:
        """Hand ``value`` to the checks that require ``what`` (and to the report, for actions)."""
        self.provided[what.name] = value
        return self

    @property
    def applies(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class CheckContext(Generic[S]):
    """Everything a check reads: one record's analysis and facts, the rubric, and its own settings."""

    name: str
    analysis: Analysis
    facts: Facts
    rubric: Rubric
    settings: S
    _inputs: dict[str, Any]
    _allowed: frozenset[str]

    def get(self, what: Provision[T]) -> T:
        """A provision of an earlier check; only one this check declared in ``requires``."""
        if what.name not in self._allowed:
            raise registry.RegistryError(f"check '{self.name}' reads '{what.name}' without requiring it")
        return cast(T, self._inputs[what.name])


@dataclass
class CheckRun:
    """The results of every registered check on one record, and what they provided."""

    results: dict[str, CheckResult]  # in the report's dimension order
    provided: dict[str, Any]

    def get(self, what: Provision[T], default: T) -> T:
        return cast(T, self.provided.get(what.name, default))


def run_checks(analysis: Analysis, facts: Facts, rubric: Rubric) -> CheckRun:
    """Run the registered checks in dependency order; results come back in the dimensions' order."""
    provided: dict[str, Any] = {}
    results: dict[str, CheckResult] = {}
    for spec in registry.run_order():
        ctx: CheckContext[Any] = CheckContext(
            spec.name, analysis, facts, rubric, rubric.settings[spec.name], provided,
            frozenset(p.name for p in spec.requires),
        )
        result = spec.run(ctx)
        undeclared = sorted(set(result.metrics) - set(spec.metrics)) if spec.metrics else []
        if undeclared:
            raise registry.RegistryError(f"check '{spec.name}' reported metrics it did not declare: {', '.join(undeclared)}")
        for p in spec.provides:
            if p.name not in result.provided:
                raise registry.RegistryError(f"check '{spec.name}' did not provide '{p.name}' as it declared")
        provided.update(result.provided)
        results[spec.name] = result
    return CheckRun({name: results[name] for name in registry.DIMENSIONS}, provided)


# Per check: which units it will read part-of-speech tags on (see analyser.nlp: tagging runs on demand):
# True for the whole unit, or the positions of the tokens it reads.
TagHint = Callable[[Unit], bool | Collection[int] | None]
TAG_HINTS: dict[str, TagHint] = {}


def wants_tags(dimension: str) -> Callable[[TagHint], TagHint]:
    """Register a cheap predicate: the units a check will read ``tag_`` on, so they are tagged in one batch.

    It answers True (the check may read any token of the unit), False (or None, or nothing), or the positions of the tokens it
    will read: those are tagged in windows (:func:`analyser.nlp.tag_windows`), cheaper than the unit.
    A hint only saves time: a token it misses is tagged (with its whole unit) when the check reads it, one
    that it wrongly includes is tagged for nothing. Answers never depend on it.
    """

    def deco(fn: TagHint) -> TagHint:
        TAG_HINTS[dimension] = fn
        return fn

    return deco


def prefetch_tags(analysis: Analysis) -> None:
    """Tag, in one batch, every unit or token some check's hint says it will read tags on (every unit in
    the ``all`` tagging mode)."""
    units = [u for u in analysis.units if u.doc is not None and not u.doc.tagged]
    if nlp.tagging_mode() == "all":
        nlp.tag_units([u.doc for u in units if u.doc is not None])
        return
    hints = list(TAG_HINTS.values())
    whole: list[nlp.Tokens] = []
    some: list[tuple[nlp.Tokens, set[int]]] = []
    for u in units:
        assert u.doc is not None
        positions: set[int] = set()
        for h in hints:
            answer = h(u)
            if answer is True:
                whole.append(u.doc)
                break
            if answer:
                positions.update(cast(Collection[int], answer))
        else:
            if positions:
                some.append((u.doc, positions))
    nlp.tag_windows(some, whole)


def finding(
    analysis: Analysis,
    dimension: str,
    code: str,
    severity: str,
    message: str,
    start: int,
    end: int,
    suggestion: str | None = None,
    *,
    term: str | None = None,
    data: dict[str, FindingValue] | None = None,
) -> Finding:
    """A finding pointing at text[start:end] (the excerpt is those words, trimmed to 200 characters).

    Its ``rule`` is ``dimension.code``; ``term`` and ``data`` carry what readers need (the section, the
    acronym, the preferred word) so nothing downstream ever reads the message.
    """
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
        rule=f"{dimension}.{code}",
        term=term,
        data=data or {},
    )


def phrase_finding(analysis: Analysis, rule: PhraseRule, match: Match, *, swap: str | None = None,
                   start: int | None = None, end: int | None = None, **values: object) -> Finding:
    """The finding of a phrase rule (analyser/rules/): message and suggestion from the rule's data.

    A substitution's suggestion is given only when there is a swap; ``values`` fill the rule's other
    placeholders ({label}, ...). The finding points at the match unless ``start``/``end`` say otherwise.
    """
    fill = {"match": match.text, "term": match.text, "swap": swap or "", **values}
    suggestion = rule.suggestion(**fill) if (swap or rule.spec.extends == "existence") else None
    data: dict[str, FindingValue] = {"preferred": swap} if swap and rule.spec.extends == "substitution" else {}
    return finding(
        analysis, rule.spec.dimension, rule.spec.code, rule.spec.severity, rule.message(**fill),
        match.start if start is None else start, match.end if end is None else end, suggestion,
        term=match.text, data=data,
    )


def clamp(score: float) -> float:
    return round(max(0.0, min(100.0, score)), 1)
