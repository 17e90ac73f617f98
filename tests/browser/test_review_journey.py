"""The whole review in a browser: claim, complete, ask, the issuer answers, the diff, the
recommendation, four eyes, the approver's decision and the public register."""

import re

from sqlalchemy import select

from service.extensions import db
from service.models import Application, Registration
from service.timezone import korea_today
from tests.browser.conftest import follow, login, shoot
from workflows.clock import add_business_days


def _form(page, step: str):
    return page.locator(f"form.transition-form:has(button[value={step}])")


def _amend_business_plan(page, application_id: int, target_users: str) -> None:
    """The issuer changes a section through its page while the request is open. The change
    withdraws the officer's declaration: the response waits until the officer confirms the
    answers as amended."""
    page.goto(f"/applications/{application_id}/sections/business_plan")
    assert page.get_by_text("Changes go with your response").is_visible()
    page.fill("#field-target_users", target_users)
    follow(page, "button[name=save]")
    assert page.locator('[data-amended="business_plan"]').is_visible()
    page.goto(f"/applications/{application_id}")
    closed = page.locator('.transition-closed:has(.transition-title:text-is("Respond"))')
    assert "The answers you changed are not complete: Declaration" in closed.inner_text()

    page.goto(f"/applications/{application_id}/sections/declaration")
    confirmed = page.locator("#field-confirmed")
    assert not confirmed.is_checked()
    page.locator('label[for="field-confirmed"]').dispatch_event("click")
    assert confirmed.is_checked()
    follow(page, "button[name=save]")
    shoot(page, "issuer-task-list-amended-while-requested")


def test_a_case_goes_from_claim_to_the_public_register(chromium, live_server, browser_app):
    def tab():
        context = chromium.new_context(
            base_url=live_server, locale="en-US", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto("/language/en?next=/")
        return page

    reviewer = tab()
    login(reviewer, "reviewer2@fsc.example")
    reviewer.goto("/review?state=submitted&assignee=none&category=other_virtual_asset")
    shoot(reviewer, "review-queue-unassigned")
    row = reviewer.locator("table.queue tbody tr[data-case]").first
    case_id = int(row.get_attribute("data-case"))
    follow(reviewer, row.get_by_role("button", name=re.compile("Take")))
    assert reviewer.url.endswith(f"/review/cases/{case_id}")
    assert reviewer.get_by_text("You took this case.").is_visible()

    follow(reviewer, _form(reviewer, "mark_complete").locator("button[type=submit]"))
    assert reviewer.locator(".krds-badge", has_text="In assessment").first.is_visible()

    asking = _form(reviewer, "request_information")
    asking.locator("textarea[name=questions]").fill("Name the custodian banks of the reserve.")
    answer_by = add_business_days(korea_today(), 15)
    asking.locator("input[name=due_on]").fill(answer_by.isoformat())
    follow(reviewer, asking.locator("button[type=submit]"))
    assert reviewer.locator(".krds-badge", has_text="Information requested").first.is_visible()
    shoot(reviewer, "review-case-information-requested")

    issuer = tab()
    login(issuer, "issuer@nurilabs.example")
    _amend_business_plan(issuer, case_id, "Corporate treasurers in Korea")
    issuer.goto(f"/applications/{case_id}")
    answering = _form(issuer, "respond")
    answering.locator("textarea[name=answers]").fill("Hanbit Bank and Nuri Savings Bank.")
    follow(issuer, answering.locator("button[type=submit]"))
    assert issuer.locator(".krds-badge", has_text="In assessment").first.is_visible()

    reviewer.goto(f"/review/cases/{case_id}")
    change = reviewer.locator("tr.diff-changed", has_text="Corporate treasurers in Korea")
    assert change.is_visible()
    assert "Business plan" in change.inner_text()
    # The response is read against the original submission, and the page says so.
    compared = reviewer.locator("h3.diff-compared").last
    assert "compared with" in compared.inner_text()
    assert reviewer.locator("p.diff-basis", has_text="original submission").is_visible()
    assert reviewer.get_by_text("Name the custodian banks of the reserve.").first.is_visible()
    shoot(reviewer, "review-case-diff")

    recommending = _form(reviewer, "recommend")
    # Clicked by event, not by coordinates: a late layout shift cannot make it miss.
    recommending.locator("label[for=t-recommend-recommendation-approve]").dispatch_event("click")
    assert recommending.locator("#t-recommend-recommendation-approve").is_checked()
    recommending.locator("textarea[name=reasons]").fill("Meets every requirement.")
    recommending.locator("textarea[name=conditions]").fill("Monthly reserve attestation")
    follow(reviewer, recommending.locator("button[type=submit]"))
    assert reviewer.locator(".krds-badge", has_text="Recommended").first.is_visible()

    # The reviewer cannot decide: the step is closed with its reason, and a forged post fails.
    closed = reviewer.locator(".transition-closed:has(.transition-title:text-is(\"Approve\"))")
    assert "Only an approver may approve." in closed.inner_text()
    token = reviewer.locator("input[name=csrf_token]").first.get_attribute("value")
    reviewer.request.post(
        f"/applications/{case_id}/transitions/approve", form={"csrf_token": token}
    )
    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "recommended"
    shoot(reviewer, "review-case-recommended-reviewer")

    approver = tab()
    login(approver, "approver@fsc.example")
    approver.goto(f"/review/cases/{case_id}")
    assert approver.get_by_text("Meets every requirement.").is_visible()
    # The approval starts from the conditions the reviewer recommended.
    conditions = _form(approver, "approve").locator("textarea[name=conditions]")
    assert conditions.input_value() == "Monthly reserve attestation"
    follow(approver, _form(approver, "approve").locator("button[type=submit]"))
    # A decision is restated before it is taken; nothing has happened yet.
    assert approver.locator("h1", has_text="Confirm: Approve").is_visible()
    entered = approver.locator("#confirm-entered")
    assert entered.get_by_text("Monthly reserve attestation").is_visible()
    with browser_app.app_context():
        assert db.session.get(Application, case_id).state == "recommended"
    shoot(approver, "review-case-approve-confirm")
    follow(approver, "#confirm-step")
    assert approver.locator(".krds-badge", has_text="Registered").first.is_visible()
    shoot(approver, "review-case-approved")
    with browser_app.app_context():
        number = db.session.execute(
            select(Registration.number).where(Registration.application_id == case_id)
        ).scalar_one()

    public = tab()
    public.goto("/register")
    assert public.get_by_text(number).is_visible()
    assert public.get_by_text("Monthly reserve attestation").is_visible()
    shoot(public, "public-register-new-registration")
