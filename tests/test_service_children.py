"""GET /v1/children/{child_id}/timeline and the /children page: who may see a child's history, its shape."""

from __future__ import annotations

import pytest
from service_support import GOOD_DRAFT, Seeded, TestClient, seed
from test_drift import FIRST, SECOND
from test_service_api import is_problem, sign_in, wait_ready

from analyser import analyse
from analyser.batch import content_hash
from analyser.drift import history_facts
from analyser.store import Store
from service.app import create_app
from service.config import Settings

PATH = "/v1/children/{}/timeline"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    """The service seed, plus child CH-A (two reviews by sw_north, North) and CH-B (one North, one South)."""
    s = seed(str(tmp_path_factory.mktemp("children") / "caseqa.db"))
    with Store(s.db) as store:
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        for rid, text, child, worker, team in (
            ("A-1", FIRST, "CH-A", "sw_north", "North"), ("A-2", SECOND, "CH-A", "sw_north", "North"),
            ("B-1", GOOD_DRAFT, "CH-B", "sw_north", "North"), ("B-2", GOOD_DRAFT, "CH-B", "sw_south", "South"),
        ):
            store.save_result(run, analyse(text, id=rid), content_hash=content_hash(text, {"id": rid}),
                              fields={"worker": worker, "team": team, "child_id": child}, submitted_by=worker,
                              history=history_facts(text))
        store.finish_run(run, scored=4, skipped=0, failed=0)
    return s


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        yield c


def test_timeline_lists_records_in_date_order_with_drift_findings_naming_their_record(client, seeded):
    r = client.get(PATH.format("CH-A"), headers=seeded.auth("auditor"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["child_id"] == "CH-A" and body["linked_by"] == "child_id"
    assert [rec["id"] for rec in body["records"]] == ["A-1", "A-2"]
    assert set(body["records"][0]) == {"id", "date", "doc_type", "grade", "overall_score"}
    assert body["findings"] and all(f["record_id"] == "A-2" and f["code"] and f["message"] for f in body["findings"])


@pytest.mark.parametrize("who,child", [
    ("sw_north", "CH-A"), ("sup_north", "CH-A"), ("sup_north", "CH-B"), ("admin", "CH-B"),
])
def test_who_may_see_a_childs_timeline(client, seeded, who, child):
    assert client.get(PATH.format(child), headers=seeded.auth(who)).status_code == 200


def test_a_social_worker_who_did_not_submit_every_record_is_refused(client, seeded):
    is_problem(client.get(PATH.format("CH-B"), headers=seeded.auth("sw_north")), 403)


@pytest.mark.parametrize("who,child", [("sw_south", "CH-A"), ("sup_none", "CH-A"), ("auditor", "CH-none")])
def test_a_child_with_no_records_you_may_see_is_not_found(client, seeded, who, child):
    is_problem(client.get(PATH.format(child), headers=seeded.auth(who)), 404)


def test_a_bad_date_of_birth_is_422(client, seeded):
    is_problem(client.get(PATH.format("Amira Khan"), params={"dob": "12/13/2015"}, headers=seeded.auth("auditor")), 422)


def test_linking_by_name_and_date_of_birth_finds_records_without_a_child_id(client, seeded):
    r = client.get(PATH.format("Amira Khan"), params={"dob": "2015-03-12"}, headers=seeded.auth("auditor"))
    assert r.status_code == 404  # every Amira record here has a child id, so none is linked by name


def test_the_timeline_page_lists_records_and_their_drift_and_the_record_page_links_to_it(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        sign_in(c, seeded.keys["sup_north"])
        page = c.get("/children/CH-A")
        assert page.status_code == 200
        assert 'href="/records/A-1"' in page.text and 'href="/records/A-2"' in page.text
        codes = {f["code"] for f in c.get(PATH.format("CH-A")).json()["findings"]}
        assert codes and all(f"<code>{code}</code>" in page.text for code in codes)
        assert 'href="/children/CH-A"' in c.get("/records/A-2").text
        assert c.get("/children/CH-none").status_code == 404
