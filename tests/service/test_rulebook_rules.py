"""The rulebook's rules where users meet them: a section saved through the API is
refused, a report filed through the API raises a finding (docs/domain.md sections 3-5)."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from forms.report_samples import reserve_report
from forms.sections.samples import sample_sections
from service.extensions import db
from service.models import Finding
from service.monitoring.findings import quarterly_enrolment
from service.monitoring.reports import submit_report
from tests.service.factories import TODAY, Cast, draft
from tests.service.sections.conftest import bearer
from tests.service.test_monitoring import BILLION, financials, registered

KO = {"Accept-Language": "ko"}


def put_section(client, user, application, name, answers, language="en"):
    headers = {**bearer(client, user), "If-Match": application.etag, "Accept-Language": language}
    url = f"/api/v1/applications/{application.id}/sections/{name}"
    return client.put(url, json=answers, headers=headers)


def post_report(client, cast, kind, report, language="en"):
    return client.post(
        f"/api/v1/registrations/{cast.number}/reports",
        json={"kind": kind, "report": report},
        headers={**bearer(client, cast.issuer), "Accept-Language": language},
    )


def findings_of_report(report_id) -> list[str]:
    rules = select(Finding.rule).where(Finding.report_id == report_id)
    return sorted(db.session.execute(rules).scalars())


# -- ownership (docs/domain.md 3.2) ------------------------------------------------


@pytest.fixture
def krw_draft(ctx):
    cast = Cast("krw_stablecoin")
    return cast, draft(cast.issuer, "krw_stablecoin", complete=False)


def test_the_api_refuses_banks_and_holders_adding_up_to_more_than_the_capital(client, krw_draft):
    """Banks declared at 90% beside a 45% non-bank holder: 135% of the capital
    (shareholder register; MiCA Art 41). Refused whole, nothing saved."""
    cast, application = krw_draft
    answers = {
        **sample_sections("krw_stablecoin", TODAY)["ownership"],
        "qualifying_holders": [
            {"name": "가람페이", "holder_type": "non_financial", "percentage": "45"},
        ],
        "bank_shareholding_total_pct": "90",
    }
    answer = put_section(client, cast.issuer, application, "ownership", answers)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert answer.json["errors"] == {
        "bank_shareholding_total_pct": [
            "Banks hold 90% and the other qualifying holders 45%: together 135%, more than "
            "the whole capital (shareholder register)."
        ]
    }
    db.session.refresh(application)
    assert "ownership" not in application.sections


def test_the_api_refuses_one_bank_over_the_banking_act_limit_in_korean(client, krw_draft):
    """Banking Act Art 37(1): one bank holds at most 15% of a KRW stablecoin issuer."""
    cast, application = krw_draft
    sample = sample_sections("krw_stablecoin", TODAY)["ownership"]
    holders = [dict(h) for h in sample["qualifying_holders"]]
    bank = next(i for i, h in enumerate(holders) if h["holder_type"] == "bank")
    holders[bank]["percentage"] = "20"
    answer = put_section(
        client,
        cast.issuer,
        application,
        "ownership",
        {**sample, "qualifying_holders": holders, "bank_shareholding_total_pct": "65"},
        language="ko",
    )
    assert answer.status_code == 422
    message = answer.json["errors"]["qualifying_holders"][str(bank)]["percentage"][0]
    assert message == (
        f"{holders[bank]['name']}의 지분율이 20%입니다. 은행은 원화 스테이블코인 발행인의 "
        "의결권 있는 주식을 15%까지만 보유할 수 있습니다(「은행법」 제37조 제1항)."
    )
    # The sample itself, four banks of at most 15%, is accepted.
    saved = put_section(client, cast.issuer, application, "ownership", sample)
    assert saved.status_code == 200 and saved.json["status"] == "complete"


# -- redemption (docs/domain.md 3.7) -------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_api_refuses_a_redemption_fee_for_a_krw_stablecoin(client, krw_draft, language):
    """MiCA Art 49(6): redemption without a fee; a disclosed fee is refused too."""
    cast, application = krw_draft
    answers = {**sample_sections("krw_stablecoin", TODAY)["redemption"], "charges_fees": True}
    answer = put_section(client, cast.issuer, application, "redemption", answers, language)
    assert answer.status_code == 422
    expected = {
        "en": "A KRW stablecoin must be redeemed without any fee: holders get the full par "
        "value back (MiCA Art 49(6)).",
        "ko": "원화 스테이블코인은 수수료 없이 상환해야 합니다. 보유자는 액면가 전액을 "
        "돌려받습니다(MiCA 제49조 제6항).",
    }[language]
    assert answer.json["errors"] == {"charges_fees": [expected]}
    disclosed = {**answers, "fee_disclosure": "건당 500원."}
    again = put_section(client, cast.issuer, application, "redemption", disclosed, language)
    assert again.status_code == 422 and "charges_fees" in again.json["errors"]


# -- reports filed through the API (docs/domain.md section 5) -------------------------


@pytest.fixture
def krw(ctx):
    return registered()


def incident(hours, price="0.95"):
    return {
        "incident_kind": "depeg",
        "occurred_at": "2026-11-23T09:00:00+09:00",  # due the next business day, today
        "description": "Sold down on a foreign exchange.",
        "lowest_price_krw": price,
        "hours_below_floor": hours,
    }


def test_a_depeg_filed_through_the_api_is_a_finding_only_once_it_lasted_a_day(client, krw):
    """Below 0.99 KRW for 24 hours (regime profile depeg_min_duration_hours; MiCA Art 30(3)
    for the incident report): 23 hours is no finding, 24 is."""
    brief = post_report(client, krw, "incident_report", incident("23"))
    assert brief.status_code == 201, brief.json
    assert findings_of_report(brief.json["id"]) == []
    day = post_report(client, krw, "incident_report", incident("24"))
    assert day.status_code == 201
    assert findings_of_report(day.json["id"]) == ["depeg_below_floor"]
    missing = post_report(
        client, krw, "incident_report", {**incident("1"), "hours_below_floor": None}
    )
    assert missing.status_code == 422
    assert missing.json["errors"] == {
        "hours_below_floor": ["Give how many hours the price stayed below the floor."]
    }


def test_a_depeg_of_a_token_without_a_peg_raises_no_finding(client, ctx):
    """An other virtual asset floats: a price below 0.99 for days is no broken peg."""
    other = registered("other_virtual_asset")
    answer = post_report(client, other, "incident_report", incident("72", price="0.5"))
    assert answer.status_code == 201
    assert findings_of_report(answer.json["id"]) == []


def test_own_funds_below_2_percent_of_the_average_reserve_filed_through_the_api(client, krw):
    """MiCA Art 35(1)(b): own funds of at least 2% of the average reserve over six months
    when that is more than the ₩5bn minimum. Five month ends of ₩300bn (July-November 2026)
    average ₩300bn, so the floor is ₩6bn."""
    for month in range(7, 12):
        body = reserve_report(date(2026, month, 1), 300 * BILLION)
        submit_report(krw.number, krw.issuer, "reserve_report", body, today=TODAY)
    short = post_report(client, krw, "audited_financials", financials(6 * BILLION - 1))
    assert short.status_code == 201, short.json
    assert findings_of_report(short.json["id"]) == ["own_funds_below_minimum"]
    finding = db.session.execute(
        select(Finding).where(Finding.report_id == short.json["id"])
    ).scalar_one()
    assert finding.evidence["average_reserve_krw"] == "300000000000"
    assert "2% of the average reserve" in finding.message["en"]
    enough = post_report(client, krw, "audited_financials", financials(6 * BILLION))
    assert findings_of_report(enough.json["id"]) == []


def test_the_first_monthly_report_through_the_api_starts_on_the_registration_day(client, krw):
    """docs/domain.md section 5: registered 15 January 2026, January's report covers
    15-31 January; one from the 1st is refused, naming the right start."""
    whole_month = post_report(
        client, krw, "reserve_report", reserve_report(date(2026, 1, 1), BILLION)
    )
    assert whole_month.status_code == 422
    assert whole_month.json["errors"] == {
        "period_start": ["This month's report covers the period from 2026-01-15."]
    }
    before = post_report(client, krw, "reserve_report", reserve_report(date(2025, 12, 1), BILLION))
    assert before.status_code == 422
    assert before.json["errors"]["period_start"] == [
        "The registration began on 2026-01-15: no report is owed for a month before it."
    ]
    first = post_report(client, krw, "reserve_report", reserve_report(date(2026, 1, 15), BILLION))
    assert first.status_code == 201, first.json
    assert (first.json["period_start"], first.json["period_end"]) == ("2026-01-15", "2026-01-31")
    mid_month = post_report(
        client, krw, "reserve_report", reserve_report(date(2026, 2, 15), BILLION)
    )
    assert mid_month.status_code == 422


def test_an_other_virtual_asset_is_asked_for_its_issuance_and_enrolled_by_it(client, ctx):
    """MiCA Art 22(1); Implementing Reg. 2024/2902 Art 2(2): issuance over ₩100bn enrols the
    issuer in quarterly reports, so audited financials without the figure are refused."""
    other = registered("other_virtual_asset")
    without = post_report(client, other, "audited_financials", financials(BILLION, None))
    assert without.status_code == 422
    assert without.json["errors"] == {
        "outstanding_issuance_krw": [
            "Give the outstanding issuance: it decides whether quarterly reports are due "
            "(MiCA Art 22(1))."
        ]
    }
    over = post_report(client, other, "audited_financials", financials(BILLION, 150 * BILLION))
    assert over.status_code == 201
    assert findings_of_report(over.json["id"]) == ["quarterly_reporting_enrolled"]
    assert quarterly_enrolment(other.registration.id) == date(2026, 12, 31)


# -- the profile in force (REGIME_PROFILE) ---------------------------------------------


def test_a_capital_section_is_judged_by_the_configured_profile(client, krw_draft, app, monkeypatch):
    """The Digital Asset Basic Act bill's ₩500m floor (profile kr-bill-500m) instead of
    kr-2026's ₩5bn: ₩600m is refused under the default and accepted under the bill."""
    cast, application = krw_draft
    answers = {
        **sample_sections("krw_stablecoin", TODAY)["capital"],
        "paid_in_capital_krw": 600_000_000,
    }
    refused = put_section(client, cast.issuer, application, "capital", answers)
    assert refused.status_code == 422
    assert "₩5,000,000,000" in refused.json["errors"]["paid_in_capital_krw"][0]
    monkeypatch.setitem(app.config, "REGIME_PROFILE", "kr-bill-500m")
    db.session.refresh(application)
    accepted = put_section(client, cast.issuer, application, "capital", answers)
    assert accepted.status_code == 200 and accepted.json["status"] == "complete"


def test_a_filing_pdf_prints_the_sections_of_the_configured_profile(app, ctx, monkeypatch):
    """A profile asking security-token issuers for capital: the application PDF labels the
    capital section by its schema, as the form did, not as an unknown section."""
    import json

    from service.canonical import canonical_json
    from service.filings.pdf import filing_html
    from workflows.regime import KR_2026, PROFILES

    asks_capital = replace(
        KR_2026,
        name="test-security-token-capital",
        source="A test profile",
        minimum_capital={**KR_2026.minimum_capital, "security_token": 1_000_000_000},
    )
    sections = sample_sections("security_token", TODAY, asks_capital)
    assert "capital" in sections
    document = {
        "accession_number": "VAR-2026-000321",
        "kind": "application",
        "filed_at": "2026-11-24T01:30:00+00:00",
        "filed_by": "issuer@maru.example",
        "application_id": 9,
        "organization": {"id": 2, "name_ko": "마루토큰 주식회사", "name_en": "Maru Token"},
        "category": "security_token",
        "content": {"transition": "submit", "sections": sections, "documents": []},
    }
    text = canonical_json(document)
    default_html = filing_html(json.loads(text), text)
    assert "납입자본금(원)" not in default_html  # kr-2026 has no such section for them
    monkeypatch.setitem(PROFILES, asks_capital.name, asks_capital)
    monkeypatch.setitem(app.config, "REGIME_PROFILE", asks_capital.name)
    assert "납입자본금(원)" in filing_html(json.loads(text), text)
