"""Across sentences: who an owner's words stand for, and actions written over two sentences.

A second reader does not stop at the sentence: "I" is the record's author, "you" its addressee, "she"
the woman named just before, and "Dev will ring the passport office. He will tell you by 3 March." is
one action. The record's discourse (:mod:`analyser.discourse`, read once with the facts) answers the
first; this module applies it to the drafts the sentence rules found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from analyser.checks.timebound_actions.sentences import Draft
from analyser.discourse import Discourse, same_person
from analyser.nlp import Analysis

# Words an owner can be written as that need the rest of the record to say who they are.
PRONOUN_OWNERS = {"i", "we", "you", "he", "she", "they"}
# "Your teacher, Miss Hartley, will ...", "Your foster carers, Jo and Martin, will ...": the names in
# apposition say who the role is.
_APPOSITION = re.compile(r"\s*,\s*((?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
                         r"(?:\s+and\s+(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})?)\s*,")
# The second sentence reports back on the first: "He will tell you ...", "She will send it ...", "She will do
# this by the end of the month", "He will confirm the new times to you by 4 December".
_FOLLOW_UP = re.compile(
    r"\b(tell|let (?:you|\w+|you and \w+|the \w+|\w+ and \w+) know|ring you|text you|email you|write (?:down|to you)|share it|send it|"
    r"confirm|do (?:this|that|it)|"
    r"give (?:it|them)|give (?:you|\w+) the (?:start |new |first )?(?:date|answer|result|news|details|outcome)|it|them|the result|the outcome|(?:his|her|their) decision|what (?:he|she|they|I|we) (?:has |have |had )?\w+)\b",
    re.IGNORECASE,
)
_WE_AT = re.compile(r"\s+(?:here\s+)?at\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|\d+\+?|of|for|and))*?)(?=\s+(?:will|would|are|have|can|must|shall)\b|\s*,)")
# The second sentence's own verb reports back ("She will let the carers know his advice by 3 April"), not a
# "tell" further on ("I will bring the plan within 28 days, so you can tell me what to change").
_REPORT_BACK = re.compile(r"^\s*(?:will|would|shall|can|is going to|'ll)\s+(?:then\s+|also\s+|both\s+)?"
                          r"(?:tell|let|confirm|do (?:this|that|it)|(?:ring|text|email|call|phone|write to) you)\b", re.IGNORECASE)
# "... before he asks", "before she rings them": the second sentence's time is the first one's action.
_BEFORE_THE_FIRST = re.compile(r"\bbefore\s+(?:he|she|they|I|we)\s+(?:does|do|did)?\s*\w+(?:\s+(?:it|them|this|that))?\s*[.!]?$",
                               re.IGNORECASE)
_PROGRESS_UPDATE = re.compile(
    r"\bhow\s+(?:\w+\s+){1,3}?(?:is|are|has been|have been)\s+(?:getting on|going|doing|progressing|settling|coping)\b",
    re.IGNORECASE)
_ALSO = re.compile(r"\b(also|too|as well|another)\b", re.IGNORECASE)


def link_drafts(analysis: Analysis, discourse: Discourse | None, drafts: list[Draft]) -> list[Draft]:
    """Resolve each owner through the discourse, then join two-sentence actions."""
    if discourse is None:
        return drafts
    text = analysis.text
    starts = [b.start for b in analysis.document.blocks]
    resolved = [_resolve(text, starts, discourse, d) for d in drafts]
    resolved = [_same_subject(text, starts, discourse, resolved[i - 1] if i else None, d) for i, d in enumerate(resolved)]
    joined: list[Draft] = []
    for d in resolved:
        prev = joined[-1] if joined else None
        if prev is not None and _continues(text, starts, prev, d):
            joined[-1] = replace(
                prev,
                end=d.end,
                deadline=prev.deadline or d.deadline,
                vague=prev.vague + ([] if prev.deadline else d.vague),
                measurable=prev.measurable or d.measurable,
            )
            continue
        joined.append(d)
    return joined


def _same_subject(text: str, starts: list[int], discourse: Discourse, prev: Draft | None, d: Draft) -> Draft:
    """"Owen will take the form to your dad. He will send it by 20 March.": a 'he' or 'she' that opens the
    sentence straight after another action's goes on with that action's owner (the subject carries on),
    not with whoever the first sentence named last, when the owner's gender fits."""
    if prev is None or prev.owner is None or d.owner is None or d.owner[2].lower() not in ("he", "she"):
        return d
    if prev.owner[2].lower() in PRONOUN_OWNERS - {"he", "she"}:
        return d  # "I will ... He will ...": he is someone else
    if _scope_start(starts, prev.start) != _scope_start(starts, d.start) or text[prev.end : d.start].strip():
        return d
    if text[d.start : d.owner[0]].strip():
        return d  # the pronoun is not the sentence's opening subject
    who = prev.resolved or prev.owner[2]
    return replace(d, resolved=who) if discourse.may_be(who, d.owner[2]) else d


def _scope_start(starts: list[int], at: int) -> int:
    """Where the paragraph, bullet or table row holding ``at`` starts: pronouns look back no further."""
    i = bisect.bisect_right(starts, at) - 1
    return starts[i] if i >= 0 else 0


def _resolve(text: str, starts: list[int], discourse: Discourse, d: Draft) -> Draft:
    if d.owner is None:
        return d
    s, e, words = d.owner
    # "We at Saltmarsh Next Steps will ...": the sentence names who "we" are.
    named = _WE_AT.match(text, e) if words.lower() == "we" else None
    if named:
        return replace(d, resolved=named.group(1))
    apposed = _APPOSITION.match(text, e)
    if apposed and apposed.end() - e < 60:
        return replace(d, resolved=apposed.group(1))
    person = discourse.resolve(words, s, _scope_start(starts, s))
    return replace(d, resolved=person) if person else d



def _continues(text: str, starts: list[int], prev: Draft, d: Draft) -> bool:
    """``d`` goes on with ``prev``'s action: the next sentence of the same paragraph, by the same person
    named by a pronoun, reporting back on it rather than adding another task."""
    if prev.owner is None or d.owner is None or d.owner[2].lower() not in PRONOUN_OWNERS:
        return False
    if _scope_start(starts, prev.start) != _scope_start(starts, d.start) or text[prev.end : d.start].strip():
        return False
    same = same_person(prev.resolved or prev.owner[2], d.resolved or d.owner[2]) or (
        prev.owner[2].lower() == d.owner[2].lower() == "i")
    if not same:
        return False
    second = text[d.owner[1] : d.end]
    if _ALSO.search(second):
        return False
    if _BEFORE_THE_FIRST.search(second):
        return True  # "He will explain it to you before he asks.": a step of the same action
    if not _follows_up(second) or _PROGRESS_UPDATE.search(second):
        return False  # "He will tell the carers how she is getting on": a task of its own, not a reply
    if prev.deadline is None or d.deadline is None:
        return True
    # Two deadlines are two actions ("I will ring by 3 May. I will visit by 9 May."; "... from Monday 2
    # March. He will tell the carers how she is getting on at the PEP."), unless the second only reports
    # back on the first, by a date that is not before it.
    if not _REPORT_BACK.search(second) or d.deadline.value is None:
        return False
    return prev.deadline.value is None or d.deadline.value >= prev.deadline.value


_HEAD = re.compile(r"^\s*(?:will|would|shall|can|is going to|'ll)?\s*(?:then\s+|also\s+|both\s+)?$", re.IGNORECASE)
_TELLING = re.compile(r"^(?:tell|let|ring|text|email|write|share|send|give|confirm)\b", re.IGNORECASE)


def _follows_up(second: str) -> bool:
    """The second sentence replies on the first: its own verb tells ("He will tell you ..."), or it points
    back ("She will send it ...", "... the result"). Not "I will ask your mum if ... and let you know", a
    new task that carries its own reply."""
    for m in _FOLLOW_UP.finditer(second):
        if not _TELLING.match(m.group(1)) or _HEAD.match(second[: m.start()]):
            return True
    return False
