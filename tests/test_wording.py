"""Messages people read: counts agree with their nouns, no word comes out twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analyser import analyse, analyse_file
from analyser.report import Finding
from analyser.wording import capital, count, plural, the, tidy

ROOT = Path(__file__).resolve().parents[1]
# The bundled examples and every gold set caseqa is evaluated on (never the held-out blind3/blind4).
SETS = ["examples", "corpus/handwritten", "corpus/blind", "corpus/blind2", "corpus/synthetic/test", "corpus/calibration"]
SUFFIXES = {".txt", ".md", ".docx", ".pdf"}

# "1 sentences", "1 blaming words": a count of one before a plural noun ("1 class" and "1 bus" are singular).
ONE_PLURAL = re.compile(r"(?<![\d.,/£:])\b1 (?:[a-z]+ )?(?!\w*(?:ss|us|is)\b)[a-z]+s\b")
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def test_count_agrees_with_the_noun() -> None:
    assert count(1, "sentence") == "1 sentence"
    assert count(2, "sentence") == "2 sentences"
    assert count(0, "blaming word") == "0 blaming words"
    assert count(1, "blaming word") == "1 blaming word"
    assert plural("day") == "days" and plural("reply") == "replies" and plural("box") == "boxes"
    assert plural("child") == "children"


def test_labels_get_one_article() -> None:
    assert the("identity") == "the identity"
    assert the("the personal adviser") == "the personal adviser"
    assert capital(the("the IRO's name")) == "The IRO's name"
    assert tidy("The the personal adviser section is thin.") == "The personal adviser section is thin."
    # Every finding, whoever builds it, is tidied.
    f = Finding(dimension="plan_detail", code="thin_section", severity="warning", message="The the x.",
                start=0, end=0, excerpt="", suggestion="Add a a date.")
    assert (f.message, f.suggestion) == ("The x.", "Add a date.")


def test_a_label_with_its_own_article_is_not_doubled() -> None:
    report = analyse("# Pathway Plan\nName: Leah Brown\nDate: 3 October 2024\nAge: 17\n\n"
                     "## Personal adviser\nPriya is your PA.\n\n## Money\nYou get £60 a week from the leaving care team and "
                     "you pay £15 of it towards your phone and your bus pass to college each month.\n\n"
                     "## Education\nYou are in your first year at Riverside College studying motor vehicle "
                     "maintenance three days a week, and your tutor Mr Dean says you are doing well.\n")
    thin = [f for f in report.findings if f.rule == "plan_detail.thin_section" and f.data.get("section") == "personal_adviser"]
    assert thin and thin[0].message.startswith("The personal adviser section is thin (")


def test_one_thin_section_word_is_singular() -> None:
    report = analyse("CARE PLAN\nName: Amira Khan\nDate: 04/03/2024\n\nIdentity\nMuslim.\n\nPlacement\n"
                     "You live with Sarah and Tom Hale in Solihull and you have your own room, which you painted "
                     "green with Tom in May. You walk to Oakwood Primary with Sarah every morning "
                     "and Tom collects you at half past three on the days you do not go to the football club.\n")
    thin = [f for f in report.findings if f.rule == "plan_detail.thin_section" and f.data.get("section") == "identity"]
    assert thin and thin[0].message == "The identity section is thin (1 word)."


def _records() -> list[Path]:
    return sorted(p for s in SETS for p in (ROOT / s).iterdir() if p.suffix in SUFFIXES)


def _problems(text: str) -> list[str]:
    # Quoted record words are the record's own, not caseqa's wording.
    own = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”", "''", text)
    return [m.group(0) for m in ONE_PLURAL.finditer(own)] + [m.group(0) for m in DOUBLED.finditer(own)]


@pytest.mark.parametrize("folder", SETS)
def test_no_message_says_1_plural_or_doubles_a_word(folder: str) -> None:
    bad: list[str] = []
    records = [p for p in _records() if p.parent == ROOT / folder]
    assert records
    for path in records:
        report = analyse_file(path)
        texts = [f.message for f in report.findings] + [f.suggestion or "" for f in report.findings]
        texts += [d.summary for d in report.dimensions.values()]
        bad += [f"{path.name}: {p!r} in {t!r}" for t in texts for p in _problems(t)]
    assert not bad, "\n".join(bad[:20])
