"""Shared fixtures: small, readable records."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Service tests run analyses in threads of the test process (no worker process to spawn for every app);
# tests/test_service_workers.py runs the real worker processes (CASEQA_ANALYSIS_MODE=process, the default).
os.environ.setdefault("CASEQA_ANALYSIS_MODE", "thread")


@pytest.fixture(scope="session")
def examples() -> Path:
    return EXAMPLES


# ---- a throwaway PostgreSQL server for the store tests ------------------------------------------



def _pg_bindir() -> str | None:
    """The PostgreSQL server binaries: /usr/lib/postgresql/<v>/bin (Debian) or initdb on PATH."""
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server URL: $CASEQA_TEST_PG_URL, or a server started in a temp dir for this session."""
    if os.environ.get("CASEQA_TEST_PG_URL"):
        yield os.environ["CASEQA_TEST_PG_URL"]
        return
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (scripts/test-setup.sh installs them)")
    base = tempfile.mkdtemp(prefix="caseqa-pg-")
    data = os.path.join(base, "data")
    port = _free_port()
    # The server refuses to run as root: run it as the 'postgres' system user when we are root.
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        shutil.chown(base, "postgres")
        os.chmod(base, 0o700)
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run(run_as + [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True, env=env)
    subprocess.run(
        run_as + [f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(base, "log"), "-w", "-t", "60",
                  "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
        check=True, capture_output=True, env=env,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(run_as + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True, env=env, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture()
def pg_url(pg_server):
    """A fresh, empty database on the test server."""
    import psycopg

    name = f"caseqa_test_{uuid.uuid4().hex[:10]}"
    admin = pg_server
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """Each store test runs against a SQLite file and a real PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "caseqa.db")
    return request.getfixturevalue("pg_url")
