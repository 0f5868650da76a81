"""The report contract: the one result type the CLI, the service, the batch runner and the store emit.

``caseqa.report/3`` (``/1`` plus each finding's ``rule``, ``term`` and ``data``, each action's ``owner_text`` and ``number``, and the meta's ``author``, ``addressee`` and ``service``; ``/3`` adds each dimension's ``applies``: a dimension that does not apply has a null score) is documented in ``analyser/schema/report.schema.json`` (generated from these
models by ``python -m analyser.report``) and tested against it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

# The report's dimensions are the registered checks (analyser/registry.py), read live.
from analyser.registry import DIMENSIONS
from analyser.wording import tidy

SCHEMA_ID = "caseqa.report/3"
DocType = Literal["care_plan", "review_minutes", "pathway_plan", "other"]
Severity = Literal["info", "warning", "error"]
Grade = Literal["outstanding", "good", "requires_improvement", "inadequate"]
DOC_TYPES: tuple[str, ...] = get_args(DocType)
GRADES: tuple[str, ...] = get_args(Grade)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


FindingValue = str | int | float | bool | None
# How a dimension that does not apply is shown wherever scores are shown.
NOT_SCORED = "not scored"


def score_text(score: float | None, spec: str = ".0f") -> str:
    """A score as people read it ("83"), or "not scored": the pages, the terminal and Word comments use it."""
    return NOT_SCORED if score is None else format(score, spec)


def mean_score(scores: list[float | None]) -> float | None:
    """The mean of the scores that were given (a dimension not scored counts as absent, not as 0 or 100)."""
    given = [s for s in scores if s is not None]
    return sum(given) / len(given) if given else None


class Finding(_Model):
    """One thing wrong (or notably right) in the record, pointing at the words.

    ``message`` and ``suggestion`` are for people; ``rule``, ``term`` and ``data`` are for programs
    (supervision, the audit report, the pages): nothing should ever parse the message.
    """

    dimension: str
    code: str
    severity: Severity
    message: str
    start: int
    end: int
    excerpt: str
    suggestion: str | None = None
    rule: str = Field(default="", description="Stable id of the rule that fired: 'dimension.code'.")
    term: str | None = Field(default=None, description="The words the rule matched or is about (a jargon word, "
                             "an acronym, a vague timescale, a section's name), when it has one.")
    data: dict[str, FindingValue] = Field(
        default_factory=dict,
        description="What the rule found, by name: e.g. section, section_name, preferred, expansion, words, action.",
    )

    @model_validator(mode="after")
    def _default_rule(self) -> Finding:
        # Reports stored before findings carried a rule (caseqa.report/1) get theirs from dimension and code.
        if not self.rule:
            self.rule = f"{self.dimension}.{self.code}"
        # Every finding's words pass here, whoever built them (checks, drift): no "The the ...".
        self.message = tidy(self.message)
        if self.suggestion is not None:
            self.suggestion = tidy(self.suggestion)
        return self


class Action(_Model):
    """A commitment in the record: who will do what by when, and what is missing."""

    text: str
    start: int
    end: int
    owner: str | None = None  # who will do it, resolved: "I" -> the author ("Jo Reed (social worker)")
    owner_text: str | None = None  # the owner's words as written ("I", "we", "she", "SW")
    deadline_text: str | None = None
    deadline: str | None = None  # YYYY-MM-DD
    timebound: bool = False
    problems: list[str] = Field(default_factory=list)
    number: int | None = Field(default=None, description="The record's own number for the action's item "
                               "(\"4.\" or \"4)\" -> 4) when it numbers it; None otherwise.")


class DimensionResult(_Model):
    """One dimension's result. A dimension that does not apply to the record (plan detail for a record
    whose type caseqa cannot read, timebound actions for a record that needs none and has none) is *not
    scored*: ``applies`` is false, ``score`` is null, the summary says why, and the overall score leaves
    it out (the other weights renormalised). It is never given marks for what it was not asked to do."""

    score: float | None = Field(description="0-100, higher is better; null when the dimension is not scored.")
    summary: str
    metrics: dict[str, float | int] = Field(default_factory=dict)
    applies: bool = Field(default=True, description="False: not scored for this record (see summary); "
                          "left out of the overall score.")

    @model_validator(mode="after")
    def _score_iff_applies(self) -> DimensionResult:
        if self.applies != (self.score is not None):
            raise ValueError("a dimension has a score exactly when it applies")
        return self

    def shown(self, spec: str = ".0f") -> str:
        """The score as people read it: "83", or "not scored" (every adapter writes it this way)."""
        return score_text(self.score, spec)

    @model_validator(mode="after")
    def _tidy(self) -> DimensionResult:
        self.summary = tidy(self.summary)
        return self


class Person(_Model):
    """Someone the record names, as it names them: the author or the addressee."""

    name: str | None = None
    role: str | None = None


class Meta(_Model):
    child_name: str | None = None
    child_age: int | None = None
    date: str | None = None
    next_review: str | None = None
    words: int = 0
    sentences: int = 0
    # Who wrote the record and to whom (child, parent, carer, professional; None: addressed to nobody),
    # and the council or service "we" stands for, as the record says them (analyser/discourse.py).
    author: Person | None = None
    addressee: Person | None = None
    service: str | None = None


class Overall(_Model):
    score: float
    grade: Grade


class Versions(_Model):
    caseqa: str
    rubric: str
    model: str


class DriftSection(_Model):
    """Drift and delay across the child's records, as seen from this record (``analyser/drift.py``).

    Present only when the record has history: an earlier record of the same child, linked by the
    child's id or by name plus date of birth (never by name alone).
    """

    linked_by: Literal["child_id", "name+dob"]
    child_id: str | None = None  # only when linked by child id: name and date of birth stay out of it
    position: int  # this record's place in the child's timeline, 1 = the earliest
    records: int  # how many records the timeline holds
    previous: str | None = None  # the record compared with (the one just before this one)
    previous_date: str | None = None
    findings: list[Finding] = Field(default_factory=list)


class Report(_Model):
    """A scored record. ``model_dump(mode="json")`` is the wire format."""

    schema_: str = Field(default=SCHEMA_ID, alias="schema")
    id: str
    source: str | None = None
    doc_type: DocType
    meta: Meta
    overall: Overall
    dimensions: dict[str, DimensionResult]
    actions: list[Action]
    findings: list[Finding]
    versions: Versions
    drift: DriftSection | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_serializer(mode="wrap")
    def _omit_absent_drift(self, handler: SerializerFunctionWrapHandler) -> dict:
        # Most records have no history: leave the key out so their JSON stays exactly as before.
        data = handler(self)
        if data.get("drift") is None:
            data.pop("drift", None)
        return data

    def to_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self, **kwargs: object) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return cls.model_validate(data)


SCHEMA_PATH = Path(__file__).parent / "schema" / "report.schema.json"


def json_schema() -> dict:
    """The JSON Schema of the report, as shipped in ``analyser/schema/report.schema.json``."""
    schema = Report.model_json_schema(by_alias=True)
    schema["$id"] = SCHEMA_ID
    props = schema["properties"]
    props["schema"] = {"const": SCHEMA_ID, "title": "Schema", "type": "string"}
    props["dimensions"]["propertyNames"] = {"enum": list(DIMENSIONS)}
    props["dimensions"]["required"] = list(DIMENSIONS)
    schema.setdefault("required", [])
    if "schema" not in schema["required"]:
        schema["required"].insert(0, "schema")
    for name in ("date", "next_review"):
        schema["$defs"]["Meta"]["properties"][name]["anyOf"][0]["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    return schema


if __name__ == "__main__":  # regenerate the shipped schema
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(json.dumps(json_schema(), indent=2) + "\n")
    print(SCHEMA_PATH)
