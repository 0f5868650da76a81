"""GET /v1/children/{child_id}/timeline: a child's records in date order, with the drift found between them.

Who may see a timeline (the drift findings compare records, so a timeline is shown whole or not at all):
auditors and admins any child's; supervisors a child with at least one record in their team (the whole
history, other teams' records included, since the child's plan carries across teams: a child id is set
only by exports the council loads, never by an upload); social workers a child whose records they all
submitted. Linked by name and date of birth, supervisors and social workers see only their own team's
records (anyone can write a name and a birthday into an upload). A caller who may see none of the child's records gets 404, as
for a record; a social worker who may see some but not all gets 403.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query

from analyser.drift import timeline_for
from analyser.store import RecordRow, Store, UserRow
from service.deps import StoreDep, UserDep, can_see

router = APIRouter(tags=["children"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}


def may_see_timeline(user: UserRow, rows: list[RecordRow]) -> bool:
    """The rule in this module's docstring, for the latest version of each of the child's records."""
    if user.role in ("auditor", "admin"):
        return True
    if user.role == "supervisor":
        return bool(user.team) and any(r.team == user.team for r in rows)
    return bool(rows) and all(can_see(user, r) for r in rows)


def child_timeline(store: Store, user: UserRow, child_id: str, dob: str | None = None) -> dict[str, Any]:
    """The timeline as JSON-ready data; HTTP 404 (none, or none visible), 403 or 422 (a bad ``dob``)."""
    try:
        # By name and date of birth, a supervisor or social worker sees only their team's records: a
        # name and a birthday are not an identity, so an upload naming them must not open another
        # team's child (auditors and admins search every team).
        team = user.team if dob and user.role in ("supervisor", "social_worker") else None
        if dob and team is None and user.role in ("supervisor", "social_worker"):
            raise HTTPException(404, "no records for this child (or none you may see)")
        timeline = timeline_for(store, child_id, dob=dob, team=team)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    rows = [versions[-1] for r in timeline["records"] if (versions := store.record_versions(r["id"]))]
    if not rows or (not any(can_see(user, r) for r in rows) and not may_see_timeline(user, rows)):
        raise HTTPException(404, "no records for this child (or none you may see)")
    if not may_see_timeline(user, rows):
        raise HTTPException(403, "this child has records you may not see, so their timeline is not shown to you")
    return timeline


@router.get("/v1/children/{child_id}/timeline", summary="A child's records and drift",
            responses={401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM, 422: _PROBLEM})
async def get_timeline(
    child_id: str, user: UserDep, store: StoreDep,
    dob: Annotated[str | None, Query(max_length=20, description=(
        "The child's date of birth (YYYY-MM-DD): then `child_id` is the child's name and records are "
        "linked by name plus date of birth."))] = None,
) -> dict[str, Any]:
    """The child's records in date order (id, date, doc_type, grade, overall_score) and the drift
    findings between them, each with the ``record_id`` it was found in. See the module for who may see it."""
    return await anyio.to_thread.run_sync(lambda: child_timeline(store, user, child_id, dob))
