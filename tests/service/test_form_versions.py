"""Every form that changes a case carries the version it was read at, and is refused
without it as the API is without If-Match: 428, the page naming the reason, nothing changed.
A version that is no number is stale (412), as an odd If-Match is."""

import io
from dataclasses import dataclass, field

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from forms.sections.samples import sample_sections
from service.changes.operations import apply_for_change
from service.extensions import db
from service.hearings.objections import lodge_objection
from service.hearings.operations import give_notice
from service.models import Application, AuditEvent
from tests.service.conftest import login, token
from tests.service.factories import QUESTIONS, TODAY, Cast, draft

REASON = {
    "ko": "양식에 작성 당시 사건의 버전이 없어 아무것도 변경하지 않았습니다.",
    "en": "The form did not say which version of the case it was filled in on",
}
ODD_VERSIONS = ["abc", "²", "1.0", "-1", "99999999999999999999"]


@dataclass(frozen=True)
class Form:
    """How to post one versioned form: the case's state, who posts, where, what else."""

    state: str
    who: str
    path: str  # under /applications/<id>
    data: dict = field(default_factory=dict)
    page: str = ""  # a mark of the page that answers a refusal


CASE_PAGE = 'id="history-title"'


def _workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The draft's business plan months, as a workbook to upload (service/spreadsheets.py).
_MONTHS = sample_sections("other_virtual_asset", TODAY)["business_plan"]["monthly_projections"]
PLAN = _workbook(list(_MONTHS[0]), *[list(row.values()) for row in _MONTHS])


def _sent(data: dict) -> dict:
    """The form's fields, a file given as (bytes, name) opened afresh for each request."""
    return {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}


A_CHANGE = {"kind": "token", "planned_on": "2027-06-30", "description": "A second token."}

VERSIONED_FORMS = {
    "applications.apply_transition": [
        Form("submitted", "reviewer", "/transitions/mark_complete", {"comment": "Ok."}, CASE_PAGE),
        Form(
            "assessment",
            "reviewer",
            "/transitions/recommend",
            {"recommendation": "approve", "reasons": "Meets every requirement."},
            CASE_PAGE,
        ),
        Form("assessment", "reviewer", "/transitions/request_information", QUESTIONS, CASE_PAGE),
    ],
    "sections.section": [
        Form("draft", "issuer", "/sections/business_plan", {"programme_of_operations": "Lend."}),
    ],
    "sections.upload_section_table": [
        Form(
            "draft",
            "issuer",
            "/sections/business_plan/table",
            {"table": "monthly_projections", "workbook-monthly_projections": (PLAN, "plan.xlsx")},
        )
    ],
    "sections.submit": [Form("draft", "issuer", "/submit", page='action="/applications/')],
    "sections.respond": [
        Form("information_requested", "issuer", "/respond", {"answers-0": "In cold storage."})
    ],
    "sections.withdraw": [Form("submitted", "issuer", "/withdraw", {"reason": "Plan changed."})],
    # A notice and the comments on it change what a decision allows (docs/domain.md s4).
    "hearings.give_notice": [
        Form(
            "recommended",
            "approver",
            "/notices",
            {"action": "refuse", "grounds": "Capital short.", "comment_deadline": "2026-12-04"},
            CASE_PAGE,
        )
    ],
    "hearings.file_comments": [
        Form("recommended", "issuer", "/notices/{notice}/comments", {"comments": "Raised."})
    ],
    # An objection and its dismissal change what the upholding steps allow (s4, objection).
    "hearings.lodge_objection": [
        Form("refused", "issuer", "/objections", {"grounds": "A mistaken fact."})
    ],
    "hearings.dismiss_objection": [
        Form(
            "refused",
            "approver2",
            "/objections/{objection}/dismissal",
            {"reasons": "The refusal stands."},
            CASE_PAGE,
        )
    ],
    # A change applied for in advance and its decision (s5, changes approved in advance).
    "changes.apply_for_change": [Form("registered", "issuer", "/changes", A_CHANGE)],
    "changes.decide_change": [
        Form(
            "registered",
            "approver",
            "/changes/{change}/decision",
            {"decision": "refuse", "reasons": "Not before the audit."},
            CASE_PAGE,
        )
    ],
}
# Forms on a case that change no versioned row, and why a stale page cannot lose an update.
UNVERSIONED_FORMS = {
    "sections.upload": "a document is a new version of its type, never an overwrite",
    "review.add_opinion": "an opinion is a row of its own; approve reads them all again",
    "review.add_note": "notes are appended, never edited",
    "review.claim": "taken only while the case has no reviewer, under the case's row lock",
    "review.assign": "names the reviewer it replaces in its audit event; the approver's word",
}


def test_every_form_on_a_case_is_versioned_or_says_why_not(app):
    forms = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and "application_id" in rule.arguments
        and not rule.rule.startswith("/api/")
    }
    assert forms == set(VERSIONED_FORMS) | set(UNVERSIONED_FORMS)


CASES = [
    pytest.param(endpoint, form, id=f"{endpoint}{form.path}")
    for endpoint, forms in VERSIONED_FORMS.items()
    for form in forms
]


def _case(cast: Cast, state: str) -> Application:
    if state == "draft":
        return draft(cast.issuer, cast.category)
    return cast.case_in(state)


def _events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize(("endpoint", "form"), CASES)
def test_a_form_without_its_version_is_refused_with_428_and_changes_nothing(
    client, ctx, endpoint, form
):
    cast = Cast()
    case = _case(cast, form.state)
    path = form.path
    if "{notice}" in path:
        notice = give_notice(
            case.id,
            cast.approver,
            {"action": "refuse", "grounds": "Capital short.", "comment_deadline": "2026-12-04"},
        )
        db.session.refresh(case)
        path = path.format(notice=notice.id)
    if "{objection}" in path:
        objection = lodge_objection(case.id, cast.issuer, {"grounds": "A mistaken fact."})
        db.session.refresh(case)
        path = path.format(objection=objection.id)
    if "{change}" in path:
        change = apply_for_change(case.id, cast.issuer, A_CHANGE)
        db.session.refresh(case)
        path = path.format(change=change.id)
    url = f"/applications/{case.id}{path}"
    login(client, getattr(cast, form.who))  # an audit event of its own
    before = (case.state, case.version, dict(case.sections or {}), _events())

    for missing in ({}, {"version": ""}, {"version": "  "}):
        answer = client.post(url, data={**_sent(form.data), **missing})
        html = answer.get_data(as_text=True)
        assert answer.status_code == 428, (missing, html)
        assert "Location" not in answer.headers
        assert REASON["ko"] in html
        assert form.page in html
    client.set_cookie("lang", "en")
    assert REASON["en"] in client.post(url, data=_sent(form.data)).get_data(as_text=True)

    for odd in ODD_VERSIONS:
        answer = client.post(url, data={**_sent(form.data), "version": odd})
        assert answer.status_code == 412, odd
        assert f"The case is at version {case.version}, not " in answer.get_data(as_text=True)

    db.session.refresh(case)
    assert (case.state, case.version, dict(case.sections or {}), _events()) == before
    # The same form with the version it was read at goes through.
    done = client.post(url, data={**_sent(form.data), "version": str(case.version)})
    assert done.status_code == 302, done.get_data(as_text=True)
    db.session.refresh(case)
    assert case.version > before[1]


def test_a_wrong_role_without_a_version_is_still_refused_by_role(client, cast):
    """The version is asked after whose step it is: 403, the same as with a version."""
    case = cast.case_in("recommended")
    login(client, cast.reviewer)
    answer = client.post(f"/applications/{case.id}/transitions/approve", data={})
    assert answer.status_code == 403
    # Only the applicant edits: a reviewer's save is refused by role, version or none.
    answer = client.post(
        f"/applications/{case.id}/sections/business_plan",
        data={"programme_of_operations": "Lend."},
    )
    assert answer.status_code == 403


def test_the_api_and_the_form_refuse_a_missing_version_alike(client, cast):
    case = draft(cast.issuer, cast.category)
    api = client.put(
        f"/api/v1/applications/{case.id}/sections/business_plan",
        json=sample_sections(cast.category, TODAY)["business_plan"],
        headers=token(client, cast.issuer),
    )
    login(client, cast.issuer)
    page = client.post(f"/applications/{case.id}/sections/business_plan", data={})
    assert api.status_code == page.status_code == 428
