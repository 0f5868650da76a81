"""Drift and delay across a child's records: linking, each drift type with its evidence, review
timescales, the `caseqa drift` command over a real store, and drift precision/recall on the sample."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyser import analyse
from analyser.drift import (
    NOT_LINKED_NO_DOB,
    TimelineRecord,
    detect_drift,
    drift_by_record,
    history_facts,
    link_key,
    not_linked_reason,
    review_timescale_findings,
)
from analyser.linking import name_dob_digest
from cli import app

ROOT = Path(__file__).resolve().parent.parent

FIRST = """REVIEW MINUTES
Name: Amira Khan
DOB: 12/03/2015
Date of review: 10/06/2024

DECISIONS
1. Jo will book your dental check by 30/06/2024.
2. Mr Patel will apply for your passport by 31/07/2024.
3. Sam will arrange a swimming club for you by 15/07/2024.
4. Jo will help you join the library soon.
5. Jo will start your life story book with you by 31/03/2025.

Next review: 10/12/2024
"""

SECOND = """REVIEW MINUTES
Name: Amira Khan
DOB: 12/03/2015
Date of review: 10/12/2024

PROGRESS ON PREVIOUS DECISIONS
Sam to arrange a swimming club - Done.

DECISIONS
1. Your social worker will book your dental check by 31/01/2025.
2. Your carer will help you join the library as soon as possible.

Next review: 10/06/2025
"""

THIRD = """REVIEW MINUTES
Name: Amira Khan
DOB: 12/03/2015
Date of review: 09/06/2025

PROGRESS ON PREVIOUS DECISIONS
Dental check - Done 5 January 2025.

DECISIONS
1. Maya will help you join the library when possible.

Next review: 08/12/2025
"""

CLEAN_SECOND = """REVIEW MINUTES
Name: Amira Khan
DOB: 12/03/2015
Date of review: 10/12/2024

PROGRESS ON PREVIOUS DECISIONS
Jo to book the dental check - Done 20 June 2024.
Mr Patel to apply for the passport - Completed.
Sam to arrange a swimming club - Done.
Jo to help Amira join the library - Done.
Jo to start the life story book - Started and on track; completed on 1 December.

DECISIONS
1. Jo will book your next dental check by 30/05/2025.

Next review: 10/06/2025
"""


def record(text: str, rid: str) -> TimelineRecord:
    return TimelineRecord.from_report(analyse(text, id=rid), history_facts(text))


@pytest.fixture(scope="module")
def drifting() -> list[TimelineRecord]:
    return [record(THIRD, "r3"), record(FIRST, "r1"), record(SECOND, "r2")]  # out of order on purpose


# ---- linking ---------------------------------------------------------------------------------------


def test_links_by_child_id_when_given():
    report = analyse(FIRST, id="r1")
    assert link_key(report, {"child_id": "C-17"}) == ("C-17", "child_id")


def test_links_by_name_and_date_of_birth_from_the_header():
    report = analyse(FIRST, id="r1")
    facts = history_facts(FIRST)
    assert facts["dob"] == "2015-03-12" and facts["child_full_name"] == "Amira Khan"
    # The key is a digest of the normalised name and birthday (never spelt out), then the team.
    amira = name_dob_digest("Amira Khan", "2015-03-12")
    assert amira == name_dob_digest("KHAN, amira", "2015-03-12") != name_dob_digest("Amira Khan", "2015-03-13")
    assert link_key(report, {"history": facts}) == (f"{amira}|", "name+dob")
    assert link_key(report, {"history": facts, "team": "North"})[0] == f"{amira}|North"
    # "KHAN, Amira" with the date written another way is the same child.
    other = FIRST.replace("Name: Amira Khan", "Name: KHAN, Amira").replace("DOB: 12/03/2015", "DOB: 12 March 2015")
    assert link_key(analyse(other), {"history": history_facts(other)})[0] == f"{amira}|"


def test_never_links_by_name_alone_and_says_why():
    text = FIRST.replace("DOB: 12/03/2015\n", "")
    report = analyse(text, id="r1")
    assert report.meta.child_name == "Amira"
    assert link_key(report, {"history": history_facts(text)}) == (None, None)
    assert not_linked_reason(report, {"history": history_facts(text)}) == NOT_LINKED_NO_DOB
    assert "never links records by name alone" in NOT_LINKED_NO_DOB


def test_name_and_date_of_birth_link_every_committed_sequence_to_its_child():
    from analyser.drift import _link
    from analyser.ingest import load_file

    folder = ROOT / "corpus" / "synthetic" / "sequences"
    keys: dict[str, set[str | None]] = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        facts = history_facts(load_file(folder / g["file"]).text)
        keys.setdefault(g["child_id"], set()).add(_link({"history": facts}, g["child_name"])[0])
    assert all(len(k) == 1 and None not in k for k in keys.values())  # each child: one key
    assert len({next(iter(k)) for k in keys.values()}) == len(keys)  # no two children share one


# ---- each drift type, with evidence ---------------------------------------------------------------------


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def test_slipped_deadline_quotes_both_dates(drifting):
    found = drift_by_record(drifting)["r2"]
    [slipped] = by_code(found, "slipped")
    assert "dental check" in slipped.excerpt
    assert "30 June 2024" in slipped.message and "31 January 2025" in slipped.message
    assert "slipped by 215 days" in slipped.message
    assert "the review of 10 June 2024" in slipped.message and "'Jo will book your dental check by 30/06/2024.'" in slipped.message
    text = SECOND
    assert text[slipped.start : slipped.end] == slipped.excerpt  # points at the later record's words


def test_carried_over_counts_the_records_it_survived(drifting):
    found = drift_by_record(drifting)
    [second] = by_code(found["r2"], "carried_over")
    assert "library" in second.excerpt and "2 records so far" in second.message
    [third] = by_code(found["r3"], "carried_over")
    assert "library" in third.excerpt
    assert "3 records so far" in third.message and "first set in the review of 10 June 2024" in third.message
    assert third.severity == "error"


def test_deadline_passed_without_a_word_on_it(drifting):
    [passed] = by_code(drift_by_record(drifting)["r2"], "deadline_passed")
    assert "passport" in passed.excerpt
    assert "was due by 31 July 2024" in passed.message and "132 days before this review" in passed.message
    assert (passed.start, passed.end) == (0, 0)


def test_findings_name_the_earlier_action_they_are_about(drifting):
    found = {f.code: f.data for f in drift_by_record(drifting)["r2"]}
    assert found["deadline_passed"] == {"previous_action": 2, "asked_again": False}  # the passport
    assert found["slipped"] == {"previous_action": 1, "asked_again": True}  # the dental check, asked for again
    assert found["not_followed_up"] == {"previous_action": 5, "asked_again": False}  # the life story book


def test_decision_not_followed_up(drifting):
    [nfu] = by_code(drift_by_record(drifting)["r2"], "not_followed_up")
    assert "life story book" in nfu.excerpt
    assert nfu.message.startswith("The review of 10 June 2024 decided 'Jo will start your life story book")


def test_done_actions_raise_nothing(drifting):
    found = drift_by_record(drifting)
    assert not any("swimming" in f.excerpt for f in found["r2"])  # reported done
    assert not any("dental" in f.excerpt for f in found["r3"])  # reported done
    assert found["r1"] == []  # the first record has no history


OPTICIAN_PLAN = """CARE PLAN
Name: Amira Khan
DOB: 12/03/2015
Date: 01/04/2025

What we will do
Nina will take you to the optician by 10 May 2025.
Jo will ask the school about a reading club by 30 April 2025.
"""


def _optician_review(body: str) -> str:
    return f"""REVIEW MINUTES
Name: Amira Khan
DOB: 12/03/2015
Date of review: 01/06/2025

How things have gone
{body}
Jo asked the school about a reading club and you start in June.

Next review: 01/12/2025
"""


@pytest.mark.parametrize("body", [
    "Nina took you to the optician on 3 May and you now have glasses.",  # what someone did, in the past tense
    "Your carer Nina took you to the optician on 3 May.",
])
def test_a_past_tense_report_of_an_action_is_a_done_report_wherever_it_is(body):
    """Issue 19 item 9: "Nina took you to the optician on 3 May" reports the earlier "Nina will take you to
    the optician by 10 May" as done (the verb and its object match), not only in a progress section."""
    found = drift_by_record([record(OPTICIAN_PLAN, "p1"), record(_optician_review(body), "p2")])["p2"]
    assert not [f for f in found if "optician" in f.excerpt], [(f.code, f.excerpt) for f in found]
    assert not [f for f in found if "reading club" in f.excerpt]


@pytest.mark.parametrize("body", [
    "Nina will take you to the optician next month.",  # still to do: asked again
    "Nina was going to take you to the optician but the appointment was cancelled.",
    "If Nina took you to the optician, nobody has said so.",
])
def test_a_sentence_that_looks_ahead_or_says_it_fell_through_is_not_a_done_report(body):
    found = drift_by_record([record(OPTICIAN_PLAN, "p1"), record(_optician_review(body), "p2")])["p2"]
    assert [f for f in found if "optician" in f.excerpt], "the optician action should still drift"


def test_every_finding_is_a_drift_finding(drifting):
    findings = detect_drift(drifting)
    assert {f.code for f in findings} == {"slipped", "carried_over", "deadline_passed", "not_followed_up"}
    assert all(f.dimension == "drift" and f.suggestion for f in findings)


def test_clean_sequence_raises_nothing():
    assert detect_drift([record(FIRST, "r1"), record(CLEAN_SECOND, "r2")]) == []


# ---- review timescales --------------------------------------------------------------------------------


def review(rid: str, day: str, entered: str | None = None) -> TimelineRecord:
    report = analyse("Review minutes. The review went well.", id=rid, doc_type="review_minutes", date=day)
    return TimelineRecord.from_report(report, {"entered_care": entered, "progress": []})


def test_first_review_due_within_20_working_days_of_coming_into_care():
    late = review_timescale_findings([review("a", "2024-02-15", "2024-01-02")])
    [f] = late["a"]
    assert f.code == "review_late" and "20 working days" in f.message and "30 January 2024" in f.message
    assert review_timescale_findings([review("a", "2024-01-30", "2024-01-02")]) == {}


def test_second_review_due_within_3_months_of_the_first():
    tl = [review("a", "2024-01-29", "2024-01-02"), review("b", "2024-05-20")]
    [f] = review_timescale_findings(tl)["b"]
    assert "within 3 months of the first review (29 January 2024)" in f.message
    assert "21 days late" in f.message and "due by 29 April 2024" in f.message
    ok = [review("a", "2024-01-29", "2024-01-02"), review("b", "2024-04-29")]
    assert review_timescale_findings(ok) == {}


def test_later_reviews_due_at_least_every_6_months():
    tl = [review("a", "2024-01-29", "2024-01-02"), review("b", "2024-04-29"), review("c", "2024-11-05")]
    [f] = review_timescale_findings(tl)["c"]
    assert "at least every 6 months" in f.message and "due by 29 October 2024" in f.message
    assert review_timescale_findings(tl[:2] + [review("c", "2024-10-29")]) == {}


def test_without_the_care_entry_date_only_the_6_month_rule_applies():
    # Not knowing which review is the first, a 4-month gap is never called late on a guess.
    assert review_timescale_findings([review("a", "2024-01-29"), review("b", "2024-05-29")]) == {}


# ---- the command, over a real store ---------------------------------------------------------------------


def run_cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_drift_command_prints_the_timeline_json_from_a_scored_export(tmp_path):
    export = tmp_path / "export.csv"
    with export.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["RecordID", "ChildID", "Team", "Body"])
        w.writeheader()
        for rid, text in (("r3", THIRD), ("r1", FIRST), ("r2", SECOND)):
            w.writerow({"RecordID": rid, "ChildID": "C-17", "Team": "North", "Body": text})
        w.writerow({"RecordID": "lone", "ChildID": "", "Team": "North", "Body": FIRST.replace("DOB: 12/03/2015\n", "")})
    db = str(tmp_path / "c.db")
    scored = run_cli("score", str(export), "--map", "text=Body,id=RecordID,child_id=ChildID,team=Team",
                     "--db", db, "--out", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert scored.exit_code == 0, scored.output
    assert "never links records by name alone" in scored.output
    result = run_cli("drift", "--child", "C-17", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"child_id", "linked_by", "records", "findings"}
    assert data["child_id"] == "C-17" and data["linked_by"] == "child_id"
    assert [r["id"] for r in data["records"]] == ["r1", "r2", "r3"]  # by document date
    assert set(data["records"][0]) == {"id", "date", "doc_type", "grade", "overall_score"}
    codes = {(f["record_id"], f["code"]) for f in data["findings"]}
    assert {("r2", "slipped"), ("r2", "deadline_passed"), ("r2", "not_followed_up"), ("r3", "carried_over")} <= codes
    assert all(f["dimension"] == "drift" for f in data["findings"])
    # The stored reports carry their drift sections, however the records arrived.
    from analyser.store import Store

    with Store(db) as store:
        assert store.get_report("r1").drift is None
        section = store.get_report("r3").drift
        assert section.position == 3 and section.previous == "r2" and section.child_id == "C-17"
        assert any(f.code == "carried_over" for f in section.findings)
        assert store.get_report("lone").drift is None
    text = run_cli("drift", "--child", "C-17", "--db", db)
    assert "r2" in text.stdout and "slipped" in text.stdout
    assert run_cli("drift", "--child", "nobody", "--db", db).exit_code == 2


def test_timeline_of_a_clean_child_has_no_findings(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(FIRST, encoding="utf-8")
    (folder / "b.txt").write_text(CLEAN_SECOND, encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert run_cli("score", str(folder), "--db", db, "--out", str(tmp_path / "o.jsonl"), "--workers", "1").exit_code == 0
    data = json.loads(run_cli("drift", "--child", "Amira Khan", "--dob", "2015-03-12", "--db", db, "--format", "json").stdout)
    assert data["linked_by"] == "name+dob" and data["child_id"] is None
    assert [r["id"] for r in data["records"]] == ["a", "b"] and data["findings"] == []
    # the UK order, as every other date option takes it, links the same records
    uk = json.loads(run_cli("drift", "--child", "Amira Khan", "--dob", "12/03/2015", "--db", db, "--format", "json").stdout)
    assert [r["id"] for r in uk["records"]] == ["a", "b"]
    bad = run_cli("drift", "--child", "Amira Khan", "--dob", "12/13/2015", "--db", db)
    assert bad.exit_code == 2 and "DD/MM/YYYY" in bad.output


def test_evaluate_reports_drift_precision_and_recall_on_the_committed_sequences():
    from measure.evaluate import evaluate

    summary = evaluate(ROOT / "corpus" / "synthetic" / "sequences").summary()
    drift = summary["drift"]
    assert drift["children"] == 30 and drift["clean_children"] >= 3
    assert drift["any_type"]["precision"] >= 0.85 and drift["any_type"]["recall"] >= 0.8
    for code in ("carried_over", "slipped", "deadline_passed", "not_followed_up", "review_late"):
        assert drift["types"][code]["gold"] > 0 and drift["types"][code]["recall"] >= 0.6, code


def test_the_drift_example_in_the_readme_and_drift_md_is_what_the_commands_print(tmp_path):
    import re

    db = str(tmp_path / "seq.db")
    files = sorted(str(p) for p in (ROOT / "corpus" / "synthetic" / "sequences").glob("*_s004_*"))
    assert run_cli("score", *files, "--db", db, "--workers", "1", "--out", str(tmp_path / "o.jsonl")).exit_code == 0
    printed = run_cli("drift", "--child", "Shanice Edwards", "--dob", "2011-02-11", "--db", db).stdout
    rows = {" ".join(line.split()) for line in printed.splitlines() if re.match(r"\s*20\d\d-", line)}
    assert len(rows) == 4
    for doc in ("README.md", "docs/DRIFT.md"):
        shown = {" ".join(line.split()) for line in (ROOT / doc).read_text(encoding="utf-8").splitlines()
                 if re.match(r"\s*20\d\d-\d\d-\d\d\s+(care plan|review minutes)", line)}
        assert shown == rows, doc


def test_without_store_text_the_stored_facts_hold_no_sentence_full_name_or_birthday(tmp_path):
    """records.fields.history and records.link_key keep derived facts only (issue 13, item 17), and drift
    finds the same things from them as from records stored with their text."""
    import sqlite3

    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a", FIRST), ("b", SECOND), ("c", THIRD)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    timelines = {}
    for db, extra in ((str(tmp_path / "plain.db"), ()), (str(tmp_path / "text.db"), ("--store-text",))):
        assert run_cli("score", str(folder), "--db", db, "--out", str(tmp_path / "o.jsonl"), "--workers", "1", *extra).exit_code == 0
        timelines[db] = json.loads(run_cli("drift", "--child", "Amira Khan", "--dob", "12/03/2015", "--db", db,
                                           "--format", "json").stdout)
        stored = sqlite3.connect(db).execute("select fields, link_key from records").fetchall()
        assert len(stored) == 3 and all(key.startswith("name+dob:") for _, key in stored)
        if not extra:
            kept = json.dumps(stored)
            for secret in ("Khan", "2015-03-12", "12/03/2015", "swimming club - Done", "Dental check - Done"):
                assert secret not in kept, secret
    plain, with_text = timelines.values()
    assert [r["id"] for r in plain["records"]] == ["a", "b", "c"] and plain["findings"]
    # The same findings; only a progress line's excerpt needs the text.
    assert [(f["record_id"], f["code"], f["message"]) for f in plain["findings"]] == \
           [(f["record_id"], f["code"], f["message"]) for f in with_text["findings"]]


def test_migration_0005_rewrites_stored_facts_and_keeps_linking(tmp_path):
    """A store written before 0005 (plain name, birthday and sentences) is rewritten on open."""
    import sqlite3

    from analyser.store import Store

    db = tmp_path / "old.db"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(FIRST, encoding="utf-8")
    (folder / "b.txt").write_text(SECOND, encoding="utf-8")
    assert run_cli("score", str(folder), "--db", str(db), "--out", str(tmp_path / "o.jsonl"), "--workers", "1").exit_code == 0
    before = json.loads(run_cli("drift", "--child", "Amira Khan", "--dob", "2015-03-12", "--db", str(db),
                                "--format", "json").stdout)
    con = sqlite3.connect(db)
    # Make it look as 0004 left it: facts as read, keys spelt out.
    for pk, fields in con.execute("select id, fields from records").fetchall():
        f = json.loads(fields)
        f["history"].pop("name_dob")
        f["history"].update(dob="2015-03-12", child_full_name="Amira Khan")
        f["history"]["progress"] = [{"start": p["start"], "end": p["end"], "done": p["done"],
                                     "text": "Sam to arrange a swimming club - Done."} for p in f["history"]["progress"]]
        con.execute("update records set fields = ?, link_key = 'name+dob:amira khan|2015-03-12|' where id = ?",
                    (json.dumps(f), pk))
    con.execute("drop table child_keys")  # made by 0006, after 0004
    con.execute("update alembic_version set version_num = '0004'")
    con.commit()
    con.close()
    with Store(str(db)):  # opening a store brings it to the latest revision
        pass
    kept = json.dumps(sqlite3.connect(db).execute("select fields, link_key from records").fetchall())
    assert "Khan" not in kept and "2015-03-12" not in kept and "swimming" not in kept
    after = json.loads(run_cli("drift", "--child", "Amira Khan", "--dob", "2015-03-12", "--db", str(db),
                               "--format", "json").stdout)
    assert [r["id"] for r in after["records"]] == [r["id"] for r in before["records"]] == ["a", "b"]
    assert [(f["code"], f["message"]) for f in after["findings"]] == [(f["code"], f["message"]) for f in before["findings"]]


def test_a_done_report_naming_the_owners_matches_an_action_with_a_long_tail():
    """The progress line names who did it ("Nasreen and Leanne to go to the training - Achieved"); the
    owners' names say nothing of what was done, so they do not dilute the match."""
    plan = ("REVIEW MINUTES\nName: Amira Khan\nDOB: 12/03/2015\nDate of review: 01/04/2025\n\nDECISIONS\n"
            "1. Nasreen and Leanne will go to the therapeutic parenting training within 7 days, with a view to "
            "ensuring that your assessed needs continue to be met in line with the care plan.\n\nNext review: 01/06/2025\n")
    review = ("REVIEW MINUTES\nName: Amira Khan\nDOB: 12/03/2015\nDate of review: 01/06/2025\n\n"
              "PROGRESS ON PREVIOUS DECISIONS\n1. Nasreen and Leanne to go to the therapeutic parenting training - Achieved.\n\n"
              "Next review: 01/12/2025\n")
    found = drift_by_record([record(plan, "t1"), record(review, "t2")])["t2"]
    assert not [f for f in found if "therapeutic" in f.excerpt], [(f.code, f.excerpt) for f in found]


def test_refresh_drift_settles_the_same_reports_whatever_the_page(tmp_path):
    from analyser.drift import drift_sections, refresh_drift
    from analyser.store import ResultInput, Store

    texts = {"r1": FIRST, "r2": SECOND, "r3": THIRD}
    children = ("CH-A", "CH-B", "CH-C")
    stored: dict[int, dict] = {}
    for page in (1, 2, 50):
        with Store(str(tmp_path / f"p{page}.db")) as store:
            run = store.start_run(rubric_version="r", model_version="m", caseqa_version="c", params={})
            items = [ResultInput(analyse(texts[rid], id=f"{child}-{rid}"), f"{child}-{rid}", {"child_id": child},
                                 history=history_facts(texts[rid]))
                     for child in children for rid in ("r3", "r1", "r2")]  # out of date order
            store.save_results(run, items)
            # Every record but each child's earliest gains a drift section (2 of 3 records, 3 children).
            assert refresh_drift(store, {(c, "child_id") for c in children}, page=page) == 6
            assert refresh_drift(store, {(c, "child_id") for c in children}, page=page) == 0  # settled
            stored[page] = {r.record_id: store.get_report(r.record_id).to_dict() for r in store.list_records()}
    assert stored[1] == stored[2] == stored[50]
    timeline = [record(texts[rid], f"CH-A-{rid}") for rid in ("r1", "r2", "r3")]
    expected = drift_sections(timeline, "child_id", "CH-A")
    for rid in ("r1", "r2", "r3"):
        section = expected[f"CH-A-{rid}"]
        assert stored[1][f"CH-A-{rid}"].get("drift") == (section.model_dump(mode="json") if section else None)


def test_same_word_bounds_give_the_ratio_answer_for_every_pair():
    # The length and shared-character bounds only skip matchers that could not reach TOKEN_MATCH.
    import difflib
    import random

    from analyser.drift import TOKEN_MATCH, _same_word

    rng = random.Random(15)
    words = ["support", "suppport", "assess", "assessment", "hair", "haircut", "dentist", "dentists", "school",
             "schools", "contact", "contract", "review", "reviewed", "visit", "visits"]
    words += ["".join(rng.choice("abcdet") for _ in range(rng.randint(1, 10))) for _ in range(400)]
    for a in words:
        for b in words:
            plain = a == b or (min(len(a), len(b)) >= 4 and (
                a.startswith(b) or b.startswith(a) or difflib.SequenceMatcher(None, a, b).ratio() >= TOKEN_MATCH))
            assert _same_word.__wrapped__(a, b) == plain, (a, b)
