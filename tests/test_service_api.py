"""The JSON API: every endpoint for every role, the limits, hostile input, and no record text in logs."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

import jsonschema
import pytest
from service_support import (
    GOOD_DRAFT,
    POOR_DRAFT,
    SENTINEL,
    Seeded,
    TestClient,
    billion_laughs_docx,
    make_docx,
    seed,
    xxe_docx,
    zip_bomb_docx,
)

from analyser.report import SCHEMA_PATH
from service.app import create_app
from service.config import Settings

LIMIT = 256 * 1024
MAX_WORDS = 3000


def wait_ready(client: TestClient, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "the service never became ready"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    return seed(str(tmp_path_factory.mktemp("svc") / "caseqa.db"))


@pytest.fixture(scope="module")
def client(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32, max_body_bytes=LIMIT, max_words=MAX_WORDS,
                        cookie_secure=True)
    # https base URL: the session cookie is Secure, so the client only sends it over https.
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        yield c


def is_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["detail"]
    return body


# ---- health, and who needs a key ---------------------------------------------------------------------


def test_health_checks_are_open_and_ready_once_the_pipeline_is_loaded(client):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json()["status"] == "ready"


@pytest.mark.parametrize("method,path", [
    ("POST", "/v1/analyse"), ("POST", "/v1/batches"), ("GET", "/v1/batches/abc"), ("GET", "/v1/records"),
    ("GET", "/v1/records/N-1"), ("GET", "/v1/rubric"), ("GET", "/metrics"), ("GET", "/v1/users"),
    ("POST", "/v1/users"), ("DELETE", "/v1/users/admin"),
])
def test_every_endpoint_but_the_health_checks_needs_a_key(client, method, path):
    r = client.request(method, path, json={"text": "x"} if method == "POST" else None)
    is_problem(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"
    bad = client.request(method, path, headers={"Authorization": "Bearer cqa_1_wrong"})
    assert "not valid" in is_problem(bad, 401)["detail"]


def test_a_removed_users_key_stops_working_at_once(client, seeded):
    admin = seeded.auth("admin")
    made = client.post("/v1/users", json={"name": "temp", "role": "auditor"}, headers=admin)
    assert made.status_code == 201
    key = {"Authorization": f"Bearer {made.json()['key']}"}
    assert client.get("/v1/rubric", headers=key).status_code == 200  # verified, now cached
    assert client.delete("/v1/users/temp", headers=admin).status_code == 204
    is_problem(client.get("/v1/rubric", headers=key), 401)


# ---- POST /v1/analyse --------------------------------------------------------------------------------


def test_analyse_json_returns_the_report_contract(client, seeded):
    r = client.post("/v1/analyse", json={"text": POOR_DRAFT, "child_age": 9, "date": "04/03/2024"},
                    headers=seeded.auth("sw_north"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    report = r.json()
    jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text()))
    assert report["meta"]["child_age"] == 9 and report["meta"]["date"] == "2024-03-04"
    assert report["findings"] and report["actions"]


@pytest.mark.parametrize("who", ["sw_north", "sup_north", "auditor", "admin"])
def test_every_role_may_check_a_draft(client, seeded, who):
    assert client.post("/v1/analyse", json={"text": GOOD_DRAFT}, headers=seeded.auth(who)).status_code == 200


def test_drafts_are_not_stored_unless_asked_then_filed_under_the_caller(client, seeded):
    sw = seeded.auth("sw_south")
    before = {r["record_id"] for r in client.get("/v1/records", headers=sw).json()["records"]}
    client.post("/v1/analyse", json={"text": GOOD_DRAFT}, headers=sw)
    assert {r["record_id"] for r in client.get("/v1/records", headers=sw).json()["records"]} == before
    saved = client.post("/v1/analyse", json={"text": GOOD_DRAFT, "store": True, "id": "S-draft"}, headers=sw).json()
    assert saved["id"] == "S-draft"
    row = client.get("/v1/records/S-draft", headers=sw).json()
    assert row["record"]["submitted_by"] == "sw_south" and row["record"]["team"] == "South"
    assert row["text"] is None  # the text only with store_text
    with_text = client.post("/v1/analyse", json={"text": GOOD_DRAFT + "\nMore.", "store": True, "store_text": True,
                                                 "id": "S-draft"}, headers=sw)
    detail = client.get("/v1/records/S-draft", headers=sw).json()
    assert with_text.status_code == 200 and detail["record"]["version"] == 2 and detail["text"].endswith("More.")


@pytest.mark.parametrize("body", [
    {"text": GOOD_DRAFT + "\x00"}, {"text": GOOD_DRAFT, "child_name": "Amira\x00"},
])
def test_a_nul_character_is_a_4xx_naming_it_not_a_500_even_when_stored(client, seeded, body):
    # PostgreSQL's text columns refuse NUL: storing one answered 500 (with the SQL in the log).
    for store in (False, True):
        r = client.post("/v1/analyse", json={**body, "store": store, "id": "S-nul"}, headers=seeded.auth("sw_south"))
        problem = is_problem(r, 422)
        assert "NUL" in problem["detail"] or "child_name" in str(problem)
    assert client.get("/v1/records/S-nul", headers=seeded.auth("sw_south")).status_code == 404


def test_a_stored_draft_cannot_take_over_someone_elses_record_id(client, seeded):
    r = client.post("/v1/analyse", json={"text": GOOD_DRAFT, "store": True, "id": "N-1"}, headers=seeded.auth("sw_south"))
    is_problem(r, 409)


def test_analyse_uploads_word_and_text_files(client, seeded):
    sw = seeded.auth("sw_north")
    docx = make_docx("CARE PLAN", "Jo Smith will visit you at home by 2 April 2025.", "We will keep in touch as needed.")
    r = client.post("/v1/analyse", files={"file": ("plan.docx", docx)}, data={"child_age": "10"}, headers=sw)
    assert r.status_code == 200 and r.json()["source"] == "plan.docx" and r.json()["meta"]["child_age"] == 10
    r = client.post("/v1/analyse", files={"file": ("plan.txt", POOR_DRAFT.encode("cp1252"))}, headers=sw)
    assert r.status_code == 200 and r.json()["actions"]


def test_analyse_html_fragment_has_the_text_highlighted_by_dimension(client, seeded):
    r = client.post("/v1/analyse", json={"text": POOR_DRAFT}, headers={**seeded.auth("sw_north"), "Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert re.search(r'<mark class="timebound_actions" title="[^"]+">', r.text)
    assert "Who</th>" in r.text and "What is missing" in r.text


@pytest.mark.parametrize("body,where", [
    ({"text": ""}, "text"),
    ({"text": "   \n  "}, None),
    ({"text": "Hi", "doc_type": "letter"}, "doc_type"),
    ({"text": "Hi", "date": "someday"}, "date"),
    ({"text": "Hi", "child_age": 99}, "child_age"),
    ({"text": "Hi", "colour": "red"}, "colour"),
    ({"nothing": True}, "text"),
])
def test_bad_json_bodies_are_422_with_the_field_named(client, seeded, body, where):
    problem = is_problem(client.post("/v1/analyse", json=body, headers=seeded.auth("sw_north")), 422)
    if where:
        assert where in problem["detail"]


def test_malformed_json_and_non_utf8_bytes_are_422(client, seeded):
    auth = {**seeded.auth("sw_north"), "Content-Type": "application/json"}
    is_problem(client.post("/v1/analyse", content=b'{"text": ', headers=auth), 422)
    is_problem(client.post("/v1/analyse", content=b'{"text": "caf\xe9 \xff\xfe"}', headers=auth), 422)


def test_other_media_types_are_415(client, seeded):
    r = client.post("/v1/analyse", content=b"text", headers={**seeded.auth("sw_north"), "Content-Type": "text/plain"})
    is_problem(r, 415)


@pytest.mark.parametrize("name,data,reason", [
    ("bomb.docx", zip_bomb_docx(), "suspicious compression"),
    ("lol.docx", billion_laughs_docx(), None),
    ("broken.docx", b"PK\x03\x04 not really a zip", "corrupt"),
    ("binary.txt", bytes(range(256)) * 40, None),
    ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "unsupported file type .doc"),
    ("empty.txt", b"", None),
])
def test_hostile_or_broken_files_get_a_clear_4xx_never_a_500(client, seeded, name, data, reason):
    r = client.post("/v1/analyse", files={"file": (name, data)}, headers=seeded.auth("sw_north"))
    if name == "lol.docx" and r.status_code == 200:  # entities are left unexpanded: the text stays small
        assert r.json()["meta"]["words"] < 100
        return
    problem = is_problem(r, 422)
    if reason:
        assert reason in problem["detail"]


def test_external_xml_entities_are_never_read(client, seeded, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    r = client.post("/v1/analyse", files={"file": ("xxe.docx", xxe_docx(secret.as_uri()))}, headers=seeded.auth("sw_north"))
    assert r.status_code in (200, 422) and "TOPSECRET" not in r.text


def test_multipart_without_file_or_text_is_422(client, seeded):
    is_problem(client.post("/v1/analyse", data={"child_age": "9"}, files={"x": ("a.txt", b"")},
                           headers=seeded.auth("sw_north")), 422)


# ---- limits -------------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_from_its_content_length(client, seeded):
    r = client.post("/v1/analyse", json={"text": "word " * (LIMIT // 4)}, headers=seeded.auth("sw_north"))
    assert "larger than" in is_problem(r, 413)["detail"]


def test_a_streamed_body_over_the_limit_is_413_while_counting(client, seeded):
    def chunks():
        yield b'{"text": "'
        for _ in range(LIMIT // 1000 + 2):
            yield b"word " * 200
        yield b'"}'
    r = client.post("/v1/analyse", content=chunks(), headers={**seeded.auth("sw_north"), "Content-Type": "application/json"})
    is_problem(r, 413)


def test_a_document_over_the_word_limit_is_413(client, seeded):
    r = client.post("/v1/analyse", json={"text": "Jo will visit. " * (MAX_WORDS // 3 + 10)}, headers=seeded.auth("sw_north"))
    assert f"{MAX_WORDS:,}" in is_problem(r, 413)["detail"]


def test_an_analysis_over_the_time_limit_is_504(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32, analysis_timeout=0.5)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        c.app.state.analyses.settings = settings.model_copy(update={"analysis_timeout": 0.001})
        r = c.post("/v1/analyse", json={"text": GOOD_DRAFT * 5}, headers=seeded.auth("sw_north"))
        assert "did not finish" in is_problem(r, 504)["detail"]


# ---- records and who sees them ----------------------------------------------------------------------


@pytest.mark.parametrize("who,expected", [
    ("sw_north", {"N-1"}),          # what they submitted
    ("sup_north", {"N-1", "N-2"}),  # their team
    ("sup_none", set()),            # a supervisor with no team sees nothing
    ("auditor", {"N-1", "N-2", "S-1"}),
    ("admin", {"N-1", "N-2", "S-1"}),
])
def test_records_list_only_what_the_role_may_see(client, seeded, who, expected):
    r = client.get("/v1/records", params={"date_to": "2025-12-31"}, headers=seeded.auth(who))
    assert {row["record_id"] for row in r.json()["records"]} & {"N-1", "N-2", "S-1"} == expected


def test_records_filter_by_worker_team_grade_and_date(client, seeded):
    aud = seeded.auth("auditor")

    def got(**params):  # among the seeded records (other tests store drafts too)
        rows = client.get("/v1/records", params=params, headers=aud).json()["records"]
        return {row["record_id"] for row in rows} & {"N-1", "N-2", "S-1"}

    assert got(worker="ann_north") == {"N-2"}
    assert got(team="South", date_to="2025-12-31") == {"S-1"}
    assert got(date_from="2025-02-01", date_to="2025-02-28") == {"S-1"}
    assert "N-1" in got(grade="inadequate") and "N-1" not in got(grade="good")
    # a supervisor asking for another team finds nothing, rather than their own team's records
    assert client.get("/v1/records", params={"team": "South"}, headers=seeded.auth("sup_north")).json()["records"] == []
    is_problem(client.get("/v1/records", params={"grade": "great"}, headers=aud), 422)
    is_problem(client.get("/v1/records", params={"limit": 0}, headers=aud), 422)


@pytest.mark.parametrize("who,record,status", [
    ("sw_north", "N-1", 200), ("sw_north", "N-2", 404), ("sw_north", "S-1", 404),
    ("sup_north", "N-2", 200), ("sup_north", "S-1", 404), ("sup_none", "N-1", 404),
    ("auditor", "S-1", 200), ("admin", "N-2", 200), ("auditor", "no-such-record", 404),
])
def test_a_record_not_visible_is_404_like_one_that_does_not_exist(client, seeded, who, record, status):
    r = client.get(f"/v1/records/{record}", headers=seeded.auth(who))
    if status == 404:
        assert is_problem(r, 404)["detail"] == "no such record (or it is not one you may see)"
    else:
        assert r.status_code == 200 and r.json()["report"]["id"] == record


def test_record_detail_has_the_full_report_and_the_text_only_when_stored(client, seeded):
    aud = seeded.auth("auditor")
    n1, n2 = client.get("/v1/records/N-1", headers=aud).json(), client.get("/v1/records/N-2", headers=aud).json()
    assert n1["text"] == POOR_DRAFT and n2["text"] is None
    assert n1["report"]["schema"] == "caseqa.report/3" and n1["versions"][0]["version"] == 1


# ---- rubric, metrics, users ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sw_north", "sup_north", "auditor", "admin"])
def test_rubric_is_readable_by_every_role(client, seeded, who):
    r = client.get("/v1/rubric", headers=seeded.auth(who)).json()
    assert r["version"] and set(r["weights"]) == {"timebound_actions", "child_directed_language", "readability", "plan_detail"}
    assert "ongoing" in r["lexicons"]["vague_timescales"]


def test_metrics_count_requests_by_route_template_and_analyses(client, seeded):
    client.get("/v1/records/N-1", headers=seeded.auth("auditor"))
    text = client.get("/metrics", headers=seeded.auth("sw_north")).text
    assert 'route="/v1/records/{record_id:path}"' in text and "N-1" not in text
    assert re.search(r'caseqa_analyses_total\{outcome="ok"\} [1-9]', text)
    assert "caseqa_analysis_seconds_bucket" in text and "caseqa_ready 1.0" in text


@pytest.mark.parametrize("who", ["sw_north", "sup_north", "auditor"])
def test_only_admins_manage_users(client, seeded, who):
    auth = seeded.auth(who)
    is_problem(client.get("/v1/users", headers=auth), 403)
    is_problem(client.post("/v1/users", json={"name": "x", "role": "admin"}, headers=auth), 403)
    is_problem(client.delete("/v1/users/sw_north", headers=auth), 403)


def test_admins_list_add_and_remove_users_and_keys_are_never_listed(client, seeded):
    admin = seeded.auth("admin")
    listed = client.get("/v1/users", headers=admin).json()
    assert {"sw_north", "admin"} <= {u["name"] for u in listed} and all("key" not in u for u in listed)
    made = client.post("/v1/users", json={"name": "newbie", "role": "social_worker", "team": "North"}, headers=admin)
    assert made.status_code == 201 and made.json()["key"].startswith("cqa_")
    is_problem(client.post("/v1/users", json={"name": "newbie", "role": "admin"}, headers=admin), 409)
    is_problem(client.post("/v1/users", json={"name": "x", "role": "boss"}, headers=admin), 422)
    assert client.delete("/v1/users/newbie", headers=admin).status_code == 204
    is_problem(client.delete("/v1/users/newbie", headers=admin), 404)


# ---- batches ----------------------------------------------------------------------------------------


def wait_batch(client, auth, batch_id: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status = client.get(f"/v1/batches/{batch_id}", headers=auth).json()
        if status["status"] in ("done", "failed"):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.2)


def test_social_workers_cannot_start_batches(client, seeded):
    r = client.post("/v1/batches", files=[("files", ("a.txt", GOOD_DRAFT.encode()))], headers=seeded.auth("sw_north"))
    is_problem(r, 403)


def test_a_supervisors_upload_batch_runs_in_the_background_into_their_team(client, seeded):
    sup = seeded.auth("sup_north")
    files = [("files", ("B-1.txt", POOR_DRAFT.encode())), ("files", ("B-2.docx", make_docx(*GOOD_DRAFT.splitlines()))),
             ("files", ("broken.pdf", b"%PDF-1.4 nonsense"))]
    r = client.post("/v1/batches", files=files, data={"worker": "ann_north", "team": "South"}, headers=sup)
    assert r.status_code == 202 and r.headers["location"] == f"/v1/batches/{r.json()['id']}"
    status = wait_batch(client, sup, r.json()["id"])
    assert (status["status"], status["total"], status["done"], status["scored"], status["failed"]) == ("done", 3, 3, 2, 1)
    assert status["run_id"] and status["failures"][0]["source"] == "broken.pdf"
    b1 = client.get("/v1/records/B-1", headers=sup).json()["record"]
    assert (b1["team"], b1["worker"], b1["submitted_by"]) == ("North", "ann_north", "sup_north")  # team forced
    # someone else's batch is not found; an auditor may follow any batch
    is_problem(client.get(f"/v1/batches/{status['id']}", headers=seeded.auth("sw_north")), 404)
    assert client.get(f"/v1/batches/{status['id']}", headers=seeded.auth("auditor")).status_code == 200


def test_a_batch_of_stored_records_rescores_those_with_text_and_fails_the_rest(client, seeded):
    aud = seeded.auth("auditor")
    r = client.post("/v1/batches", json={"record_ids": ["N-1", "N-2", "nope"]}, headers=aud)
    status = wait_batch(client, aud, r.json()["id"])
    reasons = {f["source"]: f["reason"] for f in status["failures"]}
    assert status["total"] == 3 and status["failed"] == 2
    assert "text was not stored" in reasons["N-2"] and "no such record" in reasons["nope"]


def test_a_supervisor_cannot_rescore_another_teams_records(client, seeded):
    sup = seeded.auth("sup_north")
    status = wait_batch(client, sup, client.post("/v1/batches", json={"record_ids": ["S-1"]}, headers=sup).json()["id"])
    assert status["failed"] == 1 and "no such record" in status["failures"][0]["reason"]


def test_bad_batch_requests_are_4xx(client, seeded):
    aud = seeded.auth("auditor")
    is_problem(client.post("/v1/batches", json={"record_ids": []}, headers=aud), 422)
    is_problem(client.post("/v1/batches", data={"worker": "x"}, files={"other": ("a.txt", b"x")}, headers=aud), 422)
    is_problem(client.get("/v1/batches/unknown", headers=aud), 404)


# ---- the session cookie and CSRF ------------------------------------------------------------------------


def sign_in(client: TestClient, key: str) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"key": key, "csrf": token, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def test_a_signed_in_page_may_call_the_api_but_changes_need_the_csrf_token(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        token = sign_in(c, seeded.keys["sw_north"])
        assert c.get("/v1/records").status_code == 200  # reads need no token
        is_problem(c.post("/v1/analyse", json={"text": GOOD_DRAFT}), 403)
        is_problem(c.post("/v1/analyse", json={"text": GOOD_DRAFT}, headers={"X-CSRF-Token": "forged"}), 403)
        assert c.post("/v1/analyse", json={"text": GOOD_DRAFT}, headers={"X-CSRF-Token": token}).status_code == 200


def test_login_rejects_a_wrong_key_and_never_redirects_off_site(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
        assert c.post("/login", data={"key": "cqa_1_nope", "csrf": token}).status_code == 401
        r = c.post("/login", data={"key": seeded.keys["auditor"], "csrf": token, "next": "//evil.example/x"},
                   follow_redirects=False)
        assert r.headers["location"] == "/"


def test_pages_redirect_to_sign_in_and_the_dashboard_is_not_for_social_workers(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        r = c.get("/dashboard", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/dashboard"
        sign_in(c, seeded.keys["sw_north"])
        assert c.get("/dashboard").status_code == 403
        assert c.get("/records/N-2").status_code == 404  # another worker's record
        assert "<mark" in c.get("/records/N-1").text


def test_the_dashboard_shows_the_teams_records_a_chart_and_worker_links(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        sign_in(c, seeded.keys["sup_north"])
        page = c.get("/dashboard").text
        assert "N-1" in page and "N-2" in page and "S-1" not in page
        assert "<svg" in page and "/workers/sw_north" in page
        assert "S-1" not in c.get("/dashboard", params={"team": "South"}).text  # the team is not theirs to pick
        assert "Supervision record (Word)" in c.get("/workers/sw_north").text


# ---- no record text in logs or errors ------------------------------------------------------------------


def test_record_text_never_reaches_logs_or_error_responses(seeded, caplog, monkeypatch):
    import analyser

    caplog.set_level(logging.DEBUG)
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    secret_text = f"{SENTINEL} will visit you by 2 April 2025. " * 3
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        auth = seeded.auth("sw_north")
        c.post("/v1/analyse", json={"text": secret_text}, headers=auth)
        bad = c.post("/v1/analyse", json={"text": secret_text, "child_age": "old"}, headers=auth)
        assert bad.status_code == 422 and SENTINEL not in bad.text
        bad = c.post("/v1/analyse", json={"text": secret_text, "extra": SENTINEL}, headers=auth)
        assert bad.status_code == 422 and SENTINEL not in bad.text

        def boom(*args, **kwargs):
            raise ValueError(f"could not parse {secret_text}")

        monkeypatch.setattr(analyser, "analyse_document", boom)  # service.worker.run_job calls it (thread mode)
        r = c.post("/v1/analyse", json={"text": secret_text}, headers=auth)
        assert is_problem(r, 500) and SENTINEL not in r.text
    assert "ValueError" in caplog.text and SENTINEL not in caplog.text


def test_no_page_or_asset_loads_anything_from_another_site():
    web = Path(__file__).resolve().parent.parent / "service" / "web"
    for path in list(web.rglob("*.html")) + list(web.rglob("*.js")) + list(web.rglob("*.css")):
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", path.read_text()), path


def test_api_docs_are_served_without_a_cdn(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        sign_in(client, seeded.keys["sw_north"])
        page = client.get("/docs")
        assert page.status_code == 200 and "http" not in page.text
        assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
        schema = client.get("/openapi.json").json()
    assert schema["paths"]["/v1/analyse"]["post"]["requestBody"]["content"].keys() == {
        "application/json", "multipart/form-data"}


def test_a_draft_with_dimensions_not_scored_answers_null_scores_and_renders(client, seeded):
    # Issue 14: "The child is fine. No concerns." under two headings was graded good (84) through the API.
    sw = seeded.auth("sw_north")
    thin = client.post("/v1/analyse", json={"text": "Summary\nThe child is fine.\n\nPlan\nNo concerns.\n"}, headers=sw)
    assert thin.status_code == 200 and thin.json()["overall"]["grade"] == "inadequate"
    from test_scoring import VISIT

    r = client.post("/v1/analyse", json={"text": VISIT, "store": True, "id": "N-visit"}, headers=sw)
    report = r.json()
    jsonschema.validate(report, json.loads(SCHEMA_PATH.read_text()))
    assert report["dimensions"]["plan_detail"]["score"] is None and report["dimensions"]["plan_detail"]["applies"] is False
    row = client.get("/v1/records/N-visit", headers=sw).json()["record"]
    assert row["scores"]["plan_detail"] is None and row["scores"]["readability"] is not None
    listed = {x["record_id"]: x for x in client.get("/v1/records", headers=sw).json()["records"]}
    assert listed["N-visit"]["scores"]["timebound_actions"] is None
    html = client.post("/v1/analyse", json={"text": VISIT}, headers={**sw, "Accept": "text/html"})
    assert html.status_code == 200 and "not scored" in html.text


def test_worker_means_leave_out_records_a_dimension_was_not_scored_on():
    from datetime import UTC, datetime

    from analyser.report import DIMENSIONS
    from analyser.store import RecordRow
    from service.web.routes import _worker_rows

    def row(rid: str, plan: float | None) -> RecordRow:
        scores = dict.fromkeys(DIMENSIONS, 50.0)
        scores["plan_detail"] = plan
        return RecordRow(record_id=rid, version=1, content_hash="h", run_id=1, source=None, worker="Jo", team="N",
                         supervisor=None, child_id=None, child_name=None, doc_type="other", date=None,
                         overall_score=50.0, grade="requires_improvement", scores=scores, actions=0,
                         actions_not_timebound=0, findings=0, submitted_by=None, scored_at=datetime.now(UTC),
                         rubric_version="r", dob=None)

    (jo,) = _worker_rows([row("a", 80.0), row("b", None)])
    assert jo["dimensions"]["plan_detail"] == 80.0
    (nobody,) = _worker_rows([row("c", None)])
    assert nobody["dimensions"]["plan_detail"] is None
