"""Readability: could the child read this?

Flesch reading ease, Flesch-Kincaid grade and UK reading age (grade + 5), computed per unit so bullets
and table rows are not glued into one giant sentence, from the tokens spaCy already made. Flags long
sentences, passive constructions and sentences dense with acronyms. The target reading age is the
child's age (at least 11: a young child's plan is written for them to read later), else the rubric's.
"""

from __future__ import annotations

import re
import statistics

from pydantic import Field, field_validator

from analyser import nlp, syllables
from analyser.checks import CheckContext, CheckResult, clamp, finding, wants_tags
from analyser.facts import Facts
from analyser.nlp import MAX_UNIT_WORDS, Tokens, Unit
from analyser.report import Finding
from analyser.registry import Appearance, register
from analyser.rubric import CheckSettings, Rubric
from analyser.wording import count

DIMENSION = "readability"


class ReadabilitySettings(CheckSettings):
    default_reading_age: int = Field(ge=5, le=25)
    min_reading_age: int = Field(ge=5, le=25)
    long_sentence_words: int = Field(ge=5)
    very_long_sentence_words: int = Field(ge=5)
    # Points for the 1st, 2nd, ... year the reading age is above the target; the last number counts for
    # every further year (a single number: the same for every year).
    points_per_year_over: float | list[float]
    penalty_long_sentence_share: float = Field(ge=0)
    penalty_passive_share: float = Field(ge=0)
    penalty_per_acronym_per_100_words: float = Field(ge=0)
    max_acronym_penalty: float = Field(ge=0)

    @field_validator("points_per_year_over")
    @classmethod
    def _rates(cls, value: float | list[float]) -> float | list[float]:
        rates = value if isinstance(value, list) else [value]
        if not rates or any(r < 0 for r in rates):
            raise ValueError("must be a number >= 0 or a non-empty list of them")
        return value

MAX_FINDINGS_PER_CODE = 15


def points_for_years_over(gap: float, per_year: float | list[float]) -> float:
    """Points lost for a reading age ``gap`` years above the target: each year at its own rate, a part
    year in proportion ([10, 10, 10, 20]: 3 years too hard lose 30, 4.5 years 60)."""
    rates = [per_year] if isinstance(per_year, int | float) else per_year
    lost, year = 0.0, 0
    while gap > 0:
        rate = rates[min(year, len(rates) - 1)]
        lost += rate * min(1.0, gap)
        gap -= 1.0
        year += 1
    return lost
_BE_FORMS = {"is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "get", "got", "gets"}
# Participles after "be" that describe a state, not a passive action ("you are settled").
_ADJECTIVAL = {
    "settled", "interested", "worried", "scared", "pleased", "excited", "tired", "married", "concerned",
    "involved", "based", "located", "allowed", "supposed", "used", "called", "named", "aged", "bored",
    "confused", "upset", "frightened", "annoyed", "surprised", "engaged", "disappointed", "prepared",
    "determined", "committed", "motivated", "known", "entitled", "qualified", "closed", "done", "finished",
    # "until you are grown up": grown up, an age, not something done to you.
    "grown",
}
_KEY_VALUE = re.compile(r"^[A-Z][\w '’/()-]{0,40}:\s*\S")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")


def _word_tokens(unit: Unit) -> list[str]:
    return [t.text for t in unit.doc or () if t.is_alpha or t.like_num]


def _tagger_decides(doc: Tokens, i: int, k: int) -> bool:
    """Whether the tag of doc[k], after the 'be' at i, could make a passive: when no participle can be
    here or just after an adverb here, the answer is known without the tagger (see analyser.nlp)."""
    return nlp.may_be_participle(doc[k]) or (
        nlp.may_be_adverb(doc[k]) and k + 1 < min(len(doc), i + 3) and nlp.may_be_participle(doc[k + 1])
    )


@wants_tags(DIMENSION)
def _reads_tags(unit: Unit) -> set[int]:
    """The tokens :func:`_is_passive` reads tags on: after a 'be', the next word, and the one after it
    when the next may be an adverb."""
    doc = unit.doc
    if doc is None or unit.kind == "heading":
        return set()
    out: set[int] = set()
    n = len(doc)
    for i, t in enumerate(doc):
        if t.lower_ in _BE_FORMS and i + 1 < n and _tagger_decides(doc, i, i + 1):
            out.add(i + 1)
            if i + 2 < n and _tagger_decides(doc, i, i + 2):
                out.add(i + 2)
    return out


def _is_passive(unit: Unit) -> tuple[int, int] | None:
    doc = unit.doc
    if doc is None:
        return None
    for i, t in enumerate(doc):
        if t.lower_ in _BE_FORMS:
            for k in range(i + 1, min(len(doc), i + 3)):
                nxt = doc[k]
                if not _tagger_decides(doc, i, k):
                    break
                if nxt.tag_ == "VBN" and nxt.lower_ not in _ADJECTIVAL:
                    return unit.start + t.idx, unit.start + nxt.idx + len(nxt.text)
                if nxt.tag_ not in ("RB", "RBR"):
                    break
    return None


def target_reading_age(facts: Facts, rubric: Rubric) -> int:
    s = rubric.settings_for(DIMENSION, ReadabilitySettings)
    if facts.child_age is None:
        return s.default_reading_age
    return max(facts.child_age, s.min_reading_age)


@register(
    DIMENSION, settings=ReadabilitySettings, weight=0.15, order=30,
    metrics=("flesch_reading_ease", "flesch_kincaid_grade", "reading_age", "target_reading_age", "words_per_sentence",
             "sentence_length_sd", "max_sentence_words", "long_sentences", "passive_sentences", "long_sentence_share",
             "passive_share", "acronyms_per_100_words", "sentences", "words", "points_lost_reading_age",
             "points_lost_long_sentences", "points_lost_passive", "points_lost_acronyms"),
    appearance=Appearance("Readability", "short sentences a child can read", "#2e8b57", "#d5ecdf", "on dark_green"),
)
def check(ctx: CheckContext[ReadabilitySettings]) -> CheckResult:
    """Score how readable the record is for its child."""
    analysis, facts, rubric = ctx.analysis, ctx.facts, ctx.rubric
    s = ctx.settings
    findings: list[Finding] = []
    lengths: list[int] = []
    total_words = total_syll = 0
    long_units = passive_units = dense_units = total_acronyms = 0
    for unit in analysis.body_units():
        # "Name: Amira" header fields are labels, not sentences.
        if unit.kind == "sentence" and _KEY_VALUE.match(unit.text) and len(unit.text.split()) <= 8:
            continue
        words = _word_tokens(unit)
        if not words:
            continue
        n = len(words)
        lengths.append(n)
        total_words += n
        total_syll += sum(syllables.count(w) for w in words)
        if n > s.long_sentence_words and unit.kind != "table_row":
            long_units += 1
            if long_units <= MAX_FINDINGS_PER_CODE:
                severity = "error" if n > s.very_long_sentence_words else "warning"
                message = (f"This sentence has over {MAX_UNIT_WORDS:,} words: it was analysed in pieces of "
                           f"{MAX_UNIT_WORDS:,}." if unit.cut else f"This sentence has {count(n, 'word')}.")
                findings.append(finding(analysis, DIMENSION, "long_sentence", severity,
                    message, unit.start, unit.end,
                    "Split it into sentences of 15 to 20 words, one idea each.", data={"words": n}))
        passive = _is_passive(unit)
        if passive:
            passive_units += 1
            if passive_units <= MAX_FINDINGS_PER_CODE:
                findings.append(finding(analysis, DIMENSION, "passive_voice", "info",
                    "Passive voice hides who does what.", passive[0], passive[1],
                    "Say who does it: 'I will ...', 'Sam (your carer) will ...'."))
        acronyms = _ACRONYM.findall(unit.text)
        total_acronyms += len(acronyms)
        if len(acronyms) >= 3:
            dense_units += 1
            if dense_units <= MAX_FINDINGS_PER_CODE:
                findings.append(finding(analysis, DIMENSION, "dense_acronyms", "warning",
                    f"{len(acronyms)} acronyms in one sentence.", unit.start, unit.end,
                    "Use the words instead of the letters.", data={"acronyms": len(acronyms)}))
    units = len(lengths)
    if units == 0 or total_words == 0:
        return CheckResult(0.0, "No readable sentences found.", {"sentences": 0, "words": 0}, findings)
    wps = total_words / units
    spw = total_syll / total_words
    fre = 206.835 - 1.015 * wps - 84.6 * spw
    fk = 0.39 * wps + 11.8 * spw - 15.59
    reading_age = max(5.0, fk + 5)
    target = target_reading_age(facts, rubric)
    long_share = long_units / units
    passive_share = passive_units / units
    acronym_density = 100 * total_acronyms / total_words
    gap = reading_age - target
    # Every point lost, by where it was lost: the summary names each (no silent deductions).
    lost = {
        "points_lost_reading_age": points_for_years_over(gap, s.points_per_year_over),
        "points_lost_long_sentences": long_share * s.penalty_long_sentence_share,
        "points_lost_passive": passive_share * s.penalty_passive_share,
        "points_lost_acronyms": min(s.max_acronym_penalty, acronym_density * s.penalty_per_acronym_per_100_words),
    }
    score = clamp(100 - sum(lost.values()))
    metrics: dict[str, float | int] = {
        "flesch_reading_ease": round(fre, 1),
        "flesch_kincaid_grade": round(fk, 1),
        "reading_age": round(reading_age, 1),
        "target_reading_age": target,
        "words_per_sentence": round(wps, 1),
        "sentence_length_sd": round(statistics.pstdev(lengths), 1),
        "max_sentence_words": max(lengths),
        "long_sentences": long_units,
        "passive_sentences": passive_units,
        "long_sentence_share": round(long_share, 3),
        "passive_share": round(passive_share, 3),
        "acronyms_per_100_words": round(acronym_density, 1),
        **{k: round(v, 1) for k, v in lost.items()},
    }
    if gap <= 0:
        verdict = "readable for the child"
    elif lost["points_lost_reading_age"] < 0.5:
        verdict = "at the target"  # a fraction of a year over costs nothing a reader could see ("-0")
    elif gap < 1:
        verdict = f"under a year too hard, -{lost['points_lost_reading_age']:.0f}"
    else:
        years = round(gap)
        verdict = f"{years} year{'s' if years != 1 else ''} too hard, -{lost['points_lost_reading_age']:.0f}"
    parts = [f"Reading age about {reading_age:.0f} against a target of {target} ({verdict})",
             f"{wps:.0f} words a sentence on average"]
    if long_units:
        parts.append(f"{long_units} sentence{'s' if long_units != 1 else ''} over {s.long_sentence_words} words"
                     + (f" -{lost['points_lost_long_sentences']:.0f}" if lost["points_lost_long_sentences"] >= 0.5 else ""))
    if lost["points_lost_passive"] >= 0.5:
        parts.append(f"{passive_units} passive sentence{'s' if passive_units != 1 else ''} "
                     f"-{lost['points_lost_passive']:.0f}")
    if lost["points_lost_acronyms"] >= 0.5:
        parts.append(f"{count(round(acronym_density), 'acronym')} per 100 words -{lost['points_lost_acronyms']:.0f}")
    summary = "; ".join(parts) + "."
    return CheckResult(score, summary, metrics, findings)
