"""The LanguageTool-compatible endpoint, driven by a real LanguageTool client (language-tool-python) against a
real loopback server, and by hand-made requests for the key, the annotated-data format and the limits."""

from __future__ import annotations

import json
import logging
import time

import pytest
from service_support import SENTINEL, Seeded, TestClient, seed

from analyser import analyse
from analyser.store import Store
from service.app import create_app
from service.background import BackgroundServer
from service.config import Settings

# Emoji (two UTF-16 units each) and accented names before the flagged words: a server that counted code
# points, or bytes, would shift every highlight after them.
DRAFT = (
    "Care plan for Zoë Ngũgĩ-Łukasz 😀\n"
    "Zoë's placement with Siân is going well 👍🏽. Contact with mum is ongoing.\n"
    "The LADO will review the plan ASAP. Renée will ring Zoë every week 🎉."
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Seeded:
    return seed(str(tmp_path_factory.mktemp("lt") / "caseqa.db"))


@pytest.fixture(scope="module")
def server(seeded):
    with BackgroundServer(Settings(db=seeded.db, session_secret="l" * 32)) as s:
        yield s


@pytest.fixture(scope="module")
def client(seeded):
    with TestClient(create_app(Settings(db=seeded.db, session_secret="l" * 32))) as c:
        deadline = time.monotonic() + 60
        while c.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the service never became ready"
            time.sleep(0.1)
        yield c


@pytest.fixture()
def netrc_key(seeded, tmp_path, monkeypatch):
    """The key where requests (under language-tool-python) finds it: a .netrc, sent as HTTP Basic."""
    def use(who: str | None) -> None:
        path = tmp_path / "netrc"
        path.write_text(f"machine 127.0.0.1 login {who} password {seeded.keys[who]}\n" if who else "")
        monkeypatch.setenv("NETRC", str(path))
    return use


def test_a_real_languagetool_client_gets_the_findings_on_the_flagged_words(server, netrc_key):
    import language_tool_python

    netrc_key("sw_north")
    tool = language_tool_python.LanguageTool("en-GB", remote_server=server.url)
    matches = tool.check(DRAFT)
    report = analyse(DRAFT)
    worded = [f for f in report.findings if f.start < f.end]
    assert len(matches) == len(report.findings)
    # The client turns LanguageTool's UTF-16 offsets back into Python's; they must land on caseqa's words.
    located = {(m.offset, m.rule_id) for m in matches}
    for f in worded:
        assert (f.start, "CASEQA_" + f.rule.replace(".", "_").upper()) in located, f.excerpt
    by_offset = {m.offset: m for m in matches if m.rule_id == "CASEQA_CHILD_DIRECTED_LANGUAGE_JARGON"}
    placement = DRAFT.index("placement")
    assert DRAFT[placement : placement + by_offset[placement].error_length] == "placement"
    assert by_offset[placement].replacements == ["home"]
    contact = DRAFT.index("Contact")
    assert by_offset[contact].replacements[0] == "Family time"
    assert by_offset[contact].category == "CHILD_DIRECTED_LANGUAGE"
    assert by_offset[contact].rule_issue_type == "style"
    asap = next(m for m in matches if m.rule_id == "CASEQA_TIMEBOUND_ACTIONS_VAGUE_TIMESCALE")
    assert DRAFT[asap.offset : asap.offset + asap.error_length] == "ASAP"
    tool.close()


@pytest.mark.parametrize("who", [None, "wrong"])
def test_the_real_client_is_refused_without_a_key_or_with_a_wrong_one(server, netrc_key, seeded, tmp_path,
                                                                      monkeypatch, who):
    import language_tool_python
    import requests

    if who == "wrong":
        (tmp_path / "netrc").write_text("machine 127.0.0.1 login sw_north password cqa_1_not-the-key\n")
        monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    else:
        netrc_key(None)
    # What the client sends is refused: it reads the 401 problem as a language list and fails.
    assert requests.get(f"{server.url}/v2/languages").status_code == 401
    assert requests.post(f"{server.url}/v2/check", data={"text": DRAFT, "language": "en-GB"}).status_code == 401
    with pytest.raises(Exception):  # noqa: B017 - the client has no error type of its own for this
        language_tool_python.LanguageTool("en-GB", remote_server=server.url)


def test_offsets_are_utf16_code_units_of_the_sent_text(client, seeded):
    r = client.post("/v2/check", data={"text": DRAFT, "language": "en-GB", "apiKey": seeded.keys["sw_north"],
                                       "username": "sw_north"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["software"]["name"] == "caseqa" and body["language"]["code"] == "en-GB"
    jargon = [m for m in body["matches"] if m["rule"]["id"] == "CASEQA_CHILD_DIRECTED_LANGUAGE_JARGON"]
    placement = DRAFT.index("placement")
    m = next(m for m in jargon if m["length"] == len("placement"))
    assert m["offset"] == utf16_len(DRAFT[:placement]) and m["offset"] != placement
    ctx = m["context"]
    assert ctx["text"].encode("utf-16-le")[2 * ctx["offset"] : 2 * (ctx["offset"] + ctx["length"])].decode("utf-16-le") == "placement"
    assert "placement" in m["sentence"]
    for match in body["matches"]:
        assert set(match) >= {"message", "shortMessage", "offset", "length", "replacements", "context", "sentence", "rule"}
        assert set(match["rule"]) >= {"id", "description", "issueType", "category"}
        assert set(match["rule"]["category"]) == {"id", "name"}


def test_annotated_data_checks_the_text_and_counts_the_markup_in_offsets(client, seeded):
    items = [{"markup": "<p>"}, {"text": "Your 😀 placement is going well."}, {"markup": "</p><p>", "interpretAs": "\n\n"},
             {"text": "Jo will ring you ASAP."}, {"markup": "</p>"}]
    original = "".join(i.get("text", i.get("markup", "")) for i in items)
    r = client.post("/v2/check", data={"data": json.dumps({"annotation": items}), "language": "en-GB"},
                    headers={"Authorization": f"Bearer {seeded.keys['sw_north']}"})
    assert r.status_code == 200, r.text
    units = original.encode("utf-16-le")
    spans = {units[2 * m["offset"] : 2 * (m["offset"] + m["length"])].decode("utf-16-le") for m in r.json()["matches"]}
    assert {"placement", "ASAP"} <= spans
    assert not any("<" in s for s in spans)


@pytest.mark.parametrize("fields, headers", [
    ({}, {}),
    ({"apiKey": "cqa_1_wrong", "username": "sw_north"}, {}),
    ({"apiKey": "KEY"}, {}),                                   # apiKey without username
    ({"apiKey": "KEY", "username": "sw_south"}, {}),            # another user's name
    ({}, {"Authorization": "Bearer cqa_1_wrong"}),
    ({}, {"Authorization": "Basic !!!"}),
])
def test_keys_are_required(client, seeded, fields, headers):
    fields = {k: (seeded.keys["sw_north"] if v == "KEY" else v) for k, v in fields.items()}
    r = client.post("/v2/check", data={"text": DRAFT, "language": "en-GB", **fields}, headers=headers)
    assert r.status_code == 401, r.text
    assert client.get("/v2/languages", params=fields, headers=headers).status_code == 401


def test_languages_list_english_for_a_caller_with_a_key(client, seeded):
    r = client.get("/v2/languages", params={"apiKey": seeded.keys["auditor"], "username": "auditor"})
    assert r.status_code == 200
    assert {"en-GB", "en-US"} <= {lang["longCode"] for lang in r.json()}


def test_bad_requests_get_a_clear_reason(client, seeded):
    auth = {"Authorization": f"Bearer {seeded.keys['sw_north']}"}
    cases = [
        ({"text": DRAFT, "language": "de-DE"}, "not supported"),
        ({"text": DRAFT}, "missing 'language'"),
        ({"language": "en-GB"}, "missing 'text' or 'data'"),
        ({"data": "{not json", "language": "en-GB"}, "not valid JSON"),
        ({"data": json.dumps({"annotation": [{"x": 1}]}), "language": "en-GB"}, "neither 'text' nor 'markup'"),
    ]
    for fields, reason in cases:
        r = client.post("/v2/check", data=fields, headers=auth)
        assert r.status_code == 400 and reason in r.json()["detail"], (fields, r.text)
    assert client.post("/v2/check", json={"text": DRAFT}, headers=auth).status_code == 415


def test_a_check_stores_nothing_and_logs_no_text(client, seeded, caplog):
    caplog.set_level(logging.DEBUG)
    with Store(seeded.db) as store:
        before = len(store.list_runs(100)), len(store.list_records(limit=1000))
    secret = f"{SENTINEL}'s placement is going well. {SENTINEL} will ring you ASAP."
    r = client.post("/v2/check", data={"text": secret, "language": "en-GB"},
                    headers={"Authorization": f"Bearer {seeded.keys['sw_north']}"})
    assert r.status_code == 200 and r.json()["matches"]
    with Store(seeded.db) as store:
        after = len(store.list_runs(100)), len(store.list_records(limit=1000))
    assert after == before
    assert SENTINEL not in caplog.text
