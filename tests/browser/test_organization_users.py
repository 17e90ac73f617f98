"""An issuer's administrator invites a preparer, in a real browser, in Korean and English:
a bad address is named on the form with the rest kept; the mailed one-time link and the
code the administrator is shown set a password and sign the preparer in; the preparer's
check page says an officer submits and offers no submit button; the administrator removes
the preparer (docs/domain.md section 1, "An issuer's people")."""

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import OutboxMessage
from tests.browser.conftest import choose, follow, shoot, signed_in
from tests.service.factories import PASSWORD, Cast, draft

WORDS = {
    "ko": {
        "users": "기관 사용자 초대 및 삭제",
        "removed": "삭제",
        "officer": "기관의 임원이 합니다",
    },
    "en": {
        "users": "Your organization's users: invite and remove",
        "removed": "Removed",
        "officer": "An officer of your organization signs",
    },
}


def mailed_link(app, email: str) -> str:
    with app.app_context():
        sent = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.event == "invitation")
        ).scalars()
        (message,) = [m for m in sent if m.recipients == [email]]
        (path,) = re.findall(r"https?://[^/\s]+(/invitations/\S+)", message.body)
        return path


@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_administrator_invites_a_preparer_who_cannot_submit(
    chromium, live_server, browser_app, language
):
    words = WORDS[language]
    with browser_app.app_context():
        cast = Cast()
        case_id = draft(cast.issuer, cast.category).id
        admin_email = cast.issuer.email
    invited = f"preparer-{language}@bank.example"

    admin, page = signed_in(chromium, live_server, admin_email, language, PASSWORD)
    page.goto("/account")
    follow(page, page.get_by_role("link", name=words["users"]))
    form = page.locator("form[action$='/organization/users/invite']")
    form.locator("#field-name").fill("박지우")
    form.locator("#field-email").fill("not an address")
    choose(form.locator("#duty-preparer"))
    follow(page, form.locator("#send-invitation"))
    assert page.locator("#error-summary a[href='#field-email']").is_visible()
    assert page.locator("#field-name").input_value() == "박지우"
    page.locator("#field-email").fill(invited)
    follow(page, page.locator("#send-invitation"))
    assert page.locator("tr", has_text=invited).is_visible()
    # The code is shown once, to be given another way than the e-mail.
    (code,) = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", page.locator(".app-notice").inner_text())
    shoot(page, f"organization-users-{language}")

    link = mailed_link(browser_app, invited)
    newcomer = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    mine = newcomer.new_page()
    mine.goto(f"/language/{language}?next={link}")
    assert invited in mine.locator("main").inner_text()
    mine.locator("#field-code").fill(code)
    mine.locator("#field-password").fill("short")
    mine.locator("#field-confirm_password").fill("short")
    follow(mine, mine.locator("#create-account"))
    assert mine.locator("#error-summary a[href='#field-password']").first.is_visible()
    shoot(mine, f"invitation-refused-{language}")
    mine.locator("#field-password").fill("harbour-lantern-42")
    mine.locator("#field-confirm_password").fill("harbour-lantern-42")
    follow(mine, mine.locator("#create-account"))
    assert "/invitations/" not in mine.url
    mine.goto(f"/applications/{case_id}/check")
    notice = mine.locator("#officer-submits")
    assert words["officer"] in notice.inner_text()
    assert mine.locator("#submit-application").count() == 0
    shoot(mine, f"preparer-check-{language}")
    # The link worked once.
    mine.goto(link)
    assert mine.locator("#create-account").count() == 0

    page.reload()
    row = page.locator("tr", has_text=invited)
    follow(page, row.locator("button[type=submit]"))
    row = page.locator("tr", has_text=invited)
    assert row.locator(".krds-badge").inner_text() == words["removed"]
    assert row.locator("button").count() == 0
    mine.goto(f"/applications/{case_id}/check")
    assert "/login" in mine.url
    newcomer.close()
    admin.close()
