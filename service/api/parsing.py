"""Bodies that may come as JSON or as a multipart upload (one operation, two media types)."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

M = TypeVar("M", bound=BaseModel)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def json_body(request: Request, model: type[M]) -> M:
    """Validate a JSON body against ``model``; bad JSON, bad UTF-8 or bad fields -> 422."""
    raw = await request.body()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_input=False)) from None


async def form_body(request: Request, *, max_files: int, max_part_size: int) -> FormData:
    """Parse a multipart body; a malformed one is a 400 with Starlette's reason (it never quotes content)."""
    return await request.form(max_files=max_files, max_fields=50, max_part_size=max_part_size)


def form_fields(form: FormData, model: type[M], skip: tuple[str, ...] = ()) -> M:
    """Validate a form's text fields against ``model`` (empty strings count as not given)."""
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key in skip:
            continue
        if isinstance(value, UploadFile):
            raise RequestValidationError([{"loc": ("body", key), "msg": "expected a text field, not a file", "type": "value_error"}])
        if value != "":
            values[key] = value
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_input=False)) from None


def unsupported(allowed: str) -> HTTPException:
    return HTTPException(415, f"send {allowed}")
