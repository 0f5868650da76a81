"""The check registry: the one list of checks, and of the report's dimensions, everything else reads.

A check module registers itself with :func:`register` (in the spirit of spaCy's ``Language.factory``):
its dimension name, its settings model (the rubric's ``[<name>]`` table), its default weight, what it
*provides* to later checks and what it *requires* from earlier ones, and how pages and terminals show
it. The engine (:func:`analyser.checks.run_checks`) runs the checks in dependency order; the report's
dimensions, the rubric's weights and settings tables, the audit report, the pages, the CLI, supervision
and the API all iterate :data:`DIMENSIONS`, so a new check is one new module under ``analyser/checks/``.

Nothing here imports the rest of the analyser at module level, so ``analyser.report`` can read
:data:`DIMENSIONS` without an import cycle. The check modules are discovered (imported) on first use.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from analyser.checks import CheckContext, CheckResult

T = TypeVar("T")


class RegistryError(ValueError):
    """Checks that cannot run: a duplicate name, a requirement nobody provides, a dependency cycle."""


@dataclass(frozen=True)
class Provision(Generic[T]):
    """Something one check provides and others require, with its type: ``ACTIONS: Provision[list[Action]]``.

    A check reads a provision through :meth:`CheckContext.get`, which returns it typed and refuses a
    provision the check did not declare in ``requires`` (so the run order can never be an accident).
    """

    name: str
    description: str = ""


@dataclass(frozen=True)
class Appearance:
    """How pages and terminals show a dimension."""

    short: str  # column heading: "Timebound"
    help: str  # one line: "who will do what by when"
    colour: str  # chart and legend colour, "#d9534f"
    tint: str  # highlight background in the record text, "#f8d7d6"
    terminal: str  # rich style for highlighted words, "on dark_red"


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: one dimension of the report."""

    name: str
    run: Callable[[CheckContext[Any]], CheckResult]
    settings: type[BaseModel]
    weight: float
    provides: tuple[Provision[Any], ...]
    requires: tuple[Provision[Any], ...]
    order: int  # position among the report's dimensions (display order), not the run order
    appearance: Appearance
    module: str
    metrics: tuple[str, ...] = ()  # the metric keys it may report; () when it has not declared them


_SPECS: dict[str, CheckSpec] = {}
_discovered = False


def register(
    name: str,
    *,
    settings: type[BaseModel],
    weight: float,
    order: int,
    appearance: Appearance,
    provides: Sequence[Provision[Any]] = (),
    requires: Sequence[Provision[Any]] = (),
    metrics: Sequence[str] = (),
) -> Callable[[Callable[[CheckContext[Any]], CheckResult]], Callable[[CheckContext[Any]], CheckResult]]:
    """Register the decorated function as the check of dimension ``name``.

    ``metrics`` declares the keys of the metrics it reports: the engine refuses any other, and readers
    (supervision's strengths) may read only declared ones, so renaming a metric fails loudly.
    """
    if not name.isidentifier():
        raise RegistryError(f"check name '{name}' must be a Python identifier (it is a rubric table name)")
    if weight < 0:
        raise RegistryError(f"check '{name}': the default weight cannot be negative")

    def deco(fn: Callable[[CheckContext[Any]], CheckResult]) -> Callable[[CheckContext[Any]], CheckResult]:
        existing = _SPECS.get(name)
        if existing is not None and existing.module != fn.__module__:
            raise RegistryError(f"check '{name}' is registered twice ({existing.module} and {fn.__module__})")
        _SPECS[name] = CheckSpec(name, fn, settings, float(weight), tuple(provides), tuple(requires), order,
                                 appearance, fn.__module__, tuple(metrics))
        return fn

    return deco


def unregister(name: str) -> None:
    """Remove a check (tests register toy checks and take them away again)."""
    _SPECS.pop(name, None)


def discover() -> None:
    """Import every module of the ``analyser.checks`` package once, so each registers itself."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    package = importlib.import_module("analyser.checks")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"analyser.checks.{info.name}")


def specs() -> list[CheckSpec]:
    """The registered checks in the report's dimension order."""
    discover()
    return sorted(_SPECS.values(), key=lambda s: (s.order, s.name))


def spec(name: str) -> CheckSpec:
    discover()
    try:
        return _SPECS[name]
    except KeyError:
        raise RegistryError(f"no check is registered as '{name}'") from None


def metric_key(name: str, key: str) -> str:
    """``key``, once it is known to be one of the metrics check ``name`` declared (RegistryError if not).

    A check that has not declared its metrics yet is taken at its word.
    """
    declared = spec(name).metrics
    if declared and key not in declared:
        raise RegistryError(f"check '{name}' declares no metric '{key}' (it declares {', '.join(declared)})")
    return key


def run_order() -> list[CheckSpec]:
    """The checks in an order where every provision is made before it is required (stable otherwise)."""
    ordered = specs()
    providers: dict[str, str] = {}
    for s in ordered:
        for p in s.provides:
            if p.name in providers:
                raise RegistryError(f"'{p.name}' is provided by both {providers[p.name]} and {s.name}")
            providers[p.name] = s.name
    for s in ordered:
        for p in s.requires:
            if p.name not in providers:
                raise RegistryError(f"check '{s.name}' requires '{p.name}', which no registered check provides")
    done: list[CheckSpec] = []
    placed: set[str] = set()
    pending = list(ordered)
    while pending:
        ready = [s for s in pending if all(providers[p.name] in placed for p in s.requires)]
        if not ready:
            raise RegistryError("the checks' requirements form a cycle: " + ", ".join(s.name for s in pending))
        # Take the first ready check in display order, then look again: the order stays as close to
        # the display order as the dependencies allow.
        first = ready[0]
        done.append(first)
        placed.add(first.name)
        pending.remove(first)
    return done


class _Dimensions(Sequence[str]):
    """The registered dimension names, read live from the registry (a toy check shows up at once)."""

    def _names(self) -> tuple[str, ...]:
        return tuple(s.name for s in specs())

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        return self._names()[i]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __add__(self, other: tuple[str, ...]) -> tuple[str, ...]:
        return self._names() + tuple(other)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(self._names())

    def __repr__(self) -> str:
        return f"DIMENSIONS{self._names()!r}"


class _Appearances(Mapping[str, str]):
    """``{dimension: one appearance field}``, live: ``DIMENSION_COLOURS["readability"]``."""

    def __init__(self, attr: str) -> None:
        self._attr = attr

    def __getitem__(self, name: str) -> str:
        discover()
        s = _SPECS.get(name)
        if s is None:
            raise KeyError(name)
        return str(getattr(s.appearance, self._attr))

    def __iter__(self) -> Iterator[str]:
        return iter(DIMENSIONS)

    def __len__(self) -> int:
        return len(DIMENSIONS)


DIMENSIONS: Sequence[str] = _Dimensions()
DIMENSION_COLOURS: Mapping[str, str] = _Appearances("colour")
DIMENSION_TINTS: Mapping[str, str] = _Appearances("tint")
DIMENSION_SHORT: Mapping[str, str] = _Appearances("short")
DIMENSION_HELP: Mapping[str, str] = _Appearances("help")
DIMENSION_TERMINAL: Mapping[str, str] = _Appearances("terminal")
