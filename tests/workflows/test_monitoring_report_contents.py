"""What a filed report says raises findings: custody, audit opinions, incidents, and the
ISMS certificate's expiry on the calendar (docs/domain.md section 5)."""

from datetime import date

import pytest

from forms.report_samples import reserve_report
from workflows.monitoring import (
    CRITICAL,
    RULES_BY_CODE,
    WARNING,
    CheckContext,
    check_report,
    isms_expiry,
    isms_past_expiry_findings,
)
from workflows.regime import KR_2026

KRW = "krw_stablecoin"
CTX = CheckContext(KR_2026, KRW)
SEPTEMBER = date(2026, 9, 1)
BILLION = 1_000_000_000


def only(findings, rule):
    return [f for f in findings if f.rule == rule]


def custodians(*segregated):
    body = reserve_report(SEPTEMBER, 10 * BILLION)
    body["custodians"] = [
        {"bank_name": f"Bank {n}", "segregated": flag} for n, flag in enumerate(segregated, 1)
    ]
    return body


@pytest.mark.parametrize(
    ("flags", "found"),
    [((True, True), []), ((True, False), [2]), ((False, False), [1, 2])],
)
def test_each_custodian_not_segregated_is_one_critical_finding(flags, found):
    """MiCA Art 36(2) (the reserve operationally segregated from the issuer's estate),
    Art 37 (custody); the Korean model is VAUPA Art 6 (users' money kept apart at a bank).
    At the line every custodian segregates (none), one short is one finding, both two."""
    drafts = only(
        check_report("reserve_report", custodians(*flags), CTX), "reserve_custodian_not_segregated"
    )
    assert [d.evidence["custodian_number"] for d in drafts] == found
    assert all(d.severity == CRITICAL for d in drafts)
    if found:
        assert f"Bank {found[0]}" in drafts[0].message.en
        assert "분리하지 않고" in drafts[0].message.ko


def reserve_audit(opinion):
    return {
        "period_start": "2026-01-15",
        "period_end": "2026-07-14",
        "audit_firm": "Samjong KPMG",
        "opinion": opinion,
        "report_date": "2026-08-10",
    }


@pytest.mark.parametrize(
    ("opinion", "found"),
    [("unqualified", False), ("qualified", False), ("adverse", True), ("disclaimer", True)],
)
def test_an_adverse_or_disclaimed_reserve_audit_is_critical_and_a_qualified_one_is_not(
    opinion, found
):
    """MiCA Art 36(9) (independent audit of the reserve every six months): the line is
    between a qualified opinion (just below: the reserve is confirmed with a reservation)
    and an adverse one (at it) or a disclaimer (above: the auditor could not confirm it)."""
    drafts = check_report("reserve_audit", reserve_audit(opinion), CTX)
    assert [d.rule for d in drafts] == (["reserve_audit_opinion_failed"] if found else [])
    if found:
        assert drafts[0].severity == CRITICAL
        assert drafts[0].evidence["opinion"] == opinion
        assert "Samjong KPMG" in drafts[0].message.en


def financials(opinion):
    return {
        "financial_year_start": "2026-01-01",
        "financial_year_end": "2026-12-31",
        "own_funds_krw": str(6 * BILLION),
        "auditor": "Samil PwC",
        "opinion": opinion,
        "outstanding_issuance_krw": str(10 * BILLION),
    }


@pytest.mark.parametrize(
    ("opinion", "found"),
    [("unqualified", False), ("qualified", False), ("adverse", True), ("disclaimer", True)],
)
def test_an_adverse_or_disclaimed_opinion_on_the_financial_statements_is_critical(opinion, found):
    """Act on External Audit of Stock Companies (the auditor's opinion); MiCA Art 35 (own
    funds as audited): qualified is just below the line, adverse at it, disclaimer above."""
    drafts = only(
        check_report("audited_financials", financials(opinion), CTX),
        "financial_statements_opinion_failed",
    )
    assert len(drafts) == (1 if found else 0)
    if found:
        assert drafts[0].severity == CRITICAL
        assert drafts[0].evidence["financial_year_end"] == "2026-12-31"


def incident(kind):
    body = {
        "incident_kind": kind,
        "occurred_at": "2026-09-23T09:00:00+09:00",
        "description": "What happened.",
    }
    if kind == "depeg":
        body |= {"lowest_price_krw": "0.999", "hours_below_floor": "1"}
    return body


@pytest.mark.parametrize(
    ("kind", "rule", "severity"),
    [
        ("hack", "incident_security_breach", CRITICAL),
        ("key_loss", "incident_security_breach", CRITICAL),
        ("outage", "incident_outage", WARNING),
        ("depeg", None, None),
        ("other", None, None),
    ],
)
def test_a_hack_or_loss_of_keys_is_critical_an_outage_a_warning(kind, rule, severity):
    """MiCA Art 30(3) (the incident report), Art 34 (ICT risk): a hack or lost keys put
    holders' tokens and the reserve at risk; an outage stops redemption at any time
    (docs/domain.md section 3.7) for a while. A depeg within its floor and "other" are
    no finding of these rules."""
    drafts = check_report("incident_report", incident(kind), CTX)
    assert [(d.rule, d.severity) for d in drafts] == ([(rule, severity)] if rule else [])
    if rule:
        assert drafts[0].evidence == {"incident_kind": kind, "occurred_on": "2026-09-23"}


# -- the ISMS certificate on the calendar ---------------------------------------------

EXPIRES = date(2028, 6, 28)


@pytest.mark.parametrize(
    ("today", "found"),
    [(date(2028, 6, 27), False), (EXPIRES, False), (date(2028, 6, 29), True)],
)
def test_an_isms_certificate_is_valid_through_its_expiry_day_and_past_it_the_day_after(
    today, found
):
    """Network Act Art 47 (ISMS) and the registration's condition (docs/domain.md section
    3.9): the day before and the expiry day itself are valid; the day after is critical."""
    drafts = isms_past_expiry_findings(EXPIRES, today, "ISMS-P-KISA-2025-031")
    assert len(drafts) == (1 if found else 0)
    if found:
        (draft,) = drafts
        assert (draft.rule, draft.severity) == ("isms_certificate_past_expiry", CRITICAL)
        assert draft.evidence["isms_valid_until"] == "2028-06-28"
        assert "ISMS-P-KISA-2025-031" in draft.message.ko


def test_the_expiry_is_the_applications_until_an_isms_change_report_gives_another():
    """The application's ICT security section sets the first expiry (docs/domain.md 3.9);
    the latest ISMS change report (by its effective day) replaces it."""
    assert isms_expiry("2028-06-28", []) == EXPIRES
    assert isms_expiry(None, []) is None
    renewed = {
        "change_kind": "isms",
        "effective_on": "2028-06-01",
        "isms_valid_until": "2031-06-27",
    }
    older = {"change_kind": "isms", "effective_on": "2027-01-01", "isms_valid_until": "2028-06-28"}
    assert isms_expiry("2028-06-28", [renewed, older]) == date(2031, 6, 27)
    assert (
        isms_expiry("2028-06-28", [{"change_kind": "isms", "effective_on": "2028-06-01"}])
        == EXPIRES
    )


def test_the_new_rules_name_their_source_and_severity():
    for code in (
        "reserve_custodian_not_segregated",
        "reserve_audit_opinion_failed",
        "financial_statements_opinion_failed",
        "incident_security_breach",
        "incident_outage",
        "isms_certificate_past_expiry",
    ):
        rule = RULES_BY_CODE[code]
        assert rule.source and rule.title.ko and rule.title.en
