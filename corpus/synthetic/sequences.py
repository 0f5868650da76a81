"""Sequences of records about one child, with planted drift.

Each child gets 3-5 care plans and review minutes, each written on (or after) the date the previous one
set for the next review. Between one record and the next, each specific action of the earlier record is
either done (reported as completed in the next review's progress section), carried over (the same
deliverable asked for again in new words), slipped (asked for again with a later deadline) or not
followed up (never mentioned again). The gold of the later record lists the drift under ``"drift"``;
``child_id`` and ``sequence`` (1-based) tie the records together. The labels follow the definitions
in docs/DRIFT.md:

- ``carried_over`` / ``slipped``: the action is asked for again; ``slipped`` when both records give a
  deadline and the new one is later.
- ``not_followed_up`` / ``deadline_passed``: a later *review* (the record that must report progress on
  the last decisions) never mentions the action; ``deadline_passed`` when its deadline fell before
  the review. A care plan does not report progress, so a silent care plan raises neither.
- ``review_late``: a review held more than 6 months after the child's previous review.

A share of children (``clean_share``) have clean sequences: every action done and reviews on time.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from .generate import PREFIX, _quality, build_record, write_gold, write_record
from .timeexpr import add_months, fmt_date, is_working_day
from .voice import cap

PATTERNS = [["care_plan", "review_minutes", "review_minutes"],
            ["review_minutes", "review_minutes", "care_plan", "review_minutes"],
            ["care_plan", "review_minutes", "review_minutes", "care_plan", "review_minutes"],
            ["review_minutes", "care_plan", "review_minutes"],
            ["care_plan", "review_minutes", "review_minutes", "review_minutes"]]


def _working(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def _specific_actions(ctx) -> list:
    return [it for s in ctx.sections for it in s.items
            if it.action is not None and it.meta and it.meta.get("vp")]


def _working_back(d: date) -> date:
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def generate_sequences(n_children: int, seed: int, out_dir: Path, *, clean_share: float = 0.2) -> list[dict]:
    """Write 3-5 records per child with planted drift into out_dir (+ gold.jsonl); return the gold dicts."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"caseqa-sequences:{seed}")
    golds: list[dict] = []
    for c in range(n_children):
        child_id = f"child_{c + 1:03d}"
        pattern = rng.choice(PATTERNS)
        file_kind = "docx" if rng.random() < 0.2 else "txt"
        first_seen: dict[str, str] = {}  # deliverable -> id of the record that first asked for it
        times: dict[str, int] = {}
        prev_ctx = None
        prev_id = None
        clean = rng.random() < clean_share
        last_review: tuple[str, date] | None = None
        for i, doc_type in enumerate(pattern):
            rid = f"{PREFIX[doc_type]}_s{c + 1:03d}_{i + 1}"
            spec_seed = f"seq:{seed}:{c}:{i}"
            q = _quality(rng)
            q["timebound_actions"] = rng.choice([0, 1, 1, 2])  # drift shows best when some actions are vague
            forced, outcomes, drift, used = [], [], [], set()
            overrides: dict = {}
            if prev_ctx is not None:
                base = prev_ctx.next_review or add_months(prev_ctx.doc_date, rng.choice([3, 6]))
                doc_date = _working(base + timedelta(days=rng.choice([0, 0, 0, 7, 14, 35])))
                nr = _working(add_months(doc_date, 6)) if rng.random() < 0.8 else None
                if clean:  # on time: every record 3 months after the last, so reviews stay within 6 months
                    doc_date = _working_back(add_months(prev_ctx.doc_date, 3))
                    nr = _working_back(add_months(doc_date, 3))
                overrides = {"cast": prev_ctx.cast, "dob": prev_ctx.dob, "doc_date": doc_date,
                             "next_review": nr}
                for k, it in enumerate(_specific_actions(prev_ctx)):
                    m = it.meta
                    key = f'{m["sec"]}|{m["vp"]}'
                    used.add(m["vp"])
                    old_deadline = m.get("deadline")
                    r = rng.random()
                    who = {"I": {"sw": "SW", "iro": "IRO", "pa": "PA"}[prev_ctx.author],
                           "you": prev_ctx.cast.first}.get(m["owner_text"], m["owner_text"])
                    lead = f'{cap(who)} to {m["vp_text"]}'
                    if clean:
                        r = 1.0  # done
                    if r < 0.35 and len(forced) < 4:
                        kind = "slipped" if (old_deadline and old_deadline < doc_date and rng.random() < 0.6) \
                            else "carried_over"
                        tag = f"{kind}:{k}"
                        forced.append({"sec": m["sec"], "spec": (m["vp"], m["owners"]),
                                       "cat": "good" if kind == "slipped" else None, "tag": tag,
                                       "kind": kind, "key": key, "old": it, "old_deadline": old_deadline})
                        outcomes.append(f"{lead} - " + rng.choice(
                            ["Not done. Carried forward.", "Not completed - carried over.", "Outstanding.",
                             "Not yet done; a new date has been agreed.", "Not achieved - see decisions below."]))
                    elif r < 0.55:
                        if doc_type == "review_minutes":  # only a review must report on the last decisions
                            passed = old_deadline is not None and old_deadline < doc_date
                            entry = {"type": "deadline_passed" if passed else "not_followed_up", "action_text": it.text,
                                     "first_seen": first_seen.get(key, prev_id), "last_seen": prev_id}
                            if passed:
                                entry["old_deadline"] = old_deadline.isoformat()
                            drift.append(entry)
                    else:
                        done = prev_ctx.doc_date + timedelta(days=rng.randint(3, max(4, (doc_date - prev_ctx.doc_date).days - 3)))
                        outcomes.append(f"{lead} - " + rng.choice(
                            [f"Completed on {fmt_date(done, 'dmy')}.", "Done.", f"Done {fmt_date(done, 'dmy_np')}.",
                             "Completed.", "Achieved."]))
                if doc_type == "review_minutes":
                    # The earlier record's other actions (vague, generic) are never reported on either.
                    tracked = {it.text for it in _specific_actions(prev_ctx)}
                    for a in golds[-1]["actions"]:
                        if a["text"] in tracked:
                            continue
                        if clean:  # a clean sequence reports on every decision
                            outcomes.append(f'{a["text"].rstrip(". ")} - ' + rng.choice(["Done.", "Completed.", "Achieved."]))
                            continue
                        old = date.fromisoformat(a["deadline"]) if a.get("deadline") else None
                        entry = {"type": "deadline_passed" if old and old < doc_date else "not_followed_up",
                                 "action_text": a["text"], "first_seen": prev_id, "last_seen": prev_id}
                        if old and old < doc_date:
                            entry["old_deadline"] = old.isoformat()
                        drift.append(entry)
                overrides["used"] = used
            ctx, blocks = build_record(spec_seed, doc_type, q, file_kind, overrides=overrides or None,
                                       forced=[{k: f[k] for k in ("sec", "spec", "cat", "tag")} for f in forced],
                                       prev_outcomes=outcomes if (prev_ctx is not None and doc_type == "review_minutes")
                                       else None)
            g = write_record(out_dir, rid, ctx, blocks)
            for f in forced:
                new = ctx.forced_made.get(f["tag"])
                if new is None:
                    continue
                times[f["key"]] = times.get(f["key"], 1) + 1
                nd = new.meta.get("deadline") if new.meta else None
                od = f["old_deadline"]
                # Slipped means a later deadline for the same action, whatever was planned for it.
                kind = "slipped" if od and nd and nd > od else "carried_over"
                entry = {"type": kind, "action_text": new.text, "first_seen": first_seen.get(f["key"], prev_id),
                         "previous_text": f["old"].text, "times_seen": times[f["key"]]}
                if kind == "slipped":
                    entry["old_deadline"] = od.isoformat()
                    entry["new_deadline"] = nd.isoformat()
                drift.append(entry)
            if doc_type == "review_minutes":
                if last_review and ctx.doc_date > add_months(last_review[1], 6):
                    drift.append({"type": "review_late", "action_text": None, "first_seen": last_review[0],
                                  "previous_review": last_review[0],
                                  "previous_date": last_review[1].isoformat(),
                                  "days_late": (ctx.doc_date - add_months(last_review[1], 6)).days})
                last_review = (rid, ctx.doc_date)
            for it in _specific_actions(ctx):
                first_seen.setdefault(f'{it.meta["sec"]}|{it.meta["vp"]}', rid)
            g["child_id"], g["sequence"], g["drift"] = child_id, i + 1, drift
            golds.append(g)
            prev_ctx, prev_id = ctx, rid
    write_gold(out_dir, golds)
    return golds
