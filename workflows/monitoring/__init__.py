"""Monitoring after registration (docs/domain.md section 5).

- `obligations`: what each category must file and by when, as a calendar.
- `rules`: the automatic checks on filed reports, as a table of plain functions.
- `findings`: a finding's statuses, who moves them, and what they block.
"""

from workflows.monitoring.findings import (
    FINDING_MOVES,
    FINDING_STATUSES,
    FindingMove,
    finding_move_refusal,
    finding_moves_from,
    suspension_may_be_lifted,
)
from workflows.monitoring.obligations import (
    CHANGE_KINDS,
    PERIOD_LABELS,
    REPORT_KINDS,
    DueRule,
    Obligation,
    ReportKind,
    event_obligation,
    kinds_for,
    obligations,
    overdue,
)
from workflows.monitoring.rules import (
    CRITICAL,
    INFO,
    RULES,
    RULES_BY_CODE,
    SEVERITIES,
    SEVERITY_LABELS,
    WARNING,
    CheckContext,
    FindingDraft,
    Rule,
    average_reserve,
    check_report,
    enrolment_from,
    missing_report_findings,
    quarterly_enrolment_date,
    reserve_figures,
    rules_for,
)

__all__ = [
    "CHANGE_KINDS",
    "CRITICAL",
    "FINDING_MOVES",
    "FINDING_STATUSES",
    "INFO",
    "PERIOD_LABELS",
    "REPORT_KINDS",
    "RULES",
    "RULES_BY_CODE",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "WARNING",
    "CheckContext",
    "DueRule",
    "FindingDraft",
    "FindingMove",
    "Obligation",
    "ReportKind",
    "Rule",
    "average_reserve",
    "check_report",
    "enrolment_from",
    "event_obligation",
    "finding_move_refusal",
    "finding_moves_from",
    "kinds_for",
    "missing_report_findings",
    "obligations",
    "overdue",
    "quarterly_enrolment_date",
    "reserve_figures",
    "rules_for",
    "suspension_may_be_lifted",
]
