"""The offline HTML audit report as its readers use it: printed for a director, read record by record.

Rendered in Debian's Chromium (the fixture of tests/test_service_pages.py) from the files on disk.
"""

from __future__ import annotations

import io

import pytest
from service_support import POOR_DRAFT
from test_drift import FIRST, SECOND
from test_service_pages import browser  # noqa: F401  (the Chromium fixture)

from analyser import analyse
from analyser.audit_report import AuditReport
from analyser.drift import TimelineRecord, drift_sections, history_facts

RECORDS = 200


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""

    def luminance(css: str) -> float:
        r, g, b = (int(float(v)) / 255 for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    """An audit report of 200 records (one report under 200 ids: the layout is what is tested)."""
    out = tmp_path_factory.mktemp("audit")
    report = analyse(POOR_DRAFT, id="R-000")
    audit = AuditReport(out)
    for i in range(RECORDS):
        audit.add(report.model_copy(update={"id": f"R-{i:03d}"}), {"worker": f"worker {i % 30}", "team": "North"})
    audit.finish(title="Audit")
    return out


@pytest.fixture()
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    p = context.new_page()
    yield p
    context.close()


def test_printing_the_audit_report_prints_every_record_with_sections_on_new_pages(page, audit):
    from pypdf import PdfReader

    page.goto((audit / "index.html").as_uri())
    page.emulate_media(media="print")
    clipped = page.evaluate("[...document.querySelectorAll('.scrollbox')].filter(b => b.scrollHeight > b.clientHeight + 1).length")
    assert clipped == 0
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    pages = [p.extract_text() for p in pdf.pages]
    text = "\n".join(pages)
    missing = [i for i in range(RECORDS) if f"R-{i:03d}" not in text]
    assert not missing, f"{len(missing)} of {RECORDS} records not printed"
    assert "worker 29" in text  # the by-worker table whole too
    # each section starts a page ("Records (lowest overall score" only: the PDF text has the "fi" ligature)
    for heading in ("By team", "By worker", "Records (lowest overall score"):
        assert any(p.lstrip().startswith(heading) for p in pages), heading


def test_grade_badges_keep_4_5_to_1_contrast(page, audit):
    page.goto((audit / "index.html").as_uri())
    badges = page.locator(".grade").evaluate_all(
        "bs => bs.map(b => [b.className, getComputedStyle(b).color, getComputedStyle(b).backgroundColor])")
    assert {b[0] for b in badges} >= {"grade good", "grade inadequate"}
    low = [(cls, round(contrast(fg, bg), 2)) for cls, fg, bg in badges if contrast(fg, bg) < 4.5]
    assert not low, low


def test_a_record_page_shows_the_drift_found_across_the_childs_records(page, tmp_path):
    first, second = analyse(FIRST, id="A-1"), analyse(SECOND, id="A-2")
    timeline = [TimelineRecord.from_report(first, history_facts(FIRST)), TimelineRecord.from_report(second, history_facts(SECOND))]
    section = drift_sections(timeline, "child_id", "CH-A")["A-2"]
    assert section is not None and section.findings
    audit = AuditReport(tmp_path)
    audit.add(second.model_copy(update={"drift": section}), {"child_id": "CH-A"})
    audit.finish()
    page.goto((tmp_path / "records" / "A-2.html").as_uri())
    body = page.locator("body").inner_text()
    assert "Drift and delay across the child's records" in body
    for f in section.findings:
        assert f.message in body
