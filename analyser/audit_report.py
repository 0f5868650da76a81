"""The offline HTML audit report: an index with charts and breakdowns, and one page per record.

Self-contained by design (records are children's data, read on locked-down council machines): inline
CSS, charts drawn here as inline SVG, no script, no font or image fetched from anywhere.

Used the same way by ``caseqa score --html`` (records streamed in as they are scored) and by
``caseqa report --run ID --html`` (records read back from the store)::

    audit = AuditReport(Path("audit"))
    for report, fields, text in ...:
        audit.add(report, fields, text, text_note=...)
    audit.finish(title=..., run=..., failures=...)
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from analyser.drift import CODES as DRIFT_CODES
from analyser.registry import DIMENSION_COLOURS, DIMENSION_TINTS
from analyser.report import DIMENSIONS, GRADES, Finding, Report, mean_score, score_text

# The badges carry white text (dark on requires improvement): each keeps WCAG AA's 4.5:1 with its text.
GRADE_COLOURS = {
    "outstanding": "#14532d",
    "good": "#1f7a3a",
    "requires_improvement": "#f6c26b",
    "inadequate": "#b42318",
}
TOP_FINDINGS = 15
_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]")


def label(name: str) -> str:
    """'requires_improvement' -> 'requires improvement'."""
    return name.replace("_", " ")


def record_page_name(record_id: str) -> str:
    """A safe, unique file name for a record's page (ids may hold slashes, spaces, anything)."""
    safe = _SAFE_ID.sub("_", record_id)[:80] or "record"
    if safe != record_id:
        safe += "-" + hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:8]
    return f"{safe}.html"


# ---- SVG charts ------------------------------------------------------------------------------------


def bar_chart(
    labels: Sequence[str], values: Sequence[int], colours: Sequence[str], *, width: int = 520, height: int = 240, title: str = ""
) -> Markup:
    """A vertical bar chart as inline SVG, each bar labelled with its count."""
    top, bottom, left, right = 40, 30, 36, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = _ticks(max(values, default=0))
    peak = ticks[-1]
    n = max(len(values), 1)
    slot = plot_w / n
    bar_w = slot * 0.7
    parts = [
        (
            f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'class="chart"><title>{escape(title)}</title>'
        ),
        f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for tick in ticks:
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{tick}</text>')
    for i, (name, value, colour) in enumerate(zip(labels, values, colours)):
        h = plot_h * value / peak
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}" rx="2">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" class="value" text-anchor="middle">{value}</text>')
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16:.1f}" class="tick" text-anchor="middle">{escape(name)}</text>'
        )
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axis"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _ticks(peak: int) -> list[int]:
    """Round gridline values (steps of 1, 2 or 5 times a power of ten), at most six, reaching ``peak``."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            step = m * magnitude
            if peak <= 5 * step:
                top = max(step, -(-peak // step) * step)
                return list(range(0, top + 1, step))
        magnitude *= 10


def histogram(counts: Sequence[int], colour: str, *, title: str, width: int = 262, height: int = 200) -> Markup:
    """Scores 0-100 in ten bins, as an SVG bar chart with the bins' ranges under the bars."""
    labels = [f"{10 * i}" for i in range(len(counts))]
    svg = bar_chart(labels, counts, [colour] * len(counts), width=width, height=height, title=title)
    return svg


# ---- the report ------------------------------------------------------------------------------------


@dataclass
class _Group:
    """Counts and score sums for a team or a worker."""

    records: int = 0
    overall: float = 0.0
    dimensions: dict[str, list[float | None]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})
    grades: Counter = field(default_factory=Counter)
    not_timebound: int = 0
    actions: int = 0

    def add(self, report: Report) -> None:
        self.records += 1
        self.overall += report.overall.score
        for d in DIMENSIONS:
            self.dimensions[d].append(report.dimensions[d].score)
        self.grades[report.overall.grade] += 1
        self.actions += len(report.actions)
        self.not_timebound += sum(not a.timebound for a in report.actions)

    def row(self, name: str) -> dict:
        n = self.records or 1
        return {
            "name": name,
            "records": self.records,
            "overall": self.overall / n,
            # Means over the records the dimension was scored on (None: scored on none of them).
            "dimensions": {d: mean_score(self.dimensions[d]) for d in DIMENSIONS},
            "grades": {g: self.grades.get(g, 0) for g in GRADES},
            "actions": self.actions,
            "not_timebound": self.not_timebound,
        }


@dataclass
class _Segment:
    text: str
    finding: int | None = None  # index of the first finding covering it
    dimension: str | None = None
    titles: str = ""
    anchors: list[str] = field(default_factory=list)  # "fN" for each finding starting here


def highlight(text: str, findings: Sequence[Finding]) -> list[_Segment]:
    """Cut the text at every finding boundary; each piece knows the findings that cover it."""
    n = len(text)
    spans = [(i, max(0, min(f.start, n)), max(0, min(f.end, n))) for i, f in enumerate(findings)]
    spans = [s for s in spans if s[2] > s[1]]
    cuts = sorted({0, n, *[s[1] for s in spans], *[s[2] for s in spans]})
    segments: list[_Segment] = []
    for a, b in pairwise(cuts):
        covering = [i for i, s, e in spans if s <= a and e >= b]
        if not covering:
            segments.append(_Segment(text[a:b]))
            continue
        first = covering[0]
        titles = "\n".join(f"{label(findings[i].dimension)}: {findings[i].message}" for i in covering)
        anchors = [f"f{i + 1}" for i, s, _ in spans if s == a]
        segments.append(_Segment(text[a:b], first, findings[first].dimension, titles, anchors))
    return segments


class AuditReport:
    """Builds the HTML audit report in ``out_dir``: record pages as records arrive, the index at the end."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        (self.out_dir / "records").mkdir(parents=True, exist_ok=True)
        self.env = Environment(
            loader=PackageLoader("analyser", "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["label"] = label
        self.env.filters["score"] = score_text
        self.env.globals.update(
            DIMENSIONS=DIMENSIONS, GRADES=GRADES, DIMENSION_COLOURS=DIMENSION_COLOURS, DIMENSION_TINTS=DIMENSION_TINTS,
            GRADE_COLOURS=GRADE_COLOURS
        )
        self.grades: Counter = Counter()
        self.bins: dict[str, list[int]] = {d: [0] * 10 for d in (*DIMENSIONS, "overall")}
        self.teams: dict[str, _Group] = defaultdict(_Group)
        self.workers: dict[str, _Group] = defaultdict(_Group)
        self.total = _Group()
        self.codes: Counter = Counter()
        self.examples: dict[tuple[str, str], str] = {}
        self.rows: list[dict] = []
        self._pages: set[str] = set()
        self.drift_teams: dict[str, Counter] = defaultdict(Counter)  # team -> drift finding code -> count

    def add(
        self, report: Report, fields: Mapping[str, str] | None = None, text: str | None = None, *, text_note: str | None = None
    ) -> None:
        """Write one record's page and count it in the index. ``text_note`` says why text is missing."""
        fields = fields or {}
        self.grades[report.overall.grade] += 1
        self.bins["overall"][_bin(report.overall.score)] += 1
        for d in DIMENSIONS:
            score = report.dimensions[d].score
            if score is not None:  # a dimension not scored is in no bin
                self.bins[d][_bin(score)] += 1
        self.total.add(report)
        self.teams[fields.get("team") or "(no team)"].add(report)
        self.workers[fields.get("worker") or "(no worker)"].add(report)
        if report.drift and report.drift.findings:
            self.drift_teams[fields.get("team") or "(no team)"].update(f.code for f in report.drift.findings)
        for f in report.findings:
            key = (f.dimension, f.code)
            self.codes[key] += 1
            self.examples.setdefault(key, f.message)
        page = record_page_name(report.id)
        if page in self._pages:  # the same record id twice in one batch: keep both pages
            page = record_page_name(f"{report.id}#{len(self.rows)}")
        self._pages.add(page)
        self.rows.append(
            {
                "id": report.id, "page": page, "worker": fields.get("worker", ""), "team": fields.get("team", ""),
                "doc_type": report.doc_type, "overall": report.overall.score, "grade": report.overall.grade,
                "scores": {d: report.dimensions[d].score for d in DIMENSIONS}, "actions": len(report.actions),
                "not_timebound": sum(not a.timebound for a in report.actions), "findings": len(report.findings),
            }
        )
        html = self.env.get_template("record.html").render(
            report=report,
            fields=fields,
            segments=highlight(text, report.findings) if text else None,
            text_note=text_note
            or "The full text is not shown: it was not available for this report. The findings and actions below show the words they point at.",
        )
        (self.out_dir / "records" / page).write_text(html, encoding="utf-8")

    def finish(
        self, *, title: str = "caseqa audit report", run: Mapping[str, object] | None = None,
        failures: Iterable[tuple[str, str]] = (), loop: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    ) -> Path:
        """Write index.html with the charts, breakdowns, frequent findings and the records table.

        ``loop`` (from the store's supervision actions) adds the audit-loop table per worker and team:
        ``{"workers": [...], "teams": [...]}``, rows with name, raised, closed, open, overdue and
        median_days_to_close.
        """
        grade_chart = bar_chart(
            [label(g) for g in GRADES], [self.grades.get(g, 0) for g in GRADES], [GRADE_COLOURS[g] for g in GRADES],
            title="Records by grade",
        )
        histograms = [
            histogram(self.bins[d], DIMENSION_COLOURS[d], title=label(d)) for d in DIMENSIONS
        ]
        top = [
            {"dimension": d, "code": c, "count": n, "example": self.examples[(d, c)]}
            for (d, c), n in self.codes.most_common(TOP_FINDINGS)
        ]
        html = self.env.get_template("index.html").render(
            title=title,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            run=run or {},
            total=self.total.row("all records"),
            grade_chart=grade_chart,
            overall_chart=histogram(self.bins["overall"], "#555", title="Records by overall score", width=520, height=240),
            histograms=histograms,
            teams=[g.row(n) for n, g in sorted(self.teams.items())],
            workers=[g.row(n) for n, g in sorted(self.workers.items())],
            top=top,
            rows=sorted(self.rows, key=lambda r: (r["overall"], r["id"])),
            failures=list(failures),
            drift_teams=sorted(self.drift_teams.items()),
            drift_codes=DRIFT_CODES,
            loop=loop,
        )
        index = self.out_dir / "index.html"
        index.write_text(html, encoding="utf-8")
        return index


def _bin(score: float) -> int:
    return min(9, max(0, int(score // 10)))
