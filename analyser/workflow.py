"""Scoring a batch into the store: the one workflow ``caseqa score`` and the service's batches share.

:func:`score_batch` runs the whole of it, in this order:

1. a store *run* is started with everything needed to reproduce it;
2. records are scored by :func:`analyser.batch.run_batch` (worker processes when asked) and stored in
   chunks (:meth:`Store.save_results`: one transaction, a fixed number of statements per chunk). A chunk
   is written every ``chunk_records`` records or ``chunk_seconds`` seconds, whichever comes first, so a
   killed batch loses only the records of its last chunk, and re-running it scores just those again
   (the rest are skipped as already stored);
3. drift is settled: every child the run touched has its timeline read once (through the store's
   link-key index) and the drift section of each of its records updated in the store
   (:func:`analyser.drift.refresh_drift`). Only then is a record's report final;
4. supervision actions fixed by a re-scored record are closed (:func:`analyser.supervision.sync_actions`);
5. the run is finished with its counts.

Outputs (JSONL, CSV, HTML, stdout, the API) are written from the store *after* the run
(:meth:`Store.run_reports`), so they all show the same, settled drift. Nothing here logs record text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analyser.batch import BatchOptions, Outcome, run_batch
from analyser.inputs import InputFailure, RecordInput

from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:  # pragma: no cover
    from analyser.store import Saved, Store
    from analyser.supervision import SyncResult

CHUNK_RECORDS = 64
CHUNK_SECONDS = 0.5  # a killed batch loses at most about this much scoring


@dataclass
class BatchSummary:
    """What a batch did: counts, failures (source, reason), why records were not linked, drift updates."""

    run_id: int
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[InputFailure] = field(default_factory=list)
    unlinked: dict[str, int] = field(default_factory=dict)  # reason a record has no history -> how many
    children: int = 0  # children whose drift this run settled
    drift_updated: int = 0  # stored reports whose drift section changed
    closed_actions: int = 0  # supervision actions closed by fixed records
    open_actions: int = 0
    workers_seen: set[str] = field(default_factory=set)  # the 'worker' field of scored records


def score_batch(
    store: Store,
    items: Iterable[RecordInput | InputFailure],
    options: BatchOptions,
    *,
    rubric_version: str,
    model_version: str,
    caseqa_version: str,
    params: Mapping[str, object],
    workers: int = 1,
    store_text: bool = False,
    submitted_by: str | None = None,
    on_run: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    chunk_records: int = CHUNK_RECORDS,
    chunk_seconds: float = CHUNK_SECONDS,
) -> BatchSummary:
    """Score ``items`` into ``store`` as one run (see the module's steps) and return what it did.

    ``submitted_by`` is stored with each result unless the record's own fields name who submitted it
    (stored records re-scored by the service keep their submitter). ``on_outcome`` sees every outcome as
    it arrives (progress; the HTML report keeps the text it needs), before its chunk is written.
    ``options.keep_text`` decides whether workers return the text; only ``store_text`` stores it.
    """
    from analyser.drift import not_linked_reason_for
    from analyser.linking import LinkedBy
    from analyser.store import ResultInput
    from analyser.supervision import sync_actions

    run_id = store.start_run(rubric_version=rubric_version, model_version=model_version,
                             caseqa_version=caseqa_version, params=dict(params))
    if on_run:
        on_run(run_id)
    summary = BatchSummary(run_id)
    children: set[tuple[str, LinkedBy]] = set()
    pending: list[ResultInput] = []
    sources: dict[str, str] = {}  # record id -> where it came from, for a failure to store it
    last_write = time.monotonic()

    def save(items: list[ResultInput]) -> list[tuple[ResultInput, Saved]]:
        """Store a chunk; if the store refuses it, each item on its own, so only the items it refuses fail."""
        try:
            return list(zip(items, store.save_results(run_id, items), strict=True))
        except SQLAlchemyError:
            if len(items) == 1:
                raise
        stored = []
        for item in items:
            try:
                stored += save([item])
            except SQLAlchemyError as exc:
                # The database's message quotes the statement's parameters (record text): never shown.
                reason = f"could not be stored ({type(getattr(exc, 'orig', None) or exc).__name__})"
                failure = InputFailure(sources.get(item.rid, item.rid), reason, item.rid)
                summary.failed += 1
                if item.report is None:
                    summary.skipped -= 1
                else:
                    summary.scored -= 1
                summary.failures.append(failure)
                store.save_failure(run_id, source=failure.source, reason=reason, record_id=item.rid)
        return stored

    def write() -> None:
        nonlocal last_write
        if pending:
            for item, where in save(pending):
                if item.report is not None and where.outcome == "skipped":
                    # Scored here, but another run writing at the same time stored it first: counted
                    # as that run's, so the summary agrees with this run's items.
                    summary.scored -= 1
                    summary.skipped += 1
                if where.link_key:
                    how, _, key = where.link_key.partition(":")
                    children.add((key, how))  # type: ignore[arg-type]
                else:
                    reason = not_linked_reason_for({**item.fields, "history": item.history or {}}, where.child_name)
                    if reason:
                        summary.unlinked[reason] = summary.unlinked.get(reason, 0) + 1
            pending.clear()
            sources.clear()
        last_write = time.monotonic()

    for outcome in run_batch(items, options, workers=workers):
        if on_outcome:
            on_outcome(outcome)
        if outcome.failure is not None:
            f = outcome.failure
            summary.failed += 1
            summary.failures.append(f)
            store.save_failure(run_id, source=f.source, reason=f.reason, record_id=f.id)
            continue
        record = outcome.record
        assert record is not None and outcome.content_hash is not None
        if outcome.skipped:
            summary.skipped += 1
        else:
            summary.scored += 1
            if record.fields.get("worker"):
                summary.workers_seen.add(str(record.fields["worker"]))
        sources[record.id] = record.source
        pending.append(ResultInput(
            outcome.report, outcome.content_hash, record.fields, outcome.text if store_text else None,
            record.fields.get("submitted_by") or submitted_by, outcome.history,
            record_id=record.id, rubric_version=rubric_version,
        ))
        if len(pending) >= chunk_records or time.monotonic() - last_write >= chunk_seconds:
            write()
    write()
    settle(store, children, summary)
    synced: SyncResult = sync_actions(store)
    summary.closed_actions, summary.open_actions = synced.closed, synced.still_open
    store.finish_run(run_id, scored=summary.scored, skipped=summary.skipped, failed=summary.failed)
    return summary


def settle(store: Store, children: Iterable[tuple[str, str]], summary: BatchSummary | None = None) -> int:
    """Settle the drift of these children's records in the store; how many stored reports changed."""
    from analyser.drift import refresh_drift

    keys = set(children)
    changed = refresh_drift(store, keys) if keys else 0  # type: ignore[arg-type]
    if summary is not None:
        summary.children, summary.drift_updated = len(keys), changed
    return changed
