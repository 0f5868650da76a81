"""Running analyses inside the service: readiness, the limits, the time limit, and saving drafts.

Each analysis (:func:`service.worker.run_job`: ingest, the word limit, :func:`analyser.analyse_document`)
runs where it can be stopped and counted:

- **process mode** (the default, ``CASEQA_ANALYSIS_MODE=process``): a pool of ``CASEQA_ANALYSIS_WORKERS``
  worker processes (spawned, each loading the rubric and the language pipeline once). A request waits for
  an idle worker, sends it the job and waits for the report. An analysis over ``CASEQA_ANALYSIS_TIMEOUT``
  gets its worker killed (the work stops with it) and a fresh one started; a worker is also replaced
  after ``CASEQA_ANALYSIS_RECYCLE_AFTER`` analyses, which bounds the memory spaCy's vocabulary and
  string store gain from every new word.
- **thread mode** (``CASEQA_ANALYSIS_MODE=thread``, for tests and embedding): the analysis runs in a
  thread of this process. A thread cannot be stopped, so one over the time limit answers 504 but keeps its
  slot until it finishes: never more than ``CASEQA_ANALYSIS_WORKERS`` analyses run at once either way.

In both, the limit counts analyses running, not requests: a request that finds no free slot within the
time limit answers 503 (busy, retry) without running anything. ``/readyz`` turns ready once the pipeline is
loaded (in the first worker, in process mode).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Protocol

import anyio
import anyio.to_thread
from fastapi import HTTPException

from analyser import __version__
from analyser.document import Document
from analyser.ingest import IngestError
from analyser.report import Report
from analyser.store import Store, UserRow
from service.config import Settings
from service.metrics import Metrics
from service.problems import AnalysisTimeout, Busy, NotReady
from service.worker import AnalysisFailed, Analysed, Job, TooManyWords, Worker, count_words, outcome, run_job

__all__ = ["Analysed", "Analyses", "DraftSaver", "ThreadRunner", "WorkerPool", "count_words"]

log = logging.getLogger("caseqa.service")

WORKER_START_TIMEOUT = 120.0  # seconds a new worker may take to load the pipeline
RETRY_START_AFTER = 5.0  # seconds before trying again when a replacement worker failed to start


class Runner(Protocol):
    """Where analyses run: :class:`WorkerPool` (processes) or :class:`ThreadRunner`."""

    running: int  # analyses running now (timed-out threads still running included)
    waiting: int  # requests waiting for a free slot

    async def start(self) -> None: ...
    async def run(self, job: Job, timeout: float) -> Analysed: ...
    async def close(self) -> None: ...


class Analyses:
    """The service's analysis engine: load, then analyse documents within the limits."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self._ready = threading.Event()
        self.load_error: str | None = None
        self.runner: Runner = WorkerPool(self) if settings.analysis_mode == "process" else ThreadRunner(self)

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def running(self) -> int:
        """Analyses running now: what the concurrency limit counts."""
        return self.runner.running

    def loaded(self) -> None:
        if not self._ready.is_set():
            self._ready.set()
            self.metrics.ready.set(1)

    def failed(self, reason: str) -> None:
        self.load_error = reason
        log.error("the service cannot analyse records: %s", reason)

    async def start(self) -> None:
        """Begin loading (returns once the first worker or the in-process pipeline is loaded, or failed)."""
        await self.runner.start()

    async def close(self) -> None:
        await self.runner.close()

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
        """Ingest (``load``, picklable in process mode) and analyse one document, within the limits.

        Raises IngestError (422), HTTPException 413 (too many words), AnalysisTimeout (504), Busy or
        NotReady (503), AnalysisFailed (500).
        """
        await self.wait_ready()
        settings = self.settings
        job = Job(load, meta, settings.max_words, settings.rubric, settings.accurate)
        began = time.perf_counter()
        result = "error"
        try:
            analysed = await self.runner.run(job, settings.analysis_timeout)
            result = "ok"
            return analysed
        except AnalysisTimeout:
            result = "timeout"
            raise
        except Busy:
            result = "busy"
            raise
        except IngestError:
            result = "rejected"
            raise
        except TooManyWords as exc:
            result = "rejected"
            raise HTTPException(413, str(exc)) from None
        finally:
            self.metrics.analyses.labels(result).inc()
            if result == "ok":
                self.metrics.analysis_seconds.observe(time.perf_counter() - began)

    def _count(self) -> None:
        self.metrics.analyses_running.set(self.runner.running)
        self.metrics.analyses_waiting.set(self.runner.waiting)


class WorkerDied(AnalysisFailed):
    """The worker process running a job exited before answering (a 500 if it happens twice)."""


def _busy(timeout: float, slots: int) -> Busy:
    return Busy(f"all {slots} analysis slots stayed busy for {timeout:g} s; try again shortly")


class WorkerPool:
    """Analyses in worker processes: a killed worker takes its work with it; workers are recycled."""

    def __init__(self, owner: Analyses) -> None:
        self.owner = owner
        self.size = owner.settings.analysis_workers
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: deque[Worker] = deque()
        self._waiters: deque[asyncio.Future[Worker]] = deque()
        self._live: set[Worker] = set()  # started and not yet reaped
        self._tasks: set[asyncio.Task[None]] = set()
        self._starting = 0
        self._closed = False
        self.running = 0
        self.waiting = 0

    # ---- what tests and metrics read ----

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (loading, idle or busy)."""
        return sorted(w.pid for w in self._live)

    @property
    def idle(self) -> int:
        return len(self._idle)

    @property
    def starting(self) -> int:
        return self._starting

    # ---- starting and replacing workers ----

    async def start(self) -> None:
        for _ in range(self.size):
            self._replace(None, None)
        with anyio.move_on_after(WORKER_START_TIMEOUT):
            while not self.owner.ready and self.owner.load_error is None:
                await anyio.sleep(0.05)

    def _replace(self, old: Worker | None, reason: str | None) -> None:
        """Retire ``old`` (if any) and start a worker in its place, in the background."""
        task = asyncio.get_running_loop().create_task(self._start_worker(old, reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start_worker(self, old: Worker | None, reason: str | None) -> None:
        settings, metrics = self.owner.settings, self.owner.metrics
        self._starting += 1
        try:
            if old is not None:
                await anyio.to_thread.run_sync(old.stop if reason == "recycled" else old.reap)
                self._live.discard(old)
                metrics.workers.set(len(self._live))
                metrics.workers_replaced.labels(reason or "?").inc()
            while not self._closed:
                worker = await anyio.to_thread.run_sync(Worker, self._ctx, settings.rubric, settings.accurate)
                self._live.add(worker)
                metrics.workers.set(len(self._live))
                problem = await anyio.to_thread.run_sync(worker.wait_ready, WORKER_START_TIMEOUT)
                if problem is None:
                    log.info("analysis worker %d loaded in %.1f s", worker.pid, worker.load_seconds)
                    self.owner.loaded()
                    self._give(worker)
                    return
                worker.kill()
                await anyio.to_thread.run_sync(worker.reap)
                self._live.discard(worker)
                metrics.workers.set(len(self._live))
                if not self.owner.ready:  # it never loaded: a missing model or a bad rubric
                    self.owner.failed(problem)
                    return
                log.error("an analysis worker failed to start (%s); trying again in %g s", problem, RETRY_START_AFTER)
                await anyio.sleep(RETRY_START_AFTER)
        finally:
            self._starting -= 1

    # ---- handing workers to requests ----

    def _give(self, worker: Worker) -> None:
        """An idle worker: to the longest-waiting request, else to the idle queue."""
        if self._closed:
            worker.kill()
            self._live.discard(worker)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self, timeout: float) -> Worker:
        while self._idle:
            worker = self._idle.popleft()
            if worker.process.is_alive():
                return worker
            log.error("analysis worker %d died while idle (exit code %s); starting another",
                      worker.pid, worker.process.exitcode)
            self._replace(worker, "died")
        waiter: asyncio.Future[Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self.waiting += 1
        self.owner._count()
        try:
            with anyio.fail_after(timeout):
                return await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                self._give(waiter.result())  # handed over just as this request gave up: pass it on
            waiter.cancel()
            with suppress(ValueError):
                self._waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                raise _busy(timeout, self.size) from None
            raise
        finally:
            self.waiting -= 1
            self.owner._count()

    async def run(self, job: Job, timeout: float) -> Analysed:
        payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            return await self._run_once(payload, timeout)
        except WorkerDied:
            # A worker can die between jobs (killed from outside, or still dying when it was handed out):
            # the job is tried once more on another. A job that kills a second worker fails (500).
            return await self._run_once(payload, timeout)

    async def _run_once(self, payload: bytes, timeout: float) -> Analysed:
        worker = await self._acquire(timeout)
        self.running += 1
        self.owner._count()
        fate = "cancelled"
        reply: tuple[Any, ...] = ()
        try:
            data = await anyio.to_thread.run_sync(worker.call, payload, timeout, abandon_on_cancel=True)
            if data is None:
                fate = "timeout"
                raise AnalysisTimeout(timeout)
            reply = pickle.loads(data)
            fate = "ok"
        except (EOFError, OSError):
            fate = "died"
            raise WorkerDied("the analysis worker stopped while analysing") from None
        finally:
            self.running -= 1
            self.owner._count()
            self._after(worker, fate, timeout)
        return outcome(reply)

    def _after(self, worker: Worker, fate: str, timeout: float) -> None:
        """Back to work, recycled, or killed and replaced."""
        if fate == "ok":
            worker.analyses += 1
            recycle_after = self.owner.settings.analysis_recycle_after
            # One replacement at a time: the others keep serving meanwhile (and recycle a little later).
            if recycle_after and worker.analyses >= recycle_after and self._starting == 0 and not self._closed:
                log.info("analysis worker %d recycled after %d analyses", worker.pid, worker.analyses)
                self._replace(worker, "recycled")
            else:
                self._give(worker)
            return
        worker.kill()  # at once: its analysis stops now, not when it would have finished
        if fate == "timeout":
            log.warning("an analysis ran over the %g s limit: stopped analysis worker %d and starting another",
                        timeout, worker.pid)
        elif fate == "died":
            log.error("analysis worker %d stopped while analysing (exit code %s); starting another",
                      worker.pid, worker.process.exitcode)
        if not self._closed:
            self._replace(worker, fate)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for waiter in self._waiters:
            waiter.cancel()
        workers = list(self._live)
        self._live.clear()
        self._idle.clear()
        self.owner.metrics.workers.set(0)

        def stop_all() -> None:
            for worker in workers:
                worker.kill()
            for worker in workers:
                worker.reap()

        await anyio.to_thread.run_sync(stop_all)


class ThreadRunner:
    """Analyses in threads of this process; a timed-out one keeps its slot until its thread finishes."""

    def __init__(self, owner: Analyses) -> None:
        self.owner = owner
        self.size = owner.settings.analysis_workers
        self._slots = anyio.Semaphore(self.size)
        self._tasks: set[asyncio.Task[Analysed]] = set()
        self.running = 0
        self.waiting = 0

    async def start(self) -> None:
        await anyio.to_thread.run_sync(self._load)

    def _load(self) -> None:
        from analyser import warm_up
        from analyser.nlp import ModelError
        from analyser.rubric import RubricError

        began = time.perf_counter()
        settings = self.owner.settings
        try:
            warm_up(settings.rubric, settings.accurate)
        except (ModelError, RubricError) as exc:
            self.owner.failed(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - reported by /readyz, never crashes start-up
            self.owner.failed(f"loading failed: {type(exc).__name__}")
            return
        log.info("language pipeline loaded in %.1f s; ready", time.perf_counter() - began)
        self.owner.loaded()

    async def run(self, job: Job, timeout: float) -> Analysed:
        try:
            self._slots.acquire_nowait()
        except anyio.WouldBlock:
            self.waiting += 1
            self.owner._count()
            try:
                with anyio.fail_after(timeout):
                    await self._slots.acquire()
            except TimeoutError:
                raise _busy(timeout, self.size) from None
            finally:
                self.waiting -= 1
                self.owner._count()
        self.running += 1
        self.owner._count()
        task = asyncio.ensure_future(anyio.to_thread.run_sync(run_job, job))
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        try:
            with anyio.fail_after(timeout):
                return await asyncio.shield(task)
        except TimeoutError:
            raise AnalysisTimeout(timeout) from None

    def _finished(self, task: asyncio.Task[Analysed]) -> None:
        """The thread is done (in time or not): only now does its slot free up."""
        self._tasks.discard(task)
        self.running -= 1
        self._slots.release()
        self.owner._count()
        if not task.cancelled():
            task.exception()  # retrieved, so a timed-out analysis's error is not logged with its message

    async def close(self) -> None:
        if self._tasks:  # threads cannot be stopped: give the running ones until the time limit to finish
            await asyncio.wait(list(self._tasks), timeout=self.owner.settings.analysis_timeout)


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
