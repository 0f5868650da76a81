"""The scale run: score 1k, 10k, 100k generated records end to end and see whether a record's cost stays flat.

Councils load years of records so drift can follow each child's whole history; what must hold is that a
record costs the same whether the store holds a thousand records or a hundred thousand. This module

* generates realistic children (:func:`generate_records`): 3-8 records each, half of the children given a
  child id and half linked only by the name and date of birth in the record's header. Each record's
  body is one of the generated drift sequences shipped in ``corpus/synthetic/sequences`` (care plans
  and reviews of one child with carried-over, slipped and unreported actions), rewritten for the new
  child's name and date of birth, so drift has real work at every size;
* scores them with the real command, ``caseqa score FILE.jsonl --db ... --out ...`` in a child process
  (:func:`score_size`): the whole process, start-up, store writes, drift and outputs included, and
  reports seconds per 1,000 records, the peak resident memory of the largest process (the main one or
  a worker) and the store's size on disk.

The core (``analyser``) never imports this module or ``corpus``: only the bench does.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEQUENCES = ROOT / "corpus" / "synthetic" / "sequences"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
MIN_RECORDS, MAX_RECORDS = 3, 8  # records a child

_FIRST = ("Amira Ben Chloe Daniel Ella Finn Grace Harry Isla Jack Kai Lily Mason Noah Olivia Poppy Reuben Sofia "
          "Tyler Una Vinnie Willow Xander Yusuf Zara Aiden Bella Caleb Demi Ethan Freya George Hana Ibrahim Jade "
          "Kyle Layla Musa Nia Oscar Priya Quinn Rosa Sami Tia Umar Violet Wren Yasmin Zain").split()
_LAST = ("Khan Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Walker Robinson Thompson Hughes "
         "Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Morris Ward "
         "King Baker Harrison Morgan Allen James Phillips Bennett Gray Carter Mitchell Shaw Begum Ali Hussain "
         "Ahmed Rahman Okafor Mensah Nowak Kowalski Murphy Kelly Byrne Reid Grant Fraser Stewart").split()
_NAME_LINE = re.compile(r"(?im)^([ \t]*(?:child'?s? name|name|young person|child|full name)[ \t]*[:\-–|][ \t]*)([^\n(|]+)")
_DOB_LINE = re.compile(r"(?i)(\b(?:d\.?o\.?b\.?|date of birth)\b[\s:\-–]*)([^\n|)]+)")


@dataclass(frozen=True)
class _Template:
    """One shipped drift sequence: its records' texts in order, the child's full name and first name."""

    texts: tuple[str, ...]
    full_name: str
    dates: tuple[str | None, ...]


def _templates() -> list[_Template]:
    from analyser.drift import history_facts

    gold = {}
    gold_file = SEQUENCES / "gold.jsonl"
    if gold_file.exists():
        for line in gold_file.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            gold[g["file"]] = g
    groups: dict[str, list[Path]] = {}
    for path in sorted(SEQUENCES.glob("*.txt")):
        m = re.search(r"_(s\d+)_(\d+)\.txt$", path.name)
        if m:
            groups.setdefault(m.group(1), []).append(path)
    out = []
    for paths in groups.values():
        paths.sort(key=lambda p: int(re.search(r"_(\d+)\.txt$", p.name).group(1)))  # type: ignore[union-attr]
        texts = tuple(p.read_text(encoding="utf-8") for p in paths)
        name = history_facts(texts[0]).get("child_full_name")
        if not name:
            continue
        out.append(_Template(texts, name, tuple(gold.get(p.name, {}).get("date") for p in paths)))
    if not out:
        raise FileNotFoundError(f"no drift sequences in {SEQUENCES}: the scale run generates records from them")
    return out


def _rewrite(text: str, old_name: str, new_name: str, dob: date) -> str:
    """The record about another child: the name (full, first, surname) and the date of birth replaced."""
    old_parts, new_parts = old_name.split(), new_name.split()
    text = text.replace(old_name, new_name)
    text = text.replace(f"{old_parts[-1].upper()}, {old_parts[0]}", f"{new_parts[-1].upper()}, {new_parts[0]}")
    text = re.sub(rf"\b{re.escape(old_parts[0])}\b", new_parts[0], text)
    if len(old_parts) > 1:
        text = re.sub(rf"\b{re.escape(old_parts[-1])}\b", new_parts[-1], text)
    text = _NAME_LINE.sub(lambda m: m.group(1) + new_name, text, count=1)
    return _DOB_LINE.sub(lambda m: m.group(1) + dob.strftime("%d/%m/%Y"), text, count=1)


def generate_records(n: int, seed: int = 15) -> Iterator[dict[str, str]]:
    """``n`` export rows (``id``, ``text``, ``worker``, ``team``, and ``child_id`` for half the children;
    ``date`` when a sequence is re-used) about children with 3-8 records each, in a shuffled order
    within each block of children, as records arrive from a case-management export."""
    rng = random.Random(f"caseqa-scale:{seed}")
    templates = _templates()
    used: set[tuple[str, date]] = set()
    child = 0
    made = 0
    block: list[dict[str, str]] = []
    while made < n:
        child += 1
        tpl = rng.choice(templates)
        while True:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            dob = date(2006, 1, 1) + timedelta(days=rng.randrange(17 * 365))
            if (name, dob) not in used:
                used.add((name, dob))
                break
        by_id = child % 2 == 0  # half the children come with a child id, half only with name + dob
        worker = f"Worker {rng.randrange(1, 200):03d}"
        k = min(rng.randint(MIN_RECORDS, MAX_RECORDS), n - made)
        for j in range(k):
            cycle, pos = divmod(j, len(tpl.texts))
            row = {"id": f"c{child:06d}-{j + 1}", "text": _rewrite(tpl.texts[pos], tpl.full_name, name, dob),
                   "worker": worker, "team": f"Team {int(worker[-3:]) % 12 + 1}"}
            if by_id:
                row["child_id"] = f"CH{child:06d}"
            if cycle and tpl.dates[pos]:  # the sequence again, a year and more later
                d = date.fromisoformat(tpl.dates[pos]) + timedelta(days=400 * cycle)  # type: ignore[arg-type]
                row["date"] = d.isoformat()
            block.append(row)
        made += k
        if len(block) >= 200 or made >= n:
            rng.shuffle(block)  # a child's records do not arrive in date order
            yield from block
            block = []


def write_jsonl(path: Path, n: int, seed: int = 15) -> int:
    """Write :func:`generate_records` to ``path``; returns how many records."""
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in generate_records(n, seed):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def _dir_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def score_size(n: int, *, workers: int = 1, work_dir: Path | None = None, seed: int = 15,
               extra_args: tuple[str, ...] = ()) -> dict[str, float | int | str]:
    """Generate ``n`` records and score them with ``caseqa score`` in a child process: the whole process.

    Peak memory is the largest resident set of any process of the run (the main process or a worker),
    as the kernel reports it for waited-for children (``RUSAGE_CHILDREN``); it is measured in a fresh
    interpreter so earlier sizes do not count.
    """
    with tempfile.TemporaryDirectory(prefix="caseqa-scale-", dir=work_dir) as tmp:
        folder = Path(tmp)
        records = folder / "records.jsonl"
        t0 = time.perf_counter()
        write_jsonl(records, n, seed)
        gen_s = time.perf_counter() - t0
        db = folder / "store.db"
        cmd = [sys.executable, "-c", _RUNNER, str(records), str(db), str(folder / "out.jsonl"), str(workers), *extra_args]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"caseqa score failed on {n} records (exit {proc.returncode}): {proc.stderr[-2000:]}")
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
        lines = sum(1 for _ in (folder / "out.jsonl").open(encoding="utf-8"))
        return {
            "records": n, "workers": workers, "generate_s": round(gen_s, 2), "wall_s": round(wall, 2),
            "cpu_s": round(stats["cpu_s"], 2), "s_per_1000": round(1000 * wall / n, 2),
            "cpu_s_per_1000": round(1000 * stats["cpu_s"] / n, 2),
            "peak_rss_mb": round(stats["peak_rss_mb"], 1), "store_mb": round(_dir_bytes(db) / 1e6, 1),
            "store_kb_per_record": round(_dir_bytes(db) / 1e3 / n, 2), "jsonl_lines": lines,
        }


def analysis_only(n: int = 1000, *, seed: int = 15, work_dir: Path | None = None) -> dict[str, float]:
    """The same records' analysis alone (``process_record``: extract, hash, history facts, analyse; no
    store, drift or outputs) in a fresh interpreter, one process: the floor ``caseqa score`` is held to.
    ``startup_s`` is the pipeline and rubric load, ``s_per_1000`` the loop after it."""
    with tempfile.TemporaryDirectory(prefix="caseqa-scale-", dir=work_dir) as tmp:
        records = Path(tmp) / "records.jsonl"
        write_jsonl(records, n, seed)
        proc = subprocess.run([sys.executable, "-c", _ANALYSIS_ONLY, str(records)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"analysis-only run failed: {proc.stderr[-2000:]}")
        stats = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"records": n, **{k: round(v, 2) for k, v in stats.items()}}


_ANALYSIS_ONLY = """
import json, sys, time
t0 = time.perf_counter()
from analyser.batch import BatchOptions, _init_local, process_record
from analyser.inputs import iter_records
options = BatchOptions()
_init_local(options)
startup = time.perf_counter() - t0
items = [r for r in iter_records([sys.argv[1]])]
w0, c0 = time.perf_counter(), time.process_time()
for r in items:
    process_record(r, options)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
n = len(items)
print(json.dumps({"startup_s": startup, "wall_s": wall, "cpu_s": cpu, "s_per_1000": 1000 * wall / n,
                  "cpu_s_per_1000": 1000 * cpu / n}))
"""


# Runs `caseqa score` in this fresh interpreter (as the console script would) and prints its CPU time and
# the peak memory of the largest process, its workers included.
_RUNNER = """
import json, resource, sys
import cli
src, db, out, workers, *rest = sys.argv[1:]
sys.argv = ["caseqa", "score", src, "--db", db, "--out", out, "--workers", workers, *rest]
rc = 0
try:
    cli.app()
except SystemExit as exc:
    rc = exc.code or 0
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "peak_rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024}))
sys.exit(rc)
"""


def run(sizes: tuple[int, ...] = DEFAULT_SIZES, *, workers: int = 1, analysis: bool = True,
        progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Score each size in turn; ``flatness`` is the largest size's seconds per 1,000 records over the
    smallest's; ``whole_vs_analysis`` the smallest size's whole-process CPU time per record over the
    analysis alone (one worker: CPU time; with several, wall time is shared differently)."""
    rows = []
    base = None
    if analysis:
        if progress:
            progress(f"analysis alone on {min(sizes):,} records")
        base = analysis_only(min(sizes))
    for n in sizes:
        if progress:
            progress(f"scoring {n:,} generated records")
        rows.append(score_size(n, workers=workers))
    out: dict[str, object] = {"sizes": rows, "workers": workers}
    if len(rows) > 1:
        out["flatness"] = round(float(rows[-1]["s_per_1000"]) / float(rows[0]["s_per_1000"]), 3)  # type: ignore[arg-type]
        out["cpu_flatness"] = round(float(rows[-1]["cpu_s_per_1000"]) / float(rows[0]["cpu_s_per_1000"]), 3)  # type: ignore[arg-type]
    out["peak_rss_mb"] = max(float(r["peak_rss_mb"]) for r in rows)  # type: ignore[arg-type]
    if base is not None:
        out["analysis_only"] = base
        out["whole_vs_analysis_cpu"] = round(float(rows[0]["cpu_s_per_1000"]) / base["cpu_s_per_1000"], 3)  # type: ignore[arg-type]
    return out
