"""Batch scoring: many records through the one analysis path, failures recorded, never fatal.

Records go to worker processes in small chunks (each worker loads the spaCy pipeline once, in its
initializer); at most a few chunks per worker are in flight, so memory stays bounded however many
records there are. Outcomes come back in input order. A record whose (id, content hash) is already in
the store for this rubric version is *skipped*: the worker extracts its text to hash it but does not
analyse it, and the caller re-emits the stored report.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context

from analyser.inputs import InputFailure, RecordInput
from analyser.report import Report

# Record fields that are analysis metadata (the rest, e.g. worker and team, are stored alongside).
META_FIELDS = ("doc_type", "date", "child_name", "child_age", "next_review")


@dataclass
class Outcome:
    """The result of one record: a report, a skip (already stored), or a failure with its reason."""

    record: RecordInput | None
    report: Report | None = None
    failure: InputFailure | None = None
    content_hash: str | None = None
    text: str | None = None  # the extracted text, only when the caller asked for it (keep_text)
    skipped: bool = False
    history: dict | None = None  # what drift needs from the text (analyser.drift.history_facts)


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs to score a record the same way."""

    rubric: str | None = None
    accurate: bool = False
    max_bytes: int = 25 * 1024 * 1024
    max_words: int | None = 200_000  # analyser.ingest.DEFAULT_MAX_WORDS; None: no limit
    keep_text: bool = False
    # (record id, content hash) of results already stored for this rubric version.
    known: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def record_meta(record: RecordInput) -> dict[str, object]:
    """The record's analysis metadata (doc_type, date, child_name, child_age, next_review) as keywords;
    given metadata wins over what the text says."""
    meta: dict[str, object] = {k: record.fields[k] for k in META_FIELDS if record.fields.get(k)}
    if "child_age" in meta:
        given = str(meta["child_age"]).strip()
        # An age is a few digits: anything longer is not one (and int() of 5,000 digits raises).
        if len(given) <= 3 and given.isascii() and given.isdigit():
            meta["child_age"] = int(given)
        elif len(given) <= 3 or not given.isdigit():
            del meta["child_age"]  # not a number ('unknown', '12y'): the text's own age is used
        else:
            raise ValueError(f"child_age is {len(given)} digits long, not an age in years (0-25)")
    return meta


def nul_problem(record: RecordInput) -> str | None:
    """Why a record cannot be stored as it is: NUL characters (PostgreSQL's text columns refuse them,
    and they are never in a real record), naming the field but never quoting it."""
    if "\x00" in record.id:
        return "the record id contains a NUL character (\\x00)"
    for key, value in record.fields.items():
        if "\x00" in key or "\x00" in str(value):
            return f"the '{key.replace(chr(0), '')}' field contains a NUL character (\\x00)"
    if record.text is not None and "\x00" in record.text:
        return "the text contains a NUL character (\\x00)"
    return None


def content_hash(text: str, meta: dict[str, object], accurate: bool = False) -> str:
    """sha256 of the extracted text and the metadata that affects analysis: the resume/skip key."""
    payload = {"text": text, "meta": {k: str(v) for k, v in sorted(meta.items())}}
    if accurate:  # a different pipeline gives a different report for the same text
        payload["mode"] = "accurate"
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _load(record: RecordInput, max_bytes: int):  # type: ignore[no-untyped-def]
    from analyser.ingest import IngestError, from_text, load_file

    if record.path is not None:
        return load_file(record.path, max_bytes=max_bytes)
    if len((record.text or "").encode("utf-8")) > max_bytes:
        raise IngestError(record.source, f"text is too large (limit {max_bytes // (1024 * 1024)} MB)")
    # An empty source (a Spark row has no file) means none: the report says null, not "".
    return from_text(record.text or "", source=record.source or None)


def process_record(record: RecordInput, options: BatchOptions) -> Outcome:
    """Extract, hash, and analyse one record unless already stored. Never raises: failures are outcomes.

    Failure reasons never contain record text: ingest reasons are short by contract, and anything
    unexpected is reported by its exception type only.
    """
    from analyser import analyse_document
    from analyser.drift import history_facts
    from analyser.ingest import IngestError, check_words

    try:
        if problem := nul_problem(record):
            return Outcome(record, failure=InputFailure(record.source, problem, record.id.replace("\x00", "")))
        document = check_words(_load(record, options.max_bytes), options.max_words, record.source)
        meta = record_meta(record)
        digest = content_hash(document.text, meta, options.accurate)
        text = document.text if options.keep_text else None
        # Cheap, and needed for skipped records too: records stored before drift existed gain it.
        history = history_facts(document.text)
        if (record.id, digest) in options.known:
            return Outcome(record, content_hash=digest, text=text, skipped=True, history=history)
        report = analyse_document(
            document, id=record.id, rubric=options.rubric, accurate=options.accurate, **meta  # type: ignore[arg-type]
        )
        return Outcome(record, report=report, content_hash=digest, text=text, history=history)
    except IngestError as exc:
        return Outcome(record, failure=InputFailure(record.source, exc.reason, record.id))
    except ValueError as exc:  # bad metadata (a date or document type given in the export)
        return Outcome(record, failure=InputFailure(record.source, str(exc)[:200], record.id))
    except Exception as exc:  # noqa: BLE001 - one record must never stop the batch
        return Outcome(record, failure=InputFailure(record.source, f"internal error: {type(exc).__name__}", record.id))


# ---- worker processes ----------------------------------------------------------------------------

_WORKER_OPTIONS: BatchOptions | None = None


def _watch_parent(parent: int) -> None:
    # A killed batch (kill -9) must not leave workers behind waiting forever on the task queue.
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def _init_worker(options: BatchOptions, parent: int) -> None:
    """Worker initializer: load the pipeline and rubric once for all the records this process scores."""
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options
    from analyser import quiet

    quiet.install()  # a worker's stderr reaches the terminal too
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from analyser import warm_up

    warm_up(options.rubric, options.accurate)


def _score_chunk(records: list[RecordInput]) -> list[Outcome]:
    assert _WORKER_OPTIONS is not None, "worker not initialised"
    return [process_record(r, _WORKER_OPTIONS) for r in records]


def _chunks(records: Iterable[RecordInput], size: int) -> Iterator[list[RecordInput]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


class _Pool:
    """A process pool that can be rebuilt when a worker dies (e.g. killed by the OOM killer)."""

    def __init__(self, workers: int, options: BatchOptions) -> None:
        self.workers, self.options = workers, options
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn: the parent runs a progress-bar thread and holds database connections; fork would copy them.
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=get_context("spawn"),
            initializer=_init_worker, initargs=(self.options, os.getpid()),
        )

    def submit(self, chunk: list[RecordInput]) -> Future:
        return self.executor.submit(_score_chunk, chunk)

    def rebuild(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _pooled(records: Iterable[RecordInput], options: BatchOptions, workers: int, chunk_size: int) -> Iterator[Outcome]:
    pool = _Pool(workers, options)
    pending: deque[tuple[list[RecordInput], Future]] = deque()
    chunks = _chunks(records, chunk_size)
    window = 2 * workers  # chunks in flight: enough to keep every worker busy, bounded memory
    try:
        while True:
            while len(pending) < window and (chunk := next(chunks, None)) is not None:
                pending.append((chunk, pool.submit(chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                # A worker died mid-chunk. Retry everything in flight one record at a time in a new
                # pool, so the record that kills a worker is found and failed on its own.
                in_flight = [chunk] + [c for c, _ in pending]
                pending.clear()
                pool.rebuild()
                if len(chunk) == 1:
                    yield Outcome(chunk[0], failure=InputFailure(chunk[0].source, "internal error: worker process died", chunk[0].id))
                    in_flight = in_flight[1:]
                for c in in_flight:
                    for r in c:
                        pending.append(([r], pool.submit([r])))
    finally:
        pool.shutdown()


def run_batch(
    items: Iterable[RecordInput | InputFailure],
    options: BatchOptions,
    *,
    workers: int = 1,
    chunk_size: int = 4,
) -> Iterator[Outcome]:
    """Outcomes for every item, in input order. ``workers`` > 1 uses that many worker processes."""
    failures: list[InputFailure] = []

    def records_only() -> Iterator[RecordInput]:
        for item in items:
            if isinstance(item, InputFailure):
                failures.append(item)
            else:
                yield item

    if workers <= 1:
        _init_local(options)
        stream: Iterator[Outcome] = (process_record(r, options) for r in records_only())
    else:
        stream = _pooled(records_only(), options, workers, chunk_size)
    for outcome in stream:
        # Input failures (missing files, bad export rows) are reported as soon as they are met.
        while failures:
            f = failures.pop(0)
            yield Outcome(None, failure=f)
        yield outcome
    for f in failures:
        yield Outcome(None, failure=f)


def _init_local(options: BatchOptions) -> None:
    from analyser import warm_up

    warm_up(options.rubric, options.accurate)


def score_records(
    items: Iterable[RecordInput | InputFailure],
    *,
    rubric: str | os.PathLike[str] | None = None,
    accurate: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Score records one by one in this process (no store); a bad record becomes a failure outcome."""
    options = BatchOptions(rubric=str(rubric) if rubric else None, accurate=accurate)
    for outcome in run_batch(items, options, workers=1):
        if on_outcome:
            on_outcome(outcome)
        yield outcome
