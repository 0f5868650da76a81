"""Request and response bodies of the API (the report itself is :class:`analyser.report.Report`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from analyser.report import DocType, Report
from analyser.store import RecordRow

RecordId = Field(None, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$",
                 description="The record's id in the case system: stored checks of the same id become its versions.")


class AnalyseOptions(BaseModel):
    """What may come with a draft besides its text. Given values win over what the text says."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = RecordId
    doc_type: DocType | None = Field(None, description="Default: read from the text.")
    child_name: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$",
                                   description="The child's first name.")
    child_age: int | None = Field(None, ge=0, le=25, description="Sets the target reading age.")
    date: str | None = Field(None, max_length=40, description="The record's date: YYYY-MM-DD or DD/MM/YYYY.")
    next_review: str | None = Field(None, max_length=40, description="The next review's date.")
    store: bool = Field(False, description="Keep the result in the results store (default: not stored).")
    store_text: bool = Field(False, description="With store: keep the text too, so the feedback can be shown highlighted later.")

    @field_validator("date", "next_review")
    @classmethod
    def _a_date(cls, value: str | None) -> str | None:
        from analyser.date_fields import given_date

        parsed = given_date(value)
        return parsed.isoformat() if parsed else None

    def meta(self) -> dict[str, object]:
        """Keyword arguments for :func:`analyser.analyse_document`."""
        keys = ("id", "doc_type", "child_name", "child_age", "date", "next_review")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}


class AnalyseRequest(AnalyseOptions):
    """A draft as JSON."""

    text: str = Field(min_length=1, description="The record's text (plain text; paragraphs separated by newlines).")


class RecordSummary(BaseModel):
    """One stored record (its latest version unless a version is asked for) with its scores."""

    record_id: str
    version: int
    worker: str | None
    team: str | None
    supervisor: str | None
    child_id: str | None
    child_name: str | None
    doc_type: str | None
    date: str | None
    overall_score: float
    grade: str
    scores: dict[str, float | None] = Field(description="Every dimension's score; null: not scored for this record "
                                            "(it does not apply) and left out of the overall score.")
    actions: int
    actions_not_timebound: int
    findings: int
    submitted_by: str | None
    scored_at: datetime
    rubric_version: str
    run_id: int

    @classmethod
    def of(cls, row: RecordRow) -> RecordSummary:
        return cls.model_validate({k: getattr(row, k) for k in cls.model_fields})


class RecordList(BaseModel):
    records: list[RecordSummary]
    limit: int
    offset: int


class VersionSummary(BaseModel):
    version: int
    overall_score: float
    grade: str
    scored_at: datetime


class RecordDetail(BaseModel):
    record: RecordSummary
    report: Report = Field(description="The full report (caseqa.report/3).")
    text: str | None = Field(description="The record's text when it was stored with it; else null.")
    versions: list[VersionSummary]
    child_key: str | None = Field(default=None, description=(
        "The opaque key of the child's timeline (`GET /v1/children/{child_key}/timeline`) when the record "
        "links to a child (by child id, or by name and date of birth within its team); else null."))


class ChildLookup(BaseModel):
    """Find a child's timeline key by the council's child id, or by name and date of birth. Sent in the
    body, so a name, a birthday or a child id never travels in a URL."""

    model_config = ConfigDict(extra="forbid")

    child_id: str | None = Field(default=None, min_length=1, max_length=200)
    name: str | None = Field(default=None, min_length=1, max_length=200, description="The child's full name (with `dob`).")
    dob: str | None = Field(default=None, min_length=1, max_length=20, description="Date of birth, YYYY-MM-DD or DD/MM/YYYY (with `name`).")

    @model_validator(mode="after")
    def one_way(self) -> ChildLookup:
        by_name = self.name is not None or self.dob is not None
        if (self.child_id is not None) == by_name or (by_name and not (self.name and self.dob)):
            raise ValueError("send either child_id, or name and dob (never by name alone)")
        return self


class ChildFound(BaseModel):
    child_key: str = Field(description="The child's opaque key: random, meaningless without the store.")
    timeline: str = Field(description="The timeline's API path.")
    page: str = Field(description="The timeline's page.")


class BatchFromRecords(BaseModel):
    """Re-score stored records (their text must have been stored)."""

    model_config = ConfigDict(extra="forbid")

    record_ids: list[str] = Field(min_length=1, max_length=5000)
    store_text: bool = False


class BatchFailure(BaseModel):
    source: str
    reason: str


class BatchStatus(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    total: int
    done: int
    scored: int
    skipped: int
    failed: int
    run_id: int | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    failures: list[BatchFailure] = Field(description="The first 100 failures with their reasons.")
    error: str | None = None


class Health(BaseModel):
    status: str
    detail: str | None = None


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    team: str | None
    created_at: datetime


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Literal["social_worker", "supervisor", "auditor", "admin"]
    team: str | None = Field(None, max_length=200)


class NewUserKey(UserOut):
    key: str = Field(description="The API key, shown this once only.")
