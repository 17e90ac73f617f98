"""Every HTML page of the service, as each role meets it, in Korean and in English:
each is opened in Chromium, saved as a screenshot and checked with axe-core (`shoot`).

The tour is built from the demo data. A page added to the service without a stop on
the tour fails `test_the_tour_visits_every_page`, as a route without a row fails the
authorization matrix.
"""

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Application, Organization, Registration, User
from tests.browser.conftest import login, shoot
from workflows.korean import PARTICLES

LANGUAGES = ("ko", "en")
# An identifier of the code (`articles_of_incorporation`, `save_section`) and an ISO time.
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# The page's text without <code> elements, scripts and styles.
PROSE = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("code, script, style").forEach((e) => e.remove());
  return body.textContent;
}"""
# GET routes that answer with a file or a redirect, not a page.
NOT_PAGES = {
    "main.set_language",
    "sections.download",
    "lifecycle.diagram",
    "review.opinion_letter",
    "register.download",
    "register.certificate",
    "register.certificate_pdf",
    "register.white_paper",
    "filings.pdf",
    "filings.json",
    "auditor.case_events_csv",
    "auditor.case_trail_pdf",
    "auditor.all_events_csv",
    "auditor.export",
    # Workbooks to fill in, not pages (tests/browser/test_plan_spreadsheet.py downloads one).
    "sections.section_table_template",
    "monitoring.report_table_template",
    # Shows a saved report draft, which the demo has none of: walked, with its accessibility
    # check, by tests/browser/test_report_draft.py.
    "monitoring.check_report",
    # Opens from an e-mailed one-time link, which the demo has none of: walked, with its
    # accessibility check, by tests/browser/test_organization_users.py.
    "auth.accept_invitation",
}


def _first(statement):
    return db.session.execute(statement.limit(1)).scalar_one()


def _issuer_of(application: Application) -> str:
    return _first(
        select(User.email).where(
            User.organization_id == application.organization_id, User.duty == "officer"
        )
    )


def _tour(app) -> list[tuple[str, list[str]]]:
    """Who sees which paths; "" is the public, signed out."""
    with app.app_context():
        hanbit = _first(select(Organization.id).where(Organization.name_en == "Hanbit Bank"))
        draft = _first(
            select(Application).where(
                Application.organization_id == hanbit, Application.state == "draft"
            )
        )
        submitted = _first(
            select(Application).where(Application.state == "submitted").order_by(Application.id)
        )
        recommended = _first(select(Application.id).where(Application.state == "recommended"))
        stablecoin = _first(
            select(Registration.number).where(
                Registration.organization_id == hanbit,
                Registration.category == "krw_stablecoin",
                Registration.status == "registered",
            )
        )
        asked = _first(select(Application).where(Application.state == "information_requested"))
        submitted_issuer, asked_issuer = _issuer_of(submitted), _issuer_of(asked)
    own = f"/monitoring/registrations/{stablecoin}"
    return [
        ("", ["/", "/login", "/privacy", "/register", f"/register/{stablecoin}", "/register/log"]),
        (
            "issuer@hanbit.example",
            [
                "/applications",
                f"/applications/{draft.id}",
                f"/applications/{draft.id}/tasks",
                f"/applications/{draft.id}/sections/business_plan",
                f"/applications/{draft.id}/documents",
                f"/applications/{draft.id}/check",
                "/monitoring",
                own,
                f"{own}/reports/new?kind=redemption_statistics",
                "/organization/users",
            ],
        ),
        ("preparer@hanbit.example", [f"/applications/{draft.id}/check", "/account"]),
        (
            submitted_issuer,
            [
                f"/applications/{submitted.id}/submitted",
                f"/applications/{submitted.id}/withdraw",
            ],
        ),
        (asked_issuer, [f"/applications/{asked.id}/respond"]),
        ("reviewer@fsc.example", ["/review", f"/review/cases/{submitted.id}", "/lifecycle"]),
        ("approver@fsc.example", [f"/review/cases/{recommended}"]),
        ("supervisor@fsc.example", ["/monitoring", own]),
        ("admin@fsc.example", ["/admin/outbox", "/admin/sign-ins", "/account"]),
        ("auditor@bai.example", ["/audit", "/audit/integrity"]),
    ]


def _page_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.rule.startswith("/api")
        and rule.endpoint != "static"
        and not rule.endpoint.startswith(("api", "openapi"))
        and rule.endpoint not in NOT_PAGES
    }


def test_the_tour_visits_every_page(browser_app):
    adapter = browser_app.url_map.bind("localhost")
    visited = {
        adapter.match(path.split("?")[0], method="GET")[0]
        for _email, paths in _tour(browser_app)
        for path in paths
    }
    assert _page_endpoints(browser_app) - visited == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_opens_in_krds_and_passes_the_accessibility_check(
    chromium, live_server, browser_app, language
):
    for email, paths in _tour(browser_app):
        context = chromium.new_context(
            base_url=live_server, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto(f"/language/{language}?next=/")
        if email:
            login(page, email)
        for path in paths:
            answer = page.goto(path)
            assert answer.status == 200, f"{email or 'public'} {path}: {answer.status}"
            assert page.locator("html").get_attribute("lang") == language
            # Every page stands in the KRDS frame: its header and footer.
            assert page.locator("#krds-header").count() == 1, path
            assert page.locator("footer").count() >= 1, path
            # Particles agree with their word: no "은(는)" left for the reader to choose.
            text = page.locator("body").inner_text()
            assert not [p for p in PARTICLES if p in text], f"{path}: {text}"
            # Words, not codes: no identifier of the code and no ISO timestamp, outside the
            # <code> that names an API value on purpose (the lifecycle page).
            prose = page.evaluate(PROSE)
            assert not CODE.findall(prose) and not ISO_TIME.findall(prose), (
                path,
                CODE.findall(prose),
                ISO_TIME.findall(prose),
            )
            role = email.split("@")[0] if email else "public"
            shoot(page, f"tour-{language}-{role}-{path.strip('/').replace('/', '-') or 'home'}")
        context.close()


# What a person meets when a page is not there or not theirs: the same frame, just as
# accessible.
ERROR_PAGES = [("", "/no-such-page", 404), ("issuer@hanbit.example", "/review", 403)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_pages_open_in_krds_and_pass_the_accessibility_check(
    chromium, live_server, language
):
    for email, path, status in ERROR_PAGES:
        context = chromium.new_context(
            base_url=live_server, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.goto(f"/language/{language}?next=/")
        if email:
            login(page, email)
        answer = page.goto(path)
        assert answer.status == status, path
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#krds-header").count() == 1 and page.locator("h1").count() == 1
        shoot(page, f"error-{language}-{status}")
        context.close()
