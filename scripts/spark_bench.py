"""Measure Spark scoring throughput on generated records (the numbers in docs/SPARK.md).

    PYTHONPATH=. python scripts/spark_bench.py --n 200 --master local[1] --master local[2]

Records are built (seeded) by combining varied care-plan and minutes sentences, so no real data is
needed. For each master, a fresh Spark session scores them all and writes Parquet; the time to start
the session is reported apart from the scoring job. The local single-process batch runner is timed too.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_NAMES = ("Amira", "Josh", "Leah", "Kai", "Maya", "Ollie", "Zara", "Finn", "Isla", "Noah", "Ruby", "Theo")
_WORKERS = ("Daniel Osei", "Ruth Patel", "Jo King", "Sam Hughes")
_SECTIONS = {
    "Placement": (
        "{name} lives with foster carers and told me she feels safe there.",
        "The child is placed with foster carers in a long-term placement which is stable. No concerns.",
        "{name} said she likes her bedroom and wants to stay until she is eighteen.",
        "Placement stable. Carers to continue to monitor.",
    ),
    "Health": (
        "{name} will see the dentist by {deadline}; {worker} will book it by {soon}.",
        "Health needs are being met. The child is to attend the dentist asap.",
        "{name}'s health assessment was completed on {soon}. The LAC nurse will review it by {deadline}.",
        "CAMHS referral to be considered when appropriate.",
    ),
    "Education": (
        "Mrs Lee, the designated teacher, will hold {name}'s PEP meeting by {deadline}.",
        "PEP ongoing. Designated teacher to liaise with the virtual school as and when required.",
        "{name} enjoys maths and wants help with reading; {worker} will ask school about a reading mentor by {soon}.",
        "Attendance is 88%. School to continue to support.",
    ),
    "Family time": (
        "{name} sees her mum every other Saturday at the family centre and says she wants longer visits.",
        "Contact with birth mother is supervised fortnightly. Sibling contact to be explored going forward.",
        "{worker} will ask {name}'s brother's carers about a shared day out by {deadline}.",
    ),
}


def generate(n: int, seed: int = 7) -> list[dict[str, object]]:
    """n records of varied length and quality (3-4 sections of 1-3 sentences each), seeded."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        name, worker = rng.choice(_NAMES), rng.choice(_WORKERS)
        day, month = rng.randint(1, 28), rng.randint(1, 9)
        values = {"name": name, "worker": worker, "soon": f"{day}/{month + 1:02d}/2024", "deadline": f"{day}/{month + 2:02d}/2024"}
        lines = ["CARE PLAN", f"Name: {name}", f"Date: {day:02d}/{month:02d}/2024", ""]
        for section in rng.sample(list(_SECTIONS), k=rng.randint(3, 4)):
            lines.append(section)
            lines.append(" ".join(s.format(**values) for s in rng.sample(_SECTIONS[section], k=rng.randint(1, 3))))
            lines.append("")
        records.append({"id": f"bench-{i:05d}", "text": "\n".join(lines), "child_age": rng.randint(5, 17)})
    return records


def _run_spark(master: str, source: Path, out: Path) -> dict[str, float]:
    from analyser.spark import score_dataframe, spark_session

    started = time.perf_counter()
    spark = spark_session(master)
    df = spark.read.json(str(source)).cache()
    n = df.count()  # read before the clock starts: the job timed is the scoring
    ready = time.perf_counter()
    scored = score_dataframe(df, child_age="child_age", partitions=2 * spark.sparkContext.defaultParallelism)
    scored.write.mode("overwrite").parquet(str(out))
    done = time.perf_counter()
    failed = spark.read.parquet(str(out)).where("error IS NOT NULL").count()
    spark.stop()
    return {"records": n, "failed": failed, "session_s": ready - started, "job_s": done - ready,
            "records_per_s": n / (done - ready)}


def _run_local(source: Path) -> dict[str, float]:
    from analyser.batch import score_records
    from analyser.inputs import iter_records
    from analyser.nlp import get_nlp

    get_nlp()  # load the model first, as a Spark worker's first partition does
    started = time.perf_counter()
    outcomes = list(score_records(iter_records([str(source)])))
    elapsed = time.perf_counter() - started
    return {"records": len(outcomes), "job_s": elapsed, "records_per_s": len(outcomes) / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--master", action="append", help="repeat for several; default local[1] and local[2]")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one master in this process
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = _run_local(Path(args.source)) if args.one == "batch" else _run_spark(
            args.one, Path(args.source), Path(args.source).with_suffix(".out"))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "records.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in generate(args.n)), encoding="utf-8")
        print(f"machine: {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, "
              f"Python {platform.python_version()}; {args.n} records")
        for master in ["batch", *(args.master or ["local[1]", "local[2]"])]:
            # A fresh process per run: one JVM and fresh Python workers each, as a real job has.
            proc = subprocess.run([sys.executable, __file__, "--one", master, "--source", str(source)],
                                  capture_output=True, text=True, check=True)
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            label = "local batch (1 process)" if master == "batch" else f"spark {master}"
            print(f"{label:<26} " + "  ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
