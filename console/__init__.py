"""The terminal adapter: how caseqa's reports, timelines and measures look in a terminal.

Called by ``cli.py`` (which only parses options); nothing in the core imports it. Everything here reads
Reports and plain data, and renders with rich for any width from 80 columns up, in light and dark
terminal themes, and for pipes and ``NO_COLOR`` (where findings are marked in the text as
``[[words]](n)``, n the finding's number in the list).
"""

from console.measures import render_bench, render_calibration, render_evaluation
from console.report import render_report
from console.timeline import render_timeline

__all__ = ["render_bench", "render_calibration", "render_evaluation", "render_report", "render_timeline"]
