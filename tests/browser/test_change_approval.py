"""A change of the white paper applied for in advance, in a real browser, in Korean and in
English: the issuer applies on its application page (a missing answer is named on the form
and the rest kept), an approver finds it on the review queue among what awaits a decision
and approves it on the case page, and the public register publishes the new version
(docs/domain.md section 5, changes approved in advance)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import ChangeApproval
from service.timezone import korea_today
from tests.browser.conftest import choose, follow, registered_case, shoot, signed_in
from tests.service.factories import PASSWORD

WORDS = {
    "ko": {"apply": "변경 승인 신청", "required": "백서 변경에는 필수입니다.", "approved": "승인"},
    "en": {
        "apply": "Apply for a change",
        "required": "Required for a change of the white paper.",
        "approved": "Approved",
    },
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_issuer_applies_for_a_white_paper_change_and_an_approver_approves_it(
    chromium, live_server, browser_app, language
):
    words = WORDS[language]
    case = registered_case(browser_app)
    case_id, number = case.case_id, case.number
    planned = (korea_today() + timedelta(days=30)).isoformat()

    issuer, mine = signed_in(chromium, live_server, case.issuer, language, PASSWORD)
    mine.goto(f"/applications/{case_id}")
    form = mine.locator("form.change-form")
    assert form.get_by_role("heading", name=words["apply"]).is_visible()
    choose(form.locator("input[name=kind][value=white_paper]"))
    form.locator("input[name=planned_on]").fill(planned)
    form.locator("textarea[name=description]").fill("Redemption within two business days.")
    form.locator("input[name=white_paper_version]").fill("2.0")
    follow(mine, form.locator("button[type=submit]"))
    # Refused for the missing date: named on the form, every other answer kept.
    form = mine.locator("form.change-form")
    assert words["required"] in form.locator("#error-summary").inner_text()
    assert form.locator("input[name=white_paper_version]").input_value() == "2.0"
    assert form.locator("input[name=kind][value=white_paper]").is_checked()
    form.locator("input[name=white_paper_date]").fill("2026-11-30")
    shoot(mine, f"change-apply-{language}")
    follow(mine, form.locator("button[type=submit]"))
    row = mine.locator("tr.change", has_text="Redemption within two business days.")
    assert row.is_visible() and "2.0" in row.inner_text()
    accession = row.get_attribute("data-change")
    issuer.close()

    approver, page = signed_in(chromium, live_server, case.approver, language, PASSWORD)
    # The queue shows the change among what waits for an approver, and leads to its case.
    page.goto("/review")
    waiting = page.locator(f"tr[data-filing='{accession}']")
    assert planned in waiting.inner_text()
    follow(page, waiting.locator("a"))
    assert page.url.endswith(f"/review/cases/{case_id}")
    decision = page.locator("form.change-decision-form")
    choose(decision.locator("input[name=decision][value=approve]"))
    decision.locator("textarea[name=reasons]").fill("The redemption terms improve.")
    follow(page, decision.locator("button[type=submit]"))
    outcome = page.locator("tr.change .change-outcome")
    assert words["approved"] in outcome.inner_text()
    assert page.locator("form.change-decision-form").count() == 0
    shoot(page, f"change-approved-{language}")
    page.goto(f"/register/{number}")
    assert "2.0" in page.locator("tr", has_text="2026-11-30").inner_text()
    approver.close()
    with browser_app.app_context():
        change = db.session.execute(
            select(ChangeApproval).where(ChangeApproval.application_id == case_id)
        ).scalar_one()
        assert change.outcome == "approved"
