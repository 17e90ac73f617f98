"""An issuer drafts a monthly report, saves it, is told what a refused field needs, checks
the report with what the automatic rules will raise, and only then files it, in a real
browser in both languages (docs/design.md, "Reports are drafted, checked, then filed")."""

import re

import pytest

from tests.browser.conftest import follow, open_report_form, shoot

TEXT = {
    "en": {"saved": "Draft saved", "check": "Check your report before you file it"},
    "ko": {"saved": "초안을 저장했습니다", "check": "제출하기 전에 보고서를 확인하세요"},
}
# November 2026's redemption statistics; a different month for each language, so the two
# runs do not supersede each other's report.
PERIODS = {"en": ("2026-11-01", "2026-11-30"), "ko": ("2026-10-01", "2026-10-31")}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_issuer_drafts_checks_and_then_files_a_report(page, language):
    text = TEXT[language]
    number = open_report_form(page, language, "redemption_statistics")
    start, end = PERIODS[language]
    page.fill("#field-period_start", start)
    page.fill("#field-period_end", end)
    page.fill("#field-requests_count", "12")
    # Typed as on a Korean keyboard's full-width mode, with the won sign.
    page.fill("#field-requested_amount_krw", "₩１２０，０００，０００")
    page.fill("#field-paid_within_deadline_count", "eleven")
    page.fill("#field-paid_late_count", "1")
    page.fill("#field-longest_payment_business_days", "9")

    # Saving is only saving: the values come back, nothing is filed.
    follow(page, "#save-draft")
    assert text["saved"] in page.locator(".app-flashes").inner_text()
    assert page.input_value("#field-requested_amount_krw") == "₩１２０，０００，０００"
    assert page.input_value("#field-paid_within_deadline_count") == "eleven"

    # Checking refuses the bad field by name, and keeps what was typed.
    follow(page, "#check-report")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.input_value("#field-paid_within_deadline_count") == "eleven"
    page.fill("#field-paid_within_deadline_count", "11")
    follow(page, "#check-report")

    # The check page restates the period and what filing will raise.
    assert page.locator("h1").inner_text().strip() == text["check"]
    main = page.locator("main").inner_text()
    assert start in main and end in main
    assert "120,000,000" in main  # the amount as it will be filed
    assert page.locator("#findings-preview li, #findings-preview-none").count() >= 1
    shoot(page, f"report-check-{language}")
    follow(page, "#file-report")
    assert f"/monitoring/registrations/{number}" in page.url
    flash = page.locator(".app-flashes").inner_text()
    assert re.search(r"\d{10}-\d{2}-\d{6}|[A-Z0-9-]{10,}", flash), flash
