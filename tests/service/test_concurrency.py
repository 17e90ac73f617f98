"""Conflicting requests at once: exactly one wins, the rest get 409/412, the chain stays linear.

These tests commit for real (threads need their own connections), on whichever
engine the run uses: PostgreSQL locks the row; SQLite serialises its writers.
"""

import threading

import pytest
from sqlalchemy import func, select

from service.audit import chain
from service.extensions import db
from service.models import AuditEvent
from tests.service.factories import PASSWORD, Cast

pytestmark = pytest.mark.real_commits

THREADS = 8


def _token(app, user) -> str:
    answer = app.test_client().post(
        "/api/v1/auth/token", json={"email": user.email, "password": PASSWORD}
    )
    return answer.json["token"]


def _fire(app, requests):
    """Send every (token, path, body, etag) at once from its own thread; return the statuses."""
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def send(index, token, path, body, etag):
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            path, json=body, headers={"Authorization": f"Bearer {token}", "If-Match": etag}
        )
        statuses[index] = answer.status_code

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_conflicting_transitions_on_one_case_let_exactly_one_through(app):
    with app.app_context():
        cast = Cast()
        case = cast.case_in("assessment")
        case_id, etag = case.id, case.etag
        token = _token(app, cast.reviewer)
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        db.session.remove()
    recommend = {"recommendation": "approve", "reasons": "Complete.", "conditions": []}
    ask = {"questions": ["Why?"], "due_on": "2026-12-18"}
    requests = [
        (
            token,
            f"/api/v1/applications/{case_id}/transitions/"
            + ("recommend" if i % 2 else "request_information"),
            recommend if i % 2 else ask,
            etag,
        )
        for i in range(THREADS)
    ]
    statuses = _fire(app, requests)
    assert statuses.count(200) == 1, statuses
    assert all(s in (409, 412) for s in statuses if s != 200), statuses
    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
        assert events == before + 1
        assert chain.verify(db.session).ok
        db.session.remove()


def test_concurrent_logins_and_transitions_keep_the_audit_chain_linear(app):
    with app.app_context():
        casts = [Cast() for _ in range(4)]
        cases = [cast.case_in("submitted") for cast in casts]
        requests = [
            (
                _token(app, cast.reviewer),
                f"/api/v1/applications/{case.id}/transitions/mark_complete",
                {},
                case.etag,
            )
            for cast, case in zip(casts, cases, strict=True)
        ]
        db.session.remove()
    assert _fire(app, requests) == [200] * len(requests)
    with app.app_context():
        result = chain.verify(db.session)
        assert result.ok, result.problem
        seqs = db.session.execute(select(AuditEvent.seq).order_by(AuditEvent.seq)).scalars().all()
        assert seqs == list(range(1, len(seqs) + 1))
        db.session.remove()
