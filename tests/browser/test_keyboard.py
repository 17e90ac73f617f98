"""Forms work by keyboard alone: Tab to a field, type, Tab to the button, Enter; the error
summary takes the focus and its link takes the keyboard to the field."""

import re

from tests.browser.conftest import login, shoot

MAX_TABS = 200  # a page needs far fewer; more means the control is not reachable


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector).first
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_an_issuer_corrects_a_section_by_keyboard_alone(page):
    page.goto("/language/en?next=/")
    login(page, "issuer@hanbit.example")
    tasks = page.locator("a", has_text="Continue the application").first.get_attribute("href")
    application = re.search(r"/applications/(\d+)", tasks).group(1)
    page.goto(f"/applications/{application}/sections/capital")

    field = "#field-paid_in_capital_krw"
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("1,000,000")  # below the KRW stablecoin minimum
    tab_to(page, "button[name=save]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The summary has the focus, is announced (role=alert) and links to the field.
    assert focused_id(page) == "error-summary"
    assert page.locator("#error-summary[role=alert]").count() == 1
    shoot(page, "keyboard-error-summary-en")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == (
        "#field-paid_in_capital_krw"
    )
    page.keyboard.press("Enter")
    assert focused_id(page) == "field-paid_in_capital_krw"
    assert page.locator(field).get_attribute("aria-invalid") == "true"

    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("5,000,000,000")
    tab_to(page, "button[name=save]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/applications/{application}/tasks")
    assert page.get_by_text("Your answers were saved.").is_visible()
