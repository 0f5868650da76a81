"""The template language of the phrase bank, and the voice a record is written in.

A template is plain text with tokens in braces:

- ``{Y}`` / ``{yo}`` / ``{yr}`` / ``{yself}``: the child as subject / object / possessive / reflexive.
  Written to the child these are "you", "you", "your", "yourself"; otherwise the child's name, a
  pronoun, or a label ("the child", "the young person", "CYP").
- ``{v:enjoy}``, ``{be}``, ``{have}``, ``{do}``, ``{was}``: verbs that agree with the last subject token.
- ``{I}`` / ``{me}`` / ``{my}``: the author ("I", or "the social worker" when not written to the child).
- people and places: ``{carer}``, ``{carer_full}``, ``{mum}``, ``{dad}``, ``{sib}``, ``{sibs}``, ``{sw}``,
  ``{iro}``, ``{pa}``, ``{teacher}``, ``{nurse}``, ``{school}``, ``{camhs}``, ``{hobby}``, ...
- ``{j:home}`` and friends: care-system jargon or its plain alternative, by the language level.
- ``{r:help|facilitate}``: the plain or the heavy word, by the readability level.
- ``{l:good|poor}``: by the language level.
- ``{~a|b|c}``: one alternative at random (alternatives may hold tokens).
- ``{n:2-6}``: a number; ``{past}``: a date before the record's date.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from .people import CULTURE_EVENTS, FAITH_ITEMS, FESTIVALS, FOODS, WORSHIP, Cast
from .timeexpr import fmt_date

_IRREGULAR = {"be": "is", "have": "has", "do": "does", "go": "goes", "say": "says"}


def third_singular(verb: str) -> str:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def cap(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1:]
        if ch not in " \"'“‘(":
            return s
    return s


# plain / jargon pairs; the jargon side is what TACT and council guides discourage
JARGON: dict[str, tuple[list[str], list[str]]] = {
    "home": (["home", "{yr} home", "home", "{yr} home", "{yr} home with {carer}"],
             ["the placement", "placement", "the current placement", "this placement", "{placement_type}"]),
    "homes": (["{yr} home", "where {Y} {v:live}"], ["the placement", "{yr} placement"]),
    "move": (["moving home", "a move to a new home"], ["a placement move", "a change of placement"]),
    "breakdown": (["had to move home", "{yr} last home ended"],
                  ["experienced a placement breakdown", "had a placement disruption"]),
    "ft": (["family time", "time with {yr} family", "family time"],
           ["contact", "supervised contact", "contact", "family contact"]),
    "ftc": (["the family centre", "the family centre"], ["the contact centre", "the contact centre"]),
    "sibs": (["{sibs_plain}"], ["{sibs_jargon}"]),
    "review": (["{yr} review", "{yr} review meeting", "{yr} meeting"],
               ["the LAC review", "the CLA review", "the statutory review", "LAC review"]),
    "carers": (["{carer}"], ["{carer_jargon}"]),
    "friends": (["friends", "{yr} friends"], ["peers", "peer group"]),
    "consequences": (["consequences"], ["sanctions"]),
    "shortbreak": (["a short break", "sleepovers"], ["respite", "respite care"]),
    "missing": (["went missing", "ran away", "did not come home"],
                ["absconded", "went AWOL", "was reported missing"]),
    "upset": (["finding things hard", "upset", "struggling", "feeling angry"],
              ["challenging behaviour", "dysregulated", "aggressive", "volatile"]),
    "settled": (["a settled home", "a home where {Y} can stay", "somewhere to grow up"],
                ["permanence", "a permanent placement", "long-term permanence"]),
    "plan_future": (["plan for the future", "{yr} plan"], ["pathway plan", "PWP"]),
    "leaving": (["moving on", "moving on from care"], ["leaving care", "transitions"]),
    "neet": (["not in education, training or work", "not in college or work"], ["NEET"]),
    "lac": (["in care", "a child in care"], ["LAC", "a looked after child", "CLA"]),
    "parents": (["{yr} mum and dad", "{yr} parents"], ["birth parents", "the birth family"]),
    "staff": (["the staff", "the adults at the house"], ["residential staff", "the staff team"]),
    "pep": (["{yr} PEP (Personal Education Plan)", "{yr} Personal Education Plan", "{yr} school plan"],
            ["PEP", "the PEP"]),
    "rha": (["{yr} health check", "{yr} health assessment", "{yr} yearly health check"],
            ["RHA", "the review health assessment", "IHA/RHA"]),
    "ehcp": (["{yr} EHCP (Education, Health and Care Plan)", "{yr} plan for extra help at school"],
             ["an EHCP", "an EHCP in place"]),
    "sen": (["extra help at school", "special help with learning"], ["SEN support", "SEND provision"]),
    "lsw": (["life story work (a book about {yr} life)", "work on {yr} life story"], ["LSW", "life story work"]),
    "camhs": (["{camhs_plain}"], ["CAMHS"]),
    "ro": (["{yr} records", "{yr} file"], ["the case file", "records"]),
    "dt": (["{teacher}"], ["the DT", "the designated teacher"]),
    "vs": (["the virtual school (the team that helps children in care with school)", "the virtual school"],
           ["the VSH", "the VS"]),
    "ld": (["{yr} home", "{yr} flat"], ["the provision", "the accommodation", "the unit"]),
    "sgo": (["a Special Guardianship Order (a court order that means {carer} can care for {yo} until {Y} {be} grown up)",
             "a Special Guardianship Order"], ["an SGO", "SGO"]),
    "ltfc": (["staying with {carer} until {Y} {be} grown up", "a home with {carer} for the long term"],
             ["LTFC", "long-term foster care", "a long-term match"]),
}

A_AN = re.compile(r"(?<![\w&/])([Aa]) (?!one\b|once\b)([aeio](?=[a-z]))")
COURSES = ["Level 1 Motor Vehicle", "Level 2 Health and Social Care", "a Level 2 bricklaying course",
           "Level 2 Hair and Beauty", "A levels", "an ESOL course", "Level 1 Catering", "a Level 3 Business course",
           "a Level 2 Electrical Installation course", "a study programme with English and maths"]
COUNTRY = {"Nigerian": "Nigeria", "Ghanaian": "Ghana", "Somali": "Somalia", "Eritrean": "Eritrea", "Polish": "Poland",
           "Romanian": "Romania", "Lithuanian": "Lithuania", "Slovak Roma": "Slovakia", "Syrian": "Syria",
           "Iraqi Kurdish": "Kurdistan", "Sudanese": "Sudan", "Vietnamese": "Vietnam", "Hong Kong Chinese": "Hong Kong",
           "Jamaican": "Jamaica"}
COUNTRY_BY_KEY = {"white_british": "Scotland", "pakistani": "Pakistan", "indian": "India", "bangladeshi": "Bangladesh",
                  "caribbean": "Jamaica", "mixed": "Jamaica", "african": "Nigeria", "eastern_european": "Poland",
                  "traveller": "Ireland", "arab_kurdish": "Iraq", "afghan": "Afghanistan",
                  "chinese_se_asian": "Hong Kong"}
BLAME_LABELS = ["the child", "the young person", "CYP", "YP", "the subject child"]


class Voice:
    """Fills templates for one record: who the child is, how they are addressed, the quality levels."""

    def __init__(self, cast: Cast, rng: random.Random, *, lang: int, read: int, doc_date: date,
                 author: str = "sw") -> None:
        self.c = cast
        self.rng = rng
        self.lang = lang
        self.read = read
        self.doc_date = doc_date
        self.author = author  # sw | iro | pa
        self.dob = doc_date
        self._agr = "sg"
        self.second = lang == 2
        self.jargon = {0: 0.85, 1: 0.4, 2: 0.04}[lang]
        pron = {"f": ("she", "her", "her", "herself"), "m": ("he", "him", "his", "himself"),
                "x": ("they", "them", "their", "themself")}[cast.gender]
        self.pron = pron
        if lang == 0:
            opts = ["the child", "the young person", "CYP", "YP"] if cast.age >= 11 else ["the child", "the child",
                                                                                          "CYP"]
            self.label = rng.choice(opts + ["name", "name"])
        else:
            self.label = "name"
        self.mentioned: set[str] = set()
        self.hobby_i = 0
        self._in_sentence = 0
        self._child_agr = "you" if self.second else "sg"

    # -- modes -------------------------------------------------------------------------------------
    def set_section_voice(self, rng: random.Random) -> None:
        """Mixed-language records switch between writing to the child and about them, section by section."""
        if self.lang == 1:
            self.second = rng.random() < 0.5
        else:
            self.second = self.lang == 2
        self.mentioned.discard("child")

    # -- filling -------------------------------------------------------------------------------------
    def fill(self, tpl: str, *, capitalise: bool = True, fresh: bool = True) -> str:
        """Fill a template. fresh=False continues the current sentence (the child is then a pronoun)."""
        if fresh:
            self._in_sentence = 0
        out = self._expand(tpl)
        out = re.sub(r"  +", " ", out).replace(" ,", ",").replace(" .", ".")
        out = A_AN.sub(lambda m: m.group(1) + "n " + m.group(2), out)
        return cap(out) if capitalise else out

    def _expand(self, tpl: str) -> str:
        out: list[str] = []
        i = 0
        while i < len(tpl):
            ch = tpl[i]
            if ch != "{":
                out.append(ch)
                i += 1
                continue
            depth, j = 0, i
            while j < len(tpl):
                if tpl[j] == "{":
                    depth += 1
                elif tpl[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            inner = tpl[i + 1: j]
            out.append(self._token(inner))
            i = j + 1
        return "".join(out)

    @staticmethod
    def _split_alts(s: str) -> list[str]:
        parts, depth, cur = [], 0, []
        for ch in s:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "|" and depth == 0:
                parts.append("".join(cur))
                cur = []
            else:
                cur.append(ch)
        parts.append("".join(cur))
        return parts

    def _level_pick(self, alts: list[str], level: int) -> str:
        if len(alts) == 1:
            return alts[0]
        p_plain = {0: 0.1, 1: 0.5, 2: 0.95}[level]
        return alts[0] if self.rng.random() < p_plain else alts[1]

    def _token(self, t: str) -> str:  # noqa: C901 - a dispatch table reads better as one function
        rng, c = self.rng, self.c
        if t.startswith("~"):
            return self._expand(rng.choice(self._split_alts(t[1:])))
        if t.startswith("r:"):
            return self._expand(self._level_pick(self._split_alts(t[2:]), self.read))
        if t.startswith("l:"):
            return self._expand(self._level_pick(self._split_alts(t[2:]), self.lang))
        if t.startswith("v:"):
            verb = t[2:]
            return third_singular(verb) if self._agr == "sg" else verb
        if t.startswith("n:"):
            a, b = t[2:].split("-")
            return str(rng.randint(int(a), int(b)))
        if t.startswith("j:"):
            plain, jar = JARGON[t[2:]]
            use_jargon = rng.random() < (self.jargon if not self.second else self.jargon * 0.5)
            return self._expand(rng.choice(jar if use_jargon else plain))
        if t in ("We", "Yr", "Yo"):
            t = t.lower()
        match t:
            case "be":
                return {"sg": "is", "pl": "are", "you": "are", "i": "am"}[self._agr]
            case "was":
                return "was" if self._agr in ("sg", "i") else "were"
            case "have" | "do":
                return third_singular(t) if self._agr == "sg" else t
            case "pl" | "sg" | "you":
                self._agr = t
                return ""
            # the child
            case "Y":
                return self._child("subj")
            case "yo":
                return self._child("obj")
            case "yr":
                return self._child("poss")
            case "yself":
                return "yourself" if self.second else self.pron[3]
            case "ya":  # the child is the subject again ("You live with Sue and want to stay")
                self._agr = self._child_agr
                return ""
            case "mark_child":
                self._in_sentence += 1
                self.mentioned.add("child")
                return ""
            case "Name":
                self._agr = "sg"
                return c.first
            case "voc":
                return f"{c.first}, " if self.second else ""
            case "Full":
                return f"{c.first} {c.surname}"
            # the author
            case "I":
                if self.second or self.lang == 2:
                    self._agr = "i"
                    return "I"
                self._agr = "sg"
                return self._author_label()
            case "me":
                return "me" if (self.second or self.lang == 2) else self._author_label()
            case "my":
                return "my" if (self.second or self.lang == 2) else self._author_label() + "'s"
            case "we":
                if self.second or self.lang == 2:
                    self._agr = "pl"
                    return "we"
                self._agr = "sg"
                return rng.choice(["the professional network", "the local authority", "the professionals"])
            # people
            case "carer":
                return self._carer()
            case "carer_full":
                self._agr = "pl" if c.carer_plural else "sg"
                if "carer" in self.mentioned or not self.second:
                    return self._carer()
                self.mentioned.add("carer")
                return self._expand(c.carer_label)
            case "carer_poss":
                s = self._carer()
                return s + ("'" if s.endswith("s") else "'s")
            case "carer_first":
                return c.carers[0].first
            case "carer_jargon":
                self._agr = "pl" if c.carer_plural else "sg"
                if c.living == "foster":
                    return rng.choice(["the foster carers", "FCs", "the carers"] if c.carer_plural
                                      else ["the foster carer", "FC", "the carer"])
                if c.living == "kinship":
                    return rng.choice(["the kinship carer", "the connected person carer", "the carer"])
                if c.living == "residential":
                    return rng.choice(["residential staff", "staff", "the keyworker"])
                return rng.choice(["the provider", "the support worker", "staff"])
            case "placement_type":
                return {"foster": "the foster placement", "kinship": "the kinship placement",
                        "residential": "the residential placement",
                        "semi_independent": "the semi-independent placement"}[c.living]
            case "mum":
                self._agr = "sg"
                return self._relative(c.mum.first, "mum", ["birth mother", "BM", "mother", "Ms " + c.mum.surname])
            case "dad":
                self._agr = "sg"
                return self._relative(c.dad.first, "dad", ["birth father", "BF", "father", "Mr " + c.dad.surname])
            case "teacher_name":
                return c.teacher.formal
            case "sw_short":
                return c.sw.first if self.second or self.lang == 2 else "SW"
            case "pa_first":
                return c.pa.first
            case "iro_first":
                return c.iro.first
            case "pa_phone":
                num = f"07{rng.randint(700, 999)} {rng.randint(100000, 999999)}"
                return self._expand(rng.choice([f"{{yr}} PA's phone number is {num}.",
                                                f"{c.pa.first}'s number is {num}.",
                                                f"PA contact: {num}"]))
            case "mum_name":
                return c.mum.first
            case "dad_name":
                return c.dad.first
            case "sib":
                self._agr = "sg"
                if not c.siblings:
                    return self._expand("{yr} cousin")
                name, _, g = c.siblings[0]
                if self.lang == 0 and rng.random() < 0.5:
                    return "the sibling" if rng.random() < 0.5 else name
                rel = "sister" if g == "f" else "brother"
                return rng.choice([name, self._expand(f"{{yr}} {rel} {name}"), self._expand(f"{{yr}} {rel}")])
            case "sib_rel":
                return ("sister" if c.siblings[0][2] == "f" else "brother") if c.siblings else "cousin"
            case "sib_name":
                return c.siblings[0][0] if c.siblings else "your cousin"
            case "sibs_plain":
                self._agr = "pl" if len(c.siblings) != 1 else "sg"
                if len(c.siblings) == 1:
                    n, _, g = c.siblings[0]
                    return self._expand("{yr} " + ("sister " if g == "f" else "brother ") + n)
                if len(c.siblings) == 2 and rng.random() < 0.5:
                    return f"{c.siblings[0][0]} and {c.siblings[1][0]}"
                return self._expand("{yr} brothers and sisters")
            case "sibs_jargon":
                self._agr = "pl" if len(c.siblings) != 1 else "sg"
                return "sibling" if len(c.siblings) == 1 else rng.choice(["siblings", "the sibling group"])
            case "sibs":
                return self._token("j:sibs")
            case "sw":
                self._agr = "sg"
                return self._worker(c.sw, "social worker", ["the social worker", "SW", "the allocated SW",
                                                             "the allocated social worker"])
            case "iro":
                self._agr = "sg"
                return self._worker(c.iro, "IRO (Independent Reviewing Officer)", ["the IRO", "IRO", "the Chair"],
                                    short_role="IRO")
            case "pa":
                self._agr = "sg"
                return self._worker(c.pa, "personal adviser", ["the PA", "PA", "the leaving care PA"])
            case "teacher":
                self._agr = "sg"
                if self.second or self.lang == 2:
                    t = c.teacher
                    return rng.choice([t.formal, f"{t.formal}, {{yr}} teacher" if "teacher" not in self.mentioned
                                       else t.formal, self._expand("{yr} teacher")]).replace(
                        "{yr}", "your" if self.second else self.pron[2])
                return rng.choice(["the DT", "the designated teacher", "school", "the class teacher"])
            case "nurse":
                self._agr = "sg"
                if self.second or self.lang == 2:
                    return rng.choice([f"{c.nurse.first}, the children in care nurse", "the health nurse",
                                       f"{c.nurse.first} (nurse)"])
                return rng.choice(["the LAC nurse", "the CLA nurse", "health", "the LAC health team"])
            case "school":
                self._agr = "sg"
                return c.school if c.school != "none" else "nursery"
            case "camhs_plain":
                if "camhs" in self.mentioned:
                    return c.camhs if c.camhs != "CAMHS" else "CAMHS"
                self.mentioned.add("camhs")
                return ("CAMHS (the children's mental health service)" if c.camhs == "CAMHS" else c.camhs)
            case "camhs":
                return self._token("j:camhs")
            case "hobby":
                h = c.hobbies[self.hobby_i % len(c.hobbies)]
                self.hobby_i += 1
                return self._expand(h.replace("{carer_first}", c.carers[0].first))
            case "pet":
                return c.pet or "the dog"
            case "friend":
                return c.friend
            case "town":
                return c.town
            case "street":
                return c.home_street
            case "heritage":
                return c.heritage
            case "faith":
                return c.faith
            case "language":
                return c.language
            case "worship_noun":
                return WORSHIP.get(c.faith, "community centre").replace("the ", "").replace("Mass", "church")
            case "year":
                return str(max(1, min(11, c.age - 4)))
            case "course":
                return c.extras.setdefault("course", rng.choice(COURSES))
            case "country":
                return COUNTRY.get(c.heritage, COUNTRY_BY_KEY[c.heritage_key])
            case "worship":
                return WORSHIP.get(c.faith, "the community centre")
            case "faith_item":
                return rng.choice(FAITH_ITEMS[WORSHIP.get(c.faith, "the community centre")])
            case "festival":
                return FESTIVALS.get(WORSHIP.get(c.faith, ""), "Christmas")
            case "food":
                return rng.choice(FOODS[c.heritage_key])
            case "culture_event":
                return CULTURE_EVENTS[c.heritage_key]
            case "pa_full":
                return c.pa.full
            case "sw_full":
                return c.sw.full
            case "last_birthday":
                d = self.dob.replace(year=self.doc_date.year) if not (self.dob.month == 2 and self.dob.day == 29) \
                    else date(self.doc_date.year, 3, 1)
                if d >= self.doc_date:
                    d = d.replace(year=d.year - 1)
                return fmt_date(d, rng.choice(["dmy", "long", "long_ord", "dmy_np"]))
            case "age":
                return str(c.age)
            case "past":
                d = self.doc_date - timedelta(days=rng.randint(3, 150))
                return fmt_date(d, rng.choice(["dmy", "dmy_np", "dmy_short", "long", "long_ord", "abbr", "dmy"]))
            case "past_long":
                d = self.doc_date - timedelta(days=rng.randint(150, 700))
                return fmt_date(d, rng.choice(["long", "dmy", "abbr"]))
            case "month_past":
                d = self.doc_date - timedelta(days=rng.randint(15, 120))
                return d.strftime("%B")
            case "docword":
                return "plan"
        raise KeyError(f"unknown template token {{{t}}}")

    # -- helpers -------------------------------------------------------------------------------------
    def _author_label(self) -> str:
        return self.rng.choice({"sw": ["the social worker", "the allocated worker", "SW", "the writer"],
                                "iro": ["the IRO", "the Chair", "the reviewing officer"],
                                "pa": ["the PA", "the personal adviser", "the worker"]}[self.author])

    def _child(self, case: str) -> str:
        c, rng = self.c, self.rng
        if self.second:
            if case == "subj":
                self._agr = self._child_agr = "you"
            return {"subj": "you", "obj": "you", "poss": "your"}[case]
        use_pron = (self._in_sentence > 0 or ("child" in self.mentioned and rng.random() < 0.55))
        self.mentioned.add("child")
        self._in_sentence += 1
        if use_pron:
            if case == "subj":
                self._agr = self._child_agr = "pl" if c.gender == "x" else "sg"
            return {"subj": self.pron[0], "obj": self.pron[1], "poss": self.pron[2]}[case]
        if case == "subj":
            self._agr = self._child_agr = "sg"
        label = c.first if self.label == "name" or rng.random() < 0.25 else self.label
        return label + "'s" if case == "poss" else label

    def _carer(self) -> str:
        c = self.c
        self._agr = "pl" if c.carer_plural else "sg"
        if self.rng.random() < self.jargon * (0.5 if self.second else 1):
            return self._token("carer_jargon")
        return c.carer_short

    def _relative(self, first: str, word: str, jargon: list[str]) -> str:
        rng = self.rng
        if rng.random() < self.jargon * (0.5 if self.second else 1):
            return rng.choice(jargon)
        if self.second:
            return rng.choice([f"your {word}", f"your {word}", word.capitalize(), f"your {word}, {first},"
                               if False else f"your {word}"])
        return rng.choice([f"{self._expand('{yr}')} {word}", first, f"{self.c.first}'s {word}"])

    def _worker(self, p, role: str, jargon: list[str], short_role: str | None = None) -> str:
        rng = self.rng
        key = "w:" + role
        if not self.second and rng.random() < self.jargon:
            return rng.choice(jargon)
        if key not in self.mentioned:
            self.mentioned.add(key)
            if self.second:
                return rng.choice([f"{p.first}, your {role},", f"{p.formal} ({short_role or role})",
                                   f"your {short_role or role}, {p.first},"]).rstrip(",") \
                    if rng.random() < 0.4 else rng.choice([f"{p.first} ({short_role or role})", f"{p.formal}"])
            return rng.choice([f"{p.full} ({short_role or role})", p.formal, f"the {short_role or role}"])
        return rng.choice([p.first, p.formal, f"your {short_role or role}" if self.second else
                           f"the {short_role or role}"])
