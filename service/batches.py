"""Background batches: uploaded files or stored records scored into the store, one batch at a time.

A batch becomes a store *run* through :func:`analyser.workflow.score_batch`, the workflow ``caseqa score``
runs too (chunked store writes, drift settled, supervision actions synced). Batches queue and run one after another in a
single background thread (two cores: draft checks must stay quick while a batch runs); with
``CASEQA_BATCH_WORKERS`` > 1 the thread hands records to that many worker processes. Progress lives
in memory: a batch's status is lost when the service restarts (its run and results are not).
Uploaded files wait in a private temporary folder that is deleted when the batch ends.
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from analyser import __version__
from analyser.inputs import InputFailure, RecordInput
from analyser.store import Store
from service.config import Settings
from service.metrics import Metrics
from service.schemas import BatchFailure, BatchStatus

log = logging.getLogger("caseqa.service")
MAX_FAILURES_SHOWN = 100


@dataclass
class Batch:
    """One batch's inputs and progress."""

    id: str
    created_by: str
    items: list[RecordInput | InputFailure]
    keep_text: bool
    submitted_by: str
    folder: str | None = None  # temporary folder of uploaded files, removed at the end
    total: int = 0
    status: str = "queued"
    done: int = 0
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    run_id: int | None = None
    error: str | None = None
    failures: list[BatchFailure] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None

    def status_model(self) -> BatchStatus:
        return BatchStatus(
            id=self.id, status=self.status, total=self.total, done=self.done, scored=self.scored,  # type: ignore[arg-type]
            skipped=self.skipped, failed=self.failed, run_id=self.run_id, created_by=self.created_by,
            created_at=self.created_at, finished_at=self.finished_at, failures=list(self.failures), error=self.error,
        )


class BatchRunner:
    """Queues batches and runs them in one daemon thread with its own store connection."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings, self.metrics = settings, metrics
        self.batches: dict[str, Batch] = {}
        self._queue: queue.Queue[Batch | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="caseqa-batches", daemon=True)
        self._thread.start()

    def submit(self, created_by: str, items: Iterable[RecordInput | InputFailure], *, keep_text: bool,
               folder: str | None = None) -> Batch:
        listed = list(items)
        batch = Batch(id=uuid.uuid4().hex, created_by=created_by, items=listed, keep_text=keep_text,
                      submitted_by=created_by, folder=folder, total=len(listed))
        with self._lock:
            self.batches[batch.id] = batch
        self._queue.put(batch)
        return batch

    def get(self, batch_id: str) -> Batch | None:
        with self._lock:
            return self.batches.get(batch_id)

    def close(self, timeout: float = 5.0) -> None:
        """Stop after the running batch (queued ones are dropped; their uploads deleted)."""
        self._queue.put(None)
        self._thread.join(timeout)
        while True:
            try:
                batch = self._queue.get_nowait()
            except queue.Empty:
                break
            if batch is not None:
                self._cleanup(batch)

    def _loop(self) -> None:
        while (batch := self._queue.get()) is not None:
            self.metrics.batches_running.inc()
            try:
                self._run(batch)
            except Exception as exc:  # noqa: BLE001 - a broken batch must not stop the next one
                batch.status, batch.error = "failed", f"internal error: {type(exc).__name__}"
                log.error("batch %s failed: %s", batch.id, type(exc).__name__)
            finally:
                batch.finished_at = datetime.now(UTC)
                self.metrics.batches_running.dec()
                self._cleanup(batch)

    def _run(self, batch: Batch) -> None:
        from analyser.batch import BatchOptions, Outcome
        from analyser.nlp import models_version
        from analyser.rubric import load_rubric
        from analyser.workflow import score_batch

        s = self.settings
        batch.status = "running"
        rubric_version = load_rubric(s.rubric).version

        def started(run_id: int) -> None:
            batch.run_id = run_id

        def seen(outcome: Outcome) -> None:
            if outcome.failure is not None:
                batch.failed += 1
                if len(batch.failures) < MAX_FAILURES_SHOWN:
                    batch.failures.append(BatchFailure(source=outcome.failure.source, reason=outcome.failure.reason))
            elif outcome.skipped:
                batch.skipped += 1
            else:
                batch.scored += 1
            batch.done += 1

        with Store(s.db) as store:
            options = BatchOptions(rubric=s.rubric, accurate=s.accurate, max_bytes=s.max_body_bytes,
                                   keep_text=batch.keep_text, known=frozenset(store.scored_keys(rubric_version)))
            n_records = sum(isinstance(i, RecordInput) for i in batch.items)
            # The same workflow as `caseqa score`: stored in chunks, drift settled, supervision synced.
            # Re-scored stored records keep who submitted them; uploads are the batch creator's.
            score_batch(
                store, batch.items, options, rubric_version=rubric_version, model_version=models_version(s.accurate),
                caseqa_version=__version__,
                params={"source": "service", "batch": batch.id, "by": batch.created_by, "inputs": len(batch.items),
                        "store_text": batch.keep_text, "rubric": s.rubric},
                workers=max(1, min(s.batch_workers, n_records)), store_text=batch.keep_text,
                submitted_by=batch.submitted_by, on_run=started, on_outcome=seen,
            )
        batch.status = "done"

    @staticmethod
    def _cleanup(batch: Batch) -> None:
        if batch.folder:
            shutil.rmtree(batch.folder, ignore_errors=True)
            batch.folder = None
        batch.items = []  # stored-record batches hold record text: drop it once done (the total is kept)
