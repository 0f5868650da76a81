"""Inline SVG charts for the pages (no script, no library), in the style of the audit report's charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup, escape

# Okabe-Ito: told apart by people with the common colour-vision differences.
WORKER_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B")
_MARKERS = ("circle", "square", "diamond", "triangle")


def worker_colour(index: int) -> str:
    return WORKER_COLOURS[index % len(WORKER_COLOURS)]


def _marker(kind: str, x: float, y: float, colour: str, tip: str) -> str:
    title = f"<title>{escape(tip)}</title>"
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{title}</rect>'
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{colour}">{title}</polygon>'
    if kind == "triangle":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" fill="{colour}">{title}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{title}</circle>'


MonthPoint = tuple[date, float, int]  # (first day of the month, mean score, records that month)
TEAM = "Team mean"
# Where the grades start (the rubric's thresholds) and the band's shade, bottom to top.
GRADE_BANDS = ((0, 50, "inadequate", "inad.", "#fbe4e2"), (50, 70, "requires improvement", "RI", "#fdf1d8"),
               (70, 85, "good", "good", "#e3f1e7"), (85, 100, "outstanding", "outst.", "#d2eadb"))


def monthly_means(points: Sequence[tuple[date, float]]) -> list[MonthPoint]:
    """(date, score) points as one point a month: the month's mean and how many records it has."""
    months: dict[date, list[float]] = {}
    for d, score in points:
        months.setdefault(d.replace(day=1), []).append(score)
    return [(m, sum(v) / len(v), len(v)) for m, v in sorted(months.items())]


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def scores_over_time(
    series: Mapping[str, Sequence[MonthPoint]], *, team: Sequence[MonthPoint] = (), title: str,
    width: int = 900, height: int = 280,
) -> Markup:
    """One line per worker of monthly mean scores, the team's monthly mean as a thick dashed line, over
    shaded grade bands; x is evenly spaced by month (one tick a month, or every few months for long spans).

    A line of single records zig-zags with every easy or hard case; a monthly mean shows the trend.
    Each worker has a colour *and* a marker shape, so lines stay apart without colour; every point has
    a tooltip, and the table beside the chart carries the numbers for screen readers.
    """
    top, bottom, left, right = 12, 30, 40, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    points = [p for pts in series.values() for p in pts] + list(team)
    parts = [
        (f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {height}" class="chart" '
        f'preserveAspectRatio="xMinYMin meet"><title id="chart-title">{escape(title)}</title>'),
    ]

    def y_of(score: float) -> float:
        return top + plot_h - plot_h * max(0.0, min(100.0, score)) / 100

    for low, high, name, short, shade in GRADE_BANDS:
        parts.append(f'<rect class="band" x="{left}" y="{y_of(high):.1f}" width="{plot_w}" height="{y_of(low) - y_of(high):.1f}" '
                     f'fill="{shade}"><title>{name}: {low} to {high}</title></rect>')
        parts.append(f'<text x="{width - right + 4}" y="{(y_of(low) + y_of(high)) / 2 + 4:.1f}" class="tick band-label">'
                     f'{short}</text>')
    for tick in (0, 25, 50, 70, 85, 100):
        parts.append(f'<text x="{left - 6}" y="{y_of(tick) + 4:.1f}" class="tick" text-anchor="end">{tick}</text>')
    if not points:
        parts.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" class="tick" text-anchor="middle">no records</text></svg>')
        return Markup("".join(parts))
    first = min(_month_index(p[0]) for p in points)
    last = max(_month_index(p[0]) for p in points)
    span = last - first

    def x_of(d: date) -> float:
        return left + (plot_w * (_month_index(d) - first) / span if span else plot_w / 2)

    step = max(1, -(-(span + 1) // 12))  # at most 12 labels, evenly spaced
    for i in range(first, last + 1, step):
        m = _month(i)
        parts.append(f'<text x="{x_of(m):.1f}" y="{height - 10}" class="tick month" text-anchor="middle">{m:%b %Y}</text>')
    if team:
        path = " ".join(f"{x_of(d):.1f},{y_of(s):.1f}" for d, s, _ in team)
        parts.append(f'<polyline class="team" points="{path}" fill="none" stroke="#1f2933" stroke-width="3" stroke-dasharray="7 4"/>')
        for d, s, n in team:
            parts.append(f'<circle cx="{x_of(d):.1f}" cy="{y_of(s):.1f}" r="3" fill="#1f2933"><title>'
                         f'{escape(TEAM)}, {d:%B %Y}: {s:.0f} ({n} record{"s" if n != 1 else ""})</title></circle>')
    for i, (worker, pts) in enumerate(series.items()):
        colour, marker = worker_colour(i), _MARKERS[i % len(_MARKERS)]
        path = " ".join(f"{x_of(d):.1f},{y_of(s):.1f}" for d, s, _ in pts)
        parts.append(f'<polyline class="worker" points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for d, s, n in pts:
            parts.append(_marker(marker, x_of(d), y_of(s), colour,
                                 f"{worker}, {d:%B %Y}: mean {s:.0f} over {n} record{'s' if n != 1 else ''}"))
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axis"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend_items(workers: Sequence[str]) -> list[dict[str, str]]:
    """Colour and marker of each worker's line, for the HTML legend under the chart."""
    return [{"name": w, "colour": worker_colour(i), "marker": _MARKERS[i % len(_MARKERS)]} for i, w in enumerate(workers)]
