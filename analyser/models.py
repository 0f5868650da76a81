"""Trained models and their versions (see models/MODEL_CARD.md)."""

from __future__ import annotations


def models_version(accurate: bool = False) -> str:
    """The version string of the NLP pipeline and trained models a report was produced with."""
    from analyser.nlp import get_nlp

    nlp = get_nlp(accurate)
    return f"spacy-{nlp.meta.get('name', 'core_web_sm')}-{nlp.meta.get('version', '?')}" + ("+accurate" if accurate else "")
