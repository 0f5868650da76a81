"""Build the shipped Word template, ``templates/supervision.docx``, with python-docx and docxtpl tags.

The template is generated rather than hand-edited so it can be reviewed as code and rebuilt the same
way: ``python -m analyser.supervision.make_default_template``. Councils start from the output, move the
tags to where their own supervision template has those sections, and pass it with ``--template``.
Tags used: ``{{ field }}``, ``{%tr for ... %}`` (repeat a table row) and ``{%p if ... %}`` (keep a
paragraph or table only when there is something to show): see docs/SUPERVISION.md.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

OUT = Path(__file__).parent / "templates" / "supervision.docx"
HEADER_FILL = "D9E2F3"
NAVY = RGBColor(0x24, 0x3B, 0x53)


def _shade(cell: _Cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def _set(cell: _Cell, text: str, *, bold: bool = False, size: float = 9.5) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


STATUS = "{{ a.status_text }}"
GREEN, RED = RGBColor(0x1B, 0x7F, 0x3B), RGBColor(0xC0, 0x39, 0x2B)


def _status(cell: _Cell, var: str) -> None:
    """The status in green when done and red when overdue: {%r %} tags pick the run to keep."""
    cell.text = ""
    para = cell.paragraphs[0]
    for text, colour in (
        (f"{{%r if {var}.status == 'closed' %}}", None), (f"{{{{ {var}.status_text }}}}", GREEN),
        (f"{{%r elif {var}.overdue %}}", None), (f"{{{{ {var}.status_text }}}}", RED),
        ("{%r else %}", None), (f"{{{{ {var}.status_text }}}}", None), ("{%r endif %}", None),
    ):
        run = para.add_run(text)
        run.font.size = Pt(9.5)
        if colour is not None:
            run.font.color.rgb = colour
            run.bold = True


def _widths(table: Table, widths: list[float]) -> None:
    """Fixed column widths (grid and cells): Word and LibreOffice otherwise share the page equally."""
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
        for r in table.rows:
            r.cells[i].width = Cm(w)


def _table(doc: Document, headers: list[str], widths: list[float], row: list[str], loop: str) -> Table:  # type: ignore[valid-type]
    """A table with a shaded header row and one row repeated for each item of ``loop``."""
    table = doc.add_table(rows=4, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    for i, h in enumerate(headers):
        _set(table.rows[0].cells[i], h, bold=True)
        _shade(table.rows[0].cells[i], HEADER_FILL)
    # docxtpl: a row holding only a {%tr %} tag is replaced by the tag, so rows 1 and 3 vanish.
    _set(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    for i, value in enumerate(row):
        if value == STATUS:
            _status(table.rows[2].cells[i], loop.split()[0])
        else:
            _set(table.rows[2].cells[i], value, size=8.5)  # repeated rows small: the record must fit two pages
    _set(table.rows[3].cells[0], "{%tr endfor %}")
    # Repeat the header row on each page of a long table.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    return table


def build(out: Path = OUT) -> Path:
    """Write the default supervision template to ``out``."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.6)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name, size in (("Title", 18), ("Heading 1", 12.5)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
        # The built-in headings use theme fonts, which override the font name: drop them.
        fonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)

    doc.add_paragraph("Case supervision record", style="Title")
    intro = doc.add_paragraph()
    intro.add_run("Audit feedback and actions for {{ worker }}. Sections 1 to 5 were written by caseqa from the "
                  "audit results; complete section 6 in supervision.").italic = True

    details = doc.add_table(rows=6, cols=2)
    details.style = "Table Grid"
    _widths(details, [5, 12.4])
    for i, (label, value) in enumerate((
        ("Worker", "{{ worker }}"), ("Team", "{{ team or '' }}"), ("Supervisor", "{{ supervisor or '' }}"),
        ("Date of supervision", "{{ date_text }}"),
        ("Records audited since", "{{ since_text or 'all records (first supervision)' }}"),
        ("Previous supervision", "{{ previous_date_text or 'none' }}"),
    )):
        _set(details.rows[i].cells[0], label, bold=True)
        _shade(details.rows[i].cells[0], HEADER_FILL)
        _set(details.rows[i].cells[1], value)

    action_cols = (["Action", "Who", "By when", "Status"], [8.4, 2.4, 2.8, 3.8])
    action_row = ["{{ a.what }}", "{{ a.owner }}", "{{ a.due_text }}", STATUS]

    doc.add_heading("1. Review of previous actions", level=1)
    doc.add_paragraph("{%p if previous_actions %}")
    _table(doc, *action_cols, action_row, "a in previous_actions")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("No actions from a previous supervision.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("2. Records audited since the last supervision", level=1)
    doc.add_paragraph("{%p if records %}")
    # One short row a record (a worker may have 36): the record, its grade and score, what it does well.
    records = _table(doc, ["Record", "Grade, score", "Strengths"], [6.8, 3.8, 6.8],
                     ["{{ r.record }} ({{ r.record_id }})", "{{ r.grade_text }}, {{ '%.0f'|format(r.score) }}",
                      "{{ r.strengths.rstrip('.').split('; ')[:2]|join('; ') }}."], "r in records")
    for cell in records.rows[2].cells:
        for run in cell.paragraphs[0].runs:
            run.font.size = Pt(8)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("No records audited since the last supervision.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("3. Case actions in the records that are overdue or vague", level=1)
    doc.add_paragraph("{%p if care_actions %}")
    # The problem says the date ("overdue since 2 April 2025"): no separate When column.
    _table(doc, ["Record and number", "In the record's words", "Named", "Why it is listed"], [4.4, 7.4, 2.4, 3.2],
           ["{{ c.record }}, action {{ c.number }}", "{{ c.quote }}", "{{ c.owner or 'nobody named' }}",
            "{{ c.problem }}"], "c in care_actions")
    doc.add_paragraph("{%p if care_actions_more %}")
    doc.add_paragraph("And {{ care_actions_more }} more overdue or vague case actions: the audit report lists them.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("None: every case action in these records has a date that has not passed.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("4. Actions agreed", level=1)
    doc.add_paragraph("{%p if all_actions %}")
    _table(doc, *action_cols, action_row, "a in all_actions")
    doc.add_paragraph("{%p if also_text %}")
    also = doc.add_paragraph()
    also.add_run("Also found, not raised today (the audit report lists each): {{ also_text }}.").font.size = Pt(8.5)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("No new actions: the records audited have no shortfalls.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("5. The audit loop", level=1)
    doc.add_paragraph(
        "So far {{ stats.raised }} actions have been raised: {{ stats.closed }} closed ({{ stats.closed_since_last }} "
        "since the last supervision), {{ stats.open }} open and {{ stats.overdue }} overdue; median time to close "
        "{{ stats.median_days_to_close_text }}."
    )

    doc.add_heading("6. Reflection, wellbeing, workload and development", level=1)
    notes = doc.add_table(rows=3, cols=2)
    notes.style = "Table Grid"
    _widths(notes, [5, 12.4])
    for i, label in enumerate(("Reflection and wellbeing", "Workload", "Development")):
        _set(notes.rows[i].cells[0], label, bold=True)
        _shade(notes.rows[i].cells[0], HEADER_FILL)
        notes.rows[i].height = Cm(1.3)
    doc.add_paragraph()
    sign = doc.add_table(rows=2, cols=3)
    sign.style = "Table Grid"
    _widths(sign, [5.8, 5.8, 5.8])
    for i, label in enumerate(("Next supervision date", "Signed (worker)", "Signed (supervisor)")):
        _set(sign.rows[0].cells[i], label, bold=True)
        _shade(sign.rows[0].cells[i], HEADER_FILL)
    sign.rows[1].height = Cm(1.2)

    foot = section.footer.paragraphs[0]
    run = foot.add_run("Generated by caseqa {{ caseqa_version }} from the audit results. Each action closes itself "
                       "when the record is re-scored without the shortfall.")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x61, 0x6E, 0x7C)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build())
