"""ICT security, governance, AML/CFT, white paper, consumer protection and
declaration rules, messages in both locales."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from forms.sections import section_status
from workflows.regime import KR_2026

# Submission on 2026-11-24: six months later is 2027-05-24.
SIX_MONTHS_ON = date(2027, 5, 24)


def isms(sample, expires_on, issued_on="2024-06-01"):
    data = sample("krw_stablecoin", "ict_security")
    return {**data, "issued_on": issued_on, "expires_on": expires_on.isoformat()}


def test_isms_certificate_expired_on_the_submission_date_is_refused(
    section_context, sample, errors_in
):
    ctx = section_context()
    data = isms(sample, date(2026, 11, 23))
    assert errors_in("en", "ict_security", data, ctx) == {
        "expires_on": [
            "The ISMS certificate expired on 2026-11-23; it must be valid "
            "on the submission date, 2026-11-24 (Network Act Art 47)."
        ]
    }
    assert errors_in("ko", "ict_security", data, ctx)["expires_on"] == [
        "ISMS 인증이 2026-11-23에 만료되었습니다. 제출일(2026-11-24)에 "
        "유효해야 합니다(「정보통신망법」 제47조)."
    ]


@pytest.mark.parametrize(
    ("expires_on", "refused"),
    [
        (date(2026, 11, 24), True),
        (SIX_MONTHS_ON - timedelta(days=1), True),
        (SIX_MONTHS_ON, False),
        (SIX_MONTHS_ON + timedelta(days=1), False),
    ],
)
def test_isms_certificate_valid_for_less_than_six_more_months_is_refused(
    expires_on, refused, section_context, sample, errors_in
):
    ctx = section_context()
    data = isms(sample, expires_on)
    errors = errors_in("en", "ict_security", data, ctx)
    if not refused:
        assert errors == {}
        return
    assert errors == {
        "expires_on": [
            "The ISMS certificate must stay valid for at least 6 months after submission, until "
            f"2027-05-24; it expires on {expires_on.isoformat()} (ISMS validity rule, regime "
            "profile)."
        ]
    }
    assert errors_in("ko", "ict_security", data, ctx)["expires_on"] == [
        "ISMS 인증은 제출 후 6개월 이상, 2027-05-24까지 유효해야 합니다. 만료일: "
        f"{expires_on.isoformat()}(ISMS 유효기간 요건, 규제 프로필)."
    ]


def test_isms_remaining_validity_follows_the_profile(section_context, sample, errors_in):
    ctx = section_context(profile=replace(KR_2026, isms_min_remaining_months=12))
    errors = errors_in("en", "ict_security", isms(sample, date(2027, 11, 23)), ctx)
    assert "at least 12 months after submission, until 2027-11-24" in errors["expires_on"][0]
    assert errors_in("en", "ict_security", isms(sample, date(2027, 11, 24)), ctx) == {}


def test_isms_certificate_issued_after_today_is_refused(section_context, sample, errors_in):
    data = isms(sample, date(2029, 11, 24), issued_on="2026-11-25")
    assert list(errors_in("en", "ict_security", data, section_context())) == ["issued_on"]


def test_governance_framework_missing_a_risk_is_refused(section_context, sample, errors_in):
    ctx = section_context()
    data = sample("krw_stablecoin", "governance")
    data["risks_covered"] = [r for r in data["risks_covered"] if r not in ("ml_tf", "ict")]
    assert errors_in("en", "governance", data, ctx) == {
        "risks_covered": [
            "The risk-management framework must cover market, liquidity, "
            "concentration, operational, ICT, legal and ML/TF risk (MiCA Art 34); "
            "missing: ICT risk, Money laundering and terrorist financing risk."
        ]
    }
    assert errors_in("ko", "governance", data, ctx)["risks_covered"][0].endswith(
        "빠진 위험: 정보통신(ICT)위험, 자금세탁·테러자금조달위험."
    )


def test_fiat_through_the_issuer_needs_a_real_name_account_bank(section_context, sample, errors_in):
    ctx = section_context()
    data = sample("krw_stablecoin", "aml_cft")
    del data["real_name_account_bank"]
    assert errors_in("en", "aml_cft", data, ctx) == {
        "real_name_account_bank": [
            "When fiat money moves through the issuer, name the bank providing the "
            "real-name verified account (Specified Financial Information Act Art 7)."
        ]
    }
    assert (
        "「특정금융정보법」 제7조"
        in errors_in("ko", "aml_cft", data, ctx)["real_name_account_bank"][0]
    )
    data["fiat_moves_through_issuer"] = False
    assert errors_in("en", "aml_cft", data, ctx) == {}


# --- white paper -----------------------------------------------------------------------


def test_security_token_without_securities_registration_statement_is_incomplete(
    section_context, sample, errors_in
):
    ctx = section_context("security_token")
    paper = sample("security_token", "white_paper")
    del paper["securities_registration_statement_ref"]
    assert errors_in("en", "white_paper", paper, ctx) == {
        "securities_registration_statement_ref": [
            "A security token is offered under a securities registration statement: "
            "give its DART receipt number (Capital Markets Act Art 119)."
        ]
    }
    assert errors_in("ko", "white_paper", paper, ctx)["securities_registration_statement_ref"] == [
        "증권형 토큰은 증권신고서를 제출하고 모집해야 하므로 "
        "DART 접수번호를 적어야 합니다(「자본시장법」 제119조)."
    ]
    assert section_status("white_paper", paper, ctx) == "in_progress"


@pytest.mark.parametrize(
    "reference", ["2026110400012", "202611040001234", "20261304000123", "2026-11-04-0001"]
)
def test_malformed_dart_receipt_number_is_refused(reference, section_context, sample, errors_in):
    paper = {
        **sample("security_token", "white_paper"),
        "securities_registration_statement_ref": reference,
    }
    errors = errors_in("en", "white_paper", paper, section_context("security_token"))
    assert list(errors) == ["securities_registration_statement_ref"]


def test_securities_registration_statement_is_not_asked_of_other_virtual_assets(
    section_context, sample, errors_in
):
    paper = {
        **sample("other_virtual_asset", "white_paper"),
        "securities_registration_statement_ref": "20261104000123",
    }
    errors = errors_in("en", "white_paper", paper, section_context("other_virtual_asset"))
    assert list(errors) == ["securities_registration_statement_ref"]


# --- consumer protection and declaration --------------------------------------------------


def test_tokenized_deposit_must_disclose_deposit_insurance(section_context, sample, errors_in):
    ctx = section_context("tokenized_deposit")
    data = sample("tokenized_deposit", "consumer_protection")
    del data["deposit_insurance_disclosure"]
    assert errors_in("en", "consumer_protection", data, ctx) == {
        "deposit_insurance_disclosure": [
            "A tokenized deposit must tell holders whether deposit "
            "insurance protects it (Depositor Protection Act)."
        ]
    }
    assert errors_in("ko", "consumer_protection", data, ctx)["deposit_insurance_disclosure"] == [
        "예금 토큰은 예금보험 보호 여부를 보유자에게 안내해야 합니다(「예금자보호법」)."
    ]


def test_declaration_not_confirmed_is_refused(section_context, sample, errors_in):
    ctx = section_context()
    data = {**sample("krw_stablecoin", "declaration"), "confirmed": False}
    assert errors_in("en", "declaration", data, ctx) == {
        "confirmed": ["The named officer must confirm the application is true and complete."]
    }
    assert errors_in("ko", "declaration", data, ctx) == {
        "confirmed": ["확인 임원이 신청서의 내용이 사실이며 빠짐없음을 확인해야 합니다."]
    }
    del data["confirmed"]
    assert section_status("declaration", data, ctx) == "in_progress"


@pytest.mark.parametrize(
    ("signed_at", "refused"),
    [
        ("2026-11-24T23:59:00+09:00", False),
        ("2026-11-24T15:30:00+00:00", True),  # 00:30 on 25 November in Seoul
        ("2026-11-25T00:00:00+09:00", True),
    ],
)
def test_declaration_signed_after_the_submission_day_is_refused(
    signed_at, refused, section_context, sample, errors_in
):
    data = {**sample("krw_stablecoin", "declaration"), "signed_at": signed_at}
    errors = errors_in("en", "declaration", data, section_context())
    assert errors == (
        {"signed_at": ["The declaration cannot be signed after today."]} if refused else {}
    )


def test_declaration_time_needs_its_time_zone(section_context, sample, errors_in):
    data = {**sample("krw_stablecoin", "declaration"), "signed_at": "2026-11-24T10:00:00"}
    assert errors_in("en", "declaration", data, section_context()) == {
        "signed_at": ["Enter a date and time with its time zone (ISO 8601)."]
    }
