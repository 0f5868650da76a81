"""Action tables: find the action, who and when columns from the header row, one draft per row."""

from __future__ import annotations


import re
from dataclasses import dataclass, field, replace

from analyser import dates
from analyser.facts import Facts
from analyser.nlp import Analysis, Unit
from analyser.rubric import Rubric
from analyser.checks.timebound_actions.deadlines import deadline_for, shifted, vague_timescales
from analyser.checks.timebound_actions.owners import UNKNOWN_OWNER
from analyser.checks.timebound_actions.sentences import Draft, NUMBER, strip_span


_HEADER_ACTION = re.compile(r"\b(action|actions|what|task|recommendation|recommendations|decision|decisions|outcome|need|needs|activity|plan|step|steps|goal|objective|target|agreed)\b", re.IGNORECASE)


_HEADER_WHO = re.compile(r"\b(who|whom|responsible|lead|owner|person|worker|agency|by who)\b", re.IGNORECASE)


_HEADER_WHEN = re.compile(r"\b(when|timescale|timescales|deadline|date|timeframe|time ?frame|by when|due|target date|review date)\b", re.IGNORECASE)


_HEADER_STATUS = re.compile(r"\b(status|progress|done|update|rag|complete[d]?|outcome of)\b", re.IGNORECASE)


_EMPTY_CELL = re.compile(r"^\s*(|-+|–|n/?a|none|nil|\?+|no (further )?actions? (required|needed|identified|at (this|present) time)\.?)\s*$", re.IGNORECASE)


@dataclass
class _Table:
    header: int  # block index of the header row
    rows: list[int] = field(default_factory=list)
    action_col: int | None = None
    who_col: int | None = None
    when_col: int | None = None
    status_col: int | None = None
    title: bool = False  # the first row is a title ("Action plan"), the header follows


_HEADER_ACTION_STRONG = re.compile(
    r"\b(actions?|tasks?|recommendations?|decisions?|what (will|needs to|we will|i will) (happen|be done|do)|"
    r"what needs to happen|agreed actions?|to do)\b",
    re.IGNORECASE,
)


_HEADER_ATTENDANCE = re.compile(
    r"\b(attend(ed|ance|ee)?|present|apologies|took part|take part|role|relationship|who they are|invited|contribution)\b",
    re.IGNORECASE,
)


_HEADER_DELEGATED = re.compile(r"\bwho (can|may|will) (decide|agree|consent|sign|give consent)|\bwho decides\b|\bdelegated\b", re.IGNORECASE)


def _read_header(table: _Table, cells: list[str]) -> None:
    """Which columns hold the action, who, when and status, from the header row's words.

    "Action" beats weaker words ("Outcome", "Need", "Area") for the action column, so an
    "Outcome | Actions | Who | When" table reads its actions from the second column.
    """
    weak_action: int | None = None
    for c, cell in enumerate(cells):
        if len(cell) > 40:
            continue
        if table.who_col is None and _HEADER_WHO.search(cell):
            table.who_col = c
        elif table.when_col is None and _HEADER_WHEN.search(cell):
            table.when_col = c
        elif table.action_col is None and _HEADER_ACTION_STRONG.search(cell):
            table.action_col = c
        elif table.status_col is None and _HEADER_STATUS.search(cell) and (table.action_col is not None or weak_action is not None):
            table.status_col = c
        elif weak_action is None and _HEADER_ACTION.search(cell):
            weak_action = c
    if any(_HEADER_DELEGATED.search(c) for c in cells):
        table.action_col = None
        return  # "Decision | Who can decide": delegated authority, who may decide, not who will act
    if table.action_col is None and any(_HEADER_ATTENDANCE.search(c) for c in cells):
        return  # "Name | Who they are | How they took part": who came to the meeting, not who will act
    if table.action_col is None:
        table.action_col = weak_action
    if table.action_col is None and (table.who_col is not None or table.when_col is not None):
        table.action_col = 0 if table.who_col != 0 else None


def table_index(analysis: Analysis) -> dict[int, _Table]:
    """Map each table-row block index to its table, finding action tables from their header row."""
    blocks = analysis.document.blocks
    text = analysis.text
    tables: dict[int, _Table] = {}
    current: _Table | None = None
    for i, b in enumerate(blocks):
        if b.kind != "table_row":
            current = None
            continue
        cells = [text[s:e] for s, e in b.cells] if b.cells else [text[b.start : b.end]]
        title_row = sum(1 for c in cells if c.strip()) <= 1 and len(" ".join(cells).split()) <= 8
        if current is not None and not current.rows and current.title and current.header == i - 1 and not title_row:
            # The row after a title row ("Action plan") is the real header.
            current = _Table(header=i)
            tables[i - 1] = current
            _read_header(current, cells)
        elif current is None:
            current = _Table(header=i, title=title_row)
            if not title_row:
                _read_header(current, cells)
        else:
            current.rows.append(i)
        tables[i] = current
    return tables


def is_action_table(t: _Table) -> bool:
    return t.action_col is not None and (t.who_col is not None or t.when_col is not None)


# "Your next meeting about this plan | Mark (your IRO) | 15 March 2027": the row says when the next review
# is, not a task.
_NEXT_MEETING_CELL = re.compile(r"^\W*(?:your\s+|the\s+)?next\s+(?:\w+\s+){0,2}(?:review|meeting)\b(?!\s+(?:with|to)\b)",
                                re.IGNORECASE)


def table_action(analysis: Analysis, unit: Unit, table: _Table, facts: Facts, rubric: Rubric) -> Draft | None:
    block = analysis.document.blocks[unit.block]
    if not block.cells or table.action_col is None or table.action_col >= len(block.cells):
        return None
    text = analysis.text
    a_s, a_e = block.cells[table.action_col]
    if _EMPTY_CELL.match(text[a_s:a_e]) or _NEXT_MEETING_CELL.match(text[a_s:a_e]):
        return None
    # A status column annotates its row: a task still to do ("Not started", "Booked", "In progress -
    # photos collected") stays an action; a row it reports done ("Done 18/07/2024") is progress.
    # Without a status column, a cell saying how an earlier action went marks the row as progress.
    if table.status_col is not None and table.status_col < len(block.cells):
        s, e = block.cells[table.status_col]
        if _CELL_DONE.match(text[s:e]) or _CELL_DROPPED.search(text[s:e]):
            return None  # done, or no longer wanted ("Not done. No longer needed, as ...")
    else:
        for c, (s, e) in enumerate(block.cells):
            if c != table.action_col and _CELL_STATUS.match(text[s:e]):
                return None
    owner = None
    if table.who_col is not None and table.who_col < len(block.cells):
        s, e = block.cells[table.who_col]
        if not _EMPTY_CELL.match(text[s:e]) and text[s:e].strip().lower() not in UNKNOWN_OWNER:
            owner = (s, e, text[s:e])
    deadline = None
    vague: list[tuple[int, int, str]] = []
    if table.when_col is not None and table.when_col < len(block.cells):
        s, e = block.cells[table.when_col]
        cell = text[s:e]
        found = deadline_for(cell, facts)
        if found is None:
            bare = dates.find_dates(cell, facts.date)
            if bare:
                found = bare[0]
        if found is not None:
            deadline = shifted(found, s)
        vague = [(s + a, s + b, t) for a, b, t in vague_timescales(cell, rubric)]
    action_text = text[a_s:a_e]
    if deadline is None:
        found = deadline_for(action_text, facts)
        if found is not None:
            deadline = shifted(found, a_s)
    if not vague:
        vague = [(a_s + a, a_s + b, t) for a, b, t in vague_timescales(action_text, rubric)]
    verb = None
    first = re.match(r"\s*(?:to\s+)?([A-Za-z-]+)", action_text)
    if first:
        verb = (a_s + first.start(1), a_s + first.end(1), first.group(1))
    return Draft(block.start, block.end, owner, deadline, vague, verb, bool(NUMBER.search(strip_span(action_text, None))))


_CELL_DONE = re.compile(r"^\s*(done|completed?|achieved|closed|finished|met|yes|complete and)\b", re.IGNORECASE)
_CELL_STATUS = re.compile(r"^\s*(not\s+)?(done|completed|achieved|started|partly|partially|closed|in progress)\b", re.IGNORECASE)


# A progress note saying the task is still to do, and one saying it is no longer wanted.
_CELL_PENDING = re.compile(r"^\s*(?:not\s+(?:yet\s+)?(?:done|started|completed|achieved|booked|sent)|carried\s+(?:forward|over)|"
                           r"outstanding|in\s+progress|ongoing|partly|partially|delayed|pending|awaiting)\b", re.IGNORECASE)
_CELL_DROPPED = re.compile(r"\b(?:no\s+longer\s+(?:needed|required|wanted|relevant)|not\s+(?:needed|required)|cancelled|withdrawn)\b",
                           re.IGNORECASE)
_TASK_STOP = {"with", "from", "that", "this", "will", "have", "their", "about", "into", "your", "them", "they"}


def task_words(text: str) -> set[str]:
    """The longer words of a task's text, to tell whether a record asks for the same task twice."""
    return {w for w in re.findall(r"[a-z]{4,}", text.lower().split(" | ")[0]) if w not in _TASK_STOP}


def progress_row_still_to_do(analysis: Analysis, unit: Unit, table: _Table, facts: Facts,
                             rubric: Rubric) -> tuple[Draft, set[str]] | None:
    """A row of a progress table whose status says its task is still to do, as a draft (dated by its note,
    "Carried forward ... to finish by 30/04/27", when it has no date of its own), with its task's words."""
    block = analysis.document.blocks[unit.block]
    if table.status_col is None or table.status_col >= len(block.cells):
        return None
    s, e = block.cells[table.status_col]
    status = analysis.text[s:e]
    if not _CELL_PENDING.match(status) or _CELL_DROPPED.search(status):
        return None
    draft = table_action(analysis, unit, table, facts, rubric)
    if draft is None:
        return None
    if draft.deadline is None:
        found = deadline_for(status, facts)
        if found is not None and found.value is not None and (facts.date is None or found.value >= facts.date):
            draft = replace(draft, deadline=shifted(found, s))
    a_s, a_e = block.cells[table.action_col] if table.action_col is not None else (s, s)
    return draft, task_words(analysis.text[a_s:a_e])
