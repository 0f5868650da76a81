"""The supervision record: what ``caseqa supervision`` writes and what every template can show.

Every field below is available to templates (Word, Markdown, HTML) under the same name; dates come as
ISO ``YYYY-MM-DD`` and, in the ``*_text`` fields, written out ("18 March 2025"). docs/SUPERVISION.md
lists them with an example template. ``SupervisionRecord.model_dump(mode="json")`` is also what the
web service returns.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from analyser.dates import long_date

Status = Literal["new", "open", "closed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SmartAction(_Model):
    """A SMART action for the worker: who (the worker) will do what to which record by when."""

    id: int | None = Field(None, description="The stored action's id (None until the supervision is saved).")
    record_id: str = Field(description="The record the action is about.")
    record_version: int = Field(1, description="The record version the action was raised on.")
    record: str = Field(description="The record as the action names it: \"Amira's care plan of 4 March 2024\".")
    dimension: str = Field(description="timebound_actions, child_directed_language, readability or plan_detail.")
    key: str = Field(description="The shortfall group, e.g. 'timebound_actions:who_when'.")
    finding_keys: list[str] = Field(default_factory=list, description="The shortfalls it covers (stable keys).")
    what: str = Field(description="The action without who and when: the table's Action column.")
    owner: str = Field(description="Who: the worker.")
    due: dt.date = Field(description="By when: the supervision date plus the working days allowed.")
    text: str = Field(description="The whole SMART sentence: \"Jo Smith will add ... by 18 March 2025.\"")
    status: Status = Field("new", description="new (raised in this supervision), open, or closed (done).")
    raised_on: dt.date = Field(description="The supervision date it was first raised on.")
    closed_on: dt.date | None = Field(None, description="When a re-scored record no longer had the shortfall.")
    overdue: bool = Field(False, description="Open and past its due date on the supervision date.")
    was_due: dt.date | None = Field(None, description="An overdue action agreed again: its earlier due date (``due`` "
                                    "is the new one).")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def due_text(self) -> str:
        return long_date(self.due)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def raised_on_text(self) -> str:
        return long_date(self.raised_on)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def closed_on_text(self) -> str:
        return long_date(self.closed_on)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_text(self) -> str:
        """"New", "Done 7 April 2025", "Not done (raised 3 March 2025), overdue"."""
        if self.status == "closed":
            return f"Done {self.closed_on_text}".strip()
        if self.status == "new":
            return "New"
        if self.was_due is not None:
            return f"Not done (raised {self.raised_on_text}, was due {long_date(self.was_due)}): agreed again"
        return f"Not done (raised {self.raised_on_text})" + (", overdue" if self.overdue else "")


class CareAction(_Model):
    """One of the record's own care actions that is overdue or vague: to discuss in supervision."""

    record_id: str
    record: str = Field(description="The record, named as in the actions.")
    number: int = Field(description="Its number: the record's own ('4.' is 4) when the record numbers every action, "
                        "else its place among the record's actions (1-based).")
    text: str = Field(description="The action as the record words it.")
    owner: str | None = Field(None, description="Who the record names, if anyone.")
    deadline: dt.date | None = Field(None, description="Its deadline, if it has a date.")
    problem: str = Field(description="Why it is listed: 'overdue since 2 April 2025', 'no date', 'vague timescale'.")
    place: int | None = Field(None, description="Its place among the record's actions (from 1), when it is in an "
                              "earlier record another record reports on.")
    reported_in: str | None = Field(None, description="The later record of the same child that does not report it "
                                    "done (when the action is in an earlier, superseded record).")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deadline_text(self) -> str:
        return long_date(self.deadline)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def quote(self) -> str:
        """The record's words as a quotation (“...”, on one line): shown as the record's, never as an action
        agreed in supervision (caseqa reading the supervision record skips quoted words)."""
        words = " ".join(self.text.split()).replace('"', "'").replace("“", "‘").replace("”", "’")
        return f"“{words}”"


class RecordSummary(_Model):
    """A record audited since the last supervision."""

    record_id: str
    record: str = Field(description="\"Amira's care plan of 4 March 2024\".")
    child_name: str | None = None
    doc_type: str
    date: dt.date | None = Field(None, description="The record's own date.")
    version: int = Field(description="The record version audited.")
    score: float = Field(description="Overall score 0-100.")
    grade: str = Field(description="outstanding, good, requires_improvement or inadequate.")
    strengths: str = Field(description="One line on what the record does well.")
    actions: list[SmartAction] = Field(default_factory=list, description="The new actions raised on this record.")
    care_actions: list[CareAction] = Field(default_factory=list, description="Its overdue or vague care actions.")
    also: str | None = Field(None, description="Shortfalls found but not raised as actions today (the audit report "
                             "lists them): \"jargon (5), passive sentences (3)\".")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grade_text(self) -> str:
        return self.grade.replace("_", " ").capitalize()


class LoopStats(_Model):
    """The audit loop for the worker: every action ever raised for them."""

    raised: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    median_days_to_close: float | None = None
    closed_since_last: int = Field(0, description="Actions closed since the previous supervision.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def median_days_to_close_text(self) -> str:
        m = self.median_days_to_close
        return "-" if m is None else f"{m:.0f} days" if m != 1 else "1 day"


class SupervisionRecord(_Model):
    """The audit part of a worker's case-supervision record."""

    worker: str = Field(description="The worker, as the records' worker field names them.")
    team: str | None = Field(None, description="The worker's team (from their records).")
    supervisor: str | None = Field(None, description="The supervisor (from the records' supervisor field).")
    date: dt.date = Field(description="The supervision date.")
    since: dt.date | None = Field(None, description="Records audited on or after this date are covered.")
    previous_date: dt.date | None = Field(None, description="The previous supervision's date.")
    due_working_days: int = Field(10, description="Working days allowed for each new action.")
    records: list[RecordSummary] = Field(default_factory=list)
    actions: list[SmartAction] = Field(default_factory=list, description="New actions raised today.")
    carried_forward: list[SmartAction] = Field(default_factory=list,
                                               description="Earlier actions still open: carried into today's table.")
    previous_actions: list[SmartAction] = Field(
        default_factory=list,
        description="Actions from earlier supervisions to review: still open, or closed since the previous one.",
    )
    care_actions: list[CareAction] = Field(default_factory=list, description=(
        "Care actions overdue and not reported done, or vague, most overdue first (at most half the action limit); "
        "a record with a later record of the same child shows only what that record does not report done."))
    care_actions_more: int = Field(0, description="Further overdue or vague care actions not listed (the audit report has them).")
    max_per_record: int = Field(3, description="At most this many actions were raised on one record.")
    max_actions: int = Field(10, description="At most this many new actions were raised in the supervision.")
    stats: LoopStats = Field(default_factory=LoopStats)
    generated_at: dt.datetime
    caseqa_version: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def date_text(self) -> str:
        return long_date(self.date)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def since_text(self) -> str:
        return long_date(self.since)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def previous_date_text(self) -> str:
        return long_date(self.previous_date)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def also_text(self) -> str:
        """Every record's folded shortfalls in one line: "jargon (in 20 records), passive sentences (in 30 records)"."""
        counts: dict[str, int] = {}
        for r in self.records:
            for part in (r.also or "").split(", "):
                name = part.split(" (")[0].strip()
                if name:
                    counts[name] = counts.get(name, 0) + 1
        return ", ".join(f"{n} (in {k} record{'s' if k != 1 else ''})" for n, k in counts.items())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def all_actions(self) -> list[SmartAction]:
        """Today's actions table: the new actions, then the earlier ones still open."""
        return self.actions + self.carried_forward


# The names a template may use at its top level: the record's fields (templates see a JSON-like dict).
TEMPLATE_FIELDS: frozenset[str] = frozenset(
    set(SupervisionRecord.model_fields) | set(SupervisionRecord.model_computed_fields)
)
