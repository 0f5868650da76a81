"""Cues of a commitment: a modal ("will", "must"), "X to do", "That X does", an imperative bullet.

:func:`find_cue` returns where the commitment is and its main verb, or None for a sentence that only
describes (a state, a wish, reported speech, a question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analyser.nlp import Unit, word_classes
from analyser.checks.timebound_actions.owners import PRONOUN_SUBJECTS, ROLE_WORDS, is_owner
from analyser.checks.timebound_actions.tokens import head_np, lemma_of, outside_brackets, tag_of

if TYPE_CHECKING:  # pragma: no cover
    from analyser.nlp import Token
    from analyser.nlp import Tokens as Doc  # a unit's tokens, indexed and sliced like a spaCy Doc


# Verbs that describe a state, not something anyone will do ("you will live with", "you will be 16").
STATE_VERBS = {
    "be", "live", "stay", "remain", "feel", "seem", "enjoy", "like", "love", "want", "know", "belong",
    "need", "turn", "become", "hope", "wish", "understand", "prefer", "miss", "grow", "benefit",
    "deserve", "mean", "depend", "appear", "sound",
    "arrive",  # "it should arrive soon": a forecast; someone acts before it
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


_SAID_WILL = re.compile(r"\s+(?:that\s+)?(?:he|she|they)\s+", re.IGNORECASE)
_SAID_OWN_WILL = re.compile(r"\s+(?:that\s+)?(?:he|she|they|you|I|we)\s+", re.IGNORECASE)
# The author's own clause after reported words ends the reported part: "You told me X, so I will ...".
_NEW_CLAUSE = re.compile(r"([,;.]\s*(so|and|but|therefore|then)?\s+\w+|;\s*\w+|\.\s+\w+)", re.IGNORECASE)


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
    "commence", "begin", "resume", "recommence", "restart",
}


MODAL_CUES = {"will", "shall", "'ll", "ll", "wo"}


NEED_CUES = {"need", "needs", "must", "should", "ought"}


_TO_CUES = {"is", "are", "has", "have", "going", "agreed", "asked", "expected", "responsible", "plans", "aims", "intends", "committed", "requested", "required", "offered", "promised", "volunteered"}


_RECOMMEND_VERBS = {"recommend", "agree", "decide", "request", "propose", "suggest", "require", "direct"}


_FINITE = {"VBD", "VBZ", "VBP", "MD"}


# "Recommendation 2:", "Action:", "Plan:", "3.", "b)" before the action itself.
RECOMMENDATION_PREFIX = re.compile(
    r"^\s*(?:(?:recommendation|rec|decision|action|agreed action|outcome|plan|next steps?)s?\s*\d*\s*[:.)-]\s*|\(?\d+[.)]\s*|[a-z][.)]\s+)",
    re.IGNORECASE,
)


@dataclass
class Cue:
    index: int  # token index of the cue
    verb: int  # token index of the main verb, -1 when unknown
    passive: bool = False
    imperative: bool = False
    infinitive_subject: bool = False  # "SW to complete"
    that_clause: bool = False  # "That the social worker completes"
    that_index: int = -1  # the "that" opening the clause, when not the first word


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
    # "Kwame has said he will take Kofi ...": a person's own undertaking, given to the meeting.
    if (m.group().lower() == "said" and re.search(r"\b(has|have)\s+$", before[: m.start()], re.IGNORECASE)
            and _SAID_WILL.fullmatch(before[m.end() :])):
        return False
    # "You said you will register with the GP by 28 February": a dated undertaking in the speaker's own
    # future ("said he would like" stays a wish; "Lorraine said she will read it with you at bedtime", with
    # no when, stays what she said).
    if (m.group().lower() == "said" and tok.lower_ == "will" and _SAID_OWN_WILL.fullmatch(before[m.end() :])
            and _AGREED_WHEN.search(unit.text, tok.idx)):
        return False
    return not _NEW_CLAUSE.search(before[m.end() :])


def _next_verb(doc: Doc, j: int, limit: int = 4) -> int:
    """Index of the first verb at or after j, skipping adverbs and 'not' (within a few tokens)."""
    for k in range(j, min(len(doc), j + limit)):
        tag = tag_of(doc[k])
        if tag.startswith("VB") or tag == "MD":
            return k
        # "Callum will\nmeet Chantelle": a line wrapped by the layout (PDF, fixed-width text) is no break.
        if tag == "_SP" or doc[k].text.isspace():
            continue
        if tag in ("RB", "RBR", "RBS", ",") or doc[k].lower_ in ("also", "then", "now", "both", "all", "each", "jointly"):
            continue
        return -1
    return -1


_ATTENDED = {"meeting", "review", "pep", "appointment", "panel", "hearing", "conference", "assessment"}


def _attends(doc: Doc, i: int) -> bool:
    """ "will both be there", "will be at your review": being somewhere for an event is something a person
    commits to (its date is the event's: deadlines.back_referenced_deadline / event_deadline)."""
    while i < len(doc) and not doc[i].text.strip():
        i += 1  # "I will be  there.": a doubled space (a PDF's layout) is a token of its own
    if i >= len(doc):
        return False
    word = doc[i].lower_
    if word == "there":
        return i + 1 == len(doc) or doc[i + 1].lower_ in (",", ".", "!", ";", "and", "too", "to", "with", "as")
    if word == "at" and i + 1 < len(doc) and doc[i + 1].lower_ in ("the", "your", "his", "her", "their"):
        return any(t.lower_ in _ATTENDED for t in doc[i + 2 : i + 5])
    # "Callum and Mr Baptiste will both be at it.": at the event just named.
    if word == "at" and i + 1 < len(doc) and doc[i + 1].lower_ in ("it", "that"):
        return i + 2 == len(doc) or doc[i + 2].lower_ in (".", "!", ",", "too")
    return False


def _negated(doc: Doc, i: int) -> bool:
    """'will not', 'should never'; 'no longer needs to be supervised' (before the cue) too."""
    if i >= 2 and doc[i - 2].lower_ == "no" and doc[i - 1].lower_ == "longer":
        return True
    return any(doc[k].lower_ in ("not", "n't", "never") for k in range(i + 1, min(len(doc), i + 3)))


def _resolve_main(doc: Doc, v: int) -> tuple[int, bool, bool]:
    """From the verb after a modal: (main verb index, passive, is_action)."""
    lemma = lemma_of(doc[v])
    if lemma == "be":
        nxt = _next_verb(doc, v + 1, 3)
        if nxt != -1 and tag_of(doc[nxt]) in ("VBN", "VBD"):
            if doc[nxt].lower_ in _STATIVE_PARTICIPLES:
                return nxt, False, False  # "that he is settled", "she is attached to you": a state
            return nxt, True, True
        # "will be mindful of", "will be available to": a (vague) commitment, not a state.
        if v + 1 < len(doc) and doc[v + 1].lower_ in _COMMITTED_ADJECTIVES:
            return v + 1, False, True
        if _attends(doc, v + 1):
            return v, False, True
        return v, False, False  # copular or progressive: "will be 16", "will be living"
    if lemma == "continue" and v + 2 < len(doc) and doc[v + 1].lower_ == "to":
        inner = v + 2
        if lemma_of(doc[inner]) in STATE_VERBS:
            return inner, False, False
        return v, False, True
    if lemma == "have":
        window = {t.lower_ for t in doc[v + 1 : v + 5]}
        if window & EVENT_NOUNS:
            return v, False, True
        if v + 1 < len(doc) and doc[v + 1].lower_ == "to":  # "will have to complete"
            inner = _next_verb(doc, v + 2, 2)
            return (inner, False, True) if inner != -1 else (v, False, False)
        # "Priti will have the report for the panel written by 15 January": the report is hers to write.
        for k in range(v + 2, min(len(doc), v + 9)):
            if tag_of(doc[k]) == "VBN" and lemma_of(doc[k]) in ACTION_VERBS | {"write", "finish", "do"}:
                return k, False, True
        return v, False, False
    if lemma in STATE_VERBS:
        return v, False, False
    return v, False, True


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
    return tag_of(t) in ("VB", "VBP") or (t.lower_ in ACTION_VERBS and t.text.islower())


def find_cue(unit: Unit, in_action_section: bool) -> Cue | None:
    doc = unit.doc
    if doc is None or len(doc) == 0:
        return None
    if unit.text.rstrip().endswith("?"):
        return None
    prefix = RECOMMENDATION_PREFIX.match(unit.text)
    start_tok = 0
    if prefix:
        while start_tok < len(doc) and doc[start_tok].idx < prefix.end():
            start_tok += 1
    n = len(doc)
    # "That the social worker completes ..." (review recommendations).
    if start_tok + 2 < n and doc[start_tok].lower_ == "that" and not tag_of(doc[start_tok + 1]).startswith("VB") and doc[start_tok + 1].lower_ not in MODAL_CUES:
        for k in range(start_tok + 2, min(n, start_tok + 10)):
            tag = tag_of(doc[k])
            if tag == "NNS" and _third_person_action(doc, k):
                tag = "VBZ"  # "That the social worker books Dylan's RHA": the small model tags "books" a noun
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
                    return Cue(k, main, passive=passive, that_clause=True) if ok else None
                if lemma_of(doc[k]) == "be":
                    # "That a later-life letter is started", "That the IRO is informed ...": a passive, whose
                    # subject is what is done (or told), not who does it.
                    main, passive, ok = _resolve_main(doc, k)
                    if ok and passive:
                        return Cue(k, main, passive=True, that_clause=True)
                return Cue(k, k, that_clause=True)
    # "The IRO recommends that the social worker completes ...", "It was agreed that Mum attends ...".
    for k in range(start_tok, n - 2):
        if doc[k].lower_ == "that" and k >= 1 and lemma_of(doc[k - 1]) in _RECOMMEND_VERBS:
            for j in range(k + 2, min(n, k + 10)):
                if doc[j].lower_ in MODAL_CUES | NEED_CUES:
                    break  # the modal loop below handles "agreed that X will ..."
                if tag_of(doc[j]) in ("VBZ", "VBP", "VB") and not tag_of(doc[j - 1]).startswith("VB"):
                    main, passive, ok = _resolve_main(doc, j)
                    if ok:
                        return Cue(j, main, passive=passive, that_clause=True, that_index=k)
                    break
    for i in range(start_tok, n):
        tok = doc[i]
        low = tok.lower_
        if low not in MODAL_CUES and low not in NEED_CUES and low != "to":
            continue
        if _in_quotes(doc, i) or _reported_before(unit, tok):
            continue
        if low in MODAL_CUES and tag_of(tok) == "MD":
            if _negated(doc, i) or (i > 0 and doc[i - 1].lower_ in ("which", "who", "whom")):
                continue
            v = _next_verb(doc, i + 1)
            if v == -1:
                continue
            main, passive, ok = _resolve_main(doc, v)
            if ok:
                return Cue(i, main, passive=passive)
            continue
        if low in NEED_CUES and tag_of(tok) in ("MD", "VBZ", "VBP", "VB"):
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
                return Cue(i, main, passive=passive)
            continue
        if low == "to" and i + 1 < n:
            prev = doc[i - 1].lower_ if i > 0 else ""
            # "is to", "are to", "has to", "going to", "agreed to", "asked to", "expected to"
            if prev in _TO_CUES:
                aux = i - 1
                if prev == "going" and i >= 2:
                    aux = i - 2
                if prev == "going" and doc[i + 1].lower_ in _PLACES_GONE_TO:
                    continue  # "You are going to school far more": where, not what will happen
                if prev == "going" and any(t.lower_ == "what" for t in doc[max(start_tok, i - 6) : i]):
                    continue  # "... a record of what each of us is going to do": a clause about the tasks
                # "was going to", "were asked to", "did not have to": past or negated, not a commitment.
                if aux >= 1 and doc[aux].lower_ not in ("is", "are", "am", "has", "have") and doc[aux - 1].lower_ in ("was", "were", "had", "not", "n't"):
                    continue
                if doc[aux].lower_ in ("was", "were") or (aux >= 1 and doc[aux - 1].lower_ in ("not", "n't", "never")):
                    continue
                # "You agreed to meet ..." is a past agreement; "Mum has agreed to ..." is a commitment.
                # "Rob agreed to register Deshawn by the end of the month": an agreement made at the meeting
                # about something still to do (it says when), unlike "You agreed to meet me", a past event.
                if prev in ("agreed", "asked", "expected", "requested", "required", "offered", "promised", "volunteered") and not (
                    aux >= 1 and doc[aux - 1].lower_ in ("has", "have", "is", "are", "been", "'s", "am")
                ) and not (prev in ("agreed", "promised", "offered") and _AGREED_WHEN.search(unit.text, doc[i].idx)
                           and not EARLIER_AGREEMENT.match(unit.text)) and not (
                    # "You agreed to go with her": the reader's own undertaking at the meeting, dated or not
                    # (an earlier meeting's agreement, or one done since, is left out with the record's date).
                    prev == "agreed" and aux >= 1 and doc[aux - 1].lower_ == "you"
                    and _starts_clause(doc, start_tok, aux - 1)  # not the heading "What you agreed to do"
                    # "You agreed to meet me at the cafe": how this meeting came about; dated, it is a task
                    and doc[i + 1].lower_ != "meet"
                    and not EARLIER_AGREEMENT.match(unit.text)
                ) and not (
                    # "Mrs Dunmore agreed to arrange ...": a named person's undertaking at the meeting.
                    prev in ("agreed", "promised", "offered") and (named := _before_bracket(doc, aux - 1)) >= 0
                    and _name_like(doc[named])
                    and _starts_clause(doc, start_tok, named + 1 - _name_length(doc, named))
                ):
                    continue
                v = _next_verb(doc, i + 1, 2)
                if v != -1 and tag_of(doc[v]) == "VB":
                    main, passive, ok = _resolve_main(doc, v)
                    if ok:
                        # The subject sits before the whole auxiliary chain: "Mum has (been) asked to ...".
                        while aux >= 1 and doc[aux - 1].lower_ in ("has", "have", "is", "are", "am", "been", "'s", "being"):
                            aux -= 1
                        return Cue(aux, main, passive=passive)
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
            # "In order to progress the plan, Ms Begum will ...": a purpose, not "X to do".
            if i >= 2 and doc[i - 1].lower_ == "order" and doc[i - 2].lower_ in ("in", "so"):
                continue
            # "Agreed FC to take YP to the open evening on 26/11/26": terse minutes' "agreed" opens the task.
            while first < i - 1 and doc[first].lower_ in ("agreed", "agreed:", ":", "-"):
                first += 1
            before = doc[first:i]
            finite = [t for t in before if tag_of(t) in _FINITE or tag_of(t) == "VBD"]
            if finite and not (len(finite) == 1 and _noun_misread_as_verb(doc, first, i)):
                continue
            if any(t.is_punct and t.text not in ("'", "’", "-") for _, t in outside_brackets(before)):
                continue
            nxt = doc[i + 1]
            if lemma_of(nxt) == "be" and nxt.lower_ == "be":
                v2 = _next_verb(doc, i + 2, 2)
                if v2 != -1 and tag_of(doc[v2]) in ("VBN", "VBD") and not _finite_after(doc, v2 + 1):
                    return Cue(i, v2, passive=True, infinitive_subject=True)
                continue
            head = head_np(list(before))
            owner_like = is_owner(head, None)
            if owner_like:
                if not (_verb_like(nxt) or (nxt.is_alpha and nxt.text.islower() and tag_of(nxt) not in ("DT", "PRP", "PRP$", "CD", "IN"))):
                    continue
                # "Callum's school (no reply to invitation)": "to" a preposition before a noun, not "to do".
                if tag_of(doc[i]) == "IN" and tag_of(nxt) in ("NN", "NNS") and nxt.lower_ not in ACTION_VERBS:
                    continue
            else:
                # "Family time to increase": a thing as subject needs a clear verb, a noun head, and no
                # finite verb after it ("The application to discharge the order was meant ...").
                # The small model tags "commence" a noun and an acronym subject ("LSW") a verb: the
                # verb list and the capitals say what they are.
                verb_next = tag_of(nxt) in ("VB", "VBP") or (nxt.lower_ in ACTION_VERBS and nxt.text.islower())
                acronym = bool(head) and head[-1].text.isupper() and len(head[-1].text) >= 2
                noun_head = bool(head) and (tag_of(head[-1]) in ("NN", "NNS", "NNP", "NNPS", "VBG")
                                            or (acronym and nxt.lower_ in ACTION_VERBS))
                if not verb_next or not noun_head:
                    continue
                if tag_of(head[-1]) == "VBG" and len(head) < 2 and not unit.text.rstrip().endswith("."):
                    continue  # "Learning to look after yourself" is a title; "Matching to go to panel." a plan
                if head[-1].lower_ in PRONOUN_SUBJECTS or _finite_after(doc, i + 2):
                    continue
            main, passive, ok = _resolve_main(doc, i + 1)
            if not ok and lemma_of(nxt) in ("stay", "remain", "continue") and has_time(unit.text):
                ok = True  # "Family time to stay every Tuesday": an arrangement with a when
            if ok:
                return Cue(i, main, passive=passive, infinitive_subject=True)
    # Imperatives ("Book the dental check by 3 May", "To complete the PEP") in bullets, rows, action sections.
    # A two-column "Label | value" row ("Review no. | Review 4") is a form field, not an instruction.
    key_value_row = unit.kind == "table_row" and unit.text.count(" | ") == 1
    if (unit.kind in ("bullet", "table_row") or in_action_section) and not key_value_row:
        k = start_tok
        if k < n and doc[k].lower_ in ("to", "please") and k + 1 < n:
            k += 1
        if k < n:
            first_tok = doc[k]
            if first_tok.lower_ in ACTION_VERBS and tag_of(first_tok) in ("VB", "VBP", "NN", "NNP") and not first_tok.text.isupper():
                following = doc[k + 1] if k + 1 < n else None
                # "Contact with mum", "Plan: ...", "Review in 6 months" are noun phrases, not imperatives.
                if following is None or following.is_punct or following.lower_ in ("is", "was", "has", "have", "are", "were", "will", "in", "of", "for", "date"):
                    return None
                # "2. Progress on the decisions from the last review": a heading; "Work on your CV" is not one.
                if first_tok.lower_ in ("progress", "update", "review") and following.lower_ in ("on", "since", "against"):
                    return None
                # "Contact with mum" is a noun phrase; "Liaise with school" is an instruction.
                if following.lower_ == "with" and first_tok.lower_ not in _WITH_VERBS:
                    return None
                if tag_of(first_tok) in ("NN", "NNP") and tag_of(following) not in ("DT", "PRP", "PRP$", "NNP", "NNPS", "JJ", "CD", "RP", "IN"):
                    return None
                if sum(1 for t in doc[k:] if t.is_alpha) < 3:
                    return None  # "Take care," is a sign-off
                return Cue(k, k, imperative=True)
    # '"... Please stop calling it a placement, it's my flat."': the child's words, quoted, ask nothing of the plan.
    if (start_tok + 1 < n and doc[start_tok].lower_ == "please" and tag_of(doc[start_tok + 1]) == "VB"
            and not _in_quotes(doc, start_tok)):
        return Cue(start_tok + 1, start_tok + 1, imperative=True)
    return None


_STATIVE_PARTICIPLES = {"settled", "attached", "interested", "worried", "pleased", "scared", "frightened", "excited",
                        "upset", "bored", "confused", "concerned", "delighted", "relieved", "used", "thrilled"}
_COMMITTED_ADJECTIVES = {"mindful", "available", "responsible", "accountable", "aware", "supportive", "vigilant"}


_TIME_LEAD = re.compile(r"^(by|within|on|before|from|in|after|during|no|over|until|at)$")


_PLACES_GONE_TO = {"school", "college", "bed", "church", "nursery", "university", "uni", "the", "a", "an",
                   "his", "her", "their", "your", "my", "mum's", "dad's"}
_WITH_VERBS = {"liaise", "work", "engage", "meet", "speak", "talk", "agree", "check", "follow", "keep", "deal", "help", "share", "discuss", "link", "consult"}


# "Last time we agreed that Pam would take you to swimming lessons", "At your last review it was agreed that
# ...": what an earlier meeting agreed, reported as history (its outcome follows), not a task of this record;
# one that still says when ("... would take you swimming by 3 May") is carried over.
EARLIER_AGREEMENT = re.compile(
    r"^\W*(?:last time|previously|at (?:your|the|his|her|their|\w+'s) (?:last|previous) (?:review|meeting|visit)|"
    r"at the last (?:review|meeting)|at that (?:review|meeting))\b,?[^.;]{0,40}?\bagreed\b",
    re.IGNORECASE,
)


# When an agreement is for: "by the end of the month", "every Friday", "twice a week", "on 27/03/25", "in December".
_AGREED_WHEN = re.compile(
    r"\b(?:by|within|before|until|from|starting|every|each|whenever|for the next|weekly|fortnightly|monthly|daily|termly|"
    r"(?:once|twice|\w+ times) (?:a|an|each|every|per) \w+|in (?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December))\b|\d",
    re.IGNORECASE,
)
_TIME_HINT = re.compile(r"\b(every|each|weekly|fortnightly|monthly|daily|termly|once|twice|by|until|from|on)\b|\d", re.IGNORECASE)


_EVERYONE = {"everyone", "everybody", "nobody", "someone", "somebody", "anyone", "all", "both"}


def _name_like(tok: Token) -> bool:
    """A proper name, also where the small model calls an unfamiliar one a common noun ("Kacper"/NN): a
    capitalised word the lemmatizer's word lists do not know."""
    if tag_of(tok) in ("NNP", "NNPS"):
        return True
    return (tag_of(tok) == "NN" and tok.text[:1].isupper() and tok.text[1:].islower() and tok.is_alpha
            and tok.lower_ not in _EVERYONE and not word_classes(tok.lower_))


def _starts_clause(doc: Doc, start_tok: int, i: int) -> bool:
    """Token ``i`` opens its clause, or follows only a fronted time or place with no verb in it ("At the
    planning meeting on 05/11/2025 Ms Marsh agreed to ...")."""
    first = _clause_start(doc, start_tok, i)
    if i == first:
        return True
    if i >= 2 and doc[i - 1].lower_ == "and" and doc[i - 2].text == ",":
        return True  # "..., and Mr Ruddock agreed to do this": a clause of its own
    lead = doc[first:i]
    return (lead[0].lower_ in ("at", "on", "in", "during", "following", "after")
            and not any(tag_of(t).startswith("VB") or t.is_punct and t.text not in ("/", "-") for t in lead))


def _before_bracket(doc: Doc, i: int) -> int:
    """Token ``i``, or the token before the bracket ``i`` closes ("Ms Varga (health visitor)" -> "Varga")."""
    if i >= 0 and doc[i].text == ")":
        for j in range(i - 1, max(-1, i - 8), -1):
            if doc[j].text == "(":
                return j - 1
    return i


def _name_length(doc: Doc, end: int) -> int:
    """How many capitalised tokens (a title and a name: "Mrs Dunmore", "Tyler") end at token ``end``."""
    k = end
    while k >= 0 and doc[k].text[:1].isupper() and doc[k].is_alpha:
        k -= 1
    return end - k


def _finite_after(doc: Doc, j: int) -> bool:
    """A finite verb later in the same clause (before if/when/because/so/','/';')."""
    for t in doc[j:]:
        if t.lower_ in ("if", "when", "because", "so", "once", "unless", "until", "and", "but", "before", "after", "while", "as", "whether") or t.text in (",", ";", ":", "("):
            return False
        # VBD is often a mis-tagged participle ("3x weekly supervised"); only past "be" counts.
        if tag_of(t) in ("VBZ", "VBP", "MD") or t.lower_ in ("was", "were"):
            return True
    return False


def has_time(text: str) -> bool:
    return bool(_TIME_HINT.search(text))


_TAGGED_CUES = MODAL_CUES | NEED_CUES | {"to", "that", "please"}


# Tokens after the last cue word whose tags the cue, its verb and the owner are read from in most units
# ("will (also) be completed"): measured on the synthetic test split, the tags read lie mostly between the
# unit's start and a few tokens past its last cue word.
_READ_AFTER_CUE = 4


def reads_tags(unit: Unit) -> range | None:
    """The tokens :func:`find_cue` and the owner and deadline readers mostly read tags on, in units with a
    cue word or an opening action verb: from the unit's start to a few tokens past its last cue word (or
    the opening words). A hint only (see :func:`analyser.checks.wants_tags`): a tag read outside it tags
    the whole unit then, with the same tags."""
    doc = unit.doc
    if doc is None or unit.kind == "heading" or unit.text.rstrip().endswith("?"):
        return None
    last = max((t.i for t in doc if t.lower_ in _TAGGED_CUES), default=-1)
    if last < 0 and not any(t.lower_ in ACTION_VERBS for t in doc[:3]):
        return None
    return range(min(len(doc), max(last + 1 + _READ_AFTER_CUE, 4)))


# Verbs that take "to be done" after them ("Mum wants to be told", "They seem to be settled"): never a noun.
_TAKES_INFINITIVE = {"want", "need", "like", "hope", "expect", "seem", "appear", "have", "ought", "use", "agree",
                     "ask", "wish", "prefer", "deserve", "get", "love", "hate", "plan", "intend", "continue"}


def _noun_misread_as_verb(doc: Doc, first: int, to: int) -> bool:
    """"Bank account to be opened": the small model tags "account" a verb, but a common noun straight before
    it and "to be" + participle after it make the pair a noun compound, the passive's subject."""
    if to - first < 2 or to + 2 >= len(doc) or doc[to + 1].lower_ != "be" or tag_of(doc[to + 2]) not in ("VBN", "VBD"):
        return False
    word, prev = doc[to - 1], doc[to - 2]
    return (tag_of(word) in ("VBP", "VBZ") and word.text.islower() and lemma_of(word) not in _TAKES_INFINITIVE
            and tag_of(prev) in ("NN", "NNS") and first == to - 2)


def _third_person_action(doc: Doc, k: int) -> bool:
    """A plural-looking word straight after a person (a name, a role) that is an action verb's third person
    ("worker books", "worker arranges"): the verb of "That the social worker books ...", whatever the tag."""
    word, prev = doc[k], doc[k - 1]
    if not word.text.islower() or not word.lower_.endswith("s"):
        return False
    if not (tag_of(prev) == "NNP" or (tag_of(prev) == "NN" and prev.lower_ in ROLE_WORDS)):
        return False  # "That the family time records are shared": a thing's noun, then a plural noun
    stem = word.lower_
    return stem[:-1] in ACTION_VERBS or (stem.endswith("es") and stem[:-2] in ACTION_VERBS)
