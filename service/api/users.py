"""/v1/users: admins manage service users and their keys (the API twin of `caseqa users`)."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import Response

from analyser.store import UserRow
from service.deps import StoreDep, require_roles
from service.schemas import NewUser, NewUserKey, UserOut

router = APIRouter(tags=["users"])
Admin = Annotated[UserRow, Depends(require_roles("admin"))]
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}


@router.get("/v1/users", response_model=list[UserOut], summary="List users (admins)", responses={401: _PROBLEM, 403: _PROBLEM})
async def list_users(admin: Admin, store: StoreDep) -> list[UserOut]:
    users = await anyio.to_thread.run_sync(store.list_users)
    return [UserOut.model_validate(u, from_attributes=True) for u in users]


@router.post("/v1/users", response_model=NewUserKey, status_code=201, summary="Add a user (admins); the key is shown once",
             responses={401: _PROBLEM, 403: _PROBLEM, 409: _PROBLEM, 422: _PROBLEM})
async def add_user(body: NewUser, admin: Admin, store: StoreDep) -> NewUserKey:
    if not body.name.strip():
        raise HTTPException(422, "a user needs a name")
    try:
        user, key = await anyio.to_thread.run_sync(lambda: store.add_user(body.name, body.role, body.team))
    except ValueError as exc:  # already exists
        raise HTTPException(409, str(exc)) from None
    return NewUserKey(**UserOut.model_validate(user, from_attributes=True).model_dump(), key=key)


@router.delete("/v1/users/{name}", status_code=204, response_class=Response, summary="Remove a user (admins)",
               responses={401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM})
async def remove_user(name: Annotated[str, Path(max_length=200)], admin: Admin, store: StoreDep) -> Response:
    if not await anyio.to_thread.run_sync(store.remove_user, name):
        raise HTTPException(404, f"no user '{name}'")
    return Response(status_code=204)


@router.post("/v1/users/{name}/key", response_model=NewUserKey, summary="Give a user a new key (admins); the old key "
             "and the user's page sign-ins stop working at once", responses={401: _PROBLEM, 403: _PROBLEM, 404: _PROBLEM})
async def rotate_key(name: Annotated[str, Path(max_length=200)], admin: Admin, store: StoreDep) -> NewUserKey:
    try:
        user, key = await anyio.to_thread.run_sync(store.rotate_key, name)
    except KeyError:
        raise HTTPException(404, f"no user '{name}'") from None
    return NewUserKey(**UserOut.model_validate(user, from_attributes=True).model_dump(), key=key)
