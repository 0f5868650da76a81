"""One report in the terminal: the grade, the scores, the record with its findings marked, the actions,
and the findings, grouped and most important first.

Laid out for 80 columns and up: every block is a two-column grid (a number, then text that wraps
inside its own column), so nothing wraps back to column 0 and the action text gets the width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from analyser.importance import importance
from analyser.report import DIMENSIONS, Finding, Report
from analyser.wording import count
from console import styles

SHOWN = 10  # finding groups listed unless --all


@dataclass
class FindingGroup:
    """Findings of one rule about the same words ("placement" x4), numbered as the list shows them."""

    findings: list[Finding] = field(default_factory=list)
    number: int = 0

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def actions(self) -> list[int]:
        return sorted({int(a) for f in self.findings if isinstance(a := f.data.get("action"), int | float)})


def group_findings(findings: Sequence[Finding]) -> list[FindingGroup]:
    """Repeats of one rule about the same term become one group; groups in order of importance, then of
    size, then of first appearance; numbered from 1."""
    groups: dict[tuple[str, str], FindingGroup] = {}
    for f in findings:
        # Without a term, findings of one rule are about the same thing ("no date", "passive voice").
        key = (f.rule, (f.term or "").lower())
        groups.setdefault(key, FindingGroup()).findings.append(f)
    ordered = sorted(groups.values(), key=lambda g: (importance(g.first), -len(g.findings)))
    for n, g in enumerate(ordered, 1):
        g.number = n
    return ordered


def _label(name: str) -> str:
    return name.replace("_", " ")


def _header(report: Report) -> Group:
    grade = report.overall.grade
    top = Table.grid(expand=True)
    top.add_column(ratio=1, overflow="fold")
    top.add_column(justify="right", no_wrap=True)
    top.add_row(Text(report.id, style="bold"),
                Text.assemble("overall ", (f" {report.overall.score:.0f} {_label(grade)} ", styles.GRADE[grade])))
    meta = Text(f"{_label(report.doc_type)} · child: {report.meta.child_name or 'not found'} · "
                f"date: {report.meta.date or 'not found'} · {report.meta.words} words")
    return Group(top, meta)


def _scores(report: Report) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("dimension", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("summary", ratio=1)
    for d in DIMENSIONS:
        r = report.dimensions[d]
        table.add_row(Text(f" {_label(d)} ", style=styles.dimension_label(d)), r.shown(), r.summary)
    return table


def _marked_text(text: str, shown: Sequence[FindingGroup], plain: bool) -> Text:
    """The record with the shown findings' words marked: styled, or as [[words]](n) where colour is off."""
    spans = sorted(
        ((max(0, f.start), min(len(text), f.end), g.number, f.dimension) for g in shown for f in g.findings if f.end > f.start),
        key=lambda s: (s[0], -s[1]),
    )
    if not plain:
        body = Text(text)
        for start, end, _, dimension in spans:
            body.stylize(styles.highlight(dimension), start, end)
        return body
    # Overlapping spans merge into one bracket carrying every number, so the brackets never nest.
    merged: list[list] = []
    for start, end, number, _ in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if number not in merged[-1][2]:
                merged[-1][2].append(number)
        else:
            merged.append([start, end, [number]])
    out, at = [], 0
    for start, end, numbers in merged:
        out.append(text[at:start])
        out.append(f"[[{text[start:end]}]]({','.join(map(str, sorted(numbers)))})")
        at = end
    out.append(text[at:])
    return Text("".join(out))


def _actions(report: Report) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    for i, a in enumerate(report.actions, 1):
        when = a.deadline or a.deadline_text
        details = Text.assemble(
            "who: ", (a.owner, "bold") if a.owner else (" nobody named ", styles.MISSING),
            "  when: ", (when, "bold") if when else (" no date ", styles.MISSING),
            "  ",
            ("missing: " + ", ".join(_label(p) for p in a.problems), "") if a.problems else (" who, what and when are clear ", styles.OK),
        )
        grid.add_row(f"{i}.", Group(Text(a.text), details))
        grid.add_row("", "")
    return grid


def _finding_block(g: FindingGroup) -> Group:
    f = g.first
    n = len(g.findings)
    head = Text.assemble(
        (f" {f.severity} ", styles.SEVERITY.get(f.severity, "bold")), " ",
        (f" {_label(f.dimension)} ", styles.dimension_label(f.dimension)), " ",
        (f.message, ""),
        (f"  x{n}" if n > 1 else "", "bold"),
    )
    lines: list[Text] = [head]
    if g.actions:
        lines.append(Text(("action " if len(g.actions) == 1 else "actions ") + ", ".join(map(str, g.actions))))
    excerpts = list(dict.fromkeys(x.excerpt for x in g.findings if x.excerpt and x.excerpt not in x.message))
    if excerpts:
        shown = excerpts[:3]
        quote = "; ".join(f'"{e[:70]}{"..." if len(e) > 70 else ""}"' for e in shown)
        lines.append(Text(quote + (f" and {len(excerpts) - 3} more" if len(excerpts) > 3 else ""), style=styles.NOTE))
    if f.suggestion:
        lines.append(Text.assemble(("fix: ", styles.FIX), f.suggestion))
    return Group(*lines)


def render_report(report: Report, text: str, console: Console, *, show_all: bool = False, limit: int = SHOWN) -> None:
    """The report for a person at a terminal: most important findings first, ``limit`` groups unless ``show_all``."""
    plain = styles.plain(console)
    groups = group_findings(report.findings)
    shown = groups if show_all else groups[:limit]
    console.print(_header(report))
    console.print(_scores(report))
    if text and any(f.end > f.start for g in shown for f in g.findings):
        how = "marked [[like this]](n), n the finding below" if plain else "the findings below are highlighted"
        console.rule(Text(f"the record ({how})"), style="none")
        console.print(_marked_text(text, shown, plain))
    if report.actions:
        console.rule(Text(f"actions: who will do what, by when ({len(report.actions)})"), style="none")
        console.print(_actions(report))
    if groups:
        title = f"findings ({len(report.findings)} in {count(len(groups), 'group')}, most important first)"
        console.rule(Text(title), style="none")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(ratio=1)
        for g in shown:
            grid.add_row(f"{g.number}.", _finding_block(g))
            grid.add_row("", "")
        console.print(grid)
        hidden = groups[len(shown):]
        if hidden:
            more = sum(len(g.findings) for g in hidden)
            console.print(Text(f"{more} more finding{'s' if more != 1 else ''} in {len(hidden)} groups, less important: "
                               "--all lists them.", style=styles.NOTE))
    console.print(Text(f"rubric {report.versions.rubric}, model {report.versions.model}"))
