"""Seeded synthetic corpus of children's care records with gold annotations.

    python -m corpus.synthetic.generate --n 50 --seed 7 --out /tmp/synth
    python -m corpus.synthetic.generate --splits --out corpus/synthetic

Each record is a care plan, review minutes, a pathway plan (ages 16-17) or another note (a visit record
or case note), written at four independently drawn quality levels (timebound actions, child-directed
language, readability, plan detail). Records are assembled from the phrase bank (phrasebank.py) by a
small template language (voice.py), so the same facts come out in many wordings; actions are built
from owner + verb phrase + time expression (actions.py), so the gold owner, deadline text and resolved
deadline are known exactly. One block list drives both the .txt and the .docx writer (render.py).
Gold format: docs/GOLD_FORMAT.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from . import phrasebank as pb
from .actions import ActionMaker, decap, pick
from .people import Cast, make_cast
from .render import Blk, Item, Row, render_docx, render_txt
from .timeexpr import add_months, fmt_date, is_working_day, when_past
from .voice import Voice, cap

DIMENSIONS = ("timebound_actions", "child_directed_language", "readability", "plan_detail")
PREFIX = {"care_plan": "cp", "review_minutes": "rm", "pathway_plan": "pp", "other": "ot"}
CARE_PLAN_AREAS = ["permanence", "health", "education", "emotional", "identity", "family",
                   "social_presentation", "self_care", "placement", "contingency"]
MINUTES_AREAS = ["permanence", "placement", "health", "education", "emotional", "identity", "family"]
PATHWAY_AREAS = ["accommodation", "eet", "money", "health", "family", "identity", "independence", "documents",
                 "contingency"]
FORMATS = ["prose", "bullets", "numbered", "table", "mixed"]
PAIR_SHARE = 0.3
START, END = date(2023, 4, 3), date(2025, 9, 26)


# ---------------------------------------------------------------------------------------------
# Record context

@dataclass
class Style:
    heading: str  # plain | colon | upper | numbered | md | underline | bold | inline
    bullet: str
    bullet_stops: bool
    number: str  # 1. | 1) | a) | (1)
    table_header: list[str]
    outer_pipes: bool
    sep: str
    docx_heading: int  # 1 or 9 (bold label paragraphs)
    header: str  # kv | kvtable | letter | oneline
    typo_rate: float


@dataclass
class Section:
    key: str | None
    heading: str | None
    items: list[Item]
    layout: str  # prose | bullets | numbered | table | lines | kvtable
    thin: bool = False
    level: int = 1


@dataclass
class Ctx:
    seed: str
    doc_type: str
    q: dict[str, int]
    cast: Cast
    voice: Voice
    am: ActionMaker
    doc_date: date
    dob: date
    next_review: date | None
    style: Style
    fmt: str
    srng: random.Random
    author: str
    file_kind: str
    sections: list[Section] = field(default_factory=list)
    heading_no: int = 0
    next_review_in_header: bool = False
    heavy_left: list[str] = field(default_factory=list)
    # drift sequences (sequences.py): actions to carry into this record, and the last record's outcomes
    forced: list[dict] = field(default_factory=list)
    forced_made: dict[str, Item] = field(default_factory=dict)
    prev_outcomes: list[str] | None = None

    def heavy(self) -> str | None:
        """A long formal sentence not used yet in this record."""
        if not self.heavy_left:
            return None
        return self.voice.fill(self.heavy_left.pop())

    @property
    def T(self) -> int:
        return self.q["timebound_actions"]

    @property
    def L(self) -> int:
        return self.q["child_directed_language"]

    @property
    def R(self) -> int:
        return self.q["readability"]

    @property
    def D(self) -> int:
        return self.q["plan_detail"]

    def rng(self, key: str) -> random.Random:
        """A random stream for one part of the record, the same for both versions of a pair."""
        r = random.Random(f"{self.seed}:content:{key}")
        self.voice.rng = r
        self.am.rng = r
        return r


TYPO_WORDS = {"receive": "recieve", "separate": "seperate", "accommodation": "accomodation",
              "appointment": "apointment", "definitely": "definately", "occurred": "occured", "until": "untill",
              "their": "thier", "which": "wich", "believe": "beleive", "necessary": "neccessary",
              "beginning": "begining", "tomorrow": "tommorow", "college": "collage", "weird": "wierd",
              "really": "realy", "friends": "freinds", "arrange": "arange", "dentist": "dentsit"}


def make_typo(rng: random.Random, rate: float):
    def typo(text: str) -> str:
        if rng.random() >= rate:
            return text
        words = text.split(" ")
        idx = [i for i, w in enumerate(words) if w.lower().strip(".,") in TYPO_WORDS]
        if idx:
            i = rng.choice(idx)
            w = words[i]
            core = w.strip(".,")
            rep = TYPO_WORDS[core.lower()]
            words[i] = w.replace(core, rep if core.islower() else cap(rep))
            return " ".join(words)
        idx = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha() and w.islower()]
        if not idx:
            return text
        i = rng.choice(idx)
        w = words[i]
        k = rng.randint(1, len(w) - 3)
        kind = rng.random()
        if kind < 0.5:
            w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
        elif kind < 0.8:
            w = w[:k] + w[k + 1:]
        else:
            w = w[:k] + w[k] + w[k:]
        words[i] = w
        return " ".join(words)
    return typo


def rand_date(rng: random.Random) -> date:
    d = START + timedelta(days=rng.randint(0, (END - START).days))
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def choose_style(rng: random.Random, lang: int, file_kind: str) -> Style:
    headers = [["Action", "Who", "By when"], ["What needs to happen", "Who will do it", "When"],
               ["Action", "Responsible", "Timescale"], ["What", "Who", "When"], ["Task", "Lead", "Date"],
               ["Action", "Who", "By when"], ["Action required", "Person responsible", "Target date"],
               ["What will happen", "Who", "By when"]]
    return Style(
        heading=rng.choice(["plain", "colon", "upper", "numbered", "md", "underline", "bold", "inline", "plain"]),
        bullet=rng.choice(["- ", "* ", "• ", "– ", "o ", "- "]),
        bullet_stops=rng.random() < 0.55,
        number=rng.choice(["1. ", "1. ", "1) ", "a) ", "(1) "]),
        table_header=rng.choice(headers),
        outer_pipes=rng.random() < 0.75,
        sep="  " if rng.random() < 0.12 else " ",
        docx_heading=9 if rng.random() < 0.25 else 1,
        header=rng.choice(["kv", "kv", "kvtable", "oneline"] + (["letter", "letter"] if lang == 2 else [])),
        typo_rate=rng.choice([0.0, 0.02, 0.04, 0.07]),
    )


# ---------------------------------------------------------------------------------------------
# Content helpers

def fill(ctx: Ctx, tpl: str, **kw) -> str:
    return ctx.voice.fill(tpl, **kw)


def heading_for(ctx: Ctx, rng: random.Random, key: str, pool: dict) -> str:
    p_plain = {2: 0.65, 1: 0.3, 0: 0.03}[ctx.L]
    side = "plain" if (rng.random() < p_plain and ctx.voice.second) else "formal"
    return fill(ctx, rng.choice(pool["head"][side]))


def n_state(ctx: Ctx, rng: random.Random) -> int:
    return {2: rng.randint(2, 4), 1: rng.randint(1, 3), 0: rng.randint(1, 2)}[ctx.D]


def section_layout(ctx: Ctx, rng: random.Random) -> str:
    if ctx.fmt == "mixed":
        return rng.choice(["prose", "bullets", "numbered", "table", "prose"])
    return ctx.fmt


MERGEABLE = {"state", "good", "poor", "past", "wish", "views"}
FRAGMENT = re.compile(r":|\.\s+\S")  # note-style fragments ("IHA completed. RHA due.") are left alone


def merge_for_readability(ctx: Ctx, rng: random.Random, items: list[Item]) -> list[Item]:
    """Low readability: glue short statements into long ones and open them with heavy phrases."""
    p_merge = {0: 0.95, 1: 0.3, 2: 0.0}[ctx.R]
    p_prefix = {0: 0.5, 1: 0.1, 2: 0.0}[ctx.R]
    p_tail = {0: 0.45, 1: 0.08, 2: 0.0}[ctx.R]
    out: list[Item] = []
    tails = rng.sample(pb.HEAVY_TAILS, len(pb.HEAVY_TAILS))
    for it in items:
        if (it.kind in MERGEABLE and tails and rng.random() < p_tail and it.text.endswith(".") and '"' not in it.text
                and not FRAGMENT.search(it.text)):
            it = Item(it.text[:-1] + fill(ctx, tails.pop(), capitalise=False) + ".", it.kind)
        prev = out[-1] if out else None
        if (prev is not None and prev.kind in MERGEABLE | {"merged"} and it.kind in MERGEABLE
                and not FRAGMENT.search(prev.text) and not FRAGMENT.search(it.text)
                and rng.random() < p_merge and '"' not in prev.text + it.text and len(prev.text.split()) < 38
                and prev.text.endswith(".")):
            out[-1] = Item(prev.text[:-1] + rng.choice(pb.CONNECTORS) + decap(it.text, ctx.voice), "merged")
        else:
            out.append(it)
    for i, it in enumerate(out):
        if (it.kind in MERGEABLE | {"merged"} and rng.random() < p_prefix and not it.text.startswith('"')
                and not FRAGMENT.search(it.text) and not it.text.startswith(ctx.cast.first + ",")
                and not re.match(r"(I|We) ", it.text)):
            out[i] = Item(rng.choice(pb.HEAVY_PREFIXES) + decap(it.text, ctx.voice), it.kind)
    return out


def action_form(layout: str, ctx: Ctx) -> str:
    if layout == "table":
        return "row"
    if layout == "bullets":
        return "bullet"
    if ctx.doc_type == "review_minutes" and layout == "numbered":
        return "recommendation"
    return "sentence"


def area_section(ctx: Ctx, key: str, *, n_actions: int, thin: bool) -> Section:
    """One plan area: facts, strengths or deficits, a dated past event, and actions."""
    rng = ctx.rng(key)
    ctx.voice.set_section_voice(rng)
    pool = pb.SECTIONS[key]
    layout = section_layout(ctx, rng)
    heading = heading_for(ctx, rng, key, pool)
    typo = make_typo(rng, ctx.style.typo_rate)
    items: list[Item] = []
    if thin:
        items.append(Item(rng.choice(pool["filler"]), "filler"))
        if rng.random() < 0.3:
            s = pick(rng, pool["state"], ctx.voice)
            if s:
                items.append(Item(typo(fill(ctx, s)), "state"))
    else:
        used: set[str] = set()
        for _ in range(n_state(ctx, rng)):
            s = pick(rng, pool["state"], ctx.voice, exclude=used)
            if s:
                used.add(s)
                items.append(Item(typo(fill(ctx, s)), "state"))
        p_good = {2: 0.85, 1: 0.45, 0: 0.05}[ctx.L]
        p_poor = {2: 0.0, 1: 0.35, 0: 0.75}[ctx.L]
        for _ in range(2 if ctx.D == 2 else 1):
            if rng.random() < p_good:
                s = pick(rng, pool["good"], ctx.voice, exclude=used)
                if s:
                    used.add(s)
                    items.insert(rng.randint(0, len(items)), Item(typo(fill(ctx, s)), "good"))
            if rng.random() < p_poor:
                s = pick(rng, pool["poor"], ctx.voice, exclude=used)
                if s:
                    used.add(s)
                    items.insert(rng.randint(0, len(items)), Item(typo(fill(ctx, s)), "poor"))
        if rng.random() < (0.55 if ctx.D >= 1 else 0.3):
            s = pick(rng, pool["past"], ctx.voice, exclude=used)
            if s:
                items.insert(rng.randint(0, len(items)), Item(typo(fill(ctx, s)), "past"))
        if ctx.R == 0 and rng.random() < 0.55 and (h := ctx.heavy()):
            items.append(Item(h, "heavy"))
    items = merge_for_readability(ctx, rng, items)
    form = action_form(layout, ctx)
    for _ in range(n_actions):
        it = ctx.am.make(key, form=form)
        if form != "row" and rng.random() < 0.25 and len(items) > 1:
            items.insert(rng.randint(1, len(items)), it)
        else:
            items.append(it)
    return Section(key, heading, items, layout, thin=thin)


def actions_per_area(ctx: Ctx, rng: random.Random) -> int:
    return rng.choice({2: [0, 1, 1, 2], 1: [0, 0, 1, 1, 2], 0: [0, 0, 1]}[ctx.D])


def choose_areas(ctx: Ctx, areas: list[str], rng: random.Random) -> list[tuple[str, bool]]:
    """Which plan areas the record covers, and which of them are thin (filler only)."""
    p_missing = {2: 0.0, 1: 0.15, 0: 0.4}[ctx.D]
    p_thin = {2: 0.0, 1: 0.25, 0: 0.6}[ctx.D]
    out = []
    for a in areas:
        if rng.random() < p_missing:
            continue
        out.append((a, rng.random() < p_thin))
    if not out:
        out.append((rng.choice(areas), True))
    return out


def date_text(ctx: Ctx, rng: random.Random, d: date) -> str:
    return fmt_date(d, rng.choice(["dmy", "dmy", "dmy_np", "long_ord", "long", "abbr", "wd_long_ord", "dmy_short",
                                   "dmy_dot"]))


# ---------------------------------------------------------------------------------------------
# Shared parts: header, views, action plan, next review, sign-off

TITLES = {
    "care_plan": (["My care plan", "{Name}'s care plan", "Your care plan", "All about my plan"],
                  ["Care Plan", "CARE PLAN", "Child's Care Plan", "Looked After Child Care Plan", "Care Plan - Part 1",
                   "Care and Placement Plan", "CHILD IN CARE - CARE PLAN"]),
    "review_minutes": (["{Name}'s review", "Record of your review", "Your review meeting", "Notes from your review"],
                       ["Review Minutes", "LAC Review Minutes", "Child in Care Review", "CLA REVIEW - RECORD OF MEETING",
                        "Looked After Review: Minutes", "IRO Review Record", "Statutory Review of Care Plan"]),
    "pathway_plan": (["Your plan for the future", "My pathway plan", "{Name}'s pathway plan",
                      "Planning for your future"],
                     ["Pathway Plan", "PATHWAY PLAN", "Pathway Plan Review", "Leaving Care Pathway Plan",
                      "Pathway Plan (16+)"]),
}

LEGAL = ["Section 20", "Interim care order", "Full care order (s31)", "Care order", "S20 (voluntary)",
         "Placement order", "ICO"]


def header(ctx: Ctx) -> list[Section]:
    rng = ctx.rng("header")
    ctx.voice.set_section_voice(rng)
    c = ctx.cast
    friendly = ctx.L == 2 or (ctx.L == 1 and rng.random() < 0.3)
    out: list[Section] = []
    if ctx.doc_type in TITLES:
        plain, formal = TITLES[ctx.doc_type]
        title = fill(ctx, rng.choice(plain if friendly and ctx.voice.second else formal))
    else:
        title = rng.choice(pb.OTHER_TITLES)
    out.append(Section(None, title, [], "prose", level=0))
    name_label = rng.choice(["Name", "Child", "Child's name", "Name of child", "Young person", "Child/young person"])
    date_label = {"care_plan": ["Date of plan", "Plan date", "Date", "Date plan written", "Care plan date"],
                  "review_minutes": ["Date of review", "Meeting date", "Review date", "Date of meeting"],
                  "pathway_plan": ["Date of plan", "Plan date", "Date completed", "Date"],
                  "other": ["Date of visit", "Date", "Visit date", "Date of contact"]}[ctx.doc_type]
    kv: list[tuple[str, str]] = [
        (name_label, f"{c.first} {c.surname}" if rng.random() < 0.8 else f"{c.surname.upper()}, {c.first}"),
        ("DOB" if rng.random() < 0.5 else "Date of birth", date_text(ctx, rng, ctx.dob)),
        (rng.choice(date_label), date_text(ctx, rng, ctx.doc_date)),
    ]
    if rng.random() < 0.7:
        kv.append((rng.choice(["Social worker", "Allocated SW", "Social Worker"]), c.sw.full))
    if ctx.doc_type == "review_minutes":
        kv.append((rng.choice(["Chair", "IRO", "Chaired by"]), f"{c.iro.full}"))
        kv.append((rng.choice(["Venue", "Where", "Location"]),
                   rng.choice([f"{c.carer_short}'s home" if c.living in ("foster", "kinship") else "the house",
                               c.school if c.school != "none" else "the family centre", "MS Teams", "Civic Centre",
                               "hybrid - Teams and in person", "the family centre"])))
        kv.append((rng.choice(["Review no.", "Review", "Type of review"]),
                   rng.choice(["2nd review", "Third review", "Review 4", "Initial review (20 days)", "6th review",
                               "Second review (3 months)", "Review 7"])))
    elif ctx.doc_type in ("care_plan", "pathway_plan") and rng.random() < 0.6:
        legal = "Placement order" if c.perm == "adopt" else rng.choice(LEGAL[:-2] if c.age < 16 else LEGAL[:5])
        kv.append((rng.choice(["Legal status", "Legal Status"]), legal))
    if ctx.doc_type == "other":
        kv.append((rng.choice(["Visit type", "Type", "Contact type"]),
                   rng.choice(["Statutory visit", "Home visit", "Unannounced", "Telephone", "School visit",
                               "Virtual (Teams)"])))
        kv.append((rng.choice(["Seen alone", "Child seen alone?", "Seen alone?"]),
                   rng.choice(["Yes", "No", "Yes - in bedroom", "No - child declined", "N/A"])))
    if ctx.doc_type == "pathway_plan" and rng.random() < 0.7:
        kv.append((rng.choice(["Personal adviser", "PA"]), c.pa.full))
    if ctx.doc_type == "care_plan" and rng.random() < 0.4:
        kv.append(("IRO", c.iro.full))
    if ctx.doc_type != "review_minutes" and ctx.next_review and rng.random() < 0.4:
        kv.append((rng.choice(["Next review", "Next review date", "Review date"]),
                   date_text(ctx, rng, ctx.next_review)))
        ctx.next_review_in_header = True
    sep = rng.choice([": ", ": ", ":  ", " - ", ":\t"])
    style = ctx.style.header
    if style == "kvtable" and ctx.file_kind != "docx":
        style = "kv"
    if style == "kvtable":
        out.append(Section(None, None, [Item(f"{k}\x00{v}") for k, v in kv], "kvtable"))
    elif style in ("kv", "letter"):
        out.append(Section(None, None, [Item(f"{k}{sep}{v}") for k, v in kv], "lines"))
    else:  # one line: "Amira Khan (DOB 12/03/2015)   Date of plan: 04/03/2024"
        line = f"{kv[0][1]} (DOB {kv[1][1]}){rng.choice(['   ', ' - ', ', ', '  |  '])}{kv[2][0]}: {kv[2][1]}"
        out.append(Section(None, None, [Item(line)], "lines"))
    if style == "letter" and ctx.voice.second:
        intro = rng.choice([
            "This is your {docname}. It says what will happen next and who will help. I have written it to you because it is about you.",
            "I have written this {docname} to you, so that you know what we agreed and why.",
            "This {docname} is about you and your life. If anything does not make sense, please ask me.",
            "This is the record of your review. I have written it to you so you can read it now or when you are older.",
        ])
        docname = {"care_plan": "care plan", "pathway_plan": "plan for the future", "review_minutes": "record",
                   "other": "note"}[ctx.doc_type]
        if ctx.doc_type != "review_minutes" and "review" in intro:
            intro = intro.replace("the record of your review", "your plan")
        out.append(Section(None, None, [Item(f"Dear {c.first},")], "lines"))
        out.append(Section(None, None, [Item(intro.replace("{docname}", docname))], "prose"))
    return out


def views_section(ctx: Ctx, *, thin: bool) -> Section:
    rng = ctx.rng("views")
    ctx.voice.set_section_voice(rng)
    heading = heading_for(ctx, rng, "views", pb.VIEWS)
    items: list[Item] = []
    layout = section_layout(ctx, rng)
    if layout == "table":
        layout = "prose"
    if thin:
        items.append(Item(fill(ctx, pick(rng, pb.VIEWS["took_part_poor"], ctx.voice) or "Views not obtained."),
                          "views"))
    else:
        pool = pb.VIEWS["took_part_good"] if rng.random() < {2: 0.95, 1: 0.6, 0: 0.2}[ctx.L] else \
            pb.VIEWS["took_part_poor"]
        s = pick(rng, pool, ctx.voice)
        if s:
            items.append(Item(fill(ctx, s), "views" if pool is pb.VIEWS["took_part_good"] else "note"))
        used: set[str] = set()
        for _ in range({2: rng.randint(2, 4), 1: rng.randint(1, 3), 0: rng.randint(0, 1)}[ctx.D]):
            s = pick(rng, pb.VIEWS["wishes"], ctx.voice, exclude=used)
            if s:
                used.add(s)
                items.append(Item(fill(ctx, s), "wish"))
        for _ in range({2: rng.randint(1, 3), 1: rng.randint(0, 2), 0: 0}[ctx.D]):
            s = pick(rng, pb.VIEWS["others"], ctx.voice, exclude=used)
            if s:
                used.add(s)
                items.append(Item(fill(ctx, s), "views"))
    items = merge_for_readability(ctx, rng, items)
    return Section("views", heading, items, layout, thin=thin)


def forced_actions(ctx: Ctx, form: str) -> list[Item]:
    """Actions carried over from an earlier record of a sequence (same deliverable, new wording)."""
    out = []
    for f in ctx.forced:
        it = ctx.am.make(f["sec"], form=form, cat=f["cat"], spec=f["spec"])
        ctx.forced_made[f["tag"]] = it
        out.append(it)
    return out


def action_plan(ctx: Ctx, keys: list[str], n: int, *, as_table: bool) -> Section:
    rng = ctx.rng("action_plan")
    ctx.voice.set_section_voice(rng)
    heading = rng.choice(["Action plan", "What will happen next", "Who will do what", "ACTIONS", "Plan of actions",
                          "Actions agreed", "What needs to happen", "SMART action plan", "Next steps"])
    if as_table:
        layout = "table"
    else:
        layout = rng.choice(["numbered", "bullets", "numbered"]) if ctx.fmt != "prose" else "prose"
    form = action_form(layout, ctx)
    items = forced_actions(ctx, form)
    items += [ctx.am.make(rng.choice(keys), form=form) for _ in range(max(1, n - len(items)))]
    return Section(None, heading, items, layout)


def next_review_section(ctx: Ctx, *, minutes: bool) -> Section | None:
    rng = ctx.rng("next_review")
    ctx.voice.set_section_voice(rng)
    if ctx.next_review is None:
        if ctx.D == 2 or rng.random() < 0.4:
            return None
        txt = rng.choice(["Next review: TBC", "Next review: to be arranged", "Date of next review: TBC",
                          "The next review will be in 6 months (date to be confirmed).", "Next review - tbc"])
        return Section("next_review", None, [Item(txt)], "lines")
    d = ctx.next_review
    dt = fmt_date(d, rng.choice(["dmy", "long_ord", "wd_long_ord", "wd_long", "long", "dmy_np", "abbr"]))
    time_ = rng.choice(["", " at 10am", " at 2.30pm", " at 4pm", " at 10:00", " at 3.45pm"])
    if ctx.L == 2 and ctx.voice.second:
        txt = rng.choice([f"Your next review will be on {dt}{time_}.", f"Your next review is on {dt}{time_}.",
                          f"We will meet again for your next review on {dt}{time_}.",
                          f"The next review will be on {dt}{time_}."])
    else:
        txt = rng.choice([f"Next review: {dt}{time_}", f"The next review will be on {dt}{time_}.",
                          f"Date of next review: {dt}", f"Next review date - {dt}{time_}",
                          f"NEXT REVIEW: {dt}"])
    heading = None
    if minutes and rng.random() < 0.5:
        heading = rng.choice(["Next review", "Date of next review", "NEXT REVIEW", "When we will meet again"])
    return Section("next_review", heading, [Item(txt)], "lines" if heading is None else "prose")


def sign_off(ctx: Ctx) -> Section:
    rng = ctx.rng("signoff")
    c = ctx.cast
    who = {"sw": c.sw, "iro": c.iro, "pa": c.pa}[ctx.author]
    role = {"sw": "Social Worker", "iro": "Independent Reviewing Officer", "pa": "Personal Adviser"}[ctx.author]
    if ctx.L == 2 and ctx.voice.second and rng.random() < 0.6:
        lines = [rng.choice(["From", "Best wishes,", "Take care,", "See you soon,"]), f"{who.first} ({role.lower()})"]
    else:
        lines = [rng.choice(["Signed: ", "Completed by: ", "Author: ", "Name: ", ""]) + f"{who.full}, {role}"]
        if rng.random() < 0.5:
            lines.append(rng.choice(["Team manager: ", "Authorised by: ", "Manager sign-off: "])
                         + f"{rng.choice(['K', 'J', 'S', 'R', 'A'])}. {rng.choice(['Mills', 'Okoro', 'Bates', 'Sharma', 'Lowe'])}")
    return Section(None, None, [Item(x) for x in lines], "lines")


def iro_section(ctx: Ctx, *, thin: bool) -> Section:
    rng = ctx.rng("iro")
    ctx.voice.set_section_voice(rng)
    c = ctx.cast
    she = {"Ms": "she", "Mrs": "she", "Miss": "she", "Mr": "he"}.get(c.iro.title, "they")
    phone = f"0{rng.randint(1130, 1999)} {rng.randint(100000, 999999)}"
    if thin:
        items = [Item(rng.choice([f"IRO: {c.iro.first[0]}. {c.iro.surname}", "IRO allocated.", "IRO: TBC"]))]
    elif ctx.voice.second:
        items = [Item(f"Your IRO (Independent Reviewing Officer) is {c.iro.full}."),
                 Item(rng.choice([f"{cap(she)} makes sure your plan is working and chairs your reviews.",
                                  f"{cap(she)} checks that everyone does what they said they would.",
                                  "The IRO's job is to check your plan is right for you."])),
                 Item(f"You can ring {c.iro.first} on {phone}.")]
    else:
        items = [Item(rng.choice([f"IRO: {c.iro.full}, tel. {phone}", f"The IRO is {c.iro.full}.",
                                  f"Independent Reviewing Officer: {c.iro.full}"]))]
    heading = rng.choice(["Your IRO", "Independent Reviewing Officer", "IRO", "IRO details"])
    return Section("iro", heading, items, "prose" if len(items) > 1 else "lines", thin=thin)


# ---------------------------------------------------------------------------------------------
# Document types

def build_care_plan(ctx: Ctx) -> list[Section]:
    rng = ctx.rng("structure:cp")
    out = header(ctx)
    areas = choose_areas(ctx, CARE_PLAN_AREAS, rng)
    final_table = ctx.fmt == "table" and rng.random() < 0.5
    views_first = rng.random() < 0.5
    if views_first and (ctx.D > 0 or rng.random() < 0.5):
        out.append(views_section(ctx, thin=ctx.D == 0 and rng.random() < 0.5))
    for key, thin in areas:
        n = 0 if final_table else actions_per_area(ctx, rng)
        out.append(area_section(ctx, key, n_actions=n, thin=thin))
    if not views_first and (ctx.D > 0 or rng.random() < 0.5):
        out.append(views_section(ctx, thin=ctx.D == 0 and rng.random() < 0.5))
    if ctx.D > 0 or rng.random() < 0.5:
        out.append(iro_section(ctx, thin=ctx.D == 0))
    n_in = sum(1 for s in out for it in s.items if it.action)
    if final_table or rng.random() < 0.45 or n_in < 2 or ctx.forced:
        out.append(action_plan(ctx, [k for k, _ in areas], max(2, rng.randint(3, 7) - n_in // 3),
                               as_table=final_table or (ctx.fmt in ("table", "mixed") and rng.random() < 0.5)))
    nr = next_review_section(ctx, minutes=False)
    if nr and not ctx.next_review_in_header:
        out.append(nr)
    out.append(sign_off(ctx))
    return out


def build_pathway_plan(ctx: Ctx) -> list[Section]:
    rng = ctx.rng("structure:pp")
    out = header(ctx)
    areas = choose_areas(ctx, PATHWAY_AREAS + ["personal_adviser"], rng)
    final_table = ctx.fmt == "table" and rng.random() < 0.6
    if ctx.D > 0 or rng.random() < 0.5:
        out.append(views_section(ctx, thin=ctx.D == 0 and rng.random() < 0.5))
    for key, thin in areas:
        n = 0 if final_table else actions_per_area(ctx, rng)
        out.append(area_section(ctx, key, n_actions=n, thin=thin))
    n_in = sum(1 for s in out for it in s.items if it.action)
    if final_table or rng.random() < 0.5 or n_in < 2:
        out.append(action_plan(ctx, [k for k, _ in areas if k != "personal_adviser"] or ["health"],
                               max(2, rng.randint(3, 8) - n_in // 3),
                               as_table=final_table or (ctx.fmt in ("table", "mixed") and rng.random() < 0.5)))
    nr = next_review_section(ctx, minutes=False)
    if nr and not ctx.next_review_in_header:
        if nr.items and "review" in nr.items[0].text.lower() and rng.random() < 0.5:
            nr.items[0].text = nr.items[0].text.replace("next review", "next pathway plan review", 1)
        out.append(nr)
    out.append(sign_off(ctx))
    return out


def attendance_section(ctx: Ctx) -> Section:
    rng = ctx.rng("attendance")
    ctx.voice.set_section_voice(rng)
    c = ctx.cast
    friendly = ctx.voice.second
    people = [(c.iro.full, "Independent Reviewing Officer (chair)" if friendly else "IRO (Chair)", "Yes"),
              (c.sw.full, "Social worker" if friendly else rng.choice(["SW", "Allocated SW"]), "Yes")]
    for p in c.carers:
        people.append((p.full, {"foster": "Foster carer", "kinship": "Kinship carer", "residential": "Keyworker",
                                "semi_independent": "Support worker"}[c.living], "Yes"))
    if c.age >= 5 and c.school != "none":
        people.append((c.teacher.full, rng.choice(["Designated teacher", "DT", "Teacher", "Head of Year"]),
                       rng.choice(["Yes", "Yes", "Report sent", "Apologies"])))
    if rng.random() < 0.5:
        people.append((c.mum.full, "Mum" if friendly else rng.choice(["Mother", "BM", "Mum"]),
                       rng.choice(["Yes", "Yes", "No", "Part", "Apologies"])))
    if rng.random() < 0.3:
        people.append((c.dad.full, "Dad" if friendly else rng.choice(["Father", "BF"]),
                       rng.choice(["No", "Yes", "Did not attend"])))
    if rng.random() < 0.4:
        people.append((c.nurse.full, rng.choice(["LAC nurse", "Children in care nurse", "Health"]),
                       rng.choice(["Report sent", "Apologies", "Yes"])))
    if c.age >= 16 and rng.random() < 0.6:
        people.append((c.pa.full, "Personal adviser" if friendly else "PA", "Yes"))
    child_att = rng.choice(["Yes", "Part", "No - met IRO before", "No"]) if c.age >= 5 else "No (too young)"
    c.extras["attended"] = "yes" if child_att in ("Yes", "Part") else "no"
    name_cell = c.first if friendly else f"{c.first} {c.surname}"
    people.insert(0, (name_cell, "Young person" if c.age >= 11 else "Child", child_att))
    heading = rng.choice(["Who came to your review" if friendly else "Attendance", "Attendance", "Present",
                          "Attendees", "In attendance", "Those present"])
    layout = rng.choice(["table", "lines", "bullets", "prose"])
    if layout == "table":
        hdr = rng.choice([["Name", "Role", "Attended"], ["Name", "Role", "Present"], ["Who", "Role", "Attended?"]])
        rows = [Item("\x00".join(hdr))] + [Item("\x00".join(p)) for p in people]
        return Section("attendance", heading, rows, "attable")
    present = [p for p in people if p[2] in ("Yes", "Part")]
    apols = [p for p in people if p[2] not in ("Yes", "Part")]
    if layout == "prose":
        txt = "Present: " + ", ".join(f"{n} ({r.replace(' (chair)', ', chair').replace(' (Chair)', ', chair')})" for n, r, _ in present) + "."
        items = [Item(txt)]
        if apols:
            items.append(Item("Apologies: " + ", ".join(f"{n} ({r})" for n, r, _ in apols) + "."))
        return Section("attendance", heading, items, "lines")
    def note(a: str) -> str:
        return "" if a == "Yes" else " (too young to attend)" if "too young" in a else f" ({a[0].lower()}{a[1:]})"
    items = [Item(f"{n} - {r}{note(a)}") for n, r, a in people]
    return Section("attendance", heading, items, "bullets" if layout == "bullets" else "lines")


def prev_decisions_section(ctx: Ctx, *, thin: bool) -> Section:
    rng = ctx.rng("previous")
    ctx.voice.set_section_voice(rng)
    heading = rng.choice(["Progress on previous decisions", "Previous recommendations", "Review of last decisions",
                          "What happened since your last review" if ctx.voice.second else "Progress since last review",
                          "PROGRESS ON PREVIOUS RECOMMENDATIONS", "Last review's decisions"])
    if ctx.prev_outcomes is not None:
        items = [Item(t, "previous") for t in ctx.prev_outcomes]
        if not items:
            items = [Item(rng.choice(pb.PREV_OVERVIEW_POOR))]
        return Section("previous_decisions", heading, items, rng.choice(["numbered", "bullets", "lines"]))
    if thin:
        return Section("previous_decisions", heading, [Item(rng.choice(pb.PREV_OVERVIEW_POOR))], "prose", thin=True)
    items = []
    n = {2: rng.randint(3, 5), 1: rng.randint(2, 4), 0: rng.randint(1, 3)}[ctx.D]
    am = ctx.am
    for i in range(n):
        key = rng.choice(MINUTES_AREAS)
        got = am._specific(pb.SECTIONS[key])
        vp, owners = got if got else ("update the plan", ["sw"])
        owner = am.owner(rng.choice([o for o in owners if o not in ("child", "I")] or ["sw"])).text
        vp = re.sub(r"\s*<[^<>]*>", "", ctx.voice.fill(vp, capitalise=False))
        w = when_past(rng, ctx.doc_date)
        kind = rng.choices(["done", "not_done", "vague"], weights=[5, 3, 1 if ctx.D == 2 else 3])[0]
        status = ctx.voice.fill(rng.choice(pb.PROGRESS_STATUS[kind]).replace("{k}", str(rng.randint(1, 4))))
        lead = f"{cap(owner)} to {vp}" + (f" {w.phrase}" if rng.random() < 0.5 else "")
        sep = rng.choice([" - ", " – ", ": ", ". "])
        items.append(Item(f"{lead}{sep}{status}", "previous"))
    layout = rng.choice(["numbered", "bullets", "prose", "lines"])
    return Section("previous_decisions", heading, items, layout)


def decisions_section(ctx: Ctx) -> Section:
    rng = ctx.rng("decisions")
    ctx.voice.set_section_voice(rng)
    heading = rng.choice(["Decisions", "Recommendations", "Review decisions", "Decisions and recommendations",
                          "RECOMMENDATIONS", "Actions agreed"] + (["What we agreed", "What will happen next"]
                                                                 if ctx.voice.second else []))
    n = {2: rng.randint(5, 9), 1: rng.randint(3, 7), 0: rng.randint(2, 5)}[ctx.D]
    if ctx.fmt == "table" or (ctx.fmt == "mixed" and rng.random() < 0.4):
        layout = "table"
    elif ctx.fmt == "prose":
        layout = "prose"
    elif ctx.fmt == "bullets":
        layout = "bullets"
    else:
        layout = "numbered"
    form = "row" if layout == "table" else "recommendation" if layout == "numbered" else \
        "bullet" if layout == "bullets" else "sentence"
    items = forced_actions(ctx, form)
    items += [ctx.am.make(rng.choice(MINUTES_AREAS), form=form) for _ in range(max(1, n - len(items)))]
    if layout == "prose":
        items = merge_for_readability(ctx, rng, items)
    return Section("decisions", heading, items, layout)


def build_review_minutes(ctx: Ctx) -> list[Section]:
    rng = ctx.rng("structure:rm")
    out = header(ctx)
    if ctx.D > 0 or rng.random() < 0.6:
        out.append(attendance_section(ctx))
    if ctx.D > 0 or rng.random() < 0.6:
        out.append(views_section(ctx, thin=ctx.D == 0 and rng.random() < 0.5))
    if ctx.D > 0 or rng.random() < 0.5 or ctx.prev_outcomes is not None:
        out.append(prev_decisions_section(ctx, thin=ctx.D == 0 and rng.random() < 0.6))
    areas = MINUTES_AREAS[:]
    if ctx.cast.age >= 16:
        areas += ["accommodation", "eet"]
    for key, thin in choose_areas(ctx, areas, rng):
        n = rng.choice([0, 0, 0, 1]) if ctx.fmt != "table" else 0
        out.append(area_section(ctx, key, n_actions=n, thin=thin))
    if ctx.R == 0 or (ctx.D == 2 and rng.random() < 0.4):
        r2 = ctx.rng("summary")
        txt = (ctx.heavy() or fill(ctx, r2.choice(pb.HEAVY_MINUTES))) if ctx.R < 2 else fill(
            ctx, r2.choice(["{I} think the plan is working well for {yo}.",
                            "{I} am pleased with how well {Y} {be} doing.",
                            "{I} am worried that some things from the last review have not happened yet."]))
        out.append(Section(None, r2.choice(["IRO summary", "Chair's summary", "Summary", "IRO comments"]),
                           [Item(txt)], "prose"))
    out.append(decisions_section(ctx))
    nr = next_review_section(ctx, minutes=True)
    if nr:
        out.append(nr)
    out.append(sign_off(ctx))
    return out


def build_other(ctx: Ctx) -> list[Section]:
    rng = ctx.rng("structure:ot")
    ctx.voice.set_section_voice(rng)
    out = header(ctx)
    items: list[Item] = []
    used: set[str] = set()
    for _ in range({2: rng.randint(4, 7), 1: rng.randint(3, 5), 0: rng.randint(1, 3)}[ctx.D]):
        if rng.random() < 0.55:
            s = pick(rng, pb.OTHER_OBS, ctx.voice, exclude=used)
        else:
            key = rng.choice(CARE_PLAN_AREAS[:7])
            s = pick(rng, pb.SECTIONS[key]["state"] + pb.SECTIONS[key]["past"], ctx.voice, exclude=used)
        if s:
            used.add(s)
            items.append(Item(fill(ctx, s), "state"))
    if rng.random() < 0.5:
        s = pick(rng, pb.VIEWS["wishes"], ctx.voice)
        if s:
            items.append(Item(fill(ctx, s), "wish"))
    items = merge_for_readability(ctx, rng, items)
    heading = rng.choice([None, "Narrative", "Observations", "Summary of visit", "Purpose and outcome of visit"])
    out.append(Section(None, heading, items, "prose"))
    if rng.random() < 0.4:
        txt = (ctx.heavy() or fill(ctx, rng.choice(pb.HEAVY))) if ctx.R == 0 else fill(
            ctx, rng.choice(["{I} have no worries about {yo} at the moment.", "{Y} {be} doing well at {j:home}.",
                             "{I} am worried about how tired {Y} {be}.", "{Y} {be} safe and well cared for."]))
        out.append(Section(None, rng.choice(["Analysis", "Reflection", "Worker's analysis", "Assessment"]),
                           [Item(txt)], "prose"))
    n_act = rng.randint(0, 4)
    if n_act:
        layout = rng.choice(["bullets", "prose", "numbered"])
        form = action_form(layout, ctx)
        acts = [ctx.am.make(rng.choice(CARE_PLAN_AREAS[:7]), form=form) for _ in range(n_act)]
        out.append(Section(None, rng.choice(["Next steps", "Actions", "Actions arising", "Plan"]), acts, layout))
    out.append(sign_off(ctx))
    return out


BUILDERS = {"care_plan": build_care_plan, "review_minutes": build_review_minutes,
            "pathway_plan": build_pathway_plan, "other": build_other}


# ---------------------------------------------------------------------------------------------
# Layout: sections -> blocks

def heading_block(ctx: Ctx, sec: Section, idx: int) -> Blk | None:
    st = ctx.style
    text = sec.heading or ""
    if sec.level == 0:  # the title
        return Blk("heading", text=text, level=0 if st.docx_heading == 1 else 9,
                   txt_heading=text.upper() if st.heading == "upper" else
                   (f"# {text}" if st.heading == "md" else text))
    if st.heading == "numbered":
        ctx.heading_no += 1
        text = f"{ctx.heading_no}. {text}"
    txt = {"plain": text, "colon": f"{text}:", "upper": text.upper(), "numbered": text, "md": f"## {text}",
           "underline": f"{text}\n{'-' * len(text)}", "bold": f"**{text}**", "inline": f"{text}:"}[st.heading]
    dtext = text.upper() if st.heading == "upper" else text
    return Blk("heading", text=dtext, level=st.docx_heading if st.docx_heading == 9 else 1, txt_heading=txt)


def layout_blocks(ctx: Ctx, sections: list[Section]) -> list[Blk]:
    st = ctx.style
    rng = random.Random(f"{ctx.seed}:layout")
    blocks: list[Blk] = []
    for si, sec in enumerate(sections):
        inline = (st.heading == "inline" and sec.heading and sec.level != 0 and sec.layout in ("prose", "lines")
                  and sec.items)
        if sec.heading and not inline:
            blocks.append(heading_block(ctx, sec, si))
        prefix = f"{sec.heading}: " if inline else ""
        items = sec.items
        if sec.layout == "lines":
            for i, it in enumerate(items):
                blocks.append(Blk("para", items=[it], tight=i > 0 or (bool(sec.heading) and not inline),
                                  prefix=prefix if i == 0 else "", bold_prefix=True))
        elif sec.layout == "kvtable":
            rows = [Row(it.text.split("\x00")) for it in items]
            blocks.append(Blk("table", rows=rows))
        elif sec.layout == "attable":
            rows = [Row(it.text.split("\x00"), header=(i == 0)) for i, it in enumerate(items)]
            blocks.append(Blk("table", rows=rows, outer_pipes=st.outer_pipes))
        elif sec.layout == "prose":
            paras: list[list[Item]] = [[]]
            for it in items:
                if len(paras[-1]) >= rng.randint(3, 6):
                    paras.append([])
                paras[-1].append(it)
            for i, p in enumerate(paras):
                if p:
                    blocks.append(Blk("para", items=p, sep=st.sep, prefix=prefix if i == 0 else "",
                                      bold_prefix=True))
        elif sec.layout == "bullets":
            first = True
            for it in items:
                if it.action is None and not st.bullet_stops:
                    it = Item(it.text.rstrip("."), it.kind)
                blocks.append(Blk("item", items=[it], marker=st.bullet, docx_style="List Bullet",
                                  tight=not first, prefix=prefix if first else ""))
                first = False
        elif sec.layout in ("numbered", "table"):
            plain = [it for it in items if it.action is None]
            acts = [it for it in items if it.action is not None]
            if sec.layout == "numbered" and sec.key == "previous_decisions":
                plain, acts = [], items  # a numbered list of statements
            if plain:
                blocks.append(Blk("para", items=plain, sep=st.sep, prefix=prefix, bold_prefix=True))
                prefix = ""
            if sec.layout == "numbered":
                literal = ctx.file_kind != "docx" or rng.random() < 0.4
                for k, it in enumerate(acts):
                    marker = number_marker(st.number, k)
                    blocks.append(Blk("item", items=[it], marker=marker,
                                      docx_style=None if literal else "List Number", tight=k > 0,
                                      prefix=prefix if k == 0 else ""))
            elif acts:
                hdr = st.table_header
                rows = []
                if ctx.file_kind == "docx" and rng.random() < 0.2:
                    rows.append(Row([rng.choice(["Actions agreed", "SMART actions", "Action plan", "Plan of work",
                                                 "Actions from this " + ("review" if ctx.doc_type == "review_minutes"
                                                                         else "plan")])], merged=True))
                rows.append(Row(hdr, header=True))
                for it in acts:
                    cells = it.cells or [it.text, "", ""]
                    rows.append(Row(cells, action=it.action))
                blocks.append(Blk("table", rows=rows, outer_pipes=st.outer_pipes))
    return blocks


def number_marker(style: str, k: int) -> str:
    if style == "a) ":
        return f"{chr(ord('a') + k % 26)}) "
    if style == "1) ":
        return f"{k + 1}) "
    if style == "(1) ":
        return f"({k + 1}) "
    return f"{k + 1}. "


# ---------------------------------------------------------------------------------------------
# Records

def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _choose_age(rng: random.Random, doc_type: str) -> int:
    if doc_type == "pathway_plan":
        return rng.choice([16, 17])
    return rng.randint(0, 17)


def build_record(spec_seed: str, doc_type: str, quality: dict[str, int], file_kind: str, *,
                 fmt: str | None = None, overrides: dict | None = None, forced: list[dict] | None = None,
                 prev_outcomes: list[str] | None = None) -> tuple[Ctx, list[Blk]]:
    """Lay out one record. The structure (child, dates, format, styles) depends only on spec_seed."""
    srng = random.Random(f"{spec_seed}:structure")
    age = _choose_age(srng, doc_type)
    cast = make_cast(srng, age)
    doc_date = rand_date(srng)
    latest = _years_before(doc_date, age)  # a birthday on the document date
    earliest = _years_before(doc_date, age + 1) + timedelta(days=1)
    dob = earliest + timedelta(days=srng.randint(0, (latest - earliest).days))
    fmt = fmt or srng.choice(FORMATS)
    if doc_type == "other":
        fmt = "prose" if fmt in ("table",) else fmt
    style = choose_style(srng, quality["child_directed_language"], file_kind)
    months = srng.choice([3, 6, 6]) if doc_type != "pathway_plan" else 6
    nr_candidate = add_months(doc_date, months)
    while not is_working_day(nr_candidate):
        nr_candidate += timedelta(days=1)
    p_known = {2: 1.0, 1: 0.75, 0: 0.4}[quality["plan_detail"]]
    nr_roll = random.Random(f"{spec_seed}:next_review").random()
    next_review = nr_candidate if (nr_roll < p_known and doc_type != "other") else None
    if overrides:
        doc_date = overrides.get("doc_date", doc_date)
        next_review = overrides.get("next_review", next_review)
        cast = overrides.get("cast", cast)
        dob = overrides.get("dob", dob)
    cast.extras.pop("attended", None)  # set afresh by this record's attendance section, if it has one
    author = {"care_plan": "sw", "review_minutes": "iro", "pathway_plan": srng.choice(["sw", "pa"]),
              "other": "sw"}[doc_type]
    vrng = random.Random(f"{spec_seed}:voice")
    voice = Voice(cast, vrng, lang=quality["child_directed_language"], read=quality["readability"],
                  doc_date=doc_date, author=author)
    voice.dob = dob
    am = ActionMaker(voice, vrng, level=quality["timebound_actions"], doc_date=doc_date, next_review=next_review,
                     doc_type=doc_type, typo=lambda s: s)
    ctx = Ctx(spec_seed, doc_type, quality, cast, voice, am, doc_date, dob, next_review, style, fmt, srng, author,
              file_kind)
    am.typo = make_typo(random.Random(f"{spec_seed}:typo"), style.typo_rate / 2)
    ctx.heavy_left = random.Random(f"{spec_seed}:heavy").sample(
        pb.HEAVY_MINUTES if doc_type == "review_minutes" else pb.HEAVY, k=len(pb.HEAVY))
    ctx.forced = forced or []
    ctx.prev_outcomes = prev_outcomes
    if overrides and "used" in overrides:
        am.used |= overrides["used"]
    sections = BUILDERS[doc_type](ctx)
    ctx.sections = sections
    return ctx, layout_blocks(ctx, sections)


def gold_sections(ctx: Ctx) -> tuple[list[str], list[str]]:
    present: list[str] = []
    thin: list[str] = []
    for s in ctx.sections:
        if s.key and s.key not in present:
            present.append(s.key)
            if s.thin:
                thin.append(s.key)
    if ctx.next_review_in_header and "next_review" not in present:
        present.append("next_review")
    if ctx.next_review is None and "next_review" in present:
        # "Next review: TBC" names no date: the area is there but empty
        thin.append("next_review")
    return present, thin


def write_record(out_dir: Path, rid: str, ctx: Ctx, blocks: list[Blk]) -> dict:
    if ctx.file_kind == "docx":
        fname = f"{rid}.docx"
        _, actions, _ = render_docx(blocks, out_dir / fname)
    else:
        fname = f"{rid}.txt"
        text, actions = render_txt(blocks)
        (out_dir / fname).write_bytes(text.encode("utf-8"))
    present, thin = gold_sections(ctx)
    return {
        "id": rid, "file": fname, "doc_type": ctx.doc_type, "format": ctx.fmt,
        "child_name": ctx.cast.first, "child_age": ctx.cast.age,
        "date": ctx.doc_date.isoformat(), "next_review": ctx.next_review.isoformat() if ctx.next_review else None,
        "quality": dict(ctx.q), "sections": present, "thin_sections": thin,
        "actions": actions, "pair": None, "child_id": None, "sequence": None,
    }


def _quality(rng: random.Random) -> dict[str, int]:
    return {d: rng.randint(0, 2) for d in DIMENSIONS}


def _twin_quality(rng: random.Random, q: dict[str, int]) -> dict[str, int]:
    """The other version of a pair: one to three dimensions moved up or down."""
    dims = rng.sample(DIMENSIONS, rng.choice([1, 1, 2, 2, 3]))
    out = dict(q)
    for d in dims:
        out[d] = rng.choice([lv for lv in (0, 1, 2) if lv != q[d]])
    return out


# Doc types are dealt from a shuffled deck of 20 (8 care plans, 7 minutes, 4 pathway plans, 1 other), so every
# 20 first versions hold each type and about 5% are "other".
DECK = ["care_plan"] * 8 + ["review_minutes"] * 7 + ["pathway_plan"] * 4 + ["other"]


class _Deck:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cards: list[str] = []

    def draw(self) -> str:
        if not self.cards:
            self.cards = DECK[:]
            self.rng.shuffle(self.cards)
        return self.cards.pop()


def generate(n: int, seed: int, out_dir: Path, *, docx_share: float = 0.25, start_index: int = 0) -> list[dict]:
    """Write n records (+ gold.jsonl with one gold object per record, format per docs/GOLD_FORMAT.md) into
    out_dir; return the gold dicts. Deterministic for a seed (same bytes for .txt, same gold).

    About PAIR_SHARE of the first versions get a second version (same child, dates and structure) written
    at different quality; the two point at each other through ``pair``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"caseqa-synthetic:{seed}")
    deck = _Deck(random.Random(f"caseqa-synthetic:{seed}:deck"))
    golds: list[dict] = []
    i = 0
    while len(golds) < n:
        idx = start_index + len(golds)
        spec_seed = f"{seed}:{i}"
        i += 1
        doc_type = deck.draw()
        q = _quality(rng)
        file_kind = "docx" if rng.random() < docx_share else "txt"
        twin = rng.random() < PAIR_SHARE and len(golds) + 2 <= n
        q2 = _twin_quality(rng, q) if twin else None
        rid = f"{PREFIX[doc_type]}_{idx:04d}"
        ctx, blocks = build_record(spec_seed, doc_type, q, file_kind)
        g = write_record(out_dir, rid, ctx, blocks)
        golds.append(g)
        if q2 is not None:
            rid2 = f"{PREFIX[doc_type]}_{idx + 1:04d}"
            ctx2, blocks2 = build_record(spec_seed, doc_type, q2, file_kind)
            g2 = write_record(out_dir, rid2, ctx2, blocks2)
            g["pair"], g2["pair"] = rid2, rid
            golds.append(g2)
    write_gold(out_dir, golds)
    return golds


def write_gold(out_dir: Path, golds: list[dict]) -> None:
    with open(out_dir / "gold.jsonl", "w", encoding="utf-8") as f:
        for g in golds:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")


def generate_splits(out_root: Path, seed: int = 13, n_train: int = 300, n_dev: int = 60, n_test: int = 90) -> None:
    """Write out_root/train, out_root/dev, out_root/test (different seeds derived from seed; ids unique)."""
    out_root = Path(out_root)
    start = 0
    for k, (name, n) in enumerate([("train", n_train), ("dev", n_dev), ("test", n_test)]):
        d = out_root / name
        if d.exists():
            for f in d.iterdir():
                if f.suffix in (".txt", ".docx", ".jsonl"):
                    f.unlink()
        generate(n, seed * 1000 + k + 1, d, start_index=start)
        start += n


def generate_sequences(n_children: int, seed: int, out_dir: Path, *, clean_share: float = 0.2) -> list[dict]:
    """3-5 care plans / review minutes per child with planted drift (see sequences.py); a share of
    children have clean sequences (no drift)."""
    from .sequences import generate_sequences as _gen

    return _gen(n_children, seed, out_dir, clean_share=clean_share)


# ---------------------------------------------------------------------------------------------
# CLI

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpus.synthetic.generate",
                                 description="Write seeded synthetic care records with gold annotations.")
    ap.add_argument("--n", type=int, default=20, help="number of records")
    ap.add_argument("--seed", type=int, default=13, help="random seed")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--docx-share", type=float, default=0.25, help="share of records written as .docx")
    ap.add_argument("--start-index", type=int, default=0, help="first record number in ids")
    ap.add_argument("--splits", action="store_true",
                    help="write the fixed sample: OUT/train, OUT/dev, OUT/test (300/60/90 records)")
    ap.add_argument("--sequences", type=int, default=0, metavar="N_CHILDREN",
                    help="write drift sequences for N children instead (3-5 records each)")
    a = ap.parse_args(argv)
    if a.splits:
        generate_splits(a.out, seed=a.seed)
        print(f"wrote {a.out}/train, dev, test")
    elif a.sequences:
        g = generate_sequences(a.sequences, a.seed, a.out)
        print(f"wrote {len(g)} records to {a.out}")
    else:
        g = generate(a.n, a.seed, a.out, docx_share=a.docx_share, start_index=a.start_index)
        print(f"wrote {len(g)} records to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
