"""Every route x role x team (issue 13): generated from the OpenAPI schema and the page routes.

Each route is called by team-limited principals (social workers and supervisors of North, and a
supervisor with no team) with its path parameters pointing at South's record, worker, child and batch
(a child by each of its keys: South's child id, South's name-and-birthday link and every team's), its
list filters asking for South, and its bodies naming South's child. Nothing of South's may come back, and nothing of South's may
change. Auditors and admins (who see every team by design) must see the same targets: proof that the
probes aim at real data.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from service_support import GOOD_DRAFT, Seeded, TestClient, seed
from test_drift import FIRST
from test_service_api import sign_in, wait_batch, wait_ready

from analyser import analyse
from analyser.batch import content_hash
from analyser.drift import child_link, history_facts
from analyser.store import Store
from service.app import create_app
from service.config import Settings

SOUTH = {"record_id": "S-1", "worker": "sw_south", "name": "sw_south", "child_id": "CH-S"}
# What must never appear in an answer to a North principal (South's record ids, worker and child).
SENTINELS = ("S-1", "S-CH-1", "S-AK-1", "sw_south", "CH-S")
TEAM_LIMITED = ("sw_north", "sup_north", "sup_none")
AMIRA = {"name": "Amira Khan", "dob": "2015-03-12"}  # South's S-AK-1, linked by name and date of birth
BODIES = {
    "/v1/analyse": [{"json": {"text": GOOD_DRAFT + "\nProbe.", "id": "S-1", "store": True}}],
    "/v1/batches": [{"json": {"record_ids": ["S-1", "S-CH-1", "S-AK-1"]}}],
    "/v1/users": [{"json": {"name": "intruder", "role": "admin"}}],
    "/v1/children/lookup": [{"json": {"child_id": "CH-S"}}, {"json": AMIRA}],
}
PAGE_FORMS = {"/children": [{"child_id": "CH-S"}, AMIRA]}  # sent with the session's CSRF token
UPLOAD = {"files": [("files", ("S-1.txt", GOOD_DRAFT.encode()))], "data": {"worker": "sw_south"}}
QUERIES = {"worker": "sw_south", "team": "South"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    s = seed(str(tmp_path_factory.mktemp("matrix") / "caseqa.db"))
    with Store(s.db) as store:
        _, key = store.add_user("sup_south", "supervisor", "South")
        s.keys["sup_south"] = key
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        for rid, text, child in (("S-CH-1", GOOD_DRAFT, "CH-S"), ("S-AK-1", FIRST, None)):
            fields = {"worker": "sw_south", "team": "South", **({"child_id": child} if child else {})}
            store.save_result(run, analyse(text, id=rid), content_hash=content_hash(text, {"id": rid}), fields=fields,
                              submitted_by="sw_south", history=history_facts(text))
        store.finish_run(run, scored=2, skipped=0, failed=0)
    return s


@pytest.fixture(scope="module")
def south_keys(seeded) -> dict[str, str]:
    """South's child by each key a URL may carry: the child id's, the name-and-birthday link's within
    South, and the name-and-birthday link's across every team (an auditor's lookup)."""
    with Store(seeded.db) as store:
        return {"child_id": store.child_key(child_link("CH-S")),
                "name+dob": store.child_key(child_link(AMIRA["name"], dob=AMIRA["dob"], team="South")),
                "every team": store.child_key(child_link(AMIRA["name"], dob=AMIRA["dob"]))}


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="s" * 32)), base_url="https://testserver") as c:
        wait_ready(c)
        # South's own batch and supervision: targets for the batch route, and loop data that must not leak.
        south = seeded.auth("sup_south")
        batch = c.post("/v1/batches", json={"record_ids": ["S-1"]}, headers=south).json()["id"]
        wait_batch(c, south, batch)
        assert c.post("/v1/workers/sw_south/supervision", params={"date": "2025-04-01"}, headers=south).status_code == 201
        c.south_batch = batch  # type: ignore[attr-defined]
        yield c


def _routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every API operation in the schema and every page route."""
    from service.web.routes import router as pages

    found = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    for route in [*app.routes, *pages.routes]:
        if isinstance(route, APIRoute) and not route.include_in_schema and route.path not in ("/login", "/logout"):
            found |= {(m, route.path) for m in route.methods if m != "HEAD"}
    return sorted(found)


def _fills(path: str, batch: str, keys: dict[str, str]) -> list[str]:
    """The path with South's values in its parameters: one path for each of South's child keys."""
    values = {**SOUTH, "batch_id": batch}
    children = list(keys.values()) if "{child_key}" in path else [""]
    return [re.sub(r"\{(\w+)(:path)?\}", lambda m, k=k: {**values, "child_key": k}[m.group(1)], path)
            for k in children]


def _south_state(db: str) -> tuple:
    with Store(db) as store:
        versions = {rid: [(v.version, v.team, v.submitted_by) for v in store.record_versions(rid)]
                    for rid in ("S-1", "S-CH-1", "S-AK-1")}
        users = sorted(u.name for u in store.list_users())
        return versions, users, len(store.list_supervisions("sw_south")), len(store.supervision_actions(worker="sw_south"))


def _calls(client, method: str, path: str, auth: dict[str, str] | None, *, variant: str, batch: str,
           keys: dict[str, str], csrf: str):
    """Every request the matrix makes of one route: each filled path, with each body the route takes."""
    template = path
    if variant == "upload" and method == "POST" and template == "/v1/batches":
        bodies = [UPLOAD]
    elif method == "POST" and template in PAGE_FORMS:
        bodies = [{"data": {"csrf": csrf, **form}} for form in PAGE_FORMS[template]]
    elif method == "POST":
        bodies = BODIES.get(template, [{}])
    else:
        bodies = [{}]
    for url in _fills(path, batch, keys):
        for body in bodies:
            kwargs: dict = {"headers": auth or {}, **body}
            if variant == "query":
                kwargs["params"] = QUERIES
            yield client.request(method, url, **kwargs)


def test_the_matrix_covers_every_route(client):
    routes = _routes(client.app)
    assert len(routes) >= 20
    for needed in (("GET", "/v1/records/{record_id}"), ("GET", "/v1/workers/{worker}/supervision"),
                   ("GET", "/v1/children/{child_key}/timeline"), ("POST", "/v1/children/lookup"),
                   ("GET", "/workers/{name}"), ("GET", "/children/{child_key}"), ("POST", "/children"),
                   ("GET", "/records/{record_id:path}"), ("GET", "/dashboard")):
        assert needed in routes, needed


@pytest.mark.parametrize("who", TEAM_LIMITED)
@pytest.mark.parametrize("variant", ["path", "query", "upload"])
def test_no_cross_team_read_or_write_on_any_route(client, seeded, south_keys, who, variant):
    before = _south_state(seeded.db)
    browser = TestClient(client.app, base_url="https://testserver")
    csrf = sign_in(browser, seeded.keys[who])
    for method, path in _routes(client.app):
        if variant == "upload" and path != "/v1/batches":
            continue
        is_page = not path.startswith(("/v1/", "/metrics", "/healthz", "/readyz", "/openapi", "/docs"))
        for r in _calls(browser if is_page else client, method, path, None if is_page else seeded.auth(who),
                        variant=variant, batch=client.south_batch, keys=south_keys, csrf=csrf):
            where = f"{who} {method} {r.request.url.path} ({variant}): {r.status_code}"
            assert r.status_code < 500, where
            if r.status_code < 300:
                leaked = [s for s in SENTINELS if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", r.text)]
                assert not leaked, f"{where} shows {leaked}"
                assert not set(south_keys.values()) & set(re.findall(r"[A-Za-z0-9_-]{20,40}", r.text)), \
                    f"{where} hands out a key of South's child"
            if method == "POST" and path == "/v1/batches" and r.status_code == 202:
                status = wait_batch(client, seeded.auth(who), r.json()["id"])
                assert status["scored"] == 0, f"{where}: {status}"
    assert _south_state(seeded.db) == before


@pytest.mark.parametrize("path", ["/v1/records/S-1", "/v1/workers/sw_south/supervision",
                                  "/v1/children/{child_id}/timeline", "/v1/children/{name+dob}/timeline",
                                  "/v1/children/{every team}/timeline"])
def test_auditors_and_admins_reach_the_same_targets(client, seeded, south_keys, path):
    path = re.sub(r"\{([^}]+)\}", lambda m: south_keys[m.group(1)], path)
    for who in ("auditor", "admin"):
        r = client.get(path, headers=seeded.auth(who))
        assert r.status_code == 200 and any(s in r.text for s in SENTINELS), f"{who} {path}: {r.status_code}"


@pytest.mark.parametrize("body,key", [({"child_id": "CH-S"}, "child_id"), (AMIRA, "every team")])
def test_auditors_and_admins_look_up_the_same_children(client, seeded, south_keys, body, key):
    for who in ("auditor", "admin"):
        r = client.post("/v1/children/lookup", json=body, headers=seeded.auth(who))
        assert r.status_code == 200 and r.json()["child_key"] == south_keys[key], f"{who} {body}: {r.text}"
