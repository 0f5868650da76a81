"""Skip a regex scan that cannot match: the literal words every match of a pattern must contain.

Most of the rule patterns scanned over a whole record (document-type cues, relation words) find nothing
in most records, and Python's ``re`` tries a pattern that starts with ``\\b`` or a case-insensitive
alternation at every position (~15 ns a character). ``str.__contains__`` on the lower-cased text is
about fifty times cheaper. :func:`required_words` reads a compiled pattern and returns words such that
every match contains one of them; :class:`Screen` holds a text's lower-cased form and answers whether a
pattern may match it. A pattern the reader does not understand (or any doubt) has no words: it is
always scanned. So a screen only ever skips scans that would have found nothing.

Why lower-casing is exact: the words are ASCII. Under ``re.IGNORECASE`` an ASCII letter matches, apart
from its two cases, only 'İ', 'ı', 'ſ' and 'K' (U+0130, U+0131, U+017F, U+212A; checked over all of
Unicode in tests/test_prefilter.py); a text holding any of them is never screened.

:func:`word_finditer` finds ``\\b<word>...`` (a name, an acronym, built per record) as ``re.finditer``
does, without trying the pattern at every position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter.
CASE_FOLDS = "\u0130\u0131\u017f\u212a"
_FOLDS = re.compile(f"[{CASE_FOLDS}]")


@lru_cache(maxsize=1024)
def required_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case ASCII words, one of which every match of ``pattern`` contains; None when unknown."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.VERBOSE:
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - anything odd: no screening
        return None
    words = _sequence(list(parsed))
    if not words or any(not w for w in words):
        return None
    return frozenset(words)


def _sequence(items: list[tuple[object, object]]) -> frozenset[str] | None:
    """Words for a sequence of items, every one of which must match: the most selective of the words
    its items require (a run of literal characters, a group, an alternation of such)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset(["".join(run).lower()]))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL and isinstance(av, int) and av < 128:
            run.append(chr(av))
            continue
        flush()
        found: frozenset[str] | None = None
        if op is _c.SUBPATTERN:
            found = _sequence(list(av[-1]))  # type: ignore[index]
        elif op is _c.BRANCH:
            branches = [_sequence(list(b)) for b in av[1]]  # type: ignore[index]
            if all(b for b in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            repeat: tuple[int, int, list[tuple[object, object]]] = av  # type: ignore[assignment]
            if repeat[0] >= 1:
                found = _sequence(list(repeat[2]))
        if found:
            candidates.append(found)
    flush()
    if not candidates:
        return None
    # The most selective: the shortest word in the set as long as possible, then the fewest words.
    return max(candidates, key=lambda ws: (min(len(w) for w in ws), -len(ws)))


class Screen:
    """A text, lower-cased once, asked whether a pattern may match it (see the module's docstring)."""

    __slots__ = ("lower",)

    def __init__(self, text: str) -> None:
        self.lower = None if _FOLDS.search(text) else text.lower()

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        if self.lower is None:
            return True
        words = required_words(pattern)
        return words is None or any(w in self.lower for w in words)


def word_finditer(word: str, text: str, after: str = r"\b", flags: int = 0, before: str = r"\b") -> Iterator[re.Match[str]]:
    """The matches of ``before + re.escape(word) + after`` in ``text``, exactly as :func:`re.finditer`
    gives them (spans and groups), where ``before`` is zero-width (``\\b``, a lookbehind): about thirty
    times faster for a case-sensitive word.

    A pattern that starts with ``\\b`` or a lookbehind has no literal prefix for ``re`` to look for, so it
    is tried at every position of the text; without it the pattern starts with ``word``, which ``re`` finds
    with a fast substring search. ``before`` is then checked where the rest matches: at the first position
    where both hold, which is where the whole pattern first matches (``before`` is zero-width, so the rest
    matches there the same way), and the next search starts at its end, as ``finditer`` does (the match
    is never empty: it starts with ``word``).
    """
    if not word:
        yield from re.finditer(before + after, text, flags)
        return
    rest = _compiled(re.escape(word) + after, flags)
    assertion = _compiled(before, flags)
    pos = 0
    while True:
        m = rest.search(text, pos)
        if m is None:
            return
        if assertion.match(text, m.start()) is None:
            pos = m.start() + 1
            continue
        yield m
        pos = m.end()


@lru_cache(maxsize=512)
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)
