"""One analysis, and the worker process that runs analyses for the service.

:func:`run_job` is the whole of an analysis in the service (ingest, the word limit, then
:func:`analyser.analyse_document`); the service runs it either in a worker process (the default) or in
a thread (``CASEQA_ANALYSIS_MODE=thread``: tests and embedding). A worker process (:func:`main`) loads
the rubric and the language pipeline once (:func:`analyser.warm_up`), then answers jobs one at a time
over a pipe until it is told to stop, its pipe closes, or the service kills it (an analysis over the time
limit, so the work really stops). Jobs and answers are pickled; errors come back as tagged tuples naming
the exception type and code line only, never a message that could quote record text.

This module is imported by every worker process: it keeps to the analyser and the standard library.
"""

from __future__ import annotations

import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path
from typing import Any

from analyser.document import Document
from analyser.ingest import IngestError
from analyser.report import Report

STOP = b""  # sent instead of a job: finish and exit


@dataclass(frozen=True)
class Analysed:
    """A report and the document it came from (its extracted text is what the offsets index)."""

    report: Report
    document: Document


class TooManyWords(Exception):
    """The document has more words than the limit (the service answers 413)."""

    def __init__(self, words: int, limit: int) -> None:
        self.words, self.limit = words, limit
        super().__init__(f"the document has {words:,} words; the limit is {limit:,}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.words, self.limit))


class AnalysisFailed(Exception):
    """An analysis raised something unexpected (named by type and code line only), or its worker died."""


@dataclass(frozen=True)
class Job:
    """One analysis: ``load`` makes the Document (a picklable callable in process mode), ``meta`` goes to the report."""

    load: Callable[[], Document]
    meta: dict[str, object]
    max_words: int
    rubric: str | None = None
    accurate: bool = False


def count_words(text: str) -> int:
    """Whitespace-separated words: a cheap upper bound checked before any NLP runs."""
    return len(text.split())


def run_job(job: Job) -> Analysed:
    """Ingest and analyse one document. Raises IngestError, TooManyWords, or whatever the analysis raises."""
    from analyser import analyse_document

    document = job.load()
    words = count_words(document.text)
    if words > job.max_words:
        raise TooManyWords(words, job.max_words)
    report = analyse_document(document, rubric=job.rubric, accurate=job.accurate, **job.meta)  # type: ignore[arg-type]
    return Analysed(report, document)


def where(exc: BaseException) -> str:
    """The innermost code line of an exception, ``file.py:123`` (never its message)."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    return f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"


def answer(job: Job) -> tuple[Any, ...]:
    """Run a job and say how it went, in a form that pickles whatever happened."""
    try:
        return ("ok", run_job(job))
    except IngestError as exc:
        return ("ingest", exc.source, exc.reason)
    except TooManyWords as exc:
        return ("words", exc.words, exc.limit)
    except Exception as exc:  # noqa: BLE001 - reported by type and line; the worker carries on
        return ("error", type(exc).__name__, where(exc))


def outcome(reply: tuple[Any, ...]) -> Analysed:
    """The Analysed of a worker's reply, or the exception it stands for raised here."""
    kind = reply[0]
    if kind == "ok":
        return reply[1]  # type: ignore[no-any-return]
    if kind == "ingest":
        raise IngestError(reply[1], reply[2])
    if kind == "words":
        raise TooManyWords(reply[1], reply[2])
    raise AnalysisFailed(f"{reply[1]} at {reply[2]}")


def main(conn: Connection, rubric: str | None, accurate: bool) -> None:
    """A worker process: load once, say ready (or why not), then answer jobs until told to stop."""
    from analyser import quiet, warm_up
    from analyser.nlp import ModelError
    from analyser.rubric import RubricError

    # Ctrl-C in the terminal reaches the whole process group: the service stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet.install()  # third-party warnings may quote record text: they reach stderr withheld
    began = time.perf_counter()
    try:
        warm_up(rubric, accurate)
    except (ModelError, RubricError) as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - reported by the service, by type only
        conn.send(("failed", f"loading failed: {type(exc).__name__}"))
        return
    conn.send(("ready", os.getpid(), time.perf_counter() - began))
    while True:
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):  # the service is gone
            return
        if payload == STOP:
            return
        try:
            conn.send_bytes(pickle.dumps(answer(pickle.loads(payload)), protocol=pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, OSError):
            return


class Worker:
    """The service's handle on one worker process: start, wait until loaded, call, stop, kill."""

    def __init__(self, ctx: SpawnContext, rubric: str | None, accurate: bool) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=main, args=(child, rubric, accurate), name="caseqa-analysis", daemon=True)
        self.process.start()
        child.close()
        self.analyses = 0  # answered since it started
        self.load_seconds = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid or 0

    def wait_ready(self, timeout: float) -> str | None:
        """Block until loaded: None when ready, else why it is not (a load error, exit, or no word in time)."""
        try:
            if not self.conn.poll(timeout):
                return f"the analysis worker did not load within {timeout:g} s"
            message = self.conn.recv()
        except (EOFError, OSError):
            return f"the analysis worker exited while loading (exit code {self.process.exitcode})"
        if message[0] == "ready":
            self.load_seconds = float(message[2])
            return None
        return str(message[1])

    def call(self, payload: bytes, timeout: float) -> bytes | None:
        """Send a pickled job and wait for the pickled reply; None after ``timeout`` seconds (the job still runs).

        Raises EOFError or OSError when the process dies meanwhile."""
        self.conn.send_bytes(payload)
        if not self.conn.poll(timeout):
            return None
        return self.conn.recv_bytes()

    def kill(self) -> None:
        """Stop it at once (SIGKILL): whatever it was running stops with it."""
        if self.process.is_alive():
            self.process.kill()

    def reap(self, timeout: float = 5.0) -> None:
        """Wait for it to be gone (after :meth:`kill` or :meth:`stop`) and free its pipe."""
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout)
        self.conn.close()

    def stop(self) -> None:
        """Ask it to exit once idle (blocking until it has, or killing it after 5 s)."""
        try:
            self.conn.send_bytes(STOP)
        except OSError:
            pass
        self.reap()
