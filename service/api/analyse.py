"""POST /v1/analyse: check one draft (JSON text or an uploaded .docx/.pdf/.txt) and return its report."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from analyser.ingest import from_text, load_bytes
from analyser.report import Report
from analyser.store import Store, UserRow
from service.api.parsing import form_body, form_fields, json_body, media_type, unsupported
from service.deps import AnalysesDep, DraftsDep, SettingsDep, StoreDep, UserDep, can_see
from service.schemas import AnalyseOptions, AnalyseRequest

router = APIRouter(tags=["analyse"])

_OPTIONS_SCHEMA = AnalyseOptions.model_json_schema()
_UPLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "A .docx, .pdf, .txt or .md file."},
        "text": {"type": "string", "description": "The text, when no file is sent."},
        **{k: {kk: vv for kk, vv in v.items() if kk != "default"} for k, v in _OPTIONS_SCHEMA["properties"].items()},
    },
}
_PROBLEM = {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post(
    "/v1/analyse",
    response_model=Report,
    summary="Check a draft",
    description=(
        "Analyse one record: JSON `{\"text\": ...}` with optional metadata, or a multipart upload with a `file` "
        "(.docx, .pdf, .txt, .md). Returns the report (caseqa.report/3). Not stored unless `store` is true; then "
        "it is stored as submitted by you (with your team), and `store_text` keeps the text too. "
        "With `Accept: text/html` the answer is the highlighted feedback as an HTML fragment (what the draft "
        "checker page shows). With `?annotate=docx` and an uploaded .docx, the answer is that Word file with each "
        "finding as a comment on its words and a summary comment at the top (`suggest=true` adds the preferred "
        "words as tracked changes); nothing about the file is kept."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": AnalyseRequest.model_json_schema()},
                "multipart/form-data": {"schema": _UPLOAD_SCHEMA},
            },
        }
    },
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}},
                          DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        401: _PROBLEM, 403: _PROBLEM, 413: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM, 503: _PROBLEM, 504: _PROBLEM,
    },
)
async def analyse(
    request: Request, user: UserDep, settings: SettingsDep, analyses: AnalysesDep, store: StoreDep, drafts: DraftsDep,
    annotate: Annotated[Literal["docx"] | None, Query(description="`docx`: answer with the uploaded Word file, commented.")] = None,
    suggest: Annotated[bool, Query(description="With annotate=docx: preferred words as tracked changes.")] = False,
) -> Response:
    from analyser.word_comments import is_docx_name, not_docx_message

    kind = media_type(request)
    upload_name: str | None = None
    if kind == "application/json":
        body = await json_body(request, AnalyseRequest)
        options: AnalyseOptions = body
        text = body.text
        # partial, not lambda: the job is pickled to a worker process.
        load: Any = partial(from_text, text, source=None)
    elif kind == "multipart/form-data":
        form = await form_body(request, max_files=1, max_part_size=settings.max_body_bytes)
        options = form_fields(form, AnalyseOptions, skip=("file", "text"))
        upload, text_field = form.get("file"), form.get("text")
        if isinstance(upload, UploadFile):
            data, name = await upload.read(), upload.filename or "upload"
            upload_name = name
            load = partial(load_bytes, data, name, max_bytes=settings.max_body_bytes)
        elif isinstance(text_field, str) and text_field.strip():
            load = partial(from_text, text_field, source=None)
        else:
            raise HTTPException(422, "send a 'file' (.docx, .pdf, .txt, .md) or a 'text' field")
    else:
        raise unsupported("JSON (application/json) or a file upload (multipart/form-data)")
    if annotate is not None and not is_docx_name(upload_name):
        # Checked before the analysis: there is nothing to write comments into.
        raise HTTPException(422, not_docx_message(upload_name) + " (upload the .docx as the 'file' field)")

    meta = options.meta()
    if options.store:
        if options.id is not None:
            await anyio.to_thread.run_sync(_check_id_usable, store, user, options.id)
        else:
            meta["id"] = f"draft-{uuid.uuid4().hex[:12]}"
    else:
        meta.setdefault("id", "draft")
    analysed = await analyses.analyse(load, meta)
    saved_version: int | None = None
    if options.store:
        def save() -> int:
            drafts.save(analysed, user, keep_text=options.store_text)
            return store.record_versions(analysed.report.id)[-1].version

        saved_version = await anyio.to_thread.run_sync(save)
    if annotate is not None and upload_name is not None:
        return await _annotated(data, upload_name, analysed.report, suggest)
    if "text/html" in request.headers.get("accept", ""):
        from service.web.render import feedback_fragment

        return feedback_fragment(request, analysed, user, saved_version=saved_version)
    return JSONResponse(analysed.report.to_dict())


async def _annotated(data: bytes, name: str, report: Report, suggest: bool) -> Response:
    """The uploaded Word file with the report's findings as comments, as a download."""
    from pathlib import PureWindowsPath
    from urllib.parse import quote

    from analyser.word_comments import AnnotateError, annotate_docx

    try:
        result = await anyio.to_thread.run_sync(lambda: annotate_docx(data, report, source=name, suggest=suggest))
    except AnnotateError as exc:
        raise HTTPException(422, str(exc)) from None
    stem = PureWindowsPath(name).stem or "record"
    filename = f"{stem} - caseqa comments.docx"
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(
        result.data, media_type=DOCX_MEDIA_TYPE,
        headers={"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
                 "X-Caseqa-Comments": str(result.comments), "Cache-Control": "no-store"},
    )


def _check_id_usable(store: Store, user: UserRow, record_id: str) -> None:
    """A stored draft may become a new version of a record only if the caller can see that record."""
    versions = store.record_versions(record_id)
    if versions and not can_see(user, versions[-1]):
        # 409 and a plain message: whose record it is stays unsaid.
        raise HTTPException(409, "this record id is already used by a record you cannot see; choose another id")
