"""`caseqa score` and `caseqa report`: broken files, exit codes, resume after kill -9, outputs, HTML."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from test_ingest import encrypt_pdf, make_pdf
from typer.testing import CliRunner

from cli import app

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["Amira", "Josh", "Leah", "Tom", "Priya", "Kai", "Mia", "Ollie"]


def record_text(i: int, long: bool = False) -> str:
    """A small care plan; every i gives a different text (and so a different content hash)."""
    name = NAMES[i % len(NAMES)]
    body = (
        f"CARE PLAN\nChild: {name}\nDate of plan: {1 + i % 27:02d}/03/2025\n\n"
        f"{name} lives with her foster carers and goes to Hill Primary School. {name} said she likes drawing.\n\n"
        "Actions\n"
        f"- The social worker, Jo Smith, will visit {name} at home by {1 + i % 28} April 2025.\n"
        "- Mum will try to engage with services.\n"
        f"- The carer will take {name} to the dentist in the next few weeks.\n"
    )
    if long:  # slower to analyse: gives the kill test time to strike mid-batch
        body += "\n".join(f"{name} spent time with her brother and they played football in the park on visit {k}." for k in range(40))
    return body


def write_records(folder: Path, n: int, *, long: bool = False) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(n):
        (folder / f"rec{i:03d}.txt").write_text(record_text(i, long), encoding="utf-8")
        ids.append(f"rec{i:03d}")
    return ids


@pytest.fixture()
def broken_batch(tmp_path: Path) -> Path:
    """Three good .txt, a good .docx and .pdf, and broken ones: corrupt, empty, encrypted, too large."""
    folder = tmp_path / "in"
    write_records(folder, 3)
    d = docx.Document()
    for line in record_text(10).splitlines():
        d.add_paragraph(line)
    d.save(folder / "word.docx")
    (folder / "scan.pdf").write_bytes(make_pdf(record_text(11).splitlines()))
    (folder / "sub").mkdir()
    (folder / "sub" / "corrupt.docx").write_bytes(os.urandom(4000))
    (folder / "sub" / "empty.txt").write_bytes(b"")
    (folder / "locked.pdf").write_bytes(encrypt_pdf(make_pdf(record_text(12).splitlines()), "secret", "owner"))
    (folder / "huge.txt").write_text(record_text(13) * 4000, encoding="utf-8")  # over --max-mb 1
    return folder


def run_cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def jsonl_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_broken_files_are_failures_and_the_batch_goes_on(tmp_path, broken_batch):
    db = tmp_path / "caseqa.db"
    out = tmp_path / "out.jsonl"
    r = run_cli("score", str(broken_batch), "--db", str(db), "--out", str(out), "--workers", "1", "--max-mb", "1")
    assert r.exit_code == 1, r.output
    assert sorted(jsonl_ids(out)) == ["rec000", "rec001", "rec002", "scan", "word"]
    con = sqlite3.connect(db)
    reasons = dict(con.execute("select source, reason from failures"))
    by_name = {Path(k).name: v for k, v in reasons.items()}
    assert set(by_name) == {"corrupt.docx", "empty.txt", "locked.pdf", "huge.txt"}
    assert "empty" in by_name["empty.txt"]
    assert "too large" in by_name["huge.txt"]
    assert "password" in by_name["locked.pdf"] or "encrypt" in by_name["locked.pdf"]
    assert "4 failed" in r.output and "corrupt.docx" in r.output
    assert con.execute("select scored, skipped, failed from runs").fetchone() == (5, 0, 4)


def test_failure_reasons_and_output_never_contain_record_text(tmp_path, broken_batch):
    r = run_cli("score", str(broken_batch), "--db", str(tmp_path / "c.db"), "--out", str(tmp_path / "o.csv"), "--workers", "1", "--max-mb", "1")
    assert "foster carers" not in r.output and "Jo Smith" not in r.output


def test_second_run_is_a_no_op_with_the_same_outputs(tmp_path):
    folder = tmp_path / "in"
    ids = write_records(folder, 6)
    db, out1, out2 = tmp_path / "c.db", tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run_cli("score", str(folder), "--db", str(db), "--out", str(out1), "--workers", "1").exit_code == 0
    r = run_cli("score", str(folder), "--db", str(db), "--out", str(out2), "--workers", "1")
    assert r.exit_code == 0 and "scored 0, already in the store 6" in r.output
    assert out1.read_text() == out2.read_text() and sorted(jsonl_ids(out2)) == ids
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from results").fetchone() == (6,)
    assert con.execute("select scored, skipped from runs order by id").fetchall() == [(6, 0), (0, 6)]


def test_a_changed_record_is_rescored_as_a_new_version(tmp_path):
    folder = tmp_path / "in"
    write_records(folder, 2)
    db = tmp_path / "c.db"
    run_cli("score", str(folder), "--db", str(db), "--workers", "1", "--out", str(tmp_path / "a.jsonl"))
    (folder / "rec001.txt").write_text(record_text(1) + "- Jo Smith will ring the school by 3 May 2025.\n", encoding="utf-8")
    r = run_cli("score", str(folder), "--db", str(db), "--workers", "1", "--out", str(tmp_path / "b.jsonl"))
    assert "scored 1, already in the store 1" in r.output
    con = sqlite3.connect(db)
    assert con.execute("select record_id, version from records order by record_id, version").fetchall() == [
        ("rec000", 1), ("rec001", 1), ("rec001", 2)]


def test_export_with_column_map_carries_worker_and_team(tmp_path):
    export = tmp_path / "export.csv"
    with export.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["RecordID", "Body", "Author", "Team", "ChildRef"])
        for i in range(3):
            w.writerow([f"R{i}", record_text(i), f"Worker {i % 2}", "North" if i < 2 else "South", f"C{i}"])
    out = tmp_path / "out.csv"
    r = run_cli("score", str(export), "--db", str(tmp_path / "c.db"), "--out", str(out), "--workers", "1",
                "--map", "text=Body,id=RecordID,worker=Author,team=Team,child_id=ChildRef")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(x["id"], x["worker"], x["team"], x["child_id"]) for x in rows] == [
        ("R0", "Worker 0", "North", "C0"), ("R1", "Worker 1", "North", "C1"), ("R2", "Worker 0", "South", "C2")]
    from analyser.store import Store

    with Store(str(tmp_path / "c.db")) as s:
        assert [x.record_id for x in s.list_records(team="North")] == ["R0", "R1"]


def test_without_out_reports_go_to_a_pipe_but_not_to_a_terminal(tmp_path, monkeypatch):
    import cli

    folder = tmp_path / "in"
    write_records(folder, 2)
    piped = run_cli("score", str(folder), "--db", str(tmp_path / "a.db"), "--workers", "1")
    assert piped.exit_code == 0 and len([x for x in piped.stdout.splitlines() if x.startswith('{"schema"')]) == 2
    monkeypatch.setattr(cli, "_stdout_is_terminal", lambda: True)
    shown = run_cli("score", str(folder), "--db", str(tmp_path / "b.db"), "--workers", "1")
    assert shown.exit_code == 0 and '{"schema"' not in shown.output
    assert "caseqa report --run 1 --out FILE.jsonl" in shown.output


def test_a_misspelt_map_column_is_said_once_with_the_columns_there_are(tmp_path):
    export = tmp_path / "export.csv"
    with export.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["RecordID", "Body", "Author"])
        for i in range(200):
            w.writerow([f"R{i}", record_text(i % 5), "Jo"])
    r = run_cli("score", str(export), "--db", str(tmp_path / "c.db"), "--workers", "1", "--map", "text=Nope,id=RecordID")
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if "Nope" in line]
    assert len(lines) == 1, r.output[:2000]
    assert "no column 'Nope'; the columns are: RecordID, Body, Author" in lines[0]
    assert len(r.output.splitlines()) < 6, r.output[:2000]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--map", "body=Text"], "--map field 'body'"),
        (["--db", "mysql://u@h/db"], "not supported"),
        (["--out", "x.xlsx"], ".jsonl or .csv"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    folder = tmp_path / "in"
    write_records(folder, 1)
    r = run_cli("score", str(folder), "--workers", "1", "--db", str(tmp_path / "c.db"), *args)
    assert r.exit_code == 2 and message in r.output


def test_no_records_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_cli("score", str(tmp_path / "empty"), "--db", str(tmp_path / "c.db"))
    assert r.exit_code == 2 and "no records found" in r.output


def assert_self_contained(folder: Path) -> None:
    for page in folder.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "http://" not in html and "https://" not in html, page
        assert "<script" not in html and "<link" not in html, page


def test_html_audit_report_is_self_contained_with_charts_and_record_pages(tmp_path, broken_batch):
    html = tmp_path / "audit"
    run_cli("score", str(broken_batch), "--db", str(tmp_path / "c.db"), "--html", str(html), "--workers", "1", "--max-mb", "1")
    index = (html / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") == 6  # grades, overall, four dimensions
    assert "Most frequent findings" in index and "corrupt.docx" in index
    assert 'href="records/rec000.html"' in index
    page = (html / "records" / "rec000.html").read_text(encoding="utf-8")
    assert "<mark class=" in page and "Jo Smith" in page and "Actions (" in page
    assert_self_contained(html)


def test_report_from_the_store_shows_text_only_when_stored(tmp_path):
    folder = tmp_path / "in"
    write_records(folder, 2)
    for db, extra, expect_text in (("plain.db", [], False), ("text.db", ["--store-text"], True)):
        run_cli("score", str(folder), "--db", str(tmp_path / db), "--workers", "1", "--out", str(tmp_path / f"{db}.jsonl"), *extra)
        out_dir = tmp_path / f"html-{db}"
        r = run_cli("report", "--run", "1", "--db", str(tmp_path / db), "--html", str(out_dir), "--out", str(tmp_path / f"{db}.again.jsonl"))
        assert r.exit_code == 0, r.output
        page = (out_dir / "records" / "rec000.html").read_text(encoding="utf-8")
        assert ("<mark class=" in page) is expect_text
        assert ("not shown" in page) is (not expect_text)
        assert (tmp_path / f"{db}.again.jsonl").read_text() == (tmp_path / f"{db}.jsonl").read_text()
        assert_self_contained(out_dir)


def test_users_commands(tmp_path):
    db = str(tmp_path / "c.db")
    r = run_cli("users", "add", "ann", "--role", "auditor", "--team", "QA", "--db", db)
    assert r.exit_code == 0
    key = next(line for line in r.output.splitlines() if line.startswith("cqa_"))
    from analyser.store import Store

    with Store(db) as s:
        assert s.authenticate(key).name == "ann"
    assert "ann" in run_cli("users", "list", "--db", db).output
    assert run_cli("users", "add", "ann", "--role", "auditor", "--db", db).exit_code == 2
    assert run_cli("users", "remove", "ann", "--db", db).exit_code == 0
    assert run_cli("users", "remove", "ann", "--db", db).exit_code == 2


def caseqa(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args]


def test_worker_processes_score_everything_once_in_input_order(tmp_path):
    folder = tmp_path / "in"
    ids = write_records(folder, 9)
    (folder / "broken.docx").write_bytes(os.urandom(2000))
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run(caseqa("score", str(folder), "--db", str(tmp_path / "c.db"), "--out", str(out), "--workers", "2"),
                       env=env, capture_output=True, text=True, timeout=240, check=False)
    assert p.returncode == 1, p.stderr
    assert jsonl_ids(out) == ids  # in input order, whatever worker scored them
    assert "rec/s" in p.stderr and "broken.docx" in p.stderr


def test_kill_9_then_rerun_finishes_with_nothing_lost_or_duplicated(tmp_path):
    folder = tmp_path / "in"
    ids = write_records(folder, 30, long=True)
    db, out = tmp_path / "c.db", tmp_path / "out.jsonl"
    cmd = caseqa("score", str(folder), "--db", str(db), "--out", str(out), "--workers", "1")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            stored = con.execute("select count(*) from results").fetchone()[0]
            con.close()
        except sqlite3.Error:
            continue  # not created yet
        if stored >= 5:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the batch finished before it could be killed"
    assert 5 <= stored < 30

    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240, check=False)
    assert p.returncode == 0, p.stderr
    con = sqlite3.connect(db)
    assert con.execute("select count(*), count(distinct record_id) from results").fetchone() == (30, 30)
    assert con.execute("select count(*) from records").fetchone() == (30,)
    assert sorted(jsonl_ids(out)) == ids
    last = con.execute("select scored, skipped, failed from runs order by id desc limit 1").fetchone()
    assert last[0] + last[1] == 30 and last[1] >= stored and last[2] == 0


def test_record_ids_naming_the_child_are_counted_never_listed(tmp_path):
    """File names become record ids, which appear in URLs and pages: a run warns how many hold the
    child's first name, without printing them."""
    folder = tmp_path / "in"
    write_records(folder, 2)
    name = NAMES[2 % len(NAMES)]
    (folder / f"care_plan_{name.lower()}.txt").write_text(record_text(2), encoding="utf-8")
    r = run_cli("score", str(folder), "--db", str(tmp_path / "c.db"), "--out", str(tmp_path / "a.jsonl"), "--workers", "1")
    assert r.exit_code == 0, r.output
    assert "1 record id contains the child's first name" in r.output
    assert f"care_plan_{name.lower()}" not in r.output


def test_id_names_child() -> None:
    from cli import id_names_child

    assert id_names_child("care_plan_amira.txt", "Amira Khan")
    assert id_names_child("Amira-review-2", "Amira")
    assert not id_names_child("tamira_case", "Amira")  # inside another word
    assert not id_names_child("rec001", "Amira") and not id_names_child("jo_plan", "Jo")  # too short to tell
