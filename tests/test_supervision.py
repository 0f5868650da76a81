"""Supervision: SMART actions from stored audits, Word/Markdown/HTML output, templates, and the audit loop."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from analyser import analyse, analyse_file
from analyser.store import Store
from analyser.supervision import (
    TEMPLATE_FIELDS,
    SupervisionError,
    TemplateError,
    build_supervision,
    render,
    save_supervision,
    supervision_for_api,
    sync_actions,
)
from cli import app

JO, SAM = "Jo Smith", "Sam Patel"

AMIRA = """CARE PLAN
Child: Amira
Date of plan: 12/03/2025

Health
Jo Smith will book your dental check with Dr Shah by 2 April 2025.

Actions
- Jo Smith will visit you at home by 2 April 2025.
- Priya will ring you.
"""
# The fix: the second action now has a date. Nothing else changes (the sentence touches no plan section,
# so plan detail's findings stay as they were).
AMIRA_FIXED = AMIRA.replace("- Priya will ring you.", "- Priya will ring you on 28 March 2025.")
JOSH = """REVIEW MINUTES
Child: Josh
Date of review: 10/06/2024

The young person told us he enjoys football and wants to play for the school team.

Decisions
1. The social worker will support Josh's family time.
2. Kim Reid will take you to football trials by 15/06/2024.
"""
LEAH = """PATHWAY PLAN
Young person: Leah
Date: 01/02/2025

Accommodation
Leah will move to her flat. Her PA to liaise with housing ASAP.
"""


def reports() -> dict[str, object]:
    return {
        "R1": analyse(AMIRA, id="R1"),
        "R1v2": analyse(AMIRA_FIXED, id="R1"),
        "R2": analyse(JOSH, id="R2"),
        "R3": analyse(LEAH, id="R3"),
    }


@pytest.fixture(scope="module")
def reps():
    return reports()


@pytest.fixture()
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


def fill(store: Store, reps, *, fixed: bool = False) -> None:
    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    store.save_result(run, reps["R1"], content_hash="r1", fields={"worker": JO, "team": "North", "supervisor": "Ann Lee"})
    store.save_result(run, reps["R2"], content_hash="r2", fields={"worker": JO, "team": "North"})
    store.save_result(run, reps["R3"], content_hash="r3", fields={"worker": SAM, "team": "South"})
    if fixed:
        store.save_result(run, reps["R1v2"], content_hash="r1v2", fields={"worker": JO, "team": "North"})


# ---- the store ---------------------------------------------------------------------------------------


def test_migration_adds_the_supervision_tables(store):
    tables = set(inspect(store.engine).get_table_names())
    assert {"supervisions", "supervision_actions", "records"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0006"  # the head: 0003 sessions, 0004 link keys, 0005 derived history facts, 0006 child keys


# ---- building ----------------------------------------------------------------------------------------


def test_build_covers_only_the_workers_own_records(store, reps):
    fill(store, reps)
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    assert [r.record_id for r in record.records] == ["R2", "R1"]  # by the records' dates
    assert {a.record_id for a in record.actions} == {"R1", "R2"}
    assert {a.owner for a in record.actions} == {JO}
    assert record.team == "North" and record.supervisor == "Ann Lee"
    assert [r.record_id for r in build_supervision(store, SAM, on=dt.date(2025, 3, 17)).records] == ["R3"]


def test_unknown_worker_is_a_clear_error(store, reps):
    fill(store, reps)
    with pytest.raises(SupervisionError, match="no scored records for worker 'Nobody'"):
        build_supervision(store, "Nobody")


def test_actions_name_the_childs_record_the_exact_problem_and_the_fix(store, reps):
    fill(store, reps)
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17), max_per_record=50, max_actions=500)
    whats = [a.what for a in record.actions]
    assert "Add a date to action 3 in Amira's care plan of 12 March 2025" in whats
    assert any(w.startswith("Rewrite Josh's review minutes of 10 June 2024 to Josh in the second person") for w in whats)
    texts = [a.text for a in record.actions]
    assert f"{JO} will add a date to action 3 in Amira's care plan of 12 March 2025 by 31 March 2025." in texts


def test_strengths_grades_and_the_records_own_overdue_or_vague_care_actions(store, reps):
    fill(store, reps)
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    josh = next(r for r in record.records if r.record_id == "R2")
    assert josh.grade_text and josh.strengths.endswith(".") or josh.strengths
    problems = {(c.record_id, c.number): c.problem for c in record.care_actions}
    assert problems[("R2", 2)] == "overdue since 15 June 2024"
    assert problems[("R2", 1)] == "no date"


# Item 1 is not an action: the record's "3." is the third item but the second action found.
NUMBERED = """REVIEW MINUTES
Child: Josh
Date of review: 10/06/2024

Decisions
1. Josh is settled at school and wants to stay there.
2. The social worker will support Josh's family time.
3. Kim Reid will take you to football trials by 15/06/2024.
4. Priya will ring you.
"""


def test_action_numbers_follow_the_records_own_numbering(store):
    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    store.save_result(run, analyse(NUMBERED, id="N1"), content_hash="n1", fields={"worker": JO})
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17), max_per_record=50, max_actions=500)
    whats = [a.what for a in record.actions]
    assert "Add a date to actions 2 and 4 in Josh's review minutes of 10 June 2024" in whats  # not "1 and 3"
    assert "Give action 2 in Josh's review minutes of 10 June 2024 a measurable outcome in place of a vague verb" in whats
    assert {c.number: c.problem for c in record.care_actions} == {3: "overdue since 15 June 2024", 2: "no date", 4: "no date"}


def store_child(store: Store, texts: dict[str, str], child_ids: dict[str, str]) -> None:
    """Store records as `caseqa score` does, drift settled: linked by child id (when given)."""
    from analyser.drift import history_facts, refresh_drift

    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    for rid, text_ in texts.items():
        ids = {"child_id": child_ids[rid]} if rid in child_ids else {}
        store.save_result(run, analyse(text_, id=rid), content_hash=rid, history=history_facts(text_),
                          fields={"worker": JO, "team": "North", **ids})
    refresh_drift(store, {(c, "child_id") for c in child_ids.values()})


def test_section_three_lists_what_the_next_review_does_not_report_done(store):
    from test_drift import FIRST, SECOND

    store_child(store, {"r1": FIRST, "r2": SECOND}, {"r1": "C-1", "r2": "C-1"})
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    listed = {(c.record_id, c.number): c.problem for c in record.care_actions}
    assert listed == {
        # the later review's own plan: its dental check is overdue, its library help has a vague timescale
        ("r2", 1): "overdue since 31 January 2025",
        ("r2", 2): "vague timescale",
        # the earlier review's passport: due before the later review, which does not say it was done
        ("r1", 2): "overdue since 31 July 2024; the review of 10 December 2024 does not say it was done",
    }  # not the swimming club (reported done), nor the dental check and library (asked for again)


def test_section_three_never_links_children_by_their_first_name(store):
    """Two records of an Amira with no child id or date of birth are not linked: caseqa cannot tell they are
    one child, so the later one does not hide the earlier one's overdue actions."""
    from test_drift import FIRST, SECOND

    store_child(store, {"r1": FIRST.replace("DOB: 12/03/2015\n", ""), "r2": SECOND.replace("DOB: 12/03/2015\n", "")}, {})
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    overdue = {(c.record_id, c.number) for c in record.care_actions if c.problem.startswith("overdue")}
    assert ("r1", 1) in overdue and ("r2", 1) in overdue


@pytest.mark.parametrize("files", [("R1", "R2"), ("R3",)])
def test_every_supervision_action_is_itself_smart(store, reps, examples, files):
    """Practise what we preach: caseqa's own timebound check finds who and by when in every action."""
    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    for rid in files:
        store.save_result(run, reps[rid], content_hash=rid, fields={"worker": JO})
    for name in ("care_plan_amira_before.txt", "review_minutes_josh.txt", "pathway_plan_leah.md"):
        store.save_result(run, analyse_file(examples / name), content_hash=name, fields={"worker": JO})
    on = dt.date(2025, 3, 17)
    record = build_supervision(store, JO, on=on)
    assert len(record.actions) >= 10
    for action in record.actions:
        report = analyse(action.text, date=on)
        assert len(report.actions) == 1, action.text
        [found] = report.actions
        assert found.owner == JO, action.text
        assert found.timebound and found.deadline == action.due.isoformat(), action.text
        assert found.problems == [], (action.text, found.problems)


def test_due_date_is_working_days_after_the_supervision_skipping_bank_holidays(store, reps):
    fill(store, reps)
    # Monday 14 April 2025 + 10 working days, Good Friday (18th) and Easter Monday (21st) skipped.
    record = build_supervision(store, JO, on=dt.date(2025, 4, 14))
    assert {a.due for a in record.actions} == {dt.date(2025, 4, 30)}
    assert all(a.text.endswith("by 30 April 2025.") for a in record.actions)
    short = build_supervision(store, JO, on=dt.date(2025, 4, 14), due_working_days=4)
    assert {a.due for a in short.actions} == {dt.date(2025, 4, 22)}


# ---- the loop ----------------------------------------------------------------------------------------


def test_a_rescored_fixed_record_closes_its_action_and_the_rest_stay_open(store, reps):
    fill(store, reps)
    first = save_supervision(store, build_supervision(store, JO, on=dt.date(2025, 3, 17), max_per_record=50, max_actions=500))
    who_when = next(a for a in first.actions if a.record_id == "R1" and a.key == "timebound_actions:who_when")
    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    store.save_result(run, reps["R1v2"], content_hash="r1v2", fields={"worker": JO, "team": "North"})
    result = sync_actions(store, today=dt.date(2025, 3, 24))
    assert result.closed == 1
    [closed] = [a for a in store.supervision_actions(worker=JO) if a.id == who_when.id]
    assert (closed.status, closed.closed_on, closed.closed_version) == ("closed", "2025-03-24", 2)
    still = [a for a in store.open_actions(JO)]
    assert still and all(a.raised_on == "2025-03-17" for a in still)
    assert sync_actions(store, today=dt.date(2025, 3, 25)).closed == 0  # idempotent

    second = build_supervision(store, JO, on=dt.date(2025, 4, 14), max_per_record=50, max_actions=500)
    assert second.previous_date == dt.date(2025, 3, 17) and second.since == dt.date(2025, 3, 17)
    statuses = {a.id: a.status_text for a in second.previous_actions}
    assert statuses[who_when.id] == "Done 24 March 2025"
    assert all(s.startswith("Not done (raised 17 March 2025)") for i, s in statuses.items() if i != who_when.id)
    # nothing new but a check on Amira's plan, whose dates (2 April 2025) have passed since: every shortfall
    # is already an open action
    assert [a.key for a in second.actions] == ["timebound_actions:overdue"]
    assert len(second.carried_forward) == len(first.actions) - 1
    assert second.stats.closed == 1 and second.stats.closed_since_last == 1 and second.stats.median_days_to_close == 7
    assert second.stats.overdue == len(second.carried_forward)  # due 31 March, now 14 April

    stats = store.actions_stats(JO, on="2025-04-14")
    assert (stats.raised, stats.closed, stats.overdue, stats.median_days_to_close) == (
        len(first.actions), 1, len(first.actions) - 1, 7.0)
    assert store.actions_stats_by("team", on="2025-04-14")["North"].raised == len(first.actions)


def test_writing_the_same_days_supervision_again_replaces_it(store, reps):
    fill(store, reps)
    on = dt.date(2025, 3, 17)
    first = save_supervision(store, build_supervision(store, JO, on=on))
    again = save_supervision(store, build_supervision(store, JO, on=on))
    assert len(again.actions) == len(first.actions)
    assert len(store.supervision_actions(worker=JO)) == len(first.actions)
    assert len(store.list_supervisions(JO)) == 1


def test_api_payload_is_the_record_as_json(store, reps):
    fill(store, reps)
    data = supervision_for_api(store, JO, "2025-03-17")
    assert data["worker"] == JO and data["date"] == "2025-03-17" and data["date_text"] == "17 March 2025"
    assert data["actions"][0]["due_text"] == "31 March 2025" and data["actions"][0]["status"] == "new"
    assert not store.list_supervisions(JO)  # building for the API stores nothing


# ---- rendering and templates -------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_word_markdown_and_html_outputs(store, reps, tmp_path):
    fill(store, reps)
    record = save_supervision(store, build_supervision(store, JO, on=dt.date(2025, 3, 17)))
    action = record.actions[0]
    word = docx_text(render(record, tmp_path / "s.docx"))
    assert action.what in word and "31 March 2025" in word and "Actions agreed" in word and "{{" not in word
    md = render(record, tmp_path / "s.md").read_text(encoding="utf-8")
    for heading in ("## 1. Review of previous actions", "## 2. Records audited", "## 3. Case actions",
                    "## 4. Actions agreed", "## 5. The audit loop"):
        assert heading in md
    assert f"| {action.what} | {JO} | 31 March 2025 | New |" in md
    html = render(record, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "Amira&#39;s care plan" in html and "<script" not in html and "http" not in html


def make_docx(path: Path, *paragraphs: str) -> Path:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def test_a_council_template_places_the_fields_where_it_wants(store, reps, tmp_path):
    fill(store, reps)
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    tpl = make_docx(tmp_path / "council.docx", "Practitioner: {{ worker }} ({{ team }})",
                    "{%p for a in all_actions %}", "ACTION {{ a.what }} BY {{ a.due_text }}", "{%p endfor %}")
    text_ = docx_text(render(record, tmp_path / "out.docx", template=tpl))
    assert "Practitioner: Jo Smith (North)" in text_
    assert f"ACTION {record.actions[0].what} BY 31 March 2025" in text_


def test_a_template_with_unknown_tags_is_refused_listing_them(store, reps, tmp_path):
    fill(store, reps)
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    tpl = make_docx(tmp_path / "bad.docx", "{{ worker }} {{ social_worker_name }}", "{{ case_number.id }}")
    with pytest.raises(TemplateError, match="unknown fields: case_number, social_worker_name") as exc:
        render(record, tmp_path / "out.docx", template=tpl)
    assert "worker" in str(exc.value).split("Available:")[1]
    assert not (tmp_path / "out.docx").exists()
    misspelt = make_docx(tmp_path / "attr.docx", "{%p for a in all_actions %}", "{{ a.whne }}", "{%p endfor %}")
    with pytest.raises(TemplateError, match="whne"):
        render(record, tmp_path / "out.docx", template=misspelt)
    broken = make_docx(tmp_path / "syntax.docx", "{% for a in actions %}")
    with pytest.raises(TemplateError, match="syntax.docx"):
        render(record, tmp_path / "out.docx", template=broken)


def test_the_documented_fields_are_the_template_fields():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "SUPERVISION.md").read_text(encoding="utf-8")
    for name in TEMPLATE_FIELDS:
        assert f"`{name}`" in doc, name


# ---- the command line, end to end --------------------------------------------------------------------


def run_cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def write_export(path: Path, amira: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["RecordID", "Body", "Author", "Team"])
        w.writerow(["R1", amira, JO, "North"])
        w.writerow(["R2", JOSH, JO, "North"])
        w.writerow(["R3", LEAH, SAM, "South"])
    return path


def score(tmp_path: Path, export: Path, *more: str):
    r = run_cli("score", str(export), "--db", str(tmp_path / "c.db"), "--workers", "1", "--out", str(tmp_path / "o.jsonl"),
                "--map", "text=Body,id=RecordID,worker=Author,team=Team", *more)
    assert r.exit_code == 0, r.output
    return r


def test_the_loop_end_to_end_through_the_command_line(tmp_path):
    db = str(tmp_path / "c.db")
    score(tmp_path, write_export(tmp_path / "v1.csv", AMIRA))
    first_day = (dt.date.today() - dt.timedelta(days=28)).isoformat()
    r = run_cli("supervision", JO, "--db", db, "--date", first_day, "--out", str(tmp_path / "s1.docx"))
    assert r.exit_code == 0, r.output
    assert "actions raised" in r.output and "wrote" in r.output
    r = run_cli("supervision", JO, "--db", db, "--date", first_day, "--out", str(tmp_path / "s1.md"))
    assert r.exit_code == 0, r.output
    s1 = (tmp_path / "s1.md").read_text(encoding="utf-8")
    assert "Add a date to action 3 in Amira's care plan of 12 March 2025" in s1 and "Sam" not in s1
    assert "Add a date to action 3" in docx_text(tmp_path / "s1.docx")

    # The worker fixes Amira's plan; the export is scored again: a new version of R1 closes that action.
    r = score(tmp_path, write_export(tmp_path / "v2.csv", AMIRA_FIXED), "--html", str(tmp_path / "audit"))
    assert "supervision actions closed by fixed records: 1" in r.output
    index = (tmp_path / "audit" / "index.html").read_text(encoding="utf-8")
    assert "The audit loop" in index and JO in index

    r = run_cli("supervision", JO, "--db", db, "--out", str(tmp_path / "s2.md"))
    assert r.exit_code == 0, r.output
    assert "closed since last time 1" in r.output
    s2 = (tmp_path / "s2.md").read_text(encoding="utf-8")
    review = s2.split("## 1. Review of previous actions")[1].split("## 2.")[0]
    today = dt.date.today()
    done = f"| Add a date to action 3 in Amira's care plan of 12 March 2025 | {JO} |"
    assert done in review and f"Done {today.day} {today:%B %Y}" in review.split(done)[1].splitlines()[0]
    first = dt.date.fromisoformat(first_day)
    assert f"Not done (raised {first.day} {first:%B %Y})" in review
    with Store(db) as s:
        assert s.actions_stats(JO).closed == 1 and s.actions_stats(SAM).raised == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["Nobody", "--out", "x.md"], "no scored records for worker 'Nobody' in the store (workers in the store: Jo Smith, Sam Patel)"),
        ([JO, "--out", "x.pdf"], "write the supervision record to a .docx, .md or .html file"),
        ([JO, "--out", "x.md", "--date", "31/02/2025"], "is not a date"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    score(tmp_path, write_export(tmp_path / "v1.csv", AMIRA))
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    r = run_cli("supervision", *args, "--db", str(tmp_path / "c.db"))
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())


def test_cli_refuses_a_template_with_unknown_tags(tmp_path):
    score(tmp_path, write_export(tmp_path / "v1.csv", AMIRA))
    tpl = make_docx(tmp_path / "bad.docx", "{{ worker }} {{ child_surname }}")
    r = run_cli("supervision", JO, "--db", str(tmp_path / "c.db"), "--template", str(tpl), "--out", str(tmp_path / "s.docx"))
    assert r.exit_code == 2 and "unknown fields: child_surname" in " ".join(r.output.split())
    with Store(str(tmp_path / "c.db")) as s:
        assert not s.list_supervisions(JO)  # nothing stored when nothing was written


def test_a_supervision_raises_a_handful_of_actions_and_folds_the_rest(store, reps):
    fill(store, reps)
    full = build_supervision(store, JO, on=dt.date(2025, 3, 17), max_per_record=50, max_actions=500)
    capped = build_supervision(store, JO, on=dt.date(2025, 3, 17), max_per_record=2, max_actions=3)
    assert len(full.actions) > 3 and len(capped.actions) == 3
    assert all(len(r.actions) <= 2 for r in capped.records)
    assert any(r.also for r in capped.records)  # the rest: one line per record, not lost
    # the most important first: a missing date or owner on a care action before jargon or passives
    from analyser.supervision.shortfalls import GROUP_ORDER
    ranks = [GROUP_ORDER.index(a.key) if a.key in GROUP_ORDER else len(GROUP_ORDER) for a in capped.actions]
    assert max(ranks) <= min(GROUP_ORDER.index(a.key) for a in full.actions if a.key not in {c.key for c in capped.actions}
                             and a.key in GROUP_ORDER)
    assert len(capped.care_actions) <= 3


def test_a_first_supervision_over_36_records_fits_on_two_pages(tmp_path):
    """The Word record a supervisor takes into the meeting: 36 audited records, a handful of actions,
    two A4 pages (rendered by LibreOffice when installed; else counted by its rows)."""
    import shutil
    import subprocess

    from pypdf import PdfReader

    from analyser import analyse
    from analyser.store import Store
    from analyser.supervision import render_bytes

    root = Path(__file__).resolve().parent.parent
    with Store(str(tmp_path / "s.db")) as store:
        run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
        for p in sorted((root / "corpus" / "synthetic" / "dev").glob("*.txt"))[:36]:
            text = p.read_text(encoding="utf-8")
            store.save_result(run, analyse(text, id=p.stem), content_hash=p.stem, fields={"worker": "Jo", "team": "North"})
        record = build_supervision(store, "Jo", on=dt.date(2025, 9, 1))
    assert len(record.records) == 36
    assert len(record.actions) == 10 and all(len(r.actions) <= 3 for r in record.records)
    assert len(record.care_actions) <= 5 and record.also_text
    docx_path = tmp_path / "sup.docx"
    docx_path.write_bytes(render_bytes(record, "docx"))
    soffice = shutil.which("soffice")
    if soffice:
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
                       capture_output=True, timeout=240, check=True)
        assert len(PdfReader(str(tmp_path / "sup.pdf")).pages) <= 2
    else:  # proxy: rows in the record's tables (36 records + 5 care actions + 10 actions + headers)
        docx_doc = docx.Document(str(docx_path))

        rows = sum(len(t.rows) for t in docx_doc.tables)
        assert rows <= 70, rows


def test_strengths_never_pick_a_dimension_that_was_not_scored() -> None:
    from analyser.report import DimensionResult
    from analyser.supervision import strengths
    from test_scoring import VISIT

    report = analyse(VISIT)
    bare = {d: DimensionResult(score=None, summary="Not scored.", applies=False) for d in report.dimensions}
    bare["child_directed_language"] = DimensionResult(score=16, summary="Written about the child.")
    line = strengths(report.model_copy(update={"dimensions": bare}))
    assert line.startswith("Strongest on child directed language (16)")
    none = {d: DimensionResult(score=None, summary="Not scored.", applies=False) for d in report.dimensions}
    assert strengths(report.model_copy(update={"dimensions": none})) == "No dimension could be scored."


def test_a_nearly_empty_record_is_a_shortfall_and_an_unread_type_is_not() -> None:
    from analyser.rubric import load_rubric
    from analyser.supervision.shortfalls import describe, shortfalls
    from test_scoring import VISIT

    assert not [k for k in shortfalls(analyse(VISIT)) if "doc_type_unknown" in k]
    groups = shortfalls(analyse("Summary\nThe child is fine.\n\nPlan\nNo concerns.\n"))
    assert "plan_detail:nearly_empty" in groups
    text = describe(groups["plan_detail:nearly_empty"], "the care plan", "Amy", load_rubric())
    assert text.startswith("Write the care plan in full") and "Amy's views" in text


# ---- overdue care actions become supervision actions; caseqa reads its own record ---------------------


def test_overdue_care_actions_become_checks_the_worker_agrees_to(store, reps):
    fill(store, reps)
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    [check] = [a for a in record.actions if a.key == "timebound_actions:overdue"]
    assert check.text == (f"{JO} will check with Kim Reid whether action 2 in Josh's review minutes of 10 June 2024 "
                          "was done, and record the outcome in Josh's review minutes of 10 June 2024 by 31 March 2025.")
    assert check.owner == JO and check.due == dt.date(2025, 3, 31) and check.record_id == "R2"
    assert record.actions[0] is check  # the most important first


def test_a_check_on_an_earlier_records_action_is_recorded_in_the_later_review(store):
    from test_drift import FIRST, SECOND

    store_child(store, {"r1": FIRST, "r2": SECOND}, {"r1": "C-1", "r2": "C-1"})
    record = build_supervision(store, JO, on=dt.date(2025, 3, 17))
    whats = {a.key: a.what for a in record.actions if a.key.startswith("timebound_actions:overdue")}
    assert whats["timebound_actions:overdue_earlier"] == (
        "Check with Mr Patel whether action 2 in Amira's review minutes of 10 June 2024 was done, and record the "
        "outcome in Amira's review minutes of 10 December 2024")
    assert whats["timebound_actions:overdue"].startswith("Check with your social worker whether action 1 in Amira's "
                                                         "review minutes of 10 December 2024 was done")


def test_a_check_closes_when_the_record_gives_the_action_a_new_date(store, reps):
    fill(store, reps)
    first = save_supervision(store, build_supervision(store, JO, on=dt.date(2025, 3, 17)))
    [check] = [a for a in first.actions if a.key == "timebound_actions:overdue"]
    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    store.save_result(run, analyse(JOSH.replace("15/06/2024", "15/04/2025"), id="R2"), content_hash="r2v2",
                      fields={"worker": JO, "team": "North"})
    sync_actions(store, today=dt.date(2025, 3, 20))
    assert {a.id: a.status for a in store.supervision_actions(worker=JO)}[check.id] == "closed"


def test_an_overdue_action_carried_forward_is_agreed_again_with_a_new_date(store, reps):
    fill(store, reps)
    first = save_supervision(store, build_supervision(store, JO, on=dt.date(2025, 3, 17)))
    later = save_supervision(store, build_supervision(store, JO, on=dt.date(2025, 4, 14)))
    again = {a.id: a for a in later.carried_forward}
    a = again[first.actions[0].id]
    assert a.due == dt.date(2025, 4, 30) and a.was_due == dt.date(2025, 3, 31)
    assert a.status_text == "Not done (raised 17 March 2025, was due 31 March 2025): agreed again"
    assert a.text.endswith("by 30 April 2025.")
    assert {r.id: r.due for r in store.open_actions(JO)}[a.id] == "2025-04-30"  # stored with its new date


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_caseqa_reading_its_own_supervision_record_finds_every_agreed_action_owned_and_dated(tmp_path, fmt):
    """The exported record run back through caseqa: the agreed actions (new, checks of overdue care
    actions, and earlier ones agreed again) each with the worker and their date, and nothing else read
    as an action: the records' own words in section 3 are quotes."""
    from analyser import analyse_document
    from analyser.ingest import load_file
    from analyser.supervision import render_bytes

    with Store(str(tmp_path / "s.db")) as store:
        _store_36_records_of_jo(store)
        save_supervision(store, build_supervision(store, "Jo", on=dt.date(2025, 9, 1)))
        record = build_supervision(store, "Jo", on=dt.date(2025, 10, 1))
    assert record.care_actions and record.carried_forward
    assert any(a.key == "timebound_actions:overdue" for a in record.all_actions)
    path = tmp_path / f"supervision.{fmt}"
    path.write_bytes(render_bytes(record, fmt))
    found = analyse_document(load_file(path), date=record.date).actions
    for a in found:
        assert a.owner == "Jo" and a.deadline and a.problems == [], (a.text, a.owner, a.deadline, a.problems)
    assert len(found) == len(record.all_actions)
    assert sorted(a.deadline for a in found) == sorted(a.due.isoformat() for a in record.all_actions)


def _store_36_records_of_jo(store: Store) -> None:
    """36 generated records, Jo's in North: a first supervision's worth."""
    root = Path(__file__).resolve().parent.parent
    run = store.start_run(rubric_version="r", model_version="m", caseqa_version="0", params={})
    for p in sorted((root / "corpus" / "synthetic" / "dev").glob("*.txt"))[:36]:
        store.save_result(run, analyse(p.read_text(encoding="utf-8"), id=p.stem), content_hash=p.stem,
                          fields={"worker": "Jo", "team": "North"})


def test_the_record_is_written_in_plain_words_never_rule_ids(tmp_path):
    from analyser.supervision import render_bytes
    from analyser.supervision.shortfalls import GROUP_ORDER

    with Store(str(tmp_path / "s.db")) as store:
        _store_36_records_of_jo(store)
        record = build_supervision(store, "Jo", on=dt.date(2025, 9, 1))
    written = render_bytes(record, "md").decode("utf-8").lower()
    assert "Not raised today".lower() in written  # the also lines are there...
    for word in ("smart", "timebound", "timebound_actions", "readability:", "plan_detail", "child_directed"):
        assert word not in written, word
    for key in GROUP_ORDER:  # ...naming kinds of shortfall in words, not their codes ("passive voice", "vague verb")
        code = key.split(":", 1)[1]
        if code not in ("jargon", "overdue", "no_actions"):  # already plain words
            assert not re.search(rf"\b{code.replace('_', ' ')}\b", written), code
