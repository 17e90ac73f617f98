"""A surrender in a real browser, in Korean and in English: the issuer asks with its plan to
redeem every holder, an approver accepts it after the confirm step, and the issuer reports
the redemption on the supervision page until nothing is outstanding (docs/domain.md section
4, surrender and wind-down)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Application, Registration
from service.timezone import korea_today
from tests.browser.conftest import follow, registered_case, shoot, signed_in
from tests.service.factories import PASSWORD

WORDS = {
    "ko": {
        "asked": "자진 반납 신청",
        "ended": "모든 보유자에게 상환해야 합니다",
        "done": "남은 발행량이 없습니다",
    },
    "en": {
        "asked": "Surrender requested",
        "ended": "every holder is to be redeemed by",
        "done": "nothing was outstanding on",
    },
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_issuer_asks_to_surrender_an_approver_accepts_and_the_redemption_is_reported(
    chromium, live_server, browser_app, language
):
    words = WORDS[language]
    case = registered_case(browser_app)
    case_id, number = case.case_id, case.number
    redeem_by = (korea_today() + timedelta(days=60)).isoformat()

    issuer, mine = signed_in(chromium, live_server, case.issuer, language, PASSWORD)
    mine.goto(f"/applications/{case_id}")
    form = mine.locator("form.transition-form:has(button[value=surrender])")
    form.locator("textarea[name=reason]").fill("Ceasing issuance.")
    form.locator("textarea[name=plan]").fill("Every holder is paid at par from the reserve.")
    form.locator("input[name=redeem_by]").fill(redeem_by)
    follow(mine, form.locator("button[type=submit]"))
    assert words["asked"] in mine.locator("main").inner_text()

    approver, page = signed_in(chromium, live_server, case.approver, language, PASSWORD)
    page.goto(f"/review/cases/{case_id}")
    accept = page.locator("form.transition-form:has(button[value=accept_surrender])")
    accept.locator("textarea[name=reasons]").fill("The reserve covers every holder.")
    follow(page, accept.locator("button[type=submit]"))
    shoot(page, f"surrender-confirm-{language}")
    follow(page, "#confirm-step")
    approver.close()
    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "surrendered"

    mine.goto(f"/monitoring/registrations/{number}")
    assert words["ended"] in mine.locator("#wind-down").inner_text()
    report = mine.locator("form.redemption-form")
    report.locator("input[name=as_of]").fill(korea_today().isoformat())
    report.locator("input[name=outstanding_krw]").fill("0")
    report.locator("input[name=holders_outstanding]").fill("0")
    follow(mine, report.locator("button[type=submit]"))
    assert words["done"] in mine.locator("#wind-down").inner_text()
    assert mine.locator("form.redemption-form").count() == 0
    shoot(mine, f"surrender-wound-down-{language}")
    issuer.close()
    with browser_app.app_context():
        registration = db.session.execute(
            select(Registration).where(Registration.number == number)
        ).scalar_one()
        assert registration.wound_down_on == korea_today()
