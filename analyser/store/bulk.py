"""Storing many results at once: a chunk of reports in one transaction, a fixed number of statements.

A batch of 100,000 records cannot afford a transaction and half a dozen lookups per record (4 ms a
record on SQLite, more over a network to PostgreSQL). :func:`save_chunk` stores a chunk with one lookup
of the chunk's stored results, one of its stored record versions and one of the run's links, then
multi-row inserts (records and results with ``RETURNING`` in parameter order, which SQLAlchemy 2 does
on SQLite 3.35+ and PostgreSQL alike). The caller's transaction is the unit of loss: a batch killed
mid-chunk loses that chunk only, and re-running it scores those records again.

The outcome is the same as storing the items one after another with ``Store.save_result``: the same
versions, results, run links ('scored' for new results, 'skipped' for stored ones, one link per result
and run), the same record fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analyser.linking import stored_link_key
from analyser.report import Report
from analyser.store.models import (
    ActionRow,
    DimensionScore,
    FindingRow,
    Record,
    Result,
    RunItem,
    utcnow,
    table_of,
)


@dataclass(frozen=True)
class ResultInput:
    """One report to store, with what ``Store.save_result`` takes beside it.

    ``report`` may be None for a record the batch skipped as already stored: ``record_id`` and
    ``rubric_version`` then find its stored result (linked to the run, its history refreshed)."""

    report: Report | None
    content_hash: str
    fields: dict[str, str]
    text: str | None = None
    submitted_by: str | None = None
    history: dict | None = None
    record_id: str | None = None  # the report's id (needed when there is no report)
    rubric_version: str | None = None

    @property
    def rid(self) -> str:
        return self.report.id if self.report is not None else str(self.record_id)

    @property
    def rubric(self) -> str:
        return self.report.versions.rubric if self.report is not None else str(self.rubric_version)


@dataclass(frozen=True)
class Saved:
    """Where an item went: its result id, its record's link key and child's name as stored, and whether
    this call stored its result ('scored') or found it stored already ('skipped': an earlier run, another
    run writing at the same time, or the same record met earlier in the chunk)."""

    result_id: int
    link_key: str | None
    child_name: str | None
    outcome: str = "scored"


def record_fields(fields: dict[str, str], history: dict | None) -> dict:
    return {**fields, "history": history} if history is not None else dict(fields)


def _for_store(history: dict | None, fields: dict, child_name: str | None, text_kept: bool) -> dict | None:
    """History facts as stored: derived facts only (analyser.drift.stored_history), never a verbatim
    sentence, full name or date of birth unless the record's text is kept anyway."""
    if history is None:
        return None
    from analyser.drift import stored_history  # the checks' vocabulary: loaded only when storing facts

    return stored_history(history, fields, child_name, keep_text=text_kept)


def _merged_history(stored: dict | None, history: dict | None) -> dict | None:
    """The record's new fields when ``history`` replaces what is stored (None: nothing to change)."""
    # The facts come from the same text, so newer extraction simply replaces older (and records stored
    # before drift existed gain them the next time they are seen).
    stored = stored or {}
    if history is not None and stored.get("history") != history:
        return {**stored, "history": history}
    return None


def save_chunk(s: Session, run_id: int, items: Sequence[ResultInput]) -> list[Saved]:
    """Store ``items`` in the session's transaction; where each went, in order."""
    if not items:
        return []
    ids = sorted({it.rid for it in items})
    rubrics = sorted({it.rubric for it in items})
    # The chunk's stored results and record versions: one query each.
    results: dict[tuple[str, str, str], tuple[int, int]] = {}
    for rid, digest, rubric, pk, rec_pk in s.execute(
        select(Result.record_id, Result.content_hash, Result.rubric_version, Result.id, Result.record_pk)
        .where(Result.record_id.in_(ids), Result.rubric_version.in_(rubrics)).order_by(Result.id)
    ):
        results.setdefault((rid, digest, rubric), (pk, rec_pk))
    records: dict[tuple[str, str], dict] = {}
    max_version: dict[str, int] = {}
    # Version 1's owner and team per record: who may see a record never changes because someone else
    # stored a new version under its id.
    first_owner: dict[str, tuple[int, str | None, str | None]] = {}
    for pk, rid, digest, version, has_text, fields, name, key, submitted_by, team in s.execute(
        select(Record.id, Record.record_id, Record.content_hash, Record.version, Record.text.is_not(None),
               Record.fields, Record.child_name, Record.link_key, Record.submitted_by, Record.team)
        .where(Record.record_id.in_(ids))
    ):
        records[(rid, digest)] = {"pk": pk, "has_text": has_text, "fields": fields, "name": name, "link_key": key}
        max_version[rid] = max(max_version.get(rid, 0), version)
        if rid not in first_owner or version < first_owner[rid][0]:
            first_owner[rid] = (version, submitted_by, team)

    out: list[int | None] = [None] * len(items)
    # Updates to stored records (text given now, newer history facts): pk -> changed columns.
    record_updates: dict[int, dict] = {}
    new_records: list[dict] = []  # rows to insert, with the (record id, hash) they are for
    new_by_key: dict[tuple[str, str], dict] = {}
    new_results: list[tuple[int, ResultInput, tuple[str, str]]] = []  # (item index, item, record key)
    pending_results: dict[tuple[str, str, str], int] = {}  # key -> first item index storing it in this chunk
    links: list[tuple[int, str]] = []  # (item index, outcome)

    for k, it in enumerate(items):
        rkey = (it.rid, it.content_hash, it.rubric)
        stored = results.get(rkey)
        rec_key = (it.rid, it.content_hash)
        if it.report is None and stored is None and rkey not in pending_results:
            raise LookupError(f"record {it.rid} was skipped as stored, but its result is not in the store")
        if stored is not None or rkey in pending_results:
            rec = records.get(rec_key)
            if rec is not None:  # update the stored record as save_result does for an existing result
                _update_record(rec, it, record_updates)
            elif rec_key in new_by_key:
                _update_new_record(new_by_key[rec_key], it)
            links.append((k, "skipped"))
            if stored is not None:
                out[k] = stored[0]
            continue
        pending_results[rkey] = k
        rep = it.report
        assert rep is not None
        rec = records.get(rec_key)
        if rec is None and rec_key not in new_by_key:
            version = max_version.get(rep.id, 0) + 1
            max_version[rep.id] = version
            given = dict(it.fields)
            submitted_by = it.submitted_by
            if rep.id in first_owner:
                _, submitted_by, first_team = first_owner[rep.id]
                given = {**given, "team": first_team} if first_team else {k: v for k, v in given.items() if k != "team"}
            else:
                first_owner[rep.id] = (version, submitted_by, given.get("team"))
            child_name = rep.meta.child_name or it.fields.get("child_name")
            fields = record_fields(given, _for_store(it.history, given, child_name, it.text is not None))
            new_by_key[rec_key] = {
                "_key": rec_key, "record_id": rep.id, "version": version, "content_hash": it.content_hash,
                "source": rep.source, "child_id": it.fields.get("child_id"), "child_name": child_name,
                "doc_type": rep.doc_type, "date": rep.meta.date or it.fields.get("date"),
                "worker": it.fields.get("worker"), "team": given.get("team"),
                "supervisor": it.fields.get("supervisor"), "submitted_by": submitted_by,
                "fields": fields, "text": it.text, "link_key": stored_link_key(fields, child_name),
            }
            new_records.append(new_by_key[rec_key])
        elif rec is not None:
            _update_record(rec, it, record_updates)
        else:
            _update_new_record(new_by_key[rec_key], it)
        new_results.append((k, it, rec_key))
        links.append((k, "scored"))

    # Core statements on the session's connection: the ORM's bulk path costs more per row than SQLite does.
    conn = s.connection()
    records_t, results_t = table_of(Record), table_of(Result)
    for pk, values in record_updates.items():
        conn.execute(records_t.update().where(records_t.c.id == pk).values(**values))
    if new_records:
        now = utcnow()
        rows = [{**{k: v for k, v in r.items() if k != "_key"}, "created_at": now} for r in new_records]
        pks = conn.execute(records_t.insert().returning(records_t.c.id, sort_by_parameter_order=True), rows).scalars().all()
        for r, pk in zip(new_records, pks, strict=True):
            records[r["_key"]] = {"pk": pk, "link_key": r["link_key"], "name": r["child_name"]}
    if new_results:
        now = utcnow()
        rows = [_result_row(run_id, it, records[rec_key]["pk"], now) for _, it, rec_key in new_results]
        pks = conn.execute(results_t.insert().returning(results_t.c.id, sort_by_parameter_order=True), rows).scalars().all()
        dims, actions, findings = [], [], []
        for (k, it, _), pk in zip(new_results, pks, strict=True):
            out[k] = pk
            rep = it.report
            assert rep is not None
            # A dimension not scored for the record has no row (RecordRow.scores gives it as None).
            dims += [{"result_id": pk, "dimension": d, "score": r.score} for d, r in rep.dimensions.items()
                     if r.score is not None]
            actions += [{"result_id": pk, "position": i, "text": a.text, "owner": a.owner, "deadline": a.deadline,
                         "deadline_text": a.deadline_text, "timebound": a.timebound, "problems": ",".join(a.problems),
                         "start": a.start, "end": a.end} for i, a in enumerate(rep.actions)]
            findings += [{"result_id": pk, "position": i, "dimension": f.dimension, "code": f.code,
                          "severity": f.severity, "message": f.message, "excerpt": f.excerpt,
                          "suggestion": f.suggestion, "start": f.start, "end": f.end} for i, f in enumerate(rep.findings)]
        for model, rows in ((DimensionScore, dims), (ActionRow, actions), (FindingRow, findings)):
            if rows:
                conn.execute(table_of(model).insert(), rows)
    # Results stored earlier in this chunk, met again: the same result id.
    for k, it in enumerate(items):
        if out[k] is None:
            out[k] = out[pending_results[(it.rid, it.content_hash, it.rubric)]]
    # One link per (run, result): the run's order is the order results are first met.
    result_ids = [out[k] for k, _ in links]
    linked = set(s.scalars(select(RunItem.result_id).where(RunItem.run_id == run_id,
                                                           RunItem.result_id.in_(set(result_ids)))))
    rows = []
    for (_, outcome), result_pk in zip(links, result_ids, strict=True):
        assert result_pk is not None  # every linked item has its result by now
        if result_pk not in linked:
            linked.add(result_pk)
            rows.append({"run_id": run_id, "result_id": result_pk, "outcome": outcome})
    if rows:
        conn.execute(table_of(RunItem).insert(), rows)
    outcomes = dict(links)
    saved = []
    for k, (it, saved_pk) in enumerate(zip(items, out, strict=True)):
        rec = records[(it.rid, it.content_hash)]
        assert saved_pk is not None
        saved.append(Saved(saved_pk, rec.get("link_key"), rec.get("name"), outcomes[k]))
    return saved


def _update_record(rec: dict, it: ResultInput, updates: dict[int, dict]) -> None:
    """What ``save_result`` changes on a stored record version: its text when given now, its history."""
    values = updates.setdefault(rec["pk"], {})
    if it.text is not None and not rec.get("has_text"):
        values["text"] = it.text
        rec["has_text"] = True
    if "fields" in rec:
        base = {k: v for k, v in (rec["fields"] or {}).items() if k != "history"}
        history = _for_store(it.history, base, rec.get("name"), bool(rec.get("has_text")))
        fields = _merged_history(rec["fields"], history)
        if fields is not None:
            rec["fields"] = fields
            values["fields"] = fields
            values["link_key"] = rec["link_key"] = stored_link_key(fields, rec.get("name"))
    if not values:
        del updates[rec["pk"]]


def _update_new_record(row: dict, it: ResultInput) -> None:
    if it.text is not None and row["text"] is None:
        row["text"] = it.text
    base = {k: v for k, v in (row["fields"] or {}).items() if k != "history"}
    fields = _merged_history(row["fields"], _for_store(it.history, base, row["child_name"], row["text"] is not None))
    if fields is not None:
        row["fields"] = fields
        row["link_key"] = stored_link_key(fields, row["child_name"])


def _result_row(run_id: int, it: ResultInput, record_pk: int, now: datetime) -> dict:
    rep = it.report
    assert rep is not None, "only new results are written"
    return {
        "record_pk": record_pk, "run_id": run_id, "record_id": rep.id, "content_hash": it.content_hash,
        "rubric_version": rep.versions.rubric, "model_version": rep.versions.model,
        "caseqa_version": rep.versions.caseqa, "overall_score": rep.overall.score, "grade": rep.overall.grade,
        "actions_count": len(rep.actions), "actions_not_timebound": sum(not a.timebound for a in rep.actions),
        "findings_count": len(rep.findings), "report": rep.to_dict(), "scored_at": now,
    }


__all__ = ["ResultInput", "Saved", "record_fields", "save_chunk"]
