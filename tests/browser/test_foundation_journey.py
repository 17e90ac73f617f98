"""The foundation's pages in a real browser: sign in, queue, case page, a step, the register."""

from tests.browser.conftest import follow, login, shoot


def test_a_reviewer_marks_a_submitted_case_complete_in_the_browser(page):
    page.goto("/language/en?next=/")
    login(page, "reviewer@fsc.example")
    page.goto("/review?state=submitted")
    shoot(page, "reviewer-queue-en")
    follow(page, "table.tbl tbody tr:first-child td:first-child a")
    shoot(page, "reviewer-case-submitted-en")
    assert page.locator("button[value=mark_complete]").is_visible()
    assert page.get_by_text("Only the issuer may withdraw.").is_visible()
    follow(page, "button[value=mark_complete]")
    assert page.locator(".krds-badge", has_text="In assessment").first.is_visible()
    shoot(page, "reviewer-case-assessment-en")


def test_an_issuer_sees_its_dashboard_in_korean(page):
    login(page, "issuer@hanbit.example")
    assert page.url.endswith("/applications")
    assert page.locator("html").get_attribute("lang") == "ko"
    # The demo's partly written draft, and the stablecoin's reports falling due.
    assert page.locator("#attention-drafts").is_visible()
    assert page.locator("#attention-reports").is_visible()
    shoot(page, "issuer-dashboard-ko")


def test_an_issuer_goes_from_its_dashboard_to_the_questions_it_must_answer(page):
    page.goto("/language/en?next=/")
    login(page, "issuer@nurilabs.example")
    assert page.get_by_role("heading", name="What needs your attention").is_visible()
    shoot(page, "issuer-dashboard-en")
    follow(page, "text=Answer the questions")
    assert page.url.endswith("/respond")
    shoot(page, "issuer-respond-en")


def test_the_public_register_shows_the_demo_registration_without_login(page):
    page.goto("/register")
    assert page.get_by_text("KVI-").first.is_visible()
    shoot(page, "public-register-ko")
