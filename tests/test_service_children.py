"""A child's timeline (service/api/children.py, the /children pages): children are addressed by an opaque
key, found by a child id or a name and date of birth sent in a body, never in a URL (issue 13, item 16);
who may see a child's history; its shape."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from urllib.parse import unquote

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
AMIRA = {"name": "Amira Khan", "dob": "2015-03-12"}
# Nothing that names the seeded children may appear in a URL: their ids, names and birthdays, as typed
# or as a URL may spell them.
IDENTIFYING = ("CH-A", "CH-B", "Amira", "Khan", "2015-03-12", "12/03/2015", "11/06/2014", "2014-06-11")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    """The service seed, plus child CH-A (two reviews by sw_north, North) and CH-B (one North, one South),
    and Amira Khan, born 12 March 2015, with no child id: one review in North (N-AK-1) and one in South
    (S-AK-2), linked by name and date of birth within each team."""
    s = seed(str(tmp_path_factory.mktemp("children") / "caseqa.db"))
    with Store(s.db) as store:
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        for rid, text, child, worker, team in (
            ("A-1", FIRST, "CH-A", "sw_north", "North"), ("A-2", SECOND, "CH-A", "sw_north", "North"),
            ("B-1", GOOD_DRAFT, "CH-B", "sw_north", "North"), ("B-2", GOOD_DRAFT, "CH-B", "sw_south", "South"),
            ("N-AK-1", FIRST, None, "sw_north", "North"), ("S-AK-2", SECOND, None, "sw_south", "South"),
        ):
            fields = {"worker": worker, "team": team, **({"child_id": child} if child else {})}
            store.save_result(run, analyse(text, id=rid), content_hash=content_hash(text, {"id": rid}),
                              fields=fields, submitted_by=worker, history=history_facts(text))
        store.finish_run(run, scored=6, skipped=0, failed=0)
    return s


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        yield c


def lookup(client, seeded, who: str, **body: str):
    return client.post("/v1/children/lookup", json=body, headers=seeded.auth(who))


def key_of(client, seeded, who: str, **body: str) -> str:
    r = lookup(client, seeded, who, **body)
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["timeline"] == PATH.format(found["child_key"]) and found["page"] == f"/children/{found['child_key']}"
    return found["child_key"]


def timeline(client, seeded, who: str, **body: str) -> dict:
    r = client.get(PATH.format(key_of(client, seeded, who, **body)), headers=seeded.auth(who))
    assert r.status_code == 200, r.text
    return r.json()


def test_timeline_lists_records_in_date_order_with_drift_findings_naming_their_record(client, seeded):
    body = timeline(client, seeded, "auditor", child_id="CH-A")
    assert body["child_id"] == "CH-A" and body["linked_by"] == "child_id" and body["child_key"]
    assert [rec["id"] for rec in body["records"]] == ["A-1", "A-2"]
    assert set(body["records"][0]) == {"id", "date", "doc_type", "grade", "overall_score"}
    assert body["findings"] and all(f["record_id"] == "A-2" and f["code"] and f["message"] for f in body["findings"])


def test_a_child_keeps_one_random_key_and_a_records_detail_carries_it(client, seeded):
    key = key_of(client, seeded, "auditor", child_id="CH-A")
    assert key == key_of(client, seeded, "sup_north", child_id="CH-A")
    # Random, and not made from the child id ("CH-A"): a random key holds "CH" by chance about 1 time in 200.
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,40}", key) and "CH-A" not in key
    assert client.get("/v1/records/A-2", headers=seeded.auth("sw_north")).json()["child_key"] == key
    assert client.get("/v1/records/N-1", headers=seeded.auth("sw_north")).json()["child_key"] is None  # not linked


@pytest.mark.parametrize("who,child", [
    ("sw_north", "CH-A"), ("sup_north", "CH-A"), ("sup_north", "CH-B"), ("admin", "CH-B"),
])
def test_who_may_see_a_childs_timeline(client, seeded, who, child):
    assert timeline(client, seeded, who, child_id=child)["records"]


def test_a_social_worker_who_did_not_submit_every_record_is_refused(client, seeded):
    is_problem(lookup(client, seeded, "sw_north", child_id="CH-B"), 403)
    key = key_of(client, seeded, "admin", child_id="CH-B")
    is_problem(client.get(PATH.format(key), headers=seeded.auth("sw_north")), 403)


@pytest.mark.parametrize("who,child", [("sw_south", "CH-A"), ("sup_none", "CH-A"), ("auditor", "CH-none")])
def test_a_child_with_no_records_you_may_see_is_not_found(client, seeded, who, child):
    is_problem(lookup(client, seeded, who, child_id=child), 404)
    if child != "CH-none":
        key = key_of(client, seeded, "auditor", child_id=child)
        is_problem(client.get(PATH.format(key), headers=seeded.auth(who)), 404)


def test_an_unknown_key_is_not_found_and_a_child_id_in_the_path_is_not_a_key(client, seeded):
    is_problem(client.get(PATH.format("CH-A"), headers=seeded.auth("auditor")), 404)
    is_problem(client.get(PATH.format("x" * 41), headers=seeded.auth("auditor")), 404)


@pytest.mark.parametrize("body", [
    {"name": "Amira Khan", "dob": "12/13/2015"},  # not a date
    {"name": "Amira Khan"},  # never by name alone
    {"dob": "2015-03-12"},
    {"child_id": "CH-A", "name": "Amira Khan", "dob": "2015-03-12"},  # one way or the other
    {},
    {"child_id": "CH-A", "team": "South"},
])
def test_a_lookup_needs_a_child_id_or_a_name_and_a_real_date_of_birth(client, seeded, body):
    is_problem(lookup(client, seeded, "auditor", **body), 422)


# ---- by name and date of birth: in a body, and within the caller's team ---------------------------------


def test_a_name_and_dob_lookup_finds_only_the_callers_teams_records(client, seeded):
    assert [r["id"] for r in timeline(client, seeded, "sup_north", **AMIRA)["records"]] == ["N-AK-1"]
    assert [r["id"] for r in timeline(client, seeded, "sw_south", **AMIRA)["records"]] == ["S-AK-2"]
    every = timeline(client, seeded, "auditor", **AMIRA)
    assert [r["id"] for r in every["records"]] == ["N-AK-1", "S-AK-2"]
    assert every["linked_by"] == "name+dob" and every["child_id"] is None
    # The same child whichever way the birthday is written.
    assert key_of(client, seeded, "sup_north", name="KHAN, Amira", dob="12/03/2015") == key_of(
        client, seeded, "sup_north", **AMIRA)


def test_another_teams_or_every_teams_name_and_dob_key_shows_a_supervisor_nothing(client, seeded):
    south = key_of(client, seeded, "sw_south", **AMIRA)
    every = key_of(client, seeded, "auditor", **AMIRA)
    north = key_of(client, seeded, "sup_north", **AMIRA)
    assert len({south, every, north}) == 3
    for key in (south, every):
        for who in ("sup_north", "sw_north", "sup_none"):
            is_problem(client.get(PATH.format(key), headers=seeded.auth(who)), 404)
    is_problem(client.get(PATH.format(north), headers=seeded.auth("sw_south")), 404)
    is_problem(lookup(client, seeded, "sup_none", **AMIRA), 404)  # no team: no name-and-birthday search
    is_problem(lookup(client, seeded, "sup_north", name="Amira Khan", dob="2014-06-11"), 404)  # another birthday


def test_a_name_and_dob_records_detail_links_its_teams_timeline(client, seeded):
    key = client.get("/v1/records/N-AK-1", headers=seeded.auth("sup_north")).json()["child_key"]
    assert key == key_of(client, seeded, "sup_north", **AMIRA)


# ---- nothing that names a child in a URL --------------------------------------------------------------------


def test_the_api_documents_no_url_that_carries_a_childs_id_name_or_birthday(client, seeded):
    schema = client.get("/openapi.json", headers=seeded.auth("auditor")).json()
    params = [(path, p["in"], p["name"]) for path, ops in schema["paths"].items() for op in ops.values()
              for p in op.get("parameters", []) if p["in"] in ("path", "query")]
    assert params  # the scan reads something
    for path, where, name in params:
        assert not re.search(r"dob|birth|child_(id|name)|full_name", name), (path, where, name)
        assert name != "name" or path.startswith("/v1/users/"), (path, where, name)  # users' names only
        if path.startswith("/v1/children"):
            assert (where, name) == ("path", "child_key"), (path, where, name)
    children = [p for p in schema["paths"] if p.startswith("/v1/children")]
    assert sorted(children) == ["/v1/children/lookup", "/v1/children/{child_key}/timeline"]
    assert set(schema["paths"]["/v1/children/lookup"]) == {"post"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("href", "action", "src", "formaction") and v]


def _urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def test_no_page_links_to_a_url_with_a_childs_id_name_or_birthday(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        csrf = sign_in(c, seeded.keys["auditor"])
        seen: set[str] = set()
        queue = ["/", "/my-records", "/dashboard", "/children", "/workers/sw_north", "/workers/sw_south",
                 *(f"/records/{rid}" for rid in ("A-1", "A-2", "B-1", "B-2", "N-AK-1", "S-AK-2", "N-1"))]
        pages: dict[str, str] = {}
        while queue:  # every page the seeded pages link to, breadth first
            url = queue.pop(0)
            if url in seen or not url.startswith("/") or url.startswith(("/static", "/v1/", "/docs", "/logout")):
                continue
            seen.add(url)
            r = c.get(url)
            assert r.status_code == 200, url
            pages[url] = r.text
            queue += [u.split("#")[0] for u in _urls(r.text) if u.split("#")[0]]
        # The timelines are reached through the record pages' links; the form answers with a key too.
        timelines = [u for u in seen if re.fullmatch(r"/children/[A-Za-z0-9_-]{20,40}", u)]
        assert len(timelines) >= 3, sorted(seen)  # CH-A, CH-B and Amira in each team
        posted = c.post("/children", data={"csrf": csrf, **AMIRA}, follow_redirects=False)
        assert posted.status_code == 303 and re.fullmatch(r"/children/[A-Za-z0-9_-]{20,40}", posted.headers["location"])
        assert c.get(posted.headers["location"]).status_code == 200  # every team's Amira: the auditor's own key
        every_url = [*seen, posted.headers["location"], *(u for html in pages.values() for u in _urls(html))]
        for url in every_url:
            leaked = [s for s in IDENTIFYING if s.lower() in unquote(url).lower()]
            assert not leaked, f"{url} carries {leaked}"


def test_the_timeline_page_lists_records_and_their_drift_and_the_record_page_links_to_it(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        sign_in(c, seeded.keys["sup_north"])
        key = c.get("/v1/records/A-2").json()["child_key"]
        assert f'href="/children/{key}"' in c.get("/records/A-2").text
        page = c.get(f"/children/{key}")
        assert page.status_code == 200
        assert 'href="/records/A-1"' in page.text and 'href="/records/A-2"' in page.text and "child CH-A" in page.text
        codes = {f["code"] for f in c.get(PATH.format(key)).json()["findings"]}
        assert codes and all(f"<code>{code}</code>" in page.text for code in codes)
        assert c.get("/children/CH-A").status_code == 404


def test_the_find_a_child_form_posts_and_redirects_to_the_key_within_the_team(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        csrf = sign_in(c, seeded.keys["sup_north"])
        form = c.get("/children")
        assert form.status_code == 200 and 'method="post" action="/children"' in form.text
        r = c.post("/children", data={"csrf": csrf, "name": "Amira Khan", "dob": "12/03/2015"}, follow_redirects=False)
        assert r.status_code == 303
        page = c.get(r.headers["location"])
        assert 'href="/records/N-AK-1"' in page.text and "S-AK-2" not in page.text
        assert "linked by name and date of birth" in page.text
        r = c.post("/children", data={"csrf": csrf, "child_id": "CH-A"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/children/{c.get('/v1/records/A-1').json()['child_key']}"
        # South's own child by id, a name alone, a bad date, no CSRF token: the form again, with why.
        assert c.post("/children", data={"csrf": csrf, "child_id": "CH-none"}).status_code == 404
        again = c.post("/children", data={"csrf": csrf, "name": "Amira Khan"})
        assert again.status_code == 422 and 'role="alert"' in again.text and 'value="Amira Khan"' in again.text
        assert c.post("/children", data={"csrf": csrf, **AMIRA, "dob": "12/13/2015"}).status_code == 422
        assert c.post("/children", data=AMIRA, follow_redirects=False).status_code == 403
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        csrf = sign_in(c, seeded.keys["sw_south"])
        r = c.post("/children", data={"csrf": csrf, **AMIRA}, follow_redirects=False)
        page = c.get(r.headers["location"])
        assert 'href="/records/S-AK-2"' in page.text and "N-AK-1" not in page.text


def test_the_access_log_names_the_route_templates_only(client, seeded, caplog):
    with caplog.at_level(logging.INFO):
        key = key_of(client, seeded, "auditor", **AMIRA)
        client.get(PATH.format(key), headers=seeded.auth("auditor"))
        client.get("/v1/children/Amira Khan/timeline", params={"dob": "2015-03-12"}, headers=seeded.auth("auditor"))
        c = TestClient(client.app, base_url="https://testserver")
        csrf = sign_in(c, seeded.keys["auditor"])
        c.post("/children", data={"csrf": csrf, **AMIRA}, follow_redirects=False)
        c.get(f"/children/{key}")
    access = [r.getMessage() for r in caplog.records if r.name == "caseqa.access"]
    routes = [re.fullmatch(r"(GET|POST) (\S+) \d{3} \d+ ms", line) for line in access]
    assert all(routes), access
    assert {m.group(2) for m in routes if m} >= {
        "/v1/children/lookup", "/v1/children/{child_key}/timeline", "/children", "/children/{child_key}"}
    server = [r.getMessage() for r in caplog.records if r.name != "httpx"]  # httpx is the test's own client
    assert not [line for line in server for s in ("Amira", "Khan", "2015-03-12", key) if s in line]


def test_lookups_that_find_nothing_are_limited_per_user(seeded):
    """Guessing names and birthdays to learn which children are in the store: after the limit of misses,
    429 with Retry-After, even for a lookup that would succeed; other users are not affected."""
    settings = Settings(db=seeded.db, session_secret="s" * 32, lookup_miss_limit=3)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        wait_ready(c)
        for day in range(1, 4):
            is_problem(lookup(c, seeded, "sup_north", name="Amira Khan", dob=f"2015-03-0{day}"), 404)
        r = lookup(c, seeded, "sup_north", **AMIRA)
        is_problem(r, 429)
        assert int(r.headers["Retry-After"]) >= 1
        assert key_of(c, seeded, "sw_north", **AMIRA)  # a miss of one user does not limit another
        # The page's form is limited the same way.
        csrf = sign_in(c, seeded.keys["sup_north"])
        r = c.post("/children", data={"csrf": csrf, **AMIRA}, follow_redirects=False)
        assert r.status_code == 429 and "too many lookups" in r.text
