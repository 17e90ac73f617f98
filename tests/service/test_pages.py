"""The HTML side: login, the issuer's and the regulator's pages, the public register."""

import re

import pytest

from service.extensions import db
from service.models import Application
from tests.service.conftest import login
from tests.service.factories import PASSWORD, Cast


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, cast):
    wrong = client.post("/login", data={"email": cast.issuer.email, "password": "nope"})
    unknown = client.post("/login", data={"email": "ghost@example.test", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    message = re.search(r'<a href="#email">(.*?)</a>', wrong.get_data(as_text=True)).group(1)
    assert message in unknown.get_data(as_text=True)


def test_pages_need_a_login(client):
    answer = client.get("/applications")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_issuer_dashboard_lists_only_its_own_applications(client, cast):
    own = cast.case_in("submitted")
    other = Cast().case_in("submitted")
    page = login(client, cast.issuer).get("/applications").get_data(as_text=True)
    assert f"/applications/{own.id}" in page
    assert f"/applications/{other.id}" not in page
    assert client.get(f"/applications/{other.id}").status_code == 404


def test_an_issuer_starts_a_draft_from_the_dashboard(client, cast):
    login(client, cast.issuer)
    answer = client.post("/applications", data={"category": "security_token"})
    assert answer.status_code == 302
    created = db.session.get(Application, int(answer.headers["Location"].rsplit("/", 1)[1]))
    assert created.state == "draft" and created.category == "security_token"


def test_the_queue_lists_open_cases_by_deadline_and_counts_them(client, cast):
    first, second = cast.case_in("submitted"), cast.case_in("assessment")
    page = login(client, cast.reviewer).get("/review").get_data(as_text=True)
    assert page.index(f"/review/cases/{first.id}") < page.index(f"/review/cases/{second.id}")


def test_issuers_are_kept_out_of_the_queue(client, cast):
    assert login(client, cast.issuer).get("/review").status_code == 403


def test_the_case_page_shows_allowed_steps_as_buttons_and_closed_ones_with_a_reason(client, cast):
    case = cast.case_in("recommended")
    client.set_cookie("lang", "en")
    page = login(client, cast.reviewer).get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert "Only an approver may approve." in page
    assert 'value="approve"' not in page
    client.post("/logout")
    page = login(client, cast.approver).get(f"/review/cases/{case.id}").get_data(as_text=True)
    assert 'value="approve"' in page
    assert "Meets every requirement." in page  # the recommendation, for the regulator


def test_a_step_taken_in_the_browser_moves_the_case(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.reviewer)
    answer = client.post(
        f"/applications/{case.id}/transitions/mark_complete",
        data={"version": case.version, "comment": "All documents present."},
    )
    assert answer.status_code == 302
    db.session.refresh(case)
    assert case.state == "assessment" and case.assigned_reviewer_id == cast.reviewer.id


def test_an_invalid_step_form_is_shown_again_with_its_errors(client, cast):
    case = cast.case_in("assessment")
    client.set_cookie("lang", "en")
    login(client, cast.reviewer)
    answer = client.post(
        f"/applications/{case.id}/transitions/request_information",
        data={"version": case.version, "questions": "", "due_on": ""},
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="error-summary"' in page and "This field is required." in page
    assert (
        '<button type="submit" class="krds-btn primary medium" name="transition" '
        'value="request_information">Request information</button>' in page
    )


def test_the_issuer_never_sees_the_recommendation_on_its_page(client, cast):
    case = cast.case_in("recommended")
    page = login(client, cast.issuer).get(f"/applications/{case.id}").get_data(as_text=True)
    assert "Meets every requirement." not in page
    assert "Quarterly ledger reconciliation" not in page


def test_forms_refuse_a_post_without_the_csrf_token(client, cast, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    answer = client.post("/login", data={"email": cast.issuer.email, "password": PASSWORD})
    assert answer.status_code == 400


def test_the_public_register_needs_no_login_and_shows_the_registration(client, cast):
    case = cast.case_in("registered")
    number = db.session.execute(
        db.text("SELECT number FROM registration WHERE application_id = :id"), {"id": case.id}
    ).scalar()
    page = client.get("/register").get_data(as_text=True)
    assert number in page
    assert "Meets every requirement." not in page


def test_the_language_switch_sets_a_cookie_and_stays_on_site(client):
    answer = client.get("/language/en?next=//evil.example/")
    assert answer.headers["Location"] == "/"
    assert "lang=en" in answer.headers["Set-Cookie"]
    assert "Register of virtual-asset issuers" in client.get("/register").get_data(as_text=True)


OFF_SITE = [
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_neither_sign_in_nor_the_language_switch_redirects_off_site(client, cast, target):
    switched = client.get("/language/ko", query_string={"next": target})
    assert switched.headers["Location"] == "/"
    signed_in = client.post(
        "/login",
        query_string={"next": target},
        data={"email": cast.issuer.email, "password": PASSWORD},
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


def test_sign_in_returns_to_the_page_on_this_site_it_was_asked_for(client, cast):
    answer = client.post(
        "/login?next=/register%3Fq%3D1",
        data={"email": cast.issuer.email, "password": PASSWORD},
    )
    assert answer.headers["Location"] == "/register?q=1"
