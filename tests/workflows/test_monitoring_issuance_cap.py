"""The issuance cap's rule on a reserve report (docs/domain.md section 5)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from forms.report_samples import reserve_report
from workflows.monitoring import CRITICAL, CheckContext, check_report
from workflows.regime import KR_2026

CAP = Decimal(10_000_000_000)
CTX = CheckContext(KR_2026, "krw_stablecoin", issuance_cap_krw=CAP)


def capped(findings):
    return [f for f in findings if f.rule == "outstanding_above_issuance_cap"]


@pytest.mark.parametrize(
    ("outstanding", "found"),
    [(int(CAP) - 1, False), (int(CAP), False), (int(CAP) + 1, True)],
)
def test_outstanding_at_the_cap_is_within_it_and_one_won_more_is_critical(outstanding, found):
    """A condition of registration set by the approver or a supervisor (docs/domain.md
    section 5); MiCA Art 23(1) (stop issuing past a limit) is the model: just below and
    at the cap pass, just above is a critical finding."""
    drafts = capped(
        check_report("reserve_report", reserve_report(date(2026, 9, 1), outstanding), CTX)
    )
    assert len(drafts) == (1 if found else 0)
    if found:
        (draft,) = drafts
        assert draft.severity == CRITICAL
        assert draft.evidence["threshold"] == "10000000000"
        assert draft.evidence["excess_krw"] == "1"
        assert "₩10,000,000,000" in draft.message.en
        assert "발행 한도" in draft.message.ko


def test_a_registration_without_a_cap_has_no_such_finding():
    report = reserve_report(date(2026, 9, 1), 10**15)
    assert capped(check_report("reserve_report", report, replace(CTX, issuance_cap_krw=None))) == []
