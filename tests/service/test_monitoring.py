"""Supervision after registration, through the service: reports filed, findings raised,
the monitoring run, supervisory action and renewal, over simulated months."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from forms.documents import required_documents
from forms.report_samples import cross_border_flows, redemption_statistics, reserve_report
from forms.sections.samples import sample_sections
from service.applications import operations
from service.audit import stored
from service.demo import demo_pdf
from service.documents.operations import add_document
from service.errors import Conflict, Forbidden, Invalid, NotFound
from service.extensions import db
from service.models import (
    Application,
    AuditEvent,
    Filing,
    Finding,
    OutboxMessage,
    Registration,
    Report,
)
from service.monitoring.findings import move_finding, quarterly_enrolment
from service.monitoring.letters import warning_letter
from service.monitoring.renewal import open_renewal
from service.monitoring.reports import current_report, obligation_of, submit_report
from service.monitoring.run import owed_until, run_monitoring
from tests.service.conftest import token
from tests.service.factories import Cast
from workflows.monitoring.rules import RULES_BY_CODE

REGISTERED_ON = date(2026, 1, 15)
SEPTEMBER = date(2026, 9, 1)
BILLION = 1_000_000_000


def registered(category="krw_stablecoin", on=REGISTERED_ON):
    """A cast whose case was registered on `on`, through the real transitions."""
    cast = Cast(category)
    application = operations.create_draft(cast.issuer, category)
    application.sections = sample_sections(category, on)
    db.session.commit()
    for document_type in required_documents(category):
        add_document(application, cast.issuer, document_type, f"{document_type}.pdf", demo_pdf("x"))
    cast.drive(application, "registered", today=on)
    registration = db.session.execute(
        select(Registration).where(Registration.application_id == application.id)
    ).scalar_one()
    cast.registration = registration
    cast.number = registration.number
    return cast


@pytest.fixture
def krw(ctx):
    return registered()


def file(cast, kind, body, on):
    return submit_report(cast.number, cast.issuer, kind, body, today=on)


def rules_of(report):
    return sorted(
        db.session.execute(select(Finding.rule).where(Finding.report_id == report.id)).scalars()
    )


def findings_of(cast, **where):
    query = select(Finding).where(Finding.registration_id == cast.registration.id)
    for name, value in where.items():
        query = query.where(getattr(Finding, name) == value)
    return list(db.session.execute(query.order_by(Finding.id)).scalars())


# -- each rule at its threshold, through a filed report ------------------------

ON_TIME = date(2026, 10, 16)  # September's reports fall due on 16 October 2026


def test_reserve_coverage_of_exactly_100_percent_is_no_finding(krw):
    report = file(krw, "reserve_report", reserve_report(SEPTEMBER, 10 * BILLION), ON_TIME)
    assert rules_of(report) == []
    assert report.late is False


def test_reserve_coverage_one_won_short_of_100_percent_is_a_critical_finding(krw):
    body = reserve_report(
        SEPTEMBER,
        10 * BILLION,
        deposits={"A Bank": 2_500_000_000, "B Bank": 2_500_000_000},
        bonds=5 * BILLION - 1,
    )
    report = file(krw, "reserve_report", body, ON_TIME)
    assert rules_of(report) == ["reserve_coverage_below_minimum"]
    (finding,) = findings_of(krw)
    assert (finding.severity, finding.status, finding.owner_id) == ("critical", "open", None)
    assert finding.evidence["eligible_reserve_krw"] == "9999999999"


def test_bank_deposits_at_30_percent_pass_and_just_below_are_a_finding(krw):
    at = reserve_report(
        SEPTEMBER,
        10 * BILLION,
        deposits={"A Bank": 1_500_000_000, "B Bank": 1_500_000_000},
        bonds=7 * BILLION,
    )
    assert rules_of(file(krw, "reserve_report", at, ON_TIME)) == []
    below = reserve_report(
        SEPTEMBER,
        10 * BILLION,
        deposits={"A Bank": 1_500_000_000, "B Bank": 1_499_999_999},
        bonds=7 * BILLION + 1,
    )
    assert rules_of(file(krw, "reserve_report", below, ON_TIME)) == [
        "reserve_bank_deposits_below_minimum"
    ]


def test_half_the_reserve_at_one_bank_passes_and_one_won_more_is_a_finding(krw):
    at = reserve_report(
        SEPTEMBER, 10 * BILLION, deposits={"A Bank": 5 * BILLION}, bonds=5 * BILLION
    )
    assert rules_of(file(krw, "reserve_report", at, ON_TIME)) == []
    over = reserve_report(
        SEPTEMBER, 10 * BILLION, deposits={"A Bank": 5 * BILLION + 1}, bonds=5 * BILLION - 1
    )
    assert rules_of(file(krw, "reserve_report", over, ON_TIME)) == [
        "reserve_single_bank_concentration"
    ]


def test_a_bond_maturing_in_93_days_counts_and_one_in_94_days_is_a_finding(krw):
    at = reserve_report(SEPTEMBER, 10 * BILLION, bond_days=93)
    assert rules_of(file(krw, "reserve_report", at, ON_TIME)) == []
    over = reserve_report(SEPTEMBER, 10 * BILLION, bond_days=94)
    # The long bond no longer counts, so the reserve falls short too.
    assert rules_of(file(krw, "reserve_report", over, ON_TIME)) == [
        "reserve_coverage_below_minimum",
        "reserve_maturity_too_long",
    ]


def test_a_net_outflow_of_10_percent_passes_and_one_won_more_is_flagged_for_the_bok(krw):
    at = cross_border_flows(SEPTEMBER, 10 * BILLION, {"US": (0, BILLION)})
    assert rules_of(file(krw, "cross_border_flows", at, ON_TIME)) == []
    over = cross_border_flows(SEPTEMBER, 10 * BILLION, {"US": (0, BILLION + 1)})
    report = file(krw, "cross_border_flows", over, ON_TIME)
    assert rules_of(report) == ["cross_border_net_outflow"]
    assert findings_of(krw)[0].flag_central_bank is True


def test_redemption_in_five_business_days_passes_and_six_is_a_finding(krw):
    ok = redemption_statistics(SEPTEMBER, 40, late=0, longest=5)
    assert rules_of(file(krw, "redemption_statistics", ok, ON_TIME)) == []
    late = redemption_statistics(SEPTEMBER, 40, late=1, longest=6)
    assert rules_of(file(krw, "redemption_statistics", late, ON_TIME)) == ["redemption_paid_late"]


def financials(own_funds, outstanding=10 * BILLION, year=2026):
    report = {
        "financial_year_start": f"{year}-01-01",
        "financial_year_end": f"{year}-12-31",
        "own_funds_krw": str(own_funds),
        "auditor": "Samil PwC",
        "opinion": "unqualified",
    }
    if outstanding is not None:
        report["outstanding_issuance_krw"] = str(outstanding)
    return report


def test_own_funds_at_the_minimum_pass_and_one_won_less_is_critical(krw):

    on = date(2027, 3, 2)
    assert rules_of(file(krw, "audited_financials", financials(5 * BILLION), on)) == []
    report = file(krw, "audited_financials", financials(5 * BILLION - 1), on)
    assert rules_of(report) == ["own_funds_below_minimum"]


def test_a_report_filed_the_day_after_its_due_date_is_late_and_a_finding(krw):
    on_due = file(krw, "redemption_statistics", redemption_statistics(SEPTEMBER, 4), ON_TIME)
    assert (on_due.late, rules_of(on_due)) == (False, [])
    october = date(2026, 10, 1)  # due 13 November 2026
    late = file(krw, "redemption_statistics", redemption_statistics(october, 4), date(2026, 11, 14))
    assert late.late is True
    assert rules_of(late) == ["report_filed_late"]
    assert late.filing.kind == "report:redemption_statistics"
    assert json.loads(late.filing.content_json)["content"]["late"] is True


def test_a_resubmission_supersedes_the_report_and_keeps_the_first_one(krw):
    short = reserve_report(SEPTEMBER, 10 * BILLION, bonds=BILLION, deposits={"A": BILLION})
    first = file(krw, "reserve_report", short, ON_TIME)
    fixed = file(krw, "reserve_report", reserve_report(SEPTEMBER, 10 * BILLION), date(2026, 10, 20))
    assert fixed.supersedes_id == first.id and fixed.resubmission
    assert fixed.late is False  # the obligation was met on time; this amends it
    assert rules_of(fixed) == []
    assert db.session.get(Report, first.id).body["outstanding_issuance_krw"] == "10000000000"
    content = json.loads(fixed.filing.content_json)["content"]
    assert content["supersedes"] == first.filing.accession_number
    assert (
        current_report(
            krw.registration.id,
            obligation_of(
                "reserve_report",
                {"period_start": SEPTEMBER, "period_end": date(2026, 9, 30)},
                "krw",
            ),
        ).id
        == fixed.id
    )


def test_a_report_with_invalid_fields_is_refused_and_nothing_is_filed(krw):
    body = reserve_report(SEPTEMBER, 10 * BILLION)
    body["outstanding_issuance_krw"] = "-1"
    before = db.session.scalar(select(func.count()).select_from(Filing))
    with pytest.raises(Invalid) as caught:
        file(krw, "reserve_report", body, ON_TIME)
    assert "outstanding_issuance_krw" in caught.value.errors
    assert db.session.scalar(select(func.count()).select_from(Filing)) == before


def test_only_the_issuer_of_the_registration_files_its_reports(krw):
    other = Cast("krw_stablecoin")
    body = reserve_report(SEPTEMBER, 10 * BILLION)
    with pytest.raises(NotFound):
        submit_report(krw.number, other.issuer, "reserve_report", body, today=ON_TIME)
    with pytest.raises(Forbidden):
        submit_report(krw.number, krw.supervisor, "reserve_report", body, today=ON_TIME)
    with pytest.raises(Invalid):
        submit_report(krw.number, krw.issuer, "quarterly_report", {}, today=ON_TIME)


# -- twelve months: the calendar and the monitoring run -------------------------


def file_month(cast, month_start, on, outstanding=10 * BILLION):
    file(cast, "reserve_report", reserve_report(month_start, outstanding), on)
    file(cast, "cross_border_flows", cross_border_flows(month_start, outstanding, {}), on)
    file(cast, "redemption_statistics", redemption_statistics(month_start, 3), on)


def missing(cast):
    return sorted(f.obligation_key for f in findings_of(cast, rule="report_missing"))


def test_twelve_months_of_reports_on_their_due_dates_leave_nothing_overdue(krw):
    # Each month's reports on the due date worked out by hand across 2026's holidays.
    due = {
        1: date(2026, 2, 13),
        2: date(2026, 3, 16),
        3: date(2026, 4, 14),
        4: date(2026, 5, 18),
        5: date(2026, 6, 15),
        6: date(2026, 7, 14),
        7: date(2026, 8, 14),
        8: date(2026, 9, 14),
        9: date(2026, 10, 16),
        10: date(2026, 11, 13),
        11: date(2026, 12, 14),
        12: date(2027, 1, 15),
    }
    for month, on in due.items():
        # January's reports cover 15-31 January, from the registration day.
        file_month(krw, max(date(2026, month, 1), REGISTERED_ON), on)
        run_monitoring(today=on)
    # The reserve audit for 15 January - 14 July was due on 25 August and never filed.
    assert missing(krw) == ["reserve_audit:2026-01-15"]
    reports = db.session.scalar(
        select(func.count()).select_from(Report).where(Report.late.is_(True))
    )
    assert reports == 0


def test_an_unfiled_report_is_overdue_the_day_after_its_due_date_across_chuseok(krw):
    for month in range(1, 9):
        file_month(krw, max(date(2026, month, 1), REGISTERED_ON), date(2026, month + 1, 10))
    # September's reports are due 16 October: past Chuseok, the 5 October substitute
    # holiday and Hangul Day (9 October).
    assert run_monitoring(today=date(2026, 10, 16)).findings == [
        f"{krw.number} report_missing reserve_audit:2026-01-15"
    ]
    result = run_monitoring(today=date(2026, 10, 19))
    assert sorted(result.findings) == [
        f"{krw.number} report_missing {kind}:2026-09-01"
        for kind in ("cross_border_flows", "redemption_statistics", "reserve_report")
    ]
    finding = findings_of(krw, obligation_key="reserve_report:2026-09-01")[0]
    assert finding.evidence["due_on"] == "2026-10-16"
    assert finding.severity == "warning"


def test_february_reports_are_due_after_the_march_first_substitute_holiday(krw):
    file_month(krw, REGISTERED_ON, date(2026, 2, 13))
    assert run_monitoring(today=date(2026, 3, 16)).findings == []
    assert len(run_monitoring(today=date(2026, 3, 17)).findings) == 3


def test_the_monitoring_run_twice_creates_nothing_new_and_acts_as_the_system(krw):
    first = run_monitoring(today=date(2026, 4, 1))
    assert len(first.findings) == 6  # January and February, three reports each
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert run_monitoring(today=date(2026, 4, 1)).findings == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    event = (
        db.session.execute(select(AuditEvent).where(AuditEvent.action == "reports_overdue"))
        .scalars()
        .first()
    )
    assert (event.actor_id, event.actor_label) == (None, "system")


def test_a_registration_lapses_when_its_validity_ends_unrenewed(ctx):
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    assert cast.registration.valid_until == date(2026, 10, 31)
    assert run_monitoring(today=date(2026, 10, 31)).lapsed == []
    result = run_monitoring(today=date(2026, 11, 2))
    assert result.lapsed == [cast.number]
    db.session.refresh(cast.registration)
    assert cast.registration.status == "lapsed"
    assert run_monitoring(today=date(2026, 11, 3)).lapsed == []


def test_a_suspended_registration_lapses_when_its_validity_ends_unrenewed(ctx, client):
    """docs/domain.md section 4, validity (3 years, then it lapses without renewal; the VASP
    report model): a suspension stops the business, not the clock, so the system's run
    lapses a suspended registration the first day after its last valid day, not before."""
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    app_id = cast.registration.application_id
    cast.hear(app_id, "suspend", cast.supervisor, today=date(2026, 9, 1))
    operations.transition(
        app_id, "suspend", cast.supervisor, {"reason": "Reserve short."}, today=date(2026, 9, 1)
    )
    assert run_monitoring(today=date(2026, 10, 31)).lapsed == []
    assert client.get(f"/api/v1/register/{cast.number}").get_json()["status"] == "suspended"
    assert run_monitoring(today=date(2026, 11, 1)).lapsed == [cast.number]
    entry = client.get(f"/api/v1/register/{cast.number}").get_json()
    assert (entry["status"], entry["status_since"]) == ("lapsed", "2026-11-01")
    assert [change["status"] for change in entry["history"]] == [
        "registered",
        "suspended",
        "lapsed",
    ]
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "lapse")).scalar_one()
    assert (event.actor_label, event.from_state, event.to_state) == (
        "system",
        "suspended",
        "lapsed",
    )


# -- supervisory action ----------------------------------------------------------


def short_reserve(cast):
    body = reserve_report(SEPTEMBER, 10 * BILLION, deposits={"A": 3 * BILLION}, bonds=6 * BILLION)
    return file(cast, "reserve_report", body, ON_TIME)


def test_a_suspension_is_lifted_only_once_every_finding_is_closed(krw):
    short_reserve(krw)
    (critical,) = findings_of(krw, severity="critical")
    app_id = krw.registration.application_id
    krw.hear(app_id, "suspend", krw.supervisor, today=ON_TIME)
    operations.transition(
        app_id, "suspend", krw.supervisor, {"reason": "Reserve short."}, today=ON_TIME
    )
    with pytest.raises(Conflict) as caught:
        operations.transition(
            app_id, "reinstate", krw.approver, {"reason": "Fixed."}, today=ON_TIME
        )
    assert caught.value.code == "findings_open"
    assert "reserve_coverage_below_minimum" in caught.value.message
    move_finding(critical.id, "acknowledge", krw.supervisor, today=ON_TIME)
    move_finding(critical.id, "request_remedy", krw.supervisor, "Top up.", today=ON_TIME)
    with pytest.raises(Conflict):
        operations.transition(
            app_id, "reinstate", krw.approver, {"reason": "Fixed."}, today=ON_TIME
        )
    move_finding(critical.id, "close", krw.supervisor, "Topped up.", today=ON_TIME)
    operations.transition(app_id, "reinstate", krw.approver, {"reason": "Fixed."}, today=ON_TIME)
    db.session.refresh(krw.registration)
    assert krw.registration.status == "registered"


def test_each_finding_move_is_an_audit_event_and_a_remedy_request_a_filing(krw):
    short_reserve(krw)
    finding = findings_of(krw)[0]
    move_finding(finding.id, "acknowledge", krw.supervisor, today=ON_TIME)
    assert finding.owner_id == krw.supervisor.id and finding.status == "open"
    move_finding(finding.id, "request_remedy", krw.supervisor, "Fix it.", today=ON_TIME)
    actions = list(
        db.session.execute(
            select(AuditEvent.action).where(AuditEvent.action.like("finding_%"))
        ).scalars()
    )
    assert actions == ["finding_acknowledge", "finding_request_remedy"]
    assert (
        db.session.scalar(
            select(func.count()).select_from(Filing).where(Filing.kind == "remedy_request")
        )
        == 1
    )


def test_an_escalated_finding_is_closed_by_an_approver_not_a_supervisor(krw):
    short_reserve(krw)
    finding = findings_of(krw)[0]
    move_finding(finding.id, "escalate", krw.supervisor, today=ON_TIME)
    with pytest.raises(Conflict):
        move_finding(finding.id, "close", krw.supervisor, today=ON_TIME)
    with pytest.raises(Forbidden):
        move_finding(finding.id, "resolve", krw.supervisor, today=ON_TIME)
    move_finding(finding.id, "resolve", krw.approver, "Settled.", today=ON_TIME)
    assert finding.status == "closed"


def test_the_issuer_cannot_move_a_finding(krw):
    short_reserve(krw)
    with pytest.raises(NotFound):
        move_finding(findings_of(krw)[0].id, "close", krw.issuer, today=ON_TIME)


def test_a_warning_letter_is_a_filing_and_an_audit_event_without_a_state_change(krw):
    short_reserve(krw)
    finding = findings_of(krw)[0]
    filing = warning_letter(
        krw.number, krw.supervisor, "Restore the reserve.", [finding.id], today=ON_TIME
    )
    assert filing.kind == "warning_letter"
    assert json.loads(filing.content_json)["content"]["findings"][0]["id"] == finding.id
    db.session.refresh(krw.registration)
    assert krw.registration.status == "registered"
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "warning_letter")
    ).scalar_one()
    assert event.to_state is None and event.detail["filing"] == filing.accession_number
    with pytest.raises(Forbidden):
        warning_letter(krw.number, krw.reviewer, "No.", today=ON_TIME)


def test_suspension_and_revocation_are_filings_of_the_lifecycle(krw):
    app_id = krw.registration.application_id
    krw.hear(app_id, "suspend", krw.supervisor, today=ON_TIME)
    operations.transition(app_id, "suspend", krw.supervisor, {"reason": "Short."}, today=ON_TIME)
    krw.hear(app_id, "revoke", today=ON_TIME)
    operations.transition(
        app_id,
        "revoke",
        krw.approver,
        {"grounds": ["serious_infringement"], "reasons": "Repeated."},
        today=ON_TIME,
    )
    kinds = set(
        db.session.execute(select(Filing.kind).where(Filing.application_id == app_id)).scalars()
    )
    assert {"suspension_notice", "revocation_decision"} <= kinds


# -- renewal ----------------------------------------------------------------------


def test_renewal_opens_six_months_before_expiry_from_the_last_application_filing(ctx):
    cast = registered("tokenized_deposit", on=date(2024, 1, 10))
    registration = cast.registration
    assert registration.valid_until == date(2027, 1, 9)
    with pytest.raises(Conflict) as caught:
        open_renewal(cast.number, cast.issuer, today=date(2026, 7, 8))
    assert caught.value.code == "renewal_window"
    renewal = open_renewal(cast.number, cast.issuer, today=date(2026, 7, 9))
    assert (renewal.state, renewal.category, renewal.renews_registration_id) == (
        "draft",
        "tokenized_deposit",
        registration.id,
    )
    original = db.session.get(Application, registration.application_id)
    assert renewal.sections == original.sections
    with pytest.raises(Conflict):
        open_renewal(cast.number, cast.issuer, today=date(2026, 7, 10))


def test_a_renewal_under_review_keeps_the_registration_from_lapsing(ctx):
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    renewal = open_renewal(cast.number, cast.issuer, today=date(2026, 6, 1))
    # The issuer brings the copied draft up to date and attaches this year's documents.
    renewal.sections = sample_sections("tokenized_deposit", date(2026, 6, 1))
    db.session.commit()
    for document_type in required_documents("tokenized_deposit"):
        add_document(renewal, cast.issuer, document_type, f"{document_type}.pdf", demo_pdf("x"))
    operations.transition(renewal.id, "submit", cast.issuer, {}, today=date(2026, 6, 1))
    assert run_monitoring(today=date(2026, 11, 2)).lapsed == []
    operations.transition(
        renewal.id, "withdraw", cast.issuer, {"reason": "No."}, today=date(2026, 11, 2)
    )
    assert run_monitoring(today=date(2026, 11, 3)).lapsed == [cast.number]


# -- the demo's year of reports ---------------------------------------------------


def test_the_demo_files_a_year_of_monthly_reports_whose_rules_fire_as_designed(ctx):
    from service.demo import load

    today = date(2026, 11, 24)
    assert load(today=today)
    registration = db.session.execute(
        select(Registration).where(Registration.category == "krw_stablecoin")
    ).scalar_one()
    assert registration.registered_on == date(2025, 10, 24)
    reports = list(
        db.session.execute(
            select(Report).where(Report.registration_id == registration.id)
        ).scalars()
    )
    assert len(reports) == 36 and sum(r.late for r in reports) == 3
    assert {r.period_start for r in reports} == {
        date(2025, 10, 24) if m == 0 else date(2025 + (9 + m) // 12, (9 + m) % 12 + 1, 1)
        for m in range(12)
    }
    found = {
        f.rule
        for f in db.session.execute(
            select(Finding).where(Finding.registration_id == registration.id)
        ).scalars()
    }
    assert {
        "reserve_coverage_below_minimum",
        "cross_border_net_outflow",
        "report_filed_late",
        "quarterly_reporting_enrolled",
        "report_missing",
    } <= found
    # The demo ends with the monitoring run; running it again that day adds nothing.
    assert run_monitoring(today=today).findings == []


def renewal_of(cast, day):
    """A renewal opened on `day`, brought up to date and submitted with this year's documents."""
    renewal = open_renewal(cast.number, cast.issuer, today=day)
    renewal.sections = sample_sections(cast.registration.category, day)
    db.session.commit()
    for document_type in required_documents(cast.registration.category):
        add_document(renewal, cast.issuer, document_type, f"{document_type}.pdf", demo_pdf("x"))
    return renewal


@pytest.mark.parametrize(
    "approved_on",
    [
        date(2026, 4, 30),  # the first day of the window, six months before the end
        date(2026, 10, 31),  # the last valid day
        date(2026, 11, 4),  # after the end: the renewal under review kept it alive
    ],
)
def test_an_approved_renewal_keeps_the_number_and_runs_on_from_the_old_end_date(
    ctx, client, approved_on
):
    """docs/domain.md section 4, validity (3 years; renewal opens 6 months before the end; the
    VASP report model): the renewal extends the same registration by 3 years counted from
    its old end date, whatever the day of approval, so one row stays on the register."""
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    assert cast.registration.valid_until == date(2026, 10, 31)
    renewal = renewal_of(cast, date(2026, 4, 30))
    cast.drive(renewal, "registered", today=approved_on)

    rows = db.session.execute(select(Registration)).scalars().all()
    assert [(r.number, r.valid_until, r.status) for r in rows] == [
        (cast.number, date(2029, 10, 31), "registered")
    ]
    assert rows[0].registered_on == date(2023, 11, 1)
    assert run_monitoring(today=date(2026, 11, 5)).lapsed == []

    # The registration's own case records the renewal, carrying the row as it left it.
    renew = db.session.execute(select(AuditEvent).where(AuditEvent.action == "renew")).scalar_one()
    assert renew.application_id == cast.registration.application_id
    assert renew.detail["valid_until_before"] == "2026-10-31"
    assert renew.detail["registration"]["valid_until"] == "2029-10-31"
    approval = db.session.execute(
        select(AuditEvent).where(
            AuditEvent.action == "approve", AuditEvent.application_id == renewal.id
        )
    ).scalar_one()
    assert approval.detail["renews"] == cast.number
    decision = db.session.get(Filing, _filing_id(approval.detail["filing"]))
    content = json.loads(decision.content_json)["content"]
    assert (content["registration_number"], content["valid_until"], content["renews"]) == (
        cast.number,
        "2029-10-31",
        cast.number,
    )
    assert list(stored.mismatches(db.session)) == []

    # The public register: one row, the new end date, the renewal dated in its history.
    entries = client.get("/api/v1/register").get_json()["items"]
    assert [(e["registration_number"], e["valid_until"]) for e in entries] == [
        (cast.number, "2029-10-31")
    ]
    history = client.get(f"/api/v1/register/{cast.number}").get_json()["history"]
    # Each change is dated by the day the chain recorded it (the test's real day).
    assert [change["status"] for change in history] == ["registered", "renewed"]
    assert all(change["on"] for change in history)
    certificate = client.get(f"/register/{cast.number}/documents/certificate.json").get_json()
    assert certificate["content"]["valid_until"] == "2029-10-31"
    page = client.get(f"/register/{cast.number}").get_data(as_text=True)
    assert "갱신" in page.split("status-history")[1] and "2029-10-31" in page


def _filing_id(accession):
    return db.session.execute(
        select(Filing.id).where(Filing.accession_number == accession)
    ).scalar_one()


def test_an_approved_renewal_takes_no_later_step_of_its_own(ctx):
    """The registration it extended runs on under its own case: a suspension asked of the
    renewal's case is refused, and the registration's own case suspends it."""
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    renewal = renewal_of(cast, date(2026, 6, 1))
    cast.drive(renewal, "registered", today=date(2026, 6, 1))
    with pytest.raises(Conflict) as refused:
        operations.transition(
            renewal.id, "suspend", cast.supervisor, {"reason": "Short."}, today=date(2026, 6, 2)
        )
    assert refused.value.code == "renewal"
    cast.hear(cast.registration.application_id, "suspend", cast.supervisor, today=date(2026, 6, 2))
    operations.transition(
        cast.registration.application_id,
        "suspend",
        cast.supervisor,
        {"reason": "Short."},
        today=date(2026, 6, 2),
    )
    db.session.refresh(cast.registration)
    assert (cast.registration.status, cast.registration.valid_until) == (
        "suspended",
        date(2029, 10, 31),
    )
    assert list(stored.mismatches(db.session)) == []


def test_a_renewal_of_a_registration_revoked_meanwhile_is_not_approved(ctx):
    """Only a registration in force is renewed: the approval is refused and nothing is written."""
    cast = registered("tokenized_deposit", on=date(2023, 11, 1))
    renewal = renewal_of(cast, date(2026, 6, 1))
    cast.drive(renewal, "recommended", today=date(2026, 6, 1))
    cast.hear(cast.registration.application_id, "revoke", today=date(2026, 6, 2))
    operations.transition(
        cast.registration.application_id,
        "revoke",
        cast.approver,
        {"grounds": ["serious_infringement"], "reasons": "Repeated."},
        today=date(2026, 6, 2),
    )
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(Conflict) as refused:
        operations.transition(renewal.id, "approve", cast.approver, {}, today=date(2026, 6, 3))
    assert refused.value.code == "state"
    db.session.refresh(renewal)
    db.session.refresh(cast.registration)
    assert (renewal.state, cast.registration.valid_until) == ("recommended", date(2026, 10, 31))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


# -- the remaining rules, through filed reports -------------------------------------


def test_outstanding_of_100bn_does_not_enrol_and_one_won_more_enrols_in_quarterly_reports(krw):
    at = reserve_report(date(2026, 5, 1), 100 * BILLION)
    assert rules_of(file(krw, "reserve_report", at, date(2026, 6, 15))) == []
    assert quarterly_enrolment(krw.registration.id) is None
    over = reserve_report(date(2026, 6, 1), 100 * BILLION + 1)
    assert rules_of(file(krw, "reserve_report", over, date(2026, 7, 14))) == [
        "quarterly_reporting_enrolled"
    ]
    assert quarterly_enrolment(krw.registration.id) == date(2026, 6, 30)
    # The quarter containing 30 June is owed from then on, due 42 days after it ends.
    owed = [
        o for o in owed_until(krw.registration, date(2026, 9, 30)) if o.kind == "quarterly_report"
    ]
    assert [(o.period_start, o.due_on) for o in owed] == [
        (date(2026, 4, 1), date(2026, 8, 11)),
        (date(2026, 7, 1), date(2026, 11, 11)),
    ]
    # Enrolment is recorded once.
    again = reserve_report(date(2026, 7, 1), 120 * BILLION)
    assert rules_of(file(krw, "reserve_report", again, date(2026, 8, 14))) == []


def test_a_depeg_to_0_99_won_is_no_finding_and_below_it_for_a_day_is(krw):
    """docs/domain.md section 5: below 0.99 KRW for 24 hours (regime profile)."""

    def incident(price, hours="24"):
        return {
            "incident_kind": "depeg",
            "occurred_at": "2026-09-23T14:00:00+09:00",
            "description": "Price fell on a foreign exchange.",
            "lowest_price_krw": price,
            "hours_below_floor": hours,
        }

    # Reported the next business day after Chuseok: on time.
    at = file(krw, "incident_report", incident("0.99"), date(2026, 9, 28))
    assert (rules_of(at), at.due_on, at.late) == ([], date(2026, 9, 28), False)
    below = file(krw, "incident_report", incident("0.9899"), date(2026, 9, 28))
    assert rules_of(below) == ["depeg_below_floor"]
    brief = file(krw, "incident_report", incident("0.9", hours="23.5"), date(2026, 9, 28))
    assert rules_of(brief) == []


def test_an_isms_certificate_valid_on_the_change_day_passes_and_an_expired_one_is_critical(krw):
    def change(valid_until, status="valid"):
        return {
            "change_kind": "isms",
            "effective_on": "2026-11-01",
            "description": "Certificate status.",
            "isms_certificate_number": "ISMS-KISA-2023-101",
            "isms_status": status,
            "isms_valid_until": valid_until,
        }

    on = date(2026, 11, 20)
    assert rules_of(file(krw, "change_report", change("2026-11-01"), on)) == []
    report = file(krw, "change_report", change("2026-10-31"), on)
    assert rules_of(report) == ["isms_expired"]
    assert report.change == "isms" and report.due_on == date(2026, 12, 1)
    assert findings_of(krw, rule="isms_expired")[0].severity == "critical"


def test_a_corporate_bond_in_the_reserve_is_an_ineligible_asset(krw):
    body = reserve_report(SEPTEMBER, 10 * BILLION)
    body["reserve_assets"].append(
        {
            "asset_type": "corporate_bond",
            "custodian_bank": "Korea Securities Depository",
            "market_value_krw": "1",
            "maturity_date": "2026-10-30",
            "instrument_issuer": "Some Corp",
        }
    )
    assert rules_of(file(krw, "reserve_report", body, ON_TIME)) == ["reserve_asset_ineligible"]


def test_a_remedy_request_cites_its_rule_in_korean_and_in_english(krw):
    """Korean first, with no English fragment in the Korean part (issue 20, item 6)."""
    short_reserve(krw)
    finding = findings_of(krw)[0]
    move_finding(finding.id, "request_remedy", krw.supervisor, "Top up.", today=ON_TIME)
    message = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.event == "remedy_request")
    ).scalar_one()
    source = RULES_BY_CODE[finding.rule].source
    korean, english = message.body.index("근거: "), message.body.index("Rule: ")
    assert f"근거: {source.ko}" in message.body and korean < english
    assert f"Rule: {source.en}" in message.body
    assert "FSC plan" not in source.ko and "docs/" not in message.body


def test_a_change_report_leaving_banks_at_30_percent_raises_a_critical_finding(client, krw):
    """Through the API, as an issuer's system files it (issue 18, item 7)."""
    body = {
        "change_kind": "major_shareholder",
        "effective_on": "2026-11-01",
        "description": "Two banks sold their stakes to a payments company.",
        "holding_percentage_after": "35",
        "bank_shareholding_total_after_pct": "30",
    }
    auth = token(client, krw.issuer)
    url = f"/api/v1/registrations/{krw.number}/reports"
    missing = {k: v for k, v in body.items() if k != "bank_shareholding_total_after_pct"}
    refused = client.post(url, json={"kind": "change_report", "report": missing}, headers=auth)
    assert refused.status_code == 422, refused.json
    filed = client.post(url, json={"kind": "change_report", "report": body}, headers=auth)
    assert filed.status_code == 201, filed.json
    finding = findings_of(krw, rule="bank_majority_lost")[0]
    assert finding.severity == "critical"
    assert finding.evidence["bank_shareholding_total_after_pct"] == "30"
