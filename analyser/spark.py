"""Batch scoring on Apache Spark: an adapter around the local batch runner, nothing more.

Each Spark partition goes through :func:`analyser.batch.score_records`, the same per-record path as
``caseqa score``, inside ``mapInPandas``. So the ``report`` column is exactly ``Report.to_json()`` of
the local analysis, and a record that cannot be analysed (no text, not English, a bad date) becomes a
row with ``error`` set instead of failing the job.

Executors need caseqa and its spaCy model package installed (see docs/SPARK.md). The pipeline and the
rubric are cached per Python worker process, and Spark reuses its Python workers
(``spark.python.worker.reuse``, on by default), so each executor process loads them once.

    from analyser.spark import score_dataframe
    scored = score_dataframe(df, text_col="Body", id_col="RecordID", doc_type="DocType", date="Created")
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from analyser import warm_up
from analyser.batch import META_FIELDS, Outcome, score_records
from analyser.inputs import record_from_row
from analyser.output import csv_row
from analyser.report import DIMENSIONS

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

# Output columns and their Spark types: the scalar columns are named as in the CSV report (csv_row).
SCORE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"),
    ("doc_type", "string"),
    ("overall_score", "double"),
    ("grade", "string"),
    *((f"{d}_score", "double") for d in DIMENSIONS),
    ("actions", "bigint"),
    ("actions_not_timebound", "bigint"),
    ("actions_no_owner", "bigint"),
    ("findings", "bigint"),
    ("rubric_version", "string"),
)
OUTPUT_COLUMNS: tuple[str, ...] = (*(name for name, _ in SCORE_COLUMNS), "report", "error")
OUTPUT_SCHEMA = ", ".join(f"`{name}` {kind}" for name, kind in SCORE_COLUMNS) + ", `report` string, `error` string"
_COUNT_COLUMNS = tuple(name for name, kind in SCORE_COLUMNS if kind == "bigint")
_SCORE_FLOAT_COLUMNS = tuple(name for name, kind in SCORE_COLUMNS if kind == "double")


def score_dataframe(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    rubric: str | os.PathLike[str] | None = None,
    accurate: bool = False,
    partitions: int | None = None,
    **meta_cols: str,
) -> DataFrame:
    """Score every row of ``df``; one output row per input row (columns :data:`OUTPUT_COLUMNS`).

    ``meta_cols`` maps record metadata to columns, e.g. ``doc_type="DocType", child_age="Age"``
    (any of doc_type, date, child_name, child_age, next_review); typed columns (dates, ints) are fine.
    ``rubric`` must be a path every executor can read (default: the rubric shipped with caseqa).
    ``partitions`` repartitions the input first, so a single small file still uses every core.
    Raises ValueError for an unknown metadata name or a missing column, RubricError for a bad rubric.
    """
    from analyser.rubric import load_rubric

    unknown = sorted(set(meta_cols) - set(META_FIELDS))
    if unknown:
        raise ValueError(f"unknown record metadata {', '.join(unknown)}: use {', '.join(META_FIELDS)}")
    mapping = {"id": id_col, "text": text_col, **meta_cols}
    missing = [c for c in mapping.values() if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) {', '.join(missing)} not in the data (it has {', '.join(df.columns)})")
    # Validate on the driver so a bad rubric fails before any executor starts; executors resolve
    # the path themselves, so make it absolute (their working folder is not ours).
    rubric_path = str(Path(rubric).expanduser().resolve()) if rubric else None
    load_rubric(rubric_path)
    # Ship only the columns the analysis reads: record text is the bulk of the data moved.
    narrowed = df.select(*[df[c] for c in dict.fromkeys(mapping.values())])
    if partitions:
        narrowed = narrowed.repartition(partitions)
    score = functools.partial(_score_partition, mapping=mapping, rubric=rubric_path, accurate=accurate)
    return narrowed.mapInPandas(score, OUTPUT_SCHEMA)


def _score_partition(
    batches: Iterator[pd.DataFrame], *, mapping: dict[str, str], rubric: str | None, accurate: bool
) -> Iterator[pd.DataFrame]:
    """Runs on an executor: Arrow batches of rows in, batches of scored rows out."""
    import pandas as pd

    # Before the first row: a model or rubric problem must not look like a per-record failure.
    warm_up(rubric, accurate)
    for batch in batches:
        # Missing values arrive as NaN/NaT/None by column type; make them all None for record_from_row.
        rows = batch.astype(object).where(batch.notna(), None).to_dict("records")
        items = (record_from_row(row, mapping, source="") for row in rows)
        scored = pd.DataFrame([_output_row(o) for o in score_records(items, rubric=rubric, accurate=accurate)],
                              columns=list(OUTPUT_COLUMNS))
        # Nullable dtypes so a failed row's counts stay null, not NaN floats that Arrow rejects as bigint.
        yield scored.astype({**{c: "Int64" for c in _COUNT_COLUMNS}, **{c: "Float64" for c in _SCORE_FLOAT_COLUMNS}})


def _output_row(outcome: Outcome) -> dict[str, object]:
    """One output row: the CSV report's scalars and the full report JSON, or the error and nulls."""
    if outcome.report is not None:
        flat = csv_row(outcome.report)
        row: dict[str, object] = {name: flat[name] for name, _ in SCORE_COLUMNS}
        row["report"] = outcome.report.to_json()
        row["error"] = None
        return row
    row = dict.fromkeys(OUTPUT_COLUMNS)
    failure = outcome.failure
    row["id"] = failure.id if failure else (outcome.record.id if outcome.record else None)
    row["error"] = failure.reason if failure else "unknown failure"
    return row


def spark_session(master: str = "local[*]", app_name: str = "caseqa", conf: dict[str, str] | None = None) -> SparkSession:
    """A Spark session for scoring; for a ``local`` master, one that needs no network and no cluster.

    Locally the Python workers run this interpreter and import this very caseqa (the driver's venv and
    source tree), and the driver binds to 127.0.0.1 with no web UI. A cluster master gets only the Arrow
    setting: the cluster brings its own Python with caseqa installed (docs/SPARK.md).
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        here = str(Path(__file__).resolve().parent.parent)
        pythonpath = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.pyspark.python", sys.executable)
            .config("spark.executorEnv.PYTHONPATH", pythonpath)
        )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
