"""Word in, Word out: findings as Word comments on their words, the document otherwise unchanged."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from analyser import analyse_document
from analyser.ingest import load_bytes
from analyser.ingest.docx import text_map
from analyser.report import Report
from analyser.word_comments import (
    AUTHOR,
    SUMMARY_PREFIX,
    AnnotateError,
    annotate_docx,
    comment_text,
    excerpt_matches,
    preferred_words,
)

ROOT = Path(__file__).resolve().parent.parent
WORD_FILES = sorted((ROOT / "examples").glob("*.docx")) + sorted((ROOT / "corpus" / "blind").glob("*.docx"))
# Parts the annotation may change: the body (range markers, split runs), the new comments part, and
# the package's relationship and content-type lists that name it.
CHANGED_PARTS = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def anchored_texts(document) -> dict[int, str]:
    """Comment id -> the document text between its range start and end, in document order."""
    open_ids: set[int] = set()
    texts: dict[int, str] = {}
    for el in document.element.body.iter():
        tag = el.tag
        if tag == qn("w:commentRangeStart"):
            cid = int(el.get(qn("w:id")))
            open_ids.add(cid)
            texts[cid] = ""
        elif tag == qn("w:commentRangeEnd"):
            open_ids.discard(int(el.get(qn("w:id"))))
        elif tag == qn("w:t"):
            for cid in open_ids:
                texts[cid] += el.text or ""
        elif tag in (qn("w:tab"), qn("w:br"), qn("w:p"), qn("w:tc")):
            for cid in open_ids:
                texts[cid] += " "
    return texts


def analysed(data: bytes, name: str) -> tuple[str, Report]:
    document = load_bytes(data, name)
    return document.text, analyse_document(document)


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


@pytest.fixture(scope="module")
def annotated_files() -> list[tuple[Path, bytes, str, Report, bytes]]:
    out = []
    for path in WORD_FILES:
        data = path.read_bytes()
        text, report = analysed(data, path.name)
        out.append((path, data, text, report, annotate_docx(data, report, source=path.name).data))
    return out


def test_there_are_word_files_to_check():
    assert len(WORD_FILES) >= 10


def test_text_map_gives_the_ingest_text_and_the_node_under_every_character():
    for path in WORD_FILES:
        document = docx.Document(str(path))
        text, pieces = text_map(document)
        assert text == load_bytes(path.read_bytes(), path.name).text
        shown = [False] * len(text)
        for p in pieces:
            if p.node.tag == qn("w:t"):
                assert p.node.text[p.node_offset : p.node_offset + p.end - p.start] == text[p.start : p.end]
            for i in range(p.start, p.end):
                shown[i] = True
        # Only what the extraction adds has no node: line breaks between blocks, " | " and joining spaces.
        assert {text[i] for i, s in enumerate(shown) if not s} <= {"\n", " ", "|"}


def test_every_finding_is_one_comment_on_its_words_and_the_text_is_unchanged(annotated_files):
    for path, original, text, report, data in annotated_files:
        document = docx.Document(io.BytesIO(data))
        comments = list(document.comments)
        assert len(comments) == len(report.findings) + 1, path.name
        summary, *per_finding = comments
        assert summary.text.startswith(SUMMARY_PREFIX)
        anchored = anchored_texts(document)
        for comment, finding in zip(per_finding, report.findings):
            assert comment.author == AUTHOR and comment.initials
            assert comment.text == comment_text(finding)
            flagged = text[finding.start : finding.end]
            assert excerpt_matches(finding.excerpt, flagged)
            assert words(anchored[comment.comment_id]) == words(flagged), (path.name, finding.code, finding.excerpt)
        # The text, as caseqa and as python-docx read it, is exactly the original's.
        assert load_bytes(data, path.name).text == text
        before = docx.Document(io.BytesIO(original))
        assert [p.text for p in document.paragraphs] == [p.text for p in before.paragraphs]
        assert [[c.text for c in row.cells] for t in document.tables for row in t.rows] == [
            [c.text for c in row.cells] for t in before.tables for row in t.rows
        ]
        # Styles, headers, footers, numbering, settings...: every other part is the same XML.
        zin, zout = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(data))
        for name in zin.namelist():
            if name not in CHANGED_PARTS and name.endswith(".xml"):
                assert canonical(zin.read(name)) == canonical(zout.read(name)), (path.name, name)


def test_the_summary_comment_gives_grade_scores_and_three_fixes(annotated_files):
    path, _, text, report, data = annotated_files[0]
    summary = next(iter(docx.Document(io.BytesIO(data)).comments))
    body = summary.text
    assert f"{report.overall.score:g}/100" in body
    for result in report.dimensions.values():
        assert f"{result.score:g}" in body
    numbered = re.findall(r"^\d\. ", body, re.MULTILINE)
    assert len(numbered) == min(3, len({f.code for f in report.findings}))
    # It sits on the document's first line.
    first_line = text.split("\n", 1)[0]
    assert words(anchored_texts(docx.Document(io.BytesIO(data)))[summary.comment_id]) == words(first_line)


def test_libreoffice_opens_each_annotated_file_with_one_comment_per_finding(annotated_files, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    for path, _, _, _, data in annotated_files:
        (tmp_path / path.name).write_bytes(data)
    names = [str(tmp_path / p.name) for p, *_ in annotated_files]
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "odt",
         "--outdir", str(tmp_path / "odt"), *names],
        check=True, capture_output=True, timeout=600,
    )
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    for path, _, _, report, _ in annotated_files:
        odt = tmp_path / "odt" / (path.stem + ".odt")
        content = etree.fromstring(zipfile.ZipFile(odt).read("content.xml"))
        notes = content.findall(f".//{{{office}}}annotation")
        assert len(notes) == len(report.findings) + 1, path.name
        dc = "http://purl.org/dc/elements/1.1/"
        assert {n.findtext(f"{{{dc}}}creator") for n in notes} == {AUTHOR}


# ---- a document with everything Word files carry -------------------------------------------------

def _rich_docx() -> bytes:
    """Header, an existing comment, a tracked insertion and deletion, a hyperlink, a bold run to split,
    and a table whose cell has jargon."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "OFFICIAL-SENSITIVE"
    d.add_heading("Care plan for Amira", level=1)
    p = d.add_paragraph()
    p.add_run("Amira, your placement with Sue is going well. ").bold = True
    d.add_comment(p.runs[0], text="Checked with Sue.", author="Jo Smith", initials="JS")
    p2 = d.add_paragraph("Jo will arrange Contact with your brother by 12 March 2025.")
    d.add_paragraph("INSERTED_MARK DELETED_MARK Please ring Jo if you are worried.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Action"
    table.cell(0, 1).text = "By when"
    table.cell(1, 0).text = "Review the respite arrangements with you"
    table.cell(1, 1).text = "ASAP"
    assert p2.text
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()

    def patch(xml: bytes) -> bytes:
        w = 'w:author="Jo Smith" w:date="2025-01-01T00:00:00Z"'
        xml = xml.replace(b"<w:t>INSERTED_MARK DELETED_MARK Please",
                          f'<w:t xml:space="preserve"></w:t></w:r><w:ins w:id="71" {w}><w:r><w:t xml:space="preserve">'
                          f'Your social worker will visit. </w:t></w:r></w:ins><w:del w:id="72" {w}><w:r>'
                          f'<w:delText>Old words. </w:delText></w:r></w:del><w:r><w:t>Please'.encode())
        xml = xml.replace(b"<w:t>Jo will arrange Contact",
                          b'<w:t xml:space="preserve">Jo will arrange </w:t></w:r><w:hyperlink w:anchor="x"><w:r>'
                          b'<w:t>Contact</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve">')
        return xml

    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            b = zin.read(item.filename)
            zout.writestr(item, patch(b) if item.filename == "word/document.xml" else b)
    return out.getvalue()


@pytest.fixture(scope="module")
def rich() -> tuple[bytes, str, Report, bytes]:
    data = _rich_docx()
    text, report = analysed(data, "rich.docx")
    return data, text, report, annotate_docx(data, report, source="rich.docx").data


def test_rich_document_keeps_header_existing_comment_and_tracked_changes(rich):
    original, text, report, data = rich
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    comments = list(document.comments)
    assert comments[0].author == "Jo Smith" and comments[0].text == "Checked with Sue."
    assert len(comments) == 1 + 1 + len(report.findings)
    body = etree.tostring(document.element.body).decode()
    assert body.count("<w:ins ") == 1 and "Your social worker will visit." in body
    assert body.count("<w:del ") == 1 and "<w:delText>Old words. </w:delText>" in body
    assert "<w:hyperlink" in body
    assert load_bytes(data, "rich.docx").text == text


def test_a_finding_inside_a_run_splits_it_and_both_halves_keep_the_formatting(rich):
    _, text, report, data = rich
    document = docx.Document(io.BytesIO(data))
    codes = {f.code for f in report.findings}
    assert "jargon" in codes
    anchored = anchored_texts(document)
    by_text = {c.comment_id: c for c in document.comments}
    placement = next(f for f in report.findings if f.excerpt == "placement")
    cid = next(i for i, c in by_text.items() if c.text == comment_text(placement))
    assert anchored[cid] == "placement"
    runs = document.paragraphs[1].runs
    texts = [r.text for r in runs if r.text]
    assert texts[:2] == ["Amira, your ", "placement"]
    assert "".join(texts) == "Amira, your placement with Sue is going well. "
    assert all(r.bold for r in runs if r.text)


def test_findings_in_a_table_cell_and_a_hyperlink_are_anchored_there(rich):
    _, text, report, data = rich
    document = docx.Document(io.BytesIO(data))
    anchored = anchored_texts(document)
    comments = {c.text: c.comment_id for c in document.comments}
    for excerpt in ("ASAP", "Contact", "respite"):
        finding = next((f for f in report.findings if f.excerpt == excerpt), None)
        assert finding is not None, (excerpt, [f.excerpt for f in report.findings])
        assert anchored[comments[comment_text(finding)]] == excerpt
    cell = document.tables[0].cell(1, 1)._tc
    assert cell.find(".//" + qn("w:commentRangeStart")) is not None
    link = document.element.body.find(".//" + qn("w:hyperlink"))
    assert link.find(qn("w:commentRangeStart")) is not None


def test_suggest_writes_preferred_words_as_tracked_changes(rich):
    original, text, report, _ = rich
    result = annotate_docx(original, report, source="rich.docx", suggest=True)
    assert result.suggestions >= 2
    changed = load_bytes(result.data, "rich.docx").text  # reads insertions, skips deletions: as if accepted
    for f in report.findings:
        words_ = preferred_words(f)
        if words_ and f.excerpt in ("placement", "Contact"):
            assert f.excerpt not in changed.split()
    body = etree.tostring(docx.Document(io.BytesIO(result.data)).element.body).decode()
    assert body.count('w:author="caseqa"') == 2 * result.suggestions
    assert re.search(r"<w:delText[^>]*>placement</w:delText>", body)


def test_a_report_of_another_document_is_refused(rich):
    original, _, _, _ = rich
    other = (ROOT / "examples" / "review_minutes_kai.docx").read_bytes()
    _, report = analysed(other, "kai.docx")
    with pytest.raises(AnnotateError, match="does not belong"):
        annotate_docx(original, report, source="rich.docx")


def test_text_that_is_not_a_word_file_is_refused(rich):
    from analyser.ingest import IngestError

    _, _, report, _ = rich
    with pytest.raises(IngestError, match="not a Word document"):
        annotate_docx(b"just some text", report, source="plan.txt")


# ---- the ways in: CLI, API, the draft checker ---------------------------------------------------

KAI = ROOT / "examples" / "review_minutes_kai.docx"


def test_cli_check_annotate_writes_the_commented_copy(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    out = tmp_path / "kai-comments.docx"
    result = CliRunner().invoke(app, ["check", str(KAI), "--annotate", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = Report.from_dict(json.loads(result.stdout))
    assert len(list(docx.Document(str(out)).comments)) == len(report.findings) + 1
    assert KAI.read_bytes() != out.read_bytes()

    refused = CliRunner().invoke(app, ["check", str(ROOT / "examples" / "care_plan_amira.txt"), "--annotate",
                                       str(tmp_path / "x.docx")])
    assert refused.exit_code == 2 and "only be written into a Word file" in refused.output
    assert not (tmp_path / "x.docx").exists()


def test_cli_score_annotate_writes_one_copy_per_word_file(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    result = CliRunner().invoke(app, ["score", str(ROOT / "examples"), "--db", str(tmp_path / "db.sqlite"),
                                      "--annotate", str(tmp_path / "ann"), "--out", str(tmp_path / "r.jsonl"),
                                      "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ann").iterdir()) == ["review_minutes_kai.docx"]
    assert "are not Word files" in result.output


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from service_support import TestClient, seed

    from service.app import create_app
    from service.config import Settings

    seeded = seed(str(tmp_path_factory.mktemp("wc") / "caseqa.db"))
    with TestClient(create_app(Settings(db=seeded.db, session_secret="w" * 32))) as c:
        import time

        deadline = time.monotonic() + 60
        while c.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        yield c, seeded


def test_api_analyse_annotate_docx_returns_the_commented_file(api):
    client, seeded = api
    auth = {"Authorization": f"Bearer {seeded.keys['sw_north']}"}
    files = {"file": ("kai.docx", KAI.read_bytes(), "application/octet-stream")}
    r = client.post("/v1/analyse?annotate=docx", files=files, headers=auth)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in r.headers["content-disposition"] and "kai - caseqa comments.docx" in r.headers["content-disposition"]
    document = docx.Document(io.BytesIO(r.content))
    assert len(list(document.comments)) == int(r.headers["x-caseqa-comments"]) > 1
    assert load_bytes(r.content, "kai.docx").text == load_bytes(KAI.read_bytes(), "kai.docx").text

    suggested = client.post("/v1/analyse?annotate=docx&suggest=true", files=files, headers=auth)
    assert suggested.status_code == 200 and b"w:del " in zipfile.ZipFile(io.BytesIO(suggested.content)).read("word/document.xml")


def test_api_annotate_refuses_what_is_not_a_word_file_and_needs_a_key(api):
    client, seeded = api
    auth = {"Authorization": f"Bearer {seeded.keys['sw_north']}"}
    txt = {"file": ("plan.txt", b"Jo will visit you by 2 April 2025.", "text/plain")}
    r = client.post("/v1/analyse?annotate=docx", files=txt, headers=auth)
    assert r.status_code == 422 and "Word file (.docx)" in r.json()["detail"]
    r = client.post("/v1/analyse?annotate=docx", json={"text": "Jo will visit you by 2 April 2025."}, headers=auth)
    assert r.status_code == 422 and "Word file (.docx)" in r.json()["detail"]
    r = client.post("/v1/analyse?annotate=pdf", files={"file": ("kai.docx", KAI.read_bytes())}, headers=auth)
    assert r.status_code == 422
    assert client.post("/v1/analyse?annotate=docx", files={"file": ("kai.docx", KAI.read_bytes())}).status_code == 401


def test_the_summary_comment_says_not_scored_and_ranking_survives_it() -> None:
    from analyser import analyse
    from analyser.word_comments import summary_text, top_fixes
    from test_scoring import VISIT

    report = analyse(VISIT)
    assert "not scored" in summary_text(report)
    assert top_fixes(report)  # sorting by dimension score does not meet a None
