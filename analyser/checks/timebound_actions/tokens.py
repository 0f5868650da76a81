"""Small readers of spaCy-style tokens shared by the timebound-actions modules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from analyser.nlp import Token


def tag_of(t: Token) -> str:
    return t.tag_ or ""


def lemma_of(t: Token) -> str:
    return (t.lemma_ or t.lower_).lower()


def outside_brackets(tokens: Iterable[Token]) -> Iterator[tuple[int, Token]]:
    """(position, token) for the tokens outside round brackets, brackets themselves excluded."""
    depth = 0
    for k, t in enumerate(tokens):
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            yield k, t


def head_np(tokens: list[Token]) -> list[Token]:
    """The head of a subject noun phrase: 'Family time with Mum' -> 'Family time'."""
    for k, t in outside_brackets(tokens):
        if k > 0 and t.lower_ in ("with", "between", "of", "for", "at", "in", "from", "about", "to", "on"):
            return tokens[:k]
    return tokens
