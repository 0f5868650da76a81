"""The check's settings, and each draft action's problems, findings and penalty, into the score."""

from __future__ import annotations

from pydantic import Field

from analyser import dates
from analyser.checks import ACTIONS, CheckContext, CheckResult, clamp, finding, phrase_finding
from analyser.nlp import Analysis
from analyser.report import Action, Finding
from analyser.rubric import CheckSettings, Rubric
from analyser.rules import Match
from analyser.wording import count
from analyser.checks.timebound_actions.sentences import Draft


DIMENSION = "timebound_actions"


class TimeboundSettings(CheckSettings):
    penalty_no_owner: float = Field(ge=0, le=100)
    penalty_no_deadline: float = Field(ge=0, le=100)
    penalty_vague_timescale: float = Field(ge=0, le=100)
    penalty_vague_verb: float = Field(ge=0, le=100)
    penalty_deadline_past: float = Field(ge=0, le=100)
    score_no_actions: float = Field(ge=0, le=100)
    requires_actions: list[str]


def is_vague_verb(verb: tuple[int, int, str] | None, rubric: Rubric) -> bool:
    if verb is None:
        return False
    lexicon = set(rubric.rule("vague_verbs").terms)
    phrase = verb[2].lower()
    return phrase in lexicon or phrase.split()[0] in lexicon


def score_drafts(ctx: CheckContext[TimeboundSettings], drafts: list[Draft]) -> CheckResult:
    """Each draft's problems and findings, the per-action penalties into the score, and the actions."""
    analysis, facts, rubric = ctx.analysis, ctx.facts, ctx.rubric
    settings = ctx.settings
    text = analysis.text
    actions: list[Action] = []
    findings: list[Finding] = []
    per_action_scores: list[float] = []
    counts = {"no_owner": 0, "not_timebound": 0, "vague_timescale": 0, "vague_verb": 0, "deadline_past": 0}
    for d in drafts:
        problems: list[str] = []
        penalty = 0.0
        dl = d.deadline
        timebound = False
        if dl is not None:
            if dl.kind == "review" and dl.value is None:
                problems.append("next_review_unknown")
                findings.append(finding(analysis, DIMENSION, "next_review_unknown", "warning",
                    "The action is due 'by the next review', but the record gives no next review date.",
                    dl.start, dl.end, "State the next review date in the record, or give a date here.",
                    term=dl.text, data={"action": len(actions) + 1}))
            elif dl.kind == "open":
                pass
            elif dl.kind == "calendar":
                problems.append("school_date_unknown")
                findings.append(_calendar_finding(analysis, dl.start, dl.end, dl.text, len(actions) + 1))
            else:
                timebound = dl.value is not None or dl.kind in ("recurring", "relative")
        if not timebound:
            if d.vague:
                vs, ve, vt = d.vague[0]
                problems.append("vague_timescale")
                counts["vague_timescale"] += 1
                penalty += settings.penalty_vague_timescale
                f = phrase_finding(analysis, rubric.rule("vague_timescales"), Match(vs, ve, vt))
                findings.append(f.model_copy(update={"data": {"action": len(actions) + 1}}))
            elif "next_review_unknown" not in problems and "school_date_unknown" not in problems:
                problems.append("no_deadline")
                penalty += settings.penalty_no_deadline
                findings.append(finding(analysis, DIMENSION, "no_deadline", "warning",
                    "This action has no date or timescale.", d.start, d.end,
                    "Add when it will be done, e.g. 'by 15 March 2025' or 'within 10 working days'.",
                    data={"action": len(actions) + 1}))
            else:
                penalty += settings.penalty_no_deadline
            counts["not_timebound"] += 1
        if d.owner is None:
            problems.append("no_owner")
            counts["no_owner"] += 1
            penalty += settings.penalty_no_owner
            findings.append(finding(analysis, DIMENSION, "no_owner", "warning",
                "Nobody is named to do this.", d.start, d.end,
                "Say who will do it, e.g. 'Jo (your social worker) will ...' or 'Mum will ...'.",
                data={"action": len(actions) + 1}))
        if is_vague_verb(d.verb, rubric) and not d.measurable:
            assert d.verb is not None
            problems.append("vague_verb")
            counts["vague_verb"] += 1
            penalty += settings.penalty_vague_verb
            f = phrase_finding(analysis, rubric.rule("vague_verbs"), Match(d.verb[0], d.verb[1], text[d.verb[0]:d.verb[1]]))
            findings.append(f.model_copy(update={"term": d.verb[2], "data": {"action": len(actions) + 1}}))
        if dl is not None and dl.value is not None and facts.date is not None and dl.kind == "absolute" and dl.value < facts.date:
            problems.append("deadline_past")
            counts["deadline_past"] += 1
            penalty += settings.penalty_deadline_past
            findings.append(finding(analysis, DIMENSION, "deadline_past", "warning",
                f"The deadline ({dates.long_date(dl.value)}) had already passed when the record was written ({dates.long_date(facts.date)}).",
                dl.start, dl.end, "Give a new date, or record the action as done.", term=dl.text,
                data={"action": len(actions) + 1, "deadline": dl.value.isoformat(), "record_date": facts.date.isoformat()}))
        per_action_scores.append(max(0.0, 100.0 - penalty))
        actions.append(Action(
            text=text[d.start : d.end],
            start=d.start,
            end=d.end,
            owner=_owner_words(d.resolved or d.owner[2]) if d.owner else None,
            owner_text=_owner_words(d.owner[2]) if d.owner else None,
            deadline_text=dl.text if dl is not None else (d.vague[0][2] if d.vague else None),
            deadline=dl.value.isoformat() if dl is not None and dl.value is not None else None,
            timebound=timebound,
            problems=problems,
            number=d.number,
        ))

    n = len(actions)
    timebound_n = sum(a.timebound for a in actions)
    owned = sum(a.owner is not None for a in actions)
    metrics: dict[str, float | int] = {
        "actions": n,
        "timebound": timebound_n,
        "with_owner": owned,
        "smart": sum(not a.problems for a in actions),
        "vague_timescales": counts["vague_timescale"],
        "vague_verbs": counts["vague_verb"],
        "deadlines_past": counts["deadline_past"],
        "timebound_share": round(timebound_n / n, 3) if n else 0.0,
        "owner_share": round(owned / n, 3) if n else 0.0,
    }
    if n == 0:
        if facts.doc_type in settings.requires_actions:
            findings.append(finding(analysis, DIMENSION, "no_actions", "error",
                "No actions found: the record does not say who will do what by when.", 0, 0,
                "Add the plan's actions, each with a named person and a date, e.g. "
                "'Jo (your social worker) will book your health assessment by 15 March 2025.'"))
            return CheckResult(settings.score_no_actions, "No actions found.", metrics, findings).provide(ACTIONS, actions)
        # Nothing is required of it and it has none: not scored (no free marks), left out of the overall.
        return CheckResult(None, "Not scored: no actions found, and none are expected of this kind of record.",
                           metrics, findings).provide(ACTIONS, actions)
    score = clamp(sum(per_action_scores) / n)
    head = (  # "1 of 1 names who ..." reads as a plural: one action is said as one
        f"The one action {'is' if timebound_n else 'is not'} timebound and {'names' if owned else 'does not name'} who will do it"
        if n == 1 else f"{timebound_n} of {count(n, 'action')} are timebound and {owned} of {n} name who will do them")
    summary = (
        head
        + (f"; {counts['vague_timescale']} with a vague timescale" if counts["vague_timescale"] else "")
        + (f"; {count(counts['deadline_past'], 'deadline')} had already passed" if counts["deadline_past"] else "")
        + "."
    )
    return CheckResult(score, summary, metrics, findings).provide(ACTIONS, actions)


def _calendar_finding(analysis: Analysis, start: int, end: int, words: str, number: int) -> Finding:
    """Issue 19 item 7: a school-calendar point is a date only where the record says when it is."""
    return finding(analysis, DIMENSION, "school_date_unknown", "warning",
                   f"'{words}' depends on the school calendar, and the record does not say when it is.",
                   start, end, "Give the date, e.g. 'by Friday 23 May 2025 (the day school breaks up)'.",
                   term=words, data={"action": number})


def _owner_words(words: str) -> str | None:
    """An owner as a report shows it: a name broken over a PDF's page ("Mrs Pennington\n\nwill ask") is one
    name, and the Markdown of a bold label before it ("**Health.** Jo will ...") is not part of it."""
    return " ".join(words.split()).strip("*_# ") or None
