"""Gold comparison rules of measure.evaluate: owners as written and resolved, joint owners, addressee."""

from __future__ import annotations

import pytest

from measure.evaluate import gold_owner_right, owner_matches


@pytest.mark.parametrize(
    ("gold", "predicted", "right"),
    [
        ("Jo", "Jo (your social worker)", True),
        ("the school", "School", True),
        (None, None, True),
        ("Jo", None, False),
        ("Dawn and Jo Reed", "Dawn (your mum) and Jo Reed (social worker)", True),
        ("Dawn and Jo Reed", "Jo Reed (social worker)", False),
        ("Mr and Mrs Evans", "Mr and Mrs Evans", True),
        ("Sam Okafor", "Jo Reed", False),
        # A role word and the person the record names in it: either way round, also in a joint owner.
        ("school and SW", "school and Nadia Okafor (SW)", True),
        ("Nadia Okafor and the school", "school and Nadia Okafor (SW)", True),
        ("school and SW", "Nadia Okafor (SW)", False),
        ("Dawn and Jo Reed", "Dawn (mum, Leeds) and Jo Reed (social worker)", True),
    ],
)
def test_owner_matches(gold: str | None, predicted: str | None, right: bool) -> None:
    assert owner_matches(gold, predicted) is right


def test_resolved_gold_compares_the_resolved_owner() -> None:
    gold = {"owner": "Jo Reed", "owner_text": "I"}
    assert gold_owner_right(gold, {"owner": "Jo Reed (social worker)", "owner_text": "I"})
    assert not gold_owner_right(gold, {"owner": "I", "owner_text": "I"})


def test_as_written_gold_compares_the_words_as_written() -> None:
    # Older sets annotate the owner's words ("I"); a report that resolved them keeps them in owner_text.
    gold = {"owner": "I"}
    assert gold_owner_right(gold, {"owner": "Jo Reed (social worker)", "owner_text": "I"})
    assert gold_owner_right(gold, {"owner": "I"})
