"""Two people changing the same thing at once: one wins, the other is told, nothing is lost.

These commit for real (each thread has its own connection), on whichever engine
the run uses: PostgreSQL locks the case row; SQLite's BEGIN IMMEDIATE queues the
writers. Either way the second writer sees the first one's version.
"""

import threading

import pytest
from sqlalchemy import func, select

from service.audit import chain
from service.extensions import db
from service.models import Application, AuditEvent, Note
from tests.service import factories
from tests.service.factories import PASSWORD, Cast

pytestmark = pytest.mark.real_commits


def _at_once(requests) -> list:
    """Run each request(client) with its own client and thread, released together."""
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def run(index, client, request):
        barrier.wait()
        answers[index] = request(client)

    threads = [
        threading.Thread(target=run, args=(i, client, request))
        for i, (client, request) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(answer is not None for answer in answers), "a request never finished"
    return answers


def _events(action: str, application_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.application_id == application_id)
    )


def _token(app, user) -> str:
    answer = app.test_client().post(
        "/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}
    )
    return answer.json["token"]


def _signed_in(app, email):
    client = app.test_client()
    answer = client.post("/login", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def _assert_chain_intact():
    result = chain.verify(db.session)
    assert result.ok, result.problem


def test_two_issuers_saving_one_section_through_the_api_with_one_version_let_one_through(app):
    with app.app_context():
        cast = Cast()
        colleague = factories.user("issuer", cast.org)
        case = factories.draft(cast.issuer, complete=False)
        case_id, etag = case.id, case.etag
        tokens = [_token(app, cast.issuer), _token(app, colleague)]
        db.session.remove()
    amounts = ["50,000,000,000", "60,000,000,000"]

    def save(token, amount):
        return lambda client: client.put(
            f"/api/v1/applications/{case_id}/sections/capital",
            json={"paid_in_capital_krw": amount},
            headers={"Authorization": f"Bearer {token}", "If-Match": etag},
        )

    answers = _at_once(
        [(app.test_client(), save(t, a)) for t, a in zip(tokens, amounts, strict=True)]
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 412], statuses
    winner = next(a for a in answers if a.status_code == 200)
    loser = next(a for a in answers if a.status_code == 412)
    # The refused one is told which version it must read again: the winner's.
    assert loser.json["current_version"] == winner.json["version"]
    with app.app_context():
        application = db.session.get(Application, case_id)
        assert application.sections["capital"] == winner.json["answers"]
        assert application.version == winner.json["version"]
        assert _events("save_section", case_id) == 1
        _assert_chain_intact()
        db.session.remove()


def test_two_issuers_saving_one_section_through_the_form_with_one_version_let_one_through(app):
    with app.app_context():
        cast = Cast()
        colleague = factories.user("issuer", cast.org)
        case = factories.draft(cast.issuer, complete=False)
        case_id, version = case.id, case.version
        emails = [cast.issuer.email, colleague.email]
        db.session.remove()
    amounts = ["50,000,000,000", "60,000,000,000"]

    def save(amount):
        return lambda client: client.post(
            f"/applications/{case_id}/sections/capital",
            data={"paid_in_capital_krw": amount, "version": version},
        )

    answers = _at_once(
        [(_signed_in(app, e), save(a)) for e, a in zip(emails, amounts, strict=True)]
    )
    statuses = [a.status_code for a in answers]
    # The winner goes back to the task list; the other gets the refusal page, 412.
    assert sorted(statuses) == [302, 412], statuses
    winning_amount = amounts[statuses.index(302)]
    with app.app_context():
        application = db.session.get(Application, case_id)
        kept = int(winning_amount.replace(",", ""))  # the typed amount, kept as its number
        assert application.sections["capital"] == {"paid_in_capital_krw": kept}
        assert application.version == version + 1
        assert _events("save_section", case_id) == 1
        _assert_chain_intact()
        db.session.remove()


def test_two_reviewers_writing_notes_at_once_both_keep_their_note(app):
    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("submitted").id
        writers = [
            (cast.reviewer.email, "Capital evidence checked."),
            (cast.reviewer2.email, "White paper risk section is thin."),
        ]
        db.session.remove()

    def write(text):
        return lambda client: client.post(f"/review/cases/{case_id}/notes", data={"text": text})

    answers = _at_once([(_signed_in(app, e), write(t)) for e, t in writers])
    assert [a.status_code for a in answers] == [302, 302]
    with app.app_context():
        notes = db.session.execute(select(Note).where(Note.application_id == case_id)).scalars()
        assert {(n.author.email, n.text) for n in notes} == set(writers)
        assert _events("note", case_id) == 2
        _assert_chain_intact()
        db.session.remove()


def test_two_reviewers_claiming_one_case_at_once_one_gets_it_and_the_other_409(app):
    with app.app_context():
        cast = Cast()
        case_id = cast.case_in("submitted").id
        reviewers = {cast.reviewer.email: cast.reviewer.id, cast.reviewer2.email: cast.reviewer2.id}
        db.session.remove()

    def claim(client):
        return client.post(f"/review/cases/{case_id}/claim")

    emails = list(reviewers)
    answers = _at_once([(_signed_in(app, e), claim) for e in emails])
    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [302, 409], statuses
    with app.app_context():
        application = db.session.get(Application, case_id)
        assert application.assigned_reviewer_id == reviewers[emails[statuses.index(302)]]
        assert _events("claim", case_id) == 1
        _assert_chain_intact()
        db.session.remove()
