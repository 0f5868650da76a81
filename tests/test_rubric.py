"""The rubric loads from data and a broken one fails naming the file and the key at fault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analyser import analyse
from analyser.rubric import DEFAULT_RUBRIC, RubricError, load_rubric

RECORD = "Care plan for Amira, 4 March 2025.\nJo (your social worker) will book your health check by 15 March 2025.\n"


def _copy_rubric(tmp_path: Path) -> Path:
    """The shipped rubric and its lexicons, copied so a test can break one file."""
    shutil.copytree(DEFAULT_RUBRIC.parent.parent / "lexicons", tmp_path / "lexicons")
    (tmp_path / "rubric").mkdir()
    target = tmp_path / "rubric" / "default.toml"
    shutil.copy(DEFAULT_RUBRIC, target)
    return target


def test_the_shipped_rubric_loads_with_weights_summing_to_one() -> None:
    rubric = load_rubric()
    assert abs(sum(rubric.weights.values()) - 1) < 1e-9
    assert rubric.grade_for(90) == "outstanding" and rubric.grade_for(10) == "inadequate"


def test_a_copied_rubric_scores_the_same(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    assert analyse(RECORD, rubric=path).overall == analyse(RECORD).overall


def test_a_bad_setting_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    path.write_text(path.read_text().replace("penalty_no_owner = 40", "penalty_no_owner = 400"))
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    assert str(path) in str(err.value) and "timebound_actions.penalty_no_owner" in str(err.value)


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    path.write_text(path.read_text().replace("[readability]\n", "[readability]\nlong_sentense_words = 3\n"))
    with pytest.raises(RubricError, match=r"readability\.long_sentense_words"):
        load_rubric(path)


def test_an_unknown_check_table_is_refused(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    path.write_text(path.read_text() + "\n[spelling]\npenalty = 3\n")
    with pytest.raises(RubricError, match="spelling"):
        load_rubric(path)


def test_all_zero_weights_are_refused(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    text = path.read_text()
    for line in ("timebound_actions = 0.35", "child_directed_language = 0.2", "readability = 0.15", "plan_detail = 0.3"):
        text = text.replace(line, line.split(" = ")[0] + " = 0")
    path.write_text(text)
    with pytest.raises(RubricError, match="weights.*at least one weight"):
        load_rubric(path)


def test_grades_must_fall(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    path.write_text(path.read_text().replace("good = 70", "good = 90"))
    with pytest.raises(RubricError, match="grades"):
        load_rubric(path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    path.write_text("[rubric\n")
    with pytest.raises(RubricError, match="not valid TOML") as err:
        load_rubric(path)
    assert str(path) in str(err.value)


def test_a_missing_lexicon_names_the_file(tmp_path: Path) -> None:
    path = _copy_rubric(tmp_path)
    (tmp_path / "lexicons" / "jargon.toml").unlink()
    with pytest.raises(RubricError, match="jargon.toml"):
        load_rubric(path)


def test_a_missing_rubric_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="not found"):
        load_rubric(tmp_path / "nope.toml")


# ---- rule files (analyser/rules/) -----------------------------------------------------------------


def test_every_shipped_rule_file_loads_and_names_its_rule() -> None:
    from analyser.rules import load_spec, rule_files

    rubric = load_rubric()
    for path in rule_files():
        spec = load_spec(path)
        assert spec.dimension in rubric.weights, path
        assert rubric.rule(path.stem).spec == spec


def test_a_bad_rule_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    from analyser.rules import RuleError, load_spec

    bad = tmp_path / "shouting.toml"
    bad.write_text('[rule]\nid = "child_directed_language.shouting"\nextends = "existence"\nseverity = "loud"\n'
                   'message = "Shouting."\nterms = ["!!"]\n')
    with pytest.raises(RuleError) as err:
        load_spec(bad)
    assert str(bad) in str(err.value) and "rule.severity" in str(err.value)


def test_a_rule_without_terms_is_refused(tmp_path: Path) -> None:
    from analyser.rules import RuleError, load_spec

    bad = tmp_path / "empty.toml"
    bad.write_text('[rule]\nid = "plan_detail.empty"\nextends = "existence"\nseverity = "info"\nmessage = "x"\n')
    with pytest.raises(RuleError, match="needs terms"):
        load_spec(bad)


def test_a_missing_word_list_names_the_file_and_key() -> None:
    from analyser.rules import RuleError, word_list

    with pytest.raises(RuleError, match=r"_placeholders\.toml: lists\.nope"):
        word_list("placeholders", "nope")


def test_one_phrase_matcher_two_hyphen_modes() -> None:
    from analyser.rules import phrase_pattern

    join = phrase_pattern(["attention seeking", "contact"], hyphens="join")
    assert [m.group() for m in join.finditer("Attention-seeking; contact-centre; Contact.")] == ["Attention-seeking", "Contact"]
    brk = phrase_pattern(["ongoing"], hyphens="break")
    assert [m.group() for m in brk.finditer("ongoing-ish, non-ongoing")] == ["ongoing", "ongoing"]
