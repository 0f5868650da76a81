"""Accuracy against gold annotations (docs/GOLD_FORMAT.md): how often is caseqa wrong?

Action detection is matched by span overlap; owner, timebound and deadline accuracy are measured on
matched actions; each dimension's scores are compared with the gold quality levels by pairwise ordering
accuracy and Spearman's rank correlation, and on paired versions of the same record. Sets holding
sequences of a child's records (``child_id``, ``sequence``, gold ``drift``) also get drift precision
and recall per type (docs/DRIFT.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from analyser.report import DIMENSIONS, Finding, Report

FACTS = ("child_name", "child_age", "next_review")

MIN_OVERLAP = 0.5


@dataclass
class GoldRecord:
    data: dict
    path: Path

    @property
    def id(self) -> str:
        return str(self.data["id"])


def load_gold(folder: Path) -> list[GoldRecord]:
    """Gold records of a folder (its gold.jsonl), or of every sub-folder holding one."""
    files = [folder / "gold.jsonl"] if (folder / "gold.jsonl").exists() else sorted(folder.glob("*/gold.jsonl"))
    if not files:
        raise FileNotFoundError(f"no gold.jsonl in {folder} or its sub-folders")
    records = []
    for gf in files:
        for n, line in enumerate(gf.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{gf}:{n} is not valid JSON ({exc.msg})") from None
                records.append(GoldRecord(data, gf.parent / data["file"]))
    return records


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / max(1, min(a[1] - a[0], b[1] - b[0]))


def match_actions(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of gold and predicted actions by span overlap, best first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            ov = _overlap((g["start"], g["end"]), (p["start"], p["end"]))
            if ov >= MIN_OVERLAP:
                candidates.append((ov, gi, pi))
    candidates.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


_OWNER_NOISE = re.compile(r"\b(the|your|a|an|our|my|his|her|their)\b|[^\w\s]", re.IGNORECASE)


_OWNER_JOIN = re.compile(r"\s*(?:,|&|\band\b|\bwith\b)\s*", re.IGNORECASE)


def _owner_words(owner: str) -> str:
    return " ".join(_OWNER_NOISE.sub(" ", owner.lower()).split())


def _owner_parts(owner: str) -> list[str]:
    """The people of a joint owner, each with the role written beside it: 'school and Nadia Okafor (SW)'
    -> ['school', 'nadia okafor sw'] (a comma inside the brackets does not split)."""
    parts, depth, start = [], 0, 0
    for m in re.finditer(r"[()]|" + _OWNER_JOIN.pattern, owner, re.IGNORECASE):
        if m.group() == "(":
            depth += 1
        elif m.group() == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(owner[start : m.start()])
            start = m.end()
    parts.append(owner[start:])
    return [w for w in (_owner_words(x) for x in parts) if w]


def owner_matches(gold: str | None, predicted: str | None) -> bool:
    """Owners agree when both are absent, or one names the other ('Jo' ~ 'Jo (your social worker)').

    Joint owners agree when every person of the gold owner is named in the predicted one and the other
    way round ('Dawn and Jo Reed' ~ 'Dawn (your mum) and Jo Reed (social worker)').
    """
    if not gold or not predicted:
        return not gold and not predicted
    g, p = _owner_words(gold), _owner_words(predicted)
    if bool(g and p) and (g in p or p in g):
        return True
    g_parts, p_parts = _owner_parts(gold), _owner_parts(predicted)
    if len(g_parts) < 2 and len(p_parts) < 2:
        return False

    def covered(xs: list[str], ys: list[str]) -> bool:
        return all(any(x in y or y in x for y in ys) for x in xs)

    return bool(g_parts and p_parts) and covered(g_parts, p_parts) and covered(p_parts, g_parts)


def gold_owner_right(ga: dict, pa: dict) -> bool:
    """Owner accuracy as the gold set defines it.

    Sets annotated with ``owner_text`` (blind2 on) give the *resolved* owner in ``owner`` ("I" -> the
    author), compared with caseqa's resolved ``owner``. Older sets give the owner's words as written,
    compared with caseqa's ``owner_text`` (the words as written) where the report has it.
    """
    if "owner_text" in ga:
        return owner_matches(ga.get("owner"), pa.get("owner"))
    return owner_matches(ga.get("owner"), pa.get("owner_text", pa.get("owner")))


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho with average ranks for ties; None when either side is constant."""
    if len(xs) < 3:
        return None

    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    if vx == 0 or vy == 0:
        return None
    return cov / (vx * vy)


def pairwise_accuracy(levels: list[int], scores: list[float]) -> float | None:
    """Of record pairs whose gold levels differ, the share the scores put in the same order (ties half)."""
    right = total = 0.0
    for i, j in combinations(range(len(levels)), 2):
        if levels[i] == levels[j]:
            continue
        total += 1
        hi, lo = (i, j) if levels[i] > levels[j] else (j, i)
        if scores[hi] > scores[lo]:
            right += 1
        elif scores[hi] == scores[lo]:
            right += 0.5
    return right / total if total else None


@dataclass
class Evaluation:
    name: str
    records: int = 0
    failed: list[str] = field(default_factory=list)
    tp: int = 0
    fp: int = 0
    fn: int = 0
    owner_right: int = 0
    # Sets annotated with owner_text: the owner's words as written, beside the resolved owner.
    owner_text_right: int = 0
    owner_text_total: int = 0
    timebound_right: int = 0
    matched: int = 0
    deadline_right: int = 0
    deadline_total: int = 0
    doc_type_right: int = 0
    date_right: int = 0
    date_total: int = 0
    # Other record facts read from the text: right / records whose gold gives the fact.
    fact_right: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FACTS})
    fact_total: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FACTS})
    # Who the record is written to (gold ``addressee``: child, parent, carer, professional, none) and by whom.
    addressee_right: int = 0
    addressee_total: int = 0
    author_right: int = 0
    author_total: int = 0
    levels: dict[str, list[int]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})
    scores: dict[str, list[float]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})
    pair_right: dict[str, float] = field(default_factory=lambda: {d: 0.0 for d in DIMENSIONS})
    pair_total: dict[str, int] = field(default_factory=lambda: {d: 0 for d in DIMENSIONS})
    errors: list[dict] = field(default_factory=list)
    drift: DriftEvaluation | None = None  # when the set holds sequences of a child's records

    def summary(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        dims = {}
        for d in DIMENSIONS:
            dims[d] = {
                "pairwise_accuracy": _round(pairwise_accuracy(self.levels[d], self.scores[d])),
                "spearman": _round(spearman([float(x) for x in self.levels[d]], self.scores[d])),
                "paired_versions_accuracy": _round(self.pair_right[d] / self.pair_total[d]) if self.pair_total[d] else None,
                "paired_versions": self.pair_total[d],
            }
        return {
            "set": self.name,
            "records": self.records,
            "failed": len(self.failed),
            "actions": {
                "gold": self.tp + self.fn,
                "predicted": self.tp + self.fp,
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(f1, 3),
                "owner_accuracy": _round(self.owner_right / self.matched) if self.matched else None,
                "owner_text_accuracy": _round(self.owner_text_right / self.owner_text_total) if self.owner_text_total else None,
                "timebound_accuracy": _round(self.timebound_right / self.matched) if self.matched else None,
                "deadline_accuracy": _round(self.deadline_right / self.deadline_total) if self.deadline_total else None,
                "deadline_gold_dates": self.deadline_total,
            },
            "doc_type_accuracy": _round(self.doc_type_right / self.records) if self.records else None,
            "date_accuracy": _round(self.date_right / self.date_total) if self.date_total else None,
            "addressee_accuracy": _round(self.addressee_right / self.addressee_total) if self.addressee_total else None,
            "author_accuracy": _round(self.author_right / self.author_total) if self.author_total else None,
            "fact_accuracy": {f: _round(self.fact_right[f] / self.fact_total[f]) if self.fact_total[f] else None for f in FACTS},
            "dimensions": dims,
            **({"drift": self.drift.summary()} if self.drift else {}),
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def evaluate(
    folder: Path,
    analyse: Callable[[Path], Report] | None = None,
    *,
    name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_errors: bool = False,
) -> Evaluation:
    """Analyse every gold record (from its text alone) and compare with the annotations."""
    from analyser import analyse_file
    from analyser.ingest import IngestError

    run = analyse or (lambda p: analyse_file(p))
    gold = load_gold(folder)
    ev = Evaluation(name or folder.name)
    reports: dict[str, Report] = {}
    for i, g in enumerate(gold):
        if progress:
            progress(i, len(gold))
        try:
            report = run(g.path)
        except (IngestError, ValueError, OSError) as exc:
            ev.failed.append(f"{g.path}: {exc}")
            continue
        reports[g.id] = report
        _score_record(ev, g.data, report, keep_errors)
    _score_pairs(ev, [g.data for g in gold], reports)
    ev.drift = evaluate_drift(gold, reports, keep_errors=keep_errors)
    if ev.drift:
        ev.errors += ev.drift.errors
    return ev


def _score_record(ev: Evaluation, g: dict, report: Report, keep_errors: bool) -> None:
    ev.records += 1
    gold_actions = g.get("actions") or []
    predicted = [a.model_dump() for a in report.actions]
    pairs = match_actions(gold_actions, predicted)
    ev.tp += len(pairs)
    ev.fp += len(predicted) - len(pairs)
    ev.fn += len(gold_actions) - len(pairs)
    for gi, pi in pairs:
        ga, pa = gold_actions[gi], predicted[pi]
        ev.matched += 1
        ev.owner_right += gold_owner_right(ga, pa)
        if "owner_text" in ga:
            ev.owner_text_total += 1
            ev.owner_text_right += owner_matches(ga.get("owner_text"), pa.get("owner_text", pa.get("owner")))
        ev.timebound_right += bool(ga.get("timebound")) == bool(pa.get("timebound"))
        if ga.get("deadline"):
            ev.deadline_total += 1
            ev.deadline_right += ga["deadline"] == pa.get("deadline")
        if keep_errors and (
            not gold_owner_right(ga, pa)
            or bool(ga.get("timebound")) != bool(pa.get("timebound"))
            or (ga.get("deadline") and ga["deadline"] != pa.get("deadline"))
        ):
            ev.errors.append({"id": g["id"], "kind": "mismatch", "gold": ga, "predicted": pa})
    if keep_errors:
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        ev.errors += [{"id": g["id"], "kind": "missed", "gold": a} for i, a in enumerate(gold_actions) if i not in matched_g]
        ev.errors += [{"id": g["id"], "kind": "spurious", "predicted": a} for i, a in enumerate(predicted) if i not in matched_p]
    ev.doc_type_right += g.get("doc_type") == report.doc_type
    if g.get("date"):
        ev.date_total += 1
        ev.date_right += g["date"] == report.meta.date
    for f in FACTS:
        # next_review is scored on every record (null is an answer: no full date written); the others where known.
        if f in g and (g[f] is not None or f == "next_review"):
            ev.fact_total[f] += 1
            found = getattr(report.meta, f)
            ev.fact_right[f] += (str(found).lower() == str(g[f]).lower()) if f == "child_name" else found == g[f]
    meta = report.meta.model_dump()
    if g.get("addressee"):
        predicted_addressee = (meta.get("addressee") or {}).get("role") or "none"
        ev.addressee_total += 1
        ev.addressee_right += g["addressee"] == predicted_addressee
        if keep_errors and g["addressee"] != predicted_addressee:
            ev.errors.append({"id": g["id"], "kind": "addressee", "gold": g["addressee"], "predicted": predicted_addressee})
    gold_author = (g.get("author") or {}).get("name")
    if gold_author:
        ev.author_total += 1
        ev.author_right += owner_matches(gold_author, (meta.get("author") or {}).get("name"))
    for d in DIMENSIONS:
        level = (g.get("quality") or {}).get(d)
        score = report.dimensions[d].score
        if level is not None and score is not None:  # a dimension not scored is not ordered
            ev.levels[d].append(int(level))
            ev.scores[d].append(score)


def _score_pairs(ev: Evaluation, gold: Iterable[dict], reports: dict[str, Report]) -> None:
    seen: set[frozenset[str]] = set()
    by_id = {g["id"]: g for g in gold}
    for g in by_id.values():
        other = g.get("pair")
        if not other or other not in by_id or g["id"] not in reports or other not in reports:
            continue
        key = frozenset((g["id"], other))
        if key in seen:
            continue
        seen.add(key)
        a, b = g, by_id[other]
        for d in DIMENSIONS:
            la, lb = (a.get("quality") or {}).get(d), (b.get("quality") or {}).get(d)
            if la is None or lb is None or la == lb:
                continue
            better, worse = (a, b) if la > lb else (b, a)
            sb = reports[better["id"]].dimensions[d].score
            sw = reports[worse["id"]].dimensions[d].score
            if sb is None or sw is None:
                continue
            ev.pair_total[d] += 1
            ev.pair_right[d] += 1.0 if sb > sw else (0.5 if sb == sw else 0.0)


# ---- drift across a child's records (docs/DRIFT.md) ------------------------------------------------

DRIFT_TEXT_MATCH = 0.5  # predicted and gold drift name the same action (content-word similarity)


@dataclass
class DriftEvaluation:
    """Drift detection against gold ``drift`` labels: per type, and with the type ignored."""

    children: int = 0
    clean_children: int = 0
    clean_children_flagged: int = 0
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    any_tp: int = 0
    any_fp: int = 0
    any_fn: int = 0
    errors: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        def prf(tp: int, fp: int, fn: int) -> dict:
            p = tp / (tp + fp) if tp + fp else None
            r = tp / (tp + fn) if tp + fn else None
            return {"gold": tp + fn, "predicted": tp + fp, "precision": _round(p), "recall": _round(r)}

        from analyser.drift import CODES

        return {
            "children": self.children,
            "clean_children": self.clean_children,
            "clean_children_with_findings": self.clean_children_flagged,
            "types": {c: prf(self.tp.get(c, 0), self.fp.get(c, 0), self.fn.get(c, 0)) for c in CODES},
            "any_type": prf(self.any_tp, self.any_fp, self.any_fn),
        }


def _drift_text_match(gold_text: str | None, excerpt: str) -> bool:
    from analyser.drift import content_words, similarity

    if not gold_text:  # review_late: no action, the record is the match
        return True
    return similarity(content_words(gold_text), content_words(excerpt)) >= DRIFT_TEXT_MATCH


def _match_drift(gold: list[dict], predicted: list[Finding], *, typed: bool) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if pi in used or (typed and p.code != g["type"]) or (g["type"] == "review_late") != (p.code == "review_late"):
                continue
            if _drift_text_match(g.get("action_text"), p.excerpt):
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def evaluate_drift(gold: list[GoldRecord], reports: dict[str, Report], *, keep_errors: bool = False) -> DriftEvaluation | None:
    """Link gold records by ``child_id``, run drift detection per child and compare with the gold
    ``drift`` labels (type + the later record + fuzzy action text). None when the set has no sequences."""
    from analyser.drift import TimelineRecord, drift_by_record, history_facts
    from analyser.ingest import IngestError, load_file

    children: dict[str, list[GoldRecord]] = {}
    for g in gold:
        if g.data.get("child_id") and g.data.get("drift") is not None and g.id in reports:
            children.setdefault(str(g.data["child_id"]), []).append(g)
    if not children:
        return None
    ev = DriftEvaluation()
    for child_id, records in sorted(children.items()):
        timeline = []
        for g in records:
            try:
                facts = history_facts(load_file(g.path).text)
            except (IngestError, OSError):
                continue
            timeline.append(TimelineRecord.from_report(reports[g.id], facts))
        found = drift_by_record(timeline)
        ev.children += 1
        clean = not any(g.data["drift"] for g in records)
        ev.clean_children += clean
        ev.clean_children_flagged += clean and any(found.values())
        for g in records:
            golds, preds = g.data["drift"], found.get(g.id, [])
            for gd in golds:
                ev.fn[gd["type"]] = ev.fn.get(gd["type"], 0)
            typed = _match_drift(golds, preds, typed=True)
            for _, pi in typed:
                ev.tp[preds[pi].code] = ev.tp.get(preds[pi].code, 0) + 1
            mg, mp = {gi for gi, _ in typed}, {pi for _, pi in typed}
            for gi, gd in enumerate(golds):
                if gi not in mg:
                    ev.fn[gd["type"]] = ev.fn.get(gd["type"], 0) + 1
                    if keep_errors:
                        ev.errors.append({"id": g.id, "child_id": child_id, "kind": "missed_drift", "gold": gd})
            for pi, p in enumerate(preds):
                if pi not in mp:
                    ev.fp[p.code] = ev.fp.get(p.code, 0) + 1
                    if keep_errors:
                        ev.errors.append({"id": g.id, "child_id": child_id, "kind": "spurious_drift", "predicted": p.model_dump()})
            loose = _match_drift(golds, preds, typed=False)
            ev.any_tp += len(loose)
            ev.any_fp += len(preds) - len(loose)
            ev.any_fn += len(golds) - len(loose)
    return ev
