"""Running analyses inside the service: readiness, limits, the time limit, and saving drafts.

One spaCy pipeline per process, loaded once at start-up in a thread (``/readyz`` says when). Each
analysis runs in a worker thread under a capacity limiter (so a burst of requests queues rather than
thrashing two cores) and a time limit; an analysis over the limit is abandoned (threads cannot be
killed: it finishes in the background and its result is dropped) and the caller gets a 504.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import anyio
import anyio.to_thread
from fastapi import HTTPException

from analyser import __version__, analyse_document
from analyser.document import Document
from analyser.ingest import IngestError
from analyser.report import Report
from analyser.store import Store, UserRow
from service.config import Settings
from service.metrics import Metrics
from service.problems import AnalysisTimeout, NotReady

log = logging.getLogger("caseqa.service")

# A tiny record analysed at start-up: it loads the pipeline, the classifiers and the rubric, and warms
# every code path, so the first real request is as fast as the rest.
_WARM_UP = "CARE PLAN\nDate: 01/10/2024\nJo Smith will visit you at home by 2 November 2024."


@dataclass(frozen=True)
class Analysed:
    """A report and the document it came from (its extracted text is what the offsets index)."""

    report: Report
    document: Document


def count_words(text: str) -> int:
    """Whitespace-separated words: a cheap upper bound checked before any NLP runs."""
    return len(text.split())


class Analyses:
    """The service's analysis engine: load once, then analyse documents with limits."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.limiter = anyio.CapacityLimiter(settings.analysis_threads)
        self._ready = threading.Event()
        self.load_error: str | None = None

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def load(self) -> None:
        """Load the rubric and language pipeline and analyse a warm-up record (blocking; run in a thread)."""
        from analyser.nlp import ModelError
        from analyser.rubric import RubricError, load_rubric

        began = time.perf_counter()
        try:
            load_rubric(self.settings.rubric)
            analyse_document(_doc(_WARM_UP), rubric=self.settings.rubric, accurate=self.settings.accurate)
        except (ModelError, RubricError) as exc:
            self.load_error = str(exc)
            log.error("the service cannot analyse records: %s", exc)
            return
        except Exception as exc:  # noqa: BLE001 - reported by /readyz, never crashes start-up
            self.load_error = f"loading failed: {type(exc).__name__}"
            log.error("the service cannot analyse records: %s", type(exc).__name__)
            return
        self._ready.set()
        self.metrics.ready.set(1)
        log.info("language pipeline loaded in %.1f s; ready", time.perf_counter() - began)

    async def wait_ready(self) -> None:
        """Return once loaded; raise :class:`NotReady` on a failed load or after the time limit."""
        if self._ready.is_set():
            return
        with anyio.move_on_after(self.settings.analysis_timeout):
            while not self._ready.is_set() and self.load_error is None:
                await anyio.sleep(0.05)
        if self.load_error is not None:
            raise NotReady(f"the service cannot analyse records: {self.load_error}")
        if not self._ready.is_set():
            raise NotReady("the language pipeline is still loading; try again in a few seconds")

    async def analyse(self, load: Callable[[], Document], meta: dict[str, object]) -> Analysed:
        """Ingest (``load``) and analyse one document in a worker thread, within the limits.

        Raises IngestError (422), HTTPException 413 (too many words), AnalysisTimeout (504) or NotReady (503).
        """
        await self.wait_ready()
        settings = self.settings

        def work() -> Analysed:
            document = load()
            words = count_words(document.text)
            if words > settings.max_words:
                raise HTTPException(413, f"the document has {words:,} words; the limit is {settings.max_words:,}")
            report = analyse_document(document, rubric=settings.rubric, accurate=settings.accurate, **meta)  # type: ignore[arg-type]
            return Analysed(report, document)

        began = time.perf_counter()
        outcome = "error"
        try:
            with anyio.fail_after(settings.analysis_timeout):
                result = await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=self.limiter)
            outcome = "ok"
            return result
        except TimeoutError:
            outcome = "timeout"
            raise AnalysisTimeout(settings.analysis_timeout) from None
        except (IngestError, HTTPException):
            outcome = "rejected"
            raise
        finally:
            self.metrics.analyses.labels(outcome).inc()
            if outcome == "ok":
                self.metrics.analysis_seconds.observe(time.perf_counter() - began)


def _doc(text: str) -> Document:
    from analyser.ingest import from_text

    return from_text(text, source=None)


class DraftSaver:
    """Saves drafts that callers ask to keep, under one store run per service process."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._run_id: int | None = None
        self._saved = 0
        self._lock = threading.Lock()

    def _run(self, report: Report) -> int:
        with self._lock:
            if self._run_id is None:
                self._run_id = self.store.start_run(
                    rubric_version=report.versions.rubric, model_version=report.versions.model,
                    caseqa_version=__version__, params={"source": "service", "kind": "drafts checked in the service"},
                )
            return self._run_id

    def save(self, analysed: Analysed, user: UserRow, *, keep_text: bool) -> int:
        """Store the report with submitted_by = the user (worker and team from the user). Returns the result id."""
        from analyser.batch import content_hash
        from analyser.supervision import sync_actions

        report, document = analysed.report, analysed.document
        fields = {"worker": user.name}
        if user.team:
            fields["team"] = user.team
        owner = self.store.record_owner(report.id)
        if owner is not None:
            # A new version of a known record (a supervisor editing a team member's) stays the first
            # owner's: their worker name and team, and (in the store) who submitted it.
            _, team, worker = owner
            fields = {k: v for k, v in (("worker", worker), ("team", team)) if v}
        digest = content_hash(document.text, {"id": report.id, "by": user.name})
        result_id = self.store.save_result(
            self._run(report), report, content_hash=digest, fields=fields,
            text=document.text if keep_text else None, submitted_by=user.name,
        )
        with self._lock:
            self._saved += 1
        # A new version may fix what a supervision asked for: close those actions now.
        if fields.get("worker"):
            sync_actions(self.store, worker=fields["worker"])
        return result_id

    def close(self) -> None:
        """Close the drafts run (its count is the drafts saved by this process)."""
        with self._lock:
            if self._run_id is not None:
                self.store.finish_run(self._run_id, scored=self._saved, skipped=0, failed=0)
                self._run_id = None
