"""The terminal report as people see it: rich's recording console at 80 and 120 columns, in a light and a
dark theme, and through a pipe or with NO_COLOR."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.terminal_theme import DEFAULT_TERMINAL_THEME, MONOKAI, TerminalTheme
from service_support import POOR_DRAFT
from typer.testing import CliRunner

from analyser import analyse
from analyser.drift import TimelineRecord, drift_sections, history_facts
from cli import app
from console import render_report, render_timeline
from console.report import group_findings

THEMES = {"light": DEFAULT_TERMINAL_THEME, "dark": MONOKAI}
SPAN = re.compile(r'<span style="([^"]*)">')


@pytest.fixture(scope="module")
def report():
    return analyse(POOR_DRAFT, id="care_plan_amira_before")


def recording(width: int, *, plain: bool = False) -> Console:
    if plain:  # what a pipe gets: no terminal, no colour
        return Console(record=True, width=width, file=io.StringIO(), force_terminal=False, color_system=None)
    return Console(record=True, width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor")


def _rgb(css: str) -> tuple[int, int, int]:
    return int(css[1:3], 16), int(css[3:5], 16), int(css[5:7], 16)


def _luminance(rgb: tuple[int, int, int]) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def low_contrast(console: Console, theme: TerminalTheme) -> list[tuple[str, float]]:
    """Every styled piece of the recording whose text and background are under 4.5:1 in ``theme``."""
    fg0, bg0 = tuple(theme.foreground_color), tuple(theme.background_color)
    bad = []
    for css in set(SPAN.findall(console.export_html(theme=theme, inline_styles=True, clear=False))):
        props = dict(p.strip().split(": ", 1) for p in css.split(";") if ": " in p)
        fg = _rgb(props["color"]) if "color" in props else fg0
        bg = _rgb(props["background-color"]) if "background-color" in props else bg0
        if (ratio := contrast(fg, bg)) < 4.5:  # type: ignore[arg-type]
            bad.append((css, round(ratio, 2)))
    return bad


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_colour_keeps_4_5_to_1_in_light_and_dark_themes(report, width, theme):
    console = recording(width)
    render_report(report, POOR_DRAFT, console, show_all=True)
    assert not low_contrast(console, THEMES[theme])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_timeline_keeps_4_5_to_1_too(theme):
    from test_drift import FIRST, SECOND

    first, second = analyse(FIRST, id="A-1"), analyse(SECOND, id="A-2")
    timeline = [TimelineRecord.from_report(first, history_facts(FIRST)), TimelineRecord.from_report(second, history_facts(SECOND))]
    findings = drift_sections(timeline, "child_id", "CH-A")["A-2"].findings  # type: ignore[union-attr]
    data = {"child_id": "CH-A", "records": [
        {"id": r.id, "date": r.meta.date, "doc_type": r.doc_type, "grade": r.overall.grade, "overall_score": r.overall.score}
        for r in (first, second)],
        "findings": [{"record_id": "A-2", **f.model_dump()} for f in findings]}
    console = recording(80)
    render_timeline(data, console)
    assert findings and not low_contrast(console, THEMES[theme])


@pytest.mark.parametrize("width", [80, 120])
def test_laid_out_for_the_width_with_hanging_indents_and_the_header_on_one_line(report, width):
    console = recording(width)
    render_report(report, POOR_DRAFT, console)
    lines = console.export_text().splitlines()
    assert all(len(line) <= width for line in lines)
    assert lines[0].startswith("care_plan_amira_before") and "overall" in lines[0] and "inadequate" in lines[0]
    # every action's text gets the width: the longest (76 characters) on one line
    longest = max((a.text for a in report.actions), key=len)
    assert any(line.strip() == f"{report.actions.index(next(a for a in report.actions if a.text == longest)) + 1}. {longest}"
               for line in lines)
    # the findings: a numbered line, then lines indented under it, never back at column 0
    start = next(i for i, line in enumerate(lines) if line.startswith("─") and " findings (" in line)
    for line in lines[start + 1:]:
        if line.strip() and not line.rstrip().endswith("--all lists them.") and not line.startswith("rubric"):
            assert line.startswith(" ") or re.match(r"\d+\.", line), line


def test_repeats_are_grouped_the_most_important_come_first_and_all_lists_the_rest(report):
    groups = group_findings(report.findings)
    assert sum(len(g.findings) for g in groups) == len(report.findings) > len(groups)
    the_child = next(g for g in groups if g.first.rule == "child_directed_language.written_about_child" and g.first.term == "The child")
    assert len(the_child.findings) == 4
    assert groups[0].first.rule.startswith("timebound_actions.")  # actions nobody owns or without a date first
    last = [g.first.rule for g in groups[-5:]]
    assert "readability.passive_voice" in last or "child_directed_language.unexplained_acronym" in last

    console = recording(80)
    render_report(report, POOR_DRAFT, console)
    short = console.export_text()
    numbered = re.findall(r"^ ?(\d+)\. ", short.split("findings (", 1)[1], flags=re.M)
    assert len(numbered) == 10 and "--all lists them" in short
    assert "x4" in short
    console = recording(80)
    render_report(report, POOR_DRAFT, console, show_all=True)
    full = console.export_text()
    assert len(re.findall(r"^ ?(\d+)\. ", full.split("findings (", 1)[1], flags=re.M)) == len(groups)
    assert "--all" not in full


def test_without_colour_findings_are_marked_in_the_text_with_their_numbers(report):
    console = recording(80, plain=True)
    render_report(report, POOR_DRAFT, console)
    text = console.export_text()
    marks = re.findall(r"\[\[([^\]]+)\]\]\(([\d,]+)\)", text.replace("\n", " "))
    assert marks
    listed = {int(n) for n in re.findall(r"^ ?(\d+)\. ", text.split("findings (", 1)[1], flags=re.M)}
    for words, numbers in marks:
        assert {int(n) for n in numbers.split(",")} <= listed, (words, numbers)
    assert "\x1b[" not in console.file.getvalue()  # type: ignore[attr-defined]


def test_caseqa_check_in_a_pipe_with_no_color_marks_findings_and_offers_all(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(POOR_DRAFT, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(draft)], env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "[[The child]](" in result.output
    assert "--all lists them" in result.output
    full = CliRunner().invoke(app, ["check", str(draft), "--all"], env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert full.exit_code == 0 and "--all lists them" not in full.output


def _commands(group, prefix=()):
    import typer.main

    command = typer.main.get_command(app) if group is None else group
    for name, sub in getattr(command, "commands", {}).items():
        yield (*prefix, name)
        yield from _commands(sub, (*prefix, name))


@pytest.mark.parametrize("width", [80, 120])
def test_every_help_page_reads_at_the_width_without_python_types(width):
    pages = [(), *_commands(None)]
    assert len(pages) > 15
    for args in pages:
        r = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(width), "TERMINAL_WIDTH": str(width)})
        assert r.exit_code == 0, (args, r.output)
        text = r.output
        where = " ".join(args) or "caseqa"
        for label in ("<bool>", "<str>", "<path>", "<int", "<float", "list[", "{", "1<=x<=1", "…"):
            assert label not in text, (where, label)
        assert all(len(line) <= width for line in text.splitlines()), where
        if "Exit codes:" in text:
            block = text.split("Exit codes:", 1)[1].split("╭", 1)[0]
            for line in block.splitlines():
                # each line is a code ("  1  ...") or its continuation, indented under the text
                assert not line.strip() or re.match(r"^\s+\d  ", line) or re.match(r"^\s{5,}\S", line), (where, line)


def test_a_dimension_not_scored_shows_as_not_scored() -> None:
    from test_scoring import VISIT

    console = recording(100)
    render_report(analyse(VISIT), VISIT, console)
    out = console.export_text()
    assert re.search(r"plan detail\s+not scored", out) and re.search(r"timebound actions\s+not scored", out)
