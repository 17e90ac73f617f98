"""What a filed report says raises findings, through the operations and through HTTP:
custody, audit opinions, incidents, and the ISMS certificate's expiry on the monitoring
calendar (docs/domain.md section 5)."""

from datetime import date

import pytest
from sqlalchemy import select

from forms.report_samples import reserve_report
from service.extensions import db
from service.models import AuditEvent, Finding
from service.monitoring.reports import submit_report
from service.monitoring.run import run_monitoring
from tests.service.conftest import login, token
from tests.service.test_monitoring import BILLION, ON_TIME, SEPTEMBER, financials, registered


@pytest.fixture
def krw(ctx):
    return registered()


def rules_of(report_id):
    """The report's findings but timeliness: the API files on the real day, which may be
    past a test period's due date (report_filed_late has tests of its own)."""
    rules = select(Finding.rule).where(
        Finding.report_id == report_id, Finding.rule != "report_filed_late"
    )
    return sorted(db.session.execute(rules).scalars())


def post(client, cast, kind, report, language="en"):
    return client.post(
        f"/api/v1/registrations/{cast.number}/reports",
        json={"kind": kind, "report": report},
        headers={**token(client, cast.issuer), "Accept-Language": language},
    )


def segregation(*flags):
    body = reserve_report(SEPTEMBER, 10 * BILLION)
    body["custodians"] = [
        {"bank_name": f"Bank {n}", "segregated": flag} for n, flag in enumerate(flags, 1)
    ]
    return body


def test_a_custodian_not_segregated_is_a_critical_finding_through_the_operation(krw):
    """MiCA Art 36(2), Art 37; VAUPA Art 6 as the Korean model: every custodian segregated
    is no finding; one of two not segregated is one critical finding naming it."""
    at = submit_report(
        krw.number, krw.issuer, "reserve_report", segregation(True, True), today=ON_TIME
    )
    assert rules_of(at.id) == []
    short = submit_report(
        krw.number, krw.issuer, "reserve_report", segregation(True, False), today=ON_TIME
    )
    assert rules_of(short.id) == ["reserve_custodian_not_segregated"]
    finding = db.session.execute(select(Finding).where(Finding.report_id == short.id)).scalar_one()
    assert (finding.severity, finding.evidence["bank_name"]) == ("critical", "Bank 2")


def test_a_custodian_not_segregated_filed_through_the_api_is_a_finding(client, krw):
    """The same rule (MiCA Art 36(2)) where the issuer meets it: the API answers 201 and
    the finding is on the report; a custodian without the flag is refused whole (422)."""
    answer = post(client, krw, "reserve_report", segregation(False))
    assert answer.status_code == 201, answer.json
    assert rules_of(answer.json["id"]) == ["reserve_custodian_not_segregated"]
    body = segregation(True)
    del body["custodians"][0]["segregated"]
    refused = post(client, krw, "reserve_report", body, language="ko")
    assert refused.status_code == 422
    assert refused.json["errors"]["custodians"]["0"]["segregated"] == ["필수 입력 항목입니다."]


def reserve_audit(opinion):
    return {
        "period_start": "2026-01-15",
        "period_end": "2026-07-14",
        "audit_firm": "Samjong KPMG",
        "opinion": opinion,
        "report_date": "2026-08-10",
    }


def test_a_reserve_audit_qualified_passes_and_adverse_or_disclaimed_is_critical(client, krw):
    """MiCA Art 36(9): qualified (just below the line) is no finding; adverse (at it) and a
    disclaimer (above it) are critical, filed through the operation and the API alike."""
    on = date(2026, 8, 20)
    qualified = submit_report(
        krw.number, krw.issuer, "reserve_audit", reserve_audit("qualified"), today=on
    )
    assert rules_of(qualified.id) == []
    adverse = submit_report(
        krw.number, krw.issuer, "reserve_audit", reserve_audit("adverse"), today=on
    )
    assert rules_of(adverse.id) == ["reserve_audit_opinion_failed"]
    answer = post(client, krw, "reserve_audit", reserve_audit("disclaimer"))
    assert answer.status_code == 201, answer.json
    assert rules_of(answer.json["id"]) == ["reserve_audit_opinion_failed"]


def test_an_adverse_opinion_on_the_financial_statements_is_critical(client, krw):
    """Act on External Audit of Stock Companies; MiCA Art 35: qualified passes, adverse and
    a disclaimer are critical, whatever the own funds."""
    on = date(2027, 3, 2)
    qualified = submit_report(
        krw.number,
        krw.issuer,
        "audited_financials",
        {**financials(6 * BILLION), "opinion": "qualified"},
        today=on,
    )
    assert rules_of(qualified.id) == []
    answer = post(
        client, krw, "audited_financials", {**financials(6 * BILLION), "opinion": "adverse"}
    )
    assert answer.status_code == 201, answer.json
    assert rules_of(answer.json["id"]) == ["financial_statements_opinion_failed"]
    disclaimed = submit_report(
        krw.number,
        krw.issuer,
        "audited_financials",
        {**financials(6 * BILLION), "opinion": "disclaimer"},
        today=on,
    )
    assert rules_of(disclaimed.id) == ["financial_statements_opinion_failed"]


def incident(kind):
    return {
        "incident_kind": kind,
        "occurred_at": "2026-11-23T09:00:00+09:00",
        "description": "What happened and what was done.",
    }


@pytest.mark.parametrize(
    ("kind", "rule", "severity"),
    [
        ("hack", "incident_security_breach", "critical"),
        ("key_loss", "incident_security_breach", "critical"),
        ("outage", "incident_outage", "warning"),
        ("other", None, None),
    ],
)
def test_an_incident_report_through_the_api_raises_its_finding(client, krw, kind, rule, severity):
    """MiCA Art 30(3) (incident report), Art 34 (ICT risk): a hack or lost keys is
    critical, an outage a warning, any other incident no finding of these rules."""
    answer = post(client, krw, "incident_report", incident(kind), language="ko")
    assert answer.status_code == 201, answer.json
    found = (
        db.session.execute(select(Finding).where(Finding.report_id == answer.json["id"]))
        .scalars()
        .all()
    )
    found = [f for f in found if f.rule != "report_filed_late"]
    assert [(f.rule, f.severity) for f in found] == ([(rule, severity)] if rule else [])


# -- the ISMS certificate's expiry ------------------------------------------------------

# The sample application's certificate (issued 200 days before 15 January 2026) runs 36
# months: it expires on 28 June 2028.
EXPIRES = date(2028, 6, 28)


def isms_findings(cast):
    query = select(Finding).where(
        Finding.registration_id == cast.registration.id,
        Finding.rule == "isms_certificate_past_expiry",
    )
    return list(db.session.execute(query).scalars())


def test_the_monitoring_run_raises_an_expired_isms_certificate_the_day_after_expiry(krw):
    """Network Act Art 47; docs/domain.md section 3.9: the expiry day is still valid, the
    day after is a critical finding, raised once by the system however often it runs."""
    run_monitoring(today=EXPIRES)
    assert isms_findings(krw) == []
    run_monitoring(today=date(2028, 6, 29))
    (finding,) = isms_findings(krw)
    assert finding.severity == "critical"
    assert finding.evidence["isms_valid_until"] == "2028-06-28"
    assert finding.obligation_key == "isms_expiry:2028-06-28"
    run_monitoring(today=date(2028, 6, 30))
    assert len(isms_findings(krw)) == 1
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "isms_past_expiry")
    ).scalar_one()
    assert event.actor_label == "system"


def test_a_renewal_reported_in_a_change_report_moves_the_expiry(krw):
    """The latest ISMS change report's expiry replaces the application's (docs/domain.md
    section 5): a renewal filed before the expiry leaves nothing to raise after it."""
    renewal = {
        "change_kind": "isms",
        "effective_on": "2028-06-01",
        "description": "Certificate renewed.",
        "isms_certificate_number": "ISMS-P-KISA-2028-007",
        "isms_status": "renewed",
        "isms_valid_until": "2031-06-27",
    }
    submit_report(krw.number, krw.issuer, "change_report", renewal, today=date(2028, 6, 10))
    run_monitoring(today=date(2028, 6, 29))
    assert isms_findings(krw) == []


@pytest.mark.parametrize(
    ("language", "label", "status"),
    [("en", "ISMS certificate expires", "Valid"), ("ko", "ISMS 인증 만료", "유효")],
)
def test_the_registration_page_puts_the_isms_expiry_on_the_calendar(
    client, krw, language, label, status
):
    """The supervisor sees the application's certificate expiry among the reporting
    calendar's rows, in both languages."""
    client.set_cookie("lang", language)
    page = login(client, krw.supervisor).get(
        f"/monitoring/registrations/{krw.number}", headers={"Accept-Language": language}
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    row = html[html.index(label) :]
    row = row[: row.index("</tr>")]
    assert "2028-06-28" in row and status in row
