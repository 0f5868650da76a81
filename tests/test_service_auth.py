"""Sign-in hardening (issue 13, items 4-6): server-side sessions, failed keys, malformed keys, the schema."""

from __future__ import annotations

import re

import pytest
from service_support import Seeded, TestClient, seed
from test_service_api import is_problem, sign_in, wait_ready

from analyser.store import Store
from service.app import create_app
from service.config import Settings


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    return seed(str(tmp_path_factory.mktemp("auth") / "caseqa.db"))


@pytest.fixture
def client(seeded):
    settings = Settings(db=seeded.db, session_secret="s" * 32, auth_failure_limit=3)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        yield c


def _csrf(client) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


# ---- item 4: sessions end on the server -----------------------------------------------------------------


def test_signing_out_ends_the_session_even_for_a_copied_cookie(client, seeded):
    sign_in(client, seeded.keys["auditor"])
    copied = dict(client.cookies)
    assert client.get("/v1/records").status_code == 200
    r = client.post("/logout", data={"csrf": _csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.clear()
    client.cookies.update(copied)  # the cookie from before signing out, replayed
    is_problem(client.get("/v1/records"), 401)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_new_key_ends_the_old_key_and_every_session(client, seeded):
    admin = seeded.auth("admin")
    made = client.post("/v1/users", json={"name": "rotor", "role": "auditor"}, headers=admin).json()
    old = {"Authorization": f"Bearer {made['key']}"}
    assert client.get("/v1/rubric", headers=old).status_code == 200  # verified, now cached
    with TestClient(client.app, base_url="https://testserver") as browser:
        sign_in(browser, made["key"])
        assert browser.get("/v1/records").status_code == 200
        new = client.post("/v1/users/rotor/key", headers=admin)
        assert new.status_code == 200 and new.json()["key"] != made["key"]
        is_problem(browser.get("/v1/records"), 401)
    is_problem(client.get("/v1/rubric", headers=old), 401)
    assert client.get("/v1/rubric", headers={"Authorization": f"Bearer {new.json()['key']}"}).status_code == 200
    is_problem(client.post("/v1/users/nobody/key", headers=admin), 404)


def test_removing_a_user_ends_their_sessions(client, seeded):
    admin = seeded.auth("admin")
    made = client.post("/v1/users", json={"name": "leaver", "role": "auditor"}, headers=admin).json()
    with TestClient(client.app, base_url="https://testserver") as browser:
        sign_in(browser, made["key"])
        assert client.delete("/v1/users/leaver", headers=admin).status_code == 204
        is_problem(browser.get("/v1/records"), 401)
    with Store(seeded.db) as store:
        assert store.end_sessions(made["id"]) == 0  # nothing was left behind


# ---- item 5: failed keys are cheap to refuse and limited per client ---------------------------------------


def test_an_unknown_user_id_costs_one_argon2_check_like_a_known_one(seeded, monkeypatch):
    from argon2 import PasswordHasher

    calls: list[str] = []
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: calls.append(p) or real(self, h, p))
    with Store(seeded.db) as store:
        assert store.authenticate("cqa_1_" + "a" * 43) is None  # known id, wrong secret
        assert store.authenticate("cqa_987654_" + "a" * 43) is None  # unknown id
        assert len(calls) == 2
        for malformed in ("cqa_1_wrong", "nonsense", "cqa_x_" + "a" * 43, "cqa_1_" + "a" * 43 + "!", ""):
            assert store.authenticate(malformed) is None
        assert len(calls) == 2  # the format check refused these without argon2


def test_too_many_failed_keys_from_one_client_get_429(client, seeded):
    for _ in range(3):
        is_problem(client.get("/v1/rubric", headers={"Authorization": "Bearer cqa_1_" + "b" * 43}), 401)
    r = client.get("/v1/rubric", headers={"Authorization": "Bearer cqa_1_" + "b" * 43})
    assert "too many failed keys" in is_problem(r, 429)["detail"] and int(r.headers["retry-after"]) >= 1
    # The sign-in form is limited by the same count.
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    is_problem(client.post("/login", data={"key": "cqa_1_nope", "csrf": token}), 429)


# ---- item 6: malformed keys and the schema ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["cqa_99999999999999999999999_x", "cqa_" + "9" * 150 + "_" + "a" * 43,
                                 "cqa_99999999999999999_" + "a" * 43])
def test_a_key_with_a_huge_id_is_401_not_500(client, key):
    is_problem(client.get("/v1/records", headers={"Authorization": f"Bearer {key}"}), 401)


def test_the_sign_in_form_with_a_huge_id_says_not_recognised(client):
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"key": "9" * 150, "csrf": token})
    assert r.status_code == 401 and "not recognised" in r.text
    r = client.post("/login", data={"key": "cqa_" + "9" * 150 + "_x", "csrf": token})
    assert r.status_code == 401 and "not recognised" in r.text


def test_the_schema_and_the_docs_need_a_signed_in_caller(client, seeded):
    is_problem(client.get("/openapi.json"), 401)
    assert client.get("/docs", follow_redirects=False).status_code == 303
    assert client.get("/openapi.json", headers=seeded.auth("sw_north")).json()["paths"]
    sign_in(client, seeded.keys["sw_north"])
    assert client.get("/docs").status_code == 200 and client.get("/openapi.json").status_code == 200


# ---- item 16: the access log names route templates, never paths or queries ---------------------------------


def test_the_access_log_names_route_templates_not_childrens_names(client, seeded, caplog):
    import logging

    with caplog.at_level(logging.INFO):
        client.get("/v1/children/Zebulonquist Khan/timeline", params={"dob": "2015-03-12"}, headers=seeded.auth("auditor"))
        client.get("/v1/records/Zebulonquist-1", headers=seeded.auth("auditor"))
    access = [r.getMessage() for r in caplog.records if r.name == "caseqa.access"]
    assert any("/v1/children/{child_key}/timeline" in line for line in access)
    server = [r for r in caplog.records if r.name != "httpx"]  # httpx is the test's own client
    assert all("Zebulonquist" not in r.getMessage() and "2015-03-12" not in r.getMessage() for r in server)


def test_serve_turns_uvicorns_path_logging_off(monkeypatch, tmp_path):
    import uvicorn
    from typer.testing import CliRunner

    from cli import app as cli_app

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.update(k))
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert seen["access_log"] is False
