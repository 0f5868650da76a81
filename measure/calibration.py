"""Calibration: do caseqa's grades agree with what experienced readers give the same records?

A calibration folder holds records and ``readers.jsonl``: one line a record, with the grade and the
dimension bands each independent reader gave it after reading DOMAIN.md and the Ofsted descriptors::

    {"id": "cal_01", "file": "cal_01.txt",
     "readers": [{"reader": "r1", "grade": "good", "bands": {"timebound_actions": "requires_improvement", ...}},
                 {"reader": "r2", "grade": "good", "bands": {...}}]}

Agreement is measured against the readers: caseqa's grade is *exact* when it is a grade a reader gave
(readers who disagree both count as right answers), *within one* when it is at most one grade from
the readers' mean. Per dimension, Spearman's rho between the readers' mean band and caseqa's score.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analyser.report import Report
from measure.evaluate import spearman

# Ofsted's four words, worst first: the ordinal a band or grade stands for.
GRADES = ("inadequate", "requires_improvement", "good", "outstanding")
READERS_FILE = "readers.jsonl"


@dataclass
class CalibrationResult:
    name: str
    records: int = 0
    exact: int = 0
    within_one: int = 0
    readers_agree_exact: int = 0
    rows: list[dict] = field(default_factory=list)
    dim_levels: dict[str, list[float]] = field(default_factory=dict)
    dim_scores: dict[str, list[float]] = field(default_factory=dict)
    dim_exact: dict[str, int] = field(default_factory=dict)
    dim_total: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        n = self.records
        return {
            "set": self.name,
            "records": n,
            "grade_exact": round(self.exact / n, 3) if n else None,
            "grade_within_one": round(self.within_one / n, 3) if n else None,
            "readers_agree_exact": round(self.readers_agree_exact / n, 3) if n else None,
            "dimensions": {
                d: {
                    "spearman": _round(spearman(self.dim_levels[d], self.dim_scores[d])),
                    "band_exact": round(self.dim_exact[d] / self.dim_total[d], 3) if self.dim_total[d] else None,
                    "records": self.dim_total[d],
                }
                for d in self.dim_levels
            },
            "records_detail": self.rows,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _ordinal(word: str, where: str) -> int:
    if word not in GRADES:
        raise ValueError(f"{where}: '{word}' is not one of {', '.join(GRADES)}")
    return GRADES.index(word)


def load_readers(folder: Path) -> list[dict]:
    path = folder / READERS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{folder}: no {READERS_FILE} (the readers' grades of each record)")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if len(row.get("readers") or []) < 2:
            raise ValueError(f"{path}:{n}: needs the grades of two readers ('readers')")
        rows.append(row)
    return rows


def calibrate(folder: Path, analyse: Callable[[Path], Report], *, grade_for: Callable[[float], str]) -> CalibrationResult:
    """Analyse every record and compare caseqa's grade and dimension bands with the readers'."""
    result = CalibrationResult(str(folder))
    for row in load_readers(folder):
        where = f"{folder / READERS_FILE} {row.get('id')}"
        report = analyse(folder / row["file"])
        grades = [_ordinal(r["grade"], where) for r in row["readers"]]
        mean = sum(grades) / len(grades)
        ours = _ordinal(report.overall.grade, where)
        result.records += 1
        result.exact += ours in grades
        result.within_one += abs(ours - mean) <= 1
        result.readers_agree_exact += len(set(grades)) == 1
        detail = {"id": row["id"], "readers": [r["grade"] for r in row["readers"]], "caseqa": report.overall.grade,
                  "overall": report.overall.score, "dimensions": {}}
        for d, dim in report.dimensions.items():
            bands = [r.get("bands", {}).get(d) for r in row["readers"]]
            if any(b is None for b in bands) or dim.score is None:  # not scored: nothing to compare
                continue
            levels = [_ordinal(b, where) for b in bands]
            result.dim_levels.setdefault(d, []).append(sum(levels) / len(levels))
            result.dim_scores.setdefault(d, []).append(dim.score)
            result.dim_total[d] = result.dim_total.get(d, 0) + 1
            result.dim_exact[d] = result.dim_exact.get(d, 0) + (_ordinal(grade_for(dim.score), where) in levels)
            detail["dimensions"][d] = {"readers": bands, "score": dim.score}
        result.rows.append(detail)
    return result
