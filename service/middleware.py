"""ASGI middleware: request metrics, the last-resort 500, and the request-body limit.

Pure ASGI (not ``BaseHTTPMiddleware``) so request bodies stream through untouched and counting bytes
costs nothing. None of these ever reads or logs a body.
"""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.metrics import Metrics
from service.problems import problem

log = logging.getLogger("caseqa.service")
access = logging.getLogger("caseqa.access")


class BodyTooLarge(HTTPException):
    """The request body passed the configured limit (raised from ``receive`` while it streams in)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than the {_mb(limit)} limit")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


class BodyLimitMiddleware:
    """413 for a body over ``limit`` bytes: at once from Content-Length, else while counting streamed bytes.

    Counting matters because chunked uploads carry no Content-Length, and a client may lie in it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await problem(413, BodyTooLarge(self.limit).detail)(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as exc:  # raised where no exception handler was in the way
            if started:
                raise
            await problem(413, str(exc.detail))(scope, receive, send)


class CatchAllMiddleware:
    """Turn any unhandled exception into a problem+json 500 and log only its type and where it happened.

    Starlette's own error middleware re-raises so the server prints the traceback, whose message could
    quote record text; this one logs the exception type and the innermost frame instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the last resort
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
            route = getattr(scope.get("route"), "path", "?")
            log.error("internal error on %s %s: %s at %s", scope.get("method"), route, type(exc).__name__, where)
            if started:
                return
            await problem(500, "internal error: the request was not processed (the service log names the error type)")(
                scope, receive, send
            )


class MetricsMiddleware:
    """Count requests and time them by route template (``/v1/records/{record_id}``, never the raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        began = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = getattr(scope.get("route"), "path", None)
            if route is None:
                # Static files and unknown paths: one label each, so the metric's cardinality stays bounded.
                route = "/static" if scope.get("path", "").startswith("/static/") else "unmatched"
            took = time.perf_counter() - began
            self.metrics.observe_request(scope.get("method", "?"), route, status, took)
            # The access log names the route template, never the path or query: paths and queries can
            # hold a child's name or date of birth (uvicorn's own access log is turned off).
            access.info("%s %s %d %.0f ms", scope.get("method", "?"), route, status, took * 1000)
