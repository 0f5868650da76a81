"""Trained models: reproducible training, safe loading, clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from measure.models import ModelError, action_probabilities, predict_doc_type, train

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_train(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 40 records of the synthetic train split."""
    src = ROOT / "corpus" / "synthetic" / "train"
    dst = tmp_path_factory.mktemp("train")
    lines = (src / "gold.jsonl").read_text().splitlines()[:40]
    for line in lines:
        shutil.copy(src / json.loads(line)["file"], dst)
    (dst / "gold.jsonl").write_text("\n".join(lines) + "\n")
    return dst


def test_training_is_reproducible_from_a_seed(small_train: Path, tmp_path: Path) -> None:
    a = train(small_train, tmp_path / "a", seed=7)
    b = train(small_train, tmp_path / "b", seed=7)
    assert a["version"] == b["version"]
    assert a["metrics"] == b["metrics"]
    texts = ["SW to book the dental check by 3 May.", "You like football."]
    assert action_probabilities(texts, tmp_path / "a") == action_probabilities(texts, tmp_path / "b")


def test_trained_action_model_separates_actions_from_statements(small_train: Path, tmp_path: Path) -> None:
    train(small_train, tmp_path, seed=7)
    p_action, p_statement = action_probabilities(
        ["Jo (your social worker) will book your health assessment by 15 March 2025.", "You enjoy drawing and football."],
        tmp_path,
    )
    assert p_action > 0.5 > p_statement
    assert predict_doc_type("Pathway plan. Your personal adviser will help you find a flat.", tmp_path) in (
        "pathway_plan", "care_plan", "review_minutes", "other")


def test_missing_model_file_names_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"action_classifier\.skops is missing.*caseqa train"):
        action_probabilities(["SW to visit."], tmp_path)


def test_corrupt_model_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "action_classifier.skops").write_bytes(b"not a zip at all")
    with pytest.raises(ModelError, match="corrupt"):
        action_probabilities(["SW to visit."], tmp_path)


def test_shipped_models_load_without_running_code() -> None:
    # skops refuses types outside caseqa's allow-list; the shipped files must pass it.
    assert 0.0 <= action_probabilities(["SW to visit you by Friday 3 May."])[0] <= 1.0
