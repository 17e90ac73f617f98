"""A refusal after a hearing, in a real browser, in Korean and in English: the approver gives
notice of the intended refusal, the issuer files its comments on its application page, the
approver refuses, and the decision's PDF cites the notice and the comments
(docs/domain.md section 4, hearing; Administrative Procedures Act Arts 21-22)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.applications import operations
from service.extensions import db
from service.models import Filing, PriorNotice, User
from service.timezone import korea_today
from tests.browser.conftest import choose, follow, login, shoot
from tests.service.factories import draft
from tests.service.pdfs import has_text
from workflows.lifecycle import comment_last_day

WORDS = {
    "ko": {
        "section": "처분의 사전 통지와 의견 제출",
        "comment": "의견 제출",
        "pdf": "사전 통지와 의견 제출",
    },
    "en": {
        "section": "Notices of intended action and comments",
        "comment": "Comment on notice",
        "pdf": "Prior notice and comments",
    },
}


def refused_fields(page) -> list[str]:
    """The fields a refused form names in its error summary: what an assertion reports."""
    return [link.get_attribute("href") for link in page.locator(".error-summary a").all()]


def _user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _recommended_for_refusal() -> int:
    """A case of Nuri Labs recommended for refusal, through the real steps."""
    issuer, reviewer = _user("issuer@nurilabs.example"), _user("reviewer2@fsc.example")
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
    return case.id


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_issuer_is_heard_before_the_refusal_and_the_decision_cites_it(
    chromium, live_server, browser_app, language
):
    words = WORDS[language]
    with browser_app.app_context():
        case_id = _recommended_for_refusal()
        deadline = korea_today() + timedelta(days=10)
        # A deadline on a weekend or holiday runs to the next business day (Civil Act Art 161).
        last_day = comment_last_day(deadline).isoformat()
        deadline = deadline.isoformat()

    approver = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = approver.new_page()
    page.goto(f"/language/{language}?next=/")
    login(page, "approver@fsc.example")
    page.goto(f"/review/cases/{case_id}")
    assert page.get_by_role("heading", name=words["section"]).is_visible()
    form = page.locator("form.notice-form")
    choose(form.locator("#t-give_notice-action-refuse"))
    form.locator("#t-give_notice-grounds").fill("Paid-in capital below the floor.")
    form.locator("#t-give_notice-comment_deadline").fill(deadline)
    follow(page, form.locator("button[type=submit]"))
    assert page.locator("tr.notice .notice-last-day", has_text=last_day).is_visible(), (
        refused_fields(page)
    )
    shoot(page, f"prior-notice-given-{language}")
    # No refusal yet: the issuer has not commented and its last day has not passed.
    assert page.locator("form.transition-form:has(button[value=refuse])").count() == 0

    issuer = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    mine = issuer.new_page()
    mine.goto(f"/language/{language}?next=/")
    login(mine, "issuer@nurilabs.example")
    mine.goto(f"/applications/{case_id}")
    comments = mine.locator("form.comments-form")
    assert comments.get_by_role("heading", name=words["comment"]).is_visible()
    comments.locator("textarea[name=comments]").fill("The capital was raised on 20 November.")
    shoot(mine, f"prior-notice-comments-{language}")
    follow(mine, comments.locator("button[type=submit]"))
    assert mine.locator("td.notice-comments", has_text="raised on 20 November").is_visible()
    assert mine.locator("form.comments-form").count() == 0
    issuer.close()

    page.goto(f"/review/cases/{case_id}")
    refuse = page.locator("form.transition-form:has(button[value=refuse])")
    choose(refuse.locator("#t-refuse-grounds-requirements_not_met"))
    refuse.locator("#t-refuse-reasons").fill("The capital is still short of the floor.")
    follow(page, refuse.locator("button[type=submit]"))
    assert page.locator("#confirm-step").count() == 1, refused_fields(page)
    follow(page, "#confirm-step")
    with browser_app.app_context():
        notice = db.session.execute(
            select(PriorNotice).where(PriorNotice.application_id == case_id)
        ).scalar_one()
        decision = db.session.execute(
            select(Filing.accession_number).where(
                Filing.application_id == case_id, Filing.kind == "decision"
            )
        ).scalar_one()
        assert notice.comments_accession and notice.decided_on
    # The case page lists the notice and the comments; the decision cites both.
    assert page.locator("tr.notice", has_text=notice.comments_accession).is_visible()
    pdf = page.request.get(f"/filings/{decision}.pdf")
    assert pdf.ok
    assert has_text(
        pdf.body(),
        words["pdf"] if language == "en" else "사전 통지와 의견 제출",
        notice.accession_number,
        notice.comments_accession,
    )
    approver.close()


SUPERVISOR = {
    "en": {"row": "Tokenized deposit", "suspend": "Suspend", "open": "may comment until"},
    "ko": {"row": "예금 토큰", "suspend": "영업 정지", "open": "의견을 제출할 수 있습니다"},
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_supervisor_gives_notice_of_suspension_from_the_registrations_page(page, language):
    """The supervisor works from the registration's page: the notice is given there, the page
    comes back listing it, and suspension stays closed while the issuer may comment."""
    text = SUPERVISOR[language]
    page.goto(f"/language/{language}?next=/")
    login(page, "supervisor@fsc.example")
    page.goto("/monitoring")
    follow(page, f"table.tbl tr:has-text('{text['row']}') a")
    back = page.url
    closed = page.locator(".transition-closed", has_text=text["suspend"]).first
    assert closed.locator(".transition-reason").is_visible()

    deadline = (korea_today() + timedelta(days=14)).isoformat()
    form = page.locator("form.notice-form")
    choose(form.locator("#t-give_notice-action-suspend"))
    grounds = f"Reserve reports late three months running ({language})."
    form.locator("#t-give_notice-grounds").fill(grounds)
    form.locator("#t-give_notice-comment_deadline").fill(deadline)
    follow(page, form.locator("button[type=submit]"))
    assert page.url == back, refused_fields(page)
    row = page.locator("tr.notice", has_text=grounds)
    assert row.is_visible()
    assert text["open"] in row.locator(".notice-comments").inner_text()
    reason = page.locator(".transition-closed", has_text=text["suspend"]).first
    assert text["open"] in reason.locator(".transition-reason").inner_text()
    shoot(page, f"prior-notice-supervisor-{language}")
