"""A reviewer closes a case the issuer let stall: the queue flags it once the resubmission
deadline has passed, the case page offers the closing step, and the case ends closed for
non-response (docs/domain.md section 4, stalled cases). In Korean and in English."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.applications import operations
from service.demo import submitted_application
from service.extensions import db
from service.models import Application, Filing, User
from service.timezone import korea_today
from tests.browser.conftest import follow, login, shoot
from workflows.clock import add_business_days

WORDS = {
    "ko": {"flag": "기한 경과", "step": "미보완 종결", "closed": "기한 경과 종결"},
    "en": {
        "flag": "Overdue",
        "step": "Close as not resubmitted",
        "closed": "Closed for non-response",
    },
}


def _returned_long_ago(app) -> int:
    """A case returned as incomplete two months ago, its deadline long passed."""
    with app.app_context():
        issuer = db.session.scalars(
            select(User).where(User.email == "issuer@nurilabs.example")
        ).one()
        reviewer = db.session.scalars(
            select(User).where(User.email == "reviewer@fsc.example")
        ).one()
        then = korea_today() - timedelta(days=60)
        case = submitted_application(issuer, "other_virtual_asset", then)
        operations.transition(
            case.id,
            "return_incomplete",
            reviewer,
            {
                "missing": ["Audited statements of the last financial year"],
                "deadline": add_business_days(then, 10).isoformat(),
            },
            today=then,
        )
        return case.id


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_reviewer_closes_an_overdue_case(chromium, live_server, browser_app, language):
    case_id = _returned_long_ago(browser_app)
    words = WORDS[language]
    context = chromium.new_context(
        base_url=live_server, locale="ko-KR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"/language/{language}?next=/")
    login(page, "reviewer@fsc.example")

    page.goto("/review?state=returned_incomplete")
    row = page.locator(f'table.queue tbody tr[data-case="{case_id}"]')
    assert row.get_attribute("data-stalled") == "1"
    assert row.locator(".krds-badge", has_text=words["flag"]).is_visible()
    shoot(page, f"review-queue-stalled-{language}")

    follow(page, row.locator(f'a[href$="/review/cases/{case_id}"]'))
    form = page.locator("form.transition-form:has(button[value=close_not_resubmitted])")
    assert words["step"] in form.inner_text()
    form.locator("textarea[name=reason]").fill("No resubmission by the deadline.")
    follow(page, form.locator("button[type=submit]"))
    assert page.locator(".krds-badge", has_text=words["closed"]).first.is_visible()
    shoot(page, f"review-case-closed-for-non-response-{language}")

    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "discontinued"
        assert db.session.scalars(
            select(Filing).where(Filing.application_id == case_id, Filing.kind == "closure_notice")
        ).one()
    context.close()
