"""An approver's decision in Korean: the form starts from the conditions the reviewer
recommended, and the decision is restated on a page of its own before it is taken; going
back changes nothing. (The English walk is in test_review_journey.py.)"""

from sqlalchemy import select

from service.applications import operations
from service.extensions import db
from service.models import Application, Registration, User
from tests.browser.conftest import follow, login, shoot

CONDITION = "분기별 토큰 보유자 현황 보고"


def test_the_approver_confirms_a_decision_that_starts_from_the_recommended_conditions(
    chromium, live_server, browser_app
):
    with browser_app.app_context():
        case_id = db.session.execute(
            select(Application.id).where(
                Application.state == "assessment", Application.category == "security_token"
            )
        ).scalar_one()
        reviewer = db.session.execute(
            select(User).where(User.email == "reviewer@fsc.example")
        ).scalar_one()
        operations.transition(
            case_id,
            "recommend",
            reviewer,
            {"recommendation": "approve", "reasons": "요건 충족.", "conditions": [CONDITION]},
        )

    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/language/ko?next=/")
    login(page, "approver@fsc.example")
    page.goto(f"/review/cases/{case_id}")
    approve = page.locator("form.transition-form:has(button[value=approve])")
    assert approve.locator("textarea[name=conditions]").input_value() == CONDITION

    follow(page, approve.locator("button[type=submit]"))
    assert page.locator("h1", has_text="확인: 등록 승인").is_visible()
    assert page.get_by_text("일어날 일").is_visible()
    assert page.locator("#confirm-entered").get_by_text(CONDITION).is_visible()
    shoot(page, "decision-confirm-ko")
    # Going back takes nothing.
    follow(page, page.get_by_role("link", name="사건으로 돌아가기"))
    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "recommended"

    approve = page.locator("form.transition-form:has(button[value=approve])")
    follow(page, approve.locator("button[type=submit]"))
    follow(page, "#confirm-step")
    assert page.locator(".krds-badge", has_text="등록").first.is_visible()
    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "registered"
        registration = db.session.execute(
            select(Registration).where(Registration.application_id == case_id)
        ).scalar_one()
        assert registration.conditions == [CONDITION]
    context.close()
