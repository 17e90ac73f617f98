"""A step taken on the web answers the same way whoever takes it and from whichever page
(service/web.py, `refused_step`, `case_url`): done, one redirect to the case as the person
reads it; refused by the case's state or version, the page again with the reason in the
person's language and the refusal's status."""

from tests.service.conftest import login
from tests.service.factories import draft

EN = {"Accept-Language": "en"}


def test_a_regulator_s_step_leads_straight_to_the_case_page(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.reviewer)
    answer = client.post(
        f"/applications/{case.id}/transitions/mark_complete", data={"version": case.version}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/review/cases/{case.id}"


def test_an_issuer_s_withdrawal_leads_straight_to_its_application(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.issuer)
    answer = client.post(
        f"/applications/{case.id}/withdraw",
        data={"reason": "We will apply again next year.", "version": case.version},
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/applications/{case.id}"


def test_a_stale_withdrawal_is_said_on_the_withdrawal_page_with_412(client, cast):
    case = cast.case_in("submitted")
    login(client, cast.issuer, "ko")
    answer = client.post(
        f"/applications/{case.id}/withdraw",
        data={"reason": "다시 신청합니다.", "version": case.version - 1},
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 412
    assert 'name="reason"' in page  # the withdrawal form, not an error page
    flashes = page.split('class="app-flashes"', 1)[1].split("</div>", 3)
    assert f"사건의 현재 버전은 {case.version - 1}" in "".join(flashes)


def test_a_stale_submission_is_said_on_the_check_page_in_the_person_s_language(client, cast):
    application = draft(cast.issuer)
    login(client, cast.issuer, "en")
    answer = client.post(
        f"/applications/{application.id}/submit",
        data={"version": application.version - 1},
        headers=EN,
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 412
    assert "Check your answers" in page
    flashes = "".join(page.split('class="app-flashes"', 1)[1].split("</div>", 3))
    assert "The case is at version" in flashes and "사건의" not in flashes
