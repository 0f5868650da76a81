"""Child-directed language: is the record written to the child, in words the child would choose?

Counts second-person address against references *about* the child ("the child", "the young person",
"CYP", "he/she"), flags care-system jargon with the preferred words, blaming words and acronyms the
record never spells out, and credits the child's own voice and explained decisions.
"""

from __future__ import annotations

import re

from pydantic import Field

from analyser.checks import CheckContext, CheckResult, clamp, finding, phrase_finding, wants_tags
from analyser.nlp import Analysis, Unit
from analyser.prefilter import word_finditer
from analyser.report import Finding
from analyser.registry import Appearance, register
from analyser.rubric import CheckSettings
from analyser.wording import count

DIMENSION = "child_directed_language"


class ChildLanguageSettings(CheckSettings):
    target_direct_share: float = Field(gt=0, le=1)
    penalty_jargon: float = Field(ge=0)
    penalty_blaming: float = Field(ge=0)
    penalty_unexplained_acronym: float = Field(ge=0)
    max_penalty_per_kind: float = Field(ge=0)
    credit_child_voice: float = Field(ge=0)
    credit_because: float = Field(ge=0)

MAX_FINDINGS_PER_CODE = 12

SECOND_PERSON = {"you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd"}
THIRD_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
ABOUT_CHILD = re.compile(
    r"\b(the child|this child|the young person|this young person|the baby|the infant|the subject|"
    r"the looked[- ]after child|the yp|he/she|she/he|his/her|her/his|him/her|s/he)\b|\b(CYP|YP|LAC|CLA|CiC)\b(?!\s+(?:review|nurse|nurses|team|health|service|services|procedures?|"
    r"regulations|status|doctor|medical|council|forum|meeting|co-?ordinator|coordinator|manager|worker|plan)\b)",
    re.IGNORECASE,
)
_CASE_SENSITIVE_ABOUT = {"cyp", "yp", "lac", "cla", "cic"}
CHILD_VOICE = re.compile(
    r"\b(you told me|you said|you have told|you've told|you wrote|you drew|you asked|in your (own )?words|"
    r"you shared|you explained|you let me know|you were clear|you would like|you want(ed)?|your wishes|"
    r"you are proud|you chose)\b|[\"“][^\"”\n]{3,200}[\"”]",
    re.IGNORECASE,
)
BECAUSE = re.compile(r"\b(because|so that|this is why|that is why|the reason)\b", re.IGNORECASE)
STRENGTHS = re.compile(
    r"\b(proud|well done|you are (really )?good at|strengths?|achieved|brilliant|amazing|fantastic|"
    r"you have done (so |really )?well|you worked hard|kind|funny|caring|talented)\b",
    re.IGNORECASE,
)
# Words that are jargon only as nouns ("contact" as family time, not "I will contact school").
_VERB_TOO = {"contact", "presenting", "sanctions", "progress"}
_PARENTHESISED = re.compile(r"\(\s*([A-Z][A-Za-z]{1,6}s?)\s*\)")


# "Millbourne Leaving Care Service", "the 16+ Leaving Care Team": a service's name, which the child will
# see on letters and doors, is not jargon the writer chose.
_NAME_AFTER = re.compile(r"[ \t]+(?:Team|Service|Services|Hub|Project|Unit|Panel|Partnership)\b")
_WORK_BEFORE = re.compile(r"\b(?:work|work experience|college|course|job|apprenticeship)[ \t]+$", re.IGNORECASE)


def _jargon_in_place(text: str, start: int, end: int, swap: str | None) -> bool:
    """Whether a jargon term stands where it is not jargon to fix: in a service's name, as a line on its
    own (the record's title "Pathway Plan"), as a work placement, or explained at once ("your pathway plan,
    your plan for the future", "Your plan for the future (pathway plan)")."""
    term = text[start:end]
    if term[:1].isupper() and _NAME_AFTER.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if not text[line_start:start].strip(" \t#*_") and not text[end : line_end if line_end != -1 else len(text)].strip(" \t*_:"):
        return True
    if term.lower() == "placement" and _WORK_BEFORE.search(text[max(0, start - 30) : start]):
        return True
    if swap:
        after = text[end : end + 80].lower().split(".")[0]
        before = text[max(0, start - 80) : start].lower().rsplit(".", 1)[-1]  # "Your plan for the future (pathway plan)"
        first = re.split(r"[,;(]| or ", swap)[0].strip().lower()
        if first and len(first) > 3 and (first in after or first in before):
            return True
    return False


def _jargon_is_noun(analysis: Analysis, start: int, term: str) -> bool:
    if term.lower() not in _VERB_TOO:
        return True
    for unit in analysis.units:
        if unit.start <= start < unit.end and unit.doc is not None:
            for t in unit.doc:
                if unit.start + t.idx == start:
                    return not t.tag_.startswith("VB")
    return True


@wants_tags(DIMENSION)
def _reads_tags(unit: Unit) -> list[int]:
    """The tokens :func:`_jargon_is_noun` reads tags on: the words that are jargon only as nouns."""
    return [] if unit.doc is None else [t.i for t in unit.doc if t.lower_ in _VERB_TOO]


def _acronym_explained(text: str, acronym: str, expansion: str) -> bool:
    """Spelled out somewhere: the expansion appears, or 'Long Form (ACR)' / 'ACR (long form)'."""
    if re.search(re.escape(expansion.split("(")[0].strip()), text, re.IGNORECASE):
        return True
    return any(word_finditer(acronym, text, r"\s*\([a-z][^)]{3,}\)", re.IGNORECASE)) or bool(
        re.search(rf"\([^)]*\b{re.escape(acronym)}\b[^)]*\)", text)
    )


@register(
    DIMENSION, settings=ChildLanguageSettings, weight=0.2, order=20,
    metrics=("second_person", "about_child_references", "third_person_pronouns", "name_mentions", "direct_share",
             "jargon", "blaming", "unexplained_acronyms", "child_voice", "explanations", "strengths"),
    appearance=Appearance("To the child", "written to the child, without jargon or blame", "#3b73b9", "#d6e4f5", "on dark_blue"),
)
def check(ctx: CheckContext[ChildLanguageSettings]) -> CheckResult:
    """Score how far the record speaks to the child, and flag words that talk about them."""
    analysis, facts, rubric = ctx.analysis, ctx.facts, ctx.rubric
    s = ctx.settings
    lex = rubric.lexicons
    text = analysis.text
    findings: list[Finding] = []
    second = third = name_mentions = 0
    for unit in analysis.body_units():
        if unit.doc is None:
            continue
        for t in unit.doc:
            low = t.lower_
            if low in SECOND_PERSON:
                second += 1
            elif low in THIRD_PRONOUNS:
                third += 1
            elif facts.child_name and t.text == facts.child_name:
                name_mentions += 1

    # References about the child, with evidence.
    about = []
    for m in ABOUT_CHILD.finditer(text):
        word = m.group(0)
        if word.lower() in _CASE_SENSITIVE_ABOUT and not word.isupper() and word != "CiC":
            continue
        about.append(m)
    # "You" addresses the child only in a record written to the child: in a letter to a parent or the
    # carers it is them, and the child is written about in the third person however warm the letter is.
    addressee = facts.discourse.addressee if facts.discourse else None
    written_to_other = addressee is not None and addressee.role in ("parent", "carer", "professional")
    if written_to_other:
        second = 0
        third += name_mentions
    direct_share = second / (second + len(about) + 0.5 * third) if (second + len(about) + third) else 0.0
    if written_to_other and addressee is not None:
        who = facts.child_name or "the child"
        to = addressee.name or {"parent": "a parent", "carer": "the carers", "professional": "a professional"}[addressee.role]
        at = max(0, addressee.start)
        end = at + len(addressee.name) if addressee.start >= 0 and addressee.name else at
        findings.append(finding(analysis, DIMENSION, "written_to_other", "warning",
            f"This letter is written to {to}; {who}'s own record should be written to {who}.", at, end,
            f"Write {who}'s record to {who} ('you', 'your'), and send {to} a copy or a separate letter.",
            term=addressee.name, data={"addressee": addressee.role}))
    if direct_share < 0.5:
        for m in about[:MAX_FINDINGS_PER_CODE]:
            who = facts.child_name or "the child"
            findings.append(finding(analysis, DIMENSION, "written_about_child", "warning",
                f"'{m.group(0)}' writes about {who} instead of to them.", m.start(), m.end(),
                f"Write to {who}: 'you', 'your' or their name.", term=m.group(0)))
        if not about and third and second == 0 and analysis.words > 40:
            findings.append(finding(analysis, DIMENSION, "written_about_child", "warning",
                "The record talks about the child in the third person ('he', 'she') and never to them.",
                0, 0, "Write to the child: 'you', 'your', and say 'I' for yourself."))

    jargon_hits = 0
    jargon, blaming = rubric.rule("jargon"), rubric.rule("blaming")
    blaming_spans: list[tuple[int, int]] = []
    blaming_hits = 0
    for hit in blaming.finditer(text):
        blaming_hits += 1
        blaming_spans.append((hit.start, hit.end))
        if blaming_hits <= (blaming.spec.max_findings or MAX_FINDINGS_PER_CODE):
            findings.append(phrase_finding(analysis, blaming, hit, swap=blaming.swap_for(hit.text)))
    for hit in jargon.finditer(text):
        if any(s0 <= hit.start < e0 for s0, e0 in blaming_spans):
            continue
        if not _jargon_is_noun(analysis, hit.start, hit.text):
            continue
        if _jargon_in_place(text, hit.start, hit.end, jargon.swap_for(hit.text)):
            continue
        jargon_hits += 1
        if jargon_hits <= (jargon.spec.max_findings or MAX_FINDINGS_PER_CODE):
            findings.append(phrase_finding(analysis, jargon, hit, swap=jargon.swap_for(hit.text) or None))

    acronym_hits = 0
    seen: set[str] = set()
    for acronym, expansion in lex.acronyms.items():
        if acronym not in text:  # a plain substring test first: most acronyms are absent, the regex is slow
            continue
        for m in word_finditer(acronym, text, r"(?![\w/])", before=r"(?<![\w/])"):
            if acronym in seen:
                break
            seen.add(acronym)
            if _acronym_explained(text, acronym, expansion):
                break
            acronym_hits += 1
            findings.append(finding(analysis, DIMENSION, "unexplained_acronym", "info",
                f"'{acronym}' is never spelled out.", m.start(), m.end(),
                f"Spell it out the first time: {expansion} ({acronym}), or use plain words.",
                term=acronym, data={"expansion": expansion}))

    voice = len(CHILD_VOICE.findall(text))
    because = len(BECAUSE.findall(text))
    strengths = len(STRENGTHS.findall(text))
    cap = s.max_penalty_per_kind
    penalty = (
        min(cap, jargon_hits * s.penalty_jargon)
        + min(cap, blaming_hits * s.penalty_blaming)
        + min(cap, acronym_hits * s.penalty_unexplained_acronym)
    )
    credit = min(2, voice) * s.credit_child_voice + min(2, because) * s.credit_because + (4 if strengths else 0)
    base = 20 + 60 * min(1.0, direct_share / s.target_direct_share)
    score = clamp(base + credit - penalty)
    if written_to_other and addressee is not None:
        summary = f"Written to {addressee.name or 'someone else'} ({addressee.role}), about the child in the third person"
    elif direct_share >= 0.5:
        summary = f"Written to the child ({round(100 * direct_share)}% of references are 'you')"
    elif about:
        summary = (f"Written about the child ({count(len(about), 'reference')} like 'the child' or 'the young person', "
                   f"{count(second, 'use')} of 'you')")
    else:
        summary = f"Written about the child in the third person ({count(third, 'use')} of 'he', 'she', 'his', 'her'; {second} of 'you')"
    extras = []
    if jargon_hits:
        extras.append(count(jargon_hits, "jargon term"))
    if blaming_hits:
        extras.append(count(blaming_hits, "blaming word"))
    if acronym_hits:
        extras.append(count(acronym_hits, "unexplained acronym"))
    summary += ("; " + ", ".join(extras) if extras else "") + "."
    metrics: dict[str, float | int] = {
        "second_person": second,
        "about_child_references": len(about),
        "third_person_pronouns": third,
        "name_mentions": name_mentions,
        "direct_share": round(direct_share, 3),
        "jargon": jargon_hits,
        "blaming": blaming_hits,
        "unexplained_acronyms": acronym_hits,
        "child_voice": voice,
        "explanations": because,
        "strengths": strengths,
    }
    return CheckResult(score, summary, metrics, findings)
