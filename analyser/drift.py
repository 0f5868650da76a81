"""Drift and delay: follow one child's plan across their successive records.

A single record cannot show drift; the sequence of a child's records can. This module links records of
the same child, orders them by date and compares each record with the one before it:

- ``carried_over``: an action of the earlier record is asked for again (matched fuzzily: new words,
  another owner), with how many records it has now appeared in;
- ``slipped``: the same action with a later deadline (by how many days);
- ``deadline_passed``: an action whose deadline fell before the next review, which does not say it
  was done;
- ``not_followed_up``: a decision of the earlier record the next review never mentions;
- ``review_late``: review timescales breached (first review more than 20 working days after coming
  into care, when that date is known; the second more than 3 months after the first; then more than
  6 months apart).

The first four carry ``data["previous_action"]`` (the earlier action's place among the earlier report's
actions, from 1) and ``data["asked_again"]`` (whether this record asks for it again).

Only review minutes are expected to report progress on earlier decisions (DOMAIN.md), so only a later
*review* raises ``deadline_passed`` and ``not_followed_up``; a later care plan can still show actions
carried over or slipped. Every finding is a :class:`~analyser.report.Finding` with dimension
``drift``, pointing at the later record's words, and its message quotes the earlier record's words
and dates as evidence.

Linking (:func:`link_key`): by the child id given with the record; otherwise by the child's name plus
date of birth read from the record's header, within the record's team (a name and a birthday are not an
identity, and one team must not read another's child through them); never by name alone.

The functions here are pure (reports and record facts in, findings out); :func:`timeline_for` and
:func:`refresh_drift` read and update the results store. Nothing here logs record text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from analyser import date_fields, dates
from analyser.rules import word_list
from analyser.checks.timebound_actions import PROGRESS_SECTION  # one definition of a progress heading
from analyser.linking import LinkedBy, link, link_name_dob, name_dob_digest, name_key, stored_key
from analyser.report import Action, DriftSection, Finding, Report
from analyser.wording import count

if TYPE_CHECKING:
    from analyser.store import RecordRow, Store

DIMENSION = "drift"
CODES = ("carried_over", "slipped", "deadline_passed", "not_followed_up", "review_late")

# Fuzzy action matching: tuned on the synthetic sequences (corpus/synthetic/sequences/, see docs/DRIFT.md).
ACTION_MATCH = 0.6  # a later action is the same action asked for again
MENTION_MATCH = 0.6  # a later progress line reports on the action
TOKEN_MATCH = 0.8  # two words are the same word (typos: "suppport" ~ "support")

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6

NOT_LINKED_NO_DOB = (
    "not linked to other records: no child id was given and the record has no date of birth with the "
    "name (caseqa never links records by name alone)"
)
NOT_LINKED_NOTHING = "not linked to other records: no child id was given and the record has no name and date of birth"


# ---- facts the text holds beyond the report: date of birth, full name, care entry, progress lines -----

_DOB = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\b[\s:\-–]*", re.IGNORECASE)
_ENTERED_CARE = re.compile(
    r"\b(?:(?:date\s+)?(?:came|come|coming|entered|entering|entry|admitted|admission)\s+(?:in)?to\s+care|"
    r"date\s+(?:of\s+)?(?:becoming\s+)?looked\s+after|looked\s+after\s+since|in\s+care\s+since|"
    r"accommodated\s+(?:on|since))\b[\s:\-–]*(?:on\s+)?",
    re.IGNORECASE,
)
_NAME_FIELD = re.compile(
    r"^[ \t]*(?:name|child'?s? name|child|young person|young person'?s name|name of child|name of young person|"
    r"child/young person|full name|child'?s full name)[ \t]*[:\-–|][ \t]*(?P<value>[^\n(|]{2,80})",
    re.IGNORECASE | re.MULTILINE,
)
# "Amira Khan (DOB 12/03/2015)" or "KHAN, Amira (DOB 12/03/2015)" on one header line.
_NAME_BEFORE_DOB = re.compile(r"^[ \t]*(?P<value>[A-Z][\w'’-]+,?(?:[ \t]+[A-Z][\w'’-]+){1,3})[ \t]*\((?:DOB|D\.O\.B)", re.MULTILINE)

# Progress on earlier decisions. "Not done" is checked first: "Not yet done" is not done.
_NOT_DONE = re.compile(
    r"\b(?:not\s+(?:yet\s+)?(?:been\s+)?(?:done|complete[d]?|achieved|started|happened|progressed|in place|"
    r"booked|arranged|held|sent|met)|not\s+yet\b|outstanding|carried\s+(?:forward|over)|incomplete|"
    r"delayed|no progress|partly|partially|still (?:to be|waiting|outstanding))\b",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"\b(?:done|completed?|achieved|took place|has happened|happened|now in place|in place|was held|were held|"
    r"(?:has|have) been (?:done|completed|booked|arranged|held|sent|made|set up|bought|started)|"
    r"(?:was|were) (?:booked|arranged|completed|sent|made|set up|bought|started|done))\b",
    re.IGNORECASE,
)
# "Nina took you to the optician on 3 May": a sentence that tells what someone did, in the past tense, is
# a done report of the earlier "Nina will take you to the optician by 10 May" it matches (the match decides
# which action it reports on). Not when it looks ahead ("will", "is going to", "needs to") or says it fell
# through (_NOT_DONE, checked first).
_PAST_VERB = (
    r"(?:took|went|saw|met|made|gave|got|bought|brought|sent|spoke|told|wrote|found|kept|paid|rang|"
    r"visited|attended|booked|arranged|completed|started|registered|applied|referred|enrolled|joined|opened|"
    r"signed|collected|delivered|ordered|received|finished|passed|contacted|phoned|emailed|organised|organized|"
    r"moved|helped|asked|checked|requested|chased|set up|sorted)"
)
# Who did it opens the sentence (a name, a pronoun, "the social worker", "Your carer"), the verb right
# after: "Needs met.", "Signed: ..." and "you have found it hard" are not deeds.
_PAST_DEED = re.compile(
    r"^[\s*•·o\-–\d.)]*(?![Nn]eeds?\b)(?:(?:I|We|You|He|She|They)|(?:[Tt]he|[Yy]our|[Hh]is|[Hh]er|[Tt]heir)(?: [a-z]+){1,2}(?: [A-Z][a-z]+)?"
    r"|(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z][a-z]+|[A-Z][a-z]+(?: [A-Z][a-z]+)?(?: and [A-Z][a-z]+)?)"
    r" (?:also |then |finally |now )?" + _PAST_VERB + r"\b"
)
_LOOKS_AHEAD = re.compile(
    r"\b(?:will|shall|would|should|must|going to|needs? to|has to|have to|to be|plans? to|aims? to|"
    r"wants? to|hopes? to|if|when|once|until|unless)\b|'ll\b|\?",
    re.IGNORECASE,
)
# Past forms that do not share a stem with their verb, so "took" matches "take" and "bought" "buy".
_PAST_FORMS = {
    "took": "take", "went": "go", "saw": "see", "met": "meet", "made": "make", "gave": "give", "got": "get",
    "bought": "buy", "brought": "bring", "sent": "send", "spoke": "speak", "told": "tell", "wrote": "write",
    "found": "find", "kept": "keep", "paid": "pay", "rang": "ring", "taken": "take", "given": "give",
    "written": "write", "spoken": "speak", "seen": "see", "gone": "go",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")
MAX_PROGRESS_LINES = 120
MAX_PROGRESS_CHARS = 300


def _first_date(text: str) -> str | None:
    found = dates.find_dates(text[:40])
    return found[0].value.isoformat() if found and found[0].value and found[0].start < 4 else None


def _clean_name(value: str) -> str | None:
    value = value.strip().strip(".,;:")
    if "," in value:  # "BAINS, Simran" -> "Simran Bains"
        last, _, first = value.partition(",")
        value = f"{first.strip()} {last.strip()}"
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", value)
    return " ".join(w.capitalize() if w.isupper() else w for w in words[:4]) or None


def history_facts(text: str) -> dict[str, Any]:
    """What drift needs from a record's text and the Report does not hold.

    ``dob`` and ``entered_care`` (ISO dates or None), ``child_full_name`` (or None) and ``progress``:
    the sentences that report something done or not done, with their offsets (capped in number and
    length). They are kept in the store with the record's fields so history works without the text.
    """
    head = text[:3000]
    dob = None
    for m in _DOB.finditer(head):
        dob = _first_date(head[m.end() :])
        if dob:
            break
    entered = None
    for m in _ENTERED_CARE.finditer(text[:20000]):
        entered = _first_date(text[m.end() :])
        if entered:
            break
    name = None
    named = _NAME_FIELD.search(head) or _NAME_BEFORE_DOB.search(head)
    if named:
        name = _clean_name(named.group("value"))
    progress: list[dict[str, Any]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for piece in _SENTENCE_END.split(line):
            at = line.find(piece, start)
            start = at + len(piece)
            status = progress_status(piece)
            if status is not None and len(progress) < MAX_PROGRESS_LINES:
                s = offset + at
                progress.append({"start": s, "end": s + len(piece), "text": piece[:MAX_PROGRESS_CHARS], "done": status})
        offset += len(line) + 1
    # A record with a "progress on previous decisions" heading is a review, whatever its type was read as.
    reports_progress = any(
        PROGRESS_SECTION.search(line) and len(line.split()) <= 8 for line in text.split("\n") if line.strip()
    )
    return {"dob": dob, "child_full_name": name, "entered_care": entered, "progress": progress,
            "reports_progress": reports_progress}


def stored_history(history: Mapping[str, Any], fields: Mapping[str, Any], child_name: str | None, *,
                   keep_text: bool) -> dict[str, Any]:
    """The history facts as the store keeps them with a record's fields: derived facts only.

    The child's full name and date of birth become the digest a name-and-birthday link needs
    (:func:`analyser.linking.name_dob_digest`); a progress sentence becomes its content words (what
    drift matches against earlier actions: no names, dates, owners or stop words) unless the record's
    text is stored anyway (``keep_text``), when it keeps its wording for the drift finding's excerpt.
    """
    out: dict[str, Any] = {k: v for k, v in history.items() if k not in ("dob", "child_full_name", "progress")}
    digest = link_name_dob({**fields, "history": history}, child_name)
    if digest:
        out["name_dob"] = digest
    progress = history.get("progress")
    if progress is None or keep_text:
        out["progress"] = progress
    else:
        out["progress"] = [{"start": p["start"], "end": p["end"], "done": p["done"],
                            "words": list(content_words(p["text"]))} if "text" in p else p for p in progress]
    return out


def progress_status(sentence: str) -> bool | None:
    """True when the sentence reports something done, False when not done, None when it reports neither."""
    if _NOT_DONE.search(sentence):
        return False
    if _DONE.search(sentence):
        return True
    if _PAST_DEED.search(sentence) and not _LOOKS_AHEAD.search(sentence):
        return True
    return None


# ---- linking -----------------------------------------------------------------------------------------


_name_key = name_key
_link = link


def link_key(report: Report, fields: Mapping[str, Any] | None = None) -> tuple[str | None, LinkedBy | None]:
    """How this record joins its child's history: ``(child id, "child_id")``, ``(name|dob|team, "name+dob")``
    or ``(None, None)``. Never by name alone: two children may share a name."""
    return link(fields or {}, report.meta.child_name)


def not_linked_reason(report: Report, fields: Mapping[str, Any] | None = None) -> str | None:
    """Why a record has no history (None when it can be linked): shown to users, never silent."""
    return not_linked_reason_for(fields or {}, report.meta.child_name)


def not_linked_reason_for(fields: Mapping[str, Any], child_name: str | None) -> str | None:
    """:func:`not_linked_reason` from a record's fields and the child's name as stored."""
    if link(fields, child_name)[0]:
        return None
    name = fields.get("child_name") or (fields.get("history") or {}).get("child_full_name") or child_name
    return NOT_LINKED_NO_DOB if name else NOT_LINKED_NOTHING


# ---- the timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressLine:
    """A sentence of a later record reporting on an earlier decision: done or not done."""

    start: int
    end: int
    text: str = ""  # empty when the store kept only its words (the record's text not stored)
    done: bool = False
    words: tuple[str, ...] | None = None  # its content words, when stored without the text

    def content(self, names: Iterable[str]) -> tuple[str, ...]:
        """What the line says was done, as :func:`content_words` gives it, the child's names removed."""
        if self.words is None:
            return content_words(self.text, names=names)
        drop = {_stem(n.lower()) for n in names if n}
        return tuple(w for w in self.words if w not in drop)


@dataclass(frozen=True)
class TimelineRecord:
    """One record in a child's timeline: its report and the facts drift needs."""

    report: Report
    doc_type: str
    date: dt.date | None  # (the field shadows the type inside the class: the type is spelt dt.date)
    entered_care: dt.date | None = None
    # None: the record's text was never seen (an older store row), so progress cannot be judged.
    progress: tuple[ProgressLine, ...] | None = None
    team: str | None = None
    reports_progress: bool = False  # has a "progress on previous decisions" section

    @property
    def is_review(self) -> bool:
        """Review minutes, or a record that reports on the last review's decisions as reviews do."""
        return self.doc_type == "review_minutes" or self.reports_progress

    @property
    def record_id(self) -> str:
        return self.report.id

    @classmethod
    def from_report(cls, report: Report, history: Mapping[str, Any] | None = None, team: str | None = None) -> TimelineRecord:
        """Build from a report and the record's :func:`history_facts` (None when unknown)."""
        history = history or {}
        progress = history.get("progress")
        return cls(
            report=report,
            doc_type=report.doc_type,
            date=date_fields.iso_date(report.meta.date),
            entered_care=date_fields.iso_date(history.get("entered_care")),
            progress=None if progress is None else tuple(
                ProgressLine(**{**p, "words": tuple(p["words"])} if "words" in p else p) for p in progress),
            team=team,
            reports_progress=bool(history.get("reports_progress")),
        )


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _date_of_birth(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (the UK order every other date option accepts); None for anything else."""
    value = value.strip()
    if m := _DMY.fullmatch(value):
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None
    return date_fields.iso_date(value)


def order_timeline(records: Iterable[TimelineRecord]) -> list[TimelineRecord]:
    """By document date (undated records last), then record id so ties are stable."""
    return sorted(records, key=lambda r: (r.date is None, r.date or date.min, r.record_id))


# ---- fuzzy action matching -------------------------------------------------------------------------------

_STOP = frozenset(
    """a an the and or but of for to in on at by with from into onto up as is are was were be been being am will would
    shall should must can could may might has have had do does did it its this that these those there their they them
    he him his she her hers you your yours i me my we us our who which what when where whether if so than then also
    very more most all any some each every other such not no yes going agreed agree agrees recommended recommend
    recommendation decision decided plan planned planning continue continued continues need needs needed please ensure
    make sure able try arrange arranged arranging further again new next review meeting before after within no later
    later than end week weeks month months day days working term half year years date time today tomorrow soon shortly
    monthly weekly fortnightly each order address concerns raised line progress without delay
    view identified ensuring sw iro pa la fc fcs dt lac cla bm bf allocated social worker workers carer carers foster
    fostering residential staff keyworker key chair writer professionals professional network child childs young person
    team manager done completed complete achieved not yet outstanding carried forward over see below above
    """.split()  # noqa: SIM905 - a word list reads better as text
) | word_list("placeholders", "not_content")
_MONTH_TEXT = (
    "january february march april may june july august september october november december jan feb mar apr jun jul aug "
    "sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday"
)
_MONTH_WORDS = frozenset(_MONTH_TEXT.split())
_WORD = re.compile(r"[a-z]+")


def _stem(word: str) -> str:
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            return word + ("y" if suffix in ("ies", "ied") else "")
    return word


def content_words(text: str, *, remove: Iterable[str | None] = (), names: Iterable[str] = ()) -> tuple[str, ...]:
    """The words that say *what* is to be done: owner, deadline, dates, names, stop words and status removed."""
    low = text.lower()
    for phrase in remove:
        if phrase and len(phrase) > 1:
            low = low.replace(phrase.lower(), " ")
    drop = {n.lower() for n in names if n}
    words = []
    for w in _WORD.findall(low.replace("'s", " ").replace("’s", " ")):
        if len(w) < 3 or w in _STOP or w in _MONTH_WORDS or w in drop:
            continue
        words.append(_stem(_PAST_FORMS.get(w, w)))
    return tuple(dict.fromkeys(words))  # unique, in order


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    if a.startswith(b) or b.startswith(a):  # "hair" ~ "haircut", "assess" ~ "assessment"
        return True
    # ratio() is 2 * matches / (len(a) + len(b)), and matches can be no more than the shorter word's
    # length (difflib's real_quick_ratio) or the characters the words share (quick_ratio): computed the
    # same way, each bound is >= the ratio, so a pair below a bound is below the ratio. Most pairs of an
    # action's words fail on length alone, without building a matcher (the ratio was ~60% of settling
    # drift in a `caseqa score` run).
    if 2.0 * min(len(a), len(b)) / (len(a) + len(b)) < TOKEN_MATCH:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= TOKEN_MATCH and matcher.ratio() >= TOKEN_MATCH


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Soft overlap of two content-word sets: shared words over the smaller set, damped when one set is
    much larger, and 0 unless two words are shared (one shared word is too weak to call it the same action)."""
    if not a or not b:
        return 0.0
    used: set[int] = set()
    shared = 0
    for w in a:
        for j, v in enumerate(b):
            if j not in used and _same_word(w, v):
                used.add(j)
                shared += 1
                break
    small, large = sorted((len(a), len(b)))
    if shared < min(2, small):
        return 0.0
    if shared == 1 and large > 2:  # one word in common with a longer action is not enough
        return 0.0
    return 0.75 * shared / small + 0.25 * shared / large


def _action_words(action: Action, names: Iterable[str]) -> tuple[str, ...]:
    # A table row "Book her a hair appointment | All | TBC": the first cell says what is to be done.
    text = action.text.split(" | ")[0] if " | " in action.text else action.text
    return content_words(text, remove=(action.owner, action.owner_text, action.deadline_text), names=names)


def _owner_stems(action: Action) -> set[str]:
    """The words naming who does an action ("Nasreen and Leanne"), as content words: a progress line names
    them too ("Nasreen and Leanne to go to the training - Achieved"), which says nothing of *what* was done."""
    return set(content_words(action.owner_text or "")) | set(content_words(action.owner or ""))


# ---- detection -----------------------------------------------------------------------------------------

_DOC_LABEL = {"care_plan": "care plan", "review_minutes": "review", "pathway_plan": "pathway plan", "other": "record"}


def _fmt(d: date | str | None) -> str:
    return dates.long_date(date_fields.iso_date(d)) or "an undated record"


def _of(rec: TimelineRecord) -> str:
    kind = "review" if rec.is_review else _DOC_LABEL.get(rec.doc_type, "record")
    return f"the {kind} of {_fmt(rec.date)}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return f"'{text[: limit - 3]}...'" if len(text) > limit else f"'{text}'"


def _names(rec: TimelineRecord) -> list[str]:
    return [rec.report.meta.child_name or ""]


@dataclass
class _Seen:
    """How long an action has been in the plan: records it appeared in, and where it first did."""

    times: int = 1
    first: TimelineRecord | None = None


@dataclass
class _PairResult:
    findings: list[Finding] = field(default_factory=list)
    carried: dict[int, _Seen] = field(default_factory=dict)  # later action index -> its history


def _compare(prev: TimelineRecord, cur: TimelineRecord, seen: Mapping[int, _Seen]) -> _PairResult:
    """Drift between two consecutive records of a child (everything except review timescales)."""
    out = _PairResult()
    names = _names(prev) + _names(cur)
    prev_words = [_action_words(a, names) for a in prev.report.actions]
    cur_words = [_action_words(a, names) for a in cur.report.actions]
    # One-to-one matching of earlier and later actions, best pairs first.
    pairs = sorted(
        ((similarity(pw, cw), i, j) for i, pw in enumerate(prev_words) for j, cw in enumerate(cur_words)),
        reverse=True,
    )
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for score, i, j in pairs:
        if score < ACTION_MATCH:
            break
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)
    lines = cur.progress or ()
    line_words = [p.content(names) for p in lines]
    review_reports_progress = cur.is_review and cur.progress is not None
    for i, action in enumerate(prev.report.actions):
        owners = _owner_stems(action)
        mentions = [(similarity(prev_words[i], tuple(w for w in lw if w not in owners)), p) for lw, p in zip(line_words, lines)]
        mentions = [(s, p) for s, p in mentions if s >= MENTION_MATCH]
        done = any(p.done for _, p in mentions)
        not_done = [p for _, p in sorted(mentions, key=lambda m: -m[0]) if not p.done]
        history = seen.get(i) or _Seen(first=prev)
        if i in matched and not done:
            j = matched[i]
            later = cur.report.actions[j]
            out.carried[j] = _Seen(history.times + 1, history.first or prev)
            found = _carried_or_slipped(prev, cur, action, later, out.carried[j])
        elif done:
            continue
        elif not_done and review_reports_progress:
            # Reported not done, and not asked for again in words we recognise: still carried over.
            found = _reported_not_done(prev, cur, action, not_done[0], _Seen(history.times + 1, history.first or prev))
        elif review_reports_progress:
            found = _unreported(prev, cur, action)
        else:
            continue
        # Which of the earlier record's actions it is about (its place in that report's actions, from 1),
        # and whether this record asks for it again: what adapters read, never the message.
        found.data = {**found.data, "previous_action": i + 1, "asked_again": i in matched and not done}
        out.findings.append(found)
    return out


def _carried_or_slipped(prev: TimelineRecord, cur: TimelineRecord, earlier: Action, later: Action, seen: _Seen) -> Finding:
    since = "" if seen.first is None or seen.first is prev else f", first set in {_of(seen.first)}"
    old, new = date_fields.iso_date(earlier.deadline), date_fields.iso_date(later.deadline)
    if old and new and new > old:
        days = (new - old).days
        return Finding(
            dimension=DIMENSION, code="slipped", severity="warning",
            message=(f"Deadline slipped by {count(days, 'day')}: {_of(prev)} set {_quote(earlier.text)} for {_fmt(old)}; "
                     f"this record moves it to {_fmt(new)} ({count(seen.times, 'record')} so far{since})."),
            start=later.start, end=later.end, excerpt=later.text,
            suggestion="Say why the deadline moved and what will make the new one hold; escalate if it slips again.",
        )
    due = f", due {_fmt(old)}" if old else ""
    return Finding(
        dimension=DIMENSION, code="carried_over", severity="error" if seen.times >= 3 else "warning",
        message=(f"Carried over from {_of(prev)} ({_quote(earlier.text)}{due}): "
                 f"{count(seen.times, 'record')} so far{since}."),
        start=later.start, end=later.end, excerpt=later.text,
        suggestion="Record what got in the way, name who will do it and give a firm date; escalate to the manager or IRO if it keeps returning.",
    )


def _reported_not_done(prev: TimelineRecord, cur: TimelineRecord, earlier: Action, line: ProgressLine, seen: _Seen) -> Finding:
    return Finding(
        dimension=DIMENSION, code="carried_over", severity="error" if seen.times >= 3 else "warning",
        message=(f"Not done since {_of(prev)} ({_quote(earlier.text)}"
                 + (f", due {_fmt(earlier.deadline)}" if earlier.deadline else "")
                 + f"); this review reports it not done: {count(seen.times, 'record')} so far."),
        start=line.start, end=line.end, excerpt=line.text,
        suggestion="Make it a decision again with a named person and a new date, or record why it is no longer needed.",
    )


def _unreported(prev: TimelineRecord, cur: TimelineRecord, earlier: Action) -> Finding:
    old = date_fields.iso_date(earlier.deadline)
    if old and cur.date and old < cur.date:
        days = (cur.date - old).days
        return Finding(
            dimension=DIMENSION, code="deadline_passed", severity="error",
            message=(f"{_quote(earlier.text)} was due by {_fmt(old)} ({_of(prev)}); the deadline passed {count(days, 'day')} "
                     f"before this review, which does not say it was done."),
            start=0, end=0, excerpt=earlier.text,
            suggestion="Say in the progress on previous decisions whether it was done; if not, why, and what happens now.",
        )
    return Finding(
        dimension=DIMENSION, code="not_followed_up", severity="warning",
        message=f"{_cap(_of(prev))} decided {_quote(earlier.text)}; this review does not mention it.",
        start=0, end=0, excerpt=earlier.text,
        suggestion="Report progress on every decision of the last review: done, not done and why, or no longer needed.",
    )


def review_timescale_findings(timeline: Sequence[TimelineRecord]) -> dict[str, list[Finding]]:
    """Review timescales (reg 33): first within 20 working days of coming into care, the second within
    3 months of the first, then at least every 6 months. Findings keyed by the late review's id.

    Which review is the first is known only when the date of coming into care is: then the earliest
    review on or after it is the first. Otherwise only the 6-month rule is applied, so a second review
    is never judged by the 3-month rule on a guess.
    """
    out: dict[str, list[Finding]] = {}
    reviews = [r for r in order_timeline(timeline) if r.is_review and r.date]
    entered = next((r.entered_care for r in timeline if r.entered_care), None)
    first_idx = None
    if entered:
        first_idx = next((k for k, r in enumerate(reviews) if r.date and r.date >= entered), None)
    for k, rev in enumerate(reviews):
        assert rev.date is not None
        if k == first_idx and entered:
            due = dates.add_working_days(entered, FIRST_REVIEW_WORKING_DAYS)
            rule = f"the first review is due within {FIRST_REVIEW_WORKING_DAYS} working days of coming into care on {_fmt(entered)}"
        elif k > 0 and reviews[k - 1].date:
            before = reviews[k - 1]
            months = SECOND_REVIEW_MONTHS if first_idx is not None and k - 1 == first_idx else LATER_REVIEW_MONTHS
            due = dates.add_months(before.date, months)  # type: ignore[arg-type]
            which = "the second review is due" if months == SECOND_REVIEW_MONTHS else "reviews are due at least every"
            rule = (f"{which} within {months} months of the first review ({_fmt(before.date)})" if months == SECOND_REVIEW_MONTHS
                    else f"{which} 6 months; the previous review was on {_fmt(before.date)}")
        else:
            continue
        if rev.date > due:
            days = (rev.date - due).days
            out.setdefault(rev.record_id, []).append(Finding(
                dimension=DIMENSION, code="review_late", severity="error",
                message=f"This review on {_fmt(rev.date)} was {count(days, 'day')} late: {rule}, so it was due by {_fmt(due)}.",
                start=0, end=0, excerpt="",
                suggestion="Record why the review was late; book the next one within timescale and tell the IRO's manager.",
            ))
    return out


def drift_by_record(timeline: Sequence[TimelineRecord]) -> dict[str, list[Finding]]:
    """Drift findings of each record (by record id), comparing it with the record before it."""
    ordered = order_timeline(timeline)
    out: dict[str, list[Finding]] = {r.record_id: [] for r in ordered}
    seen: dict[int, _Seen] = {}
    for prev, cur in pairwise(ordered):
        result = _compare(prev, cur, seen)
        out[cur.record_id].extend(result.findings)
        seen = result.carried
    for rid, findings in review_timescale_findings(ordered).items():
        out[rid].extend(findings)
    return out


def detect_drift(timeline: Sequence[TimelineRecord]) -> list[Finding]:
    """Every drift finding of a child's timeline, in timeline order (empty when there is no drift)."""
    return [f for findings in drift_by_record(timeline).values() for f in findings]


def drift_sections(
    timeline: Sequence[TimelineRecord], linked_by: LinkedBy, child_id: str | None = None
) -> dict[str, DriftSection | None]:
    """The drift section of each record: None for the earliest (no history yet) or a single record."""
    ordered = order_timeline(timeline)
    found = drift_by_record(ordered)
    sections: dict[str, DriftSection | None] = {}
    for k, rec in enumerate(ordered):
        if k == 0 or len(ordered) < 2:
            sections[rec.record_id] = None
            continue
        prev = ordered[k - 1]
        sections[rec.record_id] = DriftSection(
            linked_by=linked_by, child_id=child_id if linked_by == "child_id" else None, position=k + 1,
            records=len(ordered), previous=prev.record_id, previous_date=prev.date.isoformat() if prev.date else None,
            findings=found[rec.record_id],
        )
    return sections


# ---- the store: timelines, and drift sections kept up to date -------------------------------------------


def _timelines_from_store(
    store: Store, children: Iterable[tuple[str, LinkedBy]]
) -> dict[tuple[str, LinkedBy], list[tuple[RecordRow, TimelineRecord, int]]]:
    """Each child's records (row, timeline record, result id) through the store's link-key index:
    a page of children per query, never a scan of the store."""
    by_key = {stored_key(key, how): (key, how) for key, how in children}
    found = store.linked_records(by_key)
    return {
        by_key[k]: [(row, TimelineRecord.from_report(report, history, row.team), pk) for row, report, history, pk in rows]
        for k, rows in found.items()
    }


def _timeline_from_store(store: Store, key: str, linked_by: LinkedBy) -> list[tuple[RecordRow, TimelineRecord]]:
    if linked_by == "name+dob" and key.endswith("|*"):
        # A name and date of birth across every team (auditors and the CLI): every team's key of that child.
        rows = store.linked_records_prefix(stored_key(key[:-1], linked_by))
        return [(row, TimelineRecord.from_report(report, history, row.team)) for row, report, history, _ in rows]
    items = _timelines_from_store(store, [(key, linked_by)])[(key, linked_by)]
    return [(row, t) for row, t, _ in items]


def child_link(child: str, *, dob: str | None = None, team: str | None = None) -> str:
    """The stored link key (``records.link_key``) of a child: ``child`` is the child id; with ``dob`` it
    is the child's name and the records are linked by name plus date of birth, within ``team`` when
    given (else across every team, ``|*``: auditors and the CLI). ValueError for a ``dob`` that is not a date."""
    if not dob:
        return stored_key(child, "child_id")
    dob_iso = _date_of_birth(dob)
    if dob_iso is None:
        raise ValueError(f"date of birth '{dob}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    return stored_key(f"{name_dob_digest(child, dob_iso.isoformat())}|{team if team is not None else '*'}", "name+dob")


def link_parts(link_key: str) -> tuple[str, LinkedBy, str | None]:
    """``(key, how, team)`` of a stored link key; ``team`` is the team of a name+dob link (``"*"``: every
    team, ``""``: records with no team) and None for a child id."""
    how, _, key = link_key.partition(":")
    if how == "name+dob":
        return key, "name+dob", key.partition("|")[2]  # the digest is hex: the first bar ends it
    return key, "child_id", None


def timeline_for(store: Store, child: str, *, dob: str | None = None, team: str | None = None) -> dict[str, Any]:
    """A child's timeline as JSON-ready data (what ``caseqa drift --format json`` prints); the child as
    :func:`child_link` reads it."""
    return timeline_for_link(store, child_link(child, dob=dob, team=team))


def timeline_for_link(store: Store, link_key: str) -> dict[str, Any]:
    """A child's timeline by stored link key (what ``GET /v1/children/{child_key}/timeline`` returns).

    ``records`` are in date order; each finding carries the ``record_id`` of
    the record it was found in (the later one).
    """
    key, linked_by, _ = link_parts(link_key)
    items = _timeline_from_store(store, key, linked_by)
    timeline = order_timeline(t for _, t in items)
    by_id = {t.record_id: row for row, t in items}
    found = drift_by_record(timeline)
    return {
        "child_id": key if linked_by == "child_id" else None,
        "linked_by": linked_by,
        "records": [
            {"id": t.record_id, "date": t.date.isoformat() if t.date else None, "doc_type": t.doc_type,
             "grade": by_id[t.record_id].grade, "overall_score": by_id[t.record_id].overall_score}
            for t in timeline
        ],
        "findings": [{"record_id": t.record_id, **f.model_dump(mode="json")} for t in timeline for f in found[t.record_id]],
    }


def section_for(store: Store, report: Report, fields: Mapping[str, Any]) -> DriftSection | None:
    """The drift section of a record just stored, from its child's records in the store (None: no history)."""
    key, linked_by = link_key(report, fields)
    if key is None or linked_by is None:
        return None
    timeline = [t for _, t in _timeline_from_store(store, key, linked_by)]
    return drift_sections(timeline, linked_by, key if linked_by == "child_id" else None).get(report.id)


# Children whose drift is settled per read and write: the page's changed reports wait as their
# ``to_dict()`` (about 56 KB a record in memory) until the page is read. 50 children (~275 records)
# added ~30 MB to a `caseqa score` run's peak; 10 add ~10 MB, for five times the queries (each an
# index lookup).
DRIFT_PAGE = 10


def refresh_drift(store: Store, keys: Iterable[tuple[str, LinkedBy]], *, page: int = DRIFT_PAGE) -> int:
    """Recompute the drift sections of these children's records and update the stored reports that
    changed (a record scored later may be earlier in the child's life). Returns how many changed.

    Each child's timeline is read and computed once, a page of children at a time (one query to read
    the page, one transaction to write its changes), so the cost is linear in the records touched.
    The page's rows are streamed one child at a time and a changed report is kept only as the data to
    write (``to_dict()``), so memory holds one child's parsed reports and the page's changes, not the
    page's reports.
    """
    changed = 0
    children = sorted(set(keys))
    for start in range(0, len(children), page):
        by_key = {stored_key(key, how): (key, how) for key, how in children[start:start + page]}
        updates: list[tuple[int, dict]] = []
        for stored, rows in store.iter_timelines(by_key):
            key, linked_by = by_key[stored]
            items = [(TimelineRecord.from_report(Report.from_dict(r.report), r.history, r.team), r.result_id)
                     for r in rows]
            sections = drift_sections([t for t, _ in items], linked_by, key if linked_by == "child_id" else None)
            for t, result_id in items:
                new = sections.get(t.record_id)
                if new != t.report.drift:
                    updates.append((result_id, t.report.model_copy(update={"drift": new}).to_dict()))
        # Written after the page is read: the read's cursor is closed, so no backend sees a write
        # while a read of the same tables is open on another connection.
        changed += store.update_report_json(updates)
    return changed
