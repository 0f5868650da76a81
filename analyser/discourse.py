"""Record-level discourse facts: who writes, to whom, who "we" are, and the people the record names.

Read once per record, beside :mod:`analyser.facts`, so that every check can ask the same questions a
second reader asks before judging a sentence: "I" is the author, "you" the addressee (the child, a
parent or the carers), "we" the council or service the record names, "she" the woman named last.

Everything here is read from the record's own words (fields, salutations, signature blocks, "your
mum, Dawn"); nothing is guessed from outside the text. Where the record does not say, the answer is
``None`` and callers keep the words as written.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from analyser.document import Document
from analyser.prefilter import word_finditer

AddresseeRole = Literal["child", "parent", "carer", "professional", "none"]
Gender = Literal["f", "m"]

# ---- role words --------------------------------------------------------------------------------------
# Professional roles as records write them, with the name a report shows. Longest first when matching.
PROFESSIONAL_ROLES: dict[str, str] = {
    "independent reviewing officer": "IRO",
    "iro": "IRO",
    "social worker": "social worker",
    "allocated social worker": "social worker",
    "children's social worker": "social worker",
    "sw": "social worker",
    "ssw": "supervising social worker",
    "personal adviser": "personal adviser",
    "personal advisor": "personal adviser",
    "pa": "personal adviser",
    "team manager": "team manager",
    "practice manager": "team manager",
    "supervising social worker": "supervising social worker",
    "fostering social worker": "supervising social worker",
    "family support worker": "family support worker",
    "leaving care worker": "personal adviser",
    "virtual school head": "virtual school",
    "designated teacher": "designated teacher",
    "key worker": "key worker",
    "keyworker": "key worker",
    "support worker": "support worker",
    "youth worker": "youth worker",
    "advocate": "advocate",
    "nurse": "nurse",
    "lac nurse": "nurse",
}
PARENT_RELATIONS: dict[str, Gender | None] = {
    "mum": "f", "mother": "f", "mom": "f", "mummy": "f", "birth mother": "f", "birth mum": "f",
    "dad": "m", "father": "m", "daddy": "m", "birth father": "m", "birth dad": "m",
    "parent": None, "parents": None, "stepmum": "f", "stepdad": "m", "step-mum": "f", "step-dad": "m",
}
CARER_RELATIONS: dict[str, Gender | None] = {
    "foster carer": None, "foster carers": None, "foster mum": "f", "foster dad": "m",
    "foster mother": "f", "foster father": "m", "carer": None, "carers": None,
    "kinship carer": None, "special guardian": None, "residential worker": None,
}
FAMILY_RELATIONS: dict[str, Gender | None] = {
    "nan": "f", "nana": "f", "gran": "f", "grandma": "f", "grandmother": "f", "grandad": "m",
    "grandpa": "m", "grandfather": "m", "aunt": "f", "auntie": "f", "aunty": "f", "uncle": "m",
    "sister": "f", "brother": "m", "half-sister": "f", "half-brother": "m", "cousin": None,
    "stepsister": "f", "stepbrother": "m",
}
_RELATIONS: dict[str, Gender | None] = {**PARENT_RELATIONS, **CARER_RELATIONS, **FAMILY_RELATIONS}
_TITLES: dict[str, Gender | None] = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "mx": None, "dr": None}

# Role and relation words match in any case ("Social Worker", "IRO", "Mum"); names only capitalised.
_ROLE_ALT = "(?i:" + "|".join(sorted((re.escape(r) for r in PROFESSIONAL_ROLES), key=len, reverse=True)) + r")\b"
_REL_ALT = "(?i:" + "|".join(sorted((re.escape(r) for r in _RELATIONS), key=len, reverse=True)) + r")\b"
_NAME = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+)?[A-Z][a-zA-Z'’-]+(?:[ \t]+[A-Z][a-zA-Z'’-]+){0,2}"
_NAME_RE = re.compile(_NAME)

# ---- author --------------------------------------------------------------------------------------------
_AUTHOR_FIELD = re.compile(
    # "Visiting worker: Oliver Bates, social worker" heads a visit record: the one who visited writes it.
    rf"^[ \t*#_|]*(?i:written by|author|completed by|prepared by|from|report by|minutes by|chaired by|recorded by|"
    rf"visiting worker|visiting social worker|allocated worker)[ \t*_]*[:\-–|]?[ \t*_]*"
    # "Completed by | Shona Pritchard (Social Worker)" (a table row); "*Prepared by Nikhil Sharma, Social
    # Worker, Greywater Children's Services*" (a signature line naming the service after the role).
    rf"(?P<name>(?:[A-Z]\.[ \t]*)?{_NAME})(?:[ \t]*[,(–-][ \t]*(?P<role>[A-Za-z' ]{{2,40}}?))?\)?(?:[ \t]*[,(][^\n|]{{1,80}}?)?[ \t*_|]*$",
    re.MULTILINE,
)
_ROLE_FIELD = re.compile(
    # "Key worker at Larch House: Dev Kapoor (DK)": the role's workplace may stand between it and the name.
    rf"^[ \t*#_|]*(?P<role>{_ROLE_ALT})[ \t]*(?:\(\w+\))?(?:[ \t]+at[ \t]+[^:|\n]{{1,40}})?[ \t]*[:|][ \t]*(?P<name>{_NAME})",
    re.MULTILINE,
)
_SELF_INTRO = re.compile(
    rf"\b(?i:my name is|i am|i'm)[ \t]+(?:(?P<name1>{_NAME})[ \t]*(?:,|and)[ \t]*(?i:i am|i'm)?[ \t]*)?"
    rf"(?i:your|the)[ \t]+(?:(?i:new)[ \t]+)?(?P<role>{_ROLE_ALT})(?:[ \t]*,?[ \t]*(?P<name2>{_NAME}))?",
)
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:best wishes|kind regards|warm regards|regards|yours sincerely|yours faithfully|with best wishes|"
    r"love(?: from)?|from|take care|thanks|thank you|many thanks|speak soon|see you soon|signed)[,.!]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

# ---- addressee ---------------------------------------------------------------------------------------
# "Dear Ms Patel," / "Hi Poppy." : the salutation's words up to its punctuation, a few words at most.
# "Dear Ms Patel,", "Hi Tyler!", "To Mr and Mrs Evans": a capital "To" only, since a PDF line wrapped
# before "to your mum's." is no salutation.
_DEAR = re.compile(r"^[ \t*_]*(?:(?i:dear|hello|hi)|To)[ \t]+(?!(?i:your|my|the|his|her|their)\b)(?P<who>[^,.;:!?\n]{1,60}?)[ \t]*(?:[,.:!;]|$)",
                   re.MULTILINE)
_TO_FIELD = re.compile(r"^[ \t*_]*(?:to|addressed to|for the attention of)\s*:\s*(?P<who>[^\n]{1,80})$",
                       re.IGNORECASE | re.MULTILINE)
_FOR_CHILD = re.compile(r"\b(?:this|the)\s+(?:letter|plan|record|review|report)\s+is\s+(?:for|to)\s+you\b|"
                        r"\bthis is your (?:own |new )?(?:pathway |care |placement )?plan\b", re.IGNORECASE)
_CARER_CUES = re.compile(
    r"\b(?:you as (?:\w+'s |his |her |their )?(?:foster )?carers?|(?:is|are) living with you|lives with you|"
    r"your (?:care of|fostering|supervising social worker)|as (?:his|her|their|\w+'s) (?:foster |kinship )?carers?|"
    r"you as (?:\w+'s |his |her |their )?(?:kinship carers?|special guardians?)|your (?:kinship|special guardianship) assessment|"
    # "since she came to live with you in March", "Isla's plan is for her to stay with you": the child lives there
    r"came\s+to\s+live\s+with\s+you|(?:has|have)\s+lived\s+with\s+you|(?:placed|living)\s+with\s+you|"
    # "has now been with you for seven months"; a supervising social worker's "supervision visit" is to carers
    r"(?:has|have)\s+(?:now\s+)?been\s+with\s+you\s+(?:for|since)|supervision\s+visit)\b",
    re.IGNORECASE,
)
_PARENT_CUES = re.compile(
    r"\b(?:your (?:son|daughter|child|children|boy|girl)|as (?:his|her|their|\w+'s) (?:mum|mother|dad|father|parents?)|"
    r"your contact with (?:him|her|them|\w+)|you as (?:\w+'s |his |her |their )?(?:mum|mother|dad|father|parents?))\b",
    re.IGNORECASE,
)
_PROFESSIONAL_CUES = re.compile(r"\b(?:colleague|dear sir|dear madam|to whom it may concern|your (?:service|team|school|pupil))\b",
                                re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)

# ---- service that "we" stands for ------------------------------------------------------------------
_SERVICE = re.compile(
    r"\b(?:(?:we|us)\s*(?:,|\(|at|in|from)\s*)?(?P<service>(?:[A-Z][\w'’-]+[ \t]+){1,4}"
    r"(?:Children'?s Services|Children's Social Care|Children and Families Service|Council|Borough Council|"
    r"County Council|City Council|Leaving Care Team|Leaving Care Service|Fostering Service|Children in Care Team|"
    r"Looked After Children Team|Care Leavers Service|Trust))\b"
)
# A line that is a team's name, alone or after the council or the writer's role: "Personal Adviser,
# Thornbury Vale Moving On Team", "Thornbury Vale Council – Moving On Team".
_TEAM_LINE = re.compile(
    r"^[ \t]*(?:[^\n,–—]{0,60}?(?:Council|Adviser|Advisor|Worker|Officer|Manager)[ \t]*[,–—-][ \t]*)?"
    r"(?P<service>(?:[A-Z0-9][\w'’+-]*[ \t]+){1,5}(?:Team|Service))[ \t]*$",
    re.MULTILINE,
)
# "We at Harrowfield Children's Services ...", "we (Ashcombe 16+ Service)": on one line, as the record spells it.
_WE_AT = re.compile(
    r"\b[Ww]e(?:[ \t]*[(,]|[ \t]+(?:at|in|from))[ \t]*(?P<service>(?:the[ \t]+)?(?:(?:[A-Z][\w'’-]+|\d+\+?)[ \t]*){1,6})"
)

# ---- people named with a relation or a role ----------------------------------------------------------
# "your mum, Dawn" / "your mum Dawn" / "Dawn (mum)" / "Dawn, your mum" / "mum (Dawn)" / "Mum, Dawn Lewis"
_REL_THEN_NAME = re.compile(rf"\b(?:(?i:your|\w+'s|his|her|their)[ \t]+)?(?P<rel>{_REL_ALT})[ \t]*(?:,|\()?[ \t]*(?P<name>{_NAME})\b")
_NAME_THEN_REL = re.compile(
    rf"(?P<name>{_NAME}(?:[ \t]+and[ \t]+{_NAME})?)\s*(?:\(\s*(?:your\s+|\w+'s\s+)?(?P<rel1>{_REL_ALT})\s*\)|,\s*(?:your|\w+'s|his|her|their)\s+(?P<rel2>{_REL_ALT})\b"
    # An attendance table's row: "Carla Dunne | Your mum".
    rf"|[ \t]*\|[ \t]*(?i:your[ \t]+|\w+'s[ \t]+)?(?P<rel3>{_REL_ALT})[ \t]*(?=\||$))",
    re.MULTILINE,
)
# "Imran Qureshi (SW)", "Dee Campbell (keyworker, Oak Lodge)", "Jo Reed, your social worker".
_NAME_THEN_ROLE = re.compile(
    rf"(?P<name>{_NAME})[ \t]*(?:\([ \t]*(?:your\s+|the\s+)?(?P<role1>{_ROLE_ALT})[ \t]*(?:[,;][^()\n]{{0,40}})?\)|,[ \t]*(?:your\s+|the\s+|our\s+)?(?P<role2>{_ROLE_ALT}))",
)
_ROLE_THEN_NAME = re.compile(rf"\b(?i:your|the|our)[ \t]+(?P<role>{_ROLE_ALT})[ \t]*(?:,|[ \t]is|[ \t]will be)?[ \t]+(?P<name>{_NAME})\b")
# "Bethany is your social worker.", "Mr Osei is the designated teacher": a name, then the role it holds.
_NAME_IS_ROLE = re.compile(rf"(?P<name>{_NAME})[ \t]+is[ \t]+(?i:your|the|our|his|her|their)[ \t]+(?P<role>{_ROLE_ALT})\b")
_JOINT = re.compile(rf"\b(?:{_NAME})[ \t]+and[ \t]+(?:{_NAME})\b")
_CALENDAR_WORDS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
                   "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
                   "Easter", "Christmas"}
# "Fenby Housing Options", "the college wellbeing service": an organisation "they" can point back to
# ("Referral to Fenby Housing Options completed. They will contact YP when ...").
_ORGANISATION = re.compile(
    r"\b(?:the[ \t]+(?:[a-z]+[ \t]+){1,3}(?:service|team|agency|charity|project)"
    # "Ellie's school, Ashgrove Primary, has offered her a place ... They will start her": a school too.
    r"|(?:[A-Z][\w'’&-]*[ \t]+){1,4}(?:Service|Team|Options|Trust|Agency|Project|Partnership|Charity|Primary|Academy|School|College))\b"
)
_ROLE_CELL = re.compile(rf"(?P<role>{_ROLE_ALT})(?=\s*$|\s*[(,–-])")
_REL_CELL = re.compile(rf"(?P<rel>{_REL_ALT})(?=\s*$|\s*[(,–-])")
_NAME_ROLE_ROW = re.compile(rf"^[ \t|]*(?P<name>{_NAME})[ \t]*\|[ \t]*(?P<role>[A-Za-z][^|\n]{{1,60}})", re.MULTILINE)
_TITLED = re.compile(r"\b(?P<title>Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+(?P<surname>[A-Z][a-zA-Z'’-]+(?:[ \t]+[A-Z][a-zA-Z'’-]+)?)")
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
# Words that start a sentence in capitals and are never a person's name.
_NOT_NAMES = {
    # A role field's "Allocate PA": nobody named yet (with "not yet allocated", "tbc" below).
    "allocate", "awaiting", "vacant", "tba", "none", "unallocated",
    "the", "a", "an", "this", "that", "these", "those", "it", "we", "i", "you", "he", "she", "they", "there", "here",
    "your", "our", "my", "his", "her", "their", "if", "when", "then", "and", "but", "or", "so", "as", "at", "in", "on",
    "by", "to", "for", "from", "with", "of", "all", "no", "yes", "next", "date", "review", "plan", "care", "child",
    "school", "health", "education", "action", "actions", "who", "what", "why", "how", "dear", "hello", "hi",
    "best", "kind", "regards", "love", "thanks", "thank", "signed", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "mum", "dad", "nan", "iro", "sw", "pa", "council", "team",
    "social", "personal", "worker", "adviser", "advisor", "officer", "manager", "background", "independent",
    "reviewing", "carer", "carers", "foster", "not", "yet", "allocated", "tbc", "n/a",
}


@dataclass(frozen=True, slots=True)
class Person:
    """Someone the record names: as it names them, with what it says of them."""

    name: str
    role: str | None = None  # a professional role ("social worker", "IRO") or a relation ("mum", "foster carer")
    gender: Gender | None = None
    kind: Literal["child", "parent", "carer", "family", "professional", "other"] = "other"

    def label(self) -> str:
        """How a report names this person: 'Jo Reed (social worker)', 'Dawn (mum)', 'Aisha'."""
        if self.role and self.role.lower() not in self.name.lower():
            return f"{self.name} ({self.role})"
        return self.name


@dataclass(frozen=True, slots=True)
class Mention:
    """A person named at an offset: what "she" or "they" can point back to."""

    start: int
    end: int
    person: Person
    plural: bool = False


@dataclass(frozen=True, slots=True)
class Addressee:
    role: AddresseeRole
    name: str | None = None
    start: int = -1  # where the record says so ("Dear Ms Patel"), -1 when read from the way it is written


@dataclass(slots=True)
class Discourse:
    """Who writes the record, to whom, for which service, and whom it names (in text order)."""

    author: Person | None = None
    addressee: Addressee = field(default_factory=lambda: Addressee("none"))
    service: str | None = None
    child: Person | None = None
    people: list[Person] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def meta(self) -> dict[str, object]:
        """The report's view: author, addressee, service and people, with no offsets."""
        return {
            "author": {"name": self.author.name, "role": self.author.role} if self.author else None,
            "addressee": ({"role": self.addressee.role, "name": self.addressee.name}
                          if self.addressee.role != "none" else None),
            "service": self.service,
        }

    def resolve(self, words: str, at: int, scope_start: int) -> str | None:
        """The person an owner's words stand for, or None where the record does not say.

        ``at`` is where the words stand, ``scope_start`` where their paragraph or table row starts:
        "he / she / they" look back no further, so a pronoun is never resolved across sections.
        """
        # "We (the council) will pay ...": the bracket glosses the pronoun; the record's service is who "we" is.
        w = re.sub(r"\s*\([^)]*\)$", "", " ".join(words.lower().split()))
        if w in ("i", "me", "myself"):
            return self.author.label() if self.author and self.author.name else None
        if w in ("we", "us"):
            return self.service
        if w in ("you", "yourself"):
            return self._addressee_label()
        # "The child is to attend the dentist": the record's child, by name where it gives one. "YP" and
        # "CYP" stay as written: the readers of both sets that have them keep the abbreviation (5 of 5).
        if re.sub(r"^(?:the|this)\s+", "", w) in ("child", "young person"):
            return self.child.name if self.child else None
        if w in ("he", "she", "him", "her"):
            return self._last_fitting(_PRONOUN_GENDER[w], at, scope_start)
        if w == "they":
            return self._last_plural(at, scope_start)
        joint = re.split(r"\s*(?:,|&|\band\b)\s*", words)
        if len(joint) > 1:
            parts = [self.resolve(p, at, scope_start) or p for p in joint if p.strip()]
            return " and ".join(parts) if any(p != q for p, q in zip(parts, joint)) else None
        return self.role_holder(words) or self.relation(words)

    def role_holder(self, words: str) -> str | None:
        """'SW', 'the IRO', 'your social worker' -> 'Nadia Fennimore (SW)' when the record names exactly one
        person in that role (the author counts); None otherwise.

        The role stays as written beside the name, so the report shows both what the record says and who
        that is. A role someone else holds ("Mum's social worker", "his PA") is not the record's: not resolved.
        """
        written = re.sub(r"^(?:the|your|my|our)\s+", "", " ".join(words.split()), flags=re.IGNORECASE)
        role = PROFESSIONAL_ROLES.get(written.lower())
        if role is None:
            return None
        holders: list[str] = []
        for p in ([self.author] if self.author else []) + self.people:
            if p.role != role or not p.name or p.name.lower() in PROFESSIONAL_ROLES:
                continue
            same = [h for h in holders if same_person(h, p.name)]
            if not same:
                holders.append(p.name)
            elif len(p.name) > len(same[0]):
                holders[holders.index(same[0])] = p.name  # 'Nadia' then 'Nadia Fennimore': the fuller name
        return f"{holders[0]} ({written})" if len(holders) == 1 else None

    def _addressee_label(self) -> str | None:
        a = self.addressee
        if a.role == "child":
            return a.name or (self.child.name if self.child else None)
        if a.role in ("parent", "carer", "professional") and a.name:
            return a.name
        return None

    def relation(self, words: str) -> str | None:
        """'your mum' -> 'Dawn (mum)' when the record names her; None otherwise."""
        bare = words.strip().lower()
        w = re.sub(r"^(?:your|my|the|his|her|their|\w+'s)\s+", "", bare)
        if w not in _RELATIONS:
            return None
        for p in self.people:
            if p.role and p.role.lower() == w and p.name.lower() != w:
                return p.label()
        # A letter to Ms Pryce about her daughter: "Mum" in its Who column is Ms Pryce. Only the bare word
        # ("your mum" in a letter to a parent is the parent's own mother) and only when the title fits.
        a = self.addressee
        if (bare == w and w in PARENT_RELATIONS and a.role == "parent" and a.name and a.start >= 0
                and " and " not in a.name and (g := PARENT_RELATIONS[w]) is not None and _title_gender(a.name) == g):
            return f"{a.name} ({words.strip()})"
        return None

    def _last_fitting(self, gender: str, at: int, scope_start: int) -> str | None:
        """The person named last before ``at`` (inside the scope) whom the pronoun can mean.

        A mention of the other gender is passed over; one whose gender the record does not show fits
        ("Your social worker is Amira Haddad. She will visit ...").
        """
        for m in reversed(self.mentions):
            if m.end <= scope_start:
                break
            if m.start >= at or m.plural:
                continue
            if m.person.gender == gender or m.person.gender is None:
                return m.person.label()
        return None

    def may_be(self, label: str, pronoun: str) -> bool:
        """Whether 'he' / 'she' can stand for the person the record calls ``label`` (their gender, where
        the record shows it, agrees)."""
        gender = _PRONOUN_GENDER.get(pronoun.lower())
        for p in [m.person for m in self.mentions] + self.people:
            if label in (p.label(), p.name) and p.gender is not None:
                return p.gender == gender
        return True

    def _last_plural(self, at: int, scope_start: int) -> str | None:
        for m in reversed(self.mentions):
            if m.end <= scope_start:
                break
            if m.start < at and m.plural:
                return m.person.label()
        return None


def read_discourse(document: Document, *, child_name: str | None, doc_type: str | None = None) -> Discourse:
    """Read the author, addressee, service and people from the record's text (once per record)."""
    text = document.text
    d = Discourse()
    if child_name:
        d.child = Person(child_name, None, None, "child")
    d.people = _people(text, child_name)
    d.people += _named_subjects(text, child_name, d.people)
    d.author = _author(text, doc_type, d.people)
    if d.author and all(p.name != d.author.name for p in d.people):
        d.people.append(d.author)
    d.service = _service(text)
    d.addressee = _addressee(text, child_name, d.people)
    d.mentions = _mentions(text, d, child_name)
    return d


# "You have lived with Ruth Adeyemi since May. ... Ruth has been fostering for eleven years. She will ...":
# a person the record gives a full name to and then, by first name, makes the subject of a sentence.
_FULL_NAME = re.compile(r"\b([A-Z][a-z]{2,})[ \t]+([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
_SUBJECT_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*([A-Z][a-z]{2,})[ \t]+(?:has|had|is|was|says|said|will|would|"
                            r"told|thinks|feels|agreed|asked|knows|lives|works)\b", re.MULTILINE)
_NOT_FIRST_NAMES = {"Year", "St", "Saint", "Court", "Family", "Children", "County", "Council", "Primary", "High", "Academy",
                    "School", "College", "House", "Street", "Road", "Lane", "Park", "Bank", "Centre", "Team", "Service",
                    "Plan", "Care", "Pathway", "Health", "Review", "Social", "Personal", "Independent", "Moving", "Leaving",
                    "Next", "Your", "Our", "The", "This", "That", "What", "When", "Where", "Who", "How", "Dear", "Best",
                    "Kind", "Yours", "Date", "Name", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December", "Easter", "Christmas", "Summer", "Mum", "Dad", "Nan", "Grandad"}


def _named_subjects(text: str, child_name: str | None, people: list[Person]) -> list[Person]:
    known = {w for p in people for w in p.name.split()}
    words = (child_name or "").split()
    child = set(words) | ({words[0].split("-")[0]} if words else set())
    found: dict[str, Person] = {}
    subjects = {m.group(1) for m in _SUBJECT_START.finditer(text)}
    if not subjects:
        return []
    for m in _FULL_NAME.finditer(text):
        first, last = m.group(1), m.group(2)
        if (first in _NOT_FIRST_NAMES or last in _NOT_FIRST_NAMES or first in child or first in known
                or first.lower() in _NOT_NAMES or first in found):
            continue
        if first in subjects:
            found[first] = Person(f"{first} {last}", None, None, "other")
    return list(found.values())


def _clean_name(name: str) -> str | None:
    name = name.strip().rstrip(".,")
    words = name.split()
    while words and words[-1].lower() in _NOT_NAMES:
        words.pop()
    if not words or words[0].lower().rstrip(".") in _NOT_NAMES:
        return None
    if len(words) == 1 and words[0].lower().rstrip(".") in _TITLES:
        return None
    return " ".join(words)


def _role_of(words: str | None) -> str | None:
    if not words:
        return None
    w = " ".join(words.lower().split())
    # "Written by: Jo Whitfield, your social worker": the role, whoever's it is said to be.
    w = re.sub(r"^(?:your|the|my|our)\s+", "", w)
    return PROFESSIONAL_ROLES.get(w) or (w if w in _RELATIONS else None)


def _author(text: str, doc_type: str | None, people: list[Person]) -> Person | None:
    """The writer, with their full name where the record gives it anywhere ("From Priya" in a plan that
    says "my name is Priya Chandran")."""
    found = _author_as_named(text, doc_type, people)
    if found is None or " " in found.name:
        return found
    fuller = {m.group(0) for m in word_finditer(found.name, text, r"[ \t]+[A-Z][a-zA-Z'’-]+\b")}
    fuller = {f for f in fuller if (last := f.split()[-1].lower()) not in _NOT_NAMES and last not in PROFESSIONAL_ROLES}
    if len(fuller) == 1:
        name = fuller.pop()
        return Person(name, found.role or _known_role(name, people), found.gender, found.kind)
    return found


def _author_as_named(text: str, doc_type: str | None, people: list[Person]) -> Person | None:
    m = _AUTHOR_FIELD.search(text)
    if m and (name := _clean_name(m.group("name"))):
        return Person(name, _role_of(m.group("role")) or _known_role(name, people), _title_gender(name), "professional")
    sig = _signature(text) or _closing_line(text)
    if sig:
        return sig
    m2 = _SELF_INTRO.search(text)
    if m2:
        name = _clean_name(m2.group("name1") or m2.group("name2") or "")
        if name:
            return Person(name, PROFESSIONAL_ROLES[m2.group("role").lower()], _title_gender(name), "professional")
    # A role field names the author where the record type says who writes it.
    writer = {"review_minutes": "IRO", "care_plan": "social worker", "pathway_plan": "personal adviser"}.get(doc_type or "")
    fields = [(PROFESSIONAL_ROLES[f.group("role").lower()], _clean_name(f.group("name"))) for f in _ROLE_FIELD.finditer(text[:3000])]
    for role, name in fields:
        if name and role == writer:
            return Person(name, role, _title_gender(name), "professional")
    # Failing a field, the one person the record names in the writer's role. A record of no known type has
    # no writer's role: a person it names without a role is not its writer.
    if writer is None:
        return None
    writers = [p for p in people if p.role == writer]
    if len({p.name for p in writers}) == 1:
        return writers[0]
    return None


# The record's last line naming its writer and their role, with no sign-off before it: "D. Pearce, SW",
# "Marcus Fenn, Personal Adviser, Saltmarsh Next Steps Team".
_CLOSING_LINE = re.compile(
    rf"^(?P<name>(?:[A-Z]\.[ \t]*)?{_NAME})[ \t]*,[ \t]*(?P<role>{_ROLE_ALT})(?:[ \t]*,[^\n]{{1,80}})?$")


def _closing_line(text: str) -> Person | None:
    lines = [ln.strip(" \t*_|") for ln in text[-400:].split("\n") if ln.strip(" \t*_|")]
    m = _CLOSING_LINE.match(lines[-1]) if lines else None
    if m is None or not (name := _clean_name(m.group("name"))):
        return None
    return Person(name, PROFESSIONAL_ROLES[m.group("role").lower()], _title_gender(name), "professional")


def _signature(text: str) -> Person | None:
    """'Best wishes,' then a name line and maybe a role line, near the end of the record."""
    tail_start = max(0, len(text) - 1500)
    found = None
    for m in _SIGN_OFF.finditer(text, tail_start):
        found = m
    if not found:
        return None
    lines = [ln.strip(" \t*_|") for ln in text[found.end():].split("\n") if ln.strip(" \t*_|")][:3]
    if not lines:
        return None
    first = re.split(r"\s*[,(–-]\s*", lines[0], maxsplit=1)
    name = _clean_name(first[0]) if _NAME_RE.fullmatch(first[0].strip().rstrip(".")) else None
    if not name:
        return None
    role = _role_of(first[1].rstrip(")")) if len(first) > 1 else None
    if role is None and len(lines) > 1:
        # "Independent Reviewing Officer", "Supervising Social Worker, Kinship Team": the role line, up to
        # the team it names.
        line = re.sub(r"^(?:your|the)\s+", "", lines[1].lower()).rstrip(".")
        role = _role_of(line) or _role_of(re.split(r"\s*[,(–-]\s*", line, maxsplit=1)[0])
    return Person(name, role, _title_gender(name), "professional")


def same_person(a: str, b: str) -> bool:
    """'Nadia' and 'Nadia Fennimore (SW)' name one person: the shorter's words start the longer's, roles
    in brackets aside."""
    x, y = re.sub(r"\s*\(.*?\)", "", a).lower().split(), re.sub(r"\s*\(.*?\)", "", b).lower().split()
    return bool(x and y) and (x == y[: len(x)] or y == x[: len(y)])


def _known_role(name: str, people: list[Person]) -> str | None:
    for p in people:
        if p.name == name and p.role:
            return p.role
    return None


def _title_gender(name: str) -> Gender | None:
    first = name.split()[0].lower().rstrip(".")
    return _TITLES.get(first)


def _service(text: str) -> str | None:
    m = _WE_AT.search(text)
    if m:
        # "We at Lindford Children's Social Care will ...": the service is the words the record gives.
        words = re.split(r"\s+(?=[a-z])", m.group("service").strip(), maxsplit=1)[0].strip()
        words = re.sub(r"^the\s+", "", words, flags=re.IGNORECASE)
        if len(words.split()) >= 2:
            return words
    # A named service ("Calderbrook Leaving Care Team") before its council ("Calderbrook Metropolitan
    # Borough Council"), wherever the record names it (a letterhead, a signature).
    named = [m.group("service").strip() for m in _SERVICE.finditer(text)]
    services = [n for n in named if not n.endswith("Council")]
    if not services:
        # A team of the council's own naming ("Thornbury Vale Moving On Team") on a letterhead or signature
        # line of its own: the fullest spelling, as a signature gives it.
        # The IRO's service chairs reviews; it is not the "we" who act for the council.
        lines = [n for n in (m.group("service").strip() for m in _TEAM_LINE.finditer(text))
                 if not n.startswith("Independent Reviewing")]
        services = sorted(lines, key=lambda n: -len(n.split()))[:1]
    return (services or named or [None])[0]


_ORGANISATION_WORDS = {"fostering", "services", "service", "team", "agency", "trust", "council", "school", "academy",
                       "college", "centre", "project", "partnership", "hub", "nursery", "home", "homes", "care",
                       # "your social worker, Ashcombe Borough Council": the council's name, not a person's
                       "borough", "county", "city", "district", "metropolitan"}


def _people(text: str, child_name: str | None) -> list[Person]:
    people: dict[str, Person] = {}

    def add(name: str | None, role: str | None, kind: str, gender: Gender | None) -> None:
        if not name or (child_name and name.split()[0].lower() == child_name.split()[0].lower()):
            return
        if name.split()[-1].lower() in _ORGANISATION_WORDS:
            return  # "IFA carers (Brightpath Fostering)": the agency, not the carers' name
        old = people.get(name)
        if old is None or (old.role is None and role):
            people[name] = Person(name, role, gender or _title_gender(name), kind)  # type: ignore[arg-type]

    for m in _REL_THEN_NAME.finditer(text):
        rel = m.group("rel").lower()
        add(_clean_name(m.group("name")), rel, _relation_kind(rel), _RELATIONS.get(rel))
    for m in _NAME_THEN_REL.finditer(text):
        rel = (m.group("rel1") or m.group("rel2") or m.group("rel3")).lower()
        add(_clean_name(m.group("name")), rel, _relation_kind(rel), _RELATIONS.get(rel))
    for m in _NAME_THEN_ROLE.finditer(text):
        role = PROFESSIONAL_ROLES[(m.group("role1") or m.group("role2")).lower()]
        add(_clean_name(m.group("name")), role, "professional", None)
    for m in _ROLE_THEN_NAME.finditer(text):
        add(_clean_name(m.group("name")), PROFESSIONAL_ROLES[m.group("role").lower()], "professional", None)
    for m in _NAME_IS_ROLE.finditer(text):
        add(_clean_name(m.group("name")), PROFESSIONAL_ROLES[m.group("role").lower()], "professional", None)
    for m in _ROLE_FIELD.finditer(text[:3000]):
        add(_clean_name(m.group("name")), PROFESSIONAL_ROLES[m.group("role").lower()], "professional", None)
    # An attendance table: "Farah Qureshi | Social worker (SW), Castlebridge Children in Care Team | Yes".
    for m in _NAME_ROLE_ROW.finditer(text):
        who, cell = _clean_name(m.group("name")), m.group("role").strip()
        # The cell is the role, maybe glossed ("(SW), Castlebridge ..."), not a task ("Dad to ring ...").
        if held := _ROLE_CELL.match(cell):
            add(who, PROFESSIONAL_ROLES[held.group("role").lower()], "professional", None)
        elif rel_cell := _REL_CELL.match(cell):
            rel = rel_cell.group("rel").lower()
            add(who, rel, _relation_kind(rel), _RELATIONS.get(rel))
    for m in _TITLED.finditer(text):
        name = f"{m.group('title')} {m.group('surname')}"
        if not any(name in p.name or p.name in name for p in people.values()):
            add(name, None, "other", _TITLES.get(m.group("title").lower()))
    return list(people.values())


def _relation_kind(rel: str) -> str:
    if rel in PARENT_RELATIONS:
        return "parent"
    if rel in CARER_RELATIONS:
        return "carer"
    return "family"


def _addressee(text: str, child_name: str | None, people: list[Person]) -> Addressee:
    head = text[:1500]
    salutation = _DEAR.search(head) or _TO_FIELD.search(head)
    if salutation:
        who = salutation.group("who").strip().strip("*_ ")
        role = _classify_addressee(who, text, child_name, people) if len(who.split()) <= 6 else None
        if role:
            return Addressee(role, who, salutation.start("who"))
    if _FOR_CHILD.search(text):
        return Addressee("child", child_name)
    seconds = len(_SECOND_PERSON.findall(text))
    words = max(1, len(text.split()))
    if seconds >= 3 and seconds / words >= 0.01:
        # Written to somebody without a salutation: the carers or a parent when the text says so, else the child.
        if _CARER_CUES.search(text):
            return Addressee("carer", None)
        if _PARENT_CUES.search(text):
            return Addressee("parent", None)
        return Addressee("child", child_name)
    return Addressee("none")


def _classify_addressee(who: str, text: str, child_name: str | None, people: list[Person]) -> AddresseeRole | None:
    w = who.lower()
    first = w.split()[0].rstrip(".") if w.split() else ""
    if child_name and child_name.split()[0].lower() in w.split():
        return "child"
    if re.search(r"\b(?:colleague|sir|madam|whom it may concern|team|panel)\b", w):
        return "professional"
    if re.search(r"\b(?:carers?|foster)\b", w):
        return "carer"
    if re.search(r"\b(?:mum|dad|mother|father|parents?)\b", w):
        return "parent"
    for p in people:
        # By first name only when it is a name: "Mr and Mrs Pennington" is not "Mr Thornton".
        if p.name.lower() == w or (first not in _TITLES and p.name.lower().split()[0] == first):
            if p.kind in ("parent", "carer", "professional"):
                return p.kind  # type: ignore[return-value]
            if p.kind == "family":
                return "parent"
    if first in _TITLES or " and " in w:
        if _CARER_CUES.search(text):
            return "carer"
        if _PARENT_CUES.search(text):
            return "parent"
        if _PROFESSIONAL_CUES.search(text):
            return "professional"
        # A titled adult written to about the child: a parent unless the text calls them carers.
        return "parent"
    if child_name is None and _NAME_RE.fullmatch(who):
        return "child"
    return None


def _mentions(text: str, d: Discourse, child_name: str | None) -> list[Mention]:
    """Every naming of a known person (and of the child), in text order, for pronouns to point back to."""
    found: list[Mention] = []
    names: list[tuple[str, Person]] = []
    for p in d.people:
        names.append((p.name, p))
        first = p.name.split()[0]
        if first.lower().rstrip(".") not in _TITLES and len(p.name.split()) > 1:
            names.append((first, p))
    child_gender = _child_gender(text, child_name)
    if d.child:
        child = Person(d.child.name, None, child_gender, "child")
        d.child = child
        names.append((child.name, child))
        if len(child.name.split()) > 1:
            names.append((child.name.split()[0], child))
    for rel, gender in _RELATIONS.items():
        person = next((p for p in d.people if p.role == rel), None) or Person(rel, None, gender, _relation_kind(rel))  # type: ignore[arg-type]
        names.append((rel, person))
    names.sort(key=lambda x: len(x[0]), reverse=True)
    # Spans already taken by a longer name, sorted by start: a match inside one is part of that name.
    # Only spans starting at most the longest name's length before a match can hold it, so the check
    # is a bisect, not a scan (a record naming the child thousands of times was quadratic).
    taken: list[tuple[int, int]] = []
    longest = max((len(n) for n, _ in names), default=0)
    lowered = text.lower()
    for name, person in names:
        flags = re.IGNORECASE if name.islower() else 0
        # Most of the relation words never occur in a record: a substring test skips their regex scan.
        if name not in (lowered if flags else text):
            continue
        for m in word_finditer(name, text, r"\b", flags):
            at = m.start()
            lo = bisect.bisect_left(taken, (at - longest, -1))
            hi = bisect.bisect_right(taken, (at, len(text) + 1))
            if any(s <= at < e for s, e in taken[lo:hi]):
                continue
            if text.startswith(("'s", "’s"), m.end()):
                continue  # "the school near Mum's": a possessive names a place, not who "she" is
            bisect.insort(taken, (m.start(), m.end()))
            plural = name.endswith("s") and name in ("parents", "carers", "foster carers")
            found.append(Mention(m.start(), m.end(), person, plural))
    # "Grace and Samuel", "Mr and Mrs Evans": a pair named together is what "they" points back to.
    for m in _JOINT.finditer(text):
        if any(w in _CALENDAR_WORDS for w in m.group(0).split()):
            continue  # "on Monday and Wednesday afternoons": two days, not two people
        found.append(Mention(m.start(), m.end(), Person(m.group(0), None, None, "other"), True))
    for m in _ORGANISATION.finditer(text):
        found.append(Mention(m.start(), m.end(), Person(m.group(0), None, None, "other"), True))
    found.sort(key=lambda m: m.start)
    return found


def _child_gender(text: str, child_name: str | None) -> Gender | None:
    """The child's gender where the text shows it: pronouns right after the child's name."""
    if not child_name:
        return None
    first = child_name.split()[0]
    votes = {"f": 0, "m": 0}
    for m in word_finditer(first, text, r"\b[^.\n]{0,60}?\b(he|him|his|she|her)\b"):
        votes[_PRONOUN_GENDER[m.group(1).lower()]] += 1
    if votes["f"] == votes["m"]:
        return None
    return "f" if votes["f"] > votes["m"] else "m"
