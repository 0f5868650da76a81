"""docs/img/word-comments.png: an annotated Word file as LibreOffice renders it, with its comments.

LibreOffice (headless) opens the annotated copy of examples/review_minutes_kai.docx and exports it as PDF
with the comments as PDF annotations; pdftoppm renders the first page. LibreOffice 7.4 cannot put
comments in the margin of an export, so the comment boxes beside the page are drawn from the comments
LibreOffice itself wrote into the PDF (author, text, and where it anchored each one), in Chromium.

    .venv/bin/python scripts/word_comments_screenshot.py   # needs soffice, pdftoppm, Chromium
"""

from __future__ import annotations

import base64
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DPI = 110
OUT = ROOT / "docs" / "img" / "word-comments.png"
CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    import pypdf

    from analyser import analyse_file
    from analyser.word_comments import annotate_docx

    source = ROOT / "examples" / "review_minutes_kai.docx"
    work = Path(tempfile.mkdtemp(prefix="caseqa-shot-"))
    annotated = work / "review_minutes_kai - caseqa comments.docx"
    annotated.write_bytes(annotate_docx(source.read_bytes(), analyse_file(source), source=source.name).data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to",
         'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}', str(annotated), "--outdir", str(work)],
        check=True, capture_output=True, timeout=300,
    )
    pdf = annotated.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(work / "page")],
                   check=True, capture_output=True)
    page = pypdf.PdfReader(pdf).pages[0]
    height_pt = float(page.mediabox.height)
    scale = DPI / 72
    notes = []
    for ref in page.get("/Annots", []):
        a = ref.get_object()
        if a.get("/Subtype") != "/Text":
            continue
        x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
        notes.append(((height_pt - y1) * scale, x0 * scale, str(a.get("/T", "")), str(a.get("/Contents", ""))))
    notes.sort()
    png = base64.b64encode((work / "page.png").read_bytes()).decode()
    boxes, lines, y_next = [], [], 20.0
    for top, left, author, text in notes:
        y = max(top, y_next)
        body = html.escape(text.strip()).replace("\n", "<br>")
        boxes.append(f'<div class="note" style="top:{y:.0f}px"><b>{html.escape(author.split(",")[0])}</b> {body}</div>')
        lines.append(f'<line x1="{left + 8:.0f}" y1="{top + 8:.0f}" x2="960" y2="{y + 10:.0f}"/>')
        y_next = y + 26 + 15 * (len(text) // 62 + text.count("\n"))
    page_html = f"""<html><head><style>
      body {{ margin:0; font: 12px/1.35 'DejaVu Sans', sans-serif; background:#e9ecef; }}
      .wrap {{ position:relative; width:1400px; height:{max(1250, y_next + 40):.0f}px; }}
      img {{ position:absolute; left:0; top:0; box-shadow:0 0 6px #999; }}
      svg {{ position:absolute; left:0; top:0; }} line {{ stroke:#d9822b; stroke-width:1.2; }}
      .note {{ position:absolute; left:960px; width:420px; background:#fff8e1; border-left:4px solid #d9822b;
               padding:4px 8px; box-shadow:0 1px 2px #aaa; }}
    </style></head><body><div class="wrap"><img src="data:image/png;base64,{png}">
      <svg width="1400" height="{max(1250, y_next + 40):.0f}">{''.join(lines)}</svg>{''.join(boxes)}</div></body></html>"""
    (work / "shot.html").write_text(page_html, encoding="utf-8")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        view = browser.new_page(viewport={"width": 1400, "height": 1250})
        view.goto((work / "shot.html").as_uri())
        view.screenshot(path=str(OUT), full_page=True)
        browser.close()
    shutil.rmtree(work, ignore_errors=True)
    print(OUT, len(notes), "comments")


if __name__ == "__main__":
    main()
