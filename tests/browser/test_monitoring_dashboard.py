"""Supervision in a real browser: the dashboard's charts come from the demo's filed reports."""

import re

from tests.browser.conftest import follow, login, shoot


def test_the_supervision_dashboard_draws_the_market_charts_from_the_database(page):
    page.goto("/language/en?next=/")
    login(page, "supervisor@fsc.example")
    follow(page, "nav.krds-main-menu a:has-text('Supervision')")
    assert page.url.endswith("/monitoring")
    outstanding = page.locator("#chart-market-outstanding svg[role=img]")
    assert outstanding.is_visible()
    points = outstanding.locator("circle.chart-point")
    # Twelve monthly reserve reports of the demo's registered KRW stablecoin: 40bn rising by 10bn.
    assert points.count() == 12
    assert points.first.get_attribute("data-value") == "40000000000"
    assert points.last.get_attribute("data-value") == "150000000000"
    bars = page.locator("#chart-market-flows rect.chart-bar")
    assert bars.count() == 24  # inbound and outbound for each month
    assert page.locator("table.tbl", has_text="KVI-").first.is_visible()
    shoot(page, "supervision-dashboard-en")


def test_an_issuer_page_shows_coverage_findings_and_grounds_for_suspension(page):
    page.goto("/language/en?next=/")
    login(page, "supervisor@fsc.example")
    page.goto("/monitoring")
    follow(page, "table.tbl tr:has-text('KRW stablecoin') a")
    coverage = page.locator("#chart-coverage circle.chart-point")
    assert coverage.count() == 12
    values = [float(v) for v in coverage.evaluate_all("els => els.map(e => e.dataset.value)")]
    assert min(values) < 100 <= max(values)
    assert page.locator("#chart-coverage .chart-reference").count() == 1
    assert page.locator(".app-notice-title", has_text="Grounds for suspension").is_visible()
    finding = page.locator("tr[data-rule=reserve_coverage_below_minimum]").first
    assert finding.is_visible()
    # The alert and the monthly table give the same figure for the same month.
    month, percent = re.search(
        r"in (\d{4}-\d{2}),.* covers ([\d.]+)%", finding.inner_text()
    ).groups()
    row = page.locator("table.tbl tr", has=page.locator(f"th:text-is('{month}')"))
    assert row.locator("td").last.inner_text().strip() == f"{percent}%"
    shoot(page, "supervision-issuer-en")
    row = page.locator("tr[data-rule=cross_border_net_outflow]")
    row.locator("input[name=comment]").first.fill("Asked the issuer for the counterparties.")
    follow(page, row.locator("button[value=acknowledge]"))
    assert "Asked the issuer" in page.locator("tr[data-rule=cross_border_net_outflow]").inner_text()


def test_an_auditor_reads_the_dashboard_without_any_action(page):
    login(page, "auditor@bai.example")
    page.goto("/monitoring")
    assert page.locator("#chart-market-outstanding circle.chart-point").count() == 12
    follow(page, "table.tbl tr:has-text('원화 스테이블코인') a")
    assert page.locator("form.app-finding-move").count() == 0
    assert page.locator("#warning-title").count() == 0
    shoot(page, "supervision-issuer-auditor-ko")


def test_an_issuer_files_a_monthly_report_from_its_calendar(page):
    page.goto("/language/en?next=/")
    login(page, "issuer@hanbit.example")
    page.goto("/monitoring")
    follow(page, "table.tbl tr:has-text('KRW stablecoin') a")
    shoot(page, "issuer-reports-en")
    follow(page, "a[href*='kind=redemption_statistics']:has-text('File')")
    page.fill("#field-requests_count", "12")
    page.fill("#field-requested_amount_krw", "120000000")
    page.fill("#field-paid_within_deadline_count", "11")
    page.fill("#field-paid_late_count", "1")
    page.fill("#field-longest_payment_business_days", "7")
    shoot(page, "issuer-report-form-en")
    follow(page, "#check-report")
    follow(page, "#file-report")
    assert page.get_by_text("Report filed as VAR-").is_visible()
    assert page.locator("tr[data-rule=redemption_paid_late]").count() >= 1
