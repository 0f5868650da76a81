"""The results store on SQLite and on a real PostgreSQL server: runs, versions, idempotence, users."""

from __future__ import annotations

import pytest

from analyser import analyse
from analyser.report import Report
from analyser.store import Store, StoreError, resolve_url

PLAN = """CARE PLAN
Child: Amira
Date of plan: 12/03/2025

Actions
- The social worker, Jo Smith, will visit Amira at home by 2 April 2025.
- Mum will try to engage with services.
"""
PLAN_V2 = PLAN + "- Jo Smith will book Amira's dental check by 30 April 2025.\n"


@pytest.fixture(scope="module")
def reports():
    return {
        "A1": analyse(PLAN, id="A1"),
        "A1v2": analyse(PLAN_V2, id="A1"),
        "B7": analyse(PLAN.replace("Amira", "Josh"), id="B7"),
    }


@pytest.fixture()
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


def new_run(store: Store, rubric: str = "2026.11.1") -> int:
    return store.start_run(rubric_version=rubric, model_version="m", caseqa_version="0.1.0", params={"paths": ["x"]})


def test_saving_the_same_result_twice_stores_it_once(store, reports):
    run = new_run(store)
    first = store.save_result(run, reports["A1"], content_hash="h1", fields={"worker": "Jo"})
    again = store.save_result(run, reports["A1"], content_hash="h1", fields={"worker": "Jo"})
    assert first == again
    rows = store.list_records()
    assert [(r.record_id, r.version) for r in rows] == [("A1", 1)]
    assert store.already_scored("h1", reports["A1"].versions.rubric) == "A1"
    assert store.already_scored("h1", "another-rubric") is None


def test_changed_text_becomes_a_new_version(store, reports):
    run = new_run(store)
    store.save_result(run, reports["A1"], content_hash="h1", fields={})
    store.save_result(run, reports["A1v2"], content_hash="h2", fields={})
    versions = store.record_versions("A1")
    assert [(v.version, v.content_hash) for v in versions] == [(1, "h1"), (2, "h2")]
    assert store.get_report("A1") == reports["A1v2"]  # latest by default
    assert store.get_report("A1", version=1) == reports["A1"]
    assert [r.version for r in store.list_records()] == [2]


def test_report_round_trips_exactly(store, reports):
    run = new_run(store)
    store.save_result(run, reports["B7"], content_hash="h3", fields={})
    assert store.get_report("B7").to_dict() == reports["B7"].to_dict()
    assert store.get_report("nope") is None


def test_text_is_stored_only_when_given(store, reports):
    run = new_run(store)
    store.save_result(run, reports["A1"], content_hash="h1", fields={})
    store.save_result(run, reports["B7"], content_hash="h3", fields={}, text="the text")
    assert store.get_text("A1") is None
    assert store.get_text("B7") == "the text"


def test_list_records_filters(store, reports):
    run = new_run(store)
    store.save_result(run, reports["A1"], content_hash="h1",
                      fields={"worker": "Jo", "team": "North", "child_id": "C1"}, submitted_by="jo")
    store.save_result(run, reports["B7"], content_hash="h3", fields={"worker": "Sam", "team": "South"})
    assert [r.record_id for r in store.list_records(team="North")] == ["A1"]
    assert [r.record_id for r in store.list_records(worker="Sam")] == ["B7"]
    assert [r.record_id for r in store.list_records(child_id="C1")] == ["A1"]
    assert [r.record_id for r in store.list_records(submitted_by="jo")] == ["A1"]
    assert [r.record_id for r in store.list_records(date_from="2025-03-01", date_to="2025-03-31")] == ["A1", "B7"]
    assert store.list_records(date_from="2025-04-01") == []
    grade = reports["A1"].overall.grade
    assert "A1" in [r.record_id for r in store.list_records(grade=grade)]
    assert [r.record_id for r in store.list_records(limit=1, offset=1)] == ["B7"]
    row = store.list_records(team="North")[0]
    assert row.worker == "Jo" and row.scores.keys() == reports["A1"].dimensions.keys()
    assert row.actions == len(reports["A1"].actions)
    assert row.actions_not_timebound == sum(not a.timebound for a in reports["A1"].actions)
    assert row.scored_at.tzinfo is not None


def test_a_run_covers_scored_and_already_stored_records(store, reports):
    run1 = new_run(store)
    store.save_result(run1, reports["A1"], content_hash="h1", fields={})
    run2 = new_run(store)
    store.save_result(run2, reports["B7"], content_hash="h3", fields={})
    store.save_result(run2, reports["A1"], content_hash="h1", fields={})  # already stored: linked, not copied
    assert [row.record_id for row, _ in store.run_reports(run2)] == ["B7", "A1"]
    assert [r.record_id for r in store.list_records(run_id=run1)] == ["A1"]
    store.finish_run(run2, scored=1, skipped=1, failed=0)
    got = store.get_run(run2)
    assert (got.scored, got.skipped, got.failed) == (1, 1, 0) and got.finished_at is not None
    assert [r.id for r in store.list_runs()] == [run2, run1]


def test_failures_are_stored_with_their_reason(store):
    run = new_run(store)
    store.save_failure(run, source="in/broken.docx", reason="not a Word document or it is corrupt")
    [f] = store.run_failures(run)
    assert (f.source, f.reason, f.record_id) == ("in/broken.docx", "not a Word document or it is corrupt", None)


def test_users_keys_authenticate_and_stop_working_when_removed(store):
    user, key = store.add_user("ann", "auditor", team="QA")
    assert key.startswith(f"cqa_{user.id}_")
    assert store.authenticate(key) == user
    assert store.authenticate(key[:-1] + ("x" if key[-1] != "x" else "y")) is None
    assert store.authenticate("cqa_999_nope") is None and store.authenticate("garbage") is None
    with pytest.raises(ValueError, match="already exists"):
        store.add_user("ann", "admin")
    with pytest.raises(ValueError, match="role"):
        store.add_user("bob", "boss")
    assert [u.name for u in store.list_users()] == ["ann"]
    assert store.remove_user("ann") is True and store.remove_user("ann") is False
    assert store.authenticate(key) is None


def test_get_user_reads_a_user_by_id_and_none_once_removed(store):
    user, _ = store.add_user("sam", "supervisor", team="North")
    assert store.get_user(user.id) == user
    store.remove_user("sam")
    assert store.get_user(user.id) is None


def test_a_child_gets_one_random_key_that_only_the_store_maps_back(store, reports):
    """child_keys (migration 0006): what URLs carry instead of a child id, a name or a birthday."""
    from analyser.drift import child_link

    link = child_link("Amira Khan", dob="12/03/2015", team="North")
    key = store.child_key(link)
    assert store.child_key(link) == key and store.child_link(key) == link
    assert len(key) >= 20 and "amira" not in key.lower() and "2015" not in key
    other = store.child_key(child_link("Amira Khan", dob="12/03/2015", team="South"))
    assert other != key and store.child_key(child_link("CH-1")) not in (key, other)
    assert store.child_link("no-such-key") is None and store.child_link("x" * 500) is None
    # A record's row names its link, which is how a record's page reaches its child's key.
    store.save_result(new_run(store), reports["A1"], content_hash="h1", fields={"child_id": "CH-1", "team": "North"})
    assert store.child_key(store.record_versions("A1")[0].link_key or "") == store.child_key(child_link("CH-1"))


def test_reopening_an_existing_store_keeps_its_data(store_url, reports):
    with Store(store_url) as s:
        s.save_result(new_run(s), reports["A1"], content_hash="h1", fields={})
    with Store(store_url) as s:  # migrations are a no-op the second time
        assert s.get_report("A1") == reports["A1"]


def test_urls_bare_paths_postgres_and_bad_schemes(tmp_path, monkeypatch):
    assert resolve_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("CASEQA_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("/env.db")
    with pytest.raises(StoreError, match="not supported"):
        resolve_url("mysql://u@h/db")
    with pytest.raises(StoreError, match="cannot open"):
        Store("postgresql://nobody@127.0.0.1:1/none")


def test_a_dimension_not_scored_is_stored_as_none_and_round_trips(store):
    from test_scoring import VISIT

    report = analyse(VISIT, id="V1")
    run = new_run(store, report.versions.rubric)
    store.save_result(run, report, content_hash="hv", fields={"worker": "Jo"})
    row = next(r for r in store.list_records() if r.record_id == "V1")
    assert row.scores["plan_detail"] is None and row.scores["timebound_actions"] is None
    assert row.scores["readability"] == report.dimensions["readability"].score
    assert store.get_report("V1") == report


def test_timelines_stream_one_child_at_a_time_as_linked_records_reads_them(store):
    from analyser.store import ResultInput

    run = new_run(store)
    items = []
    for i, (child, day) in enumerate([("CH-2", "03"), ("CH-1", "05"), ("CH-2", "01"), ("CH-1", "02"), ("CH-3", "09"),
                                      ("CH-2", "02")]):
        body = PLAN.replace("12/03/2025", f"{day}/03/2025")
        items.append(ResultInput(analyse(body, id=f"R{i}"), f"h{i}", {"child_id": child, "team": "North"},
                                 history={"progress": []}))
    saved = store.save_results(run, items)
    keys = {s.link_key for s in saved}
    assert None not in keys and len(keys) == 3
    streamed = list(store.iter_timelines(keys, fetch=2))  # a fetch smaller than a child: rows still grouped
    assert [k for k, _ in streamed] == sorted(keys)  # each child once, in key order
    linked = store.linked_records(keys)
    for key, rows in streamed:
        assert [(r.result_id, r.team, r.history) for r in rows] == [(pk, row.team, h) for row, _, h, pk in linked[key]]
        assert [Report.from_dict(r.report) for r in rows] == [rep for _, rep, _, _ in linked[key]]
    assert list(store.iter_timelines([])) == []


def test_opening_an_up_to_date_store_does_not_run_alembic(tmp_path):
    import subprocess
    import sys

    from alembic.script import ScriptDirectory
    from alembic.config import Config

    from analyser.store import _MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()
    db = tmp_path / "s.db"
    Store(str(db)).close()  # created and migrated
    code = ("import sys; from analyser.store import Store; Store(sys.argv[1]).close(); "
            "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    again = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "False"
    fresh = subprocess.run([sys.executable, "-c", code, str(tmp_path / "new.db")], capture_output=True, text=True, check=True)
    assert fresh.stdout.strip() == "True"  # a new store is created by the migrations
