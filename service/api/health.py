"""Health checks, open to all (no record data): /healthz (the process answers), /readyz (can analyse)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.deps import AnalysesDep
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Health, summary="Readiness: the language pipeline is loaded",
            responses={503: {"model": Health}})
def readyz(analyses: AnalysesDep) -> JSONResponse:
    if analyses.ready:
        return JSONResponse(Health(status="ready").model_dump())
    detail = analyses.load_error or "the language pipeline is loading"
    return JSONResponse(Health(status="not ready", detail=detail).model_dump(), status_code=503)
