"""The issuer never sees internal notes or the reviewer's recommendation text: every page and
API response an issuer can reach is fetched and searched for them."""

import pytest
from sqlalchemy import select

from service.applications import operations as applications
from service.extensions import db
from service.models import OutboxMessage
from service.review.operations import add_note
from tests.service.conftest import login, token
from tests.service.factories import RECOMMEND, TODAY, Cast

NOTE = "NOTE-SECRET-7f3a custodian looks weak"
REASONING = "REASONING-SECRET-91bc borderline capital"
SEND_BACK = "SENDBACK-SECRET-55d0 check the reserve auditor"
SECRETS = (NOTE, REASONING, SEND_BACK)


@pytest.fixture
def cases(ctx):
    """One case registered after a send-back, one waiting for the decision; notes on both."""
    cast = Cast()
    decided = cast.case_in("information_requested")
    applications.transition(
        decided.id, "respond", cast.issuer, {"answers": ["Two banks."]}, today=TODAY
    )
    recommend = {**RECOMMEND, "reasons": REASONING}
    applications.transition(decided.id, "recommend", cast.reviewer, recommend, today=TODAY)
    applications.transition(
        decided.id, "send_back", cast.approver, {"reason": SEND_BACK}, today=TODAY
    )
    applications.transition(decided.id, "recommend", cast.reviewer, recommend, today=TODAY)
    applications.transition(decided.id, "approve", cast.approver, {}, today=TODAY)
    pending = cast.case_in("assessment")
    applications.transition(pending.id, "recommend", cast.reviewer, recommend, today=TODAY)
    for case in (decided, pending):
        add_note(case.id, cast.reviewer, NOTE)
    return cast, decided, pending


def _urls(app, application_ids):
    """Every GET route of the app, with each application's id filled in."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "main.set_language"):
            continue
        if rule.arguments - {"application_id"}:
            continue  # needs ids of other objects; the authorization matrix covers those
        if "application_id" in rule.arguments:
            for application_id in application_ids:
                yield rule.rule.replace("<int:application_id>", str(application_id))
        else:
            yield rule.rule


def test_no_page_or_api_answer_the_issuer_gets_shows_internal_text(app, client, cases):
    cast, decided, pending = cases
    ids = (decided.id, pending.id)
    # The regulator does see them: the search below would find them if they leaked.
    reviewer_page = login(app.test_client(), cast.reviewer).get(f"/review/cases/{pending.id}")
    assert NOTE in reviewer_page.get_data(as_text=True)
    assert REASONING in reviewer_page.get_data(as_text=True)

    login(client, cast.issuer)
    bearer = token(app.test_client(), cast.issuer)
    fetched = 0
    for url in _urls(app, ids):
        for headers in ({}, bearer):
            answer = client.get(url, headers=headers)
            body = answer.get_data(as_text=True)
            for secret in SECRETS:
                assert secret not in body, f"{url} shows internal text to the issuer"
            if url.startswith("/review") or url.startswith("/admin"):
                assert answer.status_code == 403, url
            fetched += answer.status_code == 200
    assert fetched >= 12
    # Nor do the e-mails the issuer's contacts receive.
    bodies = db.session.execute(select(OutboxMessage.body)).scalars().all()
    assert bodies and not any(secret in body for body in bodies for secret in SECRETS)


def test_the_issuer_sees_that_a_recommendation_happened_but_not_its_content(client, cases):
    cast, decided, pending = cases
    auth = token(client, cast.issuer)
    events = client.get(f"/api/v1/applications/{pending.id}/events", headers=auth).json
    recommend = next(e for e in events if e["action"] == "recommend")
    assert recommend["detail"] == {}
    assert not any(e["action"] in ("note", "claim", "assign", "reassign") for e in events)
    case = client.get(f"/api/v1/applications/{pending.id}", headers=auth).json
    assert case["recommendation"] is None and case["assigned_reviewer"] is None


def test_the_issuer_sees_that_an_opinion_was_recorded_but_not_what_it_said(app, client):
    cast = Cast(category="krw_stablecoin")
    case = cast.case_in("recommended")
    opinion = cast.record_opinion(case, "bank_of_korea", opinion="unfavourable")
    auth = token(client, cast.issuer)
    events = client.get(f"/api/v1/applications/{case.id}/events", headers=auth).json
    recorded = next(e for e in events if e["action"] == "record_opinion")
    assert recorded["detail"] == {}
    page = login(client, cast.issuer).get(f"/applications/{case.id}").get_data(as_text=True)
    for text in ("unfavourable", opinion.summary, opinion.accession_number):
        assert text not in page and text not in str(events)
    # The regulator's own view keeps the detail.
    staff = token(app.test_client(), cast.reviewer)
    staff_events = client.get(f"/api/v1/applications/{case.id}/events", headers=staff).json
    shown = next(e for e in staff_events if e["action"] == "record_opinion")
    assert shown["detail"]["opinion"] == "unfavourable"
