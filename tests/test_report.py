"""The report contract: every interface emits exactly this, and it validates against the shipped schema."""

from __future__ import annotations

import json

import jsonschema

from analyser import analyse_file
from analyser.report import SCHEMA_PATH, json_schema


def test_shipped_schema_is_up_to_date() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == json_schema()


def test_reports_validate_against_the_schema(examples) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    for path in sorted(examples.iterdir()):
        report = analyse_file(path).to_dict()
        jsonschema.validate(report, schema)
        assert report["schema"] == "caseqa.report/2"
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
