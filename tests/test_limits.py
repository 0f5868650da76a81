"""Bounded cost for pathological input (issue 13, item 9): over-long units are analysed in pieces with
a finding that says so, the tagger's batches are bounded, and the CLI has the service's word limit."""

from __future__ import annotations

import json

from test_batch import record_text, run_cli

from analyser import analyse
from analyser.document import Document
from analyser.ingest import DEFAULT_MAX_WORDS, from_text
from analyser.nlp import _BATCH_TOKENS, MAX_UNIT_WORDS, _token_batches, make_units


def run_on(n_words: int) -> str:
    return " ".join(["Amira", "went", "to", "the", "park", "with", "her", "carer", "and"] * (n_words // 9 + 1))


def test_a_sentence_over_the_cap_is_analysed_in_pieces_covering_it():
    body = run_on(3 * MAX_UNIT_WORDS + 10)
    text = "CARE PLAN\n" + body + ".\nThe social worker will visit Amira by 3 April 2025.\n"
    units = make_units(from_text(text))
    pieces = [u for u in units if u.cut]
    assert len(pieces) == 4 and all(len(u.text.split()) <= MAX_UNIT_WORDS for u in pieces)
    # The pieces cover the sentence, in order, on whitespace: nothing is dropped.
    assert " ".join(u.text for u in pieces) == (body + ".")
    assert all(text[u.start:u.end] == u.text for u in pieces)
    assert not any(u.cut for u in units if u not in pieces)


def test_the_long_sentence_finding_says_it_was_analysed_in_pieces_and_the_rest_is_read():
    text = "CARE PLAN\n" + run_on(2 * MAX_UNIT_WORDS) + ".\nThe social worker will visit Amira by 3 April 2025.\n"
    report = analyse(text, id="x")
    long = [f for f in report.findings if f.code == "long_sentence"]
    assert long and "analysed in pieces of 1,000" in long[0].message
    assert [a.deadline for a in report.actions] == ["2025-04-03"]


def test_ordinary_sentences_are_never_cut():
    doc = Document(text="", blocks=[])
    assert make_units(doc) == []
    units = make_units(from_text(record_text(1, long=True)))
    assert not any(u.cut for u in units)


def test_tagger_batches_are_bounded_by_tokens():
    class Unit(list):  # a Tokens stand-in: only its length matters here
        pass

    units = [Unit(range(MAX_UNIT_WORDS)) for _ in range(150)]
    batches = list(_token_batches(units))  # type: ignore[arg-type]
    assert sum(map(len, batches)) == 150
    assert all(sum(map(len, b)) <= _BATCH_TOKENS for b in batches)
    small = [Unit(range(20)) for _ in range(100)]
    assert len(list(_token_batches(small))) == 1  # an ordinary record is one batch, as before  # type: ignore[arg-type]


def test_the_cli_has_the_services_word_limit_and_an_option_to_change_it(tmp_path):
    record = tmp_path / "plan.txt"
    record.write_text(record_text(1), encoding="utf-8")
    words = len(record_text(1).split())
    refused = run_cli("check", str(record), "--max-words", str(words - 1))
    assert refused.exit_code == 2 and f"the limit is {words - 1:,}" in refused.output
    assert run_cli("check", str(record), "--max-words", str(words)).exit_code == 0
    huge = tmp_path / "huge.txt"
    huge.write_text(record_text(2) + run_on(DEFAULT_MAX_WORDS), encoding="utf-8")
    default = run_cli("check", str(huge))  # refused before any language processing
    assert default.exit_code == 2 and "the limit is 200,000" in default.output
    out = tmp_path / "o.jsonl"
    scored = run_cli("score", str(record), str(huge), "--db", str(tmp_path / "c.db"), "--out", str(out), "--workers", "1")
    assert scored.exit_code == 1 and "huge.txt" in scored.output
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["plan"]
    allowed = run_cli("score", str(record), "--db", str(tmp_path / "d.db"), "--max-words", str(words - 1), "--workers", "1",
                      "--out", str(tmp_path / "p.jsonl"))
    assert allowed.exit_code == 1 and "words" in allowed.output
