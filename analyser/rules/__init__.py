"""Rules as data: one TOML file per rule set in this folder, validated on load.

Two kinds, after Vale's ``extends: existence | substitution``:

- ``existence``: a phrase from the rule's terms in the text is a finding ("in due course" is not a
  timescale; "as per plan" fills a section without saying anything).
- ``substitution``: as existence, and each term has a swap, the words to use instead ("contact" ->
  "family time"); the suggestion names it.

A rule names its finding ``code``, ``severity``, ``message`` and ``suggestion`` (``{match}``,
``{swap}``, ``{term}`` and the caller's names are filled in), and its terms: inline (``terms``) or the
rubric lexicon it reads (``lexicon``, so a council still edits one word list). Matching is done one
way, by :func:`phrase_pattern`: case-insensitive whole phrases, the longest first, any run of spaces
matching a space; ``hyphens = "join"`` lets a hyphen stand for a space and counts it as part of a word
("attention-seeking"), ``"break"`` treats it as punctuation. A bad file fails with a
:class:`RuleError` naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

RULES_DIR = Path(__file__).parent
Hyphens = Literal["join", "break"]
_NEVER = re.compile(r"(?!x)x")


class RuleError(ValueError):
    """A rule file is missing or invalid; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleSpec(_Strict):
    """One rule as written in its file's ``[rule]`` table."""

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$", description="Stable id: 'dimension.code'.")
    extends: Literal["existence", "substitution"]
    severity: Literal["info", "warning", "error"]
    message: str = Field(min_length=1)
    suggestion: str | None = None
    # Where the terms come from: a rubric lexicon by name, or listed here.
    lexicon: str | None = None
    terms: list[str] = Field(default_factory=list)
    swap: dict[str, str] = Field(default_factory=dict)
    default_swap: str | None = None  # a substitution's suggestion when a term has no swap
    hyphens: Hyphens = "join"
    case_sensitive: bool = False
    max_findings: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _has_terms(self) -> RuleSpec:
        if self.lexicon is None and not self.terms and not self.swap:
            raise ValueError("a rule needs terms, swap or a lexicon to read them from")
        if self.extends == "existence" and self.swap:
            raise ValueError("an existence rule has no swap (use extends = \"substitution\")")
        return self

    @property
    def dimension(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def code(self) -> str:
        return self.id.split(".", 1)[1]


class _RuleFile(_Strict):
    rule: RuleSpec


class _WordLists(_Strict):
    """A file of named word lists (``[lists]``) the grammar code reads: role words, action verbs, ..."""

    lists: dict[str, list[str]]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str


def phrase_pattern(phrases: Iterable[str], *, hyphens: Hyphens = "join", case_sensitive: bool = False) -> re.Pattern[str]:
    """The one phrase matcher: whole phrases, longest first, spaces matching any run of spaces.

    ``hyphens="join"``: a hyphen may stand for a space and a phrase never starts or ends inside a
    hyphenated word. ``"break"``: a hyphen is punctuation, only letters and digits join.
    """
    cleaned = {" ".join(p.split()) for p in phrases if isinstance(p, str) and p.strip()}
    if not case_sensitive:
        cleaned = {p.lower() for p in cleaned}
    ordered = sorted(cleaned, key=lambda p: (-len(p), p))
    if not ordered:
        return _NEVER
    space, edge = (r"[\s-]+", r"[\w-]") if hyphens == "join" else (r"\s+", r"\w")
    body = "|".join(space.join(re.escape(word) for word in p.split(" ")) for p in ordered)
    return re.compile(rf"(?<!{edge})(?:{body})(?!{edge})", 0 if case_sensitive else re.IGNORECASE)


def normalise(phrase: str) -> str:
    """How a matched phrase is looked up among the terms: lower case, hyphens and spaces as one space."""
    return re.sub(r"[\s-]+", " ", phrase.lower()).strip()


@dataclass(frozen=True)
class PhraseRule:
    """A loaded rule with its terms resolved and its pattern compiled once."""

    spec: RuleSpec
    path: str
    terms: tuple[str, ...]
    swaps: Mapping[str, str]  # term as written -> swap
    pattern: re.Pattern[str] = field(compare=False, repr=False)
    _lookup: Mapping[str, str] = field(compare=False, repr=False, default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    def finditer(self, text: str) -> Iterator[Match]:
        for m in self.pattern.finditer(text):
            yield Match(m.start(), m.end(), m.group(0))

    def swap_for(self, matched: str) -> str | None:
        """The swap of the term a match stands for ('Contact' -> 'family time, seeing mum')."""
        return self._lookup.get(matched.lower()) or self._lookup.get(normalise(matched)) or self.spec.default_swap

    def contains(self, phrase: str) -> bool:
        """Whether ``phrase`` is one of the terms (for rules looked up by word, like vague verbs)."""
        return phrase.lower() in self._lookup or phrase.lower() in {t.lower() for t in self.terms}

    def message(self, **values: object) -> str:
        return self.spec.message.format(**values)

    def suggestion(self, **values: object) -> str | None:
        return self.spec.suggestion.format(**values) if self.spec.suggestion is not None else None


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RuleError(f"rule file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"rule file {path} is not valid TOML: {exc}") from None


def _invalid(path: Path, exc: ValidationError) -> RuleError:
    problems = "\n".join(f"  {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return RuleError(f"rule file {path} is invalid:\n{problems}")


def load_spec(path: Path) -> RuleSpec:
    try:
        return _RuleFile.model_validate(_read(path)).rule
    except ValidationError as exc:
        raise _invalid(path, exc) from None


def build(spec: RuleSpec, path: str, lexicon: Iterable[str] | Mapping[str, str] | None) -> PhraseRule:
    """Resolve a rule's terms (its own, or the lexicon's) and compile its pattern."""
    swaps: dict[str, str] = dict(spec.swap)
    terms: list[str] = list(spec.terms) + list(spec.swap)
    if spec.lexicon is not None:
        if lexicon is None:
            raise RuleError(f"rule file {path}: rule.lexicon names '{spec.lexicon}', which the rubric does not load")
        if isinstance(lexicon, Mapping):
            swaps.update(lexicon)
        terms.extend(lexicon)
    lookup = {k.lower(): v for k, v in swaps.items()}
    pattern = phrase_pattern(terms, hyphens=spec.hyphens, case_sensitive=spec.case_sensitive)
    return PhraseRule(spec, path, tuple(terms), swaps, pattern, lookup)


def rule_files() -> list[Path]:
    """The shipped rule files (one per rule set)."""
    return sorted(p for p in RULES_DIR.glob("*.toml") if not p.name.startswith("_"))


@lru_cache(maxsize=16)
def word_lists(name: str) -> dict[str, frozenset[str]]:
    """A file of named word lists under this folder (``_<name>.toml``), validated: list name -> words."""
    path = RULES_DIR / f"_{name}.toml"
    try:
        parsed = _WordLists.model_validate(_read(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    return {k: frozenset(v) for k, v in parsed.lists.items()}


def word_list(name: str, key: str) -> frozenset[str]:
    """One named list: ``word_list("placeholders", "unknown_owner")``; a missing key names file and key."""
    lists = word_lists(name)
    if key not in lists:
        raise RuleError(f"rule file {RULES_DIR / f'_{name}.toml'}: lists.{key} is missing")
    return lists[key]
