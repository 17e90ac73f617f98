"""Changes a registered issuer applies for before they take effect, through HTTP
(docs/domain.md section 5, changes approved in advance): a change of control crossing 10,
20, 30 or 50% (MiCA Art 41-42 as the model), a new token or ledger, a change of the business
model or of the white paper (MiCA Art 25 and 12 as the model); an approver decides, with
reasons; the decision is sealed and mailed; an approved white paper is what the register
publishes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, ChangeApproval, Filing, OutboxMessage, Registration
from service.timezone import korea_today
from tests.service.conftest import login, token
from tests.service.factories import Cast


def tomorrow() -> str:
    return (korea_today() + timedelta(days=1)).isoformat()


CONTROL = {
    "kind": "control",
    "description": "Hana Bank buys 15% from the founders.",
    "acquirer": "Hana Bank",
    "holding_before_pct": "5",
    "holding_after_pct": "20",
}
WHITE_PAPER = {
    "kind": "white_paper",
    "description": "Section 4: redemption now within two business days.",
    "white_paper_version": "2.0",
    "white_paper_date": "2026-11-30",
}


def apply(client, case, body, **extra):
    return client.post(
        f"/applications/{case.id}/changes",
        data={"planned_on": tomorrow(), **body, **extra, "version": str(case.version)},
    )


def decide(client, case, change, decision, reasons="Assessed: the acquirer is suitable."):
    db.session.refresh(case)
    return client.post(
        f"/applications/{case.id}/changes/{change.id}/decision",
        data={"decision": decision, "reasons": reasons, "version": str(case.version)},
    )


def changes_of(case) -> list[ChangeApproval]:
    return list(
        db.session.execute(
            select(ChangeApproval)
            .where(ChangeApproval.application_id == case.id)
            .order_by(ChangeApproval.id)
        ).scalars()
    )


def kind_of(accession: str) -> str:
    return db.session.execute(
        select(Filing.kind).where(Filing.accession_number == accession)
    ).scalar_one()


def test_a_change_of_control_is_applied_for_and_approved_with_a_sealed_decision(client, cast):
    case = cast.case_in("registered")
    login(client, cast.issuer, "en")
    page = client.get(f"/applications/{case.id}").get_data(as_text=True)
    assert "Apply for a change" in page
    filed = apply(client, case, CONTROL)
    assert filed.status_code == 302, filed.get_data(as_text=True)
    (change,) = changes_of(case)
    assert change.kind == "control" and change.outcome is None
    assert change.details["thresholds_crossed_pct"] == ["10", "20"]
    assert kind_of(change.accession_number) == "change_application"
    # The issuer cannot decide its own change.
    assert decide(client, case, change, "approve").status_code == 403
    client.post("/logout")
    login(client, cast.approver, "en")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert f"Decide change {change.accession_number}" in page
    decided = decide(client, case, change, "approve")
    assert decided.status_code == 302, decided.get_data(as_text=True)
    db.session.refresh(change)
    assert change.outcome == "approved" and change.outcome_by_id == cast.approver.id
    assert kind_of(change.outcome_accession) == "change_decision"
    mail = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.filing_accession == change.outcome_accession)
    ).scalar_one()
    assert mail.event == "change_decided" and "Assessed: the acquirer is suitable." in mail.body
    actions = db.session.execute(
        select(AuditEvent.action).where(AuditEvent.application_id == case.id)
    ).scalars()
    assert {"apply_for_change", "approve_change"} <= set(actions)
    # Decided once: a second decision is refused.
    again = decide(client, case, change, "refuse")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("before", "after", "crossed"),
    [("9.99", "10", ["10"]), ("20", "19.5", ["20"]), ("50", "49", ["50"])],
)
def test_a_holding_reaching_or_falling_below_a_threshold_needs_approval(
    client, cast, before, after, crossed
):
    """MiCA Art 41(1) and 42(1): reaching or passing 10, 20, 30 or 50% on an acquisition,
    falling below one on a disposal."""
    case = cast.case_in("registered")
    login(client, cast.issuer, "en")
    body = {**CONTROL, "holding_before_pct": before, "holding_after_pct": after}
    assert apply(client, case, body).status_code == 302
    (change,) = changes_of(case)
    assert change.details["thresholds_crossed_pct"] == crossed


@pytest.mark.parametrize(("before", "after"), [("10", "19.99"), ("31", "49.9"), ("20", "20")])
def test_a_change_crossing_no_threshold_is_refused_as_a_change_report(client, cast, before, after):
    """MiCA Art 41(1): a holding moving between two thresholds needs no prior approval; it
    is reported after it takes effect."""
    case = cast.case_in("registered")
    login(client, cast.issuer, "en")
    body = {**CONTROL, "holding_before_pct": before, "holding_after_pct": after}
    refused = apply(client, case, body)
    assert refused.status_code == 422
    assert "change report" in refused.get_data(as_text=True)
    assert changes_of(case) == []


def test_a_change_is_applied_for_before_it_takes_effect(client, cast):
    case = cast.case_in("registered")
    login(client, cast.issuer, "en")
    today = korea_today().isoformat()
    refused = apply(client, case, CONTROL, planned_on=today)
    assert refused.status_code == 422 and "before it takes effect" in refused.get_data(as_text=True)
    missing = apply(client, case, {"kind": "white_paper", "description": "New section 4."})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Required for a change of the white paper." in page
    assert changes_of(case) == []


def test_only_the_issuer_of_a_registration_in_force_applies(client, cast):
    case = cast.case_in("registered")
    for who in (cast.approver, cast.reviewer, cast.supervisor):
        client.post("/logout")
        login(client, who, "en")
        assert apply(client, case, CONTROL).status_code == 403
    other = Cast()
    client.post("/logout")
    login(client, other.issuer, "en")
    assert apply(client, case, CONTROL).status_code == 404
    submitted = cast.case_in("submitted")
    client.post("/logout")
    login(client, cast.issuer, "en")
    refused = apply(client, submitted, CONTROL)
    assert refused.status_code == 409 or "registration in force" in refused.get_data(as_text=True)
    assert changes_of(case) == [] and changes_of(submitted) == []


def test_an_approved_white_paper_is_published_on_the_register(client, cast):
    case = cast.case_in("registered")
    login(client, cast.issuer, "en")
    assert apply(client, case, WHITE_PAPER).status_code == 302
    (change,) = changes_of(case)
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == case.id)
    ).scalar_one()
    before = client.get(f"/api/v1/register/{number}").json
    assert before["white_paper_version"] != "2.0"
    client.post("/logout")
    login(client, cast.approver, "ko")
    assert decide(client, case, change, "approve").status_code == 302
    after = client.get(f"/api/v1/register/{number}").json
    assert after["white_paper_version"] == "2.0"
    assert after["white_paper_date"] == "2026-11-30"
    db.session.refresh(change)
    assert change.outcome_on == korea_today()
    # The approval is the white paper's last update (its file was uploaded before).
    assert after["white_paper_updated_on"] == change.outcome_on.isoformat()
    # The file on the register is the one filed with the application, and says so.
    (paper,) = [d for d in after["documents"] if d["kind"] == "white_paper"]
    assert paper["version"] == "1.0"
    client.get("/language/en")
    shown = client.get(f"/register/{number}").get_data(as_text=True)
    assert "Version 1.0, as filed with the application; version 2.0 was approved later" in shown
    # A refused change of the white paper leaves the register as it was.
    client.post("/logout")
    login(client, cast.issuer, "en")
    db.session.refresh(case)
    assert apply(client, case, {**WHITE_PAPER, "white_paper_version": "3.0"}).status_code == 302
    client.post("/logout")
    login(client, cast.approver, "en")
    assert decide(client, case, changes_of(case)[-1], "refuse").status_code == 302
    assert client.get(f"/api/v1/register/{number}").json["white_paper_version"] == "2.0"


def test_a_change_leaving_banks_short_of_the_consortium_share_can_only_be_refused(client):
    """FSC plan Dec 2025 (bank-led consortium: banks hold more than 50%), run again on every
    change of control of a KRW stablecoin issuer (MiCA Art 41-42 as the model)."""
    cast = Cast("krw_stablecoin")
    case = cast.case_in("registered")
    login(client, cast.issuer, "en")
    body = {**CONTROL, "holding_before_pct": "25", "holding_after_pct": "35"}
    missing = apply(client, case, body)
    assert missing.status_code == 422 and "Required for a change of control." in (
        missing.get_data(as_text=True)
    )
    for banks in ("50", "50.01"):
        db.session.refresh(case)
        assert apply(client, case, body, bank_shareholding_total_after_pct=banks).status_code == 302
    short, enough = changes_of(case)
    client.post("/logout")
    login(client, cast.approver, "en")
    page = client.get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "After this change banks would hold 50%" in page
    refused = decide(client, case, short, "approve")
    assert refused.status_code == 409 and "bank-led consortium rule" in refused.get_data(
        as_text=True
    )
    db.session.refresh(short)
    assert short.outcome is None
    assert decide(client, case, short, "refuse", "Banks would lose the lead.").status_code == 302
    assert decide(client, case, enough, "approve").status_code == 302
    db.session.refresh(short)
    db.session.refresh(enough)
    assert (short.outcome, enough.outcome) == ("refused", "approved")


def test_the_api_applies_for_lists_and_decides_a_change_as_the_forms_do(client, cast):
    case = cast.case_in("registered")
    issuer = token(client, cast.issuer)
    path = f"/api/v1/applications/{case.id}/changes"
    short = {**CONTROL, "holding_after_pct": "9", "planned_on": tomorrow()}
    refused = client.post(path, json=short, headers=issuer)
    assert refused.status_code == 422 and "holding_after_pct" in refused.json["errors"]
    not_object = client.post(path, json=["control"], headers=issuer)
    assert not_object.status_code == 422 and not_object.json["code"] == "body_not_object"
    assert changes_of(case) == []
    applied = client.post(path, json={**CONTROL, "planned_on": tomorrow()}, headers=issuer)
    assert applied.status_code == 201, applied.json
    assert applied.json["details"]["thresholds_crossed_pct"] == ["10", "20"]
    assert applied.json["outcome"] is None
    change_id = applied.json["id"]
    decision = f"{path}/{change_id}/decision"
    body = {"decision": "approve", "reasons": "Assessed: the acquirer is suitable."}
    assert client.post(decision, json=body, headers=issuer).status_code == 403
    approver = token(client, cast.approver)
    decided = client.post(decision, json=body, headers=approver)
    assert decided.status_code == 201 and decided.json["outcome"] == "approved"
    assert kind_of(decided.json["outcome_accession"]) == "change_decision"
    assert client.post(decision, json=body, headers=approver).status_code == 409
    listed = client.get(path, headers=issuer).json
    assert [(c["id"], c["outcome"]) for c in listed] == [(change_id, "approved")]
    # Another issuer sees nothing of it.
    stranger = token(client, Cast().issuer)
    assert client.get(path, headers=stranger).status_code == 404
    assert client.post(path, json=CONTROL, headers=stranger).status_code == 404
