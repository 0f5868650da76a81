"""A child's timeline, addressed by an opaque child key: no child id, name or date of birth in a URL.

``POST /v1/children/lookup`` takes a child id, or a name and a date of birth, in its body and answers
with the child's key (random, made on first use, meaningless without the store); a record's detail
carries its child's key too. ``GET /v1/children/{child_key}/timeline`` is the child's records in date
order, with the drift found between them.

Who may see a timeline (the drift findings compare records, so a timeline is shown whole or not at all):
auditors and admins any child's; supervisors a child with at least one record in their team (the whole
history, other teams' records included, since the child's plan carries across teams: a child id is set
only by exports the council loads, never by an upload); social workers a child whose records they all
submitted. Linked by name and date of birth, supervisors and social workers see only their own team's
records (anyone can write a name and a birthday into an upload): a lookup searches their team only, and
a key of another team's (or every team's) name-and-birthday link answers 404 to them. A caller who may
see none of the child's records gets 404, as for a record; a social worker who may see some but not all
gets 403. The same rules answer a lookup, so a key is only handed to someone who may see the timeline.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Request

from analyser.drift import child_link, link_parts, timeline_for_link
from analyser.store import RecordRow, Store, UserRow
from service.deps import AuthFailures, StoreDep, UserDep, can_see
from service.schemas import ChildFound, ChildLookup

router = APIRouter(tags=["children"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
NOT_FOUND = "no records for this child (or none you may see)"
TEAM_LIMITED = ("supervisor", "social_worker")


def may_see_timeline(user: UserRow, rows: list[RecordRow]) -> bool:
    """The rule in this module's docstring, for the latest version of each of the child's records."""
    if user.role in ("auditor", "admin"):
        return True
    if user.role == "supervisor":
        return bool(user.team) and any(r.team == user.team for r in rows)
    return bool(rows) and all(can_see(user, r) for r in rows)


def visible_timeline(store: Store, user: UserRow, link_key: str) -> dict[str, Any]:
    """The timeline of the child these records link by, as JSON-ready data; HTTP 404 (none, or none
    visible) or 403. Blocking (database)."""
    _, how, team = link_parts(link_key)
    if how == "name+dob" and user.role in TEAM_LIMITED and (not user.team or team != user.team):
        # A name and a birthday are not an identity: only the caller's own team's link is theirs to read.
        raise HTTPException(404, NOT_FOUND)
    timeline = timeline_for_link(store, link_key)
    rows = [versions[-1] for r in timeline["records"] if (versions := store.record_versions(r["id"]))]
    if not rows or (not any(can_see(user, r) for r in rows) and not may_see_timeline(user, rows)):
        raise HTTPException(404, NOT_FOUND)
    if not may_see_timeline(user, rows):
        raise HTTPException(403, "this child has records you may not see, so their timeline is not shown to you")
    return timeline


def lookup_link(user: UserRow, lookup: ChildLookup) -> str:
    """The link key a lookup asks for: by name and date of birth, a team-limited caller's own team only
    (auditors and admins every team). HTTP 404 (a team-limited caller with no team) or 422 (a bad dob)."""
    if lookup.child_id:
        return child_link(lookup.child_id)
    team = user.team if user.role in TEAM_LIMITED else None
    if user.role in TEAM_LIMITED and not team:
        raise HTTPException(404, NOT_FOUND)
    try:
        return child_link(str(lookup.name), dob=lookup.dob, team=team)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def find_child(store: Store, user: UserRow, lookup: ChildLookup) -> str:
    """The child's key, once the caller is shown to be allowed their timeline (404 or 403 otherwise)."""
    link = lookup_link(user, lookup)
    visible_timeline(store, user, link)
    return store.child_key(link)


def throttled_find_child(misses: AuthFailures, store: Store, user: UserRow, lookup: ChildLookup) -> str:
    """:func:`find_child`, counting the lookups that find no child the caller may see (404, 403): after
    ``misses.limit`` of them in the window the caller gets 429, so names and birthdays cannot be tried
    by the thousand to learn which children are in the store. Keyed by user, not address."""
    client = f"user:{user.id}"
    wait = misses.retry_after(client)
    if wait is not None:
        raise HTTPException(429, f"too many lookups found no child lately: try again in {wait} s",
                            headers={"Retry-After": str(wait)})
    try:
        return find_child(store, user, lookup)
    except HTTPException as exc:
        if exc.status_code in (403, 404):
            misses.failed(client)
        raise


def child_timeline(store: Store, user: UserRow, child_key: str) -> dict[str, Any]:
    """The timeline of the child with this key (404 for an unknown key, as for one not visible)."""
    link = store.child_link(child_key)
    if link is None:
        raise HTTPException(404, NOT_FOUND)
    return {"child_key": child_key, **visible_timeline(store, user, link)}


def found(child_key: str) -> ChildFound:
    return ChildFound(child_key=child_key, timeline=f"/v1/children/{child_key}/timeline", page=f"/children/{child_key}")


@router.post("/v1/children/lookup", response_model=ChildFound, summary="Find a child's timeline key",
             responses={401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM, 422: _PROBLEM, 429: _PROBLEM})
async def lookup(request: Request, body: ChildLookup, user: UserDep, store: StoreDep) -> ChildFound:
    """The child's opaque key and where their timeline is, from a child id or a name and a date of birth
    in the body (never in a URL). 404 when there is no such child you may see; 403 as for the timeline;
    429 after too many lookups that found nothing (``CASEQA_LOOKUP_MISS_LIMIT`` in 10 minutes)."""
    misses = request.app.state.lookup_misses
    return found(await anyio.to_thread.run_sync(lambda: throttled_find_child(misses, store, user, body)))


@router.get("/v1/children/{child_key}/timeline", summary="A child's records and drift",
            responses={401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM})
async def get_timeline(child_key: str, user: UserDep, store: StoreDep) -> dict[str, Any]:
    """The child's records in date order (id, date, doc_type, grade, overall_score) and the drift
    findings between them, each with the ``record_id`` it was found in. ``child_key`` comes from
    ``POST /v1/children/lookup`` or a record's detail. See the module for who may see it."""
    return await anyio.to_thread.run_sync(lambda: child_timeline(store, user, child_key))
