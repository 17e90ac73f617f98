"""An objection (이의신청) to a refusal, suspension or revocation, through HTTP
(docs/domain.md section 4, objection): lodged within 30 days of the decision
(Administrative Procedures Act Art 36(1); Civil Act Art 161), answered by an approver who
did not take the decision, upheld (the decision withdrawn) or dismissed, with reasons; the
register shows a registration under objection."""

from datetime import date

import pytest
from sqlalchemy import select

from service import timezone
from service.extensions import db
from service.models import AuditEvent, Filing, OutboxMessage, Registration
from tests.service.conftest import login, token
from tests.service.test_prior_notice import on, step
from workflows.lifecycle import objection_last_day

GROUNDS = {"grounds": "The capital was raised before the decision; the refusal overlooked it."}


def lodge(client, user, case, body=GROUNDS):
    return client.post(
        f"/api/v1/applications/{case.id}/objections", json=body, headers=token(client, user)
    )


def dismiss(client, user, case, objection_id, reasons="The capital was still short."):
    return client.post(
        f"/api/v1/applications/{case.id}/objections/{objection_id}/dismissal",
        json={"reasons": reasons},
        headers=token(client, user),
    )


def decided_on(case, action: str) -> date:
    occurred = db.session.execute(
        select(AuditEvent.occurred_at)
        .where(AuditEvent.application_id == case.id, AuditEvent.action == action)
        .order_by(AuditEvent.seq.desc())
    ).scalar()
    return timezone.in_korea(occurred).date()


def kind_of(accession: str) -> str:
    return db.session.execute(
        select(Filing.kind).where(Filing.accession_number == accession)
    ).scalar_one()


def test_an_objection_is_lodged_by_the_30th_day_and_not_after(client, cast, monkeypatch):
    """APA Art 36(1): within 30 days of the decision. The 30th day runs to the next business
    day when it is a weekend or holiday (Civil Act Art 161)."""
    case = cast.case_in("refused")
    refused_on = decided_on(case, "refuse")
    last = objection_last_day(refused_on, 30)
    on(monkeypatch, date.fromordinal(last.toordinal() + 1))
    late = lodge(client, cast.issuer, case)
    assert late.status_code == 409 and late.json["code"] == "objection_window_passed"
    assert last.isoformat() in late.json["detail"]
    on(monkeypatch, last)
    lodged = lodge(client, cast.issuer, case)
    assert lodged.status_code == 201, lodged.json
    assert kind_of(lodged.json["accession_number"]) == "objection"
    assert lodged.json["decision"] == "refuse" and lodged.json["outcome"] is None
    again = lodge(client, cast.issuer, case)
    assert again.status_code == 409 and again.json["code"] == "objection_lodged"


def test_only_the_issuer_objects_and_only_to_a_decision_in_force(client, cast):
    case = cast.case_in("refused")
    for who in (cast.approver, cast.reviewer, cast.supervisor):
        assert lodge(client, who, case).status_code == 403
    registered = cast.case_in("registered")
    nothing = lodge(client, cast.issuer, registered)
    assert nothing.status_code == 409 and nothing.json["code"] == "nothing_to_object_to"
    blank = lodge(client, cast.issuer, case, {"grounds": "   "})
    assert blank.status_code == 422 and "grounds" in blank.json["errors"]


def test_the_approver_who_refused_may_not_decide_the_objection(client, cast):
    case = cast.case_in("refused")
    objection = lodge(client, cast.issuer, case).json
    own = step(client, cast.approver, case, "reconsider", {"reasons": "On reflection."})
    assert own.status_code == 403 and own.json["code"] == "own_decision"
    own = dismiss(client, cast.approver, case, objection["id"])
    assert own.status_code == 403 and own.json["code"] == "own_decision"
    assert dismiss(client, cast.reviewer, case, objection["id"]).status_code == 403
    db.session.refresh(case)
    assert case.state == "refused"


def test_an_upheld_objection_to_a_refusal_returns_the_case_for_a_new_decision(client, cast):
    case = cast.case_in("refused")
    objection = lodge(client, cast.issuer, case).json
    upheld = step(client, cast.approver2, case, "reconsider", {"reasons": "Capital was met."})
    assert upheld.status_code == 200, upheld.json
    db.session.refresh(case)
    assert case.state == "recommended"
    answered = client.get(
        f"/api/v1/applications/{case.id}/objections", headers=token(client, cast.issuer)
    ).json
    assert answered[0]["outcome"] == "upheld"
    assert answered[0]["outcome_reasons"] == "Capital was met."
    decision = db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == "objection_decision")
    ).scalar_one()
    assert objection["accession_number"] in decision.content_json
    mail = (
        db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.application_id == case.id)
            .order_by(OutboxMessage.id.desc())
        )
        .scalars()
        .first()
    )
    assert "이의신청" in mail.body and "Capital was met." in mail.body
    # Nothing is left open to uphold or dismiss.
    again = step(client, cast.approver2, case, "reconsider", {"reasons": "Again."})
    assert again.status_code == 409


@pytest.mark.parametrize("state", ["suspended", "revoked"])
def test_an_upheld_objection_restores_the_registration_and_the_register_says_so(
    client, cast, state
):
    case = cast.case_in(state)
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == case.id)
    ).scalar_one()
    lodge(client, cast.issuer, case)
    entry = client.get(f"/api/v1/register/{number}").json
    assert entry["status"] == state and entry["under_objection_since"] is not None
    assert entry["history"][-1]["status"] == "objected_to"
    page = client.get(f"/register/{number}").get_data(as_text=True)
    assert "under-objection" in page

    upheld = step(
        client, cast.approver2, case, "restore", {"reasons": "The shortfall was an error."}
    )
    assert upheld.status_code == 200, upheld.json
    entry = client.get(f"/api/v1/register/{number}").json
    assert entry["status"] == "registered" and entry["under_objection_since"] is None
    assert [h["status"] for h in entry["history"]][-2:] == ["objected_to", "restored"]


def test_a_dismissed_objection_leaves_the_decision_standing(client, cast):
    case = cast.case_in("suspended")
    objection = lodge(client, cast.issuer, case).json
    dismissed = dismiss(client, cast.approver2, case, objection["id"])
    assert dismissed.status_code == 201, dismissed.json
    assert dismissed.json["outcome"] == "dismissed"
    db.session.refresh(case)
    assert case.state == "suspended"
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == case.id)
    ).scalar_one()
    entry = client.get(f"/api/v1/register/{number}").json
    assert entry["under_objection_since"] is None
    assert entry["history"][-1]["status"] == "objection_dismissed"
    # Dismissed, it cannot be upheld or dismissed again.
    again = dismiss(client, cast.approver2, case, objection["id"])
    assert again.status_code == 409 and again.json["code"] == "objection_decided"
    upheld = step(client, cast.approver2, case, "restore", {"reasons": "Changed my mind."})
    assert upheld.status_code == 409 and upheld.json["code"] == "no_objection"


def test_the_pages_carry_the_objection_forms(client, cast):
    case = cast.case_in("refused")
    login(client, cast.issuer, "en")
    page = client.get(f"/applications/{case.id}").get_data(as_text=True)
    assert "Object to the decision" in page
    lodged = client.post(
        f"/applications/{case.id}/objections",
        data={**GROUNDS, "version": str(case.version)},
    )
    assert lodged.status_code == 302, lodged.get_data(as_text=True)
    client.post("/logout")
    login(client, cast.approver2, "ko")
    db.session.refresh(case)
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "이의신청" in page and f"/applications/{case.id}/objections/" in page
    assert "이의신청 인용(재결정)" in page
