"""The FastAPI application: ``create_app(settings)`` wires settings, store, analysis, batches and pages.

Start-up (the lifespan) opens the results store and starts the analysis workers (each loads the language
pipeline and rubric; service/analysis.py); ``/readyz`` turns ready when the first has, and analyses asked
for before then wait for it. Shut-down stops the workers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from analyser import __version__
from analyser.store import Store
from service import problems
from service.analysis import Analyses, DraftSaver
from service.batches import BatchRunner
from service.config import LOOKUP_WINDOW, Settings
from service.deps import AuthFailures, KeyCache, UserDep
from service.metrics import Metrics
from service.middleware import BodyLimitMiddleware, CatchAllMiddleware, MetricsMiddleware
from service.web.render import WEB

log = logging.getLogger("caseqa.service")

DESCRIPTION = """Check children's social-care records (care plans, review minutes, pathway plans) on four
dimensions — timebound actions, child-directed language, readability, plan detail — with an overall grade.

Every endpoint except `/healthz` and `/readyz` (this schema and `/docs` too) needs `Authorization: Bearer <API key>`
or a signed-in page session; keys come from
`caseqa users add NAME --role ROLE --team TEAM`. Errors are `application/problem+json` with a `detail`.
"""


def _docs(app: FastAPI) -> None:
    """Swagger UI at /docs with its script and styles served by the app (fastapi-offline ships them)."""
    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html
    from starlette.responses import HTMLResponse, JSONResponse

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/docs", StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(user: UserDep) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        from service.web.routes import signed_in

        await signed_in(request, request.app.state.store)  # the page's fetch of /openapi.json sends the cookie
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="caseqa API", swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css", swagger_favicon_url="/static/docs/favicon.png",
            swagger_ui_parameters={"persistAuthorization": False},
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. ``settings`` default to the environment (``CASEQA_*``)."""
    settings = settings or Settings()
    metrics = Metrics()
    from analyser import quiet

    quiet.install()  # third-party warnings and log lines may quote record text: the service log gets none

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await anyio.to_thread.run_sync(Store, settings.db)
        app.state.store = store
        app.state.drafts = DraftSaver(store)
        app.state.batches = BatchRunner(settings, metrics)
        # Loading takes seconds: the server answers /healthz (and queues analyses) meanwhile.
        loading = asyncio.get_running_loop().create_task(app.state.analyses.start())
        try:
            yield
        finally:
            app.state.batches.close()
            await anyio.to_thread.run_sync(app.state.drafts.close)
            if not loading.done():
                loading.cancel()
            await app.state.analyses.close()  # worker processes stopped
            store.close()

    app = FastAPI(
        title="caseqa", version=__version__, description=DESCRIPTION, lifespan=lifespan,
        # /docs and /openapi.json below: served from here (no CDN), and only to signed-in callers.
        docs_url=None, redoc_url=None, openapi_url=None,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.analyses = Analyses(settings, metrics)
    app.state.keys = KeyCache()
    app.state.auth_failures = AuthFailures(settings.auth_failure_limit)
    app.state.lookup_misses = AuthFailures(settings.lookup_miss_limit, window=LOOKUP_WINDOW)
    problems.install(app)

    from service.api import router as api_router
    from service.web.routes import NeedsSignIn, needs_sign_in
    from service.web.routes import router as pages_router

    app.add_exception_handler(NeedsSignIn, needs_sign_in)  # type: ignore[arg-type]
    app.include_router(api_router)
    app.include_router(pages_router)
    _docs(app)  # before /static: its /static/docs mount must match first
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    # Added innermost first: requests pass Metrics -> CatchAll -> BodyLimit -> Session -> routes.
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret(), session_cookie="caseqa_session",
        max_age=settings.session_max_age, same_site="lax", https_only=settings.cookie_secure,
    )
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app
