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


PANEL = {"en": "What can happen next", "ko": "다음 단계"}


def _in_view(locator, page) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_steps_stay_in_view_beside_the_case_and_lead_to_their_forms(
    page, browser_app, language
):
    """However far the reviewer reads down the case, its steps are beside it; an open step's
    button there brings its form into view, with its heading below the sticky header."""
    with browser_app.app_context():
        case = _first(
            select(Application).where(Application.state == "submitted").order_by(Application.id)
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/language/{language}?next=/")
    login(page, "reviewer@fsc.example")
    page.goto(f"/review/cases/{case.id}")
    panel = page.locator("nav.app-actions-panel")
    assert panel.get_by_role("heading", name=PANEL[language]).is_visible()
    steps = page.locator("section.case-actions .transition-title")
    assert panel.locator("li").count() == steps.count() > 0

    page.locator("#history-title").scroll_into_view_if_needed()
    assert page.evaluate("() => window.scrollY") > 5000
    assert _in_view(panel, page), "the steps scrolled away with the page"
    shoot(page, f"case-actions-panel-{language}", full_page=False)

    first = panel.locator("a.krds-btn").first
    name = first.get_attribute("href").removeprefix("#step-")
    first.click()
    form = page.locator(f"form#step-{name}")
    page.wait_for_function(
        "(id) => { const r = document.getElementById(id).getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; }",
        arg=f"step-{name}",
    )
    heading = form.locator("h3.transition-title")
    assert _in_view(heading, page)
    assert not page.evaluate(
        "(el) => { const r = el.getBoundingClientRect();"
        " const h = document.getElementById('krds-header');"
        " return h && h.getBoundingClientRect().bottom > r.top; }",
        heading.element_handle(),
    ), "the sticky header covers the step's heading"
