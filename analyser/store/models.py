"""The results store's tables, as SQLAlchemy 2 typed models.

One row per *record version* (a record id with one content), one *result* per record version and
rubric version, with its dimension scores, actions and findings broken out for SQL queries and the full
Report JSON kept so every adapter can re-emit exactly what the analyser produced. Record text is kept
only when asked (``--store-text``). Changing a table means a new Alembic revision in ``migrations/``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Table,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def table_of(model: type[Base]) -> Table:
    """A mapped class's table for Core statements (SQLAlchemy types ``__table__`` as any FromClause)."""
    return model.__table__  # type: ignore[return-value]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Run(Base):
    """One `caseqa score` invocation: the versions and parameters that make it reproducible."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rubric_version: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(200))
    caseqa_version: Mapped[str] = mapped_column(String(50))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    scored: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class Record(Base):
    """A record version: one record id with one content (hash). Text only with --store-text."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("record_id", "content_hash", name="uq_records_record_hash"),
        UniqueConstraint("record_id", "version", name="uq_records_record_version"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(String(300), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str | None] = mapped_column(String(1000))
    child_id: Mapped[str | None] = mapped_column(String(200), index=True)
    # How drift finds the child's other records: "child_id:<id>" or "name+dob:<digest of name and dob>|<team>"
    # (analyser.linking.stored_link_key), kept current with the record's fields.
    link_key: Mapped[str | None] = mapped_column(String(400), index=True)
    child_name: Mapped[str | None] = mapped_column(String(200))
    doc_type: Mapped[str | None] = mapped_column(String(40))
    date: Mapped[str | None] = mapped_column(String(10), index=True)  # ISO date: sorts as text
    worker: Mapped[str | None] = mapped_column(String(200), index=True)
    team: Mapped[str | None] = mapped_column(String(200), index=True)
    supervisor: Mapped[str | None] = mapped_column(String(200))
    submitted_by: Mapped[str | None] = mapped_column(String(200), index=True)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Result(Base):
    """A record version scored under one rubric version; unique per (record id, content, rubric)."""

    __tablename__ = "results"
    __table_args__ = (
        UniqueConstraint("record_id", "content_hash", "rubric_version", name="uq_results_record_hash_rubric"),
        Index("ix_results_hash_rubric", "content_hash", "rubric_version"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    record_id: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    rubric_version: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(200))
    caseqa_version: Mapped[str] = mapped_column(String(50))
    overall_score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(40), index=True)
    actions_count: Mapped[int] = mapped_column(Integer)
    actions_not_timebound: Mapped[int] = mapped_column(Integer)
    findings_count: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict] = mapped_column(JSON)  # the full Report, re-emitted as is
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    record: Mapped[Record] = relationship(lazy="joined")
    dimensions: Mapped[list[DimensionScore]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="DimensionScore.dimension"
    )


class DimensionScore(Base):
    __tablename__ = "dimension_scores"
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(60), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


class ActionRow(Base):
    __tablename__ = "actions"
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(300))
    deadline: Mapped[str | None] = mapped_column(String(10))
    deadline_text: Mapped[str | None] = mapped_column(String(300))
    timebound: Mapped[bool] = mapped_column(Boolean)
    problems: Mapped[str] = mapped_column(String(300))  # comma-separated problem codes
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class FindingRow(Base):
    __tablename__ = "findings"
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(100), index=True)
    severity: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class RunItem(Base):
    """Which results a run covers, scored in it or skipped as already scored: a run's full output."""

    __tablename__ = "run_items"
    __table_args__ = (UniqueConstraint("run_id", "result_id", name="uq_run_items_run_result"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # insertion order = the run's output order
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(20))  # scored | skipped (already in the store)


class Failure(Base):
    __tablename__ = "failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(1000))
    record_id: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    """A service user; ``key_hash`` is the argon2 hash of the secret part of the API key."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(40))
    team: Mapped[str | None] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChildKey(Base):
    """The opaque key a child's timeline is addressed by (URLs carry it, never a child id, a name or a
    date of birth). ``key`` is random, so it tells nothing without this table; ``link_key`` is the
    records' link (``records.link_key``, or ``name+dob:<digest>|*`` for a name and date of birth in
    every team). Made on first use: a record's page or a lookup by child id or name and date of birth."""

    __tablename__ = "child_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    link_key: Mapped[str] = mapped_column(String(400), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(Base):
    """A signed-in browser session, so signing out, a new key or removing the user ends it at once.

    ``id`` is the sha256 of the random token the (signed) cookie carries: the table alone cannot be
    used to sign in."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Supervision(Base):
    """One case-supervision record written by ``caseqa supervision`` for a worker on a date."""

    __tablename__ = "supervisions"
    __table_args__ = (UniqueConstraint("worker", "date", name="uq_supervisions_worker_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker: Mapped[str] = mapped_column(String(200), index=True)
    date: Mapped[str] = mapped_column(String(10), index=True)  # ISO date of the supervision
    since: Mapped[str | None] = mapped_column(String(10))  # records audited since this date were covered
    due_working_days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupervisionAction(Base):
    """A SMART action raised in supervision from an audit shortfall, tracked until a re-score clears it.

    ``finding_key`` names the shortfall group in the record ("timebound_actions:who_when"); ``finding_keys``
    lists the individual shortfalls it covers ("timebound_actions:who_when:<hash of the action's words>",
    "plan_detail:missing_section:health"), so the same shortfall is recognised in a later version even
    when offsets shift. ``text`` is caseqa's own sentence: it names the child and the record's date but
    never quotes the record.
    """

    __tablename__ = "supervision_actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supervision_id: Mapped[int] = mapped_column(ForeignKey("supervisions.id", ondelete="CASCADE"), index=True)
    worker: Mapped[str] = mapped_column(String(200), index=True)
    team: Mapped[str | None] = mapped_column(String(200), index=True)
    record_id: Mapped[str] = mapped_column(String(300), index=True)
    record_version_first_seen: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(60))
    finding_key: Mapped[str] = mapped_column(String(200))
    finding_keys: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    what: Mapped[str] = mapped_column(Text)  # the action without who and when: the table's Action column
    owner: Mapped[str] = mapped_column(String(200))
    due: Mapped[str] = mapped_column(String(10))
    raised_on: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), index=True)  # open | closed
    closed_on: Mapped[str | None] = mapped_column(String(10))
    closed_version: Mapped[int | None] = mapped_column(Integer)  # the record version that cleared it
