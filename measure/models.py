"""Trained models: an action classifier (is this unit a commitment?) and a document-type classifier.

A measuring tool, not part of the analysis: the rules beat both classifiers on the hand-written set, so
no report depends on them (the report's model version is :func:`analyser.nlp.models_version`). Trained by ``caseqa train`` from the synthetic train split only, saved with skops (loading cannot run
code: only an allow-list of scikit-learn and numpy types is accepted), with their metadata in
``models/models.json``. See ``models/MODEL_CARD.md`` for data, features, metrics and where the analyser
uses them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
META_FILE = "models.json"
ACTION_MODEL = "action_classifier.skops"
DOCTYPE_MODEL = "doc_type_classifier.skops"
REBUILD_HINT = "rebuild it with `caseqa train` (it trains from corpus/synthetic/train)"

# Types a caseqa model file may contain; anything else is refused.
_ALLOWED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.", "builtins.", "collections.")


class ModelError(RuntimeError):
    """A model file is missing, corrupt or not what caseqa wrote."""


def _normalise(text: str) -> str:
    # Numbers and dates vary endlessly; their shape is what matters to the classifier.
    return re.sub(r"\d", "0", text.lower())


def _doc_type_text(text: str) -> str:
    return _normalise(text[:3000])


def build_action_pipeline(seed: int) -> Any:
    """Hashed word 1-3-grams and character 3-5-grams, tf-idf weighted, into a logistic regression.

    Hashing keeps the saved model small (no vocabulary is stored) and loading fast.
    """
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("words", Pipeline([
            ("hash", HashingVectorizer(ngram_range=(1, 3), n_features=2**16, alternate_sign=False, norm=None)),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ])),
        ("chars", Pipeline([
            ("hash", HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**16, alternate_sign=False, norm=None)),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ])),
    ])
    clf = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


def build_doc_type_pipeline(seed: int) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([
        ("hash", HashingVectorizer(ngram_range=(1, 2), n_features=2**16, alternate_sign=False, norm=None)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ("clf", LogisticRegression(C=2.0, max_iter=2000, random_state=seed)),
    ])


def unit_examples(gold_dirs: Iterable[Path]) -> tuple[list[str], list[int]]:
    """(unit text, 1 if it is a gold action) for every non-heading unit of the gold records."""
    from measure.evaluate import load_gold
    from analyser.ingest import load_file
    from analyser.nlp import make_units

    texts: list[str] = []
    labels: list[int] = []
    for folder in gold_dirs:
        for g in load_gold(folder):
            document = load_file(g.path)
            spans = [(a["start"], a["end"]) for a in g.data.get("actions") or []]
            for unit in make_units(document):
                if unit.kind == "heading":
                    continue
                texts.append(_normalise(unit.text))
                labels.append(int(any(_overlaps((unit.start, unit.end), s) for s in spans)))
    return texts, labels


def rule_predictions(gold_dirs: Iterable[Path]) -> tuple[list[int], list[str]]:
    """The rule-based analyser's answers on the same units and records, to compare like with like."""
    from analyser import analyse_document
    from measure.evaluate import load_gold
    from analyser.ingest import load_file
    from analyser.nlp import make_units

    unit_pred: list[int] = []
    types: list[str] = []
    for folder in gold_dirs:
        for g in load_gold(folder):
            document = load_file(g.path)
            report = analyse_document(document)
            spans = [(a.start, a.end) for a in report.actions]
            types.append(report.doc_type)
            for unit in make_units(document):
                if unit.kind != "heading":
                    unit_pred.append(int(any(_overlaps((unit.start, unit.end), s) for s in spans)))
    return unit_pred, types


def doc_examples(gold_dirs: Iterable[Path]) -> tuple[list[str], list[str]]:
    from measure.evaluate import load_gold
    from analyser.ingest import load_file

    texts, labels = [], []
    for folder in gold_dirs:
        for g in load_gold(folder):
            texts.append(_doc_type_text(load_file(g.path).text))
            labels.append(str(g.data["doc_type"]))
    return texts, labels


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _prf(y_true: list[int], y_pred: list[int]) -> dict[str, float]:
    tp = sum(1 for t, p in zip(y_true, y_pred) if t and p)
    fp = sum(1 for t, p in zip(y_true, y_pred) if not t and p)
    fn = sum(1 for t, p in zip(y_true, y_pred) if t and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0}


def train(
    train_dir: Path,
    out_dir: Path = MODELS_DIR,
    *,
    seed: int = 13,
    eval_dirs: dict[str, Path] | None = None,
) -> dict[str, Any]:
    """Train both models on ``train_dir`` only, measure them on ``eval_dirs``, save them with skops."""
    import numpy as np
    import sklearn
    import skops.io as sio

    np.random.seed(seed)
    unit_x, unit_y = unit_examples([train_dir])
    doc_x, doc_y = doc_examples([train_dir])
    action = build_action_pipeline(seed).fit(unit_x, unit_y)
    doc_type = build_doc_type_pipeline(seed).fit(doc_x, doc_y)
    metrics: dict[str, Any] = {"train_units": len(unit_x), "train_actions": int(sum(unit_y)), "train_records": len(doc_x)}
    for name, folder in (eval_dirs or {}).items():
        ux, uy = unit_examples([folder])
        dx, dy = doc_examples([folder])
        rules_units, rules_types = rule_predictions([folder])
        metrics[name] = {
            "action_units": _prf(uy, [int(p) for p in action.predict(ux)]),
            "rules_action_units": _prf(uy, rules_units),
            "doc_type_accuracy": round(float(np.mean([p == t for p, t in zip(doc_type.predict(dx), dy)])), 3),
            "rules_doc_type_accuracy": round(float(np.mean([p == t for p, t in zip(rules_types, dy)])), 3),
            "units": len(ux),
            "records": len(dx),
        }
    out_dir.mkdir(parents=True, exist_ok=True)
    sio.dump(action, out_dir / ACTION_MODEL)
    sio.dump(doc_type, out_dir / DOCTYPE_MODEL)
    data_hash = hashlib.sha256("\n".join(unit_x).encode()).hexdigest()[:16]
    meta = {
        "version": f"{seed}-{data_hash}",
        "seed": seed,
        "sklearn": sklearn.__version__,
        "trained_on": str(train_dir),
        "files": {
            ACTION_MODEL: hashlib.sha256((out_dir / ACTION_MODEL).read_bytes()).hexdigest(),
            DOCTYPE_MODEL: hashlib.sha256((out_dir / DOCTYPE_MODEL).read_bytes()).hexdigest(),
        },
        "metrics": metrics,
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    _load.cache_clear()
    return meta


def _check_types(path: Path) -> None:
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:
        raise ModelError(f"model file {path} is corrupt or not a skops file ({exc.__class__.__name__}); {REBUILD_HINT}") from None
    bad = [t for t in untrusted if not t.startswith(_ALLOWED_PREFIXES)]
    if bad:
        raise ModelError(f"model file {path} contains types caseqa does not load: {bad[:5]}; {REBUILD_HINT}")


@lru_cache(maxsize=4)
def _load(name: str, folder: str) -> Any:
    import skops.io as sio

    path = Path(folder) / name
    if not path.exists():
        raise ModelError(f"model file {path} is missing; {REBUILD_HINT}")
    _check_types(path)
    try:
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))
    except Exception as exc:
        raise ModelError(f"model file {path} could not be loaded ({exc.__class__.__name__}); {REBUILD_HINT}") from None


def action_probabilities(texts: list[str], folder: Path = MODELS_DIR) -> list[float]:
    """Probability that each unit text is an action, from the trained classifier."""
    if not texts:
        return []
    model = _load(ACTION_MODEL, str(folder))
    return [float(p) for p in model.predict_proba([_normalise(t) for t in texts])[:, 1]]


def predict_doc_type(text: str, folder: Path = MODELS_DIR) -> str:
    model = _load(DOCTYPE_MODEL, str(folder))
    return str(model.predict([_doc_type_text(text)])[0])
