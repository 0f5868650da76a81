"""Windowed tagging changes no answer: the identity check behind ``caseqa bench --identity``.

Two comparisons on the same records:

* **reports**: every record analysed three times, tagging every unit up front (``all``), whole units as
  checks ask (``unit``, the default) and windows around the tokens checks name (``window``); every
  report's JSON must be identical across the three;
* **tags**: every token of every unit tagged in a window with only :func:`analyser.nlp.receptive_field`
  tokens of context either side (no safety margin: the claim itself), cut on both sides wherever the unit
  allows, and compared with the tag of the whole unit.

The records are every gold set this process may read (handwritten, blind, blind2, synthetic, calibration;
never the held-out blind3, blind4 and blind5) and, beside them, generated records (:mod:`measure.scale`)
of at least ``generated_tokens`` tokens (100,000 by default).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analyser.document import Document

if TYPE_CHECKING:  # pragma: no cover
    from analyser.nlp import Tokens

GOLD_SETS = ("corpus/handwritten", "corpus/blind", "corpus/blind2", "corpus/synthetic", "corpus/calibration")
HELD_OUT = ("blind3", "blind4", "blind5")
MIN_TOKENS = 100_000


def gold_documents(root: Path = Path("."), names: tuple[str, ...] = GOLD_SETS) -> tuple[list[tuple[str, Document]], list[str]]:
    """(set name, document) for every record of the gold sets present under ``root``; the sets read."""
    from measure.bench import load_corpus

    docs: list[tuple[str, Document]] = []
    sets = []
    for name in names:
        folder = root / name
        if folder.is_dir():
            sets.append(name)
            docs += [(name, d) for d in load_corpus(folder).documents if Path(d.source or "").name != "README.md"]
    return docs, sets


def generated_documents(tokens_needed: int, seed: int = 15) -> list[tuple[str, Document]]:
    """Generated records (the scale run's) until their units hold ``tokens_needed`` tokens."""
    from analyser.ingest import from_text
    from analyser.nlp import build_analysis
    from measure.scale import generate_records

    out: list[tuple[str, Document]] = []
    seen = 0
    for row in generate_records(10**9, seed):
        if seen >= tokens_needed:
            break
        document = from_text(row["text"], source=row["id"])
        out.append(("generated", document))
        seen += sum(len(u.doc or ()) for u in build_analysis(document).units)
    return out


def _reports(documents: list[tuple[str, Document]], mode: str) -> list[str]:
    from analyser import analyse_document, nlp

    old = nlp.set_tagging(mode)  # type: ignore[arg-type]
    try:
        return [analyse_document(d).to_json() for _, d in documents]
    finally:
        nlp.set_tagging(old)


def compare_tags(documents: list[tuple[str, Document]]) -> dict[str, int]:
    """Every token's tag from a window of the receptive field alone against the whole unit's."""
    from analyser import nlp

    field = nlp.receptive_field()
    if field is None:
        return {"tokens": 0, "differences": 0, "field": -1}
    tokens = differences = 0
    step = 2 * field + 2  # windows around positions this far apart never merge: each is cut on both sides
    for _, document in documents:
        units = [u.doc.doc for u in nlp.build_analysis(document).units if u.doc is not None]
        whole = [nlp.Tokens(u) for u in units]
        nlp.tag_units(whole)
        for offset in range(step):
            requests = []
            for u in units:
                fresh = nlp.Tokens(u)
                requests.append((fresh, range(offset, len(fresh), step)))
            _tag_in_windows(requests, field)
            for (fresh, positions), ref in zip(requests, whole):
                for i in positions:
                    tokens += 1
                    differences += fresh[i].tag_ != ref[i].tag_
    return {"tokens": tokens, "differences": differences, "field": field}


def _tag_in_windows(requests: list[tuple[Tokens, range]], field: int) -> None:
    """:func:`analyser.nlp.tag_windows` with no safety margin and no whole-unit shortcut."""
    from analyser import nlp

    pieces = []
    for tokens, positions in requests:
        for a, b, ea, eb in nlp.windows(positions, len(tokens), field):
            pieces.append((tokens, a, b, ea, eb))
    docs = (t.doc[a:b].as_doc() for t, a, b, _, _ in pieces)
    for (tokens, a, _b, ea, eb), doc in zip(pieces, nlp._run(nlp._TAGGING, docs)):
        for i in range(ea, eb):
            tokens[i].tag_ = doc[i - a].tag_


def run(*, generated_tokens: int = MIN_TOKENS, root: Path = Path("."), sets: tuple[str, ...] = GOLD_SETS,
        progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Both comparisons; ``identical`` is True when no report and no tag differs."""
    from analyser import nlp

    held_out = [s for s in sets if Path(s).name in HELD_OUT]
    if held_out:
        raise ValueError(f"held-out sets are never read: {', '.join(held_out)}")
    say = progress or (lambda _msg: None)
    documents, sets_read = gold_documents(root, sets)
    generated = generated_documents(generated_tokens)
    everything = documents + generated
    total_tokens = sum(len(u.doc or ()) for _, d in everything for u in nlp.build_analysis(d).units)
    reports: dict[str, list[str]] = {}
    counts: dict[str, dict[str, int]] = {}
    for mode in ("all", "unit", "window"):
        say(f"reports, tagging mode {mode}")
        before = dict(nlp.TAG_COUNTS)
        reports[mode] = _reports(everything, mode)
        counts[mode] = {k: nlp.TAG_COUNTS[k] - before[k] for k in before}
    differing = {
        mode: [f"{everything[i][0]}:{everything[i][1].source}" for i, (a, b) in enumerate(zip(reports["all"], reports[mode])) if a != b]
        for mode in ("unit", "window")
    }
    say("tags: windows of the receptive field against whole units")
    tags = compare_tags(everything)
    return {
        "gold_sets": sets_read,
        "records": len(everything),
        "gold_records": len(documents),
        "generated_records": len(generated),
        "tokens": total_tokens,
        "generated_tokens": sum(len(u.doc or ()) for _, d in generated for u in nlp.build_analysis(d).units),
        "reports_differing_unit": len(differing["unit"]),
        "reports_differing_window": len(differing["window"]),
        "differing": differing,
        "tagged_tokens": {mode: c["unit_tokens"] + c["window_tokens"] for mode, c in counts.items()},
        "tagged_in_windows": counts["window"]["window_tokens"],
        "tag_tokens_compared": tags["tokens"],
        "tag_differences": tags["differences"],
        "receptive_field": tags["field"],
        "safety_margin": nlp.WINDOW_SAFETY,
        "identical": not differing["unit"] and not differing["window"] and tags["differences"] == 0,
    }
