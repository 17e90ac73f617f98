"""A supervisor caps a registration's issuance and restricts new issuance short of
suspension, in a real browser in both languages; the public register shows both
(docs/domain.md section 5)."""

import re

import pytest

from tests.browser.conftest import follow, login, shoot

TEXT = {
    "en": {
        "row": "KRW stablecoin",
        "cap": "Issuance cap",
        "restricted": "redemptions go on",
        "not_restricted": "Not restricted",
        "set": "Set the cap",
        "restrict": "Restrict new issuance",
        "lift": "Lift the restriction",
    },
    "ko": {
        "row": "원화 스테이블코인",
        "cap": "발행 한도",
        "restricted": "상환은 계속",
        "not_restricted": "제한 없음",
        "set": "한도 설정",
        "restrict": "신규 발행 제한",
        "lift": "제한 해제",
    },
}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_supervisor_caps_and_restricts_new_issuance_and_the_register_shows_it(page, language):
    text = TEXT[language]
    page.goto(f"/language/{language}?next=/")
    login(page, "supervisor@fsc.example")
    page.goto("/monitoring")
    follow(page, f"table.tbl tr:has-text('{text['row']}') a")
    number = re.search(r"KVI-\d{4}-\d{4}", page.url).group(0)
    form = page.locator("#issuance form")
    assert form.locator("button[value=cap]").inner_text().strip() == text["set"]

    form.locator("input[name=cap_krw]").fill("150000000000")
    form.locator("textarea[name=reason]").fill("Custody capacity of the reserve banks.")
    follow(page, form.locator("button[value=cap]"))
    assert "₩150,000,000,000" in page.locator("main").inner_text()

    form = page.locator("#issuance form")
    assert form.locator("button[value=restrict]").inner_text().strip() == text["restrict"]
    form.locator("textarea[name=reason]").fill("Reserve audit opinion disclaimed.")
    follow(page, form.locator("button[value=restrict]"))
    summary = page.locator("main").inner_text()
    assert text["restricted"] in summary and "Reserve audit opinion disclaimed." in summary
    assert page.locator("#issuance button[value=lift]").inner_text().strip() == text["lift"]
    shoot(page, f"issuance-restricted-{language}")

    page.goto(f"/register/{number}")
    assert "₩150,000,000,000" in page.locator("td.issuance-cap").inner_text()
    assert text["restricted"] in page.locator("td.issuance-restriction").inner_text()
    assert "disclaimed" not in page.locator("main").inner_text()  # the reason stays inside
    shoot(page, f"issuance-register-{language}")

    # Put the demo back as it was for the other browser tests.
    page.goto(f"/monitoring/registrations/{number}")
    form = page.locator("#issuance form")
    form.locator("textarea[name=reason]").fill("Audit cleared.")
    follow(page, form.locator("button[value=lift]"))
    form = page.locator("#issuance form")
    form.locator("input[name=cap_krw]").fill("")
    form.locator("textarea[name=reason]").fill("Cap no longer needed.")
    follow(page, form.locator("button[value=cap]"))
    assert text["not_restricted"] in page.locator("main").inner_text()
