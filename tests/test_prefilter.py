"""The regex screen (analyser/prefilter.py) only skips scans that would find nothing."""

from __future__ import annotations

import random
import re
import string
import sys

import pytest

from analyser import facts
from analyser.prefilter import CASE_FOLDS, Screen, required_words


def test_case_folds_are_every_non_ascii_match_of_an_ascii_letter() -> None:
    chars = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    found: set[str] = set()
    for letter in string.ascii_lowercase:
        found.update(re.findall(f"(?i){letter}", chars))
    # str.lower() turns only these into ASCII letters, too
    found.update(ch for ch in chars if any(c in string.ascii_letters for c in ch.lower()))
    assert found == set(CASE_FOLDS)


@pytest.mark.parametrize(("pattern", "words"), [
    (r"\bpathway plan\b", {"pathway plan"}),
    (r"\b(contingency|parallel) plan\b", {"contingency", "parallel"}),
    (r"\bpersonal advis[eo]r\b|\bPA\b", {"personal advis", "pa"}),
    (r"(?:your )?(?P<rel>mum|dad)\b", {"mum", "dad"}),
    (r"(?:x)+y", {"x", "y"}),
    (r"\w+", None),  # nothing literal
    (r"a|\d", None),  # a branch without words
    (r"(?:abc)?\d", None),  # optional words are not required
    (r"caf’s", {"caf"}),  # only ASCII words
])
def test_required_words(pattern: str, words: set[str] | None) -> None:
    found = required_words(re.compile(pattern, re.IGNORECASE))
    if words is None:
        assert found is None
    else:
        assert found is not None and (found == words or found < words or all(any(w in x for x in words) for w in found))


def _texts() -> list[str]:
    rng = random.Random(7)
    alphabet = string.ascii_letters + "  \n'’-.,()|:" + "éİıſK"
    words = ["pathway", "plan", "Plan", "PA", "pa", "review", "REVIEW", "care", "leaver", "minutes", "IRO",
             "permanence", "long-term", "foster", "contingency", "attendance", "Present", "recs", "tenancy"]
    out = []
    for _ in range(400):
        parts = [rng.choice(words) if rng.random() < 0.6 else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(1, 30))]
        out.append(rng.choice([" ", "\n", "  "]).join(parts))
    return out


def test_screen_never_skips_a_match() -> None:
    patterns = [p for ps in facts._TYPE_PATTERNS.values() for p, _ in ps]
    skipped = 0
    for text in _texts():
        screen = Screen(text)
        for p in patterns:
            if not screen.may_match(p):
                skipped += 1
                assert p.search(text) is None, (p.pattern, text)
    assert skipped  # the screen does skip scans


def test_text_with_a_case_fold_is_never_screened() -> None:
    text = "ſtaying put"  # 'ſ' matches 's' under IGNORECASE
    assert re.search(r"\bstaying put\b", text, re.IGNORECASE)
    assert Screen(text).may_match(re.compile(r"\bstaying put\b", re.IGNORECASE))


def test_screen_on_the_handwritten_records() -> None:
    from pathlib import Path

    patterns = [p for ps in facts._TYPE_PATTERNS.values() for p, _ in ps]
    for path in sorted(Path("corpus/handwritten").glob("*.txt")):
        text = path.read_text(encoding="utf-8")[:20000]
        screen = Screen(text)
        for p in patterns:
            if not screen.may_match(p):
                assert p.search(text) is None, (path.name, p.pattern)


@pytest.mark.parametrize(("after", "flags", "before"), [
    (r"\b", 0, r"\b"), (r"\b", re.IGNORECASE, r"\b"), (r"\b", re.ASCII, r"\b"), (r"[ \t]+[A-Z][a-z]+\b", 0, r"\b"),
    (r"\b[^.\n]{0,60}?\b(he|him|his|she|her)\b", 0, r"\b"), (r"\s*\([a-z][^)]{3,}\)", re.IGNORECASE, r"\b"),
    ("", 0, r"\b"),
    (r"(?![\w/])", 0, r"(?<![\w/])"), (r"\b", re.IGNORECASE, r"(?<![\w-])"),
])
def test_word_finditer_is_finditer(after: str, flags: int, before: str) -> None:
    from analyser.prefilter import word_finditer

    rng = random.Random(11)
    words = ["Jo", "jo", "Ann", "nana", "an", "Mr.", "(SW)", "’s", "é", "_x", "mum", "Jo Reed", "CAMHS", ""]
    pieces = ["Jo", "JO", "jo", "Ann", "Anna", "nanana", "nana", " ", "  ", "\n", ".", "(SW)", "(speech therapy)",
              "’s", "é", "_", "x", "Reed", "mum", "MUM", "he", "She", "her", "ſ", "İ", "1", "-", "Mr.", "Mr", "/", "CAMHS", "CAMHS/", "-"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for word in words:
            expected = [(m.span(), m.groups()) for m in re.finditer(before + re.escape(word) + after, text, flags)]
            found = [(m.span(), m.groups()) for m in word_finditer(word, text, after, flags, before)]
            assert found == expected, (word, text)
