"""Timebound actions: who will do what by when.

Finds every action (sentences, bullet items, table rows), its owner and its deadline, and reports what
is missing: no owner, no deadline, a vague timescale, a vague verb with no measurable outcome, or a
deadline already past at the record's date. Past events and the child's quoted wishes are not actions.

One idea a module: :mod:`.cues` (is this sentence a commitment, and what is its verb),
:mod:`.owners` (who will do it), :mod:`.deadlines` (by when), :mod:`.tables` (action tables, read by
column), :mod:`.exclusions` (what looks like an action but is not: progress notes, conditions,
boilerplate), :mod:`.sentences` (one sentence or bullet to a draft action), :mod:`.scoring` (the
problems, findings and score of the drafts). This module walks the record and registers the check.
"""

from __future__ import annotations

from dataclasses import replace

from analyser.checks import ACTIONS, CheckContext, CheckResult, wants_tags
from analyser.facts import Facts
from analyser.nlp import Analysis
from analyser.registry import Appearance, register
from analyser.rubric import Rubric
from analyser.checks.timebound_actions.cues import reads_tags
from analyser.checks.timebound_actions.deadlines import LOOK_BACK_UNITS, back_referenced_deadline, event_deadline, shifted
from analyser.checks.timebound_actions.links import link_drafts
from analyser.checks.timebound_actions.tables import progress_row_still_to_do, task_words
from analyser.checks.timebound_actions.exclusions import ACTION_SECTION, PROGRESS_SECTION, STATUS_ONLY
from analyser.checks.timebound_actions.scoring import DIMENSION, TimeboundSettings, score_drafts
from analyser.checks.timebound_actions.sentences import Draft, unit_action
from analyser.checks.timebound_actions.tables import is_action_table, table_action, table_index

__all__ = ["DIMENSION", "PROGRESS_SECTION", "TimeboundSettings", "check", "find_drafts"]

# The units whose tags :func:`~.cues.find_cue` reads, tagged in one batch before the checks run.
wants_tags(DIMENSION)(reads_tags)


def find_drafts(analysis: Analysis, facts: Facts, rubric: Rubric) -> list[Draft]:
    """Every draft action in the record, in document order: rows of action tables, sentences, bullets."""
    tables = table_index(analysis)
    blocks = analysis.document.blocks
    text = analysis.text
    drafts: list[Draft] = []
    # Rows of a table reviewing the last review's actions that are still to do ("Not done", "Carried
    # forward"): an action only when the record does not ask for the task again elsewhere.
    still_to_do: list[tuple[Draft, set[str]]] = []
    for i, unit in enumerate(analysis.units):
        if unit.kind == "heading":
            continue
        if unit.kind == "table_row":
            table = tables.get(unit.block)
            if table is not None and is_action_table(table):
                if unit.block <= table.header:
                    continue  # the header row, or a title row above it
                # "Progress since the last review (14/01/2025)": the last review's actions, reviewed; a row
                # still to do is the one place its task lives unless this review asks for it again.
                if unit.section >= 0 and PROGRESS_SECTION.search(text[blocks[unit.section].start : blocks[unit.section].end]):
                    pending = progress_row_still_to_do(analysis, unit, table, facts, rubric)
                    if pending is not None:
                        still_to_do.append(pending)
                    continue
                draft = table_action(analysis, unit, table, facts, rubric)
                if draft is not None:
                    drafts.append(draft)
                continue
        heading = text[blocks[unit.section].start : blocks[unit.section].end] if unit.section >= 0 else ""
        # "Jo to update the plan by 20 April. In progress.": the note reports on the action before it.
        if STATUS_ONLY.match(unit.text) and drafts and drafts[-1].end <= unit.start and not text[drafts[-1].end : unit.start].count("\n\n"):
            drafts.pop()
            continue
        in_action_section = bool(heading and ACTION_SECTION.search(heading))
        draft = unit_action(unit, facts, rubric, in_action_section, heading)
        if draft is not None and draft.deadline is None:
            earlier = [u.text for u in analysis.units[max(0, i - LOOK_BACK_UNITS) : i]
                       if u.block == unit.block and u.kind != "heading"]
            back = back_referenced_deadline(unit.text, earlier, facts) or event_deadline(unit.text, text[: unit.start], facts)
            if back is not None:
                draft = replace(draft, deadline=shifted(back, unit.start))
        if draft is not None:
            number = blocks[unit.block].number if 0 <= unit.block < len(blocks) else 0
            drafts.append(replace(draft, number=number) if number else draft)
    if still_to_do:
        asked = [task_words(text[d.start : d.end]) for d in drafts]
        kept = [d for d, words in still_to_do if not any(len(words & other) >= max(2, (len(words) + 1) // 2) for other in asked)]
        drafts = sorted(drafts + kept, key=lambda d: d.start)
    return link_drafts(analysis, facts.discourse, drafts)


@register(
    DIMENSION, settings=TimeboundSettings, weight=0.35, order=10, provides=(ACTIONS,),
    metrics=("actions", "timebound", "with_owner", "smart", "vague_timescales", "vague_verbs", "deadlines_past",
             "timebound_share", "owner_share"),
    appearance=Appearance("Timebound", "who will do what by when", "#d9534f", "#f8d7d6", "on dark_red"),
)
def check(ctx: CheckContext[TimeboundSettings]) -> CheckResult:
    """Find actions and score how many say who will do what by when."""
    return score_drafts(ctx, find_drafts(ctx.analysis, ctx.facts, ctx.rubric))
