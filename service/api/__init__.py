"""The JSON API under /v1, plus health checks and metrics. Routes are thin: they parse, check who may
do what, and call the analyser, the store or the batch runner."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import analyse, batches, children, health, languagetool, metrics, records, rubric, supervision, users

router = APIRouter()
for module in (analyse, batches, records, children, supervision, rubric, users, languagetool, health, metrics):
    router.include_router(module.router)
