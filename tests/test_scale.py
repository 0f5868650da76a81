"""Scale: drift settled before any output, bulk store writes, indexed linking, one pipeline per process."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from test_drift import FIRST, SECOND, THIRD, run_cli

from analyser import analyse
from analyser.linking import name_dob_digest
from analyser.store import ResultInput, Store

FOURTH = THIRD.replace("Date of review: 09/06/2025", "Date of review: 08/12/2025").replace(
    "Next review: 08/12/2025", "Next review: 08/06/2026")


def _name_dob_export(tmp_path: Path) -> Path:
    """Four records of one child with no child id (linked by name and date of birth), out of date order,
    and a second child's two records: the JSONL is written while the first child's drift still moves."""
    export = tmp_path / "export.csv"
    other = [t.replace("Amira Khan", "Leo Grant").replace("12/03/2015", "01/01/2012") for t in (FIRST, SECOND)]
    rows = [("r4", FOURTH), ("r2", SECOND), ("o2", other[1]), ("r3", THIRD), ("o1", other[0]), ("r1", FIRST)]
    with export.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "text", "team"])
        w.writeheader()
        for rid, body in rows:
            w.writerow({"id": rid, "text": body, "team": "North"})
    return export


def test_jsonl_csv_and_store_agree_on_drift_for_a_child_linked_by_name_and_dob(tmp_path):
    export = _name_dob_export(tmp_path)
    db = str(tmp_path / "s.db")
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    result = run_cli("score", str(export), "--db", db, "--out", str(out), "--out", str(table), "--workers", "1",
                     "--html", str(tmp_path / "html"))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in lines] == ["r4", "r2", "o2", "r3", "o1", "r1"]  # the input's order
    with Store(db) as store:
        for line in lines:
            stored = store.get_report(line["id"])
            assert stored is not None
            assert line.get("drift") == (stored.drift.model_dump(mode="json") if stored.drift else None), line["id"]
    by_id = {r["id"]: r for r in lines}
    assert by_id["r1"].get("drift") is None and by_id["o1"].get("drift") is None  # the earliest of each child
    assert by_id["r4"]["drift"]["linked_by"] == "name+dob"
    assert by_id["r4"]["drift"]["position"] == 4 and by_id["r4"]["drift"]["previous"] == "r3"
    assert by_id["r2"]["drift"]["previous"] == "r1" and by_id["o2"]["drift"]["previous"] == "o1"
    assert {f["code"] for f in by_id["r2"]["drift"]["findings"]} >= {"slipped", "not_followed_up"}
    # The CSV has a row for every record, and `caseqa report` re-emits the same JSONL.
    with table.open(encoding="utf-8-sig") as fh:
        csv_rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert set(csv_rows) == set(by_id)
    again = tmp_path / "again.jsonl"
    assert run_cli("report", "--db", db, "--out", str(again)).exit_code == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    # The HTML report counts the settled drift and shows each record's text (kept aside for it, not stored).
    assert "Drift and delay by team" in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "PROGRESS ON PREVIOUS DECISIONS" in (tmp_path / "html" / "records" / "r4.html").read_text(encoding="utf-8")
    with Store(db) as store:
        assert store.get_text("r4") is None


def test_a_second_run_of_the_same_export_changes_no_drift(tmp_path):
    export = _name_dob_export(tmp_path)
    db = str(tmp_path / "s.db")
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    assert run_cli("score", str(export), "--db", db, "--out", str(first), "--workers", "1").exit_code == 0
    assert run_cli("score", str(export), "--db", db, "--out", str(second), "--workers", "1").exit_code == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


@pytest.fixture()
def store(store_url):
    with Store(store_url) as s:
        yield s


def _items(n: int) -> list[ResultInput]:
    items = []
    for i in range(n):
        body = FIRST.replace("Amira Khan", f"Child{chr(65 + i % 26)} Khan").replace("12/03/2015", f"{1 + i % 28:02d}/03/2015")
        rep = analyse(body, id=f"rec{i}")
        items.append(ResultInput(rep, f"hash{i}", {"worker": "Jo", "team": "North"}, history={"dob": "2015-03-12"}))
    return items


def test_bulk_save_stores_what_one_by_one_saving_stores(store, tmp_path):
    items = _items(5)
    run = store.start_run(rubric_version=items[0].report.versions.rubric, model_version="m", caseqa_version="c", params={})
    # A chunk with a new version of rec0 and a repeat of rec1: versions and run links as save_result makes them.
    chunk = [*items, ResultInput(items[0].report, "hash0-v2", {"worker": "Jo"}), items[1]]
    saved = store.save_results(run, chunk)
    assert len(saved) == 7 and saved[6].result_id == saved[1].result_id
    assert [r.version for r in store.record_versions("rec0")] == [1, 2]
    assert saved[0].link_key == f"name+dob:{name_dob_digest('Childa', '2015-03-12')}|North"  # the team is part of the key; the report's first name: no full name given
    assert saved[5].link_key is None  # no date of birth in the fields given for v2, no child id
    items_of_run = store.list_records(run_id=run, limit=50)
    assert len(items_of_run) == 6  # one link per result
    # Saving again is idempotent: the same ids, linked once, as 'skipped'.
    run2 = store.start_run(rubric_version=items[0].report.versions.rubric, model_version="m", caseqa_version="c", params={})
    again = store.save_results(run2, items)
    assert [s.result_id for s in again] == [s.result_id for s in saved[:5]]
    one = store.save_result(run2, items[0].report, content_hash="hash0", fields={"worker": "Jo"})
    assert one == saved[0].result_id
    assert len(store.list_records(run_id=run2, limit=50)) == 5


def test_a_skipped_record_is_stored_by_id_and_rubric_without_its_report(store):
    items = _items(1)
    rubric = items[0].report.versions.rubric
    run = store.start_run(rubric_version=rubric, model_version="m", caseqa_version="c", params={})
    first = store.save_results(run, items)[0]
    skip = ResultInput(None, "hash0", {"worker": "Jo"}, history={"dob": "2015-03-12", "child_full_name": "Amira Khan"},
                       record_id="rec0", rubric_version=rubric)
    assert store.save_results(run, [skip])[0].result_id == first.result_id
    missing = ResultInput(None, "nope", {}, record_id="rec0", rubric_version=rubric)
    with pytest.raises(LookupError):
        store.save_results(run, [missing])


def test_a_child_is_found_through_the_link_key_index(tmp_path):
    with Store(str(tmp_path / "s.db")) as store, store.engine.connect() as conn:
        plan = conn.execute(text("EXPLAIN QUERY PLAN SELECT id FROM records WHERE link_key = 'name+dob:a|2015-01-01'")).all()
        assert any("ix_records_link_key" in str(row) for row in plan), plan


def test_migration_fills_link_keys_of_records_stored_before_it(tmp_path):
    from alembic import command
    from alembic.config import Config

    from analyser.store import _MIGRATIONS, _make_engine, resolve_url

    url = resolve_url(str(tmp_path / "old.db"))
    engine = _make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.execute(text("INSERT INTO runs (id, started_at, rubric_version, model_version, caseqa_version, params, "
                          "scored, skipped, failed) VALUES (1, '2025-01-01', 'r', 'm', 'c', '{}', 0, 0, 0)"))
        for pk, child, fields in ((1, "C-1", {"child_id": "C-1"}), (2, None, {"history": {"dob": "2015-03-12",
                                  "child_full_name": "KHAN, Amira"}}), (3, None, {})):
            conn.execute(text("INSERT INTO records (id, record_id, version, content_hash, child_id, child_name, fields, "
                              "created_at) VALUES (:pk, :rid, 1, 'h', :child, 'Amira', :fields, '2025-01-01')"),
                         {"pk": pk, "rid": f"r{pk}", "child": child, "fields": json.dumps(fields)})
    engine.dispose()
    with Store(url) as store, store.engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT record_id, link_key FROM records")).all())
    assert keys == {"r1": "child_id:C-1", "r2": f"name+dob:{name_dob_digest('Amira Khan', '2015-03-12')}|", "r3": None}


def test_the_pipeline_is_loaded_once_however_it_is_asked_for():
    from analyser.nlp import get_nlp

    assert get_nlp() is get_nlp(False) is get_nlp(accurate=False)


_IMPORTED_BY_SCORE = """
import json, sys
import cli
sys.argv = ["caseqa", "score", *sys.argv[1:]]
try:
    cli.app()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def test_score_imports_neither_the_service_nor_the_audit_report_nor_alembic_on_an_up_to_date_store(tmp_path):
    import subprocess
    import sys

    export = _name_dob_export(tmp_path)
    db = str(tmp_path / "s.db")

    def imported(*extra: str) -> set[str]:
        args = [str(export), "--db", db, "--out", str(tmp_path / "out.jsonl"), "--workers", "1", *extra]
        done = subprocess.run([sys.executable, "-c", _IMPORTED_BY_SCORE, *args], capture_output=True, text=True, check=True)
        return set(json.loads(done.stdout.strip().splitlines()[-1]))

    first = imported()  # a new store: its tables are made by the migrations
    assert "alembic" in first
    again = {m.split(".")[0] for m in imported()} | imported()
    # (jinja2 is not in the list: spaCy's own command line imports it when spaCy is imported.)
    assert not again & {"alembic", "fastapi", "uvicorn", "starlette", "service", "pandas", "sklearn",
                        "analyser.audit_report"}, sorted(again & {"alembic", "service", "analyser.audit_report"})
    assert "analyser.audit_report" in imported("--html", str(tmp_path / "html"))


def test_the_scale_generator_makes_children_of_3_to_8_records_half_linked_by_name_and_dob():
    from collections import Counter

    from analyser.drift import history_facts
    from analyser.linking import link
    from measure.scale import generate_records

    rows = list(generate_records(400))
    assert len(rows) == 400 and len({r["id"] for r in rows}) == 400
    children = Counter(r["id"].split("-")[0] for r in rows)
    assert all(3 <= n <= 8 for c, n in children.items() if c != max(children))  # the last child may be cut short
    with_id = {r["id"].split("-")[0] for r in rows if "child_id" in r}
    assert 0.4 < len(with_id) / len(children) < 0.6
    # Without a child id, every record of a child gives the same name + date of birth key, and no other child's.
    keys: dict[str, set[str]] = {}
    for r in rows:
        if "child_id" not in r:
            key, how = link({"history": history_facts(r["text"])}, None)
            assert how == "name+dob", r["id"]
            keys.setdefault(r["id"].split("-")[0], set()).add(key)
    assert all(len(k) == 1 for k in keys.values())
    assert len({next(iter(k)) for k in keys.values()}) == len(keys)


def test_bench_scale_refuses_bad_sizes():
    result = run_cli("bench", "--scale", "--sizes", "lots")
    assert result.exit_code == 2 and "--sizes" in result.output
