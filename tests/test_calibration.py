"""Calibration agreement: caseqa's grade against two readers' grades (measure/calibration.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyser import analyse_file
from analyser.rubric import load_rubric
from measure.calibration import calibrate


def _folder(tmp_path: Path, readers: list[list[str]]) -> Path:
    texts = [
        "CARE PLAN\nName: Leo Smith\nDate: 01/03/2025\nThe child is fine. No concerns.\n",
        "CARE PLAN\nName: Mia Jones\nDate: 01/03/2025\nHealth\nI will book your dentist by 10 March 2025.\n",
    ]
    lines = []
    for i, (text, grades) in enumerate(zip(texts, readers), 1):
        (tmp_path / f"c{i}.txt").write_text(text, encoding="utf-8")
        lines.append(json.dumps({"id": f"c{i}", "file": f"c{i}.txt",
                                 "readers": [{"reader": f"r{k}", "grade": g, "bands": {}} for k, g in enumerate(grades)]}))
    (tmp_path / "readers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_agreement_counts_a_readers_grade_as_exact(tmp_path: Path) -> None:
    rubric = load_rubric(None)
    reports = {p.name: analyse_file(p) for p in sorted(_folder(tmp_path, [["good", "good"], ["good", "good"]]).glob("*.txt"))}
    # Readers give each record exactly caseqa's grade: every record is exact.
    lines = [json.dumps({"id": n[:-4], "file": n, "readers": [{"grade": r.overall.grade}, {"grade": r.overall.grade}]})
             for n, r in reports.items()]
    (tmp_path / "readers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = calibrate(tmp_path, analyse_file, grade_for=rubric.grade_for).summary()
    assert res["records"] == 2 and res["grade_exact"] == 1.0 and res["grade_within_one"] == 1.0


def test_a_grade_two_away_is_neither_exact_nor_within_one(tmp_path: Path) -> None:
    rubric = load_rubric(None)
    folder = _folder(tmp_path, [["good", "good"], ["good", "good"]])
    grade = analyse_file(folder / "c1.txt").overall.grade
    far = {"outstanding": "requires_improvement", "good": "inadequate",
           "requires_improvement": "outstanding", "inadequate": "good"}[grade]
    rows = [json.loads(x) for x in (folder / "readers.jsonl").read_text().splitlines()]
    rows[0]["readers"] = [{"grade": far}, {"grade": far}]
    (folder / "readers.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = calibrate(folder, analyse_file, grade_for=rubric.grade_for).summary()
    assert res["records_detail"][0]["caseqa"] == grade
    assert res["grade_exact"] <= 0.5 and res["grade_within_one"] <= 0.5


def test_one_reader_is_not_enough(tmp_path: Path) -> None:
    (tmp_path / "readers.jsonl").write_text(json.dumps({"id": "x", "file": "x.txt", "readers": [{"grade": "good"}]}) + "\n")
    with pytest.raises(ValueError, match="two readers"):
        calibrate(tmp_path, analyse_file, grade_for=load_rubric(None).grade_for)
