"""The synthetic corpus generator: determinism, gold offsets, coverage of types and quality levels, pairs."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import docx
import holidays
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from corpus.synthetic.generate import DIMENSIONS, generate

N = 60
DOC_TYPES = {"care_plan", "review_minutes", "pathway_plan", "other"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


def extracted_text(path: Path) -> str:
    """The GOLD_FORMAT extraction, written independently of the generator."""
    if path.suffix == ".docx":
        d = docx.Document(str(path))
        lines: list[str] = []
        for el in d.element.body.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                t = Paragraph(el, d).text
                if t:
                    lines.append(t)
            elif tag == "tbl":
                for row in Table(el, d).rows:
                    cells, seen = [], []
                    for c in row.cells:
                        if any(c._tc is s for s in seen):  # a merged cell counts once
                            continue
                        seen.append(c._tc)
                        cells.append(c.text)
                    lines.append(" | ".join(cells))
        return "\n".join(lines)
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("synth_a")
    golds = generate(N, 7, out, docx_share=0.3)
    return out, golds


def test_same_seed_gives_identical_gold_and_bytes(corpus, tmp_path):
    out_a, golds_a = corpus
    golds_b = generate(N, 7, tmp_path, docx_share=0.3)
    assert golds_a == golds_b
    assert (out_a / "gold.jsonl").read_bytes() == (tmp_path / "gold.jsonl").read_bytes()
    for g in golds_a:
        assert (out_a / g["file"]).read_bytes() == (tmp_path / g["file"]).read_bytes(), g["file"]


def test_different_seeds_differ(corpus, tmp_path):
    _, golds_a = corpus
    golds_b = generate(N, 8, tmp_path, docx_share=0.3)
    assert [g["actions"] for g in golds_a] != [g["actions"] for g in golds_b]
    texts_a = {g["id"]: (Path(corpus[0]) / g["file"]).read_bytes() for g in golds_a if g["file"].endswith(".txt")}
    texts_b = {g["id"]: (tmp_path / g["file"]).read_bytes() for g in golds_b if g["file"].endswith(".txt")}
    assert sum(texts_a.get(k) == v for k, v in texts_b.items()) == 0


def test_gold_file_has_one_line_per_record(corpus):
    out, golds = corpus
    lines = (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == golds
    assert len(golds) == N
    assert len({g["id"] for g in golds}) == N
    for g in golds:
        assert (out / g["file"]).exists()


def test_every_action_text_is_the_slice_at_its_offsets(corpus):
    out, golds = corpus
    n = 0
    for g in golds:
        text = extracted_text(out / g["file"])
        for a in g["actions"]:
            assert text[a["start"]:a["end"]] == a["text"], (g["id"], a)
            n += 1
    assert n > 5 * N


def test_actions_carry_owner_and_deadline_words_from_their_text(corpus):
    _, golds = corpus
    for g in golds:
        for a in g["actions"]:
            assert a["owner"] is None or a["owner"] in a["text"], (g["id"], a)
            assert a["deadline_text"] is None or a["deadline_text"] in a["text"], (g["id"], a)
            if a["deadline"] is not None:
                date.fromisoformat(a["deadline"])
                assert a["timebound"], a
            if a["deadline_text"] is None:
                assert not a["timebound"] and a["deadline"] is None, a


def test_actions_exclude_bullet_markers_and_table_headers(corpus):
    _, golds = corpus
    headers = {"Action | Who | By when", "What needs to happen | Who will do it | When", "What | Who | When"}
    for g in golds:
        for a in g["actions"]:
            assert not re.match(r"^([-*•–]|\d+[.)]|[a-z]\)|\(\d+\))\s", a["text"]), a["text"]
            assert a["text"] not in headers
            assert a["text"] == a["text"].strip()


def _resolve(deadline_text: str, doc: date, next_review: date | None) -> date | None:
    """An independent resolver for the plainest forms, to check the gold's resolved dates."""
    t = deadline_text.lower()
    m = re.search(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b", t)
    if m:
        y = int(m.group(3))
        return date(y + 2000 if y < 100 else y, int(m.group(2)), int(m.group(1)))
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(MONTHS) + r") (\d{4})\b", t)
    if m:
        return date(int(m.group(3)), MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    m = re.search(r"within (\d+) weeks", t)
    if m:
        return doc + timedelta(days=7 * int(m.group(1)))
    m = re.search(r"within (\d+) working days", t)
    if m:
        hol = holidays.country_holidays("GB", subdiv="ENG", years=[doc.year, doc.year + 1])
        d, k = doc, int(m.group(1))
        while k:
            d += timedelta(days=1)
            if d.weekday() < 5 and d not in hol:
                k -= 1
        return d
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(MONTHS) + r")$", t)
    if m and not re.search(r"\d{4}", t):
        d = date(doc.year, MONTHS.index(m.group(2)) + 1, int(m.group(1)))
        return d if d >= doc else d.replace(year=doc.year + 1)
    if "next review" in t:
        return next_review
    return None


def test_resolved_deadlines_follow_the_conventions(corpus):
    _, golds = corpus
    checked = 0
    for g in golds:
        doc = date.fromisoformat(g["date"])
        nr = date.fromisoformat(g["next_review"]) if g["next_review"] else None
        for a in g["actions"]:
            if not a["deadline_text"] or a["deadline"] is None:
                continue
            expected = _resolve(a["deadline_text"], doc, nr)
            if expected is not None:
                assert a["deadline"] == expected.isoformat(), (g["id"], a)
                checked += 1
            for i, wd in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]):
                if wd in a["deadline_text"].lower() and "every" not in a["deadline_text"].lower():
                    assert date.fromisoformat(a["deadline"]).weekday() == i, a
    assert checked > N


def test_before_the_next_review_is_timebound_only_when_the_date_is_known(corpus):
    _, golds = corpus
    for g in golds:
        for a in g["actions"]:
            if a["deadline_text"] and "next review" in a["deadline_text"].lower():
                assert a["timebound"] == (g["next_review"] is not None), a
                assert a["deadline"] == g["next_review"]


def test_every_doc_type_and_quality_level_appears(corpus):
    _, golds = corpus
    assert {g["doc_type"] for g in golds} == DOC_TYPES
    for dim in DIMENSIONS:
        assert {g["quality"][dim] for g in golds} == {0, 1, 2}, dim
    assert {g["file"].rsplit(".", 1)[1] for g in golds} == {"txt", "docx"}
    assert {g["format"] for g in golds} >= {"prose", "bullets", "numbered", "table", "mixed"}


def test_pathway_plans_are_for_16_and_17_year_olds(corpus):
    _, golds = corpus
    ages = Counter(g["child_age"] for g in golds if g["doc_type"] == "pathway_plan")
    assert ages and set(ages) <= {16, 17}


def test_quality_levels_vary_independently(corpus):
    _, golds = corpus
    all_equal = sum(len(set(g["quality"].values())) == 1 for g in golds)
    assert all_equal < 0.2 * len(golds)
    # no dimension simply copies another
    for i, a in enumerate(DIMENSIONS):
        for b in DIMENSIONS[i + 1:]:
            same = sum(g["quality"][a] == g["quality"][b] for g in golds)
            assert same < 0.7 * len(golds), (a, b)


def test_timebound_level_shows_in_the_actions(corpus):
    _, golds = corpus
    share = {}
    for level in (0, 2):
        acts = [a for g in golds if g["quality"]["timebound_actions"] == level for a in g["actions"]]
        share[level] = sum(a["timebound"] and a["owner"] is not None for a in acts) / max(1, len(acts))
    assert share[2] > 0.7 > 0.3 > share[0]


def test_pairs_point_at_each_other(corpus):
    _, golds = corpus
    by_id = {g["id"]: g for g in golds}
    paired = [g for g in golds if g["pair"]]
    assert paired, "expected some pairs"
    for g in paired:
        other = by_id[g["pair"]]
        assert other["pair"] == g["id"]
        assert other["quality"] != g["quality"]
        for k in ("doc_type", "child_name", "child_age", "date", "format"):
            assert other[k] == g[k], k


def test_sequences_tie_records_to_a_child_and_plant_drift(tmp_path):
    from corpus.synthetic.generate import generate_sequences

    golds = generate_sequences(6, 3, tmp_path)
    by_id = {g["id"]: g for g in golds}
    children = Counter(g["child_id"] for g in golds)
    assert len(children) == 6 and all(3 <= n <= 5 for n in children.values())
    kinds = Counter()
    for g in golds:
        assert g["sequence"] >= 1 and g["doc_type"] in {"care_plan", "review_minutes"}
        text = extracted_text(tmp_path / g["file"])
        for a in g["actions"]:
            assert text[a["start"]:a["end"]] == a["text"]
        texts = {a["text"] for a in g["actions"]}
        for d in g["drift"]:
            kinds[d["type"]] += 1
            first = by_id[d["first_seen"]]
            assert first["child_id"] == g["child_id"] and first["sequence"] < g["sequence"]
            if d["type"] in ("carried_over", "slipped"):
                assert d["action_text"] in texts
            if d["type"] == "slipped":
                assert d["new_deadline"] > d["old_deadline"]
            if d["type"] in ("not_followed_up", "deadline_passed"):
                assert g["doc_type"] == "review_minutes"  # only a review must report on the last decisions
                assert d["action_text"] in {a["text"] for a in by_id[d["last_seen"]]["actions"]}
            if d["type"] == "deadline_passed":
                assert d["old_deadline"] < g["date"]
            if d["type"] == "review_late":
                assert g["doc_type"] == "review_minutes" and d["days_late"] > 0
    assert {"carried_over", "slipped", "not_followed_up"} <= set(kinds)


def test_clean_sequences_plant_no_drift(tmp_path):
    from corpus.synthetic.generate import generate_sequences

    golds = generate_sequences(5, 3, tmp_path / "clean", clean_share=1.0)
    assert all(g["drift"] == [] for g in golds)
