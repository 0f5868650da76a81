"""The check registry is the source of truth: adding a check is one module, and the engine honours
what checks provide and require."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import Field

from analyser import analyse, registry
from analyser.checks import ACTIONS, CheckContext, CheckResult, clamp, finding
from analyser.registry import DIMENSIONS, Appearance, Provision, RegistryError, register
from analyser.rubric import CheckSettings, load_rubric

RECORD = (
    "Care plan for Amira (age 12), 4 March 2025.\n"
    "Jo (your social worker) will book your health assessment by 15 March 2025.\n"
    "You told me you like drawing. We will support you as soon as possible.\n"
)


# ---- a toy check, written exactly as a new module under analyser/checks/ would be ---------------------


class ExclamationSettings(CheckSettings):
    penalty_per_mark: float = Field(default=10, ge=0)


def _register_toy() -> None:
    @register(
        "exclamations",
        settings=ExclamationSettings,
        weight=0.1,
        order=50,
        requires=(ACTIONS,),
        appearance=Appearance("Calm", "no shouting", "#777777", "#eeeeee", "on grey23"),
    )
    def check(ctx: CheckContext[ExclamationSettings]) -> CheckResult:
        text = ctx.analysis.text
        marks = [i for i, c in enumerate(text) if c == "!"]
        findings = [finding(ctx.analysis, "exclamations", "exclamation", "info", "An exclamation mark.", i, i + 1)
                    for i in marks]
        score = clamp(100 - ctx.settings.penalty_per_mark * len(marks))
        return CheckResult(score, f"{len(marks)} exclamation marks; {len(ctx.get(ACTIONS))} actions.",
                           {"exclamation_marks": len(marks)}, findings)


@pytest.fixture
def toy_check() -> Iterator[None]:
    _register_toy()
    try:
        yield
    finally:
        registry.unregister("exclamations")


def test_the_shipped_checks_are_the_report_dimensions() -> None:
    assert tuple(DIMENSIONS) == ("timebound_actions", "child_directed_language", "readability", "plan_detail")
    assert set(load_rubric().weights) == set(DIMENSIONS) == set(load_rubric().settings)


def test_a_toy_check_is_one_registration_and_shows_in_the_report_and_rubric(toy_check: None) -> None:
    assert DIMENSIONS[-1] == "exclamations"
    rubric = load_rubric()
    assert "exclamations" in rubric.weights  # its default weight, the shipped rubric does not name it
    assert rubric.settings_for("exclamations", ExclamationSettings).penalty_per_mark == 10
    report = analyse(RECORD + "Well done!\n")
    assert list(report.dimensions) == list(DIMENSIONS)
    toy = report.dimensions["exclamations"]
    assert toy.score == 90 and toy.metrics == {"exclamation_marks": 1}
    assert toy.summary.endswith(f"{len(report.actions)} actions.") and report.actions  # it read the actions
    assert [f.code for f in report.findings if f.dimension == "exclamations"] == ["exclamation"]


def test_the_toy_check_leaves_no_trace_once_removed(toy_check: None) -> None:
    registry.unregister("exclamations")
    assert "exclamations" not in DIMENSIONS
    assert "exclamations" not in analyse(RECORD).dimensions


def test_run_order_puts_providers_first() -> None:
    names = [s.name for s in registry.run_order()]
    assert names.index("timebound_actions") < names.index("plan_detail")


def _toy(name: str, *, order: int, provides: tuple[Provision[object], ...] = (),
         requires: tuple[Provision[object], ...] = ()) -> None:
    @register(name, settings=CheckSettings, weight=0, order=order, provides=provides, requires=requires,
              appearance=Appearance(name, "", "#000000", "#ffffff", "reverse"))
    def check(ctx: CheckContext[CheckSettings]) -> CheckResult:
        result = CheckResult(100.0, "")
        for p in provides:
            result.provide(p, [])
        return result


def test_a_requirement_nobody_provides_is_an_error_naming_it() -> None:
    ghost: Provision[object] = Provision("ghost")
    _toy("needs_ghost", order=60, requires=(ghost,))
    try:
        with pytest.raises(RegistryError, match="needs_ghost.*'ghost'"):
            registry.run_order()
    finally:
        registry.unregister("needs_ghost")


def test_a_dependency_cycle_is_an_error() -> None:
    a: Provision[object] = Provision("a")
    b: Provision[object] = Provision("b")
    _toy("makes_a", order=60, provides=(a,), requires=(b,))
    _toy("makes_b", order=61, provides=(b,), requires=(a,))
    try:
        with pytest.raises(RegistryError, match="cycle"):
            registry.run_order()
    finally:
        registry.unregister("makes_a")
        registry.unregister("makes_b")


def test_reading_a_provision_without_requiring_it_is_refused() -> None:
    @register("sneaky", settings=CheckSettings, weight=0, order=60,
              appearance=Appearance("sneaky", "", "#000000", "#ffffff", "reverse"))
    def check(ctx: CheckContext[CheckSettings]) -> CheckResult:
        ctx.get(ACTIONS)
        return CheckResult(100.0, "")

    try:
        with pytest.raises(RegistryError, match="sneaky.*without requiring"):
            analyse(RECORD)
    finally:
        registry.unregister("sneaky")


def test_a_check_that_does_not_provide_what_it_declared_is_an_error() -> None:
    _toy("liar", order=60)
    spec = registry.spec("liar")
    registry.unregister("liar")
    promised: Provision[object] = Provision("promise")
    register("liar", settings=CheckSettings, weight=0, order=60, provides=(promised,),
             appearance=spec.appearance)(spec.run)
    try:
        with pytest.raises(RegistryError, match="liar.*'promise'"):
            analyse(RECORD)
    finally:
        registry.unregister("liar")


def test_a_check_reporting_a_metric_it_did_not_declare_is_an_error() -> None:
    @register("counts", settings=CheckSettings, weight=0, order=60, metrics=("marks",),
              appearance=Appearance("counts", "", "#000000", "#ffffff", "reverse"))
    def check(ctx: CheckContext[CheckSettings]) -> CheckResult:
        return CheckResult(100.0, "", {"marks": 1, "markz": 2})

    try:
        with pytest.raises(RegistryError, match="counts.*did not declare: markz"):
            analyse(RECORD)
    finally:
        registry.unregister("counts")


def test_readers_may_read_only_declared_metrics() -> None:
    assert registry.metric_key("readability", "reading_age") == "reading_age"
    with pytest.raises(RegistryError, match="readability.*no metric 'reading_level'"):
        registry.metric_key("readability", "reading_level")
    # What the shipped checks declare covers what they report (the engine would refuse the rest).
    report = analyse(RECORD)
    for name in ("readability", "plan_detail"):
        assert set(report.dimensions[name].metrics) <= set(registry.spec(name).metrics)
