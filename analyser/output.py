"""Report writers: JSONL (full reports) and CSV (one row a record, opens cleanly in Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from analyser.report import DIMENSIONS, Report

CSV_COLUMNS = (
    ["id", "source", "child_id", "worker", "team", "doc_type", "date", "child_name", "overall_score", "grade"]
    + [f"{d}_score" for d in DIMENSIONS]
    + ["actions", "actions_not_timebound", "actions_no_owner", "findings", "rubric_version"]
)


def csv_row(report: Report, fields: Mapping[str, str] | None = None) -> dict[str, object]:
    """One flat row: ids, worker, team, scores, grade and counts."""
    fields = fields or {}
    row: dict[str, object] = {
        "id": report.id,
        "source": report.source or "",
        "child_id": fields.get("child_id", ""),
        "worker": fields.get("worker", ""),
        "team": fields.get("team", ""),
        "doc_type": report.doc_type,
        "date": report.meta.date or "",
        "child_name": report.meta.child_name or "",
        "overall_score": report.overall.score,
        "grade": report.overall.grade,
        "actions": len(report.actions),
        "actions_not_timebound": sum(not a.timebound for a in report.actions),
        "actions_no_owner": sum(a.owner is None for a in report.actions),
        "findings": len(report.findings),
        "rubric_version": report.versions.rubric,
    }
    for d in DIMENSIONS:
        row[f"{d}_score"] = report.dimensions[d].score
    return row


def _excel_safe(value: object) -> object:
    # Cells starting with = + - @ run as formulas in Excel: prefix them so a record cannot inject one.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class ReportWriter:
    """Writes reports to .jsonl or .csv (UTF-8 with BOM, so Excel reads accents and '£' right)."""

    def __init__(self, path: Path, fh: IO[str]) -> None:
        self.path = path
        self.fh = fh
        self.kind = "csv" if path.suffix.lower() == ".csv" else "jsonl"
        self._csv = csv.DictWriter(fh, fieldnames=CSV_COLUMNS) if self.kind == "csv" else None
        if self._csv:
            self._csv.writeheader()

    @classmethod
    def open(cls, path: Path) -> ReportWriter:
        if path.suffix.lower() not in (".jsonl", ".csv"):
            raise ValueError(f"--out {path}: use a .jsonl or .csv file name")
        path.parent.mkdir(parents=True, exist_ok=True)
        encoding = "utf-8-sig" if path.suffix.lower() == ".csv" else "utf-8"
        return cls(path, path.open("w", encoding=encoding, newline=""))

    def write(self, report: Report, fields: Mapping[str, str] | None = None) -> None:
        if self._csv:
            self._csv.writerow({k: _excel_safe(v) for k, v in csv_row(report, fields).items()})
        else:
            self.fh.write(report.to_json() + "\n")

    def close(self) -> None:
        self.fh.close()


def reports_to_csv(reports: list[Report]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    w.writeheader()
    for r in reports:
        w.writerow({k: _excel_safe(v) for k, v in csv_row(r).items()})
    return buf.getvalue()
