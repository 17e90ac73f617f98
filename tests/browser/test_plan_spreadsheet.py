"""A compliance officer fills the business plan's monthly projections from a workbook instead
of a 36-month page of inputs, in a real browser in both languages (docs/design.md, "Tables
as spreadsheets")."""

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from service.models import Application, Organization
from tests.browser.conftest import follow, login, shoot
from tests.browser.test_every_page import _first

TEXT = {
    "en": {"filled": "filled from the workbook and saved", "bad": "Row 2, Revenue (KRW)"},
    "ko": {"filled": "통합문서에서", "bad": "2행 수익(원)"},
}
REVENUE = {"en": 123_456_789, "ko": 987_654_321}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_plans_months_come_from_a_workbook(page, browser_app, language, tmp_path):
    with browser_app.app_context():
        hanbit = _first(select(Organization.id).where(Organization.name_en == "Hanbit Bank"))
        draft = _first(
            select(Application.id).where(
                Application.organization_id == hanbit, Application.state == "draft"
            )
        )
    text = TEXT[language]
    page.goto(f"/language/{language}?next=/")
    login(page, "issuer@hanbit.example")
    page.goto(f"/applications/{draft}/sections/business_plan")
    with page.expect_download() as download:
        page.locator("#spreadsheet-monthly_projections a[download]").dispatch_event("click")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    sheet = book.worksheets[0]
    assert sheet.max_row > 1  # the plan's months, laid out

    sheet.cell(2, 2, "lots")
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    page.set_input_files("#field-workbook-monthly_projections", str(bad))
    follow(page, "#upload-monthly_projections")
    assert text["bad"] in page.locator("#error-summary").inner_text()

    sheet.cell(2, 2, REVENUE[language])
    good = tmp_path / "good.xlsx"
    book.save(good)
    page.set_input_files("#field-workbook-monthly_projections", str(good))
    follow(page, "#upload-monthly_projections")
    assert text["filled"] in page.locator(".app-flashes").inner_text()
    first_revenue = page.locator("#field-monthly_projections-0-revenue_krw").input_value()
    assert first_revenue.replace(",", "") == str(REVENUE[language])
    shoot(page, f"plan-spreadsheet-{language}", full_page=False)
