"""The report contract: every interface emits exactly this, and it validates against the shipped schema."""

from __future__ import annotations

import json

import jsonschema

from analyser import analyse, analyse_file
from analyser.report import SCHEMA_PATH, json_schema


def test_shipped_schema_is_up_to_date() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == json_schema()


def test_reports_validate_against_the_schema(examples) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    for path in sorted(examples.iterdir()):
        report = analyse_file(path).to_dict()
        jsonschema.validate(report, schema)
        assert report["schema"] == "caseqa.report/3"
        assert report["id"] == path.stem


def test_offsets_index_the_extracted_text(examples) -> None:
    from analyser.ingest import load_file

    for path in sorted(examples.iterdir()):
        text = load_file(path).text
        report = analyse_file(path)
        for a in report.actions:
            assert text[a.start : a.end] == a.text
        for f in report.findings:
            assert text[f.start : f.end].startswith(f.excerpt.removesuffix("..."))


def test_report_names_the_rubric_and_model_versions(examples) -> None:
    v = analyse_file(examples / "care_plan_amira.txt").versions
    assert v.rubric and v.model and v.caseqa


def test_csv_rows_leave_a_not_scored_dimension_empty(tmp_path) -> None:
    import csv

    from analyser.output import ReportWriter
    from test_scoring import VISIT

    report = analyse(VISIT)
    out = tmp_path / "r.csv"
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = ReportWriter(out, fh)
        writer.write(report)
    row = next(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert row["plan_detail_score"] == "" and row["timebound_actions_score"] == ""
    assert float(row["readability_score"]) == report.dimensions["readability"].score


def test_the_audit_report_shows_not_scored_and_averages_only_scored_records(tmp_path) -> None:
    from analyser.audit_report import AuditReport
    from test_scoring import VISIT

    scored = analyse("CARE PLAN\n\nJo Smith will visit you at home by 2 November 2024. " * 3, id="C1")
    audit = AuditReport(tmp_path)
    audit.add(analyse(VISIT, id="V1"), {"worker": "Jo", "team": "North"})
    audit.add(scored, {"worker": "Jo", "team": "North"})
    audit.finish(title="Audit")
    index = (tmp_path / "index.html").read_text()
    page = (tmp_path / "records" / "V1.html").read_text()
    assert "not scored" in index and "not scored" in page
    # Jo's mean plan detail is the scored record's, not halved by the visit note's missing score.
    assert f"{scored.dimensions['plan_detail'].score:.1f}" in index
