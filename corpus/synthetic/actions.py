"""Actions: who will do what by when, written well or badly, as a sentence, a bullet or a table row.

An action is assembled from an owner, a verb phrase and a time expression, so the gold owner and
deadline text are known exactly and are checked to be substrings of the written action.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date

from . import phrasebank as pb
from .people import WORSHIP
from .render import NO_OWNER_CELLS, NO_WHEN_CELLS, Item
from .timeexpr import NO_WHEN, When, when_future, when_past, when_vague
from .voice import Voice, cap

# per timebound level: weights of action categories
CATEGORY_WEIGHTS = {
    2: {"good": 84, "passive_good": 6, "no_time": 4, "vague_verb_dated": 4, "vague_time": 2},
    1: {"good": 34, "passive_good": 9, "no_time": 13, "vague_time": 15, "vague_verb": 16, "vague_verb_dated": 3,
        "no_owner": 5, "past": 5},
    0: {"good": 4, "passive_good": 2, "no_time": 18, "vague_time": 20, "vague_verb": 30, "no_owner": 16,
        "past": 10},
}

TAG = re.compile(r"^\[(\d+)-(\d+)\]\s*|^\[([a-z]+)\]\s*|^\[x:([a-z_]+)\]\s*")


def tag_ok(tpl: str, voice: Voice, groups: list[str] | None = None) -> tuple[bool, str]:
    """Strip leading tags; say whether the template fits this child.

    ``[x:name]`` puts templates in a group of which a section uses at most one (they would contradict).
    """
    c = voice.c
    ok = True
    while True:
        m = TAG.match(tpl)
        if not m:
            return ok, tpl
        if m.group(4):
            if groups is not None:
                groups.append("x:" + m.group(4))
        elif m.group(1):
            ok &= int(m.group(1)) <= c.age <= int(m.group(2))
        else:
            t = m.group(3)
            ok &= {"sib": bool(c.siblings), "pet": c.pet is not None, "fost": c.living == "foster",
                   "kin": c.living == "kinship", "res": c.living == "residential",
                   "semi": c.living == "semi_independent", "nores": c.living != "residential",
                   "family": c.living in ("foster", "kinship"), "nosemi": c.living != "semi_independent",
                   "faith": c.faith in WORSHIP, "nofaith": c.faith not in WORSHIP,
                   "eng": c.language == "English", "noneng": c.language != "English",
                   "school": c.school != "none" and c.age <= 15, "college": c.age >= 16,
                   "adopt": c.perm == "adopt", "ltfc": c.perm == "ltfc", "rh": c.perm == "rh",
                   "sgo": c.perm == "sgo", "movefc": c.perm == "movefc", "resstay": c.perm == "resstay",
                   "indep": c.perm == "indep", "noadopt": c.perm != "adopt",
                   # review minutes: did the child come to the meeting (set by the attendance section)
                   "att": c.extras.get("attended") == "yes", "noatt": c.extras.get("attended") != "yes"}[t]
        tpl = tpl[m.end():]


def pick(rng: random.Random, pool: list, voice: Voice, *, exclude: set | None = None):
    """A random template from pool that fits the child (tags stripped); None when nothing fits.

    With ``exclude``, templates (and template groups) already in it are skipped and the pick is added.
    """
    cands = []
    for entry in pool:
        tpl = entry[0] if isinstance(entry, tuple) else entry
        groups: list[str] = []
        ok, stripped = tag_ok(tpl, voice, groups)
        if ok and (exclude is None or (stripped not in exclude and not any(g in exclude for g in groups))):
            cands.append((stripped, entry, groups))
    if not cands:
        return None
    stripped, entry, groups = rng.choice(cands)
    if exclude is not None:
        exclude.add(stripped)
        exclude.update(groups)
    if isinstance(entry, tuple):
        return (stripped,) + tuple(entry[1:])
    return stripped


FALLBACK_AREAS = ["health", "education", "family", "emotional", "identity", "placement"]

KEEP_CAPS = {"I", "SW", "PEP", "CAMHS", "LAC", "SDQ", "SGO", "EHCP", "RHA", "IHA", "PA", "IRO", "FC", "FCs",
             "BM", "BF", "DT", "YP", "CYP", "LA", "EET", "NEET", "GP", "ID", "NI"}


def decap(text: str, voice: Voice) -> str:
    """Lower-case a sentence's first letter unless it starts a name or an acronym."""
    first = re.split(r"[\s,']", text, maxsplit=1)[0]
    c = voice.c
    names = {c.first, c.carer_short.split()[0], c.mum.first, c.dad.first, c.sw.first, c.iro.first, c.pa.first,
             c.teacher.title, c.nurse.first, "Mum", "Dad", "Nan", "Nana", "Grandma", "Grandad", "Auntie",
             "Ms", "Mr", "Mrs", "Miss", "Dr", "Kooth", "Healthy", "Christmas", "Eid", "Diwali"}
    names |= {n for n, _, _ in c.siblings}
    if first in KEEP_CAPS or first in names or (len(first) > 1 and first.isupper()):
        return text
    return text[0].lower() + text[1:]


@dataclass
class Owner:
    text: str  # as written mid-sentence ("your social worker", "Jo", "SW", "you", "I")
    agr: str  # sg | pl | you | i
    cell: str  # how it reads in a "Who" cell


class ActionMaker:
    """Makes the actions of one record, at the record's timebound level."""

    def __init__(self, voice: Voice, rng: random.Random, *, level: int, doc_date: date,
                 next_review: date | None, doc_type: str, typo) -> None:
        self.v = voice
        self.rng = rng
        self.level = level
        self.doc_date = doc_date
        self.next_review = next_review
        self.doc_type = doc_type
        self.typo = typo
        self.used: set[str] = set()

    # -- owners -------------------------------------------------------------------------------
    def owner(self, kind: str) -> Owner:
        v, rng, c = self.v, self.rng, self.v.c
        friendly = v.second or v.lang == 2
        jar = rng.random() < v.jargon
        match kind:
            case "I":
                t = v.fill("{I}", capitalise=False)
                agr = "i" if t == "I" else "sg"
                return Owner(t, agr, rng.choice(["SW", c.sw.full, "Social worker"]) if self.v.author == "sw"
                             else rng.choice(["IRO", c.iro.full]) if self.v.author == "iro" else "PA")
            case "sw":
                if v.author == "sw" and friendly and rng.random() < 0.45:
                    return Owner("I", "i", rng.choice(["SW", c.sw.first, f"{c.sw.full} (SW)"]))
                if friendly and not jar:
                    t = rng.choice([c.sw.first, c.sw.formal, f"{c.sw.first} ({'your' if v.second else 'the'} social worker)",
                                    "your social worker" if v.second else "the social worker", c.sw.full])
                else:
                    t = rng.choice(["the social worker", "SW", "the allocated social worker", "the allocated SW",
                                    "the LA", "social worker", c.sw.formal])
                return Owner(t, "sg", rng.choice(["SW", f"{c.sw.full} (SW)", "Social worker", c.sw.first,
                                                  c.sw.formal, f"SW ({c.sw.first})", "Allocated SW"]))
            case "carer":
                if jar and not (v.second and rng.random() < 0.5):
                    t = v.fill("{carer_jargon}", capitalise=False)
                    plural = t in ("the foster carers", "FCs", "the carers")
                else:
                    t, plural = c.carer_short, c.carer_plural
                cell_opts = {"foster": ["FC", "Foster carer", "Foster carers", "FCs", c.carer_short,
                                        f"{c.carer_short} (FC)", "Carers"],
                             "kinship": ["Carer", "Kinship carer", c.carer_short, f"{c.carer_short} (carer)"],
                             "residential": ["Keyworker", "Residential staff", f"{c.carer_short} (keyworker)",
                                             "Home manager", "Staff"],
                             "semi_independent": ["Support worker", "Provider", c.carer_short,
                                                  f"{c.carer_short} (support worker)"]}[c.living]
                return Owner(t, "pl" if plural else "sg", rng.choice(cell_opts))
            case "child":
                if v.second:
                    return Owner("you", "you", rng.choice(["You", "You", c.first, f"You ({c.first})"]))
                t = c.first if (v.label == "name" or rng.random() < 0.4) else rng.choice(
                    ["the young person", "YP", "the child"] if c.age >= 11 else ["the child", c.first])
                return Owner(t, "sg", rng.choice([c.first, "YP", "Young person", "Child", c.first]))
            case "mum":
                t = v.fill("{mum}", capitalise=False)
                return Owner(t, "sg", rng.choice(["Mum", "Mother", "BM", c.mum.first, f"Mum ({c.mum.first})"]))
            case "dad":
                t = v.fill("{dad}", capitalise=False)
                return Owner(t, "sg", rng.choice(["Dad", "Father", "BF", c.dad.first]))
            case "teacher" | "school":
                if friendly and not jar:
                    t = rng.choice([c.teacher.formal, f"{c.teacher.formal} at {c.school}" if c.school != "none"
                                    else c.teacher.formal, "the school", c.school if c.school != "none" else
                                    "nursery", f"{'your' if v.second else 'the'} teacher, {c.teacher.formal},"])
                    t = t.rstrip(",")
                else:
                    t = rng.choice(["the DT", "school", "the school", "the designated teacher", "education",
                                    "the virtual school"])
                return Owner(t, "sg", rng.choice(["DT", "School", c.teacher.formal, f"{c.teacher.formal} (DT)",
                                                  "School/DT", "Virtual school", "Education"]))
            case "nurse":
                t = (rng.choice([f"{c.nurse.first} (nurse)", "the children in care nurse", c.nurse.formal])
                     if friendly and not jar else rng.choice(["the LAC nurse", "health", "the CLA nurse",
                                                              "the health team"]))
                return Owner(t, "pl" if t == "health" and False else "sg",
                             rng.choice(["LAC nurse", "Health", "CiC nurse", c.nurse.formal, "Health team"]))
            case "iro":
                if v.author == "iro" and friendly and rng.random() < 0.5:
                    return Owner("I", "i", rng.choice(["IRO", c.iro.full]))
                t = rng.choice([c.iro.first, c.iro.formal]) if friendly and not jar else rng.choice(
                    ["the IRO", "IRO", "the Chair"])
                return Owner(t, "sg", rng.choice(["IRO", c.iro.full, f"{c.iro.formal} (IRO)"]))
            case "pa":
                t = (rng.choice([c.pa.first, f"{c.pa.first} ({'your' if v.second else 'the'} personal adviser)",
                                 c.pa.formal]) if friendly and not jar else rng.choice(["the PA", "PA",
                                                                                        "the leaving care PA"]))
                return Owner(t, "sg", rng.choice(["PA", c.pa.full, f"{c.pa.first} (PA)", "Leaving care PA"]))
        raise KeyError(kind)

    # -- time ---------------------------------------------------------------------------------------
    def _fill_when(self, w: When) -> When:
        if "{" not in w.phrase:
            return w
        phrase = self.v.fill(w.phrase.replace("{docword}", {"care_plan": "plan", "review_minutes": "review",
                                                             "pathway_plan": "plan", "other": "visit"}[
            self.doc_type]), capitalise=False)
        return When(phrase, w.cell, w.deadline, w.timebound, w.kind)

    def when_for(self, cat: str) -> When:
        rng = self.rng
        if cat in ("good", "passive_good"):
            w = when_future(rng, self.doc_date, self.next_review)
        elif cat == "past":
            w = when_past(rng, self.doc_date)
        elif cat in ("vague_time", "no_owner"):
            w = when_vague(rng, self.next_review is not None)
        elif cat == "no_time":
            w = NO_WHEN
        elif cat == "vague_verb":
            r = rng.random()
            w = when_vague(rng, self.next_review is not None) if r < 0.6 else NO_WHEN
        elif cat == "vague_verb_dated":
            w = when_future(rng, self.doc_date, self.next_review)
        else:
            raise KeyError(cat)
        return self._fill_when(w)

    # -- verb phrases -----------------------------------------------------------------------------
    def _specific(self, sec: dict) -> tuple[str, list[str]] | None:
        got = pick(self.rng, sec["acts"], self.v, exclude=self.used)
        if got is None:
            return None
        return got[0], got[1].split()

    def _vague_vp(self, sec: dict) -> str:
        rng = self.rng
        tpl = rng.choice(pb.VAGUE_VPS)
        return (tpl.replace("{t}", rng.choice(sec["topics"])).replace("{o}", rng.choice(sec["options"]))
                .replace("{agency}", rng.choice(pb.AGENCIES)).replace("{cv}", rng.choice(pb.CHILD_VAGUE)))

    def _split_marker(self, vp: str, keep: bool) -> tuple[str, str | None]:
        m = re.search(r"<([^<>]+)>", vp)
        if not m:
            return vp, None
        if keep:
            return vp[:m.start()] + m.group(1) + vp[m.end():], m.group(1)
        return re.sub(r"\s+", " ", (vp[:m.start()] + vp[m.end():])).strip(), None

    # -- assembling -------------------------------------------------------------------------------
    def category(self) -> str:
        w = CATEGORY_WEIGHTS[self.level]
        return self.rng.choices(list(w), weights=list(w.values()))[0]

    def make(self, sec_key: str, *, form: str = "sentence", cat: str | None = None,
             spec: tuple[str, list[str]] | None = None) -> Item:
        """form: sentence | minutes ("SW to ...") | recommendation ("That ...") | bullet | row.

        spec forces the deliverable (verb-phrase template, owner kinds): a carried-over action.
        """
        rng, v = self.rng, self.v
        sec = pb.SECTIONS[sec_key]
        cat = cat or self.category()
        if spec is not None and cat in ("passive_good", "no_owner", "vague_verb", "vague_verb_dated"):
            cat = "vague_time" if cat != "passive_good" else "good"
        if cat in ("passive_good", "no_owner") and form != "row":
            return self._passive(sec, cat, form)
        if spec is None:
            spec = self._specific(sec)
            for other in rng.sample(FALLBACK_AREAS, len(FALLBACK_AREAS)) if spec is None else []:
                spec = self._specific(pb.SECTIONS[other])  # this area is used up: borrow a deliverable
                if spec is not None:
                    sec_key, sec = other, pb.SECTIONS[other]
                    break
            if spec is None:  # every deliverable that fits this child is used: write a vague one
                spec = ("update the plan", ["sw", "carer"] if self.v.c.living != "semi_independent" else ["sw", "pa"])
                if cat not in ("vague_verb", "vague_verb_dated"):
                    cat = "vague_verb_dated" if cat in ("good", "past") else "vague_verb"
        vp_tpl, owner_kinds = spec
        if cat in ("vague_verb", "vague_verb_dated"):
            vp_tpl = self._vague_vp(sec)
            owner_kinds = [k for k in owner_kinds if k not in ("child", "mum", "dad")] or ["sw"]
        if cat == "no_owner" and form == "row":
            vp_tpl = self._vague_vp(sec) if rng.random() < 0.6 else vp_tpl
        meta = {"sec": sec_key, "vp": vp_tpl, "owners": owner_kinds, "cat": cat}
        if form == "recommendation" and "child" in owner_kinds and len(owner_kinds) > 1:
            owner_kinds = [k for k in owner_kinds if k != "child"]
        kind = rng.choice(owner_kinds)
        owner = self.owner(kind)
        v._in_sentence = 1 if kind == "child" else 0  # "Amira will keep her room tidy"
        vp = v.fill(vp_tpl, capitalise=False, fresh=False)
        vp, inherent = self._split_marker(vp, keep=cat in ("good", "passive_good"))
        if inherent:
            w = When(inherent, cap(inherent), None, True, "frequency")
        else:
            w = self.when_for(cat)
        vp = self.typo(vp)
        if form == "row":
            item = self._row(vp, owner, w, cat, inherent is not None)
        else:
            item = self._sentence(vp, owner, w, form, inherent is not None)
        meta.update(vp_text=vp, owner_text=owner.text, deadline=w.deadline)
        item.meta = meta
        return item

    def _sentence(self, vp: str, owner: Owner, w: When, form: str, inherent: bool) -> Item:
        rng, v = self.rng, self.v
        O = owner.text
        be = {"sg": "is", "pl": "are", "you": "are", "i": "am"}[owner.agr]
        have = "has" if owner.agr == "sg" else "have"
        W = "" if inherent else w.phrase
        tail = f" {W}" if W else ""
        read, lang = v.read, v.lang
        frames: list[tuple[str, float]]
        if owner.agr in ("i", "you") and form in ("minutes", "recommendation"):
            form = "sentence"
        if form == "minutes":
            frames = [("{O} to {vp}{tail}.", 6), ("{O} will {vp}{tail}.", 2), ("{O} - {vp}{tail}.", 1)]
        elif form == "recommendation":
            frames = [("That {o} will {vp}{tail}.", 4), ("That {o} {vp}{tail}.", 2), ("{O} will {vp}{tail}.", 3),
                      ("{O} to {vp}{tail}.", 2)]
            if W and not inherent and re.match(r"(by|before|within|no later|on or|in the next|prior)", W):
                frames.append(("That {w}, {o} will {vp}.", 1))
        else:
            plain_w = {0: 3, 1: 8, 2: 10}[read]
            frames = [("{O} will {vp}{tail}.", plain_w), ("{O} " + be + " going to {vp}{tail}.", 2),
                      ("{O} " + have + " agreed to {vp}{tail}.", 2)]
            if W and not inherent and re.match(r"(by|before|within|no later|on or|in the next|prior)", W):
                frames.append(("{W}, {o} will {vp}.", 3))
            if self.doc_type == "review_minutes":
                frames.append(("{O} to {vp}{tail}.", 3))
        if lang >= 1 and form != "minutes":
            frames.append(("{O} will {vp}{tail} {reason}.", 3 if lang == 2 else 1))
        if read <= 1 and form != "minutes":
            k = 8 if read == 0 else 1.5
            frames += [("It was agreed that {o} will {vp}{tail}.", k), ("It is recommended that {o} should {vp}{tail}.", k * 0.6),
                       ("{O} will {vp}{tail}, with a view to ensuring that {yr} {r:needs|assessed needs} continue to be met in line with the care plan.", k * 0.6),
                       ("In order to {goal}, {o} will {vp}{tail}.", k * 0.5)]
        tpl = rng.choices([f for f, _ in frames], weights=[w_ for _, w_ in frames])[0]
        text = self._assemble(tpl, O, vp, tail, w)
        if form == "bullet" and rng.random() < 0.5:
            text = text.rstrip(".")
        return Item(text, "action", self._gold(owner.text, w, text, inherent), None)

    def _assemble(self, tpl: str, O: str, vp: str, tail: str, w: When) -> str:
        v, rng = self.v, self.rng
        reason = v.fill(rng.choice(pb.REASONS), capitalise=False)
        goal = v.fill(rng.choice(["ensure that {yr} needs are met", "safeguard {yr} welfare",
                                  "promote {yr} stability", "progress the plan without delay",
                                  "address the concerns raised"]), capitalise=False)
        yr = v.fill("{yr}", capitalise=False)
        rword = v.fill("{r:needs|assessed needs}", capitalise=False)
        out = (tpl.replace("{O}", cap(O)).replace("{o}", O).replace("{vp}", vp).replace("{tail}", tail)
               .replace("{W}", cap(w.phrase)).replace("{w}", w.phrase).replace("{reason}", reason)
               .replace("{goal}", goal).replace("{yr}", yr).replace("{r:needs|assessed needs}", rword))
        return cap(out)

    def _gold(self, owner_text: str | None, w: When, text: str, inherent: bool) -> dict:
        owner = None
        if owner_text:
            # the owner as it appears (capitalised at the start of a sentence)
            for cand in (cap(owner_text), owner_text):
                if cand in text:
                    owner = cand
                    break
            assert owner is not None, (owner_text, text)
        dt = None
        if w.phrase:
            for cand in (cap(w.phrase), w.phrase):
                if cand in text:
                    dt = cand
                    break
            assert dt is not None, (w.phrase, text)
        return {"owner": owner, "deadline_text": dt,
                "deadline": w.deadline.isoformat() if w.deadline else None,
                "timebound": bool(w.timebound and dt is not None)}

    def _passive(self, sec: dict, cat: str, form: str) -> Item:
        rng, v = self.rng, self.v
        w = self.when_for("good" if cat == "passive_good" else "no_owner")
        ptpl = pick(rng, sec["passive"], v)
        if ptpl and (cat == "passive_good" or rng.random() < 0.4):
            p = v.fill(ptpl, capitalise=False)
            if form == "minutes" or rng.random() < 0.3:
                p = p.replace(" will be ", " to be ", 1)
        else:
            t = rng.choice(pb.VAGUE_TO_BE)
            topic = rng.choice(sec["topics"])
            opt = rng.choice(sec["options"])
            p = v.fill(t.replace("{T}", topic).replace("{t}", topic).replace("{O}", opt).replace("{o}", opt)
                       .replace("{agency}", rng.choice(pb.AGENCIES)), capitalise=False)
        p = self.typo(p)
        if w.phrase:
            if rng.random() < 0.2 and cat == "passive_good" and re.match(r"(by|before|within|no later|on or)", w.phrase):
                text = f"{cap(w.phrase)}, {p}."
            else:
                text = f"{cap(p)} {w.phrase}."
        else:
            text = f"{cap(p)}."
        if form == "recommendation" and rng.random() < 0.5 and re.search(r" (will|to) be ", text):
            text = "That " + decap(text, self.v)
        if form == "bullet" and rng.random() < 0.5:
            text = text.rstrip(".")
        return Item(text, "action", self._gold(None, w, text, False))

    def _row(self, vp: str, owner: Owner, w: When, cat: str, inherent: bool) -> Item:
        rng = self.rng
        what = cap(vp)
        who = owner.cell
        if cat == "no_owner":
            who = rng.choice(["", "-", "TBC", "All", "?"])
        elif cat in ("vague_verb",) and rng.random() < 0.3:
            who = rng.choice(["All", "All professionals", "Network", who])
        when_cell = w.cell if w.phrase else rng.choice(["-", "-", "TBC", "N/A"])
        if inherent:
            when_cell = cap(w.phrase)
            what = what.replace(" " + w.phrase, "").replace(w.phrase, "").strip()
        cells = [what, who, when_cell]
        owner_gold = None if who in NO_OWNER_CELLS else who
        dt = None if when_cell in NO_WHEN_CELLS else when_cell
        timebound = bool(dt is not None and w.timebound and when_cell == w.cell or (inherent and dt))
        if when_cell == "TBC" and not w.phrase:
            timebound = False
        gold = {"owner": owner_gold, "deadline_text": dt,
                "deadline": w.deadline.isoformat() if (w.deadline and dt is not None) else None,
                "timebound": timebound}
        return Item(" | ".join(cells), "action", gold, cells)
