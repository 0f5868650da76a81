"""Background batches: uploaded files or stored records scored into the store, one batch at a time.

A batch becomes a store *run* through :func:`analyser.workflow.score_batch`, the workflow ``caseqa score``
runs too (chunked store writes, drift settled, supervision actions synced). Batches queue and run one after another in a
single background thread (two cores: draft checks must stay quick while a batch runs); with
``CASEQA_BATCH_WORKERS`` > 1 the thread hands records to that many worker processes. Progress lives
in memory: a batch's status is lost when the service restarts (its run and results are not).
Uploaded files wait in a private folder (0700) under the service's own upload folder
(``caseqa-batch-<pid>-*`` in the temp dir), deleted when the batch ends; the upload folder goes when the
service stops, and upload folders left by a service that died (kill -9, a crash) are deleted when the
next one starts.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analyser import __version__
from analyser.inputs import InputFailure, RecordInput
from analyser.store import Store
from service.config import Settings
from service.metrics import Metrics
from service.schemas import BatchFailure, BatchStatus

log = logging.getLogger("caseqa.service")
MAX_FAILURES_SHOWN = 100
UPLOADS_PREFIX = "caseqa-batch-"
LEGACY_UPLOADS_AGE = 24 * 3600.0  # seconds


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def clean_leftover_uploads(temp_dir: str | None = None) -> int:
    """Delete upload folders that no running service owns, only this user's; how many.

    A folder named with a process id (``caseqa-batch-<pid>-<random>``) goes once that process is dead.
    The per-batch folders older versions made (``caseqa-batch-<random>``) name no process: they go
    after a day, so an older service still running a batch next to this one keeps its files."""
    base = Path(temp_dir or tempfile.gettempdir())
    removed = 0
    for entry in base.glob(UPLOADS_PREFIX + "*"):
        try:
            st = entry.lstat()
            if not entry.is_dir() or entry.is_symlink() or st.st_uid != os.getuid():
                continue
        except OSError:
            continue
        pid_part, dash, _ = entry.name[len(UPLOADS_PREFIX):].partition("-")
        if pid_part.isdigit() and dash:
            if _alive(int(pid_part)):
                continue
        elif time.time() - st.st_mtime < LEGACY_UPLOADS_AGE:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed


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
        if cleaned := clean_leftover_uploads():
            log.warning("deleted %d upload folder(s) left by a service that stopped without cleaning up", cleaned)
        # mkdtemp makes it 0700: only this user reads the uploads. Gone at exit even without close().
        self.uploads = tempfile.mkdtemp(prefix=f"{UPLOADS_PREFIX}{os.getpid()}-")
        atexit.register(shutil.rmtree, self.uploads, True)
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

    def upload_folder(self) -> str:
        """A new private folder (0700) for one batch's uploaded files."""
        return tempfile.mkdtemp(prefix="batch-", dir=self.uploads)

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
        shutil.rmtree(self.uploads, ignore_errors=True)

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
