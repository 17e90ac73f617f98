"""The reviewer's case page at a desktop's 1280 px, in both languages: nothing wider than the
screen, and the application's repeating groups (the business plan's months) as tables, a
row an entry, instead of a label and a value a line (issue 20, "The desk")."""

import pytest
from sqlalchemy import select

from service.models import Application
from tests.browser.conftest import login, shoot
from tests.browser.test_every_page import _first

CAPTION = {
    "en": "Business plan · Monthly financial projections",
    "ko": "사업계획 · 월별 재무 추정",
}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_case_page_fits_the_screen_and_shows_the_months_as_a_table(
    page, browser_app, language
):
    with browser_app.app_context():
        case = _first(
            select(Application).where(Application.state == "submitted").order_by(Application.id)
        )
        months = len(case.sections["business_plan"]["monthly_projections"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/language/{language}?next=/")
    login(page, "reviewer@fsc.example")
    page.goto(f"/review/cases/{case.id}")
    width, screen = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= screen, f"the page is {width} px wide on a {screen} px screen"
    table = page.locator("table", has=page.locator(f"caption:text-is('{CAPTION[language]}')"))
    assert table.locator("tbody tr").count() == months
    assert page.locator("#filed-title ~ * th", has_text="›").count() == 0
    shoot(page, f"case-page-layout-{language}", full_page=False)
