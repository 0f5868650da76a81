"""Who will do an action: the subject before the cue, a passive's "by X", or an owner written after it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from analyser import dates
from analyser.nlp import Unit
from analyser.rules import word_list
from analyser.checks.timebound_actions.tokens import head_np, outside_brackets, tag_of

if TYPE_CHECKING:  # pragma: no cover
    from analyser.checks.timebound_actions.cues import Cue
    from analyser.nlp import Token
    from analyser.nlp import Tokens as Doc  # a unit's tokens, indexed and sliced like a spaCy Doc


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
    "centre", "center", "charity", "project", "hub", "trust", "academy",  # "The family centre will ring Mum"
    # "The child is to attend the dentist": the child, written about, still acts.
    "child", "person", "yp", "cyp",
}


PRONOUN_SUBJECTS = {"it", "this", "that", "there", "these", "those", "which", "what", "nothing", "anything", "something", "everything"}


PERSON_PRONOUNS = {"i", "we", "you", "he", "she", "they"}


NOT_OWNERS = {"it", "this", "that", "there", "these", "those", "which", "what", "plan", "review", "everything", "nothing", "anything", "something", "transport", "contact", "referral", "assessment", "work", "support", "money", "time"}


_CLAUSE_BREAK = {",", ";", ":", "that", "so", "because", "once", "if", "when", "after", "while", "(", "–", "—", "-", "whilst", "where", "but", "as", "until", "which", "who"}


_LEAD_SKIP = {"and", "also", "then", "therefore", "additionally", "furthermore", "now", "the", "in", "addition"}


_FRONTED = {"in", "on", "by", "from", "during", "at", "within", "over", "since", "next", "this", "last", "every",
            "each", "for", "before", "around", "between", "no", "until", "after"}  # "No later than 3rd November, the PA will"


_TRAIL_SKIP = {"also", "now", "then", "still", "both", "all", "each", "again", "further", "jointly", "together"}


_POSSESSIVE = re.compile(r"('s|’s|'|’)$")


def subject_tokens(doc: Doc, cue: int) -> list[Token]:
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
        raw = segments[k]
        # "In May, I will ...", "On Monday, Jo will ...": a fronted time or place, not a name in the chain.
        if chain and len(raw) > 1 and raw[0].lower_ in _FRONTED and raw[1].lower_ != "addition":
            break
        seg = _trim_subject(raw)
        if seg:
            # "our assessing social worker": a participle after a possessive or article describes the role.
            # "Colin Reeve (registered manager)": a verb form inside brackets describes the name before it.
            bracketed = _inside_brackets(seg)
            # (The article may be trimmed off the segment: "Jo Whitfield, the leaving care nurse, will ...".)
            lead = raw[: next((r for r, t in enumerate(raw) if t is seg[0]), 0)]
            verbs = [j for j, t in enumerate(seg) if tag_of(t).startswith("VB") and t.lower_ not in ROLE_WORDS
                     and j not in bracketed
                     and not (tag_of(t) == "VBG" and j > 0 and tag_of(seg[j - 1]) in ("PRP$", "DT"))
                     and not (tag_of(t) == "VBG" and j == 0 and lead and tag_of(lead[-1]) in ("PRP$", "DT"))]
            if verbs:
                after = seg[verbs[-1] + 1 :]
                # "Kwame has said he will ...": the one who said it undertakes it (the "he" is Kwame).
                if (not chain and seg[verbs[-1]].lower_ == "said" and len(after) == 1
                        and after[0].lower_ in ("he", "she", "they") and verbs[0] > 0
                        and is_owner(head_np(seg[: verbs[0]]), None)):
                    chain.append(seg[: verbs[0]])
                elif not chain and after:
                    chain.append(after)
                elif not chain:
                    chain.append(seg)
                break
            chain.insert(0, seg)
        if k == 0 or breaks[k - 1] != ",":
            break
        k -= 1
    if not chain:
        return []
    # "At the planning meeting on 05/11/2025 Ms Marsh agreed to ...": a fronted phrase with no comma; the
    # name that ends it is the subject.
    if len(chain) == 1 and len(chain[0]) > 2 and chain[0][0].lower_ in _FRONTED:
        seg = chain[0]
        k = len(seg)
        while k > 0 and tag_of(seg[k - 1]) in ("NNP", "NNPS") and seg[k - 1].text[:1].isupper():
            k -= 1
        if 0 < k < len(seg) and tag_of(seg[k - 1]) in ("CD", "NN", "NNS") and is_owner(seg[k:], None):
            return seg[k:]
    for seg in chain:
        if is_owner(head_np(seg), None):
            return head_np(seg)
    subject = chain[-1]
    # If a verb sits inside, only the trailing noun phrase is the subject.
    for j in range(len(subject) - 1, -1, -1):
        if tag_of(subject[j]).startswith("VB") and subject[j].lower_ not in ROLE_WORDS:
            subject = subject[j + 1 :]
            break
    return head_np(subject)


def _inside_brackets(seg: list[Token]) -> set[int]:
    inside, depth = set(), 0
    for j, t in enumerate(seg):
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
            inside.add(j)
        if depth:
            inside.add(j)
    return inside


def _trim_subject(subject: list[Token]) -> list[Token]:
    while subject and subject[0].lower_ in _LEAD_SKIP and len(subject) > 1:
        subject = subject[1:]
    while subject and (subject[-1].lower_ in _TRAIL_SKIP or (tag_of(subject[-1]) in ("RB", "MD") and subject[-1].text.islower())):
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


def head_token(tokens: list[Token]) -> Token | None:
    """The last word of the noun phrase outside brackets: 'Jo (your social worker)' -> 'Jo'."""
    head = None
    for _, t in outside_brackets(tokens):
        if (t.is_alpha or t.text.isalnum()) and tag_of(t) != "POS":
            head = t
    return head


# Short acronyms that name a thing done, not a person ("SDQ to be completed", "EHC needs assessment").
_THING_ACRONYMS = {"sdq", "cin", "cpp", "cla", "lac", "cic", "sgo", "ehc", "nhs", "dbs", "lsw", "gcse", "rha", "iha",
                   "pep", "ehcp", "pp", "pa1", "sen", "ot", "abe", "mfh", "nfa", "tac", "tbc", "asap"}


def is_owner(tokens: list[Token], child_name: str | None) -> bool:
    """Does this noun phrase name someone who can act: a person, a role, a service, 'I', 'you'?"""
    head = head_token(tokens)
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
    if _PROCESS_NOUN.search(word) and tag_of(head) not in ("NNP", "NNPS") and (head.text.islower() or head.i == 0):
        return False
    if child_name and head.text == child_name:
        return True
    # "HM to write to CAMHS", "AN to give JT the details": a person's initials, which minutes use for the people
    # in the attendance list (the small model tags them anything); a known thing ("PEP", "RHA") is not one.
    if (len(tokens) == 1 and 2 <= len(head.text) <= 3 and head.text.isupper() and head.is_alpha
            and word not in THING_HEADS and word not in _THING_ACRONYMS):
        return True
    # "Holly from the Orchard Project will ...": the small model tags a lone capitalised subject "Holly" an
    # adverb; an adverb is never a whole subject on its own.
    if len(tokens) == 1 and tag_of(head) == "RB" and head.text[:1].isupper() and head.text[1:].islower() and head.is_alpha:
        return True
    # A name: capitalised and not a common noun ("Grace", "Ms Okafor", "Mr & Mrs Grant").
    # The small tagger sometimes calls an unfamiliar name a pronoun ("Ibrahim"/PRP).
    if head.text[:1].isupper() and head.is_alpha and (tag_of(head) in ("NNP", "NNPS", "NN", "NNS") or (tag_of(head) == "PRP" and len(head.text) > 3)):
        return tag_of(head) in ("NNP", "NNPS") or head.i > 0 or len(tokens) == 1 or head.text.isupper()
    return False


def span_text(unit: Unit, tokens: list[Token]) -> tuple[int, int, str]:
    s = tokens[0].idx
    e = tokens[-1].idx + len(tokens[-1].text)
    return s, e, unit.text[s:e]


# A 'Who' cell of only "TBC" or "all" names nobody (analyser/rules/_placeholders.toml).
UNKNOWN_OWNER = word_list("placeholders", "unknown_owner")


def passive_agent(unit: Unit, doc: Doc, cue: Cue, deadline: dates.DateMention | None) -> list[Token]:
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
                if tag_of(t) in ("IN", "TO", "WRB", "WDT", "MD", "RB", "CC") or tag_of(t).startswith("VB"):
                    break
                agent.append(t)
            while agent and agent[-1].lower_ == "and":
                agent.pop()  # "by the ISW and filed by 15/11": the "and" joins two verbs
            return agent
    return []


def owner_from_suffix(unit: Unit) -> tuple[int, int, str] | None:
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
