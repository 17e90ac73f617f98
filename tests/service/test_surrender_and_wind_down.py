"""A surrender is asked for with a redemption plan and accepted by an approver, not taken at
once; a registration ended by an accepted surrender, a revocation or a lapse stays
supervised until a redemption report shows nothing outstanding (docs/domain.md section 4,
surrender and wind-down; MiCA Art 47 and 55 as the model). Through HTTP."""

import json
import re
from datetime import date, timedelta

from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, Filing, Finding, Registration
from service.monitoring.run import run_monitoring
from service.monitoring.wind_down import file_redemption_report
from tests.service.conftest import login, token
from tests.service.factories import SURRENDER, TODAY
from tests.service.test_monitoring import registered
from tests.service.test_prior_notice import step

PLAN_DAY = date.fromisoformat(SURRENDER["redeem_by"])


def registration_of(case) -> Registration:
    return db.session.execute(
        select(Registration).where(Registration.application_id == case.id)
    ).scalar_one()


def filing_of(case, kind: str) -> dict:
    filing = db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == kind)
    ).scalar_one()
    return json.loads(filing.content_json)["content"]


def report(client, number, **body):
    return client.post(f"/monitoring/registrations/{number}/redemption-reports", data=body)


def test_a_surrender_waits_for_an_approver_and_the_registration_stays_in_force(client, cast):
    case = cast.case_in("registered")
    asked = step(client, cast.issuer, case, "surrender", SURRENDER)
    assert asked.status_code == 200, asked.json
    db.session.refresh(case)
    registration = registration_of(case)
    assert case.state == "surrender_requested"
    # Until decided the registration is in force: the register and the reports say so.
    assert registration.status == "registered" and registration.wind_down_by is None
    assert filing_of(case, "surrender_request")["payload"]["plan"] == SURRENDER["plan"]
    # Only an approver decides; the issuer cannot accept its own surrender.
    mine = step(client, cast.issuer, case, "accept_surrender", {"reasons": "Fine."})
    assert mine.status_code == 403
    refused = step(client, cast.approver, case, "refuse_surrender", {"reasons": "No funds."})
    assert refused.status_code == 200, refused.json
    db.session.refresh(case)
    assert case.state == "registered" and registration_of(case).status == "registered"
    assert filing_of(case, "surrender_refusal")["redeem_by"] is None


def test_an_accepted_surrender_winds_down_until_nothing_is_outstanding(client, cast):
    case = cast.case_in("surrendered")
    registration = registration_of(case)
    assert registration.status == "surrendered"
    assert registration.wind_down_by == PLAN_DAY and registration.winding_down
    assert filing_of(case, "surrender_acceptance")["redeem_by"] == SURRENDER["redeem_by"]
    login(client, cast.issuer, "en")
    page = client.get(f"/monitoring/registrations/{registration.number}").get_data(as_text=True)
    assert "every holder is to be redeemed by 2027-02-26" in page
    # A report with holders left keeps the supervision on.
    left = report(
        client,
        registration.number,
        as_of=TODAY.isoformat(),
        outstanding_krw="1,000,000",
        holders_outstanding="3",
        notes="Three wallets unanswered.",
    )
    assert left.status_code == 302, left.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.winding_down
    # A fraction of a won or a day ahead of today is refused and nothing is filed.
    bad = report(
        client,
        registration.number,
        as_of=(TODAY + timedelta(days=1)).isoformat(),
        outstanding_krw="0",
        holders_outstanding="0",
    )
    assert bad.status_code == 422 and "as of today or an earlier day" in bad.get_data(as_text=True)
    bad = report(
        client,
        registration.number,
        as_of=TODAY.isoformat(),
        outstanding_krw="0.5",
        holders_outstanding="0",
    )
    assert bad.status_code == 422 and "Enter a whole number." in bad.get_data(as_text=True)
    done = report(
        client,
        registration.number,
        as_of=TODAY.isoformat(),
        outstanding_krw="0",
        holders_outstanding="0",
    )
    assert done.status_code == 302
    db.session.refresh(registration)
    assert registration.wound_down_on == TODAY and not registration.winding_down
    reports = db.session.execute(
        select(Filing.kind).where(
            Filing.application_id == case.id, Filing.kind == "redemption_report"
        )
    ).all()
    assert len(reports) == 2
    actions = set(
        db.session.execute(
            select(AuditEvent.action).where(AuditEvent.application_id == case.id)
        ).scalars()
    )
    assert "redemption_reported" in actions
    # Done, the registration files no more: the form is gone and a post is refused.
    page = client.get(f"/monitoring/registrations/{registration.number}").get_data(as_text=True)
    assert "nothing was outstanding on" in page and "redemption-form" not in page
    again = report(
        client,
        registration.number,
        as_of=TODAY.isoformat(),
        outstanding_krw="0",
        holders_outstanding="0",
    )
    assert again.status_code == 409


def test_only_the_issuer_files_and_only_while_winding_down(client, cast):
    registered = cast.case_in("registered")
    number = registration_of(registered).number
    login(client, cast.issuer, "en")
    body = {"as_of": TODAY.isoformat(), "outstanding_krw": "0", "holders_outstanding": "0"}
    assert report(client, number, **body).status_code == 409  # in force: no wind-down
    surrendered = cast.case_in("surrendered")
    number = registration_of(surrendered).number
    client.post("/logout")
    login(client, cast.supervisor, "en")
    assert report(client, number, **body).status_code == 403
    assert registration_of(surrendered).winding_down


def test_a_revocation_and_a_lapse_wind_down_within_the_profiles_days(client, cast):
    """A registration revoked or lapsed has 90 days to redeem every holder (the product
    default `wind_down_days`; MiCA Art 47 leaves the time to the plan)."""
    revoked = registration_of(cast.case_in("revoked"))
    assert revoked.wind_down_by == TODAY + timedelta(days=90) and revoked.winding_down
    assert filing_of(revoked.application, "revocation_decision")["redeem_by"] == (
        (TODAY + timedelta(days=90)).isoformat()
    )


def test_an_objection_upheld_on_a_revocation_ends_the_wind_down(client, cast):
    case = cast.case_in("revoked")
    client.post(
        f"/api/v1/applications/{case.id}/objections",
        json={"grounds": "A mistaken fact."},
        headers=token(client, cast.issuer),
    )
    restored = step(client, cast.approver2, case, "restore", {"reasons": "Wrong facts."})
    assert restored.status_code == 200, restored.json
    registration = registration_of(case)
    assert registration.status == "registered" and registration.wind_down_by is None


def test_the_monitoring_run_raises_a_wind_down_past_its_day_once(cast):
    case = cast.case_in("surrendered")
    registration = registration_of(case)
    file_redemption_report(
        registration.number,
        cast.issuer,
        {"as_of": TODAY.isoformat(), "outstanding_krw": "5000000", "holders_outstanding": "2"},
    )
    assert not [f for f in run_monitoring(today=PLAN_DAY).findings if "wind_down" in f]
    day_after = PLAN_DAY + timedelta(days=1)
    (raised,) = [f for f in run_monitoring(today=day_after).findings if "wind_down" in f]
    assert raised == f"{registration.number} wind_down_overdue wind_down:2027-02-26"
    assert not [f for f in run_monitoring(today=day_after).findings if "wind_down" in f]
    finding = db.session.execute(
        select(Finding).where(
            Finding.registration_id == registration.id, Finding.rule == "wind_down_overdue"
        )
    ).scalar_one()
    assert finding.severity == "critical"
    assert "5000000" in finding.message["en"] and "2027-02-26" in finding.message["ko"]


def test_an_ended_registration_owes_no_report_for_a_period_after_its_end(client):
    """Registered on 15 January and revoked on 10 June: the calendar shows the months to
    June as owed and none from July, though today is November."""
    krw = registered()
    registration = db.session.execute(
        select(Registration).where(Registration.number == krw.number)
    ).scalar_one()
    registration.status, registration.status_since = "revoked", date(2026, 6, 10)
    db.session.commit()
    page = login(client, krw.supervisor, "en").get(f"/monitoring/registrations/{krw.number}")
    periods = re.findall(r"(\d{4}-\d{2}-\d{2}) – \d{4}-\d{2}-\d{2}", page.get_data(as_text=True))
    assert periods and max(periods) <= "2026-06-01"
    assert "2026-05-01" in periods  # the months before the end are still owed


def test_the_register_publishes_the_redemption_day_and_when_it_was_done(client, cast):
    registration = registration_of(cast.case_in("revoked"))
    number, by = registration.number, (TODAY + timedelta(days=90)).isoformat()
    entry = client.get(f"/api/v1/register/{number}").json
    assert (entry["redeem_holders_by"], entry["holders_redeemed_on"]) == (by, None)
    client.get("/language/en")
    page = client.get(f"/register/{number}").get_data(as_text=True)
    assert f"every holder is to be redeemed by {by}" in page
    login(client, cast.issuer, "en")
    done = report(
        client, number, as_of=TODAY.isoformat(), outstanding_krw="0", holders_outstanding="0"
    )
    assert done.status_code == 302
    entry = client.get(f"/api/v1/register/{number}").json
    assert entry["holders_redeemed_on"] == TODAY.isoformat()
    assert f"Every holder redeemed on {TODAY.isoformat()}" in client.get(
        f"/register/{number}"
    ).get_data(as_text=True)
    # One in force has neither.
    live = client.get(f"/api/v1/register/{registration_of(cast.case_in('registered')).number}")
    assert (live.json["redeem_holders_by"], live.json["holders_redeemed_on"]) == (None, None)


def test_the_api_files_and_lists_redemption_reports_as_the_form_does(client, cast):
    registration = registration_of(cast.case_in("revoked"))
    path = f"/api/v1/registrations/{registration.number}/redemption-reports"
    issuer = token(client, cast.issuer)
    ahead = (TODAY + timedelta(days=1)).isoformat()
    bad = client.post(
        path,
        json={"as_of": ahead, "outstanding_krw": 0, "holders_outstanding": 0},
        headers=issuer,
    )
    assert bad.status_code == 422 and "as_of" in bad.json["errors"]
    negative = client.post(
        path,
        json={"as_of": TODAY.isoformat(), "outstanding_krw": -1, "holders_outstanding": 0},
        headers=issuer,
    )
    assert negative.status_code == 422 and "outstanding_krw" in negative.json["errors"]
    assert client.get(path, headers=issuer).json == []
    body = {"as_of": TODAY.isoformat(), "outstanding_krw": "0", "holders_outstanding": 0}
    assert client.post(path, json=body, headers=token(client, cast.supervisor)).status_code == 403
    filed = client.post(path, json=body, headers=issuer)
    assert filed.status_code == 201, filed.json
    assert filed.json["complete"] is True and filed.json["outstanding_krw"] == 0
    db.session.refresh(registration)
    assert registration.wound_down_on == TODAY
    assert [r["accession_number"] for r in client.get(path, headers=issuer).json] == [
        filed.json["accession_number"]
    ]
    # Done once: a registration no longer wound down takes no more.
    assert client.post(path, json=body, headers=issuer).status_code == 409
