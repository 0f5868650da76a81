"""Plan detail: are the sections this kind of record needs there, and do they say anything?

A section is found by its heading, or (for prose letters without headings) by sentences on its
subject. It is substantive when it has enough words and specifics (names, dates, numbers), and thin
when it is filled with "no concerns", "as per plan", "stable".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import Field, model_validator

from analyser.checks import ACTIONS, CheckContext, CheckResult, clamp, finding, phrase_finding
from analyser.nlp import Unit
from analyser.report import Finding
from analyser.registry import Appearance, register
from analyser.rubric import CheckSettings, Rubric, Section, compile_phrases
from analyser.rules import Match

DIMENSION = "plan_detail"


class PlanDetailSettings(CheckSettings):
    min_section_words: int = Field(ge=1)
    thin_section_credit: float = Field(ge=0, le=1)
    filler_penalty: float = Field(ge=0)
    weight_sections: float = Field(ge=0, le=1)
    weight_specifics: float = Field(ge=0, le=1)
    weight_actions: float = Field(ge=0, le=1)
    specifics_per_100_words_for_full_marks: float = Field(gt=0)
    actions_for_full_marks: int = Field(ge=1)

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> PlanDetailSettings:
        total = self.weight_sections + self.weight_specifics + self.weight_actions
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"weight_sections + weight_specifics + weight_actions must be 1 (is {total:g})")
        return self

_SPECIFIC = re.compile(
    r"\d|£|%|\b(Mr|Mrs|Ms|Miss|Dr)\b|\b(January|February|March|April|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_INLINE_LABEL = re.compile(r"^\s*([A-Za-z][\w '’/&()-]{2,50}?)\s*[:–-]\s+\S")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


@dataclass
class _Found:
    key: str
    units: list[Unit] = field(default_factory=list)
    heading: Unit | None = None


def _section_matchers(sections: dict[str, Section]) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    return {k: (compile_phrases(list(s.headings)), compile_phrases(list(s.content))) for k, s in sections.items()}


_MATCHER_CACHE: dict[int, dict[str, tuple[re.Pattern[str], re.Pattern[str]]]] = {}


def _matchers(rubric: Rubric) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
    key = id(rubric.lexicons)
    if key not in _MATCHER_CACHE:
        _MATCHER_CACHE[key] = _section_matchers(rubric.lexicons.sections)
    return _MATCHER_CACHE[key]


def _specifics(units: list[Unit]) -> int:
    n = 0
    for u in units:
        n += len(_SPECIFIC.findall(u.text))
        n += len(_CAPITALISED.findall(u.text))
    return n


def _words(units: list[Unit]) -> int:
    return sum(len(u.text.split()) for u in units)


def _is_filler(units: list[Unit], filler: re.Pattern[str]) -> bool:
    text = " ".join(u.text for u in units)
    stripped = filler.sub("", text)
    return bool(filler.search(text)) and len(re.findall(r"[A-Za-z]{3,}", stripped)) < 6


@register(
    DIMENSION, settings=PlanDetailSettings, weight=0.3, order=40, requires=(ACTIONS,),
    metrics=("sections_required", "sections_present", "sections_substantive", "sections_thin", "filler_phrases",
             "specifics_per_100_words", "owned_timebound_actions"),
    appearance=Appearance("Plan detail", "the sections this plan needs, with specifics", "#8e44ad", "#e8d9f0", "on purple4"),
)
def check(ctx: CheckContext[PlanDetailSettings]) -> CheckResult:
    """Score whether the required sections are present and substantive."""
    analysis, facts, rubric = ctx.analysis, ctx.facts, ctx.rubric
    s = ctx.settings
    lex = rubric.lexicons
    required = lex.required_sections.get(facts.doc_type, ())
    matchers = _matchers(rubric)
    filler_rule = rubric.rule("filler")
    filler = filler_rule.pattern
    findings: list[Finding] = []

    # Group units under their headings, and map headings to the sections they name.
    by_heading: dict[int, list[Unit]] = {}
    headings: dict[int, Unit] = {}
    for u in analysis.units:
        if u.kind == "heading":
            headings[u.block] = u
        else:
            by_heading.setdefault(u.section, []).append(u)
    found: dict[str, _Found] = {}
    for block_idx, hu in headings.items():
        label = hu.text.lower()
        for key in required:
            head_re, _ = matchers[key]
            if head_re.search(label):
                f = found.setdefault(key, _Found(key))
                f.heading = f.heading or hu
                f.units.extend(by_heading.get(block_idx, []))
    # Inline labels: "Attendance: SW, FC, IRO." or "Health - RHA due in May" open a section in the line.
    body = [u for u in analysis.units if u.kind != "heading"]
    blocks = analysis.document.blocks
    for u in body:
        if u.kind == "table_row" and blocks[u.block].cells:
            # An "Area | Need | Action" table: the first cell names the section.
            s0, e0 = blocks[u.block].cells[0]
            label = analysis.text[s0:e0].lower()
            if len(label.split()) > 6:
                continue
        else:
            m = _INLINE_LABEL.match(u.text)
            if not m:
                continue
            label = m.group(1).lower()
        for key in required:
            head_re, _ = matchers[key]
            if head_re.search(label):
                f = found.setdefault(key, _Found(key))
                f.units.extend(x for x in body if x.block == u.block)
    # Sections written as prose without a heading: sentences on the subject.
    for key in required:
        if key in found:
            continue
        _, content_re = matchers[key]
        hits = [u for u in body if content_re.search(u.text)]
        if hits:
            found[key] = _Found(key, hits)
    if "next_review" in required and facts.next_review is not None:
        found.setdefault("next_review", _Found("next_review", []))

    credits: list[float] = []
    missing: list[str] = []
    thin: list[str] = []
    for key in required:
        label = lex.sections[key].label
        section = found.get(key)
        if section is None:
            credits.append(0.0)
            missing.append(label)
            findings.append(finding(analysis, DIMENSION, "missing_section", "warning",
                f"No section on {label}.", 0, 0,
                f"Add a section on {label}, with names, dates and what will happen.",
                term=lex.sections[key].name, data={"section": key, "section_name": lex.sections[key].name}))
            continue
        if key == "next_review" and facts.next_review is not None:
            credits.append(1.0)
            continue
        words = _words(section.units)
        specifics = _specifics(section.units)
        if section.units and _is_filler(section.units, filler):
            credits.append(s.thin_section_credit * 0.5)
            thin.append(label)
            m = filler.search(" ".join(u.text for u in section.units))
            span_unit = section.units[0]
            said = Match(span_unit.start, span_unit.end, m.group(0) if m else span_unit.text)
            f_ = phrase_finding(analysis, filler_rule, said, label=label)
            findings.append(f_.model_copy(update={"term": m.group(0) if m else None,
                                                  "data": {"section": key, "section_name": lex.sections[key].name}}))
        elif words < s.min_section_words and specifics < 2:
            # Short and unspecific; a short line with a name and a date ("PA: Leanne Cox, from 14 October") is enough.
            credits.append(s.thin_section_credit)
            thin.append(label)
            anchor = section.heading or (section.units[0] if section.units else None)
            if anchor is not None:
                findings.append(finding(analysis, DIMENSION, "thin_section", "warning",
                    f"The {label} section is thin ({words} words).",
                    anchor.start, anchor.end,
                    "Add specifics: who is involved, dates, and what will change.",
                    term=lex.sections[key].name, data={"section": key, "section_name": lex.sections[key].name,
                                                       "words": words}))
        else:
            credits.append(1.0)

    filler_hits = len(filler.findall(analysis.text))
    metrics: dict[str, float | int] = {
        "sections_required": len(required),
        "sections_present": len(required) - len(missing),
        "sections_substantive": sum(1 for c in credits if c >= 1.0),
        "sections_thin": len(thin),
        "filler_phrases": filler_hits,
        "specifics_per_100_words": round(100 * _specifics(body) / max(1, analysis.words), 1),
    }
    if not required:
        density = metrics["specifics_per_100_words"]
        score = clamp(40 + 6 * float(density))
        return CheckResult(score, "No sections are required for this kind of record.", metrics, findings)
    sections_score = 100 * sum(credits) / len(required) - s.filler_penalty * max(0, filler_hits - 1)
    # A detailed plan also says who will do what by when: count the owned, timebound actions that the
    # timebound-actions check found (it provides them; the registry runs it first).
    planned = sum(1 for a in ctx.get(ACTIONS) if a.owner and a.timebound)
    metrics["owned_timebound_actions"] = planned
    specifics_score = min(100.0, 100 * float(metrics["specifics_per_100_words"]) / s.specifics_per_100_words_for_full_marks)
    actions_score = 100 * min(1.0, planned / s.actions_for_full_marks)
    score = clamp(
        s.weight_sections * sections_score + s.weight_specifics * specifics_score + s.weight_actions * actions_score
    )
    summary = f"{len(required) - len(missing)} of {len(required)} expected sections present"
    if missing:
        summary += "; missing: " + ", ".join(missing[:4]) + ("..." if len(missing) > 4 else "")
    if thin:
        summary += f"; {len(thin)} thin"
    return CheckResult(score, summary + ".", metrics, findings)
