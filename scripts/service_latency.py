"""Warm latency of POST /v1/analyse for a 2,000-word draft (in-process client, after warm-up).

    PYTHONPATH=. python scripts/service_latency.py [--words 2000] [--n 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyser.store import Store
from service.app import create_app
from service.config import Settings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


def draft_of(words: int) -> str:
    """About ``words`` words of care plans: synthetic records from corpus/synthetic/dev, joined."""
    parts, count = [], 0
    for path in sorted((ROOT / "corpus" / "synthetic" / "dev").glob("cp_*.txt")):
        text = path.read_text(encoding="utf-8")
        parts.append(text)
        count += len(text.split())
        if count >= words:
            break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--html", action="store_true", help="Ask for the highlighted HTML (what the page shows).")
    args = parser.parse_args()
    text = draft_of(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        with Store(db) as store:
            key = store.add_user("bench", "social_worker", "T")[1]
        with TestClient(create_app(Settings(db=db, session_secret="b" * 32))) as client:
            auth = {"Authorization": f"Bearer {key}", **({"Accept": "text/html"} if args.html else {})}
            for _ in range(3):  # warm-up: pipeline loaded, caches and key check warm
                r = client.post("/v1/analyse", json={"text": text}, headers=auth)
                r.raise_for_status()
            words = len(text.split())
            times = []
            for _ in range(args.n):
                began = time.perf_counter()
                client.post("/v1/analyse", json={"text": text}, headers=auth).raise_for_status()
                times.append(time.perf_counter() - began)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{'HTML' if args.html else 'JSON'}, {words} words, {args.n} requests: p50 {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
