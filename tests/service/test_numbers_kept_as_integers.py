"""Whole numbers are kept as integers whatever way they were typed, shown one way, and the
answers saved as typed before are migrated (docs/design.md, "Numbers as typed")."""

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade

from forms.report_samples import reserve_report
from service.extensions import db
from service.models import Application
from tests.conftest import database_url, migrated_app
from tests.service.conftest import login, token
from tests.service.factories import Cast, draft
from tests.service.test_monitoring import registered

pytestmark = [pytest.mark.real_commits]


@pytest.fixture
def case(ctx):
    cast = Cast("krw_stablecoin")
    return cast, draft(cast.issuer, "krw_stablecoin", complete=False)


@pytest.mark.parametrize(
    "typed",
    [
        "1,000,000,000,000",
        "₩1,000,000,000,000",
        "1 000 000 000 000",
        "１，０００，０００，０００，０００",
    ],
)
def test_the_planned_maximum_issuance_takes_separators_and_full_width_digits(client, case, typed):
    cast, application = case
    answer = client.put(
        f"/api/v1/applications/{application.id}/sections/token_design",
        json={"planned_maximum_issuance": typed},
        headers={**token(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["answers"]["planned_maximum_issuance"] == 1_000_000_000_000
    db.session.refresh(application)
    assert application.sections["token_design"]["planned_maximum_issuance"] == 1_000_000_000_000


@pytest.mark.parametrize("typed", ["1,000.5", "1e12", "１２ab", "12,", "--1"])
def test_what_is_no_whole_number_is_refused_as_typed(client, case, typed):
    cast, application = case
    answer = client.put(
        f"/api/v1/applications/{application.id}/sections/capital",
        json={"paid_in_capital_krw": typed},
        headers={**token(client, cast.issuer), "If-Match": application.etag},
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json["field_errors"]] == ["paid_in_capital_krw"]


def test_a_form_s_typed_amount_is_kept_as_an_integer_and_shown_with_separators(client, case):
    cast, application = case
    login(client, cast.issuer, "en")
    saved = client.post(
        f"/applications/{application.id}/sections/capital",
        data={"paid_in_capital_krw": "₩50,000,000,000", "version": application.version},
    )
    assert saved.status_code == 302
    db.session.refresh(application)
    assert application.sections["capital"]["paid_in_capital_krw"] == 50_000_000_000
    check = client.get(f"/applications/{application.id}/check")
    assert "50,000,000,000" in check.get_data(as_text=True)


@pytest.fixture(scope="module")
def migrating_app(tmp_path_factory, worker_id):
    """A database of this module's own, taken back to the revision before the migration."""
    instance = tmp_path_factory.mktemp("numbers-migration")
    return migrated_app(instance, database_url(instance, worker_id, "_numbers"))


def test_answers_saved_as_typed_before_are_migrated_to_integers(migrating_app):
    with migrating_app.app_context():
        # The people and the case are made with today's models, then taken back to 0017.
        cast = Cast("krw_stablecoin")
        application_id = draft(cast.issuer, "krw_stablecoin", complete=False).id
        db.session.remove()
        downgrade(revision="0017")
        application = db.session.get(Application, application_id)
        # As the earlier code kept what a form sent.
        application.sections = {
            "capital": {"paid_in_capital_krw": "50,000,000,000", "capital_evidence": "감사보고서"},
            "business_plan": {
                "monthly_projections": [
                    {"month": "2027-01", "revenue_krw": "80,000,000", "own_funds_krw": 48},
                    {"month": "2027-02", "revenue_krw": "not a number"},
                ]
            },
            "token_design": {"planned_maximum_issuance": "１，０００"},
        }
        db.session.commit()
        db.session.remove()
        upgrade(revision="0018")
        sections = db.session.get(Application, application_id).sections
        assert sections["capital"] == {
            "paid_in_capital_krw": 50_000_000_000,
            "capital_evidence": "감사보고서",
        }
        rows = sections["business_plan"]["monthly_projections"]
        assert rows[0] == {"month": "2027-01", "revenue_krw": 80_000_000, "own_funds_krw": 48}
        assert rows[1]["revenue_krw"] == "not a number"  # no number: left as typed
        assert sections["token_design"]["planned_maximum_issuance"] == 1000
        db.session.remove()
        upgrade()


def test_a_filing_made_with_amounts_as_typed_shows_them_like_integers_to_the_reviewer(client, ctx):
    """Filings are never rewritten: one frozen while amounts were kept as typed shows
    them as the ones kept as integers do, on the reviewer's case page."""
    cast = Cast("krw_stablecoin")
    application = draft(cast.issuer, "krw_stablecoin")
    sections = dict(application.sections)
    plan = dict(sections["business_plan"])
    rows = [dict(row) for row in plan["monthly_projections"]]
    rows[0]["revenue_krw"], rows[1]["revenue_krw"] = "81,234,567", 81_234_567
    plan["monthly_projections"] = rows
    sections["business_plan"] = plan
    application.sections = sections
    db.session.commit()
    cast.drive(application, "submitted")
    login(client, cast.reviewer, "en")
    page = client.get(f"/review/cases/{application.id}").get_data(as_text=True)
    assert page.count("81,234,567") >= 2
    assert "81234567" not in page


def test_a_report_s_figures_typed_with_separators_and_full_width_digits_are_filed_exact(
    client, ctx
):
    """A report's money takes what a section's does (docs/design.md, "Numbers as typed"),
    and is filed as plain decimal text."""
    cast = registered()
    body = reserve_report(date(2026, 9, 1), 10_000_000_000)
    body["outstanding_issuance_krw"] = "₩１０,０００,０００,０００"
    body["reserve_assets"][0]["market_value_krw"] = "2,500,000,000원"
    filed = client.post(
        f"/api/v1/registrations/{cast.number}/reports",
        json={"kind": "reserve_report", "report": body},
        headers=token(client, cast.issuer),
    )
    assert filed.status_code == 201, filed.json
    report = filed.json["report"]
    assert report["outstanding_issuance_krw"] == "10000000000"
    assert report["reserve_assets"][0]["market_value_krw"] == "2500000000"
    # The figures add up as typed: no coverage or composition finding (only lateness).
    assert filed.json["findings"] == ["report_filed_late"]
    refused = client.post(
        f"/api/v1/registrations/{cast.number}/reports",
        json={"kind": "reserve_report", "report": {**body, "outstanding_issuance_krw": "10억"}},
        headers=token(client, cast.issuer),
    )
    assert refused.status_code == 422
