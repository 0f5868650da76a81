"""Cross-team access (issue 13, items 1-3): uploads and drafts cannot take over, or read through, another
team's workers, children or records. Visibility follows a record's first owner and team."""

from __future__ import annotations

import pytest
from service_support import GOOD_DRAFT, Seeded, TestClient, seed
from test_drift import FIRST, SECOND
from test_service_api import is_problem, wait_batch, wait_ready

from analyser import analyse
from analyser.batch import content_hash
from analyser.drift import history_facts
from analyser.store import Store
from service.app import create_app
from service.config import Settings

SOUTH_ONLY_WORKER = "bea_south"  # no user account: known only from South's records


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    """The service seed plus a South review of Amira Khan (no child id: linked by name and date of birth)."""
    s = seed(str(tmp_path_factory.mktemp("access") / "caseqa.db"))
    with Store(s.db) as store:
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        store.save_result(run, analyse(FIRST, id="S-AK-1"), content_hash=content_hash(FIRST, {"id": "S-AK-1"}),
                          fields={"worker": SOUTH_ONLY_WORKER, "team": "South"}, submitted_by=SOUTH_ONLY_WORKER,
                          history=history_facts(FIRST))
        store.finish_run(run, scored=1, skipped=0, failed=0)
    return s


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        yield c


def upload(client, seeded, who: str, files: list[tuple[str, str]], **data: str):
    return client.post("/v1/batches", files=[("files", (n, t.encode())) for n, t in files], data=data,
                       headers=seeded.auth(who))


# ---- item 1: a supervisor cannot read another team's worker through an upload -----------------------------


@pytest.mark.parametrize("worker", ["sw_south", SOUTH_ONLY_WORKER])
def test_uploading_under_another_teams_worker_is_refused_and_their_supervision_stays_closed(client, seeded, worker):
    r = upload(client, seeded, "sup_north", [("probe.txt", GOOD_DRAFT)], worker=worker)
    body = is_problem(r, 403)
    assert "another team" in body["detail"] and worker in body["detail"]
    is_problem(client.get(f"/v1/workers/{worker}/supervision", headers=seeded.auth("sup_north")), 403)
    with Store(seeded.db) as store:
        assert not store.list_records(worker=worker, team="North")


def test_an_admin_cannot_file_a_workers_records_under_another_team(client, seeded):
    r = upload(client, seeded, "admin", [("probe.txt", GOOD_DRAFT)], worker="sw_south", team="North")
    assert "another team" in is_problem(r, 403)["detail"]


def test_a_supervisor_may_still_upload_for_their_own_teams_workers(client, seeded):
    r = upload(client, seeded, "sup_north", [("own-1.txt", GOOD_DRAFT)], worker="sw_north")
    assert r.status_code == 202, r.text
    assert wait_batch(client, seeded.auth("sup_north"), r.json()["id"])["scored"] == 1


# ---- item 2: a name-and-date-of-birth probe does not join another team's child --------------------------


def test_a_probe_with_another_teams_childs_name_and_dob_sees_nothing_of_theirs(client, seeded):
    before = client.get("/v1/records/S-AK-1", headers=seeded.auth("auditor")).json()["report"]
    r = upload(client, seeded, "sup_north", [("probe-ak.txt", SECOND)], worker="ann_north")
    status = wait_batch(client, seeded.auth("sup_north"), r.json()["id"])
    assert status["scored"] == 1, status
    r = client.post("/v1/children/lookup", json={"name": "Amira Khan", "dob": "2015-03-12"}, headers=seeded.auth("sup_north"))
    assert r.status_code in (200, 404), r.text
    if r.status_code == 200:
        r = client.get(r.json()["timeline"], headers=seeded.auth("sup_north"))
        assert [rec["id"] for rec in r.json()["records"]] == ["probe-ak"]
    probe = client.get("/v1/records/probe-ak", headers=seeded.auth("sup_north")).json()["report"]
    assert "S-AK-1" not in str(probe.get("drift")) and "swimming" not in str(probe.get("drift") or "")
    # The South record's stored report did not gain drift from North's probe.
    after = client.get("/v1/records/S-AK-1", headers=seeded.auth("auditor")).json()["report"]
    assert after.get("drift") == before.get("drift")


# ---- item 3: an upload or a draft never takes over a record ---------------------------------------------


def test_an_upload_named_after_another_teams_record_fails_and_the_record_stays_theirs(client, seeded):
    r = upload(client, seeded, "sup_north", [("S-1.txt", GOOD_DRAFT + "\nA new line."), ("fine-1.txt", GOOD_DRAFT)],
               worker="ann_north")
    status = wait_batch(client, seeded.auth("sup_north"), r.json()["id"])
    assert (status["scored"], status["failed"]) == (1, 1), status
    assert status["failures"][0]["source"] == "S-1.txt" and "cannot see" in status["failures"][0]["reason"]
    with Store(seeded.db) as store:
        versions = store.record_versions("S-1")
    assert [(v.version, v.team, v.submitted_by) for v in versions] == [(1, "South", "sw_south")]
    assert client.get("/v1/records/S-1", headers=seeded.auth("sw_south")).status_code == 200


def test_a_supervisors_draft_under_a_team_members_record_stays_the_members(client, seeded):
    r = client.post("/v1/analyse", json={"text": GOOD_DRAFT + "\nSupervisor's edit.", "id": "N-1", "store": True},
                    headers=seeded.auth("sup_north"))
    assert r.status_code == 200, r.text
    with Store(seeded.db) as store:
        latest = store.record_versions("N-1")[-1]
    assert (latest.version, latest.team, latest.worker, latest.submitted_by) == (2, "North", "sw_north", "sw_north")
    # The owner still sees their record, at its new version.
    got = client.get("/v1/records/N-1", headers=seeded.auth("sw_north"))
    assert got.status_code == 200 and got.json()["record"]["version"] == 2


def test_a_new_version_stored_by_anyone_keeps_the_first_owner_and_team(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        for text, team, by in ((GOOD_DRAFT, "South", "sw_south"), (GOOD_DRAFT + "\nMore.", "North", "sup_north")):
            store.save_result(run, analyse(text, id="R-1"), content_hash=content_hash(text, {"id": "R-1"}),
                              fields={"worker": by, "team": team}, submitted_by=by)
        rows = store.record_versions("R-1")
        assert [(r.version, r.team, r.submitted_by) for r in rows] == [(1, "South", "sw_south"), (2, "South", "sw_south")]
        assert store.list_records(team="North") == []
