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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analyser.report import DIMENSIONS

DEFAULT_RUBRIC = Path(__file__).parent / "default.toml"


class RubricError(ValueError):
    """The rubric or one of its lexicons is missing or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Meta(_Strict):
    name: str
    version: str = Field(min_length=1)


class _Weights(_Strict):
    timebound_actions: float = Field(ge=0)
    child_directed_language: float = Field(ge=0)
    readability: float = Field(ge=0)
    plan_detail: float = Field(ge=0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> _Weights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        return self


class _Grades(_Strict):
    outstanding: float = Field(ge=0, le=100)
    good: float = Field(ge=0, le=100)
    requires_improvement: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> _Grades:
        if not (self.outstanding > self.good > self.requires_improvement):
            raise ValueError("thresholds must fall: outstanding > good > requires_improvement")
        return self


class TimeboundSettings(_Strict):
    penalty_no_owner: float = Field(ge=0, le=100)
    penalty_no_deadline: float = Field(ge=0, le=100)
    penalty_vague_timescale: float = Field(ge=0, le=100)
    penalty_vague_verb: float = Field(ge=0, le=100)
    penalty_deadline_past: float = Field(ge=0, le=100)
    score_no_actions: float = Field(ge=0, le=100)
    requires_actions: list[str]


class ChildLanguageSettings(_Strict):
    target_direct_share: float = Field(gt=0, le=1)
    penalty_jargon: float = Field(ge=0)
    penalty_blaming: float = Field(ge=0)
    penalty_unexplained_acronym: float = Field(ge=0)
    max_penalty_per_kind: float = Field(ge=0)
    credit_child_voice: float = Field(ge=0)
    credit_because: float = Field(ge=0)


class ReadabilitySettings(_Strict):
    default_reading_age: int = Field(ge=5, le=25)
    min_reading_age: int = Field(ge=5, le=25)
    long_sentence_words: int = Field(ge=5)
    very_long_sentence_words: int = Field(ge=5)
    points_per_year_over: float = Field(ge=0)
    penalty_long_sentence_share: float = Field(ge=0)
    penalty_passive_share: float = Field(ge=0)
    penalty_per_acronym_per_100_words: float = Field(ge=0)
    max_acronym_penalty: float = Field(ge=0)


class PlanDetailSettings(_Strict):
    min_section_words: int = Field(ge=1)
    thin_section_credit: float = Field(ge=0, le=1)
    filler_penalty: float = Field(ge=0)
    weight_sections: float = Field(ge=0, le=1)
    weight_specifics: float = Field(ge=0, le=1)
    weight_actions: float = Field(ge=0, le=1)
    specifics_per_100_words_for_full_marks: float = Field(gt=0)
    actions_for_full_marks: int = Field(ge=1)

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> PlanDetailSettings:
        total = self.weight_sections + self.weight_specifics + self.weight_actions
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"weight_sections + weight_specifics + weight_actions must be 1 (is {total:g})")
        return self


class _LexiconPaths(_Strict):
    vague_timescales: str
    vague_verbs: str
    jargon: str
    blaming: str
    acronyms: str
    sections: str


class _RubricFile(_Strict):
    rubric: _Meta
    weights: _Weights
    grades: _Grades
    timebound_actions: TimeboundSettings
    child_directed_language: ChildLanguageSettings
    readability: ReadabilitySettings
    plan_detail: PlanDetailSettings
    lexicons: _LexiconPaths


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    headings: tuple[str, ...]
    content: tuple[str, ...]


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
    timebound: TimeboundSettings
    child_language: ChildLanguageSettings
    readability: ReadabilitySettings
    plan_detail: PlanDetailSettings
    lexicons: Lexicons
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

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
def _load_cached(path_str: str, mtime: float) -> Rubric:
    path = Path(path_str)
    data = _read_toml(path, "rubric")
    try:
        spec = _RubricFile.model_validate(data)
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
        weights={d: weights[d] / total for d in DIMENSIONS},
        grades=spec.grades.model_dump(),
        timebound=spec.timebound_actions,
        child_language=spec.child_directed_language,
        readability=spec.readability,
        plan_detail=spec.plan_detail,
        lexicons=lexicons,
    )


def load_rubric(path: str | os.PathLike[str] | None = None) -> Rubric:
    """Load and validate a rubric (default: ``CASEQA_RUBRIC`` or the shipped one). Cached per file version."""
    chosen = Path(path or os.environ.get("CASEQA_RUBRIC") or DEFAULT_RUBRIC).expanduser().resolve()
    try:
        mtime = chosen.stat().st_mtime
    except FileNotFoundError:
        raise RubricError(f"rubric not found: {chosen}") from None
    return _load_cached(str(chosen), mtime)
