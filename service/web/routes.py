"""The pages: sign-in, the draft checker, the supervisor dashboard, a record's feedback, a worker's page.

Pages read the same store and visibility rules as the API (:mod:`service.api.records`), and the draft
checker's script calls ``POST /v1/analyse`` with the session cookie and the CSRF token.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from analyser.date_fields import iso_date
from analyser.report import DIMENSIONS, DOC_TYPES, GRADES, mean_score
from analyser.store import ActionStats, RecordRow, Store, SupervisionActionRow, UserRow
from service.api.children import child_timeline, throttled_find_child
from service.api.records import record_detail, visible_records
from service.api.supervision import may_supervise
from service.deps import KeyCache, StoreDep, check_csrf, check_not_throttled, client_address, session_user
from service.schemas import ChildLookup
from service.web.charts import legend_items, monthly_means, scores_over_time
from service.web.render import DASHBOARD_ROLES, feedback_context, page

router = APIRouter(include_in_schema=False)
DASHBOARD_LIMIT = 1000


class NeedsSignIn(Exception):
    """A page was asked for without a signed-in session: the handler redirects to /login."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


async def needs_sign_in(request: Request, exc: NeedsSignIn) -> Response:
    return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", status_code=303)


async def signed_in(request: Request, store: Store) -> UserRow:
    user = await anyio.to_thread.run_sync(session_user, request, store)
    if user is None:
        raise NeedsSignIn(request.url.path)
    return user


def _local(next_path: str | None) -> str:
    # Only paths on this site: never an open redirect to another host ("//evil", "https://...").
    if next_path and next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path:
        return next_path
    return "/"


# ---- sign-in ----------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, store: StoreDep, next: str | None = None) -> Response:
    if await anyio.to_thread.run_sync(session_user, request, store):
        return RedirectResponse(_local(next), status_code=303)
    return page(request, "login.html", None, next=_local(next))


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request, store: StoreDep, key: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "", next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_csrf(request, csrf)
    check_not_throttled(request)
    cache: KeyCache = request.app.state.keys
    user = await anyio.to_thread.run_sync(cache.user, store, key.strip())
    if user is None:
        request.app.state.auth_failures.failed(client_address(request))
        return page(request, "login.html", None, status_code=401, next=_local(next),
                    error="That key was not recognised. Check it, or ask an admin for a new one.")
    # A fresh session (new CSRF token) on sign-in: a token planted before sign-in is useless after.
    # The cookie carries only a random token; the session itself lives in the store, so it can be ended.
    max_age = request.app.state.settings.session_max_age
    sid = await anyio.to_thread.run_sync(store.start_session, user.id, max_age)
    request.session.clear()
    request.session.update(sid=sid, csrf=secrets.token_urlsafe(32))
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
async def logout(request: Request, store: StoreDep, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf)
    sid = request.session.get("sid")
    if isinstance(sid, str):
        await anyio.to_thread.run_sync(store.end_session, sid)  # the old cookie is worthless from now on
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# ---- the draft checker --------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def checker(request: Request, store: StoreDep) -> Response:
    user = await signed_in(request, store)
    return page(request, "checker.html", user, doc_types=DOC_TYPES, max_mb=request.app.state.settings.max_body_bytes / 2**20)


# ---- my records ------------------------------------------------------------------------------------


@router.get("/my-records", response_class=HTMLResponse)
async def my_records(request: Request, store: StoreDep) -> Response:
    """The records the signed-in user submitted (saved drafts and batch records under their name)."""
    user = await signed_in(request, store)
    rows = await anyio.to_thread.run_sync(
        lambda: visible_records(store, user, submitted_by=user.name, limit=DASHBOARD_LIMIT))
    rows = sorted(rows, key=lambda r: (_when(r), r.record_id), reverse=True)
    return page(request, "my_records.html", user, rows=rows, when=_when)


# ---- the dashboard -----------------------------------------------------------------------------------


def _worker_rows(rows: list[RecordRow]) -> list[dict[str, Any]]:
    """Mean scores per worker, for the table beside the chart."""
    groups: dict[str, list[RecordRow]] = defaultdict(list)
    for r in rows:
        groups[r.worker or "(no worker)"].append(r)
    out = []
    for name, rs in sorted(groups.items()):
        n = len(rs)
        actions = sum(r.actions for r in rs)
        out.append({
            "name": name, "records": n, "overall": sum(r.overall_score for r in rs) / n,
            # Means over the records each dimension was scored on (None when it was scored on none).
            "dimensions": {d: mean_score([r.scores.get(d) for r in rs]) for d in DIMENSIONS},
            "timebound_share": (1 - sum(r.actions_not_timebound for r in rs) / actions) if actions else None,
            "grades": {g: sum(r.grade == g for r in rs) for g in GRADES},
        })
    return out


def _when(row: RecordRow) -> date:
    """Where a record sits on the time axis: its own date, else when it was scored."""
    try:
        return date.fromisoformat(row.date) if row.date else row.scored_at.date()
    except ValueError:
        return row.scored_at.date()


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request, store: StoreDep,
    worker: Annotated[str | None, Query(max_length=200)] = None,
    team: Annotated[str | None, Query(max_length=200)] = None,
    grade: Annotated[str | None, Query(max_length=40)] = None,
    doc_type: Annotated[str | None, Query(max_length=40)] = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    user = await signed_in(request, store)
    if user.role not in DASHBOARD_ROLES:
        return page(request, "message.html", user, status_code=403, title="Not for your role",
                    message="The dashboard is for supervisors, auditors and admins. Your own checks are on the draft checker.")
    if user.role == "supervisor":
        team = user.team
    filters = {"worker": worker or None, "team": team or None, "grade": grade if grade in GRADES else None,
               "doc_type": doc_type if doc_type in DOC_TYPES else None,
               "date_from": _iso_or_none(date_from), "date_to": _iso_or_none(date_to)}

    def load() -> tuple[list[RecordRow], list[RecordRow]]:
        everyone = visible_records(store, user, team=filters["team"], limit=DASHBOARD_LIMIT)  # for the pickers
        return visible_records(store, user, **filters, limit=DASHBOARD_LIMIT), everyone

    rows, everyone = await anyio.to_thread.run_sync(load)
    loop = await anyio.to_thread.run_sync(lambda: store.actions_stats_by("worker"))
    by_worker: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r.worker or "", _when(r))):
        by_worker[r.worker or "(no worker)"].append((_when(r), r.overall_score))
    series = {w: monthly_means(points) for w, points in by_worker.items()}
    team_mean = monthly_means([(_when(r), r.overall_score) for r in rows])
    title = "Mean overall score each month, by worker and for the team"
    return page(
        request, "dashboard.html", user,
        rows=sorted(rows, key=lambda r: (_when(r), r.record_id), reverse=True),
        truncated=len(rows) >= DASHBOARD_LIMIT,
        workers=_worker_rows(rows), loop_stats=loop,
        chart=scores_over_time(series, team=team_mean, title=title), legend=legend_items(list(series)),
        filters=filters, when=_when,
        worker_names=sorted({r.worker for r in everyone if r.worker}),
        teams=sorted({r.team for r in everyone if r.team}) if user.role != "supervisor" else [],
        doc_types=DOC_TYPES,
    )


def _iso_or_none(value: str | None) -> str | None:
    day = iso_date(value)
    return day.isoformat() if day else None


# ---- a record's feedback, a worker's page -----------------------------------------------------------


@router.get("/records/{record_id:path}", response_class=HTMLResponse)
async def record_page(request: Request, record_id: str, store: StoreDep,
                      version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None) -> Response:
    user = await signed_in(request, store)
    detail = await anyio.to_thread.run_sync(lambda: record_detail(store, user, record_id, version))
    if detail is None:
        return page(request, "message.html", user, status_code=404, title="No such record",
                    message="There is no record with that id that you may see.")
    return page(request, "record.html", user, record=detail.record, versions=detail.versions, child_key=detail.child_key,
                has_text=detail.text is not None, **feedback_context(detail.report, detail.text))


@router.get("/workers/{name}", response_class=HTMLResponse)
async def worker_page(request: Request, name: str, store: StoreDep) -> Response:
    """A worker's records (that the viewer may see) and, for those who may write the worker's supervision,
    the supervision loop in numbers, the open actions, and the supervision record to download or preview."""
    user = await signed_in(request, store)

    def load() -> tuple[list[RecordRow], ActionStats | None, list[SupervisionActionRow]]:
        rows = visible_records(store, user, worker=name, limit=DASHBOARD_LIMIT)
        if not may_supervise(store, user, name):
            return rows, None, []
        return rows, store.actions_stats(worker=name), store.open_actions(worker=name)

    rows, stats, open_actions = await anyio.to_thread.run_sync(load)
    if not rows and stats is None:
        # Nothing of theirs the viewer may see: the same answer whether or not the worker exists.
        return page(request, "message.html", user, status_code=404, title="No such worker",
                    message="There is no worker with records that you may see.")
    rows = sorted(rows, key=lambda r: (_when(r), r.record_id), reverse=True)
    return page(request, "worker.html", user, worker=name, rows=rows, workers=_worker_rows(rows), when=_when,
                stats=stats, open_actions=open_actions, today=date.today().isoformat())


@router.get("/workers/{name}/supervision", response_class=HTMLResponse)
async def supervision_preview(request: Request, name: str, store: StoreDep) -> Response:
    """The supervision record as it would be written today, inside the site's layout (menu, breadcrumbs,
    the Word download), not as a bare API document. Nothing is stored."""
    from analyser.supervision import DEFAULT_DUE_WORKING_DAYS, render_bytes
    from service.api.supervision import _build

    user = await signed_in(request, store)
    try:
        record = await anyio.to_thread.run_sync(lambda: _build(store, user, name, None, None, DEFAULT_DUE_WORKING_DAYS))
    except HTTPException as exc:
        return page(request, "message.html", user, status_code=exc.status_code, title="No supervision record to show",
                    message=str(exc.detail))
    html = await anyio.to_thread.run_sync(lambda: render_bytes(record, "html").decode("utf-8"))
    return page(request, "supervision_preview.html", user, worker=name, preview=html)


# ---- a child's timeline -----------------------------------------------------------------------------
# Children are addressed by an opaque key (service.api.children): a child id, a name or a date of birth
# is typed into the form below and posted, never put in a URL.


@router.get("/children", response_class=HTMLResponse)
async def find_child_form(request: Request, store: StoreDep) -> Response:
    """Find a child's timeline by child id, or by name and date of birth (posted, not in the URL)."""
    user = await signed_in(request, store)
    return page(request, "find_child.html", user, form={})


@router.post("/children", response_class=HTMLResponse)
async def find_child_page(
    request: Request, store: StoreDep, csrf: Annotated[str, Form(max_length=200)] = "",
    child_id: Annotated[str, Form(max_length=200)] = "", name: Annotated[str, Form(max_length=200)] = "",
    dob: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Redirects (303) to the child's timeline page, by key; else the form again with why."""
    user = await signed_in(request, store)
    check_csrf(request, csrf)
    form = {"child_id": child_id.strip(), "name": name.strip(), "dob": dob.strip()}
    try:
        lookup = ChildLookup(child_id=form["child_id"] or None, name=form["name"] or None, dob=form["dob"] or None)
    except ValidationError:
        return page(request, "find_child.html", user, status_code=422, form=form,
                    error="Give the child's id, or their full name and date of birth (never a name alone).")
    try:
        misses = request.app.state.lookup_misses
        key = await anyio.to_thread.run_sync(lambda: throttled_find_child(misses, store, user, lookup))
    except HTTPException as exc:
        return page(request, "find_child.html", user, status_code=exc.status_code, form=form, error=str(exc.detail))
    return RedirectResponse(f"/children/{quote(key, safe='')}", status_code=303)


@router.get("/children/{child_key}", response_class=HTMLResponse)
async def child_page(request: Request, child_key: str, store: StoreDep) -> Response:
    """A child's records in date order, each with the drift found in it (who may see it: the API's rule)."""
    user = await signed_in(request, store)
    try:
        timeline = await anyio.to_thread.run_sync(lambda: child_timeline(store, user, child_key))
    except HTTPException as exc:
        return page(request, "message.html", user, status_code=exc.status_code, title="No timeline to show",
                    message=str(exc.detail))
    findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in timeline["findings"]:
        findings[f["record_id"]].append(f)
    return page(request, "children.html", user, child_id=timeline["child_id"], records=timeline["records"],
                findings=findings)
