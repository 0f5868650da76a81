"""Timebound actions: who will do what by when.

Finds every action (sentences, bullet items, table rows), its owner and its deadline, and reports what
is missing: no owner, no deadline, a vague timescale, a vague verb with no measurable outcome, or a
deadline already past at the record's date. Past events and the child's quoted wishes are not actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from analyser import dates
from analyser.checks import CheckResult, clamp, finding, register, wants_tags
from analyser.facts import Facts
from analyser.nlp import Analysis, Unit
from analyser.report import Action, Finding
from analyser.rubric import Rubric

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

DIMENSION = "timebound_actions"

# Verbs that describe a state, not something anyone will do ("you will live with", "you will be 16").
STATE_VERBS = {
    "be", "live", "stay", "remain", "feel", "seem", "enjoy", "like", "love", "want", "know", "belong",
    "need", "turn", "become", "hope", "wish", "understand", "prefer", "miss", "grow", "get", "benefit",
    "deserve", "mean", "depend", "appear", "look", "sound",
}
# "have" is an action only with an event ("will have her health assessment").
EVENT_NOUNS = {
    "assessment", "check", "appointment", "review", "meeting", "session", "sessions", "visit", "visits",
    "time", "contact", "test", "medical", "health", "dental", "interview", "conversation", "course",
    "training", "therapy", "counselling", "referral", "check-up", "checkup", "call", "calls", "lesson",
    "lessons", "support", "plan", "pep",
}
# Words introducing the child's own words or wishes: a cue inside them is not a commitment.
REPORTED = re.compile(
    r"\b(told (me|us|your \w+|the \w+)|you said|(he|she|they) said|said that|you asked|you wrote|"
    r"would (like|love|prefer)|you want|(he|she) wants|you wish|you hope|you feel|you think|you thought|"
    r"you were worried|in your words)\b",
    re.I,
)
# Roles and relations that can own an action.
ROLE_WORDS = {
    "sw", "social", "worker", "iro", "carer", "carers", "fc", "fcs", "mum", "mother", "dad", "father",
    "parents", "parent", "nan", "nana", "grandma", "grandmother", "grandad", "grandfather", "grandparents",
    "aunt", "auntie", "uncle", "school", "teacher", "senco", "head", "headteacher", "nurse", "visitor",
    "gp", "doctor", "camhs", "pa", "adviser", "advisor", "manager", "tm", "virtual", "police", "yot", "yjs",
    "therapist", "keyworker", "key", "staff", "authority", "la", "council", "solicitor", "advocate",
    "family", "brother", "sister", "agency", "panel", "ifa", "college", "provider", "team", "service",
    "services", "practitioner", "officer", "chair", "clinician", "psychologist", "paediatrician",
    "counsellor", "mentor", "tutor", "coordinator", "co-ordinator", "lead", "dsl", "dt", "vsh", "hv",
    "cafcass", "guardian", "landlord", "housing", "health", "professionals", "professional", "network",
    "everyone", "all", "partner", "partners", "friend", "grandparent", "home", "unit", "residential",
    "placement", "foster", "kinship", "stepdad", "stepmum", "step-dad", "step-mum", "siblings",
}
PERSON_PRONOUNS = {"i", "we", "you", "he", "she", "they"}
NOT_OWNERS = {"it", "this", "that", "there", "these", "those", "which", "what", "plan", "review", "everything"}
# Common imperative openings of an action bullet ("Book dental check by 3 May").
ACTION_VERBS = {
    "arrange", "book", "complete", "refer", "make", "attend", "visit", "update", "write", "send", "apply",
    "register", "request", "provide", "share", "organise", "organize", "ensure", "explore", "support",
    "monitor", "continue", "hold", "convene", "review", "seek", "obtain", "undertake", "carry", "contact",
    "liaise", "speak", "meet", "plan", "set", "offer", "agree", "identify", "discuss", "consider", "chase",
    "follow", "check", "sign", "start", "enrol", "enroll", "open", "find", "help", "take", "give", "ask",
    "invite", "source", "secure", "increase", "reduce", "buy", "read", "fill", "submit", "confirm",
    "encourage", "progress", "look", "work", "engage", "talk", "prepare", "produce", "create", "draft",
    "collect", "order", "renew", "replace", "schedule", "call", "phone", "email", "inform", "notify",
    "introduce", "teach", "practise", "practice", "learn", "save", "budget", "apply", "explain", "record",
    "distribute", "share", "re-refer", "escalate", "approve", "assess", "screen", "measure", "pay", "fund",
}
MODAL_CUES = {"will", "shall", "'ll", "ll", "wo"}
NEED_CUES = {"need", "needs", "must", "should", "ought"}
_CLAUSE_BREAK = {",", ";", ":", "that", "so", "because", "once", "if", "when", "after", "while", "(", "–", "—", "-", "whilst", "where", "but", "as", "until", "which", "who"}
_LEAD_SKIP = {"and", "also", "then", "therefore", "additionally", "furthermore", "now", "the", "in", "addition"}
_TRAIL_SKIP = {"also", "now", "then", "still", "both", "all", "each", "again", "further", "jointly", "together"}
_HEADER_ACTION = re.compile(r"\b(action|actions|what|task|recommendation|recommendations|decision|decisions|outcome|need|needs|activity|plan|step|steps|goal|objective|target|agreed)\b", re.I)
_HEADER_WHO = re.compile(r"\b(who|whom|responsible|lead|owner|person|worker|agency|by who)\b", re.I)
_HEADER_WHEN = re.compile(r"\b(when|timescale|timescales|deadline|date|timeframe|time ?frame|by when|due|target date|review date)\b", re.I)
_HEADER_STATUS = re.compile(r"\b(status|progress|done|update|rag|complete[d]?|outcome of)\b", re.I)
_EMPTY_CELL = re.compile(r"^\s*(|-+|–|n/?a|none|nil|\?+)\s*$", re.I)
_POSSESSIVE = re.compile(r"('s|’s|'|’)$")
_NUMBER = re.compile(r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once)\b", re.I)
_RECOMMENDATION_PREFIX = re.compile(
    r"^\s*(?:(?:recommendation|rec|decision|action|agreed action|outcome)s?\s*\d*\s*[:.)-]\s*|\(?\d+[.)]\s*|[a-z][.)]\s+)",
    re.I,
)


@dataclass
class _Cue:
    index: int  # token index of the cue
    verb: int  # token index of the main verb, -1 when unknown
    passive: bool = False
    imperative: bool = False
    infinitive_subject: bool = False  # "SW to complete"
    that_clause: bool = False  # "That the social worker completes"


@dataclass
class _Table:
    header: int  # block index of the header row
    rows: list[int] = field(default_factory=list)
    action_col: int | None = None
    who_col: int | None = None
    when_col: int | None = None
    status_col: int | None = None


def _tag(t: "Token") -> str:
    return t.tag_ or ""


def _lemma(t: "Token") -> str:
    return (t.lemma_ or t.lower_).lower()


def _in_quotes(doc: "Doc", i: int) -> bool:
    """True when token i sits inside quotation marks opened earlier in the unit."""
    opens = 0
    for t in doc[:i]:
        if t.text in ('"', "“", "”"):
            opens += 1
    return opens % 2 == 1


def _reported_before(unit: Unit, tok: "Token") -> bool:
    """The cue falls inside reported speech or a wish: 'you told me you would like to ...'."""
    before = unit.text[: tok.idx]
    m = None
    for m in REPORTED.finditer(before):
        pass
    if m is None:
        return False
    # A new clause owned by the author ("..., so I will ...") ends the reported part.
    between = before[m.end() :]
    return not re.search(r"[,;.]\s*(so|and|but|therefore)?\s*(i|we)\b", between, re.I)


def _next_verb(doc: "Doc", j: int, limit: int = 4) -> int:
    """Index of the first verb at or after j, skipping adverbs and 'not' (within a few tokens)."""
    for k in range(j, min(len(doc), j + limit)):
        tag = _tag(doc[k])
        if tag.startswith("VB") or tag == "MD":
            return k
        if tag in ("RB", "RBR", "RBS", ",") or doc[k].lower_ in ("also", "then", "now", "both", "all", "each", "jointly"):
            continue
        return -1
    return -1


def _negated(doc: "Doc", i: int) -> bool:
    return any(doc[k].lower_ in ("not", "n't", "never") for k in range(i + 1, min(len(doc), i + 3)))


def _resolve_main(doc: "Doc", v: int) -> tuple[int, bool, bool]:
    """From the verb after a modal: (main verb index, passive, is_action)."""
    lemma = _lemma(doc[v])
    if lemma == "be":
        nxt = _next_verb(doc, v + 1, 3)
        if nxt != -1 and _tag(doc[nxt]) == "VBN":
            return nxt, True, True
        return v, False, False  # copular or progressive: "will be 16", "will be living"
    if lemma == "continue" and v + 2 < len(doc) and doc[v + 1].lower_ == "to":
        inner = v + 2
        if _lemma(doc[inner]) in STATE_VERBS:
            return inner, False, False
        return v, False, True
    if lemma == "have":
        window = {t.lower_ for t in doc[v + 1 : v + 5]}
        if window & EVENT_NOUNS:
            return v, False, True
        if v + 1 < len(doc) and doc[v + 1].lower_ == "to":  # "will have to complete"
            inner = _next_verb(doc, v + 2, 2)
            return (inner, False, True) if inner != -1 else (v, False, False)
        return v, False, False
    if lemma in STATE_VERBS:
        return v, False, False
    return v, False, True


def _subject_tokens(doc: "Doc", cue: int) -> list["Token"]:
    """The noun phrase before the cue, within its clause."""
    segments: list[list["Token"]] = [[]]
    for t in doc[:cue]:
        if t.lower_ in _CLAUSE_BREAK or t.text in _CLAUSE_BREAK:
            segments.append([])
        else:
            segments[-1].append(t)
    subject: list["Token"] = []
    for seg in reversed(segments):
        if seg:
            subject = seg
            break
    while subject and subject[0].lower_ in _LEAD_SKIP and len(subject) > 1:
        subject = subject[1:]
    while subject and (subject[-1].lower_ in _TRAIL_SKIP or _tag(subject[-1]) in ("RB", "MD")):
        subject = subject[:-1]
    # If a verb sits inside, only the trailing noun phrase is the subject.
    for k in range(len(subject) - 1, -1, -1):
        if _tag(subject[k]).startswith("VB") and subject[k].lower_ not in ROLE_WORDS:
            subject = subject[k + 1 :]
            break
    return subject


def _is_owner(tokens: list["Token"], child_name: str | None) -> bool:
    if not tokens:
        return False
    words = [t.lower_ for t in tokens]
    if len(words) == 1 and words[0] in NOT_OWNERS:
        return False
    if words[0] in NOT_OWNERS and len(words) <= 2:
        return False
    if any(w in PERSON_PRONOUNS for w in words):
        return True
    if any(_POSSESSIVE.sub("", w.strip(".")) in ROLE_WORDS for w in words):
        return True
    if child_name and any(t.text == child_name for t in tokens):
        return True
    # A capitalised name that is not the first word of the unit, or a title ("Ms Okafor").
    return any(
        t.text[:1].isupper() and t.is_alpha and (_tag(t) in ("NNP", "NNPS") or t.i > 0) and t.lower_ not in NOT_OWNERS
        for t in tokens
    )


def _span_text(unit: Unit, tokens: list["Token"]) -> tuple[int, int, str]:
    s = tokens[0].idx
    e = tokens[-1].idx + len(tokens[-1].text)
    return s, e, unit.text[s:e]


def _find_cue(unit: Unit, in_action_section: bool) -> _Cue | None:
    doc = unit.doc
    if doc is None or len(doc) == 0:
        return None
    if unit.text.rstrip().endswith("?"):
        return None
    prefix = _RECOMMENDATION_PREFIX.match(unit.text)
    start_tok = 0
    if prefix:
        while start_tok < len(doc) and doc[start_tok].idx < prefix.end():
            start_tok += 1
    n = len(doc)
    # "That the social worker completes ..." (review recommendations).
    if start_tok < n and doc[start_tok].lower_ == "that":
        for k in range(start_tok + 1, min(n, start_tok + 10)):
            tag = _tag(doc[k])
            if tag in ("VBZ", "VBP", "VB") or doc[k].lower_ in MODAL_CUES | NEED_CUES:
                if doc[k].lower_ in MODAL_CUES | NEED_CUES:
                    v = _next_verb(doc, k + 1)
                    if v == -1:
                        break
                    main, passive, ok = _resolve_main(doc, v)
                    return _Cue(k, main, passive=passive, that_clause=True) if ok else None
                return _Cue(k, k, that_clause=True)
    for i in range(start_tok, n):
        tok = doc[i]
        low = tok.lower_
        if low not in _LOOP_CUES:  # nothing below fires on other words: skip the costly quote/speech tests
            continue
        if _in_quotes(doc, i) or _reported_before(unit, tok):
            continue
        if low in MODAL_CUES and _tag(tok) == "MD":
            if _negated(doc, i):
                continue
            v = _next_verb(doc, i + 1)
            if v == -1:
                continue
            main, passive, ok = _resolve_main(doc, v)
            if ok:
                return _Cue(i, main, passive=passive)
            continue
        if low in NEED_CUES and (_tag(tok) in ("MD", "VBZ", "VBP") or low in ("need", "needs")):
            if low in ("need", "needs") and not (i + 1 < n and doc[i + 1].lower_ == "to"):
                continue
            if _negated(doc, i) or (i + 1 < n and doc[i + 1].lower_ == "have"):
                continue
            j = i + 2 if low in ("need", "needs") else i + 1
            v = _next_verb(doc, j)
            if v == -1:
                continue
            main, passive, ok = _resolve_main(doc, v)
            if ok:
                return _Cue(i, main, passive=passive)
            continue
        if low == "to" and i + 1 < n:
            prev = doc[i - 1].lower_ if i > 0 else ""
            nxt = doc[i + 1]
            # "is to", "are to", "has to", "going to", "agreed to", "asked to", "expected to"
            if prev in ("is", "are", "has", "have", "going", "agreed", "asked", "expected", "responsible", "plans", "aims", "intends", "committed"):
                if prev in ("has", "have") and i >= 2 and doc[i - 2].lower_ in ("will",):
                    pass
                if prev == "agreed" and i >= 2 and doc[i - 2].lower_ == "have":
                    pass
                v = _next_verb(doc, i + 1, 2)
                if v != -1 and _tag(doc[v]) == "VB":
                    main, passive, ok = _resolve_main(doc, v)
                    if ok:
                        return _Cue(i, main, passive=passive)
                continue
            # "SW to complete ...": a subject then a bare infinitive, at the start of the unit or clause.
            if _tag(nxt) == "VB" and i > start_tok:
                before = doc[start_tok:i]
                if all(_tag(t) in ("NNP", "NNPS", "NN", "NNS", "DT", "PRP$", "CC", "POS", "HYPH", "JJ", "-LRB-", "-RRB-", ",", "PRP") or t.lower_ in ROLE_WORDS for t in before):
                    main, passive, ok = _resolve_main(doc, i + 1)
                    if ok or _lemma(doc[i + 1]) == "be":
                        if _lemma(doc[i + 1]) == "be":
                            v2 = _next_verb(doc, i + 2, 2)
                            if v2 == -1 or _tag(doc[v2]) != "VBN":
                                continue
                            return _Cue(i, v2, passive=True, infinitive_subject=True)
                        return _Cue(i, main, passive=passive, infinitive_subject=True)
        # "... to be completed by ..." with no subject: a passive requirement.
        if low == "to" and i + 2 < n and doc[i + 1].lower_ == "be" and _tag(doc[i + 2]) == "VBN" and i == start_tok + 0:
            return _Cue(i, i + 2, passive=True, infinitive_subject=True)
    # Imperatives ("Book the dental check by 3 May", "To complete the PEP") in bullets, rows, action sections.
    if unit.kind in ("bullet", "table_row") or in_action_section:
        k = start_tok
        if k < n and doc[k].lower_ == "to" and k + 1 < n:
            k += 1
        if k < n:
            first = doc[k]
            if first.lower_ in ACTION_VERBS and _tag(first) in ("VB", "VBP", "NN", "NNP") and not first.text.isupper():
                nxt = doc[k + 1] if k + 1 < n else None
                # "Contact with mum" is a noun phrase, not an imperative.
                if nxt is not None and nxt.lower_ in ("with", "is", "was", "has", "have", "are", "were", "will"):
                    return None
                return _Cue(k, k, imperative=True)
    return None


_TAGGED_CUES = MODAL_CUES | NEED_CUES | {"to", "that"}
# The words the cue loop in _find_cue acts on; keep in step with its branches.
_LOOP_CUES = MODAL_CUES | NEED_CUES | {"to"}


@wants_tags(DIMENSION)
def _reads_tags(unit: Unit) -> bool:
    """Units :func:`_find_cue` reads tags on: a cue word, or an opening action verb."""
    doc = unit.doc
    if doc is None or unit.kind == "heading" or unit.text.rstrip().endswith("?"):
        return False
    return any(t.lower_ in _TAGGED_CUES for t in doc) or any(t.lower_ in ACTION_VERBS for t in doc[:3])


def _passive_agent(unit: Unit, doc: "Doc", cue: _Cue, deadline: dates.DateMention | None) -> list["Token"]:
    """The 'by X' agent of a passive action, when X is not the deadline."""
    for k in range(cue.verb + 1, len(doc)):
        if doc[k].lower_ == "by" and k + 1 < len(doc):
            if deadline is not None and deadline.start <= doc[k].idx < deadline.end:
                continue
            agent: list["Token"] = []
            for t in doc[k + 1 :]:
                if deadline is not None and t.idx >= deadline.start:
                    break
                if t.is_punct and t.text not in ("(", ")", "'", "’"):
                    break
                if t.lower_ in ("by", "on", "before", "within", "at", "in", "to", "and", "so", "as", "for"):
                    if t.lower_ == "and" and agent:
                        agent.append(t)
                        continue
                    break
                agent.append(t)
            return agent
    return []


def _owner_from_suffix(unit: Unit) -> tuple[int, int, str] | None:
    """Owners written after the action: '... (SW)', '... - Mum', 'Lead: IRO'."""
    m = re.search(r"(?:\(|[-–—]\s*|\b(?:lead|owner|responsible|who)\s*:\s*)([A-Z][\w .'’/&]{1,40}?)\)?\s*[.;]?\s*$", unit.text)
    if m:
        value = m.group(1).strip()
        low = value.lower()
        if any(_POSSESSIVE.sub("", w.strip(".")) in ROLE_WORDS for w in low.split()) or re.match(r"^(mr|mrs|ms|miss|dr)\b", low):
            return m.start(1), m.start(1) + len(value), value
    return None


def _table_index(analysis: Analysis) -> dict[int, _Table]:
    """Map each table-row block index to its table, finding action tables from their header row."""
    blocks = analysis.document.blocks
    text = analysis.text
    tables: dict[int, _Table] = {}
    current: _Table | None = None
    for i, b in enumerate(blocks):
        if b.kind != "table_row":
            current = None
            continue
        if current is None:
            current = _Table(header=i)
            cells = [text[s:e] for s, e in b.cells] if b.cells else [text[b.start : b.end]]
            for c, cell in enumerate(cells):
                if len(cell) > 40:
                    continue
                if current.who_col is None and _HEADER_WHO.search(cell):
                    current.who_col = c
                elif current.when_col is None and _HEADER_WHEN.search(cell):
                    current.when_col = c
                elif current.status_col is None and _HEADER_STATUS.search(cell) and current.action_col is not None:
                    current.status_col = c
                elif current.action_col is None and _HEADER_ACTION.search(cell):
                    current.action_col = c
            if current.action_col is None and (current.who_col is not None or current.when_col is not None):
                current.action_col = 0 if current.who_col != 0 else None
        else:
            current.rows.append(i)
        tables[i] = current
    return tables


def _is_action_table(t: _Table) -> bool:
    return t.action_col is not None and (t.who_col is not None or t.when_col is not None)


_ACTION_SECTION = re.compile(
    r"\b(actions?|recommendations?|recs|decisions?|next steps|what (will|needs to) happen|action plan|agreed|plan|to do|tasks?)\b",
    re.I,
)


def _deadline_for(text: str, facts: Facts) -> dates.DateMention | None:
    return dates.find_deadline(text, facts.date, facts.next_review)


@dataclass
class _Draft:
    start: int
    end: int
    owner: tuple[int, int, str] | None
    deadline: dates.DateMention | None  # offsets absolute
    vague: list[tuple[int, int, str]]
    verb: tuple[int, int, str] | None  # the main verb, for the vague-verb problem
    measurable: bool


def _shift(m: dates.DateMention, by: int) -> dates.DateMention:
    return dates.DateMention(m.start + by, m.end + by, m.text, m.value, m.kind)


def _table_action(analysis: Analysis, unit: Unit, table: _Table, facts: Facts, rubric: Rubric) -> _Draft | None:
    block = analysis.document.blocks[unit.block]
    if not block.cells or table.action_col is None or table.action_col >= len(block.cells):
        return None
    text = analysis.text
    a_s, a_e = block.cells[table.action_col]
    if _EMPTY_CELL.match(text[a_s:a_e]):
        return None
    if table.status_col is not None and table.status_col < len(block.cells):
        s, e = block.cells[table.status_col]
        if re.match(r"^\s*(done|completed?|achieved|closed)\b", text[s:e], re.I):
            return None
    owner = None
    if table.who_col is not None and table.who_col < len(block.cells):
        s, e = block.cells[table.who_col]
        if not _EMPTY_CELL.match(text[s:e]) and not re.match(r"^\s*(tbc|tba|to be confirmed|unknown|all)\s*$", text[s:e], re.I):
            owner = (s, e, text[s:e])
    deadline = None
    vague: list[tuple[int, int, str]] = []
    if table.when_col is not None and table.when_col < len(block.cells):
        s, e = block.cells[table.when_col]
        cell = text[s:e]
        found = _deadline_for(cell, facts)
        if found is None:
            bare = dates.find_dates(cell, facts.date)
            if bare:
                found = bare[0]
        if found is not None:
            deadline = _shift(found, s)
        vague = [(s + a, s + b, t) for a, b, t in dates.find_vague_timescales(cell, rubric.lexicons.vague_timescales)]
    action_text = text[a_s:a_e]
    if deadline is None:
        found = _deadline_for(action_text, facts)
        if found is not None:
            deadline = _shift(found, a_s)
    if not vague:
        vague = [(a_s + a, a_s + b, t) for a, b, t in dates.find_vague_timescales(action_text, rubric.lexicons.vague_timescales)]
    verb = None
    first = re.match(r"\s*(?:to\s+)?([A-Za-z-]+)", action_text)
    if first:
        verb = (a_s + first.start(1), a_s + first.end(1), first.group(1))
    return _Draft(block.start, block.end, owner, deadline, vague, verb, bool(_NUMBER.search(_strip_span(action_text, None))))


def _strip_span(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return text
    return text[: span[0]] + text[span[1] :]


def _unit_action(unit: Unit, facts: Facts, rubric: Rubric, in_action_section: bool) -> _Draft | None:
    cue = _find_cue(unit, in_action_section)
    if cue is None or unit.doc is None:
        return None
    doc = unit.doc
    found = _deadline_for(unit.text, facts)
    owner_tokens: list["Token"] = []
    if not cue.imperative:
        if cue.that_clause:
            first = 0
            while first < len(doc) and doc[first].lower_ != "that":
                first += 1
            owner_tokens = list(doc[first + 1 : cue.index])
        else:
            owner_tokens = _subject_tokens(doc, cue.index)
        if cue.passive and not cue.infinitive_subject or (cue.passive and not _is_owner(owner_tokens, facts.child_name)):
            owner_tokens = _passive_agent(unit, doc, cue, found)
    owner = None
    if owner_tokens and _is_owner(owner_tokens, facts.child_name):
        s, e, t = _span_text(unit, owner_tokens)
        owner = (unit.start + s, unit.start + e, t)
    elif cue.imperative or cue.passive:
        suffix = _owner_from_suffix(unit)
        if suffix:
            owner = (unit.start + suffix[0], unit.start + suffix[1], suffix[2])
    vague = [(unit.start + a, unit.start + b, t) for a, b, t in dates.find_vague_timescales(unit.text, rubric.lexicons.vague_timescales)]
    verb = None
    if 0 <= cue.verb < len(doc):
        v = doc[cue.verb]
        verb = (unit.start + v.idx, unit.start + v.idx + len(v.text), _lemma(v))
        # Phrasal vague verbs: "work with", "look at", "liaise with", "continue to".
        if cue.verb + 1 < len(doc) and doc[cue.verb + 1].lower_ in ("with", "at", "into", "to", "under"):
            nxt = doc[cue.verb + 1]
            verb = (verb[0], unit.start + nxt.idx + len(nxt.text), f"{verb[2]} {nxt.lower_}")
    dl_span = (found.start, found.end) if found else None
    measurable = bool(_NUMBER.search(_strip_span(unit.text, dl_span)))
    return _Draft(
        unit.start,
        unit.end,
        owner,
        _shift(found, unit.start) if found else None,
        vague,
        verb,
        measurable,
    )


def _is_vague_verb(verb: tuple[int, int, str] | None, rubric: Rubric) -> bool:
    if verb is None:
        return False
    lexicon = set(rubric.lexicons.vague_verbs)
    phrase = verb[2].lower()
    return phrase in lexicon or phrase.split()[0] in lexicon


def _fmt(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


@register(DIMENSION)
def check(analysis: Analysis, facts: Facts, rubric: Rubric) -> CheckResult:
    """Find actions and score how many say who will do what by when."""
    settings = rubric.timebound
    tables = _table_index(analysis)
    blocks = analysis.document.blocks
    text = analysis.text
    drafts: list[_Draft] = []
    for unit in analysis.units:
        if unit.kind == "heading":
            continue
        if unit.kind == "table_row":
            table = tables.get(unit.block)
            if table is not None and _is_action_table(table):
                if unit.block == table.header:
                    continue
                draft = _table_action(analysis, unit, table, facts, rubric)
                if draft is not None:
                    drafts.append(draft)
                continue
        heading = text[blocks[unit.section].start : blocks[unit.section].end] if unit.section >= 0 else ""
        in_action_section = bool(heading and _ACTION_SECTION.search(heading))
        draft = _unit_action(unit, facts, rubric, in_action_section)
        if draft is not None:
            drafts.append(draft)

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
                    dl.start, dl.end, "State the next review date in the record, or give a date here."))
            elif dl.kind == "open":
                pass
            else:
                timebound = dl.value is not None or dl.kind in ("recurring", "relative")
        if not timebound:
            if d.vague:
                vs, ve, vt = d.vague[0]
                problems.append("vague_timescale")
                counts["vague_timescale"] += 1
                penalty += settings.penalty_vague_timescale
                findings.append(finding(analysis, DIMENSION, "vague_timescale", "warning",
                    f"'{vt}' is not a timescale: nobody can tell when this is late.", vs, ve,
                    "Replace it with a date or a period, e.g. 'by 30 June 2025' or 'within 4 weeks'."))
            elif "next_review_unknown" not in problems:
                problems.append("no_deadline")
                penalty += settings.penalty_no_deadline
                findings.append(finding(analysis, DIMENSION, "no_deadline", "warning",
                    "This action has no date or timescale.", d.start, d.end,
                    "Add when it will be done, e.g. 'by 15 March 2025' or 'within 10 working days'."))
            else:
                penalty += settings.penalty_no_deadline
            counts["not_timebound"] += 1
        if d.owner is None:
            problems.append("no_owner")
            counts["no_owner"] += 1
            penalty += settings.penalty_no_owner
            findings.append(finding(analysis, DIMENSION, "no_owner", "warning",
                "Nobody is named to do this.", d.start, d.end,
                "Say who will do it, e.g. 'Jo (your social worker) will ...' or 'Mum will ...'."))
        if _is_vague_verb(d.verb, rubric) and not d.measurable:
            assert d.verb is not None
            problems.append("vague_verb")
            counts["vague_verb"] += 1
            penalty += settings.penalty_vague_verb
            findings.append(finding(analysis, DIMENSION, "vague_verb", "info",
                f"'{text[d.verb[0]:d.verb[1]]}' does not say what will be done or how anyone will know it is done.",
                d.verb[0], d.verb[1],
                "Name the outcome and how it will be measured, e.g. 'improve attendance from 63% to 85%'."))
        if dl is not None and dl.value is not None and facts.date is not None and dl.kind == "absolute" and dl.value < facts.date:
            problems.append("deadline_past")
            counts["deadline_past"] += 1
            penalty += settings.penalty_deadline_past
            findings.append(finding(analysis, DIMENSION, "deadline_past", "warning",
                f"The deadline ({_fmt(dl.value)}) had already passed when the record was written ({_fmt(facts.date)}).",
                dl.start, dl.end, "Give a new date, or record the action as done."))
        per_action_scores.append(max(0.0, 100.0 - penalty))
        actions.append(Action(
            text=text[d.start : d.end],
            start=d.start,
            end=d.end,
            owner=d.owner[2] if d.owner else None,
            deadline_text=dl.text if dl is not None else (d.vague[0][2] if d.vague else None),
            deadline=dl.value.isoformat() if dl is not None and dl.value is not None else None,
            timebound=timebound,
            problems=problems,
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
            return CheckResult(settings.score_no_actions, "No actions found.", metrics, findings, actions)
        return CheckResult(100.0, "No actions expected for this kind of record.", metrics, findings, actions)
    score = clamp(sum(per_action_scores) / n)
    summary = (
        f"{timebound_n} of {n} actions are timebound and {owned} of {n} name who will do them"
        + (f"; {counts['vague_timescale']} use a vague timescale" if counts["vague_timescale"] else "")
        + (f"; {counts['deadline_past']} deadlines had already passed" if counts["deadline_past"] else "")
        + "."
    )
    return CheckResult(score, summary, metrics, findings, actions)
