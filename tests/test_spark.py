"""Spark scoring gives exactly the reports local batch scoring gives, record for record.

These start a real local Spark session (``local[2]``, Java 17); CI installs Java through
scripts/test-setup.sh. They run in the default ``make test``.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path
from collections.abc import Iterator

import pytest

from analyser.batch import Outcome, score_records
from analyser.inputs import cell_text, iter_records
from analyser.output import csv_row
from analyser.spark import OUTPUT_COLUMNS, SCORE_COLUMNS, score_dataframe, spark_session

# Short records of varying quality, told apart by names, dates and which sentences they carry.
_GOOD_PLAN = """CARE PLAN
Name: {name}
Date: {date}

Placement
{name} lives with her foster carers, Sam and Priya. {name} told me she feels safe there and likes her room.

Health
{name} will see the dentist by {deadline}. Sam will book the appointment by {soon}.

Education
{name} goes to Oakwood Primary. Her designated teacher, Mrs Lee, will hold her PEP meeting by {deadline}.

Actions
1. Sam to book the dentist by {soon}.
2. Mrs Lee to hold the PEP meeting by {deadline}.
3. The social worker, Tom Hart, to visit {name} every four weeks, next on {soon}.
"""

_VAGUE_PLAN = """CARE PLAN
Name: {name}
Date: {date}

Placement
The child is placed with foster carers. No concerns.

Health
Health needs are being met. The child is to attend the dentist asap. Carers to continue to monitor.

Education
PEP ongoing. Designated teacher to liaise with the virtual school as and when required.

Emotional and behavioural development
The child is attention seeking and non-compliant at bedtime. LAC nurse to support. CAMHS referral to be considered when appropriate.

Contingency
TBC.
"""

_MINUTES = """Looked After Review - Minutes
Child: {name}
Date of review: {date}

{name}'s views
{name} said he is happy where he lives and wants to join the football team.

Health
{name} is well. His health assessment was completed in May.

Recommendations
1. {worker} to make the CAMHS referral by {deadline}.
2. The foster carer to take {name} to football trials on {soon}.
3. Social worker to continue to support family time.
"""

_PATHWAY = """PATHWAY PLAN
Young person: {name}
Date: {date}

What {name} wants
{name} wants to live on her own near her college and learn to drive.

Accommodation
{name} will view two flats with her personal adviser, {worker}, by {soon}.

Money
{worker} will help {name} open a bank account by {deadline}. {name} will apply for her provisional licence by {deadline}.
"""

_TEMPLATES = (("care_plan", _GOOD_PLAN), ("care_plan", _VAGUE_PLAN), ("review_minutes", _MINUTES), ("pathway_plan", _PATHWAY))
_NAMES = ("Amira", "Josh", "Leah", "Kai", "Maya", "Ollie", "Zara", "Finn", "Isla")
_WORKERS = ("Daniel Osei", "Ruth Patel", "Jo King")


def _records() -> list[dict[str, object]]:
    """18 records from the templates, one Greek text and one empty text (both must fail)."""
    records: list[dict[str, object]] = []
    for i in range(18):
        doc_type, template = _TEMPLATES[i % len(_TEMPLATES)]
        name = _NAMES[i % len(_NAMES)]
        month = 1 + i % 9
        text = template.format(
            name=name, date=f"0{1 + i % 9}/{month:02d}/2024", worker=_WORKERS[i % len(_WORKERS)],
            soon=f"{10 + i}/{month + 1:02d}/2024", deadline=f"{1 + i}/{month + 2:02d}/2024",
        )
        record: dict[str, object] = {"id": f"rec-{i:02d}", "text": text, "worker": _WORKERS[i % 3]}
        # Metadata on some rows only, so typed columns carry gaps (an int column with nulls -> floats).
        if i % 3 == 0:
            record["child_age"] = 8 + i % 9
        if i % 4 == 1:
            record["doc_type"] = doc_type
        if i % 5 == 2:
            record["date"] = f"2024-{month:02d}-15"
        records.append(record)
    records.append({"id": "rec-greek", "text": "Το παιδί ζει με την ανάδοχη οικογένεια και πηγαίνει στο σχολείο κάθε μέρα."})
    records.append({"id": "rec-empty", "text": ""})
    return records


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    if shutil.which("java") is None:
        pytest.fail("Spark tests need Java 17: `java` is not on PATH (scripts/test-setup.sh installs "
                    "openjdk-17-jre-headless; or `apt-get install -y openjdk-17-jre-headless`)")
    session = spark_session("local[2]", app_name="caseqa-tests", conf={"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local(export: Path) -> dict[str, Outcome]:
    """The `caseqa score` path on the same export; a Spark row has no file, so its source is empty."""
    items = (dataclasses.replace(item, source="") for item in iter_records([str(export)]))
    return {o.failure.id if o.failure else o.report.id: o for o in score_records(items)}  # type: ignore[union-attr]


def _assert_same_as_local(rows: list[dict[str, object]], local: dict[str, Outcome], text_col: str = "text") -> None:
    by_id = {r["id"]: r for r in rows}
    assert sorted(by_id) == sorted(local) and len(rows) == len(local)
    for rid, outcome in local.items():
        row = by_id[rid]
        if outcome.report is None:
            assert outcome.failure is not None
            assert row["error"] == outcome.failure.reason.replace("'text'", f"'{text_col}'")
            assert row["report"] is None and row["overall_score"] is None and row["actions"] is None
            continue
        assert row["error"] is None
        assert row["report"] == outcome.report.to_json()  # byte-identical
        assert json.loads(row["report"]) == outcome.report.to_dict()
        flat = csv_row(outcome.report)
        assert {name: row[name] for name, _ in SCORE_COLUMNS} == {name: flat[name] for name, _ in SCORE_COLUMNS}


def test_spark_reports_equal_local_batch_reports_record_for_record(spark, export: Path, local: dict[str, Outcome]) -> None:
    df = spark.read.json(str(export))  # type: ignore[attr-defined]
    scored = score_dataframe(df, doc_type="doc_type", date="date", child_age="child_age", partitions=2)
    rows = [r.asDict() for r in scored.collect()]
    assert tuple(scored.columns) == OUTPUT_COLUMNS
    _assert_same_as_local(rows, local)
    assert sum(r["error"] is not None for r in rows) == 2  # the Greek and the empty record, not the job


def test_failed_records_carry_an_error_and_null_scores(spark, export: Path) -> None:
    scored = score_dataframe(spark.read.json(str(export)))  # type: ignore[attr-defined]
    failed = {r["id"]: r for r in scored.where("error IS NOT NULL").collect()}
    assert failed["rec-empty"]["error"] == "no text in column 'text'"
    assert failed["rec-greek"]["error"] == "does not look like English text"
    assert all(r["grade"] is None and r["report"] is None for r in failed.values())


def test_score_dataframe_rejects_unknown_metadata_and_missing_columns(spark) -> None:
    df = spark.createDataFrame([("a", "text")], ["id", "text"])  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="unknown record metadata worker"):
        score_dataframe(df, worker="id")
    with pytest.raises(ValueError, match="Body not in the data"):
        score_dataframe(df, text_col="Body")


def test_spark_score_command_reads_typed_parquet_and_writes_the_same_reports(
    spark, tmp_path: Path, local: dict[str, Outcome]
) -> None:
    import pandas as pd
    from typer.testing import CliRunner

    from cli import app

    records = _records()
    # A council extract written by pandas, with its own column names and real types: dates as dates,
    # and ages as floats, which is what pandas makes of whole numbers with gaps (8 -> 8.0).
    frame = pd.DataFrame({
        "RecordID": [r["id"] for r in records],
        "Body": [r["text"] for r in records],
        "Kind": [r.get("doc_type") for r in records],
        "Created": [date.fromisoformat(str(r["date"])) if r.get("date") else None for r in records],
        "Age": pd.Series([r.get("child_age") for r in records], dtype="float64"),
    })
    source = tmp_path / "extract.parquet"
    frame.to_parquet(source)
    out = tmp_path / "scored"
    result = CliRunner().invoke(app, [
        "spark-score", str(source), "--out", str(out), "--format", "jsonl", "--master", "local[2]",
        "--map", "id=RecordID,text=Body,doc_type=Kind,date=Created,child_age=Age",
    ])
    assert result.exit_code == 1, result.output  # 1: some records failed, the rest were scored
    assert "scored 18" in result.output and "2 failed" in result.output
    rows = [json.loads(line) for part in sorted(out.glob("part-*.json")) for line in part.read_text().splitlines()]
    _assert_same_as_local(rows, local, text_col="Body")


def test_cell_text_reads_typed_cells_as_an_export_would() -> None:
    assert cell_text(12.0) == "12"
    assert cell_text(float("nan")) is None
    assert cell_text(12.5) == "12.5"
    assert cell_text(date(2024, 3, 4)) == "2024-03-04"
    assert cell_text("") is None and cell_text(None) is None
    assert cell_text(7) == "7"
