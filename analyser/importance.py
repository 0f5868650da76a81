"""Which findings matter most to the child: one ranking of rule ids, read by every view that must choose.

A record with 39 findings cannot be fixed in one go, and a supervision cannot agree 39 actions. What
comes first is what most changes the child's plan: care actions nobody owns or that have no date,
missing sections, a record not written to the child; passive sentences and acronyms come last. The
ranking is by rule id (``dimension.code``), never by message text; a rule not listed here sits
between the listed high- and low-impact rules, ordered by its severity.
"""

from __future__ import annotations

from analyser.report import Finding

# Highest impact first.
RULE_ORDER: tuple[str, ...] = (
    "plan_detail.nearly_empty",
    "timebound_actions.no_actions",
    "timebound_actions.no_owner",
    "timebound_actions.no_deadline",
    "timebound_actions.school_date_unknown",  # "by half-term" with no date in the record: no usable date either
    "timebound_actions.vague_timescale",
    "plan_detail.missing_section",
    "plan_detail.thin_section",
    "child_directed_language.written_about_child",
    "child_directed_language.blaming_language",
    "plan_detail.filler",
    "timebound_actions.vague_verb",
    # caseqa could not read the record's type: said early so the user can give --doc-type
    "plan_detail.doc_type_unknown",
    # (rules not listed rank here)
    "child_directed_language.jargon",
    "readability.long_sentence",
    "readability.dense_acronyms",
    "readability.passive_voice",
    "child_directed_language.unexplained_acronym",
)
_UNLISTED = RULE_ORDER.index("child_directed_language.jargon") - 0.5
_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def rule_rank(rule: str) -> float:
    """The rule's place in :data:`RULE_ORDER` (lower matters more); unlisted rules share a middle place."""
    try:
        return float(RULE_ORDER.index(rule))
    except ValueError:
        return _UNLISTED


def importance(finding: Finding) -> tuple[float, int]:
    """Sort key, most important first: the rule's rank, then the severity."""
    return rule_rank(finding.rule), _SEVERITY.get(finding.severity, 3)
