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


def scores_over_time(
    series: Mapping[str, Sequence[tuple[date, float, str]]], *, title: str, width: int = 900, height: int = 280
) -> Markup:
    """One line per worker: (date, score 0-100, point label) points, x by date, y fixed 0-100.

    Each worker has a colour *and* a marker shape, so lines stay apart without colour; every point has
    a tooltip, and the records table beside the chart carries the same numbers for screen readers.
    """
    top, bottom, left, right = 12, 30, 40, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    points = [p for pts in series.values() for p in pts]
    parts = [
        (f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {height}" class="chart" '
        f'preserveAspectRatio="xMinYMin meet"><title id="chart-title">{escape(title)}</title>'),
    ]
    for tick in (0, 25, 50, 70, 85, 100):
        y = top + plot_h - plot_h * tick / 100
        cls = "grid" if tick in (0, 25, 100) else "grid grade-line"
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="{cls}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{tick}</text>')
    if not points:
        parts.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" class="tick" text-anchor="middle">no records</text></svg>')
        return Markup("".join(parts))
    first = min(p[0] for p in points).toordinal()
    last = max(p[0] for p in points).toordinal()
    span = max(last - first, 1)

    def x_of(d: date) -> float:
        return left + (plot_w * (d.toordinal() - first) / span if last > first else plot_w / 2)

    def y_of(score: float) -> float:
        return top + plot_h - plot_h * max(0.0, min(100.0, score)) / 100

    for d in sorted({p[0] for p in points}) if len({p[0] for p in points}) <= 6 else _spread(first, last):
        parts.append(f'<text x="{x_of(d):.1f}" y="{height - 10}" class="tick" text-anchor="middle">{d:%d %b %y}</text>')
    for i, (worker, pts) in enumerate(series.items()):
        colour, marker = worker_colour(i), _MARKERS[i % len(_MARKERS)]
        ordered = sorted(pts, key=lambda p: p[0])
        path = " ".join(f"{x_of(d):.1f},{y_of(s):.1f}" for d, s, _ in ordered)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for d, s, tip in ordered:
            parts.append(_marker(marker, x_of(d), y_of(s), colour, f"{worker}, {d:%d %b %Y}: {s:.0f} ({tip})"))
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axis"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _spread(first: int, last: int, n: int = 5) -> list[date]:
    return [date.fromordinal(first + round((last - first) * i / (n - 1))) for i in range(n)]


def legend_items(workers: Sequence[str]) -> list[dict[str, str]]:
    """Colour and marker of each worker's line, for the HTML legend under the chart."""
    return [{"name": w, "colour": worker_colour(i), "marker": _MARKERS[i % len(_MARKERS)]} for i, w in enumerate(workers)]
