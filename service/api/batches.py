"""POST /v1/batches and GET /v1/batches/{id}: score many records in the background into the store.

Who: supervisors, auditors and admins (social workers check drafts one at a time). A supervisor's
uploaded records are filed under their team, and they may re-score only their team's stored records.
Nobody may upload under another team's worker (403), and an upload named after a record the caller
cannot see fails (as a draft stored under such an id does); new versions stay their first owner's.
A batch's status is visible to the user who started it, and to auditors and admins.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PureWindowsPath
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from analyser.inputs import InputFailure, RecordInput
from analyser.store import Store, UserRow
from service.api.parsing import form_body, form_fields, json_body, media_type, unsupported
from service.batches import BatchRunner
from service.deps import SettingsDep, StoreDep, UserDep, can_see, check_worker_team, require_roles, worker_team
from service.schemas import BatchFromRecords, BatchStatus

router = APIRouter(tags=["batches"])
BATCH_ROLES = ("supervisor", "auditor", "admin")
Creator = Annotated[UserRow, Depends(require_roles(*BATCH_ROLES))]
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]")

class _UploadFields(BaseModel):
    """The text fields that may come with uploaded files."""

    worker: str | None = Field(None, max_length=200, description="The worker who wrote these records.")
    team: str | None = Field(None, max_length=200, description="Their team (a supervisor's batches are always their team's).")
    store_text: bool = Field(False, description="Keep the records' text in the store (for highlighted feedback pages).")


def get_runner(request: Request) -> BatchRunner:
    return request.app.state.batches  # type: ignore[no-any-return]


RunnerDep = Annotated[BatchRunner, Depends(get_runner)]


@router.post(
    "/v1/batches",
    status_code=202,
    response_model=BatchStatus,
    summary="Start a background batch",
    description=(
        "Upload several files (multipart, field `files`, with optional `worker`, `team`, `store_text`), or send "
        "JSON `{\"record_ids\": [...]}` to re-score stored records (their text must have been stored). Answers "
        "202 at once with the batch id; follow `GET /v1/batches/{id}`. Supervisors, auditors and admins only."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": BatchFromRecords.model_json_schema()},
                "multipart/form-data": {"schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        **{k: {kk: vv for kk, vv in v.items() if kk != "default"}
                           for k, v in _UploadFields.model_json_schema()["properties"].items()},
                    },
                }},
            },
        }
    },
    responses={401: _PROBLEM, 403: _PROBLEM, 413: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM},
)
async def create_batch(request: Request, user: Creator, settings: SettingsDep, store: StoreDep, runner: RunnerDep) -> JSONResponse:
    kind = media_type(request)
    folder: str | None = None
    if kind == "application/json":
        body = await json_body(request, BatchFromRecords)
        items = await anyio.to_thread.run_sync(_stored_records, store, user, body.record_ids)
        keep_text = body.store_text
    elif kind == "multipart/form-data":
        form = await form_body(request, max_files=settings.batch_max_files, max_part_size=settings.max_body_bytes)
        fields = form_fields(form, _UploadFields, skip=("files",))
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not uploads:
            raise HTTPException(422, "send one or more files in the 'files' field")
        team = user.team if user.role == "supervisor" else fields.team
        if fields.worker:
            team = await anyio.to_thread.run_sync(_worker_batch_team, store, user, fields.worker, team)
        extra = {k: v for k, v in (("worker", fields.worker), ("team", team)) if v}
        folder = runner.upload_folder()  # mode 0700: only this user reads the uploads
        saved = [await _save_upload(u, i, folder, extra) for i, u in enumerate(uploads)]
        items = await anyio.to_thread.run_sync(_usable_ids, store, user, saved)
        keep_text = fields.store_text
    else:
        raise unsupported("JSON (application/json) with record_ids, or files (multipart/form-data)")
    batch = runner.submit(user.name, items, keep_text=keep_text, folder=folder)
    return JSONResponse(batch.status_model().model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/v1/batches/{batch.id}"})


async def _save_upload(upload: UploadFile, index: int, folder: str, fields: dict[str, str]) -> RecordInput:
    name = PureWindowsPath(upload.filename or "upload").name or "upload"
    # The index keeps two uploads with one name apart; the cleaned name keeps the suffix ingest needs.
    path = Path(folder) / f"{index:05d}-{_SAFE_NAME.sub('_', name)[-120:]}"
    data = await upload.read()
    await anyio.to_thread.run_sync(path.write_bytes, data)
    os.chmod(path, 0o600)
    return RecordInput(id=Path(name).stem or f"upload-{index + 1}", source=name, path=path, fields=dict(fields))


def _worker_batch_team(store: Store, user: UserRow, worker: str, team: str | None) -> str | None:
    """The team the batch's records are filed under; 403 when ``worker`` is another team's.

    Auditors and admins who name no team get the worker's own (when they have exactly one)."""
    if team is None and user.role != "supervisor":
        teams, _ = worker_team(store, worker)
        if len(teams) == 1:
            team = next(iter(teams))
    check_worker_team(store, worker, team)
    return team


def _usable_ids(store: Store, user: UserRow, items: list[RecordInput]) -> list[RecordInput | InputFailure]:
    """The id check drafts get: an upload may become a new version only of a record the caller can see."""
    out: list[RecordInput | InputFailure] = []
    for item in items:
        versions = store.record_versions(item.id)
        if versions and not can_see(user, versions[-1]):
            out.append(InputFailure(item.source, "this record id is already used by a record you cannot see; "
                                    "rename the file", item.id))
        else:
            out.append(item)
    return out


def _stored_records(store: Store, user: UserRow, record_ids: list[str]) -> list[RecordInput | InputFailure]:
    """Stored records to re-score, as batch inputs; ones the user cannot see fail as 'not found'."""
    items: list[RecordInput | InputFailure] = []
    for record_id in dict.fromkeys(record_ids):
        versions = store.record_versions(record_id)
        row = versions[-1] if versions else None
        if row is None or not can_see(user, row):
            items.append(InputFailure(record_id, "no such record (or it is not one you may see)", record_id))
            continue
        text = store.get_text(record_id, row.version)
        if text is None:
            items.append(InputFailure(record_id, "its text was not stored, so it cannot be re-scored", record_id))
            continue
        fields = {**row.fields, **({"submitted_by": row.submitted_by} if row.submitted_by else {})}
        items.append(RecordInput(id=record_id, source=row.source or record_id, text=text, fields=fields))
    return items


@router.get("/v1/batches/{batch_id}", response_model=BatchStatus, summary="A batch's progress",
            responses={401: _PROBLEM, 404: _PROBLEM})
async def get_batch(batch_id: Annotated[str, PathParam(max_length=64)], user: UserDep, runner: RunnerDep) -> BatchStatus:
    """Status (queued, running, done, failed), counts, the store run id, and failures with reasons."""
    batch = runner.get(batch_id)
    if batch is None or not (batch.created_by == user.name or user.role in ("auditor", "admin")):
        raise HTTPException(404, "no such batch (or it is not yours)")
    return batch.status_model()
