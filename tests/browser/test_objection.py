"""An objection to a refusal, in a real browser, in Korean and in English: the issuer objects
on its application page, an approver who did not refuse upholds it from the case page's
step, and the case is back for a new decision (docs/domain.md section 4, objection;
Administrative Procedures Act Art 36)."""

import pytest
from sqlalchemy import select

from service.applications import operations
from service.extensions import db
from service.hearings import operations as hearings
from service.models import Application, Objection, User
from tests.browser.conftest import follow, login, shoot
from tests.service.factories import draft, user

WORDS = {
    "ko": {"object": "결정에 대한 이의신청", "uphold": "이의신청 인용(재결정)", "upheld": "인용"},
    "en": {
        "object": "Object to the decision",
        "uphold": "Uphold the objection and decide again",
        "upheld": "Upheld on",
    },
}


def _user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _refused_after_a_hearing() -> int:
    """A case of Nuri Labs refused, after its notice and comments, by an approver other than
    the demo's, who then decides the objection."""
    issuer, reviewer = _user("issuer@nurilabs.example"), _user("reviewer2@fsc.example")
    approver = user("approver", _user("approver@fsc.example").organization)
    case = draft(issuer, "other_virtual_asset")
    operations.transition(case.id, "submit", issuer, {})
    operations.transition(case.id, "mark_complete", reviewer, {})
    operations.transition(
        case.id,
        "recommend",
        reviewer,
        {
            "recommendation": "refuse",
            "reasons": "Capital short.",
            "grounds": ["requirements_not_met"],
        },
    )
    notice = hearings.give_notice(
        case.id,
        approver,
        {"action": "refuse", "grounds": "Capital short.", "comment_deadline": "2099-01-01"},
    )
    hearings.file_comments(case.id, notice.id, issuer, {"comments": "Raised on 20 November."})
    operations.transition(
        case.id,
        "refuse",
        approver,
        {"grounds": ["requirements_not_met"], "reasons": "Capital short."},
    )
    return case.id


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_issuer_objects_and_another_approver_upholds_it(
    chromium, live_server, browser_app, language
):
    words = WORDS[language]
    with browser_app.app_context():
        case_id = _refused_after_a_hearing()

    issuer = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    mine = issuer.new_page()
    mine.goto(f"/language/{language}?next=/")
    login(mine, "issuer@nurilabs.example")
    mine.goto(f"/applications/{case_id}")
    form = mine.locator("form.objection-form")
    assert form.get_by_role("heading", name=words["object"]).is_visible()
    form.locator("textarea[name=grounds]").fill("The capital was raised before the decision.")
    shoot(mine, f"objection-lodge-{language}")
    follow(mine, form.locator("button[type=submit]"))
    assert mine.locator("tr.objection", has_text="raised before the decision").is_visible()
    assert mine.locator("form.objection-form").count() == 0
    issuer.close()

    approver = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = approver.new_page()
    page.goto(f"/language/{language}?next=/")
    login(page, "approver@fsc.example")
    page.goto(f"/review/cases/{case_id}")
    assert page.locator("form.dismissal-form").is_visible()
    uphold = page.locator("form.transition-form:has(button[value=reconsider])")
    assert words["uphold"] in uphold.locator("h3").inner_text()
    uphold.locator("textarea[name=reasons]").fill("The capital was met on the day of decision.")
    follow(page, uphold.locator("button[type=submit]"))
    follow(page, "#confirm-step")
    outcome = page.locator("tr.objection .objection-outcome")
    assert words["upheld"] in outcome.inner_text()
    shoot(page, f"objection-upheld-{language}")
    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "recommended"
        objection = db.session.execute(
            select(Objection).where(Objection.application_id == case_id)
        ).scalar_one()
        assert objection.outcome == "upheld"
    approver.close()
