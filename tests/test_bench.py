"""The benchmark produces every number, and the fast default analysis answers as the full pipeline does.

No timing is asserted: machines are noisy, and the benchmark itself is the measure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyser import analyse, nlp
from measure import bench
from analyser.document import Block, Document

REQUIRED_NUMBERS = (
    "words_per_s_naive", "words_per_s_caseqa", "words_per_s_tokenizer", "speedup_vs_naive", "share_of_tokenizer",
    "docs_per_s_naive", "docs_per_s_caseqa", "docs_per_s_tokenizer", "p50_ms_draft", "p95_ms_draft",
    "p95_ms_draft_cpu", "peak_rss_mb", "words_per_s_1_worker", "words_per_s_2_workers", "scaling_2_vs_1",
    "words_per_s_naive_cpu", "words_per_s_caseqa_cpu", "speedup_vs_naive_cpu", "documents", "words",
    "scaling_2_vs_1_control", "p50_ms_draft_api", "p95_ms_draft_api", "naive_batch_size",
    "words_per_s_naive_default_batch", "speedup_vs_naive_default_batch",
)

SENTENCES = [
    "Jo (your social worker) will book your dental check by 15 March 2025.",
    "Your carer Sam is going to take you to football every Saturday.",
    "Social worker to complete the referral to CAMHS within 4 weeks.",
    "You told me you would like to see your brother more.",
    "The health assessment should be completed by the school nurse before the review.",
    "Mum needs to attend the parenting course.",
    "You will be 16 in May.",
    "That the IRO writes to you after the meeting.",
    "It was agreed that contact will continue as per plan.",
    "Your nan has to contact school about the trip.",
]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory, examples: Path) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    for name in ("care_plan_amira.txt", "review_minutes_josh.txt"):
        (folder / name).write_text((examples / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.mark.slow
def test_bench_reports_every_measure_as_a_number(tiny_corpus: Path) -> None:
    corpus = bench.load_corpus(tiny_corpus)
    results = bench.run(corpus, workers=2)
    for key in REQUIRED_NUMBERS:
        assert isinstance(results[key], (int, float)) and not isinstance(results[key], bool), key
        assert results[key] == results[key], f"{key} is NaN"
    assert results["documents"] == 2
    # The naive baseline runs at the batch size it is fastest at, chosen from the ones tried.
    tuning = results["naive_tuning_s"]
    assert isinstance(tuning, dict) and str(results["naive_batch_size"]) in tuning
    assert tuning[str(results["naive_batch_size"])] == min(tuning.values())
    json.dumps(results)  # the --format json output


def test_default_corpus_falls_back_to_the_examples_repeated(monkeypatch: pytest.MonkeyPatch, examples: Path) -> None:
    monkeypatch.setattr(bench, "DEFAULT_CORPUS", Path("does/not/exist"))
    monkeypatch.setattr(bench, "FALLBACK_CORPUS", examples)
    corpus = bench.load_corpus(None, min_words=2_000)
    assert sum(len(t.split()) for t in corpus.texts) >= 2_000
    assert "x" in corpus.name


def test_draft_text_is_about_the_asked_length(examples: Path) -> None:
    corpus = bench.load_corpus(examples)
    assert 2_000 <= len(bench.draft_text(corpus, 2_000).split()) < 2_300


def test_percentile_interpolates_between_ranks() -> None:
    assert bench.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert bench.percentile([5.0], 95) == 5.0


@pytest.mark.parametrize("sentence", SENTENCES)
def test_default_and_accurate_modes_find_the_same_actions(sentence: str) -> None:
    fast = analyse(sentence, date="2025-01-10").actions
    full = analyse(sentence, date="2025-01-10", accurate=True).actions
    assert [a.model_dump() for a in fast] == [a.model_dump() for a in full]


def test_default_and_accurate_modes_agree_on_a_whole_record(examples: Path) -> None:
    text = (examples / "care_plan_amira.txt").read_text(encoding="utf-8")
    fast = analyse(text).model_dump()
    full = analyse(text, accurate=True).model_dump()
    fast.pop("versions")
    full.pop("versions")
    assert fast == full


def _units(text: str) -> list[nlp.Unit]:
    document = Document(text, [Block("paragraph", 0, len(text))])
    return nlp.build_analysis(document).units


def test_tags_read_on_an_untagged_unit_are_the_full_pipelines() -> None:
    text = "Sam will take you to the dentist. You were seen by the nurse."
    units = _units(text)
    assert not any(u.doc is not None and u.doc.tagged for u in units)
    full = nlp.get_nlp(accurate=True)
    for unit in units:
        assert unit.doc is not None
        expected = [(t.tag_, t.lemma_) for t in full(unit.text)]
        assert [(t.tag_, t.lemma_) for t in unit.doc] == expected


def test_memoised_lemmas_match_lemmatising_the_unit() -> None:
    first, second = _units("Jo will book it. Jo will book it again.")
    assert first.doc is not None and second.doc is not None
    assert first.doc[2].lemma_ == "book"  # lemmatises the unit and remembers
    assert second.doc[2].lemma_ == "book"  # from the memo
    assert not second.doc.lemmatised


def test_words_that_cannot_be_participles_skip_the_tagger() -> None:
    (unit,) = _units("You are 14 and happy, and you were helped.")
    assert unit.doc is not None
    by_text = {t.text: t for t in unit.doc}
    assert not nlp.may_be_participle(by_text["14"])
    assert not nlp.may_be_participle(by_text["happy"])
    assert nlp.may_be_participle(by_text["helped"])
    assert not unit.doc.tagged


def test_syllable_table_matches_the_pronunciation_dictionary() -> None:
    from analyser import syllables

    table = syllables._syllable_table()
    prons = syllables.pronunciations()
    for word in ("assessment", "social", "worker", "independent", "the", "children"):
        assert table[word] == sum(1 for p in prons[word][0] if p[-1].isdigit())


def test_other_spacy_token_attributes_read_through() -> None:
    (unit,) = _units("Jo will book it - now.")
    assert unit.doc is not None
    assert [t.whitespace_ for t in unit.doc][:2] == [" ", " "]
    assert unit.doc[2].pos_ == "VERB"  # set by the attribute ruler: the unit is annotated first
    assert unit.doc[0].shape_ == "Xx"
