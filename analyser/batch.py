"""Batch scoring: many records through the one analysis path, failures recorded, never fatal."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from analyser.inputs import InputFailure, RecordInput
from analyser.report import Report

# Record fields that are analysis metadata (the rest, e.g. worker and team, are stored alongside).
META_FIELDS = ("doc_type", "date", "child_name", "child_age", "next_review")


@dataclass
class Outcome:
    """The result of one record: a report, or a failure with its reason."""

    record: RecordInput | None
    report: Report | None = None
    failure: InputFailure | None = None


def record_meta(record: RecordInput) -> dict[str, object]:
    """The record's analysis metadata (doc_type, date, child_name, child_age, next_review) as keywords."""
    meta: dict[str, object] = {k: record.fields[k] for k in META_FIELDS if record.fields.get(k)}
    if "child_age" in meta:
        try:
            meta["child_age"] = int(str(meta["child_age"]).strip())
        except ValueError:
            del meta["child_age"]
    return meta


def analyse_record(record: RecordInput, rubric: str | os.PathLike[str] | None = None, accurate: bool = False) -> Report:
    """Analyse one batch record (file or export row). Raises IngestError/ValueError on bad input."""
    from analyser import analyse_document
    from analyser.ingest import from_text, load_file

    if record.path is not None:
        document = load_file(record.path)
    else:
        # An empty source (a Spark row has no file) means none: the report says null, not "".
        document = from_text(record.text or "", source=record.source or None)
    return analyse_document(document, id=record.id, rubric=rubric, accurate=accurate, **record_meta(record))  # type: ignore[arg-type]


def score_records(
    items: Iterable[RecordInput | InputFailure],
    *,
    rubric: str | os.PathLike[str] | None = None,
    accurate: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Score records one by one in this process; a bad record becomes a failure outcome."""
    from analyser.ingest import IngestError

    for item in items:
        if isinstance(item, InputFailure):
            outcome = Outcome(None, failure=item)
        else:
            try:
                outcome = Outcome(item, report=analyse_record(item, rubric, accurate))
            except (IngestError, ValueError) as exc:
                reason = exc.reason if isinstance(exc, IngestError) else str(exc)
                outcome = Outcome(item, failure=InputFailure(item.source, reason, item.id))
        if on_outcome:
            on_outcome(outcome)
        yield outcome
