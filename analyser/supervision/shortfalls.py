"""Audit shortfalls in a stored Report, grouped into the SMART actions a worker is given in supervision.

One function, :func:`shortfalls`, reads a Report and returns its shortfall groups; it serves both the
writer (what to raise) and the loop (what is still there after a re-score), so the two can never
disagree about what "the same shortfall" is.

A group is one kind of shortfall in one record ("actions without a named person or a date", "missing
sections"); its items are the individual shortfalls, each with a stable key
``dimension:group:locator``. The locator never depends on character offsets (they shift when a record
is edited): it is a hash of the record action's words, the section's name, or the lexicon term.
Nothing here copies record text into an action sentence beyond the child's first name, the record's
date and terms from caseqa's own lexicons (jargon, blaming words, acronyms).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from analyser.checks.readability import ReadabilitySettings
from analyser.dates import long_date
from analyser.report import Report
from analyser.rubric import Rubric

# Which action problems mean "no named person" and which mean "no usable date".
_WHO = {"no_owner"}
_WHEN = {"no_deadline", "vague_timescale", "next_review_unknown", "school_date_unknown"}
DOC_LABELS = {"care_plan": "care plan", "review_minutes": "review minutes", "pathway_plan": "pathway plan",
              "other": "record"}


@dataclass
class Item:
    """One shortfall: its stable key, the record action's number (1-based) when it is about one."""

    key: str
    position: int | None = None  # the action's number as the record numbers it (see action_numbers)
    term: str | None = None  # a lexicon term or section name the sentence may name
    detail: frozenset[str] = frozenset()  # for who/when: which of {"who", "when"} is missing


@dataclass
class Group:
    """One kind of shortfall in one record: becomes one SMART action."""

    key: str  # "dimension:group"
    dimension: str
    items: list[Item] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {i.key for i in self.items}


def _hash(text: str) -> str:
    words = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:12]


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:80] or "record"


def _add(groups: dict[str, Group], dimension: str, group: str, item: Item) -> None:
    key = f"{dimension}:{group}"
    # Repeats stay (a jargon word used five times is five places to change); keys de-duplicate.
    groups.setdefault(key, Group(key, dimension)).items.append(item)


def action_numbers(report: Report) -> list[int]:
    """How the supervision record numbers the report's actions: the record's own numbers ("4." is
    action 4) when it numbers every action and no number repeats; otherwise their order, from 1."""
    own = [a.number for a in report.actions]
    if own and all(n is not None for n in own) and len(set(own)) == len(own):
        return [int(n) for n in own if n is not None]
    return list(range(1, len(report.actions) + 1))


def shortfalls(report: Report) -> dict[str, Group]:
    """The report's shortfall groups, keyed ``dimension:group``, in a stable order."""
    groups: dict[str, Group] = {}
    repeats: dict[str, int] = {}
    ta = "timebound_actions"
    for n, action in zip(action_numbers(report), report.actions):
        problems = set(action.problems)
        digest = _hash(action.text)
        missing = frozenset(({"who"} if problems & _WHO else set()) | ({"when"} if problems & _WHEN else set()))
        if missing:
            _add(groups, ta, "who_when", Item(f"{ta}:who_when:{digest}", n, detail=missing))
        if "vague_verb" in problems:
            _add(groups, ta, "vague_verb", Item(f"{ta}:vague_verb:{digest}", n))
        if "deadline_past" in problems:
            _add(groups, ta, "deadline_past", Item(f"{ta}:deadline_past:{digest}", n))
    for f in report.findings:
        d, code = f.dimension, f.code
        if d == ta:
            if code == "no_actions":
                _add(groups, d, code, Item(f"{d}:{code}:record"))
            continue  # the per-action problems are read from the actions above
        if d == "plan_detail" and code == "doc_type_unknown":
            continue  # caseqa could not read the record's type: a note to the user, not the worker's shortfall
        if d == "plan_detail" and code == "nearly_empty":
            _add(groups, d, code, Item(f"{d}:{code}:record"))
            continue
        if d == "plan_detail":
            # The section's name ("placement plan", not its explanation) comes with the finding.
            name = f.data.get("section_name")
            section = str(name) if name else None
            locator = _slug(section) if section else _hash(f.excerpt)
            _add(groups, d, code, Item(f"{d}:{code}:{locator}", term=section))
        elif code in ("jargon", "blaming_language", "unexplained_acronym", "written_about_child"):
            term = (f.term if f.term is not None else f.excerpt).strip()  # excerpt: reports stored before terms
            _add(groups, d, code, Item(f"{d}:{code}:{_slug(term) if term else 'record'}", term=term or None))
        else:  # long_sentence, passive_voice, dense_acronyms and any future code: one item per finding
            base = f"{d}:{code}:{_hash(f.excerpt)}"
            repeats[base] = repeats.get(base, 0) + 1  # the same words twice are two shortfalls
            _add(groups, d, code, Item(f"{base}:{repeats[base]}"))
    return groups


# The order actions are listed in: the heaviest dimensions of the rubric first, who/when before the rest.
GROUP_ORDER = (
    "timebound_actions:overdue", "timebound_actions:overdue_earlier", "timebound_actions:no_actions", "timebound_actions:who_when", "timebound_actions:deadline_past",
    "timebound_actions:vague_verb", "plan_detail:nearly_empty", "plan_detail:missing_section", "plan_detail:thin_section", "plan_detail:filler", "plan_detail:filler_sentence",
    "child_directed_language:written_about_child", "child_directed_language:blaming_language",
    "child_directed_language:jargon", "child_directed_language:unexplained_acronym", "readability:long_sentence",
    "readability:dense_acronyms", "readability:passive_voice",
)


# What each kind of shortfall is called where the supervision record names it without an action (the
# "also" lines): plain words, never a rule id. No commas or brackets (the line is "name (count), ...").
GROUP_NAMES = {
    "timebound_actions:overdue": "overdue care actions",
    "timebound_actions:overdue_earlier": "overdue care actions of an earlier record",
    "timebound_actions:no_actions": "no actions",
    "timebound_actions:who_when": "actions without a person or a date",
    "timebound_actions:deadline_past": "actions dated before the record was written",
    "timebound_actions:vague_verb": "actions without a measurable outcome",
    "plan_detail:missing_section": "missing sections",
    "plan_detail:thin_section": "thin sections",
    "plan_detail:filler": "stock phrases",
    "plan_detail:filler_sentence": "lines that say only a stock phrase",
    "child_directed_language:written_about_child": "written about the child instead of to them",
    "child_directed_language:blaming_language": "blaming words",
    "child_directed_language:jargon": "jargon",
    "child_directed_language:unexplained_acronym": "acronyms not spelt out",
    "readability:long_sentence": "long sentences",
    "readability:dense_acronyms": "sentences crowded with acronyms",
    "readability:passive_voice": "passive sentences",
}


def group_name(key: str) -> str:
    """The plain name of a kind of shortfall ("passive sentences"); a kind added later reads its code in words."""
    return GROUP_NAMES.get(key) or key.split(":", 1)[-1].replace("_", " ")


def ordered(groups: dict[str, Group]) -> list[Group]:
    """Groups in :data:`GROUP_ORDER` (unknown ones last, by key)."""
    rank = {k: i for i, k in enumerate(GROUP_ORDER)}
    return sorted(groups.values(), key=lambda g: (rank.get(g.key, len(rank)), g.key))


# Drift findings (on a later review) that say an earlier action is still outstanding: the later review
# does not say it was done (deadline_passed, not_followed_up), or reports it not done (carried_over,
# when the review does not ask for it again; when it does, its own action is the one listed).
OUTSTANDING = {"deadline_passed": "does not say it was done", "not_followed_up": "does not mention it",
               "carried_over": "reports it not done"}


def outstanding(report: Report) -> list[tuple[str, int, str]]:
    """(earlier record id, earlier action's place from 1, drift code) for each earlier action this record's
    drift findings say is not reported done."""
    section = report.drift
    if section is None or section.previous is None:
        return []
    out = []
    for f in section.findings:
        place = f.data.get("previous_action")
        if f.code in OUTSTANDING and isinstance(place, int) and not isinstance(place, bool) and not f.data.get("asked_again"):
            out.append((section.previous, place, f.code))
    return out


def overdue_key(action_text: str) -> str:
    """The key of a check on one of the record's own dated actions: it stays while the same words stand."""
    return f"timebound_actions:overdue:{_hash(action_text)}"


def outstanding_key(earlier_id: str, place: int) -> str:
    """The key of a check on an earlier record's action: it stays while the later record says it is outstanding."""
    return f"timebound_actions:overdue:{earlier_id}:{place}"


def current_keys(report: Report) -> set[str]:
    """Every shortfall key in a report: what the loop compares a stored action's keys against.

    Checks of overdue care actions close when the dated action is no longer in the record as written (it
    is reported done, or has a new date) or the later review no longer says an earlier one is outstanding."""
    keys = {k for g in shortfalls(report).values() for k in g.keys}
    keys |= {overdue_key(a.text) for a in report.actions if a.deadline}
    keys |= {outstanding_key(rid, place) for rid, place, _ in outstanding(report)}
    return keys


# ---- sentences ------------------------------------------------------------------------------------


def record_label(child_name: str | None, doc_type: str | None, record_date: str | None, record_id: str) -> str:
    """How an action names a record: "Amira's care plan of 4 March 2024"."""
    kind = DOC_LABELS.get(doc_type or "other", "record")
    when = f" of {long_date(record_date)}" if record_date else ""
    if child_name:
        return f"{child_name}'s {kind}{when}"
    return f"the {kind} {record_id}{when}"


def numbers(positions: list[int]) -> str:
    """[1, 2, 3, 5] -> 'actions 1 to 3 and 5'; [4] -> 'action 4'."""
    ps = sorted(set(positions))
    if len(ps) == 1:
        return f"action {ps[0]}"
    runs: list[str] = []
    start = prev = ps[0]
    for p in ps[1:] + [None]:  # type: ignore[list-item]
        if p is not None and p == prev + 1:
            prev = p
            continue
        if prev - start >= 2:
            runs.append(f"{start} to {prev}")
        else:
            runs.extend(str(x) for x in range(start, prev + 1))
        if p is not None:
            start = prev = p
    return "actions " + join(runs)


def join(parts: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _terms(items: list[Item], lexicon: dict[str, str], *, limit: int = 3, quote: bool = True) -> str:
    """Up to ``limit`` distinct lexicon terms, "'placement', 'contact' and 2 more".

    Terms are written as the lexicon spells them, and only terms found in it are named: the sentence
    repeats caseqa's vocabulary, never the record's own words.
    """
    spelling = {k.lower(): k for k in lexicon}
    seen: list[str] = []
    for i in items:
        term = spelling.get((i.term or "").lower())
        if term and term not in seen:
            seen.append(term)
    if not seen:
        return ""
    shown = [f"'{t}'" if quote else t for t in seen[:limit]]
    extra = len(seen) - len(shown)
    return join(shown + ([f"{extra} more"] if extra else []))


def describe(group: Group, record: str, child_name: str | None, rubric: Rubric) -> str:
    """The action for one group, without who and when: "Add a named person and a date to action 3 in ..."."""
    items = group.items
    code = group.key.split(":", 1)[1]
    n = len(items)
    lex = rubric.lexicons
    if code == "who_when":
        phrase = {frozenset({"who", "when"}): "a named person and a date", frozenset({"who"}): "a named person",
                  frozenset({"when"}): "a date"}
        parts = []
        for missing in (frozenset({"who", "when"}), frozenset({"who"}), frozenset({"when"})):
            ps = [i.position for i in items if i.detail == missing and i.position is not None]
            if ps:
                parts.append(f"{phrase[missing]} to {numbers(ps)}")
        if len(parts) == 1:
            return f"Add {parts[0]} in {record}"
        return f"Add {', and '.join(parts)}, in {record}"
    positions = [i.position for i in items if i.position is not None]
    if code == "vague_verb":
        return f"Give {numbers(positions)} in {record} a measurable outcome in place of a vague verb"
    if code == "deadline_past":
        its = "its deadline had" if len(positions) == 1 else "their deadlines had"
        return f"Set new dates for {numbers(positions)} in {record}, as {its} passed"
    if code == "no_actions":
        return f"Add the plan's actions, each with a named person and a date, to {record}"
    if code == "written_about_child":
        who = child_name or "the child"
        places = f" in the {n} places it writes about {who}" if n > 1 else ""
        return f"Rewrite {record} to {who} in the second person ('you', 'your'){places}"
    if code == "jargon":
        terms = _terms(items, lex.jargon)
        return f"Replace the care-system jargon in {record}" + (f" ({terms})" if terms else "") + \
            " with the words children prefer"
    if code == "blaming_language":
        terms = _terms(items, lex.blaming)
        return "Describe what happened in place of the blaming words" + (f" ({terms})" if terms else "") + \
            f" in {record}"
    if code == "unexplained_acronym":
        terms = _terms(items, lex.acronyms, limit=6, quote=False)
        return f"Spell out {terms or 'the acronyms'} on first use in {record}"
    if code == "long_sentence":
        words = rubric.settings_for("readability", ReadabilitySettings).long_sentence_words
        what = "the sentence" if n == 1 else f"the {n} sentences"
        return f"Split {what} of more than {words} words in {record} into shorter ones"
    if code == "passive_voice":
        what = "the passive sentence" if n == 1 else f"the {n} passive sentences"
        return f"Rewrite {what} in {record} to say who does what"
    if code == "dense_acronyms":
        what = "the sentence" if n == 1 else f"the {n} sentences"
        return f"Use words instead of letters in {what} crowded with acronyms in {record}"
    sections = join([i.term for i in items if i.term]) if any(i.term for i in items) else ""
    if code == "nearly_empty":
        who = child_name or "the child"
        return f"Write {record} in full: what is happening for {who}, who will do what by when, and {who}'s views"
    if code == "missing_section":
        noun = "a section" if n == 1 else "sections"
        return f"Add {noun} on {sections or 'the missing subjects'} to {record}"
    if code == "thin_section":
        noun = "section" if n == 1 else "sections"
        return f"Add names, dates and numbers to the thin {noun} on {sections or 'the plan'} in {record}"
    if code == "filler":
        noun = "section" if n == 1 else "sections"
        who = child_name or "the child"
        return f"Replace the stock phrases in the {sections or 'plan'} {noun} of {record} with what is happening for {who}"
    if code == "filler_sentence":
        what = "the line" if n == 1 else f"the {n} lines"
        return f"Replace {what} in {record} that say only a stock phrase (\"PEP ongoing\") with what is happening and by when"
    return f"Fix the {code.replace('_', ' ')} findings ({n}) in {record}"


def sentence(owner: str, what: str, due: date) -> str:
    """The full SMART sentence: "Jo Smith will add ... by 18 March 2025." (who, what, by when)."""
    return f"{owner} will {what[0].lower()}{what[1:]} by {long_date(due)}."
