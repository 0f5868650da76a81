"""GET and POST /v1/workers/{worker}/supervision: who may ask, the formats, and that only POST stores."""

from __future__ import annotations

import pytest
from markupsafe import escape
from service_support import GOOD_DRAFT, POOR_DRAFT, Seeded, TestClient, seed
from test_service_api import is_problem, sign_in, wait_ready

from analyser.store import Store
from service.app import create_app
from service.config import Settings

PATH = "/v1/workers/{}/supervision"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    return seed(str(tmp_path_factory.mktemp("sup") / "caseqa.db"))


@pytest.fixture(scope="module")
def client(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        yield c


@pytest.mark.parametrize("who", ["sup_north", "auditor", "admin"])
def test_supervisors_of_the_workers_team_auditors_and_admins_get_the_record(client, seeded, who):
    r = client.get(PATH.format("sw_north"), params={"date": "2025-04-01"}, headers=seeded.auth(who))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["worker"] == "sw_north" and body["date"] == "2025-04-01"
    assert [rec["record_id"] for rec in body["records"]] == ["N-1"]
    assert {"actions", "carried_forward", "stats"} <= body.keys()


@pytest.mark.parametrize("who,worker", [("sw_north", "sw_north"), ("sup_north", "sw_south"), ("sup_none", "sw_north")])
def test_social_workers_and_other_teams_supervisors_are_refused(client, seeded, who, worker):
    is_problem(client.get(PATH.format(worker), headers=seeded.auth(who)), 403)
    is_problem(client.post(PATH.format(worker), headers=seeded.auth(who)), 403)


def test_the_supervisor_is_the_signed_in_supervisor_when_the_records_name_none(client, seeded):
    as_supervisor = client.get(PATH.format("sw_north"), params={"date": "2025-04-01"}, headers=seeded.auth("sup_north"))
    assert as_supervisor.json()["supervisor"] == "sup_north"
    md = client.get(PATH.format("sw_north"), params={"date": "2025-04-01", "format": "md"}, headers=seeded.auth("sup_north"))
    assert "| Supervisor | sup_north |" in md.text
    as_auditor = client.get(PATH.format("sw_north"), params={"date": "2025-04-01"}, headers=seeded.auth("auditor"))
    assert as_auditor.json()["supervisor"] is None  # an auditor is not the worker's supervisor


def test_a_worker_without_records_is_not_found(client, seeded):
    is_problem(client.get(PATH.format("nobody"), headers=seeded.auth("auditor")), 404)


@pytest.mark.parametrize("params", [{"date": "not a date"}, {"since": "31/31/2025"}, {"due_days": "-1"}, {"format": "pdf"}])
def test_bad_dates_and_options_are_422(client, seeded, params):
    is_problem(client.get(PATH.format("sw_north"), params=params, headers=seeded.auth("auditor")), 422)


def test_docx_downloads_as_a_word_attachment_named_for_worker_and_date(client, seeded):
    r = client.get(PATH.format("ann_north"), params={"date": "2025-04-01", "format": "docx"},
                   headers=seeded.auth("sup_north"))
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert r.headers["content-disposition"] == 'attachment; filename="supervision-ann_north-2025-04-01.docx"'
    assert r.content[:2] == b"PK"


@pytest.mark.parametrize("fmt,media", [("html", "text/html"), ("md", "text/markdown")])
def test_html_and_markdown_are_served_inline(client, seeded, fmt, media):
    r = client.get(PATH.format("sw_north"), params={"format": fmt}, headers=seeded.auth("auditor"))
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "content-disposition" not in r.headers and "sw_north" in r.text


def test_get_stores_nothing_and_post_stores_the_supervision_with_its_actions(client, seeded):
    def stored() -> tuple[int, int]:
        with Store(seeded.db) as store:
            return len(store.list_supervisions("sw_south")), len(store.supervision_actions(worker="sw_south"))

    client.get(PATH.format("sw_south"), params={"date": "2025-04-01"}, headers=seeded.auth("auditor"))
    assert stored() == (0, 0)
    r = client.post(PATH.format("sw_south"), params={"date": "2025-04-01"}, headers=seeded.auth("auditor"))
    assert r.status_code == 201, r.text
    actions = r.json()["actions"]
    assert stored() == (1, len(actions)) and all(a["id"] is not None for a in actions)


def test_a_page_session_must_send_the_csrf_token_to_post(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        token = sign_in(c, seeded.keys["auditor"])
        assert c.get(PATH.format("sw_north")).status_code == 200  # reads need no token
        is_problem(c.post(PATH.format("sw_north")), 403)
        assert c.post(PATH.format("sw_north"), headers={"X-CSRF-Token": token}).status_code == 201


def test_the_dashboard_and_worker_page_show_the_loop_and_link_the_supervision_record(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        sign_in(c, seeded.keys["sup_north"])
        assert c.post(PATH.format("ann_north"), params={"date": "2025-04-01"}, headers={"X-CSRF-Token": _token(c)}).status_code == 201
        dashboard = c.get("/dashboard").text
        assert 'href="/v1/workers/ann_north/supervision?format=docx"' in dashboard and "Days to close" in dashboard
        worker = c.get("/workers/ann_north").text
        assert "Supervision record (Word)" in worker and 'href="/workers/ann_north/supervision"' in worker
        with Store(seeded.db) as store:
            opened = store.open_actions(worker="ann_north")
        assert f"Open actions ({len(opened)})" in worker and all(str(escape(a.text)) in worker for a in opened)
        # Another team's worker: the records they may see, and no supervision section.
        assert "Supervision record (Word)" not in c.get("/workers/sw_south").text


def _token(client: TestClient) -> str:
    import re

    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def test_a_stored_new_version_closes_the_supervision_actions_it_fixed(client, seeded):
    with Store(seeded.db) as store:
        key = store.add_user("sw_fix", "social_worker", "North")[1]
    sw = {"Authorization": f"Bearer {key}"}
    first = client.post("/v1/analyse", json={"text": POOR_DRAFT, "store": True, "id": "FIX-1"}, headers=sw)
    assert first.status_code == 200
    assert client.post(PATH.format("sw_fix"), params={"date": "2025-04-01"}, headers=seeded.auth("auditor")).status_code == 201
    with Store(seeded.db) as store:
        raised = len(store.open_actions(worker="sw_fix"))
    assert raised
    client.post("/v1/analyse", json={"text": GOOD_DRAFT, "store": True, "id": "FIX-1"}, headers=sw)
    with Store(seeded.db) as store:
        assert len(store.open_actions(worker="sw_fix")) < raised
        assert store.actions_stats(worker="sw_fix").closed == raised - len(store.open_actions(worker="sw_fix"))
