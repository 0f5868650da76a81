"""GET /v1/rubric: the rubric in force (weights, grade thresholds, settings and word lists)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from analyser.rubric import load_rubric
from service.deps import SettingsDep, UserDep

router = APIRouter(tags=["rubric"])


@router.get("/v1/rubric", summary="The rubric in force")
def rubric(user: UserDep, settings: SettingsDep) -> dict[str, Any]:
    """What the scores mean: the rubric's version, weights, grade thresholds, penalties and lexicons."""
    r = load_rubric(settings.rubric)
    lx = r.lexicons
    return {
        "name": r.name,
        "version": r.version,
        "weights": r.weights,
        "grades": r.grades,
        "settings": {name: model.model_dump(mode="json") for name, model in r.settings.items()},
        "lexicons": {
            "vague_timescales": list(lx.vague_timescales),
            "vague_verbs": list(lx.vague_verbs),
            "jargon": lx.jargon,
            "blaming": lx.blaming,
            "acronyms": lx.acronyms,
            "required_sections": {
                doc_type: [lx.sections[k].label for k in keys if k in lx.sections]
                for doc_type, keys in lx.required_sections.items()
            },
        },
    }
