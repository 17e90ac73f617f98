"""At a phone's width the header's KRDS mobile menu opens, lists the main menu, and
its links lead where they say, in Korean and in English."""

import pytest

from tests.browser.conftest import follow, login, shoot

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server, locale="ko-KR", viewport=PHONE, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_mobile_menu_opens_and_follows_a_link_at_phone_width(phone, language):
    phone.goto(f"/language/{language}?next=/")
    login(phone, "issuer@hanbit.example")
    menu = phone.locator("#mobile-nav")
    assert not menu.is_visible()
    assert not phone.locator(".app-nav-narrow").is_visible()  # scripts run: the KRDS menu instead
    phone.locator("#krds-header .btn-navi.all").click()
    phone.wait_for_selector("#mobile-nav.is-open")
    link = menu.locator('a.gnb-sub-trigger[href="/monitoring"]')
    link.wait_for(state="visible")
    assert menu.locator("a.gnb-sub-trigger").count() == 3  # applications, reports, register
    phone.wait_for_timeout(500)  # the slide-in transition, for the screenshot
    shoot(phone, f"mobile-menu-open-{language}", full_page=False)
    follow(phone, link)
    assert phone.url.endswith("/monitoring")
    assert not menu.is_visible()
    shoot(phone, f"mobile-reports-{language}")


def test_the_mobile_menu_closes_with_its_close_button(phone):
    phone.goto("/register")
    phone.locator("#krds-header .btn-navi.all").click()
    phone.wait_for_selector("#mobile-nav.is-open")
    phone.locator("#close-nav").click()
    phone.wait_for_selector("#mobile-nav", state="hidden")
    assert phone.locator("#krds-header .btn-navi.all").is_visible()
