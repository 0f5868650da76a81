"""Timebound actions: who will do what by when.

Finds every action (sentences, bullet items, table rows), its owner and its deadline, and reports what
is missing: no owner, no deadline, a vague timescale, a vague verb with no measurable outcome, or a
deadline already past at the record's date. Past events and the child's quoted wishes are not actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from analyser import dates
from analyser.checks import ACTIONS, CheckContext, CheckResult, clamp, finding, wants_tags
from analyser.facts import Facts
from analyser.nlp import Analysis, Unit
from analyser.report import Action, Finding
from analyser.registry import Appearance, register
from analyser.rubric import CheckSettings, Rubric

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

DIMENSION = "timebound_actions"


class TimeboundSettings(CheckSettings):
    penalty_no_owner: float = Field(ge=0, le=100)
    penalty_no_deadline: float = Field(ge=0, le=100)
    penalty_vague_timescale: float = Field(ge=0, le=100)
    penalty_vague_verb: float = Field(ge=0, le=100)
    penalty_deadline_past: float = Field(ge=0, le=100)
    score_no_actions: float = Field(ge=0, le=100)
    requires_actions: list[str]


# Verbs that describe a state, not something anyone will do ("you will live with", "you will be 16").
STATE_VERBS = {
    "be", "live", "stay", "remain", "feel", "seem", "enjoy", "like", "love", "want", "know", "belong",
    "need", "turn", "become", "hope", "wish", "understand", "prefer", "miss", "grow", "benefit",
    "deserve", "mean", "depend", "appear", "sound",
}
# "have" is an action only with an event ("will have her health assessment").
EVENT_NOUNS = {
    "assessment", "check", "appointment", "review", "meeting", "session", "sessions", "visit", "visits",
    "time", "contact", "test", "medical", "health", "dental", "interview", "conversation", "course",
    "training", "therapy", "counselling", "referral", "check-up", "checkup", "call", "calls", "lesson",
    "lessons", "support", "plan", "pep", "tutor", "tutoring", "mentor", "advocate", "worker", "break",
    "breaks", "holiday", "trip", "place", "chance", "opportunity", "say", "jab", "jabs", "booster",
    "boosters", "vaccination", "vaccinations", "immunisation", "immunisations", "injection", "injections",
    "scan", "operation", "screening", "hearing", "eye", "sight", "x-ray",
}
# Words introducing the child's own words or wishes: a cue inside them is not a commitment.
REPORTED = re.compile(
    r"\b(told (me|us|you|him|her|them|the \w+|your \w+)|said|says|asked|explained|shared|wrote|"
    r"would (like|love|prefer)|wants?|wanted|wishes|wished|hopes?|hoped|feels?|felt|thinks?|thought|"
    r"were worried|was worried|in (your|his|her|their) (own )?words|does not want|doesn't want|"
    r"would rather)\b",
    re.IGNORECASE,
)
# The author's own clause after reported words ends the reported part: "You told me X, so I will ...".
_NEW_CLAUSE = re.compile(r"([,;.]\s*(so|and|but|therefore|then)?\s+\w+|;\s*\w+|\.\s+\w+)", re.IGNORECASE)
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
    "nursery", "ssw", "iso", "tas", "ta", "hospital", "clinic", "dentist", "optician", "court",
    "judge", "commissioning", "fostering", "adoption", "carer's", "carers'", "aunty", "grandma's",
}
PRONOUN_SUBJECTS = {"it", "this", "that", "there", "these", "those", "which", "what", "nothing", "anything", "something", "everything"}
PERSON_PRONOUNS = {"i", "we", "you", "he", "she", "they"}
NOT_OWNERS = {"it", "this", "that", "there", "these", "those", "which", "what", "plan", "review", "everything", "nothing", "anything", "something", "transport", "contact", "referral", "assessment", "work", "support", "money", "time"}
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
    "introduce", "teach", "practise", "practice", "learn", "save", "budget", "explain", "record",
    "distribute", "re-refer", "escalate", "approve", "assess", "screen", "measure", "pay", "fund",
}
MODAL_CUES = {"will", "shall", "'ll", "ll", "wo"}
NEED_CUES = {"need", "needs", "must", "should", "ought"}
_TO_CUES = {"is", "are", "has", "have", "going", "agreed", "asked", "expected", "responsible", "plans", "aims", "intends", "committed", "requested", "required", "offered", "promised", "volunteered"}
_RECOMMEND_VERBS = {"recommend", "agree", "decide", "request", "propose", "suggest", "require", "direct"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_CLAUSE_BREAK = {",", ";", ":", "that", "so", "because", "once", "if", "when", "after", "while", "(", "–", "—", "-", "whilst", "where", "but", "as", "until", "which", "who"}
_LEAD_SKIP = {"and", "also", "then", "therefore", "additionally", "furthermore", "now", "the", "in", "addition"}
_TRAIL_SKIP = {"also", "now", "then", "still", "both", "all", "each", "again", "further", "jointly", "together"}
_HEADER_ACTION = re.compile(r"\b(action|actions|what|task|recommendation|recommendations|decision|decisions|outcome|need|needs|activity|plan|step|steps|goal|objective|target|agreed)\b", re.IGNORECASE)
_HEADER_WHO = re.compile(r"\b(who|whom|responsible|lead|owner|person|worker|agency|by who)\b", re.IGNORECASE)
_HEADER_WHEN = re.compile(r"\b(when|timescale|timescales|deadline|date|timeframe|time ?frame|by when|due|target date|review date)\b", re.IGNORECASE)
_HEADER_STATUS = re.compile(r"\b(status|progress|done|update|rag|complete[d]?|outcome of)\b", re.IGNORECASE)
_EMPTY_CELL = re.compile(r"^\s*(|-+|–|n/?a|none|nil|\?+|no (further )?actions? (required|needed|identified|at (this|present) time)\.?)\s*$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"('s|’s|'|’)$")
_NUMBER = re.compile(r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once)\b", re.IGNORECASE)
# "Recommendation 2:", "Action:", "Plan:", "3.", "b)" before the action itself.
_RECOMMENDATION_PREFIX = re.compile(
    r"^\s*(?:(?:recommendation|rec|decision|action|agreed action|outcome|plan|next steps?)s?\s*\d*\s*[:.)-]\s*|\(?\d+[.)]\s*|[a-z][.)]\s+)",
    re.IGNORECASE,
)


@dataclass
class _Cue:
    index: int  # token index of the cue
    verb: int  # token index of the main verb, -1 when unknown
    passive: bool = False
    imperative: bool = False
    infinitive_subject: bool = False  # "SW to complete"
    that_clause: bool = False  # "That the social worker completes"
    that_index: int = -1  # the "that" opening the clause, when not the first word


@dataclass
class _Table:
    header: int  # block index of the header row
    rows: list[int] = field(default_factory=list)
    action_col: int | None = None
    who_col: int | None = None
    when_col: int | None = None
    status_col: int | None = None
    title: bool = False  # the first row is a title ("Action plan"), the header follows


def _tag(t: Token) -> str:
    return t.tag_ or ""


def _lemma(t: Token) -> str:
    return (t.lemma_ or t.lower_).lower()


def _in_quotes(doc: Doc, i: int) -> bool:
    """True when token i sits inside quotation marks (opened earlier, or closed later in a quote begun
    in the previous unit: '... if someone helps."')."""
    marks = [k for k, t in enumerate(doc) if t.text in ('"', "“", "”")]
    opens = sum(1 for k in marks if k < i)
    if opens % 2 == 1:
        return True
    if len(marks) % 2 == 1 and marks and marks[0] > i and doc[marks[0]].text in ('"', "”"):
        return all(t.text not in ('"', "“") for t in doc[:i])
    return False


def _reported_before(unit: Unit, tok: Token) -> bool:
    """The cue falls inside reported speech or a wish: 'you told me you would like to ...'."""
    before = unit.text[: tok.idx]
    matches = list(REPORTED.finditer(before))
    if not matches:
        return False
    m = matches[-1]  # the nearest reporting words before the cue
    # "I said I will ..." is the author's own commitment.
    if re.search(r"\b(i|we)\s+(have\s+)?$", before[: m.start()], re.IGNORECASE):
        return False
    return not _NEW_CLAUSE.search(before[m.end() :])


def _next_verb(doc: Doc, j: int, limit: int = 4) -> int:
    """Index of the first verb at or after j, skipping adverbs and 'not' (within a few tokens)."""
    for k in range(j, min(len(doc), j + limit)):
        tag = _tag(doc[k])
        if tag.startswith("VB") or tag == "MD":
            return k
        if tag in ("RB", "RBR", "RBS", ",") or doc[k].lower_ in ("also", "then", "now", "both", "all", "each", "jointly"):
            continue
        return -1
    return -1


def _negated(doc: Doc, i: int) -> bool:
    return any(doc[k].lower_ in ("not", "n't", "never") for k in range(i + 1, min(len(doc), i + 3)))


def _resolve_main(doc: Doc, v: int) -> tuple[int, bool, bool]:
    """From the verb after a modal: (main verb index, passive, is_action)."""
    lemma = _lemma(doc[v])
    if lemma == "be":
        nxt = _next_verb(doc, v + 1, 3)
        if nxt != -1 and _tag(doc[nxt]) in ("VBN", "VBD"):
            return nxt, True, True
        # "will be mindful of", "will be available to": a (vague) commitment, not a state.
        if v + 1 < len(doc) and doc[v + 1].lower_ in _COMMITTED_ADJECTIVES:
            return v + 1, False, True
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


def _subject_tokens(doc: Doc, cue: int) -> list[Token]:
    """The noun phrase before the cue, within its clause; for 'Ms Adeyemi, your IRO, will ...' the name."""
    segments: list[list[Token]] = [[]]
    breaks: list[str] = []
    depth = 0
    for t in doc[:cue]:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (t.lower_ in _CLAUSE_BREAK or t.text in _CLAUSE_BREAK or t.text in (".", "!")) and t.text != "(":
            segments.append([])
            breaks.append(t.text)
        else:
            segments[-1].append(t)
    # Walk back over comma-separated noun phrases (an appositive chain) to the clause start.
    chain: list[list[Token]] = []
    k = len(segments) - 1
    while k >= 0:
        seg = _trim_subject(segments[k])
        if seg:
            if any(_tag(t).startswith("VB") and t.lower_ not in ROLE_WORDS for t in seg):
                if not chain:
                    chain.append(seg)
                break
            chain.insert(0, seg)
        if k == 0 or breaks[k - 1] != ",":
            break
        k -= 1
    if not chain:
        return []
    for seg in chain:
        if _is_owner(_head_np(seg), None):
            return _head_np(seg)
    subject = chain[-1]
    # If a verb sits inside, only the trailing noun phrase is the subject.
    for j in range(len(subject) - 1, -1, -1):
        if _tag(subject[j]).startswith("VB") and subject[j].lower_ not in ROLE_WORDS:
            subject = subject[j + 1 :]
            break
    return _head_np(subject)


def _trim_subject(subject: list[Token]) -> list[Token]:
    while subject and subject[0].lower_ in _LEAD_SKIP and len(subject) > 1:
        subject = subject[1:]
    while subject and (subject[-1].lower_ in _TRAIL_SKIP or (_tag(subject[-1]) in ("RB", "MD") and subject[-1].text.islower())):
        subject = subject[:-1]
    return subject


_PROCESS_NOUN = re.compile(r"(tions?|ments?|ances?|ences?|ings?|als|sis|ities|ity)$")
# Things that head a subject but never do anything themselves ("Family time to increase").
THING_HEADS = {
    "time", "contact", "sessions", "session", "finding", "plan", "review", "assessment", "referral", "work",
    "support", "therapy", "counselling", "funding", "transport", "arrangements", "arrangement", "visits",
    "meeting", "meetings", "application", "report", "order", "matching", "placement", "accommodation",
    "education", "health", "money", "it", "this", "that", "everything", "nothing", "rha", "iha", "pep",
    "ehcp", "lsw", "planning", "intervention", "tuition", "medication", "appointment", "check",
}


def _head_token(tokens: list[Token]) -> Token | None:
    """The last word of the noun phrase outside brackets: 'Jo (your social worker)' -> 'Jo'."""
    head = None
    for _, t in _outside_brackets(tokens):
        if (t.is_alpha or t.text.isalnum()) and _tag(t) != "POS":
            head = t
    return head


def _is_owner(tokens: list[Token], child_name: str | None) -> bool:
    """Does this noun phrase name someone who can act: a person, a role, a service, 'I', 'you'?"""
    head = _head_token(tokens)
    if head is None:
        return False
    word = _POSSESSIVE.sub("", head.lower_.strip("."))
    if word in PERSON_PRONOUNS:
        return True
    if word in ROLE_WORDS:
        return True
    if word in THING_HEADS or word in NOT_OWNERS or word in PRONOUN_SUBJECTS:
        return False
    # "Introductions", "Arrangements", "Assessment": processes, not people.
    if _PROCESS_NOUN.search(word) and _tag(head) not in ("NNP", "NNPS") and (head.text.islower() or head.i == 0):
        return False
    if child_name and head.text == child_name:
        return True
    # A name: capitalised and not a common noun ("Grace", "Ms Okafor", "Mr & Mrs Grant").
    # The small tagger sometimes calls an unfamiliar name a pronoun ("Ibrahim"/PRP).
    if head.text[:1].isupper() and head.is_alpha and (_tag(head) in ("NNP", "NNPS", "NN", "NNS") or (_tag(head) == "PRP" and len(head.text) > 3)):
        return _tag(head) in ("NNP", "NNPS") or head.i > 0 or len(tokens) == 1 or head.text.isupper()
    return False


def _span_text(unit: Unit, tokens: list[Token]) -> tuple[int, int, str]:
    s = tokens[0].idx
    e = tokens[-1].idx + len(tokens[-1].text)
    return s, e, unit.text[s:e]


def _clause_start(doc: Doc, start_tok: int, i: int) -> int:
    """Index just after the last strong clause break (';', ':', a dash) before token i."""
    k = start_tok
    depth = 0
    for j in range(start_tok, i):
        if doc[j].text == "(":
            depth += 1
        elif doc[j].text == ")":
            depth = max(0, depth - 1)
        elif doc[j].text in (";", ":", "–", "—") or (doc[j].text == "-" and doc[j].whitespace_):
            k = j + 1
        elif doc[j].text == "," and depth == 0 and _TIME_LEAD.match(doc[k].lower_ if k < i else ""):
            k = j + 1  # "Within 10 working days, life story work to be completed."
    return k


def _verb_like(t: Token) -> bool:
    """Tagged as a verb, or a known action verb the tagger missed in terse minutes ('SW to present')."""
    return _tag(t) in ("VB", "VBP") or (t.lower_ in ACTION_VERBS and t.text.islower())


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
    if start_tok + 2 < n and doc[start_tok].lower_ == "that" and not _tag(doc[start_tok + 1]).startswith("VB") and doc[start_tok + 1].lower_ not in MODAL_CUES:
        for k in range(start_tok + 2, min(n, start_tok + 10)):
            tag = _tag(doc[k])
            if tag == "VBD":
                break  # "That night your mum was not well enough to keep you safe": a story, not a recommendation
            if tag == "VB" and doc[k - 1].lower_ == "to":
                continue
            if tag in ("VBZ", "VBP", "VB") or doc[k].lower_ in MODAL_CUES | NEED_CUES:
                if doc[k].lower_ in MODAL_CUES | NEED_CUES:
                    v = _next_verb(doc, k + 1)
                    if v == -1:
                        break
                    main, passive, ok = _resolve_main(doc, v)
                    return _Cue(k, main, passive=passive, that_clause=True) if ok else None
                return _Cue(k, k, that_clause=True)
    # "The IRO recommends that the social worker completes ...", "It was agreed that Mum attends ...".
    for k in range(start_tok, n - 2):
        if doc[k].lower_ == "that" and k >= 1 and _lemma(doc[k - 1]) in _RECOMMEND_VERBS:
            for j in range(k + 2, min(n, k + 10)):
                if doc[j].lower_ in MODAL_CUES | NEED_CUES:
                    break  # the modal loop below handles "agreed that X will ..."
                if _tag(doc[j]) in ("VBZ", "VBP", "VB") and not _tag(doc[j - 1]).startswith("VB"):
                    main, passive, ok = _resolve_main(doc, j)
                    if ok:
                        return _Cue(j, main, passive=passive, that_clause=True, that_index=k)
                    break
    for i in range(start_tok, n):
        tok = doc[i]
        low = tok.lower_
        if low not in MODAL_CUES and low not in NEED_CUES and low != "to":
            continue
        if _in_quotes(doc, i) or _reported_before(unit, tok):
            continue
        if low in MODAL_CUES and _tag(tok) == "MD":
            if _negated(doc, i) or (i > 0 and doc[i - 1].lower_ in ("which", "who", "whom")):
                continue
            v = _next_verb(doc, i + 1)
            if v == -1:
                continue
            main, passive, ok = _resolve_main(doc, v)
            if ok:
                return _Cue(i, main, passive=passive)
            continue
        if low in NEED_CUES and _tag(tok) in ("MD", "VBZ", "VBP", "VB"):
            if low in ("need", "needs") and not (i + 1 < n and doc[i + 1].lower_ == "to"):
                continue
            if _negated(doc, i) or (i + 1 < n and doc[i + 1].lower_ == "have") or (i > 0 and doc[i - 1].lower_ in ("not", "n't")):
                continue
            # "..., which will need to be addressed": a relative clause describing, not a commitment.
            if i >= 2 and doc[i - 1].lower_ in MODAL_CUES and doc[i - 2].lower_ in ("which", "who", "whom"):
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
            # "is to", "are to", "has to", "going to", "agreed to", "asked to", "expected to"
            if prev in _TO_CUES:
                aux = i - 1
                if prev == "going" and i >= 2:
                    aux = i - 2
                # "was going to", "were asked to", "did not have to": past or negated, not a commitment.
                if aux >= 1 and doc[aux].lower_ not in ("is", "are", "am", "has", "have") and doc[aux - 1].lower_ in ("was", "were", "had", "not", "n't"):
                    continue
                if doc[aux].lower_ in ("was", "were") or (aux >= 1 and doc[aux - 1].lower_ in ("not", "n't", "never")):
                    continue
                # "You agreed to meet ..." is a past agreement; "Mum has agreed to ..." is a commitment.
                if prev in ("agreed", "asked", "expected", "requested", "required", "offered", "promised", "volunteered") and not (
                    aux >= 1 and doc[aux - 1].lower_ in ("has", "have", "is", "are", "been", "'s", "am")
                ):
                    continue
                v = _next_verb(doc, i + 1, 2)
                if v != -1 and _tag(doc[v]) == "VB":
                    main, passive, ok = _resolve_main(doc, v)
                    if ok:
                        # The subject sits before the whole auxiliary chain: "Mum has (been) asked to ...".
                        while aux >= 1 and doc[aux - 1].lower_ in ("has", "have", "is", "are", "am", "been", "'s", "being"):
                            aux -= 1
                        return _Cue(aux, main, passive=passive)
                continue
            # "too young to attend", "able to", "old enough to": not a commitment.
            if prev in ("enough", "able", "unable", "young", "old", "ready", "keen", "happy", "want", "wants", "like", "likes", "love") or (
                i >= 2 and doc[i - 2].lower_ == "too"
            ):
                continue
            # "SW to complete ...", "Referral to be made ...": a subject, then an infinitive, with no
            # finite verb before it in the clause (so "you want to go" and "went to school" are not cues).
            first = _clause_start(doc, start_tok, i)
            if i == first:
                continue
            before = doc[first:i]
            if any(_tag(t) in _FINITE for t in before) or any(_tag(t) == "VBD" for t in before):
                continue
            if any(t.is_punct and t.text not in ("'", "’", "-") for _, t in _outside_brackets(before)):
                continue
            nxt = doc[i + 1]
            if _lemma(nxt) == "be" and nxt.lower_ == "be":
                v2 = _next_verb(doc, i + 2, 2)
                if v2 != -1 and _tag(doc[v2]) in ("VBN", "VBD") and not _finite_after(doc, v2 + 1):
                    return _Cue(i, v2, passive=True, infinitive_subject=True)
                continue
            head = _head_np(list(before))
            owner_like = _is_owner(head, None)
            if owner_like:
                if not (_verb_like(nxt) or (nxt.is_alpha and nxt.text.islower() and _tag(nxt) not in ("DT", "PRP", "PRP$", "CD", "IN"))):
                    continue
            else:
                # "Family time to increase": a thing as subject needs a clear verb, a noun head, and no
                # finite verb after it ("The application to discharge the order was meant ...").
                if _tag(nxt) not in ("VB", "VBP") or not head or _tag(head[-1]) not in ("NN", "NNS", "NNP", "NNPS", "VBG"):
                    continue
                if _tag(head[-1]) == "VBG" and len(head) < 2 and not unit.text.rstrip().endswith("."):
                    continue  # "Learning to look after yourself" is a title; "Matching to go to panel." a plan
                if head[-1].lower_ in PRONOUN_SUBJECTS or _finite_after(doc, i + 2):
                    continue
            main, passive, ok = _resolve_main(doc, i + 1)
            if not ok and _lemma(nxt) in ("stay", "remain", "continue") and _has_time(unit.text):
                ok = True  # "Family time to stay every Tuesday": an arrangement with a when
            if ok:
                return _Cue(i, main, passive=passive, infinitive_subject=True)
    # Imperatives ("Book the dental check by 3 May", "To complete the PEP") in bullets, rows, action sections.
    # A two-column "Label | value" row ("Review no. | Review 4") is a form field, not an instruction.
    key_value_row = unit.kind == "table_row" and unit.text.count(" | ") == 1
    if (unit.kind in ("bullet", "table_row") or in_action_section) and not key_value_row:
        k = start_tok
        if k < n and doc[k].lower_ in ("to", "please") and k + 1 < n:
            k += 1
        if k < n:
            first_tok = doc[k]
            if first_tok.lower_ in ACTION_VERBS and _tag(first_tok) in ("VB", "VBP", "NN", "NNP") and not first_tok.text.isupper():
                nxt = doc[k + 1] if k + 1 < n else None
                # "Contact with mum", "Plan: ...", "Review in 6 months" are noun phrases, not imperatives.
                if nxt is None or nxt.is_punct or nxt.lower_ in ("is", "was", "has", "have", "are", "were", "will", "in", "of", "for", "date"):
                    return None
                # "Contact with mum" is a noun phrase; "Liaise with school" is an instruction.
                if nxt.lower_ == "with" and first_tok.lower_ not in _WITH_VERBS:
                    return None
                if _tag(first_tok) in ("NN", "NNP") and _tag(nxt) not in ("DT", "PRP", "PRP$", "NNP", "NNPS", "JJ", "CD", "RP", "IN"):
                    return None
                if sum(1 for t in doc[k:] if t.is_alpha) < 3:
                    return None  # "Take care," is a sign-off
                return _Cue(k, k, imperative=True)
    if start_tok + 1 < n and doc[start_tok].lower_ == "please" and _tag(doc[start_tok + 1]) == "VB":
        return _Cue(start_tok + 1, start_tok + 1, imperative=True)
    return None


_COMMITTED_ADJECTIVES = {"mindful", "available", "responsible", "accountable", "aware", "supportive", "vigilant"}
_TIME_LEAD = re.compile(r"^(by|within|on|before|from|in|after|during|no|over|until|at)$")
_WITH_VERBS = {"liaise", "work", "engage", "meet", "speak", "talk", "agree", "check", "follow", "keep", "deal", "help", "share", "discuss", "link", "consult"}
_TIME_HINT = re.compile(r"\b(every|each|weekly|fortnightly|monthly|daily|termly|once|twice|by|until|from|on)\b|\d", re.IGNORECASE)


def _finite_after(doc: Doc, j: int) -> bool:
    """A finite verb later in the same clause (before if/when/because/so/','/';')."""
    for t in doc[j:]:
        if t.lower_ in ("if", "when", "because", "so", "once", "unless", "until", "and", "but", "before", "after", "while", "as", "whether") or t.text in (",", ";", ":", "("):
            return False
        # VBD is often a mis-tagged participle ("3x weekly supervised"); only past "be" counts.
        if _tag(t) in ("VBZ", "VBP", "MD") or t.lower_ in ("was", "were"):
            return True
    return False


def _has_time(text: str) -> bool:
    return bool(_TIME_HINT.search(text))


def _outside_brackets(tokens: Iterable[Token]) -> Iterator[tuple[int, Token]]:
    """(position, token) for the tokens outside round brackets, brackets themselves excluded."""
    depth = 0
    for k, t in enumerate(tokens):
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            yield k, t


def _head_np(tokens: list[Token]) -> list[Token]:
    """The head of a subject noun phrase: 'Family time with Mum' -> 'Family time'."""
    for k, t in _outside_brackets(tokens):
        if k > 0 and t.lower_ in ("with", "between", "of", "for", "at", "in", "from", "about", "to", "on"):
            return tokens[:k]
    return tokens


_TAGGED_CUES = MODAL_CUES | NEED_CUES | {"to", "that", "please"}


@wants_tags(DIMENSION)
def _reads_tags(unit: Unit) -> bool:
    """Units :func:`_find_cue` reads tags on: a cue word, or an opening action verb."""
    doc = unit.doc
    if doc is None or unit.kind == "heading" or unit.text.rstrip().endswith("?"):
        return False
    return any(t.lower_ in _TAGGED_CUES for t in doc) or any(t.lower_ in ACTION_VERBS for t in doc[:3])


def _passive_agent(unit: Unit, doc: Doc, cue: _Cue, deadline: dates.DateMention | None) -> list[Token]:
    """The 'by X' agent of a passive action, when X is not the deadline."""
    for k in range(cue.verb + 1, len(doc)):
        if doc[k].lower_ == "by" and k + 1 < len(doc):
            if deadline is not None and deadline.start <= doc[k].idx < deadline.end:
                continue
            agent: list[Token] = []
            for t in doc[k + 1 :]:
                if deadline is not None and deadline.start <= t.idx < deadline.end:
                    break
                if t.is_punct and t.text not in ("(", ")", "'", "’"):
                    break
                if t.lower_ == "and" and agent:
                    agent.append(t)
                    continue
                # The agent is a noun phrase: stop at "when appropriate", "with the support of", "weekly".
                if _tag(t) in ("IN", "TO", "WRB", "WDT", "MD", "RB", "CC") or _tag(t).startswith("VB"):
                    break
                agent.append(t)
            while agent and agent[-1].lower_ == "and":
                agent.pop()  # "by the ISW and filed by 15/11": the "and" joins two verbs
            return agent
    return []


def _owner_from_suffix(unit: Unit) -> tuple[int, int, str] | None:
    """Owners written after the action: '... (SW)', '... (Priya Shah).', '... - Mum', 'Lead: IRO'."""
    # "... – SW, ASAP.": the owner may be followed by a short timescale.
    m = re.search(
        r"(\(|[-–—]\s*|\b(?:lead|owner|responsible|who)\s*:\s*)([A-Z][\w .'’/&]{1,40}?)\)?(?:\s*,\s*[\w /.'’-]{1,30})?\s*[.;]?\s*$",
        unit.text,
    )
    if m:
        value = m.group(2).strip()
        low = value.lower()
        words = value.split()
        if any(_POSSESSIVE.sub("", w.strip(".")) in ROLE_WORDS for w in low.split()) or re.match(r"^(mr|mrs|ms|miss|dr)\b", low):
            return m.start(2), m.start(2) + len(value), value
        # "(Priya Shah)": a capitalised name in brackets.
        if m.group(1) == "(" and 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _dates_like(value):
            return m.start(2), m.start(2) + len(value), value
    return None


def _dates_like(value: str) -> bool:
    return bool(dates.find_dates(value)) or bool(re.search(r"\d", value))


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


def _is_action_table(t: _Table) -> bool:
    return t.action_col is not None and (t.who_col is not None or t.when_col is not None)


_ACTION_SECTION = re.compile(
    r"\b(actions?|recommendations?|recs|decisions?|next steps|what (will|needs to) happen|action plan|agreed|plan|to do|tasks?)\b",
    re.IGNORECASE,
)


def _deadline_for(text: str, facts: Facts) -> dates.DateMention | None:
    found = dates.find_deadline(text, facts.date, facts.next_review)
    if found is None and facts.birth_date is not None and "birthday" in text.lower():
        return _birthday_deadline(text, facts.birth_date, facts.date)
    return found


# "before Kofi's 18th birthday", "by his birthday": a date when the record gives the date of birth.
_BIRTHDAY = re.compile(
    r"\b(?:before|by|for|on|ahead of)\s+(?:his|her|their|your|my|[A-Z][\w'’-]*['’]s?)\s+(?:(\d{1,2})(?:st|nd|rd|th)\s+)?birthday\b"
)


def _birthday_deadline(text: str, born: date, ref: date | None) -> dates.DateMention | None:
    m = _BIRTHDAY.search(text)
    if m is None:
        return None
    if m.group(1):
        years = int(m.group(1))
    elif ref is not None:
        years = ref.year - born.year + ((ref.month, ref.day) > (born.month, born.day))
    else:
        return None
    try:
        day = born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        day = date(born.year + years, 3, 1)
    return dates.DateMention(m.start(), m.end(), m.group(), day, "absolute")


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
    # A row reporting progress ("Done 18/07/2024", "Not done", "Partly") reviews an earlier action.
    for c, (s, e) in enumerate(block.cells):
        if c != table.action_col and _CELL_STATUS.match(text[s:e]):
            return None
    if table.status_col is not None and table.status_col < len(block.cells):
        s, e = block.cells[table.status_col]
        if text[s:e].strip() and not _EMPTY_CELL.match(text[s:e]):
            return None
    owner = None
    if table.who_col is not None and table.who_col < len(block.cells):
        s, e = block.cells[table.who_col]
        if not _EMPTY_CELL.match(text[s:e]) and not re.match(r"^\s*(tbc|tba|to be confirmed|unknown|all)\s*$", text[s:e], re.IGNORECASE):
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


# Progress on earlier decisions ("PEP to be held - done 12/01/24", "| Not done"): reported, not planned.
_STATUS = re.compile(
    r"(?:^|[-–—:;|(]\s*)(?:not\s+)?(?:done|completed?|achieved|not started|started|in progress|partly|partially|"
    r"happened|took place|outstanding|continues|being progressed|underway|on track)\b(?!\s+(?:by|within|before|on or)\b)"
    r"|(?<!be )(?<!been )\b(?:done|completed)\s+(?:on\s+)?\d{1,2}[/.]",
    re.IGNORECASE,
)
# A unit that is only a progress note ("Done.", "In progress.") marks the unit before it as reported.
_STATUS_ONLY = re.compile(
    r"^\W*(?:(?:not\s+)?(?:done|completed|achieved|started|in progress|partly(?: done)?|partially|outstanding|"
    r"continues|being progressed|underway|on track|ongoing)|complete|not complete)\b"
    r"(?:\s*(?:on\s+)?[\d/.]+|\s*[-–—:,;(].{0,80})?[.!]?\s*$",
    re.IGNORECASE,
)
# Sections that report on the last review's decisions rather than plan new ones.
_PROGRESS_SECTION = re.compile(
    r"\b(previous|last|earlier)\s+(review'?s?\s+)?(decisions?|recommendations?|recs|actions?|review|plan)|"
    r"since (your|the|his|her|their) last|progress (on|against|since|with)|update on (the )?(previous|last)|"
    r"what happened since|actions? from (the )?last|review of (the )?(previous|last)",
    re.IGNORECASE,
)
# "IRO advised that ...": the chair's remark on the record, not a commitment.
_CHAIR_REMARK = re.compile(
    r"^\W*(the\s+)?(IRO|chair|independent reviewing officer)\s+(advised|noted|commented|reminded|observed|highlighted|"
    r"raised|stated|said|explained|reflected|acknowledged)\b",
    re.IGNORECASE,
)
# "If any of it is wrong, tell me and I will change it.": how to disagree, not a plan action.
_BOILERPLATE = re.compile(
    r"^\W*if (you|any of (it|this)|anything|there is anything|something)\b[^.]{0,60}?\b(wrong|disagree|unhappy|not happy|"
    r"questions?|worried|complain|unclear|don['’]?t understand|do not understand|want to talk|not right|incorrect)\b",
    re.IGNORECASE,
)
_REPORTED_PERFECT = re.compile(r"\b(has|have|had)\s+been\s+\w+(ed|en)\b", re.IGNORECASE)
_CELL_STATUS = re.compile(r"^\s*(not\s+)?(done|completed|achieved|started|partly|partially|closed|in progress)\b", re.IGNORECASE)
_CONDITIONAL = re.compile(r"^\s*(if|should|in the event|unless|were|where|in case)\b", re.IGNORECASE)
_CONTINGENCY_SECTION = re.compile(r"contingen|parallel plan|if things change|plan b\b|back-?up plan|what happens if|if (this|the) plan", re.IGNORECASE)
# Passives that describe, not commit: "arrangements should be maintained", "needs continue to be met".
_DESCRIPTIVE_PASSIVES = {"maintain", "meet", "note", "record", "report", "discuss", "acknowledge", "understand",
                         "recognise", "recognize", "remind", "view", "treat", "regard", "welcome", "praise", "base", "see", "keep"}
# "The IRO's job is to check ...": a definition, not an action.
_DEFINITION_HEADS = {"job", "role", "aim", "purpose", "hope", "view", "wish", "goal", "intention", "idea", "point", "task"}
_COURT_HEADS = {"court", "judge", "magistrates", "magistrate", "justices"}
_RECEIVE_VERBS = {"get", "have", "receive"}
_REVIEW_DATE_STATEMENT = re.compile(r"\b(review|meeting|conference)\b", re.IGNORECASE)


def _excluded(unit: Unit, cue: _Cue, heading: str, owner_found: bool, has_deadline: bool) -> bool:
    """Units that look like actions but are not commitments in the plan."""
    if _STATUS.search(unit.text) or _CHAIR_REMARK.match(unit.text) or _BOILERPLATE.match(unit.text):
        return True
    if not owner_found and not has_deadline and _REPORTED_PERFECT.search(unit.text):
        return True  # "return home to mum has been assessed as not safe": a finding, not an instruction
    if heading and _PROGRESS_SECTION.search(heading):
        return True
    prefix = _RECOMMENDATION_PREFIX.match(unit.text)
    body = unit.text[prefix.end() :] if prefix else unit.text
    conditional = bool(_CONDITIONAL.match(body)) or bool(re.search(r"\bwould\b", body, re.IGNORECASE))
    # A contingency plan says what would happen; a dated, owned task in it is still an action.
    if heading and _CONTINGENCY_SECTION.search(heading) and (conditional or not owner_found or not has_deadline):
        return True
    if conditional and (cue.passive or not owner_found):
        return True
    doc = unit.doc
    if doc is not None and 0 <= cue.verb < len(doc):
        lemma = _lemma(doc[cue.verb])
        # "The next review will be held on 5 May": a date, not an action.
        if lemma == "meet" and re.search(r"\bnext (\w+ ){0,2}(review|meeting)\b|\bmeet again\b", unit.text, re.IGNORECASE):
            return True
        if cue.passive and lemma in _DESCRIPTIVE_PASSIVES:
            return True
        if lemma in ("hold", "schedule", "take") and _REVIEW_DATE_STATEMENT.search(unit.text) and cue.passive or (
            lemma == "take" and "place" in unit.text.lower() and _REVIEW_DATE_STATEMENT.search(unit.text)
        ):
            return True
        # "Placement to continue": nothing will be done.
        if lemma == "continue" and (cue.verb + 1 >= len(doc) or doc[cue.verb + 1].is_punct) and not _has_time(unit.text):
            return True
        # "When we will look at this plan again: 06/05/2025": a labelled field, not an action.
        label = re.search(r"(?<!\d):(?!\d)", unit.text)  # not the colon of "1:1" or "10:30"
        colon = label.start() if label else -1
        if colon > 0 and doc[cue.verb].idx < colon and len(unit.text[colon + 1 :].split()) <= 4:
            return True
    return False


def _unit_action(unit: Unit, facts: Facts, rubric: Rubric, in_action_section: bool, heading: str = "") -> _Draft | None:
    cue = _find_cue(unit, in_action_section)
    if cue is None or unit.doc is None:
        return None
    doc = unit.doc
    found = _deadline_for(unit.text, facts)
    owner_tokens: list[Token] = []
    if not cue.imperative:
        if cue.that_clause:
            first = cue.that_index
            if first < 0:
                first = 0
                while first < len(doc) and doc[first].lower_ != "that":
                    first += 1
            owner_tokens = list(doc[first + 1 : cue.index])
        else:
            owner_tokens = _subject_tokens(doc, cue.index)
        head = _head_token(owner_tokens)
        # "It should be noted that ...", "What will happen next", "This will help you": no one acts.
        if head is not None and head.lower_ in PRONOUN_SUBJECTS and not cue.that_clause:
            return None
        if head is not None and head.lower_ in _DEFINITION_HEADS:
            return None
        # "The court will make the final decision on 28/05": the court is not the plan's to direct.
        if head is not None and head.lower_ in _COURT_HEADS and not cue.passive:
            return None
        # "You will then get a personal adviser": what the child will receive, explained, with no when.
        if (found is None and not cue.passive and head is not None and 0 <= cue.verb < len(doc)
                and (head.lower_ == "you" or (facts.child_name and head.text == facts.child_name))
                and _lemma(doc[cue.verb]) in _RECEIVE_VERBS):
            return None
        # "Talking to someone will help": a thing does something, with no when; a forecast, not an action.
        if (not cue.passive and not cue.infinitive_subject and not cue.that_clause and found is None
                and not _is_owner(owner_tokens, facts.child_name)):
            return None
        if cue.passive:
            # The grammatical subject of a passive is what is done, not who does it: "by X" names the owner.
            owner_tokens = _passive_agent(unit, doc, cue, found)
    owner = None
    if owner_tokens and _is_owner(owner_tokens, facts.child_name):
        s, e, t = _span_text(unit, owner_tokens)
        owner = (unit.start + s, unit.start + e, t)
    else:
        suffix = _owner_from_suffix(unit)
        if suffix:
            owner = (unit.start + suffix[0], unit.start + suffix[1], suffix[2])
    if _excluded(unit, cue, heading, owner is not None, found is not None):
        return None
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


@register(
    DIMENSION, settings=TimeboundSettings, weight=0.35, order=10, provides=(ACTIONS,),
    appearance=Appearance("Timebound", "who will do what by when", "#d9534f", "#f8d7d6", "on dark_red"),
)
def check(ctx: CheckContext[TimeboundSettings]) -> CheckResult:
    """Find actions and score how many say who will do what by when."""
    analysis, facts, rubric = ctx.analysis, ctx.facts, ctx.rubric
    settings = ctx.settings
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
                if unit.block <= table.header:
                    continue  # the header row, or a title row above it
                draft = _table_action(analysis, unit, table, facts, rubric)
                if draft is not None:
                    drafts.append(draft)
                continue
        heading = text[blocks[unit.section].start : blocks[unit.section].end] if unit.section >= 0 else ""
        # "Jo to update the plan by 20 April. In progress.": the note reports on the action before it.
        if _STATUS_ONLY.match(unit.text) and drafts and drafts[-1].end <= unit.start and not text[drafts[-1].end : unit.start].count("\n\n"):
            drafts.pop()
            continue
        in_action_section = bool(heading and _ACTION_SECTION.search(heading))
        draft = _unit_action(unit, facts, rubric, in_action_section, heading)
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
                    dl.start, dl.end, "State the next review date in the record, or give a date here.",
                    term=dl.text, data={"action": len(actions) + 1}))
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
                    "Replace it with a date or a period, e.g. 'by 30 June 2025' or 'within 4 weeks'.",
                    term=vt, data={"action": len(actions) + 1}))
            elif "next_review_unknown" not in problems:
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
        if _is_vague_verb(d.verb, rubric) and not d.measurable:
            assert d.verb is not None
            problems.append("vague_verb")
            counts["vague_verb"] += 1
            penalty += settings.penalty_vague_verb
            findings.append(finding(analysis, DIMENSION, "vague_verb", "info",
                f"'{text[d.verb[0]:d.verb[1]]}' does not say what will be done or how anyone will know it is done.",
                d.verb[0], d.verb[1],
                "Name the outcome and how it will be measured, e.g. 'improve attendance from 63% to 85%'.",
                term=d.verb[2], data={"action": len(actions) + 1}))
        if dl is not None and dl.value is not None and facts.date is not None and dl.kind == "absolute" and dl.value < facts.date:
            problems.append("deadline_past")
            counts["deadline_past"] += 1
            penalty += settings.penalty_deadline_past
            findings.append(finding(analysis, DIMENSION, "deadline_past", "warning",
                f"The deadline ({_fmt(dl.value)}) had already passed when the record was written ({_fmt(facts.date)}).",
                dl.start, dl.end, "Give a new date, or record the action as done.", term=dl.text,
                data={"action": len(actions) + 1, "deadline": dl.value.isoformat(), "record_date": facts.date.isoformat()}))
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
            return CheckResult(settings.score_no_actions, "No actions found.", metrics, findings).provide(ACTIONS, actions)
        return CheckResult(100.0, "No actions expected for this kind of record.", metrics, findings).provide(ACTIONS, actions)
    score = clamp(sum(per_action_scores) / n)
    summary = (
        f"{timebound_n} of {n} actions are timebound and {owned} of {n} name who will do them"
        + (f"; {counts['vague_timescale']} use a vague timescale" if counts["vague_timescale"] else "")
        + (f"; {counts['deadline_past']} deadlines had already passed" if counts["deadline_past"] else "")
        + "."
    )
    return CheckResult(score, summary, metrics, findings).provide(ACTIONS, actions)
