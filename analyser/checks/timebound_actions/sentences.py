"""One sentence, bullet or paragraph to a draft action: its cue, owner, deadline, vague words and verb."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyser import dates
from analyser.discourse import PARENT_RELATIONS
from analyser.facts import Facts
from analyser.nlp import Unit
from analyser.rubric import Rubric
from analyser.checks.timebound_actions.cues import find_cue
from analyser.checks.timebound_actions.deadlines import deadline_for, shifted, vague_timescales
from analyser.checks.timebound_actions.exclusions import (
    COURT_HEADS,
    DEFINITION_HEADS,
    HEAR_VERBS,
    RECEIVE_VERBS,
    excluded,
)
from analyser.checks.timebound_actions.owners import (
    PRONOUN_SUBJECTS,
    head_token,
    is_owner,
    owner_from_suffix,
    passive_agent,
    span_text,
    subject_tokens,
)
from analyser.checks.timebound_actions.tokens import lemma_of

if TYPE_CHECKING:  # pragma: no cover
    from analyser.checks.timebound_actions.cues import Cue
    from analyser.nlp import Token, Tokens


NUMBER = re.compile(r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once)\b", re.IGNORECASE)


_CLAUSE_AUXILIARIES = {"would", "should", "will", "shall", "could", "can", "must", "may", "might"}


@dataclass
class Draft:
    start: int
    end: int
    owner: tuple[int, int, str] | None
    deadline: dates.DateMention | None  # offsets absolute
    vague: list[tuple[int, int, str]]
    verb: tuple[int, int, str] | None  # the main verb, for the vague-verb problem
    measurable: bool
    resolved: str | None = None  # who the owner's words stand for ("I" -> the author), from the discourse
    number: int | None = None  # the record's own number for the item holding it ("4." -> 4), if it numbers it


def strip_span(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return text
    return text[: span[0]] + text[span[1] :]


_PASSIVE_PRONOUNS = {"this", "it"}


def _modal_will(doc: Tokens, cue: Cue) -> bool:
    """The cue is "will" or "shall" (a plan's commitment), not "should" or "could"."""
    return 0 <= cue.index < len(doc) and doc[cue.index].lower_ in ("will", "shall", "'ll")


# "At the last review (03/06/2024) it was agreed that Rachel would ...", "At your review in September it
# was agreed that Megan would ...": an earlier meeting's decision, reported (its outcome follows); a
# decision of this meeting says "will", or names no earlier meeting.
_EARLIER_MEETING = re.compile(
    r"^\W*(?:at|during|in)\s+(?:the|your|his|her|their|our|[A-Z][\w-]*['’]s)\s+(?P<last>(?:last|previous|earlier)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:review|meeting|conference)\b(?P<rest>[^,.]{0,40})",
    re.IGNORECASE,
)


# "Last time I visited, in October, we agreed that Pat would ...", "When we met in August we agreed that I
# would ...": an earlier visit's agreement, reported.
_EARLIER_VISIT = re.compile(
    r"^\W*(?:(?P<last>(?i:last time|the last time))\s+(?i:we|I)\s+(?i:met|visited|saw you|spoke)|"
    # "Last September we agreed that you could ...", "Last summer we agreed that you would move ..."
    r"(?P<when>(?i:last|in)\s+(?:(?i:January|February|March|April|May|June|July|August|September|October|November|December)|"
    r"(?i:spring|summer|autumn|winter|year|term)))\b,?|"
    r"(?i:when)\s+(?i:we|I)\s+(?i:last\s+)?(?i:met|visited(?:\s+you)?|saw you|spoke))\b(?P<rest>[^.]{0,40}?)"
    r"(?=\b(?:[Ww]e|I|[Yy]ou|[A-Z][a-z]+)\s+(?:all\s+|both\s+)?agreed\b)",
)


def reports_earlier_decision(text: str, record_date: dt.date | None) -> bool:
    """Whether ``text`` reports what an earlier review, meeting or visit decided ("... would ...")."""
    m = _EARLIER_MEETING.match(text) or _EARLIER_VISIT.match(text)
    if m is None:
        return False
    if not re.search(r"\b(?:would|could)\b", text, re.IGNORECASE):
        # "At the meeting in May you agreed to have a hair strand test": reported, unless what was agreed is
        # still to come ("... Ms Marsh agreed to attend the group starting 24/11/2025").
        agreed = re.search(r"\bagreed to\b", text, re.IGNORECASE)
        if agreed is None or (record_date is not None and any(
                d.value is not None and d.value >= record_date for d in dates.find_dates(text[agreed.end() :], record_date))):
            return False
    if m["last"] or (m.groupdict().get("when") or "").lower().startswith("last"):
        return True
    if record_date is None:
        return False
    for mention in dates.find_dates(m.group(0), record_date):
        when = dates.parse_date(mention.text, record_date, prefer_future=False)
        if when is None:
            continue
        if not re.search(r"\d{4}|/\d{2}\b", mention.text):
            # "in September" with no year, in a record of March 2026: the September before, unless it is
            # this very month (then it is this meeting).
            return when.month != record_date.month
        if when < record_date:
            return True
    return False


def unit_action(unit: Unit, facts: Facts, rubric: Rubric, in_action_section: bool, heading: str = "") -> Draft | None:
    cue = find_cue(unit, in_action_section)
    if cue is None or unit.doc is None:
        return None
    if reports_earlier_decision(unit.text, facts.date):
        return None
    doc = unit.doc
    found = deadline_for(unit.text, facts)
    owner_tokens: list[Token] = []
    if not cue.imperative:
        if cue.that_clause:
            first = cue.that_index
            if first < 0:
                first = 0
                while first < len(doc) and doc[first].lower_ != "that":
                    first += 1
            owner_tokens = list(doc[first + 1 : cue.index])
            # "It was agreed that Tracy would take ...": the modal belongs to the verb, not the owner.
            while owner_tokens and owner_tokens[-1].lower_ in _CLAUSE_AUXILIARIES:
                owner_tokens.pop()
        else:
            owner_tokens = subject_tokens(doc, cue.index)
        head = head_token(owner_tokens)
        # "You need to see a dentist", "he needs to set up an account", "Connor needs to reduce his cannabis
        # use", "BM needs to engage with Turning Point": needs, which the plan must answer with somebody's
        # action; not commitments in themselves (six blind sets' readers agree). One with a date ("Mum needs
        # to finish the course by 3 May") is a task set, and stays an action.
        if (head is not None and 0 <= cue.index < len(doc) and doc[cue.index].lower_ in ("need", "needs")
                and (head.lower_ in ("you", "he", "she") or (found is None and _child_or_parent(head, facts)))):
            return None
        # "It should be noted that ...", "What will happen next", "This will help you": no one acts.
        # A passive with "this" or "it" is still a commitment ("Dad has asked for more time; this will be
        # considered"): nobody is named, which is the finding; the descriptive ones are excluded below.
        if (head is not None and head.lower_ in PRONOUN_SUBJECTS and not cue.that_clause
                and not (cue.passive and head.lower_ in _PASSIVE_PRONOUNS and _modal_will(doc, cue))):
            return None
        if head is not None and head.lower_ in DEFINITION_HEADS:
            return None
        # "The court will make the final decision on 28/05": the court is not the plan's to direct.
        if head is not None and head.lower_ in COURT_HEADS and not cue.passive:
            return None
        # "You will then get a personal adviser": what the child will receive, explained, with no when.
        if (found is None and not cue.passive and head is not None and 0 <= cue.verb < len(doc)
                and (head.lower_ == "you" or (facts.child_name and head.text == facts.child_name))
                and lemma_of(doc[cue.verb]) in RECEIVE_VERBS):
            return None
        # "You will hear about your school place on 2 March": news the child will be given, dated or not;
        # whoever gives it is the action, and this names nobody.
        if (not cue.passive and head is not None and 0 <= cue.verb < len(doc)
                and (head.lower_ == "you" or (facts.child_name and head.text == facts.child_name))
                and (lemma_of(doc[cue.verb]) in HEAR_VERBS
                     or (lemma_of(doc[cue.verb]) == "find" and cue.verb + 1 < len(doc) and doc[cue.verb + 1].lower_ == "out"))):
            return None  # "You will find out which school you got on 1 March" too
        # "Talking to someone will help": a thing does something, with no when; a forecast, not an action.
        if (not cue.passive and not cue.infinitive_subject and not cue.that_clause and found is None
                and not is_owner(owner_tokens, facts.child_name)):
            return None
        if cue.passive:
            # The grammatical subject of a passive is what is done, not who does it: "by X" names the owner.
            owner_tokens = passive_agent(unit, doc, cue, found)
    owner = None
    if (not cue.imperative and not (owner_tokens and is_owner(owner_tokens, facts.child_name))
            and any(t.lower_ == "that" for t in doc[: max(0, cue.index)])):
        # "It was agreed that family time will move out of the centre, and that I will arrange the
        # sessions": the first agreed thing names nobody; the one joined to it says who acts.
        owner_tokens = _joined_that_subject(doc, cue.index) or owner_tokens
    if owner_tokens and is_owner(owner_tokens, facts.child_name):
        s, e, t = span_text(unit, owner_tokens)
        owner = (unit.start + s, unit.start + e, t)
    else:
        suffix = owner_from_suffix(unit)
        if suffix:
            owner = (unit.start + suffix[0], unit.start + suffix[1], suffix[2])
    if excluded(unit, cue, heading, owner is not None, found is not None, found.start if found else None,
                found.kind if found else None):
        return None
    vague = [(unit.start + a, unit.start + b, t) for a, b, t in vague_timescales(unit.text, rubric)]
    verb = None
    if 0 <= cue.verb < len(doc):
        v = doc[cue.verb]
        verb = (unit.start + v.idx, unit.start + v.idx + len(v.text), lemma_of(v))
        # Phrasal vague verbs: "work with", "look at", "liaise with", "continue to".
        if cue.verb + 1 < len(doc) and doc[cue.verb + 1].lower_ in ("with", "at", "into", "to", "under"):
            nxt = doc[cue.verb + 1]
            verb = (verb[0], unit.start + nxt.idx + len(nxt.text), f"{verb[2]} {nxt.lower_}")
    dl_span = (found.start, found.end) if found else None
    measurable = bool(NUMBER.search(strip_span(unit.text, dl_span)))
    return Draft(
        unit.start,
        unit.end,
        owner,
        shifted(found, unit.start) if found else None,
        vague,
        verb,
        measurable,
    )


def _joined_that_subject(doc: Tokens, after: int) -> list[Token]:
    """The subject of a later "and that X will ..." clause of the same sentence, if it has one."""
    for k in range(after + 1, len(doc) - 2):
        if doc[k].lower_ != "that" or doc[k - 1].lower_ != "and":
            continue
        for j in range(k + 2, min(len(doc), k + 7)):
            if doc[j].lower_ in _CLAUSE_AUXILIARIES:
                return list(doc[k + 1 : j])
            if doc[j].text in (",", ";", "."):
                break
    return []


_CHILD_WORDS = {"cyp", "yp", "child", "person"}  # "CYP", "the young person"
_PARENT_WORDS = set(PARENT_RELATIONS) | {"bm", "bf", "mam"}  # and the minutes' "BM" / "BF" (birth mother, father)


def _child_or_parent(head: Token, facts: Facts) -> bool:
    """Whether an owner's head word is the record's child or a parent (whose needs the plan answers)."""
    low = head.lower_
    if low in _CHILD_WORDS or low in _PARENT_WORDS:
        return True
    if not facts.child_name:
        return False
    first = facts.child_name.split()[0]
    # "Lily-Mae" is tokenised "Lily - Mae", and "E-M" is Ellie-Mae's initials: the head is the last part.
    parts = first.split("-")
    # "K needs to cut down drinks", "LM needs to keep his attendance up": minutes that call the child by initials.
    return (head.text in (first, first[:1]) or head.text in facts.child_initials
            or (len(parts) > 1 and head.text in (parts[-1], parts[-1][:1])))
