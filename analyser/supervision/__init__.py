"""Supervision: audit findings written into a worker's case-supervision record, and the loop closed.

An adapter around stored Reports (it never re-analyses a record)::

    record = build_supervision(store, "Jo Smith", on=date(2025, 3, 3))   # what to discuss and agree
    render(record, Path("supervision.docx"))                            # Word, Markdown or HTML
    record = save_supervision(store, record)                            # the actions start their loop
    sync_actions(store)                                                 # after a re-score: close what was fixed

Every shortfall in a record audited since the last supervision becomes a SMART action for the worker
(grouped per record and kind of shortfall, naming the child's record, the exact problem and the fix),
due a number of working days after the supervision (bank holidays excluded). Actions are stored; when
a record is re-scored (a new version of the same record id) an action closes if none of the
shortfalls it covers is still there, and stays open with the date it was first raised if any is.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from analyser import __version__, registry
from analyser.dates import add_working_days, long_date
from analyser.report import DIMENSIONS, Report
from analyser.rubric import Rubric, load_rubric
from analyser.store import Store, SupervisionActionRow
from analyser.wording import count as plural_count
from analyser.supervision.model import (
    TEMPLATE_FIELDS,
    CareAction,
    LoopStats,
    RecordSummary,
    SmartAction,
    SupervisionRecord,
)
from analyser.supervision.render import TemplateError, render, render_bytes
from analyser.supervision.shortfalls import (
    GROUP_ORDER,
    OUTSTANDING,
    action_numbers,
    Group,
    Item,
    current_keys,
    describe,
    group_name,
    join,
    numbers,
    ordered,
    outstanding,
    outstanding_key,
    overdue_key,
    record_label,
    sentence,
    shortfalls,
)

__all__ = [
    "TEMPLATE_FIELDS", "CareAction", "LoopStats", "RecordSummary", "SmartAction", "SupervisionError",
    "SupervisionRecord", "SyncResult", "TemplateError", "build_supervision", "render", "render_bytes",
    "save_supervision", "supervision_for_api", "sync_actions",
]

DEFAULT_DUE_WORKING_DAYS = 10
DEFAULT_MAX_PER_RECORD = 3  # actions raised on one record at one supervision
DEFAULT_MAX_ACTIONS = 10  # new actions raised at one supervision
_MAX_RECORDS = 100_000


class SupervisionError(ValueError):
    """A supervision that cannot be written: an unknown worker, a bad date."""


@dataclass(frozen=True)
class SyncResult:
    """What a loop-closure pass did."""

    closed: int = 0
    still_open: int = 0


def _day(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    from analyser.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise SupervisionError(f"'{value}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    return parsed


# ---- the loop ---------------------------------------------------------------------------------------


def sync_actions(store: Store, *, worker: str | None = None, today: dt.date | None = None) -> SyncResult:
    """Close every open action whose record has a newer version without any of the action's shortfalls.

    Idempotent and cheap (one look per record with open actions); ``caseqa score`` runs it after every
    run and :func:`build_supervision` before building, so records re-scored by any route are seen.
    """
    today = today or dt.date.today()
    latest: dict[str, int | None] = {}
    keys: dict[str, set[str]] = {}
    closed = still_open = 0
    for action in store.open_actions(worker=worker):
        rid = action.record_id
        if rid not in latest:
            latest[rid] = store.latest_version(rid)
        version = latest[rid]
        if version is None or version <= action.record_version_first_seen:
            still_open += 1
            continue
        if rid not in keys:
            report = store.get_report(rid)
            keys[rid] = current_keys(report) if report is not None else set()
        if set(action.finding_keys) & keys[rid]:
            still_open += 1
        else:
            store.close_action(action.id, closed_on=today, version=version)
            closed += 1
    return SyncResult(closed, still_open)


def _smart(row: SupervisionActionRow, record: str, on: dt.date) -> SmartAction:
    due = dt.date.fromisoformat(row.due)
    return SmartAction(
        id=row.id, record_id=row.record_id, record_version=row.record_version_first_seen, record=record,
        dimension=row.dimension, key=row.finding_key, finding_keys=list(row.finding_keys), what=row.what,
        owner=row.owner, due=due, text=row.text, status="closed" if row.status == "closed" else "open",
        raised_on=dt.date.fromisoformat(row.raised_on),
        closed_on=dt.date.fromisoformat(row.closed_on) if row.closed_on else None,
        overdue=row.status == "open" and due < on,
    )


# ---- building ---------------------------------------------------------------------------------------


def strengths(report: Report) -> str:
    """One line on what a record does well, from its positive metrics (or its best dimension)."""
    def metric(dimension: str, key: str) -> float | None:
        # Only metrics the check declared (analyser.registry.metric_key): a renamed one fails here, loudly.
        value = report.dimensions[dimension].metrics.get(registry.metric_key(dimension, key))
        return None if value is None else float(value)

    def count(dimension: str, key: str) -> int:
        return int(metric(dimension, key) or 0)

    child = report.meta.child_name or "the child"
    found: list[str] = []
    actions, smart = count("timebound_actions", "actions"), count("timebound_actions", "smart")
    if actions and smart * 2 >= actions:
        found.append(f"{smart} of {plural_count(actions, 'action')} {'says' if actions == 1 else 'say'} who will do what by when")
    if (metric("child_directed_language", "direct_share") or 0) >= 0.6:
        found.append(f"written to {child}")
    if count("child_directed_language", "child_voice"):
        found.append(f"gives {child}'s own words")
    if count("child_directed_language", "explanations"):
        found.append("explains decisions")
    if count("child_directed_language", "strengths"):
        found.append(f"records {child}'s strengths")
    reading_age, target = metric("readability", "reading_age"), metric("readability", "target_reading_age")
    if reading_age is not None and target is not None and reading_age <= target:
        found.append(f"easy to read (reading age {reading_age:.0f})")
    req, sub = count("plan_detail", "sections_required"), count("plan_detail", "sections_substantive")
    if req and sub * 2 >= req:
        found.append(f"{sub} of {plural_count(req, 'section')} {'is' if req == 1 else 'are'} detailed")
    if found:
        line = "; ".join(found[:3])
        return line[0].upper() + line[1:] + "."
    scored = [d for d in DIMENSIONS if report.dimensions[d].score is not None]
    if not scored:
        return "No dimension could be scored."
    best = max(scored, key=lambda d: report.dimensions[d].score or 0.0)
    return f"Strongest on {best.replace('_', ' ')} ({report.dimensions[best].shown()}): {report.dimensions[best].summary}"


def _care_actions(report: Report, record: str, on: dt.date) -> list[CareAction]:
    """The record's own actions that are overdue at the supervision date, or not timebound."""
    out: list[CareAction] = []
    for n, a in zip(action_numbers(report), report.actions):
        deadline = dt.date.fromisoformat(a.deadline) if a.deadline else None
        if deadline is not None and deadline < on:
            problem = f"overdue since {long_date(deadline)}"
        elif not a.timebound:
            problem = "vague timescale" if "vague_timescale" in a.problems else \
                "no date (the next review date is not given)" if "next_review_unknown" in a.problems else \
                "no date (the school calendar point is not dated)" if "school_date_unknown" in a.problems else "no date"
        else:
            continue
        out.append(CareAction(record_id=report.id, record=record, number=n, text=a.text, owner=a.owner,
                              deadline=deadline, problem=problem))
    return out


def _also(groups: list[Group]) -> str:
    """Folded shortfalls as one line, in plain words: "jargon (5), passive sentences (3)"."""
    parts = []
    for g in groups:
        name = group_name(g.key)
        parts.append(f"{name} ({len(g.items)})" if len(g.items) > 1 else name)
    return ", ".join(parts)


def _cap_actions(summaries: list[RecordSummary], folded: dict[str, list[Group]], limit: int) -> None:
    """Keep the ``limit`` most important new actions across the records (group rank, then record order);
    the others fold into their record's ``also`` line."""
    rank = {k: i for i, k in enumerate(GROUP_ORDER)}
    ranked = sorted(((rank.get(a.key, len(rank)), n, k) for n, s in enumerate(summaries) for k, a in enumerate(s.actions)))
    keep = {(n, k) for _, n, k in ranked[:limit]}
    for n, s in enumerate(summaries):
        dropped = [a for k, a in enumerate(s.actions) if (n, k) not in keep]
        if not dropped:
            continue
        s.actions = [a for k, a in enumerate(s.actions) if (n, k) in keep]
        by_key = {g.key: g for g in folded.get(s.record_id, [])}
        extra = [Group(a.key, a.dimension, [Item(key) for key in a.finding_keys]) for a in dropped if a.key not in by_key]
        s.also = _also(extra + folded.get(s.record_id, [])) or None


def _reported_outstanding(store: Store, later: Report, on: dt.date, labels: dict[str, str]) -> list[CareAction]:
    """The earlier record's overdue actions that ``later`` (the next record of the same child, as drift
    links them: by child id or name and date of birth, never by name alone) does not report done."""
    wanted = outstanding(later)
    if not wanted:
        return []
    earlier = store.get_report(wanted[0][0])
    if earlier is None:
        return []
    label = labels.get(earlier.id) or record_label(earlier.meta.child_name, earlier.doc_type, earlier.meta.date, earlier.id)
    review = f"the {'review' if later.doc_type == 'review_minutes' else 'record'} of {long_date(later.meta.date)}" \
        if later.meta.date else "the next record"
    own_numbers = action_numbers(earlier)
    out: list[CareAction] = []
    for _, place, code in wanted:
        if not 1 <= place <= len(earlier.actions):
            continue
        a = earlier.actions[place - 1]
        deadline = dt.date.fromisoformat(a.deadline) if a.deadline else None
        if deadline is None or deadline >= on:
            continue
        out.append(CareAction(record_id=earlier.id, record=label, number=own_numbers[place - 1], text=a.text, owner=a.owner,
                              deadline=deadline, problem=f"overdue since {long_date(deadline)}; {review} {OUTSTANDING[code]}",
                              reported_in=later.id, place=place))
    return out


def _section_three(store: Store, summaries: list[RecordSummary], reports: dict[str, Report], on: dt.date,
                   labels: dict[str, str], limit: int, own: set[str]) -> tuple[list[CareAction], int]:
    """Section 3: care actions overdue and not reported done, or vague, most overdue first, at most ``limit``.

    A record with a later record of the same child (drift's link) is superseded: its own actions are
    listed only when that later record does not report them done (:func:`_reported_outstanding`). Each
    summary's ``care_actions`` is set to what the section considers for its record."""
    superseded = {r.drift.previous for r in reports.values() if r.drift is not None and r.drift.previous}
    carried: dict[str, list[CareAction]] = {}
    for later in reports.values():
        if later.drift is None or later.drift.previous not in own:
            continue  # an earlier record by someone else is not this worker's to discuss
        for c in _reported_outstanding(store, later, on, labels):
            carried.setdefault(c.record_id, []).append(c)
    care: list[CareAction] = []
    for s in summaries:
        if s.record_id in superseded:
            s.care_actions = carried.pop(s.record_id, [])
        care.extend(s.care_actions)
    care.extend(c for cs in carried.values() for c in cs)  # earlier records audited at an earlier supervision
    care.sort(key=lambda c: (c.deadline is None, c.deadline or dt.date.max, c.record, c.number))
    return care[:limit], max(0, len(care) - limit)


_DETERMINERS = {"the", "your", "his", "her", "their", "our", "a", "an"}


def _checks(care: list[CareAction], worker: str, due: dt.date, on: dt.date, labels: dict[str, str],
            reports: dict[str, Report], covered: dict[str, set[str]], versions: dict[str, int]) -> list[SmartAction]:
    """The overdue care actions of section 3 as checks for the worker, one per record: "Check with the
    foster carers whether action 5 in Zain's care plan of 12 April 2023 was done, and record the outcome
    in Zain's care plan". The record's words are not repeated (section 3 quotes them); who was to do it
    is the record's owner. A check on an earlier record's action is recorded in (and closes with) the
    later record that does not report it done; one on a record's own action closes with a new version
    of that record in which the dated action no longer stands as written."""
    by_place: dict[tuple[str, str], list[CareAction]] = {}
    for c in care:
        if c.deadline is None or c.deadline >= on:
            continue  # vague ones: the record's own shortfall actions ask for a date
        home = c.reported_in or c.record_id
        by_place.setdefault((home, c.record_id), []).append(c)
    out: list[SmartAction] = []
    for (home, rid), cs in by_place.items():
        keys = sorted(outstanding_key(c.record_id, c.place) if c.reported_in and c.place else overdue_key(c.text)
                      for c in cs)
        if set(keys) <= covered.get(home, set()):
            continue  # an open check from an earlier supervision carries forward instead
        owners: list[str] = []
        for c in cs:
            who = (c.owner or "").strip()
            first, _, rest = who.partition(" ")
            if rest and first.lower() in _DETERMINERS:  # mid-sentence: "the foster carers", "your social worker"
                who = f"{first.lower()} {rest}"
            if who and who != worker and who not in owners:
                owners.append(who)
        ask = f"Check with {join(owners)} whether" if owners else "Find out whether"
        one = len(cs) == 1
        where = labels.get(home) or home
        report = reports.get(home)
        if report is not None and home not in labels:
            where = record_label(report.meta.child_name, report.doc_type, report.meta.date, home)
        what = (f"{ask} {numbers([c.number for c in cs])} in {cs[0].record} {'was' if one else 'were'} done, "
                f"and record the outcome in {where}")
        out.append(SmartAction(
            record_id=home, record_version=versions.get(home, 1), record=where, dimension="timebound_actions",
            key="timebound_actions:overdue" if home == rid else "timebound_actions:overdue_earlier", finding_keys=keys,
            what=what, owner=worker, due=due, text=sentence(worker, what, due), status="new", raised_on=on,
        ))
    return out


def _most_common(values: list[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def build_supervision(
    store: Store,
    worker: str,
    *,
    since: dt.date | str | None = None,
    on: dt.date | str | None = None,
    due_working_days: int = DEFAULT_DUE_WORKING_DAYS,
    rubric: Rubric | None = None,
    max_per_record: int = DEFAULT_MAX_PER_RECORD,
    max_actions: int = DEFAULT_MAX_ACTIONS,
    supervisor: str | None = None,
) -> SupervisionRecord:
    """Build (without storing) the audit part of ``worker``'s supervision on ``on`` (default today).

    The supervisor is the one the worker's records name most often; when they name none, ``supervisor``
    (the service passes the signed-in supervisor).

    Covers the worker's records audited (scored) on or after ``since`` (default: the previous
    supervision's date; all records at the first one). Shortfalls already covered by an open action
    are not raised again: that action is carried forward instead.

    A supervision agrees a handful of actions: at most ``max_per_record`` on one record and
    ``max_actions`` in all, the shortfalls with most effect on the child's plan first (their group's
    place in ``GROUP_ORDER``, read from rule ids); the rest of a record's shortfalls fold into its
    ``also`` line and stay in the audit report. They are not stored as actions, so a later supervision
    can raise them once these are done.
    """
    if max_per_record < 1 or max_actions < 1:
        raise SupervisionError("the action limits must be at least 1")
    on_day = _day(on) or dt.date.today()
    since_day = _day(since)
    if due_working_days < 0:
        raise SupervisionError("the working days allowed for an action cannot be negative")
    rubric = rubric or load_rubric()
    sync_actions(store, worker=worker)
    rows = store.list_records(worker=worker, limit=_MAX_RECORDS)
    if not rows:
        raise SupervisionError(f"no scored records for worker '{worker}' in the store")
    previous = store.last_supervision(worker, before=on_day)
    previous_day = dt.date.fromisoformat(previous.date) if previous else None
    since_day = since_day or previous_day
    due = add_working_days(on_day, due_working_days)

    # A supervision already stored for this date is being rewritten: its actions do not count as earlier.
    replaced = {s.id for s in store.list_supervisions(worker) if s.date == on_day.isoformat()}
    earlier = [a for a in store.supervision_actions(worker=worker)
               if a.supervision_id not in replaced and a.raised_on < on_day.isoformat()]
    covered: dict[str, set[str]] = {}
    for a in earlier:
        if a.status == "open":
            covered.setdefault(a.record_id, set()).update(a.finding_keys)

    labels: dict[str, str] = {}
    reports: dict[str, Report] = {}
    summaries: list[RecordSummary] = []
    pending_folds: dict[str, list[Group]] = {}
    audited = [r for r in rows if since_day is None or r.scored_at.date() >= since_day]
    audited.sort(key=lambda r: (r.date or "", r.record_id))
    for row in audited:
        report = store.get_report(row.record_id, row.version)
        if report is None:  # pragma: no cover - a listed record always has a report
            continue
        label = record_label(report.meta.child_name or row.child_name, report.doc_type, report.meta.date or row.date,
                             row.record_id)
        labels[row.record_id] = label
        reports[row.record_id] = report
        new: list[SmartAction] = []
        folded: list[Group] = []
        for group in ordered(shortfalls(report)):
            items = [i for i in group.items if i.key not in covered.get(row.record_id, set())]
            if not items:
                continue
            g = Group(group.key, group.dimension, items)
            if len(new) >= max_per_record:
                folded.append(g)
                continue
            what = describe(g, label, report.meta.child_name or row.child_name, rubric)
            new.append(SmartAction(
                record_id=row.record_id, record_version=row.version, record=label, dimension=g.dimension, key=g.key,
                finding_keys=sorted(g.keys), what=what, owner=worker, due=due, text=sentence(worker, what, due),
                status="new", raised_on=on_day,
            ))
        summaries.append(RecordSummary(
            record_id=row.record_id, record=label, child_name=report.meta.child_name or row.child_name,
            doc_type=report.doc_type, date=_day(report.meta.date or row.date), version=row.version,
            score=report.overall.score, grade=report.overall.grade, strengths=strengths(report), actions=new,
            care_actions=_care_actions(report, label, on_day), also=_also(folded) or None,
        ))
        pending_folds[row.record_id] = folded
    # Section 3 is a handful too: half the action limit, the most overdue first.
    care, care_more = _section_three(store, summaries, reports, on_day, labels, max(1, max_actions // 2),
                                     {r.record_id for r in rows})
    # Its overdue care actions become checks the worker agrees to (one per record), before the others.
    checks = _checks(care, worker, due, on_day, labels, reports, covered, {r.record_id: r.version for r in rows})
    _cap_actions(summaries, pending_folds, max(0, max_actions - len(checks)))
    by_record = {s.record_id: s for s in summaries}
    loose: list[SmartAction] = []
    for check in checks:
        home = by_record.get(check.record_id)
        if home is None:
            loose.append(check)  # a record audited at an earlier supervision
        else:
            home.actions.insert(0, check)

    def name(record_id: str) -> str:
        if record_id not in labels:
            report = store.get_report(record_id)
            labels[record_id] = record_label(report.meta.child_name, report.doc_type, report.meta.date, record_id) \
                if report else record_id
        return labels[record_id]

    to_review = [a for a in earlier
                 if a.status == "open" or (previous_day and a.closed_on and a.closed_on >= previous_day.isoformat())]
    previous_actions = [_smart(a, name(a.record_id), on_day) for a in to_review]
    # Today's table agrees the open ones again: an overdue one gets this supervision's date (a date that
    # has passed is no date to work to), and its old date is shown with it.
    carried = [a.model_copy(update={"due": due, "was_due": a.due, "overdue": False,
                                    "text": sentence(a.owner, a.what, due)}) if a.overdue else a
               for a in previous_actions if a.status == "open"]
    new_actions = loose + [a for s in summaries for a in s.actions]
    days = [(dt.date.fromisoformat(a.closed_on) - dt.date.fromisoformat(a.raised_on)).days
            for a in earlier if a.status == "closed" and a.closed_on]
    stats = LoopStats(
        raised=len(earlier) + len(new_actions),
        closed=sum(a.status == "closed" for a in earlier),
        open=sum(a.status == "open" for a in earlier) + len(new_actions),
        overdue=sum(a.was_due is not None for a in carried),
        median_days_to_close=float(statistics.median(days)) if days else None,
        closed_since_last=sum(1 for a in previous_actions if a.status == "closed"),
    )
    return SupervisionRecord(
        worker=worker, team=_most_common([r.team for r in rows]), supervisor=_most_common([r.supervisor for r in rows]) or supervisor,
        date=on_day, since=since_day, previous_date=previous_day, due_working_days=due_working_days,
        records=summaries, actions=new_actions, carried_forward=carried, previous_actions=previous_actions,
        care_actions=care, care_actions_more=care_more, max_per_record=max_per_record, max_actions=max_actions,
        stats=stats,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0), caseqa_version=__version__,
    )


def save_supervision(store: Store, record: SupervisionRecord) -> SupervisionRecord:
    """Store the supervision and its new actions (replacing one stored for the same worker and date).

    Returns the record with the stored actions' ids filled in.
    """
    teams = {r.record_id: r.team for r in store.list_records(worker=record.worker, limit=_MAX_RECORDS)}
    sid = store.save_supervision(
        record.worker, record.date, since=record.since, due_working_days=record.due_working_days,
        actions=[{
            "team": teams.get(a.record_id) or record.team, "record_id": a.record_id,
            "record_version_first_seen": a.record_version, "dimension": a.dimension, "finding_key": a.key,
            "finding_keys": list(a.finding_keys), "text": a.text, "what": a.what, "owner": a.owner,
            "due": a.due.isoformat(), "raised_on": a.raised_on.isoformat(),
        } for a in record.actions],
    )
    for a in record.carried_forward:
        if a.was_due is not None and a.id is not None:
            store.redate_action(a.id, due=a.due)
    # One action per record and shortfall group in a supervision: that pair finds each stored id.
    ids = {(row.record_id, row.finding_key): row.id for row in store.supervision_actions(supervision_id=sid)}

    def stored(a: SmartAction) -> SmartAction:
        return a.model_copy(update={"id": ids[(a.record_id, a.key)]})

    records = [r.model_copy(update={"actions": [stored(a) for a in r.actions]}) for r in record.records]
    return record.model_copy(update={"actions": [stored(a) for a in record.actions], "records": records})


def supervision_for_api(
    store: Store,
    worker: str,
    on: dt.date | str | None = None,
    *,
    since: dt.date | str | None = None,
    due_working_days: int = DEFAULT_DUE_WORKING_DAYS,
) -> dict:
    """The supervision record as JSON for ``GET /v1/workers/{id}/supervision`` (built, not stored).

    Raises :class:`SupervisionError` for a worker with no scored records (the route's 404).
    """
    record = build_supervision(store, worker, since=since, on=on, due_working_days=due_working_days)
    return record.model_dump(mode="json")
