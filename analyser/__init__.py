"""caseqa's analyser: one path from a record to its report.

ingest (file or text -> Document) -> nlp (units and spaCy tokens, once) -> checks (one per dimension)
-> scoring (rubric) -> Report. The CLI, the service, the batch runner and the store all call
:func:`analyse` / :func:`analyse_file` / :func:`analyse_document` and emit the same :class:`Report`.
"""

from __future__ import annotations

import functools
import gc
import os
from datetime import date
from pathlib import Path

from analyser.document import Document
from analyser.report import Report

__version__ = "0.1.0"
__all__ = ["Document", "Report", "__version__", "analyse", "analyse_document", "analyse_file", "warm_up"]

# A tiny record analysed by warm_up: it runs every lazy path (tagger, lemmatiser, lexicons, rule sets).
_WARM_UP_RECORD = "CARE PLAN\nDate: 01/10/2024\nJo Smith will visit you at home by 2 November 2024."


def analyse_document(
    document: Document,
    *,
    id: str | None = None,
    doc_type: str | None = None,
    child_name: str | None = None,
    child_age: int | None = None,
    date: str | date | None = None,
    next_review: str | date | None = None,
    rubric: str | os.PathLike[str] | None = None,
    accurate: bool = False,
) -> Report:
    """Analyse an ingested document. Given metadata wins over what the text says."""
    from analyser import checks, date_fields, facts, nlp, registry, scoring
    from analyser.report import DOC_TYPES, Meta, Versions
    from analyser.rubric import load_rubric

    if doc_type is not None and doc_type not in DOC_TYPES:
        raise ValueError(f"doc_type '{doc_type}' is not one of {', '.join(DOC_TYPES)}")
    if child_age is not None and not 0 <= int(child_age) <= 25:
        raise ValueError(f"child_age {child_age} is out of range (0-25)")
    loaded = load_rubric(rubric)
    record_facts = facts.read_facts(
        document.text,
        doc_type=doc_type,
        date_=date_fields.given_date(date, "date"),
        child_name=child_name,
        child_age=child_age,
        next_review=date_fields.given_date(next_review, "next_review"),
    )
    record_facts = facts.with_discourse(record_facts, document)
    analysis = nlp.build_analysis(document, accurate=accurate)
    registry.discover()  # the check modules register themselves (and their tag hints) on import
    if not accurate:
        checks.prefetch_tags(analysis)
    run = checks.run_checks(analysis, record_facts, loaded)
    results = run.results
    findings = [f for name in results for f in results[name].findings]
    findings.sort(key=lambda f: (f.start, f.end))
    source = document.source
    record_id = id or (Path(source).stem if source else "record")
    return Report(
        id=record_id,
        source=source,
        doc_type=record_facts.doc_type,  # type: ignore[arg-type]
        meta=Meta(
            child_name=record_facts.child_name,
            child_age=record_facts.child_age,
            date=date_fields.iso_text(record_facts.date),
            next_review=date_fields.iso_text(record_facts.next_review),
            words=analysis.words,
            sentences=analysis.sentences,
            **(record_facts.discourse.meta() if record_facts.discourse else {}),
        ),
        overall=scoring.overall(results, loaded),
        dimensions=scoring.dimension_results(results),
        actions=run.get(checks.ACTIONS, []),
        findings=findings,
        versions=Versions(caseqa=__version__, rubric=loaded.version, model=nlp.models_version(accurate)),
    )


def analyse(text: str, **meta: object) -> Report:
    """Analyse a record's text. Keyword metadata: id, doc_type, child_name, child_age, date, next_review."""
    from analyser.ingest import from_text

    return analyse_document(from_text(text, source=None), **meta)  # type: ignore[arg-type]


def analyse_file(path: str | os.PathLike[str], **meta: object) -> Report:
    """Analyse a .txt, .md, .docx or .pdf file. Raises IngestError with a clear reason on bad input."""
    from analyser.ingest import load_file

    return analyse_document(load_file(path), **meta)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=8)
def warm_up(rubric: str | os.PathLike[str] | None = None, accurate: bool = False) -> None:
    """Load the language pipeline and the rubric, and analyse a tiny record, once per process and rubric.

    Every adapter that starts workers (the service, the batch runner, Spark executors, the bench) calls
    this first, so a missing model or a bad rubric fails there with its own error, not as a failure of
    the first record, and the first real record is as fast as the rest. Raises ModelError or RubricError.
    """
    from analyser.nlp import get_nlp
    from analyser.rubric import load_rubric

    get_nlp(accurate)
    load_rubric(rubric)
    analyse(_WARM_UP_RECORD, rubric=rubric, accurate=accurate)
    # What is loaded now (the pipeline, its vocabulary, lexicons, rule sets: about 100,000 objects) lives as
    # long as the process. Left to the cyclic garbage collector, every full collection walked all of it
    # again: about one analysis in ten paid ~45 ms for that (a 2,041-word draft's p95 91 ms against a p50 of
    # 73). Frozen, collections walk only what the analyses make. Garbage is collected first, so none of it
    # is kept for good.
    gc.collect()
    gc.freeze()
