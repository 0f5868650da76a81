"""The pages in a real browser: Debian's Chromium driven by Playwright against a real uvicorn server.

These tests fail (never skip) when Chromium is missing: `scripts/test-setup.sh` installs it.
"""

from __future__ import annotations

import os

import pytest
from service_support import POOR_DRAFT, seed

from service.background import BackgroundServer
from service.config import Settings

CHROMIUM = os.environ.get("CASEQA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seed(str(tmp_path_factory.mktemp("pages") / "caseqa.db"))


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
    page.wait_for_url(f"{server.url}/v1/workers/sw_north/supervision?format=html")
    assert "sw_north" in page.content()
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Supervision record (Word) for sw_north").click()
    assert download.value.suggested_filename.startswith("supervision-sw_north-")


def test_the_checker_is_usable_from_the_keyboard_with_labelled_controls(page, server, seeded):
    sign_in(page, server, seeded.keys["sw_north"])
    for label in ("Draft text", "Type", "Child's first name", "Child's age", "Record date", "Save this check to my records"):
        assert page.get_by_label(label).count() == 1, label
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_label("Draft text").focus()
    page.keyboard.type(POOR_DRAFT[:400])
    page.keyboard.press("Tab")
    page.locator("#feedback .feedback").wait_for()


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
