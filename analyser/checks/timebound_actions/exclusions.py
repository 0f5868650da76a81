"""What looks like an action but is not a commitment in the plan: progress on earlier actions,
conditions and contingencies, the chair's remarks, boilerplate, labelled fields."""

from __future__ import annotations

import re

from analyser.nlp import Unit
from analyser.checks.timebound_actions.cues import EARLIER_AGREEMENT, Cue, RECOMMENDATION_PREFIX, has_time
from analyser.checks.timebound_actions.tokens import lemma_of


ACTION_SECTION = re.compile(
    r"\b(actions?|recommendations?|recs|decisions?|next steps|what (will|needs to) happen|action plan|agreed|plan|to do|tasks?)\b",
    re.IGNORECASE,
)


# Progress on earlier decisions ("PEP to be held - done 12/01/24", "| Not done"): reported, not planned.
_STATUS = re.compile(
    r"(?:^|[-–—:;|(]\s*)(?:not\s+)?(?:done|completed?|achieved|not started|started|in progress|partly|partially|"
    r"happened|took place|outstanding|continues|being progressed|underway|on track)\b(?!\s+(?:by|within|before|on or)\b)"
    r"|(?<!be )(?<!been )\b(?:done|completed)\s+(?:on\s+)?\d{1,2}[/.]",
    re.IGNORECASE,
)


# A unit that is only a progress note ("Done.", "In progress.") marks the unit before it as reported.
STATUS_ONLY = re.compile(
    r"^\W*(?:(?:not\s+)?(?:done|completed|achieved|started|in progress|partly(?: done)?|partially|outstanding|"
    r"continues|being progressed|underway|on track|ongoing)|complete|not complete)\b"
    r"(?:\s*(?:on\s+)?[\d/.]+|\s*[-–—:,;(].{0,80})?[.!]?\s*$",
    re.IGNORECASE,
)


# Sections that report on the last review's decisions rather than plan new ones.
PROGRESS_SECTION = re.compile(
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


# "If any of it is wrong, tell me and I will change it.", "Anyone who disagrees with these decisions should
# tell the IRO within 5 working days": how to disagree, not a plan action.
_BOILERPLATE = re.compile(
    r"^\W*(?:if|anyone who|anybody who|everyone who|those who|whoever) (you|any of (it|this)|anything|there is anything|something|"
    r"(?=disagrees|is unhappy|is not happy|does not agree|doesn't agree))\b[^.]{0,60}?\b(wrong|disagrees?|unhappy|not happy|"
    r"questions?|worried|complain|unclear|don['’]?t understand|do not understand|want to talk|not right|incorrect|"
    r"(?:do not|don['’]?t|not) agree)\b",
    re.IGNORECASE,
)


_STARTS_SCHOOL = re.compile(r"start(?:s|ing)?\s+(?:at\s+)?(?:school|nursery|reception|primary school|secondary school|year\s+\d+)\b",
                            re.IGNORECASE)
# "You also agreed to go on the course, and you finished it in October": reported done in the same sentence.
_DONE_SINCE = re.compile(r",?\s+(?:and|but)\s+\w+\s+(?:have\s+|has\s+)?(?:now\s+)?"
                         r"(?:finished|completed|did|done|attended|opened|started|sent)\s+(?:it|this|that|them)\b"
                         # "..., and this has already started"
                         r"|,?\s+and\s+(?:this|that|it)\s+(?:has|have)\s+(?:already\s+|now\s+)?(?:started|happened|begun|been\s+done)\b",
                         re.IGNORECASE)
# "Please contact the IRO on 01632 960418 with any concerns": how to reach someone, not a task.
_CONTACT_INVITATION = re.compile(
    r"^\W*please\s+(?:feel\s+free\s+to\s+)?(?:contact|ring|call|phone|email|e-mail|text|get in touch with)\b[^.]*?"
    r"(?:\bwith any\s+(?:concerns|questions|worries|queries)\b|\b(?:on|at)\s+\+?\d[\d ]{6,})"
    # "Please keep it with Tyler's other papers, and ring me if anything in it is not how you remember it":
    # what to do with this letter.
    r"|^\W*please\s+keep\s+(?:it|this|this letter|these minutes|this plan)\b",
    re.IGNORECASE,
)
# "That the next review is held on 8 September 2026 at 4pm": when the next review is, even as a recommendation.
_NEXT_REVIEW_ON = re.compile(
    r"\bthat\s+(?:the|your|his|her|their)\s+next\s+(?:\w+\s+)?(?:review|meeting)\s+(?:is|be|will be)\s+"
    r"(?:held|scheduled|arranged|booked)\s+(?:on|for)\b", re.IGNORECASE)
# The plan's own review date, not a task: "Plan to be reviewed | by 2 December 2026", "We will review this
# plan with you on 19 October 2026".
_PLAN_REVIEW_DATE = re.compile(
    r"^\W*(?:the\s+|this\s+|your\s+)?(?:pathway\s+|care\s+|placement\s+)?plan\s+(?:to be|will be|is to be|should be)\s+reviewed\b"
    r"|\breview (?:this|the|your|his|her|their) (?:pathway |care |placement )?plan\b"
    r"(?: (?:with|for) (?:you|him|her|them|\w+))?,? (?:on|at)\b",
    re.IGNORECASE)
# "Dennis agreed that the sessions can move to Saturdays": a permission the meeting gave, not a task.
_AGREED_THAT = re.compile(r"\b(?:agreed|decided)\s+that\b", re.IGNORECASE)


# "If the contact is cancelled, please ring me on ...": the condition's answer is a request to the reader,
# how to reach the writer, not a task in the plan (even with "within 5 working days"); so is "If anyone
# disagrees, they need to tell me within 5 working days".
_CONDITIONAL_REQUEST = re.compile(
    r"^\W*(?:if|should|in case|whenever)\b[^.]*?,\s*(?:please\s+)?"
    r"(?:(?:you|they|he|she)\s+(?:will\s+)?(?:(?:need|needs|have|has)\s+to|should|must|can|could|may)\s+)?"
    r"(?:tell|let|contact|ring|call|phone|email|e-mail|text|"
    r"speak to|talk to|ask|get in touch)\s+(?:me|us|him|her|them|your|the)\b",
    re.IGNORECASE,
)


_REPORTED_PERFECT = re.compile(r"\b(has|have|had)\s+been\s+\w+(ed|en)\b", re.IGNORECASE)


_CONDITIONAL = re.compile(r"^\s*(if|should|in the event|unless|were|where|in case)\b", re.IGNORECASE)
_DEADLINE_LEAD = re.compile(r"(?:by|before|within|no later than|not later than|no later|at the latest by)\b", re.IGNORECASE)
# "**Safety.** If LM goes missing again, staff will ...": a bold label before the sentence it heads.
_BOLD_LEAD_IN = re.compile(r"^\s*(?:\*\*|__)[^*_\n]{1,40}?[.:]?(?:\*\*|__)[.:]?\s+")


_CONTINGENCY_SECTION = re.compile(r"contingen|parallel plan|if things change|plan b\b|back-?up plan|what happens if|if (this|the) plan", re.IGNORECASE)


# Passives that describe, not commit: "arrangements should be maintained", "needs continue to be met".
_DESCRIPTIVE_PASSIVES = {"maintain", "meet", "note", "record", "report", "discuss", "acknowledge", "understand",
                         "recognise", "recognize", "remind", "view", "treat", "regard", "welcome", "praise", "base", "see", "keep",
                         "entitle"}  # "Leah will be entitled to a Setting Up Home Allowance when she moves"


# "The IRO's job is to check ...": a definition, not an action.
DEFINITION_HEADS = {"job", "role", "aim", "purpose", "hope", "view", "wish", "goal", "intention", "idea", "point", "task"}


COURT_HEADS = {"court", "judge", "magistrates", "magistrate", "justices"}


RECEIVE_VERBS = {"get", "have", "receive"}


HEAR_VERBS = {"hear"}


# "Placement plan meeting to be held asap / by 3 March": a meeting someone must arrange by then, unlike
# "The next review will be held on 5 May", which says when it is.
_HELD_BY = re.compile(r"\b(?:held|scheduled|arranged)\s+(?:by|before|within|no later than|as soon as|asap)\b", re.IGNORECASE)
_REVIEW_DATE_STATEMENT = re.compile(r"\b(review|meeting|conference)\b", re.IGNORECASE)


# "This plan explains what everyone will do", "This plan will be reviewed on ...", "What I will do":
# what the record is, when it is looked at again, and headings written as sentences are not actions.
_INTRODUCTION = re.compile(
    r"^\s*(?:(?:this|the|your) (?:care |pathway )?(?:plan|letter|record|document|review|minutes)\b[^.]{0,20}?|it)\b\s*(?:explains|covers|"
    r"sets out|tells you|is about|describes|says|replaces|will be reviewed|will be looked at)\b|\blook at this plan again\b"
    # "It is your plan for the next six months, and it says what ... we will do to help"
    r"|^\s*(?:it|this)\s+is\s+(?:your|this|the|\w+'s)\s+(?:[\w-]+\s+)?plan\b",
    re.IGNORECASE,
)
# "What we will do if things change": a heading, however it ends, as long as it has no full stop.
_HEADING_SENTENCE = re.compile(r"^\s*(?:what|how|who|when)\s+(?:\w+\s+){0,2}(?:will|is going to|are going to)\s+\w+(?:\s+\w+){0,4}\s*$",
                               re.IGNORECASE)
# "Next review: August 2026 (date to be arranged)", "the date will be confirmed by letter": when the next
# review is, not a task in the plan.
_NEXT_REVIEW_DATE = re.compile(r"\bnext\s+(?:\w+\s+){0,2}review\b", re.IGNORECASE)
_REVIEW_DATE_VERBS = {"arrange", "confirm", "set", "agree", "book", "fix", "send"}
_BY_THE_REVIEW = re.compile(r"\b(?:before|by|ahead of|prior to|until)\s+(?:the\s+|your\s+|his\s+|her\s+|their\s+|\w+'s\s+)?$", re.IGNORECASE)


def _names_next_review(text: str) -> bool:
    """ "The date of the next review will be confirmed": the next review is what is set. Not "Your health
    assessment will be booked before your next review", a task due by then."""
    return any(not _BY_THE_REVIEW.search(text[max(0, m.start() - 20) : m.start()]) for m in _NEXT_REVIEW_DATE.finditer(text))


# Issue 19 item 8: plan options ("Plan B is for Tomasz to live with his uncle"), decisions not to act
# ("it was agreed that a referral to CAMHS is not required at this time") and the plan's standing
# decision that the child stays where they are ("Everyone agreed that you will keep living with Bev"):
# what the plan is, not a task anyone will do.
_PLAN_OPTION = re.compile(r"^\W*plan\s+[a-d]\b\s*(?:is|would be|will be|[:–—-])", re.IGNORECASE)
_NOT_TO_ACT = re.compile(r"\b(?:is|are|was|were)\s+not\s+(?:required|needed|necessary)\b|\bno\s+(?:further\s+)?action\b",
                         re.IGNORECASE)
_STAYS = re.compile(r"\b(?:you|he|she|they|[A-Z][a-z]+)\s+will\s+(?:keep|carry on|continue(?: to)?)\s+living\b"
                    r"|\byou\s+will\s+(?:stay|remain)(?:\s+living)?\s+(?:with|at|in)\b"
                    # "That Lily-Mae remains in her placement with Mr and Mrs Ruddock": the plan, not a task.
                    r"|^\W*(?:\d+[.)]\s*)?that\s+(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}|he|she|they|you)\s+"
                    r"(?:remains?|stays?)\s+(?:living\s+)?(?:in|with|at)\b",
                    re.IGNORECASE)


def _in_condition(body: str, offset: int, at: int | None) -> bool:
    """Whether the date at ``at`` (in the unit) lies in the opening condition ("If the mornings do not
    improve by Easter, ...") of ``body`` (the unit from ``offset``): before the comma that ends it."""
    if at is None:
        return False
    comma = body.find(",")
    return comma != -1 and at < offset + comma


def excluded(unit: Unit, cue: Cue, heading: str, owner_found: bool, has_deadline: bool,
             deadline_at: int | None = None, deadline_kind: str | None = None) -> bool:
    """Units that look like actions but are not commitments in the plan. ``deadline_at``: where in the
    unit its deadline starts; ``deadline_kind``: its :class:`~analyser.dates.DateMention` kind."""
    if (_STATUS.search(unit.text) or _CHAIR_REMARK.match(unit.text) or _BOILERPLATE.match(unit.text)
            or _CONDITIONAL_REQUEST.match(unit.text) or (EARLIER_AGREEMENT.match(unit.text) and not has_deadline)
            or _CONTACT_INVITATION.match(unit.text) or _NEXT_REVIEW_ON.search(unit.text) or _PLAN_REVIEW_DATE.search(unit.text)
            or _DONE_SINCE.search(unit.text)):
        return True
    if _INTRODUCTION.search(unit.text) or _HEADING_SENTENCE.match(unit.text):
        return True
    if _PLAN_OPTION.match(unit.text) or _NOT_TO_ACT.search(unit.text) or (not has_deadline and _STAYS.search(unit.text)):
        return True
    if not owner_found and not has_deadline and _REPORTED_PERFECT.search(unit.text):
        return True  # "return home to mum has been assessed as not safe": a finding, not an instruction
    if heading and PROGRESS_SECTION.search(heading):
        return True
    prefix = RECOMMENDATION_PREFIX.match(unit.text) or _BOLD_LEAD_IN.match(unit.text)
    body = unit.text[prefix.end() :] if prefix else unit.text
    conditional = bool(_CONDITIONAL.match(body)) or bool(re.search(r"\bwould\b", body, re.IGNORECASE))
    # A contingency plan says what would happen; a dated, owned task in it is still an action.
    if heading and _CONTINGENCY_SECTION.search(heading) and (conditional or not owner_found or not has_deadline):
        return True
    if conditional and (cue.passive or not owner_found):
        return True
    # "If Jake's dad says no, I will talk to you about ...": what would happen, not a plan action, unless it
    # is dated outside its condition ("If the mornings do not improve by Easter, Bethany will ask ..." is
    # dated only inside it: still a contingency). "If the visits go well, we will talk at your next review
    # about ...": dated only by the next review, it says what the review would discuss, not a task.
    offset = prefix.end() if prefix else 0
    # "If the sessions keep going well, I will ask my manager to agree one session a month": a frequency is
    # how often, not when: the answer to a condition still.
    # "If both sessions go well, I will ask my manager to agree unsupervised time from February": a month or
    # a start in the answer says when the outcome would be, not a deadline for a task.
    if conditional and _CONDITIONAL.match(body) and (not has_deadline or _in_condition(body, offset, deadline_at)
                                                     or deadline_kind in ("review", "recurring")
                                                     or (deadline_at is not None and not _DEADLINE_LEAD.match(unit.text, deadline_at))):
        return True
    doc = unit.doc
    if (doc is not None and 0 < cue.verb < len(doc) and doc[cue.verb - 1].lower_ in ("can", "may")
            and _AGREED_THAT.search(unit.text, 0, doc[cue.verb].idx)):
        return True
    if doc is not None and 0 <= cue.verb < len(doc):
        lemma = lemma_of(doc[cue.verb])
        # "The next review will be held on 5 May": a date, not an action.
        # "We will meet again at the next review": when the next meeting is; "meet with school before the
        # next review to agree a plan" is a task.
        if lemma == "meet" and re.search(r"\bmeet again\b|\b(?:at|on|in)\s+(?:the\s+|our\s+|your\s+)?next\s+(?:\w+\s+){0,2}(?:review|meeting)\b",
                                         unit.text, re.IGNORECASE):
            return True
        # "School will consider requesting an EHC needs assessment if progress is not made", "IRO will
        # escalate to TM if passport not sent": a contingency.
        if (lemma == "consider" and re.search(r"\bif\b", unit.text, re.IGNORECASE)) or (
                lemma == "escalate" and not has_deadline and re.search(r"\bif\b", unit.text[doc[cue.verb].idx :], re.IGNORECASE)):
            return True
        # "Colin Ashby, your IRO, will chair it": who runs the next review, said with its date.
        if lemma == "chair":
            return True
        # "Isla will start school in September 2026": the child's next step, a fact of the plan.
        if lemma == "start" and _STARTS_SCHOOL.match(unit.text[doc[cue.verb].idx :]):
            return True
        # ... unless someone is named to do it by a date: "Amara will be seen by the dentist by 3 May".
        # A recommendation ("That Z's wish is recorded in her plan") directs, whatever its verb.
        if cue.passive and lemma in _DESCRIPTIVE_PASSIVES and not cue.that_clause and not (owner_found and has_deadline):
            return True
        if lemma in ("hold", "schedule", "take") and _REVIEW_DATE_STATEMENT.search(unit.text) and cue.passive and not cue.that_clause and not _HELD_BY.search(unit.text) or (
            lemma == "take" and "place" in unit.text.lower() and _REVIEW_DATE_STATEMENT.search(unit.text)
        ):
            return True
        if cue.passive and lemma in _REVIEW_DATE_VERBS and _names_next_review(unit.text) and not owner_found:
            return True
        # "Placement to continue": nothing will be done.
        if lemma == "continue" and (cue.verb + 1 >= len(doc) or doc[cue.verb + 1].is_punct) and not has_time(unit.text):
            return True
        # "When we will look at this plan again: 06/05/2025": a labelled field, not an action.
        label = re.search(r"(?<!\d):(?!\d)", unit.text)  # not the colon of "1:1" or "10:30"
        colon = label.start() if label else -1
        if colon > 0 and doc[cue.verb].idx < colon and len(unit.text[colon + 1 :].split()) <= 4:
            return True
    return False
