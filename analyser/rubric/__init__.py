"""The rubric: weights, thresholds and lexicons, loaded from versioned TOML and validated on load.

A council edits data, never code: ``caseqa check --rubric my-council.toml``. A broken rubric fails with
a :class:`RubricError` naming the file and the key at fault.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from analyser.registry import DIMENSIONS

DEFAULT_RUBRIC = Path(__file__).parent / "default.toml"
M = TypeVar("M", bound=BaseModel)


class RubricError(ValueError):
    """The rubric or one of its lexicons is missing or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckSettings(_Strict):
    """Base of a check's settings model: the rubric's ``[<check>]`` table, unknown keys refused."""


class _Meta(_Strict):
    name: str
    version: str = Field(min_length=1)


class _Grades(_Strict):
    outstanding: float = Field(ge=0, le=100)
    good: float = Field(ge=0, le=100)
    requires_improvement: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> _Grades:
        if not (self.outstanding > self.good > self.requires_improvement):
            raise ValueError("thresholds must fall: outstanding > good > requires_improvement")
        return self


class _LexiconPaths(_Strict):
    vague_timescales: str
    vague_verbs: str
    jargon: str
    blaming: str
    acronyms: str
    sections: str


def _not_all_zero(self: BaseModel) -> BaseModel:
    if sum(self.model_dump().values()) <= 0:
        raise ValueError("at least one weight must be above 0")
    return self


def _has_defaults(model: type[BaseModel]) -> bool:
    return all(not f.is_required() for f in model.model_fields.values())


@lru_cache(maxsize=8)
def _file_model(checks: tuple[str, ...]) -> type[BaseModel]:
    """The rubric file's shape, from the registry: a weight and a settings table per registered check.

    A check's weight defaults to the one it registered; its table may be left out only when every
    setting has a default (a council's rubric need not mention a check it does not tune).
    """
    from analyser import registry

    specs = [registry.spec(name) for name in checks]
    weights = create_model(  # type: ignore[call-overload]
        "weights",
        __config__=ConfigDict(extra="forbid"),
        __validators__={"_not_all_zero": model_validator(mode="after")(_not_all_zero)},
        **{s.name: (float, Field(default=s.weight, ge=0)) for s in specs},
    )
    tables: dict[str, Any] = {
        s.name: (s.settings, Field(default_factory=s.settings) if _has_defaults(s.settings) else ...) for s in specs
    }
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        "rubric_file",
        __config__=ConfigDict(extra="forbid"),
        rubric=(_Meta, ...),
        weights=(weights, ...),
        grades=(_Grades, ...),
        lexicons=(_LexiconPaths, ...),
        **tables,
    )
    return model


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    headings: tuple[str, ...]
    content: tuple[str, ...]

    @property
    def name(self) -> str:
        """The label without its explanation: 'placement plan (where the child lives, ...)' -> 'placement plan'."""
        return re.sub(r"\s*\(.*?\)", "", self.label).strip() or self.label


@dataclass(frozen=True)
class Lexicons:
    vague_timescales: tuple[str, ...]
    vague_verbs: tuple[str, ...]
    jargon: dict[str, str]
    blaming: dict[str, str]
    acronyms: dict[str, str]
    sections: dict[str, Section]
    required_sections: dict[str, tuple[str, ...]]
    filler: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    """A loaded, validated rubric. Immutable and shared by every check."""

    name: str
    version: str
    path: str
    weights: dict[str, float]
    grades: dict[str, float]
    settings: dict[str, BaseModel]  # per check, its validated ``[<check>]`` table (see analyser.registry)
    lexicons: Lexicons
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def settings_for(self, check: str, model: type[M]) -> M:
        """The check's settings, typed: ``rubric.settings_for("readability", ReadabilitySettings)``."""
        value = self.settings[check]
        if not isinstance(value, model):
            raise TypeError(f"the settings of '{check}' are {type(value).__name__}, not {model.__name__}")
        return value

    def grade_for(self, score: float) -> str:
        """Ofsted-style grade for an overall score."""
        if score >= self.grades["outstanding"]:
            return "outstanding"
        if score >= self.grades["good"]:
            return "good"
        if score >= self.grades["requires_improvement"]:
            return "requires_improvement"
        return "inadequate"

    def phrase_pattern(self, name: str, phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
        """One compiled, case-insensitive, whole-word alternation per lexicon, built once."""
        pattern = self._compiled.get(name)
        if pattern is None:
            pattern = compile_phrases(phrases)
            self._compiled[name] = pattern
        return pattern


def compile_phrases(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """Whole-word alternation, longest phrase first so 'contact centre' beats 'contact'."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x")
    body = "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _read_toml(path: Path, what: str) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RubricError(f"{what} not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{what} {path} is not valid TOML: {exc}") from None


def _read_lines(path: Path, what: str) -> tuple[str, ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RubricError(f"{what} not found: {path}") from None
    return tuple(ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#"))


def _read_terms(path: Path, what: str) -> dict[str, str]:
    data = _read_toml(path, what)
    terms = data.get("terms")
    if not isinstance(terms, dict) or not all(isinstance(v, str) for v in terms.values()):
        raise RubricError(f"{what} {path} needs a [terms] table of \"term\" = \"suggestion\" strings")
    return dict(terms)


def _read_sections(path: Path) -> tuple[dict[str, Section], dict[str, tuple[str, ...]], tuple[str, ...]]:
    data = _read_toml(path, "sections lexicon")
    raw = data.get("sections")
    if not isinstance(raw, dict) or not raw:
        raise RubricError(f"sections lexicon {path} needs [sections.<name>] tables")
    sections: dict[str, Section] = {}
    for key, spec in raw.items():
        try:
            sections[key] = Section(
                key=key,
                label=str(spec["label"]),
                headings=tuple(str(h).lower() for h in spec.get("headings", [])),
                content=tuple(str(c).lower() for c in spec.get("content", [])),
            )
        except (KeyError, TypeError):
            raise RubricError(f"sections lexicon {path}: section '{key}' needs a label") from None
    required: dict[str, tuple[str, ...]] = {}
    for doc_type, keys in (data.get("required") or {}).items():
        unknown = [k for k in keys if k not in sections]
        if unknown:
            raise RubricError(f"sections lexicon {path}: [required] {doc_type} names unknown sections {unknown}")
        required[doc_type] = tuple(keys)
    filler = tuple(str(p).lower() for p in (data.get("filler") or {}).get("phrases", []))
    return sections, required, filler


def _format_validation_error(path: Path, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        problems.append(f"  {where}: {err['msg']}")
    return f"rubric {path} is invalid:\n" + "\n".join(problems)


@lru_cache(maxsize=8)
def _load_cached(path_str: str, mtime: float, checks: tuple[str, ...]) -> Rubric:
    path = Path(path_str)
    data = _read_toml(path, "rubric")
    try:
        spec: Any = _file_model(checks).model_validate(data)
    except ValidationError as exc:
        raise RubricError(_format_validation_error(path, exc)) from None
    base = path.parent
    lx = spec.lexicons
    sections, required, filler = _read_sections(base / lx.sections)
    lexicons = Lexicons(
        vague_timescales=_read_lines(base / lx.vague_timescales, "vague timescales lexicon"),
        vague_verbs=_read_lines(base / lx.vague_verbs, "vague verbs lexicon"),
        jargon=_read_terms(base / lx.jargon, "jargon lexicon"),
        blaming=_read_terms(base / lx.blaming, "blaming lexicon"),
        acronyms=_read_terms(base / lx.acronyms, "acronyms lexicon"),
        sections=sections,
        required_sections=required,
        filler=filler,
    )
    weights = spec.weights.model_dump()
    total = sum(weights.values())
    return Rubric(
        name=spec.rubric.name,
        version=spec.rubric.version,
        path=str(path),
        weights={d: weights[d] / total for d in checks},
        grades=spec.grades.model_dump(),
        settings={d: getattr(spec, d) for d in checks},
        lexicons=lexicons,
    )


def load_rubric(path: str | os.PathLike[str] | None = None) -> Rubric:
    """Load and validate a rubric (default: ``CASEQA_RUBRIC`` or the shipped one). Cached per file version."""
    chosen = Path(path or os.environ.get("CASEQA_RUBRIC") or DEFAULT_RUBRIC).expanduser().resolve()
    try:
        mtime = chosen.stat().st_mtime
    except FileNotFoundError:
        raise RubricError(f"rubric not found: {chosen}") from None
    # The registry is part of the key: a check registered later (a toy check in a test) gets its table.
    return _load_cached(str(chosen), mtime, tuple(DIMENSIONS))
