"""Plan detail: are the sections this kind of record needs there, and do they say anything?

A section is found by its heading, or (for prose letters without headings) by sentences on its
subject. It is substantive when it has enough words and specifics (names, dates, numbers). Filler ("no
concerns", "as per plan", "stable", "being met", "TBC") makes it thin however many words surround it,
unless the section also names people, dates or numbers; a section that is only filler is thinner still.

Nothing is scored for free: a record whose type caseqa cannot read needs no particular sections, so its
plan detail is *not scored* (a finding names ``--doc-type``), and a record with almost no content is
scored as what it is, nearly empty. Every point lost is in the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import Field, model_validator

from analyser.checks import ACTIONS, CheckContext, CheckResult, clamp, finding, phrase_finding
from analyser.nlp import Analysis, Unit
from analyser.report import Finding, FindingValue
from analyser.registry import Appearance, register
from analyser.rubric import CheckSettings, Rubric, Section, compile_phrases
from analyser.rules import Match
from analyser.wording import capital, count, the

DIMENSION = "plan_detail"


class PlanDetailSettings(CheckSettings):
    min_section_words: int = Field(ge=1)
    thin_section_credit: float = Field(ge=0, le=1)
    filler_only_credit: float = Field(default=0.2, ge=0, le=1)
    filler_rescue_specifics: int = Field(default=2, ge=1)
    filler_penalty: float = Field(ge=0)
    nearly_empty_words: int = Field(default=40, ge=0)
    score_nearly_empty: float = Field(default=5, ge=0, le=100)
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
_QUOTED = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”')
_PLACEHOLDER_CELL = re.compile(r"^\W*(tbc|tba|n/?a|to be confirmed|ongoing)\W*$", re.IGNORECASE)
_HEADER_CHARS = 600  # a record's header fields (name, date, worker) sit in its opening characters
_HEADER_FIELD = re.compile(r"^[A-Z][\w '’/()-]{0,40}:\s*\S")
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


def _specifics_outside(text: str, filler: re.Pattern[str]) -> int:
    """Names, dates and numbers a section gives beside its filler."""
    rest = filler.sub(" ", text)
    return len(_SPECIFIC.findall(rest)) + len(_CAPITALISED.findall(rest))


def _own_words(analysis: Analysis, unit: Unit) -> str:
    """A unit's words in the writer's own voice: the child's quoted words ('You said things are "fine"')
    are not filler, nor is a 'TBC' alone in a table row's date cell beside cells that say what will
    happen (a missing date is timebound actions' finding)."""
    cells = analysis.document.blocks[unit.block].cells if unit.kind == "table_row" else None
    text = unit.text
    if cells:
        texts = [analysis.text[a:b] for a, b in cells]
        kept = [t for t in texts if not _PLACEHOLDER_CELL.match(t)]
        text = " ".join(kept or texts)
    return _QUOTED.sub(" ", text)


# A line this short with filler in it ("PEP ongoing.", "Placement stable.") is only the filler.
SHORT_FILLER_WORDS = 4
NUMBER_OR_DATE = re.compile(r"\d")


def _words(units: list[Unit]) -> int:
    return sum(len(u.text.split()) for u in units)


def _only_filler(text: str, filler: re.Pattern[str]) -> bool:
    """The section says nothing but its filler ("No concerns.", "Health needs are being met.")."""
    return len(re.findall(r"[A-Za-z]{3,}", filler.sub("", text))) < 6


def _content_words(analysis_units: list[Unit]) -> int:
    """Words of the record's body: not headings, not the short 'Name: ...' fields of its header."""
    return sum(len(u.text.split()) for u in analysis_units
               if u.kind != "heading" and not (u.start < _HEADER_CHARS and _HEADER_FIELD.match(u.text)
                                               and len(u.text.split()) <= 8))


@register(
    DIMENSION, settings=PlanDetailSettings, weight=0.3, order=40, requires=(ACTIONS,),
    metrics=("sections_required", "sections_present", "sections_substantive", "sections_thin", "filler_phrases",
             "specifics_per_100_words", "owned_timebound_actions", "content_words", "points_lost_sections",
             "points_lost_filler", "points_lost_specifics", "points_lost_actions"),
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
    # The record's stock phrases, scanned for once (the count, the penalty and the summary read them).
    filler_found = [m.group(0) for m in filler.finditer(analysis.text)]
    findings: list[Finding] = []
    body = [u for u in analysis.units if u.kind != "heading"]
    content_words = _content_words(analysis.units)
    metrics: dict[str, float | int] = {
        "sections_required": len(required),
        "filler_phrases": len(filler_found),
        "specifics_per_100_words": round(100 * _specifics(body) / max(1, analysis.words), 1),
        "content_words": content_words,
    }
    if content_words < s.nearly_empty_words:
        # Scored as what it is, whatever its type: a heading or two and a line under them.
        findings.append(finding(analysis, DIMENSION, "nearly_empty", "error",
            f"The record is nearly empty: {content_words} words of content under its headings.", 0, 0,
            "Write what is happening for the child, who will do what by when, and what the child thinks.",
            data={"words": content_words}))
        return CheckResult(s.score_nearly_empty, f"Nearly empty: {content_words} words of content (a record needs at "
                           f"least {s.nearly_empty_words} to be assessed).", metrics, findings)
    if not required:
        if not facts.doc_type_given:
            findings.append(finding(analysis, DIMENSION, "doc_type_unknown", "info",
                "caseqa could not read this record as a care plan, review minutes or a pathway plan, so its "
                "plan detail is not scored.", 0, 0,
                "If it is one of them, give its type: --doc-type care_plan, review_minutes or pathway_plan "
                "(doc_type in the API).", data={"doc_type": facts.doc_type}))
        return CheckResult(None, f"Not scored: no sections are required of a record of type '{facts.doc_type}'"
                           + ("." if facts.doc_type_given else
                              " (caseqa could not read it as a care plan, review minutes or a pathway plan; "
                              "give --doc-type)."), metrics, findings)

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
        ids: dict[str, FindingValue] = {"section": key, "section_name": lex.sections[key].name}
        section = found.get(key)
        if section is None:
            credits.append(0.0)
            missing.append(label)
            findings.append(finding(analysis, DIMENSION, "missing_section", "warning",
                f"No section on {label}.", 0, 0,
                f"Add a section on {label}, with names, dates and what will happen.",
                term=lex.sections[key].name, data=ids))
            continue
        if key == "next_review" and facts.next_review is not None:
            credits.append(1.0)
            continue
        words = _words(section.units)
        # A sentence with filler counts only if it also names people, dates or numbers: "The child is
        # placed with carers which is stable." says nothing, however long; the other sentences are judged
        # on their own words and specifics.
        own = [_own_words(analysis, u) for u in section.units]
        with_filler = [filler.search(t) for t in own]
        content = [u for u, t, f in zip(section.units, own, with_filler, strict=True)
                   if f is None or _specifics_outside(t, filler) >= s.filler_rescue_specifics]
        m = next((f for f in with_filler if f is not None), None)
        anchor = section.heading or (section.units[0] if section.units else None)
        if _words(content) >= s.min_section_words or _specifics(content) >= 2:
            credits.append(1.0)
            # The section says enough, but a short line in it says only filler ("PEP ongoing.", "Stable."):
            # point at that line, which tells the child nothing.
            for u, t, said in zip(section.units, own, with_filler, strict=True):
                if (said is not None and u not in content and u.kind != "heading"
                        and len(t.split()) <= SHORT_FILLER_WORDS and not NUMBER_OR_DATE.search(t)):
                    findings.append(finding(analysis, DIMENSION, "filler_sentence", "warning",
                        f"'{u.text.strip()}' says nothing specific about {label}.", u.start, u.end,
                        "Say what is happening: who is involved, what will change, and by when.",
                        term=said.group(0), data={**ids, "filler": said.group(0)}))
        elif m is not None and not content and _only_filler(" ".join(own), filler):
            # Nothing but "No concerns." / "TBC." / "Health needs are being met."
            credits.append(s.filler_only_credit)
            thin.append(label)
            span_unit = section.units[0]
            f_ = phrase_finding(analysis, filler_rule, Match(span_unit.start, span_unit.end, m.group(0)), label=label,
                                section=f"{capital(the(label))} section")
            findings.append(f_.model_copy(update={"term": m.group(0), "data": {**ids, "filler": m.group(0)}}))
        elif m is not None:
            # Filler with words around it but no one, no date, no number: thin whatever its length.
            credits.append(s.thin_section_credit)
            thin.append(label)
            if anchor is not None:
                findings.append(finding(analysis, DIMENSION, "thin_section", "warning",
                    f"{capital(the(label))} section is thin: '{m.group(0)}' says nothing specific, and it names no one, "
                    "no date and no number.", anchor.start, anchor.end,
                    "Say what is happening: who is involved, what will change, and by when.",
                    term=lex.sections[key].name, data={**ids, "words": words, "filler": m.group(0)}))
        else:
            # Short and unspecific; a short line with a name and a date ("PA: Leanne Cox, from 14 October") is enough.
            credits.append(s.thin_section_credit)
            thin.append(label)
            if anchor is not None:
                findings.append(finding(analysis, DIMENSION, "thin_section", "warning",
                    f"{capital(the(label))} section is thin ({count(words, 'word')}).",
                    anchor.start, anchor.end,
                    "Add specifics: who is involved, dates, and what will change.",
                    term=lex.sections[key].name, data={**ids, "words": words}))

    filler_hits = len(filler_found)
    metrics["sections_present"] = len(required) - len(missing)
    metrics["sections_substantive"] = sum(1 for c in credits if c >= 1.0)
    metrics["sections_thin"] = len(thin)
    sections_score = 100 * sum(credits) / len(required)
    filler_points = s.filler_penalty * max(0, filler_hits - 1)
    # A detailed plan also says who will do what by when: count the owned, timebound actions that the
    # timebound-actions check found (it provides them; the registry runs it first).
    planned = sum(1 for a in ctx.get(ACTIONS) if a.owner and a.timebound)
    metrics["owned_timebound_actions"] = planned
    specifics_score = min(100.0, 100 * float(metrics["specifics_per_100_words"]) / s.specifics_per_100_words_for_full_marks)
    actions_score = 100 * min(1.0, planned / s.actions_for_full_marks)
    # Every point lost, by where it was lost (shown in the summary and the metrics).
    lost = {
        "points_lost_sections": s.weight_sections * (100 - sections_score),
        "points_lost_filler": s.weight_sections * filler_points,
        "points_lost_specifics": s.weight_specifics * (100 - specifics_score),
        "points_lost_actions": s.weight_actions * (100 - actions_score),
    }
    metrics.update({k: round(v, 1) for k, v in lost.items()})
    score = clamp(100 - sum(lost.values()))
    summary = f"{len(required) - len(missing)} of {len(required)} expected sections present"
    if missing:
        summary += "; missing: " + ", ".join(missing[:4]) + ("..." if len(missing) > 4 else "")
    if thin:
        summary += f"; {len(thin)} thin"
    reasons = []
    if lost["points_lost_sections"] >= 0.5:
        reasons.append(f"missing or thin sections -{lost['points_lost_sections']:.0f}")
    if lost["points_lost_filler"] >= 0.5:
        seen = list(dict.fromkeys(phrase.lower() for phrase in filler_found))
        reasons.append(f"{filler_hits} stock phrases (" + ", ".join(f"'{p}'" for p in seen[:3])
                       + (", ..." if len(seen) > 3 else "") + f") -{lost['points_lost_filler']:.0f}")
    if lost["points_lost_specifics"] >= 0.5:
        reasons.append(f"{metrics['specifics_per_100_words']} names, dates and numbers per 100 words (full marks at "
                       f"{s.specifics_per_100_words_for_full_marks:g}) -{lost['points_lost_specifics']:.0f}")
    if lost["points_lost_actions"] >= 0.5:
        # "3 of 6 actions" read as 3 of the record's 6 actions when it had 4: say 6 is the full-marks count.
        reasons.append(f"{count(planned, 'action')} naming who will do {'it' if planned == 1 else 'them'} by when "
                       f"(full marks at {s.actions_for_full_marks:g}) -{lost['points_lost_actions']:.0f}")
    if reasons and score < 100:
        summary += " (" + "; ".join(reasons) + ")"
    return CheckResult(score, summary + ".", metrics, findings)
