"""A registration's issuance cap and the restriction of new issuance short of suspension,
through the operations and through HTTP (docs/domain.md section 5)."""

import json

import pytest
from sqlalchemy import select

from forms.report_samples import reserve_report
from service.applications import operations
from service.errors import Conflict, Forbidden, Invalid
from service.extensions import db
from service.models import AuditEvent, Filing, Finding, Registration
from service.monitoring.issuance import (
    lift_issuance_restriction,
    restrict_issuance,
    set_issuance_cap,
)
from service.monitoring.reports import submit_report
from tests.service.conftest import login, token
from tests.service.factories import Cast, draft
from tests.service.test_monitoring import BILLION, ON_TIME, SEPTEMBER, registered

CAP = 10 * BILLION


@pytest.fixture
def krw(ctx):
    return registered()


def rules_of(report):
    query = select(Finding.rule).where(Finding.report_id == report.id)
    return sorted(db.session.execute(query).scalars())


@pytest.mark.parametrize(
    ("outstanding", "found"),
    [(CAP - 1, False), (CAP, False), (CAP + 1, True)],
)
def test_a_reserve_report_above_the_cap_is_a_critical_finding(krw, outstanding, found):
    """A condition of registration (docs/domain.md section 5), MiCA Art 23(1) as the model
    (stop issuing past a limit): one won below the cap and the cap itself are within it,
    one won above is a critical finding."""
    set_issuance_cap(krw.number, krw.supervisor, CAP, "Reserve capacity of the custodians.")
    body = reserve_report(SEPTEMBER, outstanding)
    report = submit_report(krw.number, krw.issuer, "reserve_report", body, today=ON_TIME)
    assert rules_of(report) == (["outstanding_above_issuance_cap"] if found else [])
    if found:
        finding = db.session.execute(
            select(Finding).where(Finding.report_id == report.id)
        ).scalar_one()
        assert finding.severity == "critical"
        assert finding.evidence["excess_krw"] == "1"


def test_without_a_cap_no_figure_raises_the_finding(krw):
    body = reserve_report(SEPTEMBER, 90 * BILLION)
    report = submit_report(krw.number, krw.issuer, "reserve_report", body, today=ON_TIME)
    assert rules_of(report) == []


def test_the_cap_and_the_restriction_are_audited_and_leave_the_registration_in_force(krw):
    """Short of suspension: the status stays registered, redemptions go on; each change is
    an audit event naming the supervisor's reason."""
    set_issuance_cap(krw.number, krw.supervisor, "20,000,000,000", "First cap.")
    set_issuance_cap(krw.number, krw.supervisor, "", "Cap removed.")
    registration = restrict_issuance(krw.number, krw.supervisor, "Reserve audit disclaimed.")
    assert registration.status == "registered"
    assert registration.issuance_cap_krw is None
    assert registration.issuance_restriction_reason == "Reserve audit disclaimed."
    with pytest.raises(Conflict):
        restrict_issuance(krw.number, krw.supervisor, "Again.")
    lifted = lift_issuance_restriction(krw.number, krw.supervisor, "Audit cleared.")
    assert lifted.issuance_restricted_since is None
    with pytest.raises(Conflict):
        lift_issuance_restriction(krw.number, krw.supervisor, "Nothing to lift.")
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.detail)
        .where(AuditEvent.action.like("issuance_%"))
        .order_by(AuditEvent.seq)
    ).all()
    assert [action for action, _detail in events] == [
        "issuance_cap_set",
        "issuance_cap_set",
        "issuance_restricted",
        "issuance_restriction_lifted",
    ]
    assert events[0].detail["cap_krw"] == "20000000000"
    assert events[1].detail["cap_before_krw"] == "20000000000"


def test_only_a_supervisor_sets_the_cap_and_bad_figures_are_refused_whole(krw):
    with pytest.raises(Forbidden):
        set_issuance_cap(krw.number, krw.issuer, CAP, "Mine.")
    with pytest.raises(Forbidden):
        restrict_issuance(krw.number, krw.approver, "Not mine.")
    for bad in ("ten", "1.5", "0", "-5", "1e30"):
        with pytest.raises(Invalid):
            set_issuance_cap(krw.number, krw.supervisor, bad, "Typo.")
    with pytest.raises(Invalid):
        set_issuance_cap(krw.number, krw.supervisor, CAP, "  ")
    db.session.refresh(krw.registration)
    assert krw.registration.issuance_cap_krw is None


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_supervisor_caps_and_restricts_over_http_and_the_register_shows_it(client, krw, language):
    """The supervision page's form, then the public register's page and JSON."""
    client.set_cookie("lang", language)
    login(client, krw.supervisor)
    url = f"/monitoring/registrations/{krw.number}/issuance"
    answer = client.post(url, data={"action": "cap", "cap_krw": "10000000000", "reason": "Cap."})
    assert answer.status_code == 302
    answer = client.post(url, data={"action": "restrict", "reason": "Audit disclaimed."})
    assert answer.status_code == 302
    page = client.get(f"/monitoring/registrations/{krw.number}").get_data(as_text=True)
    assert "₩10,000,000,000" in page and "Audit disclaimed." in page
    public = client.get(f"/register/{krw.number}").get_data(as_text=True)
    restricted = "redemptions go on" if language == "en" else "상환은 계속"
    assert "₩10,000,000,000" in public and restricted in public
    assert "Audit disclaimed." not in public  # the reason stays with the supervisor
    data = client.get(f"/api/v1/register/{krw.number}").get_json()
    assert data["issuance_cap_krw"] == 10_000_000_000
    assert data["issuance_restricted_since"]


def test_an_issuer_posting_to_the_supervisors_form_is_refused(client, krw):
    login(client, krw.issuer)
    answer = client.post(
        f"/monitoring/registrations/{krw.number}/issuance",
        data={"action": "restrict", "reason": "Lift my own cap."},
    )
    assert answer.status_code == 403
    db.session.refresh(krw.registration)
    assert krw.registration.issuance_restricted_since is None


def test_an_empty_reason_over_http_is_refused_and_nothing_changes(client, krw):
    login(client, krw.supervisor)
    answer = client.post(
        f"/monitoring/registrations/{krw.number}/issuance",
        data={"action": "cap", "cap_krw": "5", "reason": ""},
    )
    assert answer.status_code == 422
    db.session.refresh(krw.registration)
    assert krw.registration.issuance_cap_krw is None


# -- the approver's condition at registration ------------------------------------------


def test_the_approver_sets_a_cap_at_registration_that_the_reserve_rule_reads(ctx):
    """The cap as a condition of the decision (docs/domain.md section 5): written on the
    registration and in the decision filing, and read by the reserve report's rule."""
    cast = Cast("other_virtual_asset")
    application = cast.drive(draft(cast.issuer), "recommended")
    operations.transition(
        application.id, "approve", cast.approver, {"issuance_cap_krw": "5000000000"}
    )
    registration = db.session.execute(
        select(Registration).where(Registration.application_id == application.id)
    ).scalar_one()
    assert registration.issuance_cap_krw == 5_000_000_000
    approval = db.session.execute(
        select(AuditEvent).where(
            AuditEvent.action == "approve", AuditEvent.application_id == application.id
        )
    ).scalar_one()
    decision = db.session.execute(
        select(Filing).where(Filing.accession_number == approval.detail["filing"])
    ).scalar_one()
    assert json.loads(decision.content_json)["content"]["issuance_cap_krw"] == 5_000_000_000


def test_an_approval_over_the_api_with_a_cap_of_zero_is_refused_whole(client, ctx):
    cast = Cast("other_virtual_asset")
    application = cast.drive(draft(cast.issuer), "recommended")
    answer = client.post(
        f"/api/v1/applications/{application.id}/transitions/approve",
        json={"issuance_cap_krw": 0},
        headers={**token(client, cast.approver), "If-Match": application.etag},
    )
    assert answer.status_code == 422, answer.json
    assert "issuance_cap_krw" in answer.json["errors"]
    assert db.session.execute(select(Registration)).first() is None
