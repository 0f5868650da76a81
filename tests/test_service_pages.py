"""The pages in a real browser: Debian's Chromium driven by Playwright against a real uvicorn server.

These tests fail (never skip) when Chromium is missing: `scripts/test-setup.sh` installs it.
"""

from __future__ import annotations

import os

import pytest
from service_support import GOOD_DRAFT, POOR_DRAFT, seed
from test_drift import FIRST, SECOND

from analyser import analyse
from analyser.batch import content_hash
from analyser.drift import history_facts

from analyser.store import Store
from service.background import BackgroundServer
from service.config import Settings

CHROMIUM = os.environ.get("CASEQA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The service seed, plus N-3 (sw_north, January 2025 like N-1) and child CH-A: two reviews by sw_north
    whose second has drift findings."""
    s = seed(str(tmp_path_factory.mktemp("pages") / "caseqa.db"))
    with Store(s.db) as store:
        run = store.start_run(rubric_version="x", model_version="m", caseqa_version="0", params={})
        # N-3: sw_north's second record in January 2025, so the chart has a month of two records
        store.save_result(run, analyse(GOOD_DRAFT, id="N-3", date="2025-01-24"),
                          content_hash=content_hash(GOOD_DRAFT, {"id": "N-3"}),
                          fields={"worker": "sw_north", "team": "North"}, submitted_by="sw_north")
        for rid, text in (("A-1", FIRST), ("A-2", SECOND)):
            store.save_result(run, analyse(text, id=rid), content_hash=content_hash(text, {"id": rid}),
                              fields={"worker": "sw_north", "team": "North", "child_id": "CH-A"},
                              submitted_by="sw_north", history=history_facts(text), text=text)
        store.finish_run(run, scored=2, skipped=0, failed=0)
    return s


@pytest.fixture(scope="module")
def server(seeded):
    # cookie_secure stays on: Chromium treats 127.0.0.1 as a secure context, as it does localhost.
    with BackgroundServer(Settings(db=seeded.db, session_secret="p" * 32, cookie_secure=True)) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `bash scripts/test-setup.sh` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith("http://127.0.0.1")
                  else route.continue_())  # nothing may come from another site
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def sign_in(page, server, key: str, next_path: str = "/") -> None:
    page.goto(f"{server.url}{next_path}")
    assert "/login" in page.url
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}{next_path}")


def test_pasting_a_draft_shows_scores_highlights_findings_and_actions(page, server, seeded):
    sign_in(page, server, seeded.keys["sw_north"])
    page.get_by_label("Draft text").fill(POOR_DRAFT)
    # debounced re-check: no click needed
    page.locator("#feedback mark.timebound_actions").first.wait_for()
    assert page.locator("#feedback mark.child_directed_language").count() > 0
    assert page.locator("#feedback .overall .g").inner_text().lower() == "inadequate"
    assert page.locator("#feedback .findings .finding").count() > 5
    assert page.locator("#feedback .actions tbody tr").count() >= 3
    assert "nobody named" in page.locator("#feedback .actions").inner_text()
    assert "Checked" in page.locator("#status").inner_text()


def test_editing_the_draft_rechecks_it(page, server, seeded):
    sign_in(page, server, seeded.keys["sw_north"])
    box = page.get_by_label("Draft text")
    box.fill("CARE PLAN\nYour social worker, Jo Smith, will visit you at home by 2 April 2025.")
    page.locator("#feedback .feedback").wait_for()
    first = page.locator("#feedback .actions tbody tr").count()
    box.press("End")
    box.type("\nMum will continue to engage with services when appropriate.")
    page.wait_for_function(f"document.querySelectorAll('#feedback .actions tbody tr').length > {first}")
    assert "vague timescale" in page.locator("#feedback .actions").inner_text()


def test_a_supervisor_signs_in_sees_the_team_and_drills_into_highlighted_feedback(page, server, seeded):
    sign_in(page, server, seeded.keys["sup_north"], "/dashboard")
    table = page.locator("table.records")
    assert "N-1" in table.inner_text() and "N-2" in table.inner_text() and "S-1" not in table.inner_text()
    assert page.locator("svg.chart polyline").count() >= 1
    page.get_by_role("link", name="N-1").click()
    page.wait_for_url(f"{server.url}/records/N-1")
    assert page.locator(".record-text mark.timebound_actions").count() > 0
    assert page.locator(".findings .finding").count() > 5
    page.get_by_role("link", name="sw_north").first.click()
    assert "supervision" in page.locator("#supervision").inner_text().lower()
    page.get_by_role("link", name="Preview the supervision record for sw_north").click()
    # the preview stays inside the site: the menu, breadcrumbs back, and the record framed in the page
    page.wait_for_url(f"{server.url}/workers/sw_north/supervision")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Team dashboard").count() == 1
    assert page.locator(".crumbs").get_by_role("link", name="sw_north").count() == 1
    preview = page.frame_locator("iframe.preview")
    assert "sw_north" in preview.locator("h1").inner_text()
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Supervision record (Word) for sw_north").click()
    assert download.value.suggested_filename.startswith("supervision-sw_north-")


def test_the_checker_is_usable_from_the_keyboard_with_labelled_controls(page, server, seeded):
    sign_in(page, server, seeded.keys["sw_north"])
    for label in ("Draft text", "Type", "Child's first name", "Child's age", "Record date",
                  "When saving, keep the text (so my supervisor sees it highlighted)"):
        assert page.get_by_label(label).count() == 1, label
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_label("Draft text").focus()
    page.keyboard.type(POOR_DRAFT[:400])
    page.keyboard.press("Tab")
    page.locator("#feedback .feedback").wait_for()


def _drafts_of(db: str, who: str) -> dict[str, int]:
    """Saved draft record ids of a user -> how many versions each has."""
    with Store(db) as store:
        ids = [r.record_id for r in store.list_records(submitted_by=who, limit=1000) if r.record_id.startswith("draft-")]
        return {i: len(store.record_versions(i)) for i in ids}


def test_typing_saves_nothing_and_each_save_is_a_new_version_of_one_record(page, server, seeded):
    # sw_south: no other page test saves drafts as this user
    before = _drafts_of(seeded.db, "sw_south")
    sign_in(page, server, seeded.keys["sw_south"])
    box = page.get_by_label("Draft text")
    box.fill("CARE PLAN\nYour social worker, Jo Smith, will visit you at home by 2 April 2025.")
    page.locator("#feedback .feedback").wait_for()
    page.get_by_label("When saving, keep the text (so my supervisor sees it highlighted)").check()
    box.press("End")
    box.type("\nMum will continue to engage with services.")
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('Checked')")
    assert _drafts_of(seeded.db, "sw_south") == before  # automatic re-checks store nothing
    page.get_by_role("button", name="Save to my records").click()
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('Saved')")
    assert "version 1" in page.locator("#status").inner_text()
    box.press("End")
    box.type("\nYou will see Dr Patel by 30 May 2025.")
    page.wait_for_function("document.querySelector('#status').textContent.includes('not saved')")
    page.get_by_role("button", name="Save to my records").click()
    page.wait_for_function("document.querySelector('#status').textContent.includes('version 2')")
    after = _drafts_of(seeded.db, "sw_south")
    new = {k: v for k, v in after.items() if k not in before}
    assert list(new.values()) == [2], after  # one record, two versions
    record_id = next(iter(new))
    assert record_id in page.locator("#status").inner_text()


def test_a_social_worker_finds_their_records_and_no_breadcrumb_leads_to_a_403(page, server, seeded):
    sign_in(page, server, seeded.keys["sw_north"])
    assert ".md" in page.locator("#drop-help").inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My records").click()
    page.wait_for_url(f"{server.url}/my-records")
    assert "N-1" in page.locator("table.records").inner_text()
    assert "S-1" not in page.locator("table.records").inner_text()
    page.locator("table.records").get_by_role("link", name="N-1").click()
    page.wait_for_url(f"{server.url}/records/N-1")
    crumbs = page.locator(".crumbs")
    assert "Team dashboard" not in crumbs.inner_text()
    crumbs.get_by_role("link", name="My records").click()
    page.wait_for_url(f"{server.url}/my-records")
    assert page.locator("h1").inner_text() == "My records"


def _right_edge(page, selector: str) -> float:
    return page.evaluate(f"Math.max(...[...document.querySelectorAll({selector!r})].map(e => e.getBoundingClientRect().right))")


def test_a_childs_timeline_fits_a_1280_pixel_screen_with_every_column_and_suggestion_visible(page, server, seeded):
    with Store(seeded.db) as store:
        key = store.child_key("child_id:CH-A")
    sign_in(page, server, seeded.keys["auditor"], f"/children/{key}")
    assert page.locator("ul.drift li").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert _right_edge(page, "table.records th") <= 1280  # Grade, Overall and Drift on screen
    assert _right_edge(page, "ul.drift li") <= 1280  # every suggestion readable without scrolling sideways


def test_the_worker_page_keeps_each_iso_date_on_one_line(browser, server, seeded):
    # a narrow window squeezes the open-actions table: the dates must still not break at their hyphens
    context = browser.new_context(viewport={"width": 700, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, server, seeded.keys["sup_north"], "/workers/sw_north")
        r = page.request.post(f"{server.url}/v1/workers/sw_north/supervision",
                              headers={"Authorization": f"Bearer {seeded.keys['sup_north']}"})
        assert r.status == 201, r.text()
        page.reload()
        cells = page.locator("#supervision table tbody td:nth-child(3)")
        assert cells.count() > 0
        height = cells.first.evaluate("e => e.getBoundingClientRect().height")
        line = cells.first.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        padding = cells.first.evaluate("e => parseFloat(getComputedStyle(e).paddingTop) + parseFloat(getComputedStyle(e).paddingBottom)")
        text_height = cells.first.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().height; }")
        assert text_height < 1.5 * line, (height, line, padding, text_height)
    finally:
        context.close()


def test_the_dashboard_chart_shows_monthly_means_for_each_worker_and_the_team_on_even_ticks(page, server, seeded):
    sign_in(page, server, seeded.keys["auditor"], "/dashboard")
    chart = page.locator("svg.chart")
    assert chart.locator("rect.band").count() == 4  # the grade bands
    assert chart.locator("polyline.team").count() == 1
    xs = [float(x) for x in chart.locator("text.month").evaluate_all("ts => ts.map(t => t.getAttribute('x'))")]
    labels = chart.locator("text.month").evaluate_all("ts => ts.map(t => t.textContent)")
    assert len(xs) >= 3 and all(len(label.split()) == 2 for label in labels), labels  # "Jan 2025"
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.5, gaps  # even ticks
    # sw_north has three records in two months: two points, each a month's mean
    with Store(seeded.db) as store:
        rows = store.list_records(worker="sw_north", limit=100)
    months = {(r.date or "")[:7] for r in rows}
    tips = chart.locator("title").evaluate_all("ts => ts.map(t => t.textContent)")
    north = [t for t in tips if t.startswith("sw_north,")]
    assert len(north) == len(months) < len(rows), (north, months)
    assert all("mean" in t for t in north)
def test_a_checked_word_file_downloads_with_comments_and_edited_text_does_not(page, server, seeded, tmp_path):
    import io
    from pathlib import Path

    import docx

    kai = Path(__file__).resolve().parent.parent / "examples" / "review_minutes_kai.docx"
    sign_in(page, server, seeded.keys["sw_north"])
    button = page.get_by_role("button", name="Download with comments")
    assert not button.is_visible()  # nothing to write comments into yet
    page.locator("#draft-file").set_input_files(str(kai))
    button.wait_for(state="visible")
    findings = page.locator("#feedback .findings .finding").count()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "review_minutes_kai - caseqa comments.docx"
    saved = tmp_path / "kai.docx"
    download.value.save_as(saved)
    comments = list(docx.Document(io.BytesIO(saved.read_bytes())).comments)
    assert len(comments) == findings + 1 and comments[0].author == "caseqa"
    # Editing the text: the Word file no longer matches what was checked, so the offer goes.
    page.get_by_label("Draft text").press("End")
    page.get_by_label("Draft text").type(" More.")
    button.wait_for(state="hidden")
