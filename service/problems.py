"""Errors as RFC 9457 ``application/problem+json``, never quoting record text.

Every error the service returns goes through here: HTTP errors, request validation (with pydantic's
``input`` values dropped, because a rejected body may be a child's record), ingest failures (422 with the
reason), bodies over the limit (413) and analyses over the time limit (504). Anything unexpected becomes
a 500 in :class:`service.middleware.CatchAllMiddleware`, logged by exception type and route only.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from analyser.ingest import IngestError

PROBLEM_JSON = "application/problem+json"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> ProblemResponse:
    """A problem+json response with the status's standard title."""
    body: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    body.update(extra)
    return ProblemResponse(body, status_code=status, headers=headers)


class AnalysisTimeout(Exception):
    """An analysis ran past the per-request time limit."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"analysis took longer than {seconds:g} s")


class NotReady(Exception):
    """The language pipeline has not finished loading (or failed to load)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


class Busy(NotReady):
    """Every analysis slot stayed busy for the whole time limit: nothing was run (503, try again)."""


def _loc(loc: Any) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in (loc or ())]


def validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic errors without their ``input`` (which may be record text) or ``ctx`` objects."""
    return [{"loc": _loc(e.get("loc")), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors]


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem(exc.status_code, detail, headers=dict(exc.headers or {}))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = validation_errors(exc.errors())
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"] if p != "body") or "request"
    return problem(422, f"{where}: {first['msg']}", errors=errors)


async def _ingest_error(request: Request, exc: IngestError) -> Response:
    # IngestError's reason never contains record text (its contract), only a file name and a short why.
    return problem(422, exc.reason, source=exc.source)


async def _timeout(request: Request, exc: AnalysisTimeout) -> Response:
    return problem(504, f"the analysis did not finish within {exc.seconds:g} seconds; try a shorter document")


async def _not_ready(request: Request, exc: NotReady) -> Response:
    return problem(503, exc.detail, headers={"Retry-After": "5"})


def install(app: FastAPI) -> None:
    """Register the problem+json handlers on ``app``."""
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(IngestError, _ingest_error)  # type: ignore[arg-type]
    app.add_exception_handler(AnalysisTimeout, _timeout)  # type: ignore[arg-type]
    app.add_exception_handler(NotReady, _not_ready)  # type: ignore[arg-type]
