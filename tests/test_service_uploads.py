"""Uploaded batch files (issue 13, item 18): kept in a private folder that goes when the service stops,
and folders a crashed service left behind are deleted when the next one starts."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from service_support import GOOD_DRAFT, TestClient, seed

from service.app import create_app
from service.config import Settings


@pytest.fixture()
def temp_dir(tmp_path, monkeypatch) -> Path:
    """A temp dir of this test's own: the cleaning on start must not touch other processes' files."""
    base = tmp_path / "tmp"
    base.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(base))
    return base


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def leftover(base: Path, name: str, age_seconds: float = 0) -> Path:
    folder = base / name
    folder.mkdir()
    (folder / "00000-review.txt").write_text("Amira Khan, date of birth 11/02/2012", encoding="utf-8")
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(folder, (then, then))
    return folder


def app_client(tmp_path: Path) -> TestClient:
    seeded = seed(str(tmp_path / "caseqa.db"))
    settings = Settings(db=seeded.db, session_secret="s" * 32, cookie_secure=True)
    return TestClient(create_app(settings), base_url="https://testserver"), seeded


def test_upload_folders_a_crashed_service_left_are_deleted_on_start(tmp_path, temp_dir):
    crashed = leftover(temp_dir, f"caseqa-batch-{dead_pid()}-abc123")
    legacy_old = leftover(temp_dir, "caseqa-batch-x1y2z3", age_seconds=2 * 24 * 3600)
    legacy_new = leftover(temp_dir, "caseqa-batch-q9w8e7")  # maybe an older service's running batch
    running = leftover(temp_dir, f"caseqa-batch-{os.getppid()}-def456")  # a live service's
    client, _ = app_client(tmp_path)
    with client:
        assert not crashed.exists() and not legacy_old.exists()
        assert legacy_new.exists() and running.exists()


def test_uploads_are_kept_in_a_private_folder_removed_when_the_service_stops(tmp_path, temp_dir):
    client, seeded = app_client(tmp_path)
    with client:
        runner = client.app.state.batches
        root = Path(runner.uploads)
        assert root.parent == temp_dir and stat.S_IMODE(root.stat().st_mode) == 0o700
        folder = Path(runner.upload_folder())
        assert folder.parent == root and stat.S_IMODE(folder.stat().st_mode) == 0o700
        r = client.post("/v1/batches", files=[("files", ("review.txt", GOOD_DRAFT.encode()))],
                        headers=seeded.auth("sup_north"))
        assert r.status_code == 202, r.text
        deadline = time.monotonic() + 120
        while client.get(r.headers["Location"], headers=seeded.auth("sup_north")).json()["status"] in ("queued", "running"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert [p for p in root.iterdir() if p != folder] == []  # the batch's folder went when it ended
    assert not root.exists()  # and the service's own folder when it stopped
