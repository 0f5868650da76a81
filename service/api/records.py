"""GET /v1/records and /v1/records/{record_id}: stored results, limited to what the caller may see."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query

from analyser.report import DocType
from analyser.store import RecordRow, Store, UserRow
from service.deps import StoreDep, UserDep, can_see, visibility
from service.schemas import RecordDetail, RecordList, RecordSummary, VersionSummary

router = APIRouter(tags=["records"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
GradeIn = Literal["outstanding", "good", "requires_improvement", "inadequate"]


def visible_records(store: Store, user: UserRow, **filters: object) -> list[RecordRow]:
    """``store.list_records`` with the caller's visibility applied on top of their filters.

    A filter that contradicts what the caller may see (a supervisor asking for another team) finds
    nothing, rather than quietly widening or narrowing to something else.
    """
    limits = visibility(user)
    if limits is None:
        return []
    for key, value in limits.items():
        if filters.get(key) not in (None, value):
            return []
    given = {k: v for k, v in filters.items() if v is not None}
    return store.list_records(**{**given, **limits})  # type: ignore[arg-type]


@router.get("/v1/records", response_model=RecordList, summary="Stored results", responses={401: _PROBLEM, 422: _PROBLEM})
async def list_records(
    user: UserDep,
    store: StoreDep,
    worker: Annotated[str | None, Query(max_length=200)] = None,
    team: Annotated[str | None, Query(max_length=200)] = None,
    grade: GradeIn | None = None,
    doc_type: DocType | None = None,
    date_from: Annotated[date | None, Query(description="Records dated on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[date | None, Query(description="Records dated on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RecordList:
    """The latest version of each record you may see: social workers their own submissions, supervisors
    their team's, auditors and admins everything. Filter by worker, team, grade, type and date."""
    rows = await anyio.to_thread.run_sync(
        lambda: visible_records(store, user, worker=worker, team=team, grade=grade, doc_type=doc_type,
                                date_from=date_from, date_to=date_to, limit=limit, offset=offset)
    )
    return RecordList(records=[RecordSummary.of(r) for r in rows], limit=limit, offset=offset)


def record_detail(store: Store, user: UserRow, record_id: str, version: int | None = None) -> RecordDetail | None:
    """A record version with its report and (when stored) its text, or None if absent or not visible."""
    versions = store.record_versions(record_id)
    chosen = next((v for v in versions if v.version == version), None) if version else (versions[-1] if versions else None)
    if chosen is None or not can_see(user, chosen):
        return None
    report = store.get_report(record_id, chosen.version)
    if report is None:
        return None
    return RecordDetail(
        record=RecordSummary.of(chosen),
        report=report,
        text=store.get_text(record_id, chosen.version),
        versions=[VersionSummary(version=v.version, overall_score=v.overall_score, grade=v.grade, scored_at=v.scored_at)
                  for v in versions if can_see(user, v)],
        # The child's timeline by opaque key (made on first use), so no page or client puts a child id,
        # a name or a birthday in a URL to reach it.
        child_key=store.child_key(chosen.link_key) if chosen.link_key else None,
    )


@router.get("/v1/records/{record_id:path}", response_model=RecordDetail, summary="One stored record",
            responses={401: _PROBLEM, 404: _PROBLEM})
async def get_record(
    record_id: str, user: UserDep, store: StoreDep, version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None
) -> RecordDetail:
    """A record's full report, its versions, and its text if it was stored with it. 404 when it does not
    exist *or* you may not see it (so its existence is not given away)."""
    detail = await anyio.to_thread.run_sync(lambda: record_detail(store, user, record_id, version))
    if detail is None:
        raise HTTPException(404, "no such record (or it is not one you may see)")
    return detail
