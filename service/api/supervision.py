"""GET and POST /v1/workers/{worker}/supervision: a worker's supervision record, built from stored reports.

``GET`` builds the record (JSON, or the Word, Markdown or HTML document) without storing it; ``POST``
builds and stores it, so its new actions start their loop. Auditors and admins may ask for any worker;
supervisors for a worker known only in their team (their account and every record); social workers not at all.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from analyser.store import Store, UserRow
from analyser.supervision import (
    DEFAULT_DUE_WORKING_DAYS,
    SupervisionError,
    SupervisionRecord,
    build_supervision,
    render_bytes,
    save_supervision,
)
from service.deps import StoreDep, UserDep, worker_team

router = APIRouter(tags=["supervision"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
SUPERVISION_ROLES = ("supervisor", "auditor", "admin")
Format = Literal["json", "html", "docx", "md"]
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def check_supervision_access(store: Store, user: UserRow, worker: str) -> None:
    """Raise 403 unless ``user`` may write ``worker``'s supervision, 404 when the worker has no records.

    Auditors and admins: any worker. Supervisors: a worker known only in their team.
    """
    if user.role not in SUPERVISION_ROLES:
        raise HTTPException(403, f"supervision records are for supervisors, auditors and admins; you are {user.role}")
    if not store.worker_teams(worker):
        raise HTTPException(404, f"no scored records for worker '{worker}'")
    # A supervisor's worker is one known only in their team (account and every record): a worker with
    # records elsewhere would show the supervisor another team's children.
    if user.role == "supervisor" and (not user.team or worker_team(store, worker)[0] != {user.team}):
        raise HTTPException(403, "this worker is not (only) in your team")


def may_supervise(store: Store, user: UserRow, worker: str) -> bool:
    """Whether ``user`` may see ``worker``'s supervision record (for the pages' buttons)."""
    try:
        check_supervision_access(store, user, worker)
    except HTTPException:
        return False
    return True


def _build(store: Store, user: UserRow, worker: str, on: str | None, since: str | None, due_days: int) -> SupervisionRecord:
    check_supervision_access(store, user, worker)
    try:
        # The export may name no supervisor: then it is the supervisor signed in (never an auditor or admin).
        return build_supervision(store, worker, on=on or dt.date.today(), since=since, due_working_days=due_days,
                                 supervisor=user.name if user.role == "supervisor" else None)
    except SupervisionError as exc:
        raise HTTPException(422, str(exc)) from None


def _filename(worker: str, day: dt.date) -> str:
    # Only safe characters in the header: a worker's name may hold anything.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", worker).strip("-") or "worker"
    return f"supervision-{safe}-{day.isoformat()}.docx"


def supervision_response(record: SupervisionRecord, fmt: Format, *, status_code: int = 200) -> Response:
    """The record as JSON, or rendered as an HTML, Markdown or Word document."""
    if fmt == "json":
        return JSONResponse(record.model_dump(mode="json"), status_code=status_code)
    body = render_bytes(record, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{_filename(record.worker, record.date)}"'} \
        if fmt == "docx" else None
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers, status_code=status_code)


DateQuery = Annotated[str | None, Query(max_length=20, description="YYYY-MM-DD or DD/MM/YYYY.")]
DueQuery = Annotated[int, Query(ge=0, le=260, description="Working days allowed for each new action.")]
_RESPONSES: dict[int | str, dict[str, Any]] = {401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM, 422: _PROBLEM}


@router.get(
    "/v1/workers/{worker}/supervision", summary="A worker's supervision record (not stored)",
    responses={200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}}, **_RESPONSES},
)
async def get_supervision(
    worker: str, user: UserDep, store: StoreDep, date: DateQuery = None, since: DateQuery = None,
    due_days: DueQuery = DEFAULT_DUE_WORKING_DAYS, format: Format = "json",
) -> Response:
    """The audit part of ``worker``'s supervision on ``date`` (default today): records audited since
    ``since`` (default the last supervision), SMART actions, actions carried forward, loop numbers.
    ``format`` picks JSON or a document (``docx`` downloads). Nothing is stored."""
    record = await anyio.to_thread.run_sync(lambda: _build(store, user, worker, date, since, due_days))
    return await anyio.to_thread.run_sync(lambda: supervision_response(record, format))


@router.post("/v1/workers/{worker}/supervision", summary="Store a worker's supervision record",
             status_code=201, responses=_RESPONSES)
async def post_supervision(
    worker: str, user: UserDep, store: StoreDep, date: DateQuery = None, since: DateQuery = None,
    due_days: DueQuery = DEFAULT_DUE_WORKING_DAYS,
) -> Response:
    """Build the supervision as ``GET`` does and store it (replacing one for the same worker and date);
    its new actions then close when re-scored records no longer have their shortfalls. Answers the JSON."""

    def work() -> SupervisionRecord:
        return save_supervision(store, _build(store, user, worker, date, since, due_days))

    record = await anyio.to_thread.run_sync(work)
    return supervision_response(record, "json", status_code=201)
