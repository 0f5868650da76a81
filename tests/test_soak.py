"""The soak test (`caseqa bench --soak`, measure/soak.py): a tiny run against the real service.

Speed and memory thresholds are the bench's to report, not asserted here: these tests check that the run
serves requests without errors, samples memory, sees its workers recycled and prints no record text.
"""

from __future__ import annotations

import json
import re

from test_drift import run_cli

from measure.soak import Drafts, made_up_word, summarise, warmup_seconds

RECYCLE_AFTER = 10


def test_tiny_soak_serves_every_request_samples_memory_and_recycles_workers(tmp_path, monkeypatch):
    # One analysis worker, so more than RECYCLE_AFTER answered analyses means a recycle must have happened.
    monkeypatch.setenv("CASEQA_ANALYSIS_WORKERS", "1")
    out = tmp_path / "soak.json"
    result = run_cli("bench", "--soak", "--clients", "3", "--seconds", "8", "--recycle-after", str(RECYCLE_AFTER),
                     "--out", str(out))
    assert result.exit_code == 0, result.output
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["clients"] == 3 and r["seconds"] == 8
    assert r["analysis_mode"] == "process" and r["analysis_workers"] == 1
    assert r["analysis_recycle_after"] == RECYCLE_AFTER
    assert r["requests"] > 0 and r["requests_ok"] == r["requests"]
    assert r["errors"] == 0 and r["errors_by_status"] == {}
    assert r["analyses"].get("ok") == r["requests_ok"]  # the service counted what the clients saw
    assert r["p50_ms"] > 0 and r["p95_ms"] >= r["p50_ms"]
    assert r["rss_samples"] >= 2 and len(r["rss_timeline"]) == r["rss_samples"]
    assert all(s["rss_mb"] > 0 for s in r["rss_timeline"])
    assert max(s["processes"] for s in r["rss_timeline"]) >= 2  # the service and its worker
    assert r["rss_mb_max"] >= max(r["rss_mb_warmup"], r["rss_mb_end"])
    assert r["verdict"] in ("bounded", "grew")
    assert r["worker_recycles"] == int(r["workers_replaced"].get("recycled", 0))
    if r["requests_ok"] > RECYCLE_AFTER:
        assert r["worker_recycles"] >= 1
        assert r["child_processes_seen"] >= 2  # the first worker and its replacement
    # The table is printed, and no draft text reaches the output or the JSON.
    assert "requests / s" in result.output and "memory: " in result.output
    for text in (result.output, out.read_text(encoding="utf-8")):
        assert "CARE PLAN" not in text and "food bank" not in text and "Child's name" not in text


def test_every_draft_brings_new_made_up_words():
    drafts = Drafts(seed=1)
    seen: set[str] = set()
    for _ in range(200):
        text, age = drafts.make()
        assert 4 <= age <= 16 and text.startswith("CARE PLAN\n")
        name = re.search(r"Child's name: (\w+) (\w+)", text)
        assert name
        words = set(name.groups())
        assert not words & seen
        seen |= words
    assert len({made_up_word(n, "Zel") for n in range(20_000)}) == 20_000


def test_memory_summary_uses_medians_so_one_dip_while_a_worker_is_replaced_does_not_decide():
    samples = [{"t_s": float(t), "rss_mb": 500.0, "server_mb": 100.0, "children_mb": 400.0, "processes": 3}
               for t in range(0, 101, 2)]
    samples[-1] = {**samples[-1], "rss_mb": 300.0, "children_mb": 200.0}  # a worker gone, its successor loading
    m = summarise(samples, warmup_seconds(100), window_s=10)
    assert m["rss_mb_warmup"] == 500.0 and m["rss_mb_end"] == 500.0
    assert m["growth_pct_after_warmup"] == 0.0 and m["rss_mb_max"] == 500.0
    grown = [{**s, "rss_mb": 500.0 + 2 * s["t_s"]} for s in samples]
    g = summarise(grown, warmup_seconds(100), window_s=10)
    assert g["growth_pct_after_warmup"] > 10
    assert warmup_seconds(300) == 60 and warmup_seconds(150) == 30 and warmup_seconds(100) == 20
