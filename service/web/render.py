"""Templates and the highlighted-feedback rendering shared by the draft checker and the record pages.

Highlighting is :func:`analyser.audit_report.highlight` (the audit report's own): the text is cut at
every finding boundary and each piece is wrapped in a ``<mark>`` of its first finding's dimension.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from analyser.audit_report import GRADE_COLOURS, highlight, label
from analyser.registry import DIMENSION_COLOURS, DIMENSION_HELP, DIMENSION_SHORT, DIMENSION_TINTS
from analyser.report import DIMENSIONS, GRADES, Report, score_text
from analyser.store import UserRow
from service.analysis import Analysed

WEB = Path(__file__).parent
templates = Jinja2Templates(directory=str(WEB / "templates"))
templates.env.filters["label"] = label
templates.env.filters["score"] = score_text
templates.env.globals.update(
    DIMENSIONS=DIMENSIONS, GRADES=GRADES, DIMENSION_COLOURS=DIMENSION_COLOURS, GRADE_COLOURS=GRADE_COLOURS,
    DIMENSION_TINTS=DIMENSION_TINTS, DIMENSION_SHORT=DIMENSION_SHORT, DIMENSION_HELP=DIMENSION_HELP,
)
DASHBOARD_ROLES = ("supervisor", "auditor", "admin")


def feedback_context(report: Report, text: str | None) -> dict[str, Any]:
    """What ``_feedback.html`` needs: the report, the highlighted text pieces, and numbered findings."""
    return {
        "report": report,
        "segments": highlight(text, report.findings) if text else None,
        # Numbered as in the text's anchors (f1, f2, ... in report order), grouped by dimension.
        "by_dimension": {d: [(i + 1, f) for i, f in enumerate(report.findings) if f.dimension == d] for d in DIMENSIONS},
    }


def feedback_fragment(request: Request, analysed: Analysed, user: UserRow, saved_version: int | None = None) -> HTMLResponse:
    """The draft checker's result: the feedback partial alone (fetched by the page's script).

    ``saved_version`` is set when this check was saved: the page then keeps saving into the same record id.
    """
    context = feedback_context(analysed.report, analysed.document.text)
    return templates.TemplateResponse(request, "_feedback.html",
                                      {**context, "user": user, "draft": True, "saved_version": saved_version})


def page(request: Request, name: str, user: UserRow | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A full page with the layout's navigation and this session's CSRF token."""
    from service.deps import csrf_token

    return templates.TemplateResponse(
        request, name, {"user": user, "csrf": csrf_token(request), "dashboard_roles": DASHBOARD_ROLES, **context},
        status_code=status_code,
    )
