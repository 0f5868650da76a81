"""Where the service's analyses run: worker processes that are killed past the time limit and recycled
(the default), and threads that keep their slot until they finish (CASEQA_ANALYSIS_MODE=thread)."""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import psutil
import pytest
from service_support import GOOD_DRAFT, POOR_DRAFT, Seeded, TestClient, seed

from analyser.document import Document
from service.app import create_app
from service.config import Settings
from service.worker import AnalysisFailed, Job, answer, outcome

LONG_DRAFT = GOOD_DRAFT * 60  # about 19,000 words: a second or more of analysis


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    return seed(str(tmp_path_factory.mktemp("workers") / "caseqa.db"))


def app_client(seeded: Seeded, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(db=seeded.db, session_secret="w" * 32, **settings)),  # type: ignore[arg-type]
                      base_url="https://testserver")


def wait_for(condition, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def pool_settled(client: TestClient) -> bool:
    pool = client.app.state.analyses.runner  # type: ignore[attr-defined]
    return pool.idle == pool.size and pool.starting == 0 and len(pool.pids) == pool.size


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def worker_processes() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())]


def wave(client: TestClient, auth: dict[str, str], n: int) -> list[int]:
    """``n`` long drafts at once; their statuses."""
    def one(_: int) -> int:
        return client.post("/v1/analyse", json={"text": LONG_DRAFT}, headers=auth).status_code

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def test_timed_out_analyses_are_killed_with_their_worker_and_nothing_keeps_running(seeded):
    auth = seeded.auth("sw_north")
    with app_client(seeded, analysis_mode="process", analysis_workers=2, analysis_timeout=30) as c:
        analyses = c.app.state.analyses
        assert c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth).status_code == 200
        wait_for(lambda: pool_settled(c))
        threads_before = threading.active_count()
        analyses.settings = analyses.settings.model_copy(update={"analysis_timeout": 0.3})
        killed: set[int] = set()
        for _ in range(4):
            before = set(analyses.runner.pids)
            statuses = wave(c, auth, 4)
            assert 504 in statuses and set(statuses) <= {503, 504}, statuses
            # Replaced, not piling up: never more live workers than configured, and the killed ones gone.
            wait_for(lambda: pool_settled(c))
            stopped = before - set(analyses.runner.pids)
            assert stopped, "a timed-out analysis left its worker running"
            wait_for(lambda stopped=stopped: all(gone(pid) for pid in stopped), 10)
            killed |= stopped
            assert len(worker_processes()) <= 2
            assert analyses.running == 0
        assert threading.active_count() <= threads_before + 4
        metrics = c.get("/metrics", headers=auth).text
        assert f'caseqa_analysis_workers_replaced_total{{reason="timeout"}} {float(len(killed))}' in metrics
        assert "caseqa_analyses_running 0.0" in metrics and "caseqa_analysis_workers 2.0" in metrics
        analyses.settings = analyses.settings.model_copy(update={"analysis_timeout": 30})
        assert c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth).status_code == 200  # still serving
    assert not worker_processes()  # shut-down stops the workers


def test_thread_mode_counts_running_work_not_waiting_requests(seeded):
    """Threads cannot be killed: a timed-out one keeps its slot, so no more than the limit ever run."""
    auth = seeded.auth("sw_north")
    with app_client(seeded, analysis_mode="thread", analysis_workers=2, analysis_timeout=30) as c:
        analyses = c.app.state.analyses
        assert c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth).status_code == 200
        analyses.settings = analyses.settings.model_copy(update={"analysis_timeout": 0.2})
        most = 0
        watching = True

        def watch() -> None:
            nonlocal most
            while watching:
                most = max(most, analyses.running)
                time.sleep(0.005)

        watcher = threading.Thread(target=watch)
        watcher.start()
        threads_before = 0
        try:
            for _ in range(5):
                statuses = wave(c, auth, 4)
                assert set(statuses) <= {503, 504}, statuses
                assert analyses.running <= 2
                threads_before = threads_before or threading.active_count()  # after the first wave's thread start-up
            grew = threading.active_count() - threads_before
            wait_for(lambda: analyses.running == 0, 60)  # the abandoned analyses finish, then free their slots
        finally:
            watching = False
            watcher.join()
        assert 1 <= most <= 2
        assert grew <= 2, f"{grew} more threads after 16 more timed-out requests"


def test_a_worker_is_recycled_after_n_analyses_and_answers_the_same(seeded):
    auth = seeded.auth("sw_north")
    with app_client(seeded, analysis_mode="process", analysis_workers=1, analysis_recycle_after=2) as c:
        pool = c.app.state.analyses.runner
        first = c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth)
        (pid,) = pool.pids
        second = c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth)
        wait_for(lambda: pool_settled(c) and pool.pids != [pid])
        wait_for(lambda: gone(pid), 10)
        third = c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth)
        assert first.status_code == second.status_code == third.status_code == 200
        assert first.json()["dimensions"] == third.json()["dimensions"]
        assert 'caseqa_analysis_workers_replaced_total{reason="recycled"} 1.0' in c.get("/metrics", headers=auth).text


def test_worker_mode_gives_the_thread_modes_answers(seeded):
    auth = seeded.auth("sw_north")
    requests = [
        {"json": {"text": POOR_DRAFT, "child_age": 9, "date": "2025-01-10"}},
        {"files": {"file": ("plan.txt", GOOD_DRAFT.encode())}},
        {"files": {"file": ("empty.txt", b"")}},  # 422: ingest error
        {"json": {"text": "Jo will visit. " * 66_700}},  # 413: over the word limit (200,000)
    ]
    answers = {}
    for mode in ("thread", "process"):
        with app_client(seeded, analysis_mode=mode, analysis_workers=1) as c:
            answers[mode] = [c.post("/v1/analyse", headers=auth, **kw) for kw in requests]  # type: ignore[arg-type]
    for t, p in zip(answers["thread"], answers["process"], strict=True):
        assert t.status_code == p.status_code
        if t.status_code == 200:
            a, b = t.json(), p.json()
            assert a["dimensions"] == b["dimensions"] and a["overall"] == b["overall"]
        else:
            assert t.json()["detail"] == p.json()["detail"]
    assert [r.status_code for r in answers["process"]] == [200, 200, 422, 413]


def test_a_worker_that_dies_is_replaced(seeded):
    auth = seeded.auth("sw_north")
    with app_client(seeded, analysis_mode="process", analysis_workers=1) as c:
        pool = c.app.state.analyses.runner
        assert c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth).status_code == 200
        (pid,) = pool.pids
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: gone(pid), 10)
        assert c.post("/v1/analyse", json={"text": POOR_DRAFT}, headers=auth).status_code == 200
        assert pool.pids != [pid]


def _fails_quoting(text: str) -> Document:
    raise ValueError(f"could not parse {text}")


def test_a_failing_job_comes_back_by_type_and_line_never_its_message():
    secret = "Amira Khan DOB 11/02/2012"
    reply = answer(Job(partial(_fails_quoting, secret), {}, 1000))
    assert reply[0] == "error" and secret not in repr(pickle.loads(pickle.dumps(reply)))
    with pytest.raises(AnalysisFailed) as raised:
        outcome(reply)
    assert str(raised.value).startswith("ValueError at test_service_workers.py:") and secret not in str(raised.value)
