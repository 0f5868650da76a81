"""The results store: runs, record versions, results, users, supervisions. SQLite by default, PostgreSQL for teams.

``Store(url)`` opens (and migrates) the database. ``url`` may be ``None`` (then ``$CASEQA_DB``, then
``caseqa.db`` in the working directory), a bare file path (SQLite), a ``sqlite:///`` URL or a
``postgresql://`` URL (driven by psycopg 3). Every result keeps the full Report JSON, so the CLI, the
HTML report and the service re-emit exactly what the analyser produced.

Children's data: record text is stored only when given (``--store-text``); nothing here logs it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Self, cast

from sqlalchemy import CursorResult, Engine, and_, bindparam, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from analyser.report import DIMENSIONS, Report
from analyser.store.bulk import ResultInput, Saved, save_chunk
from analyser.store.models import (
    ChildKey,
    Failure,
    Record,
    Result,
    Run,
    RunItem,
    Supervision,
    SupervisionAction,
    User,
    WebSession,
    table_of,
)

__all__ = [
    "ROLES", "ActionStats", "FailureRow", "RecordRow", "ResultInput", "RunRow", "Saved", "Store", "StoreError",
    "SupervisionActionRow", "SupervisionRow", "UserRow", "key_format_ok", "resolve_url",
]

DEFAULT_DB = "caseqa.db"
ROLES = ("social_worker", "supervisor", "auditor", "admin")
_MIGRATIONS = Path(__file__).parent / "migrations"
RUN_REPORTS_FETCH = 32  # rows of a run's reports read at a time (Store.run_reports)
# The shape of every key `add_user` makes (the secret is token_urlsafe(32): 43 characters). Checked
# before any database or argon2 work, and the id's 18 digits always fit a 64-bit integer column.
_KEY_RE = re.compile(r"^cqa_([1-9][0-9]{0,17})_([A-Za-z0-9_-]{20,100})$")
_DUMMY_HASH: str | None = None


def key_format_ok(key: str) -> bool:
    """Whether ``key`` has the shape of an API key (cheap: no database, no argon2)."""
    return bool(_KEY_RE.match(key or ""))


def _dummy_hash() -> str:
    # Verified against for an unknown user id, so it costs the same time as a known id's wrong secret.
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        from argon2 import PasswordHasher

        _DUMMY_HASH = PasswordHasher().hash(secrets.token_urlsafe(32))
    return _DUMMY_HASH


class StoreError(ValueError):
    """A database URL that cannot be used, or a store that cannot be opened."""


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """What settling drift reads of one stored record (:meth:`Store.iter_timelines`)."""

    team: str | None
    report: dict  # the stored Report JSON
    history: dict | None  # the record's history facts (analyser.drift.history_facts), None if never seen
    result_id: int


@dataclass(frozen=True)
class RecordRow:
    """One record version with its (latest) result: what listings and the CSV show."""

    record_id: str
    version: int
    content_hash: str
    run_id: int
    source: str | None
    worker: str | None
    team: str | None
    supervisor: str | None
    child_id: str | None
    child_name: str | None
    doc_type: str | None
    date: str | None
    overall_score: float
    grade: str
    scores: dict[str, float | None]  # every dimension; None: not scored for this record
    actions: int
    actions_not_timebound: int
    findings: int
    submitted_by: str | None
    scored_at: datetime
    rubric_version: str
    dob: str | None = None  # read from the record's header (drift links by name plus date of birth)
    link_key: str | None = None  # how drift finds the child's other records (analyser.linking.stored_link_key)

    @property
    def fields(self) -> dict[str, str]:
        """The record's metadata as batch fields (what the CSV writer reads)."""
        keys = ("child_id", "worker", "team", "supervisor", "child_name", "doc_type", "date")
        return {k: str(getattr(self, k)) for k in keys if getattr(self, k)}


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: datetime
    finished_at: datetime | None
    rubric_version: str
    model_version: str
    caseqa_version: str
    params: dict
    scored: int
    skipped: int
    failed: int


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    team: str | None
    created_at: datetime
    key_id: str = ""  # a fingerprint of the current key's hash: a cached key is good only while it matches


@dataclass(frozen=True)
class FailureRow:
    run_id: int
    source: str
    reason: str
    record_id: str | None


@dataclass(frozen=True)
class SupervisionRow:
    """A stored supervision: whose, on which date, and from which date records were covered."""

    id: int
    worker: str
    date: str
    since: str | None
    due_working_days: int
    created_at: datetime


@dataclass(frozen=True)
class SupervisionActionRow:
    """A stored supervision action and where it is in the loop (open, or closed by a re-scored record)."""

    id: int
    supervision_id: int
    worker: str
    team: str | None
    record_id: str
    record_version_first_seen: int
    dimension: str
    finding_key: str
    finding_keys: tuple[str, ...]
    text: str
    what: str
    owner: str
    due: str
    raised_on: str
    status: str
    closed_on: str | None
    closed_version: int | None

    def overdue(self, on: str | date) -> bool:
        """Open and past its due date on ``on``."""
        return self.status == "open" and self.due < (_iso(on) or "")


@dataclass(frozen=True)
class ActionStats:
    """The audit loop in numbers for a worker, a team or everyone."""

    raised: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    median_days_to_close: float | None = None


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL for a store: None -> $CASEQA_DB -> caseqa.db; a bare path means SQLite."""
    raw = url or os.environ.get("CASEQA_DB") or DEFAULT_DB
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().resolve())
    scheme, rest = raw.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        scheme = "postgresql+psycopg"
    if not scheme.startswith(("sqlite", "postgresql")):
        raise StoreError(f"database URL scheme '{scheme}' is not supported (use a file path, sqlite:/// or postgresql://)")
    try:
        make_url(f"{scheme}://{rest}")
    except ArgumentError as exc:
        raise StoreError(f"bad database URL: {exc}") from None
    return f"{scheme}://{rest}"


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes: they are UTC (we only ever write UTC).
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: str | date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _record_row(result: Result) -> RecordRow:
    rec = result.record
    return RecordRow(
        record_id=rec.record_id,
        version=rec.version,
        content_hash=rec.content_hash,
        run_id=result.run_id,
        source=rec.source,
        worker=rec.worker,
        team=rec.team,
        supervisor=rec.supervisor,
        child_id=rec.child_id,
        child_name=rec.child_name,
        doc_type=rec.doc_type,
        date=rec.date,
        overall_score=result.overall_score,
        grade=result.grade,
        scores={**dict.fromkeys(DIMENSIONS), **{d.dimension: d.score for d in result.dimensions}},
        actions=result.actions_count,
        actions_not_timebound=result.actions_not_timebound,
        findings=result.findings_count,
        submitted_by=rec.submitted_by,
        scored_at=_utc(result.scored_at),
        rubric_version=result.rubric_version,
        dob=(rec.fields or {}).get("dob") or ((rec.fields or {}).get("history") or {}).get("dob"),
        link_key=rec.link_key,
    )


def _run_row(run: Run) -> RunRow:
    return RunRow(
        id=run.id,
        started_at=_utc(run.started_at),
        finished_at=_utc(run.finished_at) if run.finished_at else None,
        rubric_version=run.rubric_version,
        model_version=run.model_version,
        caseqa_version=run.caseqa_version,
        params=dict(run.params or {}),
        scored=run.scored,
        skipped=run.skipped,
        failed=run.failed,
    )


def _user_row(user: User) -> UserRow:
    return UserRow(id=user.id, name=user.name, role=user.role, team=user.team, created_at=_utc(user.created_at),
                   key_id=hashlib.sha256(user.key_hash.encode()).hexdigest()[:16])


def _supervision_row(sup: Supervision) -> SupervisionRow:
    return SupervisionRow(id=sup.id, worker=sup.worker, date=sup.date, since=sup.since,
                          due_working_days=sup.due_working_days, created_at=_utc(sup.created_at))


def _action_row(a: SupervisionAction) -> SupervisionActionRow:
    return SupervisionActionRow(
        id=a.id, supervision_id=a.supervision_id, worker=a.worker, team=a.team, record_id=a.record_id,
        record_version_first_seen=a.record_version_first_seen, dimension=a.dimension, finding_key=a.finding_key,
        finding_keys=tuple(a.finding_keys or ()), text=a.text, what=a.what, owner=a.owner, due=a.due,
        raised_on=a.raised_on, status=a.status, closed_on=a.closed_on, closed_version=a.closed_version,
    )


def _stats(rows: Sequence[SupervisionActionRow], on: str) -> ActionStats:
    days = [(date.fromisoformat(r.closed_on) - date.fromisoformat(r.raised_on)).days
            for r in rows if r.status == "closed" and r.closed_on]
    return ActionStats(
        raised=len(rows),
        closed=sum(r.status == "closed" for r in rows),
        open=sum(r.status == "open" for r in rows),
        overdue=sum(r.overdue(on) for r in rows),
        median_days_to_close=float(statistics.median(days)) if days else None,
    )


def _latest_version():  # type: ignore[no-untyped-def]
    """The highest version of the outer query's record id (a correlated subquery)."""
    other = aliased(Record)
    return select(func.max(other.version)).where(other.record_id == Record.record_id).scalar_subquery()


def _latest_result():  # type: ignore[no-untyped-def]
    """The newest result of the outer query's record version (a correlated subquery)."""
    other = aliased(Result)
    return select(func.max(other.id)).where(other.record_pk == Record.id).scalar_subquery()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            # WAL: readers (the service, `caseqa report`) never block the batch writer; foreign keys on.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([^'\"\s]+)['\"]?\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest Alembic revision shipped in ``migrations/versions``: the one no other revises.

    Read from the scripts' ``revision`` / ``down_revision`` lines, without importing Alembic (its import
    costs about 0.1 s and 14 MB, on every open of an up-to-date store)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else revised).add(value)
    heads = revisions - revised
    if len(heads) != 1:
        raise StoreError(f"the store's migrations have {len(heads)} heads ({', '.join(sorted(heads))}), not one")
    return heads.pop()


def schema_is_current(engine: Engine) -> bool:
    """Whether the database is already at :func:`head_revision` (so opening it need not run Alembic)."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [head_revision()]


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the latest Alembic revision shipped with caseqa."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """The results store. Open it once per process; it is safe to use from one thread at a time."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = resolve_url(url)
        if self.url.startswith("sqlite:///") and ":memory:" not in self.url:
            Path(self.url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = _make_engine(self.url)
            if migrate and not schema_is_current(self.engine):
                upgrade(self.engine)
        except ImportError as exc:
            raise StoreError(f"database driver missing for {make_url(self.url).drivername}: {exc}") from None
        except Exception as exc:
            if isinstance(exc, StoreError):
                raise
            # Connection problems: say where (without any password) and why, briefly.
            where = make_url(self.url).render_as_string(hide_password=True)
            raise StoreError(f"cannot open the store at {where}: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self) -> Session:
        return self._sessions()

    # ---- runs -----------------------------------------------------------------------------------

    def start_run(self, *, rubric_version: str, model_version: str, caseqa_version: str, params: dict) -> int:
        """Record the start of a run with everything needed to reproduce it; returns its id."""
        with self._session() as s, s.begin():
            run = Run(rubric_version=rubric_version, model_version=model_version, caseqa_version=caseqa_version, params=params)
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, *, scored: int, skipped: int, failed: int) -> None:
        """Record a run's end and its counts."""
        with self._session() as s, s.begin():
            run = s.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run {run_id}")
            run.finished_at = datetime.now(UTC)
            run.scored, run.skipped, run.failed = scored, skipped, failed

    def get_run(self, run_id: int) -> RunRow | None:
        with self._session() as s:
            run = s.get(Run, run_id)
            return _run_row(run) if run else None

    def list_runs(self, limit: int = 20) -> list[RunRow]:
        """The most recent runs first."""
        with self._session() as s:
            return [_run_row(r) for r in s.scalars(select(Run).order_by(Run.id.desc()).limit(limit))]

    def run_failures(self, run_id: int) -> list[FailureRow]:
        with self._session() as s:
            rows = s.scalars(select(Failure).where(Failure.run_id == run_id).order_by(Failure.id))
            return [FailureRow(f.run_id, f.source, f.reason, f.record_id) for f in rows]

    # ---- results --------------------------------------------------------------------------------

    def already_scored(self, content_hash: str, rubric_version: str) -> str | None:
        """The record id of a stored result for this content and rubric version, if any."""
        with self._session() as s:
            return s.scalar(
                select(Result.record_id)
                .where(Result.content_hash == content_hash, Result.rubric_version == rubric_version)
                .order_by(Result.id)
                .limit(1)
            )

    def scored_keys(self, rubric_version: str) -> set[tuple[str, str]]:
        """(record id, content hash) of every result stored under this rubric version: what a batch skips."""
        with self._session() as s:
            q = select(Result.record_id, Result.content_hash).where(Result.rubric_version == rubric_version)
            return {(r[0], r[1]) for r in s.execute(q)}

    def find_report(self, content_hash: str, rubric_version: str, record_id: str | None = None) -> Report | None:
        """The stored report for this content and rubric (for this record id when given, else any)."""
        with self._session() as s:
            q = select(Result.report).where(Result.content_hash == content_hash, Result.rubric_version == rubric_version)
            if record_id is not None:
                q = q.where(Result.record_id == record_id)
            data = s.scalar(q.order_by(Result.id).limit(1))
            return Report.from_dict(data) if data is not None else None

    def save_result(
        self,
        run_id: int,
        report: Report,
        *,
        content_hash: str,
        fields: dict[str, str],
        text: str | None = None,
        submitted_by: str | None = None,
        history: dict | None = None,
    ) -> int:
        """Store a report; idempotent per (record id, content hash, rubric version). Returns the result id.

        ``history`` holds the facts drift needs from the text (``analyser.drift.history_facts``: date of
        birth, full name, date of coming into care, progress sentences); it is kept in the record's
        fields so a child's history can be followed without storing the whole text.

        A new content for a known record id becomes its next version. The run is linked to the result
        either way (as 'scored' when new, 'skipped' when it was already stored), so a run covers all
        of its input records. One transaction per call: a killed batch loses at most in-flight records.
        """
        item = ResultInput(report, content_hash, fields, text, submitted_by, history)
        return self.save_results(run_id, [item])[0].result_id

    def save_results(self, run_id: int, items: Sequence[ResultInput]) -> list[Saved]:
        """Store many reports in one transaction (what :meth:`save_result` does for each, in order):
        a fixed number of statements per call, whatever its size. Returns where each went, in order.
        A batch killed mid-call loses that call's items only; the next run scores them again."""
        for attempt in range(3):
            try:
                with self._session() as s, s.begin():
                    return save_chunk(s, run_id, items)
            except IntegrityError:
                # Another writer stored the same record (or version number) first: read it back.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def update_report(self, record_id: str, report: Report, version: int | None = None) -> bool:
        """Replace the stored report JSON of a record version's latest result (the latest version by
        default): how drift sections are kept current. Scores and counts are left as they were (the
        drift section does not change them). False when there is no such record."""
        with self._session() as s, s.begin():
            result = self._version_result(s, record_id, version)
            if result is None:
                return False
            result.report = report.to_dict()
            return True

    def child_records(
        self, *, child_id: str | None = None, record_ids: Iterable[str] | None = None
    ) -> list[tuple[RecordRow, Report, dict | None]]:
        """The latest version of each record of a child (by child id, or these record ids), with its
        report and its stored history facts (None for records stored before drift existed)."""
        q = select(Result).join(Record, Result.record_pk == Record.id).where(
            Record.version == _latest_version(), Result.id == _latest_result()
        )
        if child_id is not None:
            q = q.where(Record.child_id == child_id)
        elif record_ids is not None:
            q = q.where(Record.record_id.in_(list(record_ids)))
        else:
            raise ValueError("child_records needs a child id or record ids")
        with self._session() as s:
            return [
                (_record_row(r), Report.from_dict(r.report), (r.record.fields or {}).get("history"))
                for r in s.scalars(q.order_by(Record.date, Record.record_id))
            ]

    def linked_records(self, link_keys: Iterable[str]) -> dict[str, list[tuple[RecordRow, Report, dict | None, int]]]:
        """The latest version of each record of these children, by stored link key
        (:func:`analyser.linking.stored_link_key`), in date order: (row, report, history facts, result id).
        Through the ``records.link_key`` index, a page of children per query."""
        keys = sorted(set(link_keys))
        out: dict[str, list[tuple[RecordRow, Report, dict | None, int]]] = {k: [] for k in keys}
        with self._session() as s:
            for start in range(0, len(keys), 500):
                q = (select(Result).join(Record, Result.record_pk == Record.id)
                     .where(Record.link_key.in_(keys[start:start + 500]), Record.version == _latest_version(),
                            Result.id == _latest_result())
                     .order_by(Record.date, Record.record_id))
                for r in s.scalars(q):
                    assert r.record.link_key is not None  # the query asked for these keys
                    out[r.record.link_key].append(
                        (_record_row(r), Report.from_dict(r.report), (r.record.fields or {}).get("history"), r.id))
        return out

    def iter_timelines(self, link_keys: Iterable[str], *, fetch: int = 200) -> Iterator[tuple[str, list[TimelineRow]]]:
        """Each of these children's records, one child at a time (by stored link key, in key order):
        the latest result of each record's latest version, in date order, as
        :class:`TimelineRow` (team, report JSON, history facts, result id).

        What settling drift reads (:func:`analyser.drift.refresh_drift`): only the columns it needs, no
        ORM objects and no dimension scores, streamed ``fetch`` rows at a time, so a page of children
        never holds more than one child's reports at once (a whole page of parsed reports was the peak
        of a ``caseqa score`` run's memory)."""
        keys = sorted(set(link_keys))
        for start in range(0, len(keys), 500):
            q = (select(Record.link_key, Record.team, Record.fields, Result.report, Result.id)
                 .join(Result, Result.record_pk == Record.id)
                 .where(Record.link_key.in_(keys[start:start + 500]), Record.version == _latest_version(),
                        Result.id == _latest_result())
                 # By child first, so each child's rows arrive together; within a child in the order
                 # linked_records gives (date, then record id), on either backend's placing of NULLs.
                 .order_by(Record.link_key, Record.date, Record.record_id)
                 .execution_options(yield_per=fetch))
            with self._session() as s:
                current: str | None = None
                rows: list[TimelineRow] = []
                for link_key, team, fields, report, pk in s.execute(q):
                    if link_key != current:
                        if current is not None:
                            yield current, rows
                        current, rows = link_key, []
                    rows.append(TimelineRow(team, report, (fields or {}).get("history"), pk))
                if current is not None:
                    yield current, rows

    def linked_records_prefix(self, prefix: str) -> list[tuple[RecordRow, Report, dict | None, int]]:
        """Like :meth:`linked_records` for every stored link key starting with ``prefix`` (a child's name
        and date of birth in every team), in date order; an index range scan, not a table scan."""
        with self._session() as s:
            q = (select(Result).join(Record, Result.record_pk == Record.id)
                 .where(Record.link_key >= prefix, Record.link_key < prefix + "\uffff",
                        Record.version == _latest_version(), Result.id == _latest_result())
                 .order_by(Record.date, Record.record_id))
            return [(_record_row(r), Report.from_dict(r.report), (r.record.fields or {}).get("history"), r.id)
                    for r in s.scalars(q)]

    # ---- child keys: what URLs carry instead of a child id, a name or a date of birth ------------------

    def child_key(self, link_key: str) -> str:
        """The opaque key of the child these records link by (``records.link_key``, or a name and date
        of birth in every team: ``name+dob:<digest>|*``), made (random) the first time it is asked for."""
        with self._session() as s:
            found = s.scalar(select(ChildKey.key).where(ChildKey.link_key == link_key))
        if found is not None:
            return found
        key = secrets.token_urlsafe(16)
        try:
            with self._session() as s, s.begin():
                s.add(ChildKey(key=key, link_key=link_key))
            return key
        except IntegrityError:
            pass  # another writer made this child's key first: read theirs
        with self._session() as s:
            return s.scalars(select(ChildKey.key).where(ChildKey.link_key == link_key)).one()

    def child_link(self, key: str) -> str | None:
        """The link key an opaque child key stands for (None: no such key)."""
        if not key or len(key) > 40:
            return None
        with self._session() as s:
            return s.scalar(select(ChildKey.link_key).where(ChildKey.key == key))

    def update_report_json(self, reports: Iterable[tuple[int, dict]]) -> int:
        """Replace the report JSON (``Report.to_dict()``) of these results (by result id) in one
        transaction: how drift sections are kept current in bulk. Returns how many were updated."""
        rows = [{"pk": pk, "report": data} for pk, data in reports]
        if not rows:
            return 0
        table = table_of(Result)
        with self._session() as s, s.begin():
            s.connection().execute(
                table.update().where(table.c.id == bindparam("pk")).values(report=bindparam("report")), rows)
        return len(rows)

    def unlinked_records(self) -> Iterator[tuple[str, dict, str | None]]:
        """(record id, fields, child's name) of the latest version of every record without a child id:
        what linking by name plus date of birth searches."""
        q = select(Record.record_id, Record.fields, Record.child_name).where(
            Record.child_id.is_(None), Record.version == _latest_version()
        )
        with self._session() as s:
            for rid, fields, name in s.execute(q.execution_options(yield_per=1000)):
                yield rid, dict(fields or {}), name

    def save_failure(self, run_id: int, *, source: str, reason: str, record_id: str | None = None) -> None:
        """Record why an input could not be scored (never its text)."""
        # A NUL cannot go into PostgreSQL's text columns, and a failure must always be recordable.
        def clean(value: str | None) -> str | None:
            return value.replace("\x00", "") if value is not None else None

        with self._session() as s, s.begin():
            s.add(Failure(run_id=run_id, source=clean(source), reason=clean(reason), record_id=clean(record_id)))

    def _version_result(self, s: Session, record_id: str, version: int | None) -> Result | None:
        q = select(Result).join(Record, Result.record_pk == Record.id).where(Record.record_id == record_id)
        if version is not None:
            q = q.where(Record.version == version)
        return s.scalar(q.order_by(Record.version.desc(), Result.scored_at.desc(), Result.id.desc()).limit(1))

    def get_report(self, record_id: str, version: int | None = None) -> Report | None:
        """A record's stored report: the latest version (and its latest result) by default."""
        with self._session() as s:
            result = self._version_result(s, record_id, version)
            return Report.from_dict(result.report) if result else None

    def get_text(self, record_id: str, version: int | None = None) -> str | None:
        """A record version's text, if it was stored (``--store-text``)."""
        with self._session() as s:
            q = select(Record.text).where(Record.record_id == record_id)
            q = q.where(Record.version == version) if version is not None else q.order_by(Record.version.desc())
            return s.scalar(q.limit(1))

    def list_records(
        self,
        *,
        worker: str | None = None,
        team: str | None = None,
        grade: str | None = None,
        doc_type: str | None = None,
        child_id: str | None = None,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        submitted_by: str | None = None,
        run_id: int | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[RecordRow]:
        """Records matching every given filter, latest version of each (its latest result), by record id.

        With ``run_id``: the results that run covers (scored or skipped), whatever their version.
        """
        q = select(Result).join(Record, Result.record_pk == Record.id)
        if run_id is not None:
            q = q.join(RunItem, and_(RunItem.result_id == Result.id, RunItem.run_id == run_id))
        else:
            q = q.where(Record.version == _latest_version(), Result.id == _latest_result())
        conditions = {
            Record.worker: worker, Record.team: team, Result.grade: grade, Record.doc_type: doc_type,
            Record.child_id: child_id, Record.submitted_by: submitted_by,
        }
        for column, value in conditions.items():
            if value is not None:
                q = q.where(column == value)
        if date_from is not None:
            q = q.where(Record.date >= _iso(date_from))
        if date_to is not None:
            q = q.where(Record.date <= _iso(date_to))
        q = q.order_by(Record.record_id, Record.version).limit(limit).offset(offset)
        with self._session() as s:
            return [_record_row(r) for r in s.scalars(q)]

    def record_owner(self, record_id: str) -> tuple[str | None, str | None, str | None] | None:
        """(submitted_by, team, worker) of a record's first version: whose it is; None when unknown."""
        q = select(Record.submitted_by, Record.team, Record.worker).where(Record.record_id == record_id)
        with self._session() as s:
            row = s.execute(q.order_by(Record.version).limit(1)).first()
            return (row[0], row[1], row[2]) if row else None

    def worker_teams(self, worker: str) -> set[str | None]:
        """The teams of every record naming ``worker`` (None for records without a team)."""
        with self._session() as s:
            return set(s.scalars(select(Record.team).where(Record.worker == worker).distinct()))

    def list_workers(self) -> list[str]:
        """Every worker named on a stored record, alphabetically."""
        q = select(Record.worker).where(Record.worker.is_not(None)).distinct().order_by(Record.worker)
        with self._session() as s:
            return [w for w in s.scalars(q) if w]

    def record_versions(self, record_id: str) -> list[RecordRow]:
        """Every version of a record (its latest result each), oldest first."""
        q = (
            select(Result)
            .join(Record, Result.record_pk == Record.id)
            .where(Record.record_id == record_id, Result.id == _latest_result())
            .order_by(Record.version)
        )
        with self._session() as s:
            return [_record_row(r) for r in s.scalars(q)]

    def run_reports(self, run_id: int) -> Iterator[tuple[RecordRow, Report]]:
        """Every result a run covers, in the run's order, with its full report (streamed)."""
        q = (
            select(Result)
            .join(RunItem, RunItem.result_id == Result.id)
            .where(RunItem.run_id == run_id)
            .order_by(RunItem.id)
            # A fetch of rows is held whole (the ORM results, their report JSON and dimension scores,
            # about 0.15 MB a record): 200 a fetch was the peak of a `caseqa score` run's memory once
            # drift read one child at a time; 32 costs a query of dimension scores per 32 records.
            .execution_options(yield_per=RUN_REPORTS_FETCH)
        )
        with self._session() as s:
            for result in s.scalars(q):
                yield _record_row(result), Report.from_dict(result.report)

    # ---- users ----------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, team: str | None = None) -> tuple[UserRow, str]:
        """Create a user and its API key ``cqa_<id>_<secret>``; the plain key is returned only here."""
        from argon2 import PasswordHasher

        if role not in ROLES:
            raise ValueError(f"role '{role}' is not one of {', '.join(ROLES)}")
        if not name.strip():
            raise ValueError("a user needs a name")
        secret = secrets.token_urlsafe(32)
        try:
            with self._session() as s, s.begin():
                if s.scalar(select(User.id).where(User.name == name)) is not None:
                    raise ValueError(f"user '{name}' already exists")
                user = User(name=name, role=role, team=team, key_hash=PasswordHasher().hash(secret))
                s.add(user)
                s.flush()
                return _user_row(user), f"cqa_{user.id}_{secret}"
        except IntegrityError:
            raise ValueError(f"user '{name}' already exists") from None

    def authenticate(self, key: str) -> UserRow | None:
        """The user an API key belongs to, or None. Looks the user up by the id in the key, then verifies."""
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        m = _KEY_RE.match(key or "")
        if not m:
            return None
        with self._session() as s:
            user = s.get(User, int(m.group(1)))
            try:
                # An unknown id verifies against a dummy hash: the answer takes as long as for a known id.
                PasswordHasher().verify(user.key_hash if user is not None else _dummy_hash(), m.group(2))
            except (VerificationError, InvalidHashError):
                return None
            return _user_row(user) if user is not None else None

    def get_user(self, user_id: int) -> UserRow | None:
        """A user by id (no key check): what a signed-in web session is re-read from on each request."""
        with self._session() as s:
            user = s.get(User, user_id)
            return _user_row(user) if user else None

    def user_by_name(self, name: str) -> UserRow | None:
        with self._session() as s:
            user = s.scalar(select(User).where(User.name == name))
            return _user_row(user) if user else None

    def list_users(self) -> list[UserRow]:
        with self._session() as s:
            return [_user_row(u) for u in s.scalars(select(User).order_by(User.name))]

    def remove_user(self, name: str) -> bool:
        """Delete a user (and so its key and web sessions); False when there was no such user."""
        with self._session() as s, s.begin():
            user = s.scalar(select(User).where(User.name == name))
            if user is None:
                return False
            s.execute(table_of(WebSession).delete().where(WebSession.user_id == user.id))
            s.delete(user)
            return True

    def rotate_key(self, name: str) -> tuple[UserRow, str]:
        """Give a user a new API key (the old one stops working) and end their web sessions."""
        from argon2 import PasswordHasher

        secret = secrets.token_urlsafe(32)
        with self._session() as s, s.begin():
            user = s.scalar(select(User).where(User.name == name))
            if user is None:
                raise KeyError(f"no user '{name}'")
            user.key_hash = PasswordHasher().hash(secret)
            s.execute(table_of(WebSession).delete().where(WebSession.user_id == user.id))
            return _user_row(user), f"cqa_{user.id}_{secret}"

    # ---- web sessions ---------------------------------------------------------------------------

    def start_session(self, user_id: int, max_age: int) -> str:
        """A new web session for the user, valid ``max_age`` seconds; returns its token (the cookie's)."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self._session() as s, s.begin():
            # Expired sessions are swept here, so the table holds only live ones (and stays small).
            s.execute(table_of(WebSession).delete().where(WebSession.expires_at < now))
            s.add(WebSession(id=_token_id(token), user_id=user_id, created_at=now,
                             expires_at=now + timedelta(seconds=max_age)))
        return token

    def session_user(self, token: str) -> UserRow | None:
        """The user of a live web session, or None (ended, expired, or its user removed)."""
        with self._session() as s:
            row = s.get(WebSession, _token_id(token))
            if row is None or _utc(row.expires_at) < datetime.now(UTC):
                return None
            user = s.get(User, row.user_id)
            return _user_row(user) if user else None

    def end_session(self, token: str) -> None:
        """Sign a web session out (nothing happens for an unknown token)."""
        with self._session() as s, s.begin():
            s.execute(table_of(WebSession).delete().where(WebSession.id == _token_id(token)))

    def end_sessions(self, user_id: int) -> int:
        """End every web session of a user; returns how many there were."""
        with self._session() as s, s.begin():
            return cast(CursorResult[Any], s.execute(table_of(WebSession).delete().where(WebSession.user_id == user_id))).rowcount or 0

    # ---- supervision and the audit loop -----------------------------------------------------------

    def save_supervision(
        self,
        worker: str,
        on: str | date,
        *,
        since: str | date | None,
        due_working_days: int,
        actions: Sequence[Mapping[str, object]],
    ) -> int:
        """Store a supervision and the actions it raised; returns its id.

        Writing a worker's supervision again for the same date replaces the earlier one and its actions:
        a manager re-running the command to fix a template must not raise every action twice.
        Each action mapping holds the :class:`SupervisionAction` columns other than id, supervision id,
        worker, status and the closing fields.
        """
        day = _iso(on)
        assert day is not None
        with self._session() as s, s.begin():
            old = s.scalar(select(Supervision).where(Supervision.worker == worker, Supervision.date == day))
            if old is not None:
                s.execute(table_of(SupervisionAction).delete().where(SupervisionAction.supervision_id == old.id))
                s.delete(old)
                s.flush()
            sup = Supervision(worker=worker, date=day, since=_iso(since), due_working_days=due_working_days)
            s.add(sup)
            s.flush()
            for a in actions:
                s.add(SupervisionAction(supervision_id=sup.id, worker=worker, status="open", **a))
            return sup.id

    def get_supervision(self, supervision_id: int) -> SupervisionRow | None:
        with self._session() as s:
            sup = s.get(Supervision, supervision_id)
            return _supervision_row(sup) if sup else None

    def list_supervisions(self, worker: str | None = None) -> list[SupervisionRow]:
        """Supervisions, newest date first (one worker's when given)."""
        q = select(Supervision).order_by(Supervision.date.desc(), Supervision.id.desc())
        if worker is not None:
            q = q.where(Supervision.worker == worker)
        with self._session() as s:
            return [_supervision_row(x) for x in s.scalars(q)]

    def last_supervision(self, worker: str, before: str | date | None = None) -> SupervisionRow | None:
        """The worker's latest supervision (dated strictly before ``before`` when given)."""
        q = select(Supervision).where(Supervision.worker == worker)
        if before is not None:
            q = q.where(Supervision.date < _iso(before))
        with self._session() as s:
            sup = s.scalar(q.order_by(Supervision.date.desc(), Supervision.id.desc()).limit(1))
            return _supervision_row(sup) if sup else None

    def supervision_actions(
        self,
        *,
        worker: str | None = None,
        team: str | None = None,
        supervision_id: int | None = None,
        record_id: str | None = None,
        status: str | None = None,
    ) -> list[SupervisionActionRow]:
        """Stored supervision actions matching every given filter, oldest first."""
        q = select(SupervisionAction).order_by(SupervisionAction.id)
        conditions = {
            SupervisionAction.worker: worker, SupervisionAction.team: team, SupervisionAction.record_id: record_id,
            SupervisionAction.supervision_id: supervision_id, SupervisionAction.status: status,
        }
        for column, value in conditions.items():
            if value is not None:
                q = q.where(column == value)
        with self._session() as s:
            return [_action_row(a) for a in s.scalars(q)]

    def open_actions(self, worker: str | None = None, record_id: str | None = None) -> list[SupervisionActionRow]:
        """Actions not yet closed by a re-scored record."""
        return self.supervision_actions(worker=worker, record_id=record_id, status="open")

    def close_action(self, action_id: int, *, closed_on: str | date, version: int | None = None) -> None:
        """Close an action: the record version ``version`` no longer has the shortfall."""
        with self._session() as s, s.begin():
            a = s.get(SupervisionAction, action_id)
            if a is None:
                raise KeyError(f"no supervision action {action_id}")
            a.status, a.closed_on, a.closed_version = "closed", _iso(closed_on), version

    def redate_action(self, action_id: int, *, due: str | date) -> None:
        """Give an open action a new due date: a supervision agreed it again, still not done."""
        with self._session() as s, s.begin():
            a = s.get(SupervisionAction, action_id)
            if a is None:
                raise KeyError(f"no supervision action {action_id}")
            a.due = _iso(due) or a.due

    def latest_version(self, record_id: str) -> int | None:
        """The highest stored version number of a record."""
        with self._session() as s:
            return s.scalar(select(func.max(Record.version)).where(Record.record_id == record_id))

    def actions_stats(
        self, worker: str | None = None, team: str | None = None, *, on: str | date | None = None
    ) -> ActionStats:
        """Actions raised, closed, open, overdue on ``on`` (default today) and the median days to close."""
        day = _iso(on) or date.today().isoformat()
        return _stats(self.supervision_actions(worker=worker, team=team), day)

    def actions_stats_by(self, by: str, *, on: str | date | None = None) -> dict[str, ActionStats]:
        """:meth:`actions_stats` for each worker (``by="worker"``) or team (``by="team"``)."""
        if by not in ("worker", "team"):
            raise ValueError("by must be 'worker' or 'team'")
        day = _iso(on) or date.today().isoformat()
        groups: dict[str, list[SupervisionActionRow]] = {}
        for row in self.supervision_actions():
            groups.setdefault(getattr(row, by) or f"(no {by})", []).append(row)
        return {name: _stats(rows, day) for name, rows in sorted(groups.items())}
