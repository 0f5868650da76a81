"""How caseqa words its messages: counts that agree with their nouns, labels with one article.

Every message a person reads (findings' messages and suggestions, dimension summaries, drift findings,
supervision sentences) builds its counts with :func:`count` ("1 sentence", "3 sentences") and its
"the <label>" phrases with :func:`the`. :func:`tidy` is applied to every finding message and summary
when the report is built (``analyser.report``), so a label that already starts with an article can
never come out as "The the ...".
"""

from __future__ import annotations

import re

__all__ = ["capital", "count", "plural", "the", "tidy"]

# Nouns whose plural is not the noun plus "s".
_IRREGULAR = {"person": "people", "child": "children"}
_ES = re.compile(r"(s|x|z|ch|sh)$")
_Y = re.compile(r"[^aeiou]y$")


def plural(noun: str) -> str:
    """The plural of a noun, or of a phrase's last word ('blaming word' -> 'blaming words')."""
    head, _, last = noun.rpartition(" ")
    if last.lower() in _IRREGULAR:
        word = _IRREGULAR[last.lower()]
        word = word.capitalize() if last[:1].isupper() else word
    elif _Y.search(last):
        word = last[:-1] + "ies"
    elif _ES.search(last):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def count(n: int | float, noun: str, plural_form: str | None = None) -> str:
    """'1 sentence', '2 sentences', '0 blaming words': the number and the noun agreeing with it."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{number} {noun if n == 1 else (plural_form or plural(noun))}"


_ARTICLE = re.compile(r"^(the|a|an)\s", re.IGNORECASE)


def the(label: str) -> str:
    """'the identity' for 'identity'; a label that has its own article ('the personal adviser') as is."""
    return label if _ARTICLE.match(label) else f"the {label}"


def capital(text: str) -> str:
    """The first letter in capitals, the rest as written ('the IRO's name' -> 'The IRO's name')."""
    return text[:1].upper() + text[1:]


# The same small word twice running ("The the", "a a", "to to"): never meant in caseqa's own wording.
_DOUBLED = re.compile(r"\b(the|a|an|of|to|in|on|for|and|is|it|by)(\s+)\1\b", re.IGNORECASE)


def tidy(message: str) -> str:
    """One of each doubled small word ("The the personal adviser" -> "The personal adviser")."""
    return _DOUBLED.sub(lambda m: m.group(1), message)
