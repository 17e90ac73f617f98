"""Over the API alone: a submitted case moved to registration and beyond, and every refusal."""

import re

from sqlalchemy import event, text

from service.audit import chain
from service.extensions import db
from tests.service.conftest import token
from tests.service.factories import Cast


def move(client, user, application_id, name, body=None, etag=None):
    auth = token(client, user)
    if etag is None:
        etag = client.get(f"/api/v1/applications/{application_id}", headers=auth).headers["ETag"]
    return client.post(
        f"/api/v1/applications/{application_id}/transitions/{name}",
        json=body or {},
        headers={**auth, "If-Match": etag},
    )


def test_a_submitted_case_moves_through_review_decision_and_supervision(client, cast):
    case = cast.case_in("submitted")
    steps = [
        (cast.reviewer, "mark_complete", {}, "assessment"),
        (
            cast.reviewer,
            "request_information",
            {
                "questions": ["Who holds the reserve?", "Send the custody agreement."],
                "due_on": "2026-12-15",
            },
            "information_requested",
        ),
        (cast.issuer, "respond", {"answers": ["Hanbit Bank.", "Attached."]}, "assessment"),
        (
            cast.reviewer,
            "recommend",
            {
                "recommendation": "approve",
                "reasons": "All requirements met.",
                "conditions": ["Monthly reserve report"],
            },
            "recommended",
        ),
        (cast.approver, "approve", {}, "registered"),
        (cast.supervisor, "suspend", {"reason": "Reserve below 100%."}, "suspended"),
        (cast.approver, "reinstate", {"reason": "Shortfall remedied."}, "registered"),
        (
            cast.approver,
            "revoke",
            {"grounds": ["serious_infringement"], "reasons": "Repeated breaches."},
            "revoked",
        ),
    ]
    for user, name, body, state in steps:
        if name in ("suspend", "revoke"):
            # The issuer is heard first: a notice, then its comments (docs/domain.md s4).
            given = client.post(
                f"/api/v1/applications/{case.id}/notices",
                json={"action": name, "grounds": "Reserve.", "comment_deadline": "2026-12-04"},
                headers=token(client, user),
            )
            assert given.status_code == 201, given.json
            commented = client.post(
                f"/api/v1/applications/{case.id}/notices/{given.json['id']}/comments",
                json={"comments": "We disagree."},
                headers=token(client, cast.issuer),
            )
            assert commented.status_code == 201, commented.json
        answer = move(client, user, case.id, name, body)
        assert answer.status_code == 200, (name, answer.json)
        assert answer.json["state"] == state
    final = client.get(f"/api/v1/applications/{case.id}", headers=token(client, cast.auditor)).json
    assert re.fullmatch(r"KVI-\d{4}-\d{4}", final["registration_number"])
    register = client.get("/api/v1/register").json["items"]
    entry = next(e for e in register if e["registration_number"] == final["registration_number"])
    assert entry["status"] == "revoked"
    verified = client.get("/api/v1/audit/verify", headers=token(client, cast.auditor))
    assert verified.status_code == 200 and verified.json["ok"] is True


def test_a_wrong_role_gets_403_with_the_reason_in_problem_details(client, cast):
    case = cast.case_in("submitted")
    answer = move(client, cast.issuer, case.id, "mark_complete")
    assert answer.status_code == 403
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "role"
    assert "심사역" in answer.json["detail"]  # Korean by default


def test_a_wrong_state_gets_409(client, cast):
    case = cast.case_in("submitted")
    answer = move(client, cast.approver, case.id, "approve")
    assert answer.status_code == 409
    assert answer.json["code"] == "state"


def test_a_stale_if_match_gets_412_and_changes_nothing(client, cast):
    case = cast.case_in("submitted")
    auth = token(client, cast.reviewer)
    stale = client.get(f"/api/v1/applications/{case.id}", headers=auth).headers["ETag"]
    assert move(client, cast.reviewer, case.id, "mark_complete", etag=stale).status_code == 200
    answer = move(
        client,
        cast.reviewer,
        case.id,
        "request_information",
        {"questions": ["Why?"], "due_on": "2026-12-15"},
        etag=stale,
    )
    assert answer.status_code == 412
    assert client.get(f"/api/v1/applications/{case.id}", headers=auth).json["state"] == "assessment"


def test_a_transition_without_if_match_gets_428(client, cast):
    case = cast.case_in("submitted")
    answer = client.post(
        f"/api/v1/applications/{case.id}/transitions/mark_complete",
        json={},
        headers=token(client, cast.reviewer),
    )
    assert answer.status_code == 428


def test_the_approver_who_is_the_recommender_is_refused_by_four_eyes(client, cast):
    case = cast.case_in("recommended")
    case.recommended_by_id = cast.approver.id  # a reviewer since promoted to approver
    db.session.commit()
    answer = move(client, cast.approver, case.id, "approve")
    assert answer.status_code == 403
    assert answer.json["code"] == "four_eyes"
    assert (
        answer.json["detail"] == "You recommended this case; another approver must decide."
        or "결재권자" in answer.json["detail"]
    )


def test_an_invalid_body_gets_422_with_field_errors(client, cast):
    case = cast.case_in("assessment")
    answer = client.post(
        f"/api/v1/applications/{case.id}/transitions/request_information",
        json={"questions": [], "due_on": "not a date"},
        headers={
            **token(client, cast.reviewer),
            "If-Match": f'"{case.version}"',
            "Accept-Language": "en",
        },
    )
    assert answer.status_code == 422
    assert answer.json["errors"]["questions"] == ["Give at least one item."]
    assert answer.json["errors"]["due_on"] == ["Enter a date as YYYY-MM-DD."]


def test_transitions_lists_each_step_with_allowed_or_why_not(client, cast):
    case = cast.case_in("recommended")
    listed = client.get(
        f"/api/v1/applications/{case.id}/transitions",
        headers={**token(client, cast.reviewer), "Accept-Language": "en"},
    ).json
    assert [t["name"] for t in listed] == ["send_back", "approve", "refuse", "withdraw"]
    assert all(t["allowed"] is False and t["reason"] for t in listed)
    listed = client.get(
        f"/api/v1/applications/{case.id}/transitions", headers=token(client, cast.approver)
    ).json
    assert {t["name"]: t["allowed"] for t in listed}["approve"] is True


def test_an_issuer_never_sees_another_organizations_case(client, cast):
    case = cast.case_in("submitted")
    stranger = Cast().issuer
    auth = token(client, stranger)
    assert client.get(f"/api/v1/applications/{case.id}", headers=auth).status_code == 404
    listed = client.get("/api/v1/applications", headers=auth).json["items"]
    assert case.id not in [a["id"] for a in listed]
    assert (
        move(client, stranger, case.id, "withdraw", {"reason": "x"}, etag='"1"').status_code == 404
    )


def test_the_issuer_does_not_see_the_recommendation(client, cast):
    case = cast.case_in("recommended")
    seen = client.get(f"/api/v1/applications/{case.id}", headers=token(client, cast.issuer)).json
    assert seen["recommendation"] is None
    events = client.get(
        f"/api/v1/applications/{case.id}/events", headers=token(client, cast.issuer)
    ).json
    recommend = next(e for e in events if e["action"] == "recommend")
    assert recommend["detail"] == {}
    assert "Meets every requirement" not in str(events)


def test_no_token_gets_401_and_a_bad_password_gets_no_token(client, cast):
    assert client.get("/api/v1/applications").status_code == 401
    answer = client.post(
        "/api/v1/auth/token", json={"email": cast.issuer.email, "password": "wrong"}
    )
    assert answer.status_code == 401
    unknown = client.post(
        "/api/v1/auth/token", json={"email": "nobody@example.test", "password": "wrong"}
    )
    assert unknown.json["detail"] == answer.json["detail"]  # no user enumeration


def test_verify_is_for_auditors_and_administrators_only(client, cast):
    assert (
        client.get("/api/v1/audit/verify", headers=token(client, cast.reviewer)).status_code == 403
    )


def bypass_append_only_triggers():
    """Tamper as someone who owns the database: the triggers that refuse UPDATE and
    DELETE of audit events are switched off (inside the test's transaction, which
    is rolled back), so the chain itself must catch the change."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_update"))
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))


def test_a_hand_edited_audit_row_breaks_the_chain(client, cast, app):
    case = cast.case_in("assessment")
    assert chain.verify(db.session).ok
    bypass_append_only_triggers()
    db.session.execute(
        text(
            "UPDATE audit_event SET actor_label = 'someone else' "
            "WHERE application_id = :id AND action = 'mark_complete'"
        ),
        {"id": case.id},
    )
    result = chain.verify(db.session)
    assert not result.ok
    assert "altered" in result.problem
    runner = app.test_cli_runner()
    outcome = runner.invoke(args=["audit", "verify"])
    assert outcome.exit_code == 1
    assert f"BROKEN at event {result.broken_seq}" in outcome.output


def test_a_removed_audit_row_is_named(cast):
    cast.case_in("assessment")
    last = db.session.execute(text("SELECT max(seq) FROM audit_event")).scalar()
    bypass_append_only_triggers()
    db.session.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": last - 1})
    result = chain.verify(db.session)
    assert not result.ok and result.broken_seq == last - 1
    assert "missing" in result.problem


def test_the_openapi_document_is_served(client):
    document = client.get("/api/v1/openapi.json").json
    assert "/api/v1/applications/{application_id}/transitions/recommend" in document["paths"]


def test_the_openapi_document_says_which_operations_need_no_token(client, ctx):
    """An operation answers without a token exactly when the document says security: []."""
    document = client.get("/api/v1/openapi.json").json
    assert document["security"] == [{"bearerAuth": []}]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "get" or "{" in path:
                continue
            public = operation.get("security") == []
            answer = client.get(path)
            assert (answer.status_code != 401) == public, (path, answer.status_code)
    disclosure = document["paths"]["/api/v1/register/{number}"]["get"]
    assert disclosure["security"] == []
    assert client.get("/api/v1/register/KVI-2026-9999").status_code == 404  # not 401


def test_if_match_star_matches_any_version_and_garbage_is_a_412(client, cast):
    case = cast.case_in("submitted")
    auth = token(client, cast.reviewer)
    path = f"/api/v1/applications/{case.id}/transitions/mark_complete"
    garbage = client.post(path, json={}, headers={**auth, "If-Match": '"v1.0"'})
    assert garbage.status_code == 412
    star = client.post(path, json={}, headers={**auth, "If-Match": "*"})
    assert star.status_code == 200 and star.json["state"] == "assessment"


def test_a_step_reads_the_tokens_user_and_the_locked_case_and_nothing_more(client, cast):
    """A step through the API reads two rows before it writes: the token's user (the rule
    of a good token held in that query) and the case under its lock. Neither brings the
    organization, which `mark_complete` does not use; steps that do read it there."""
    case = cast.case_in("submitted")
    auth = token(client, cast.reviewer)
    etag = client.get(f"/api/v1/applications/{case.id}", headers=auth).headers["ETag"]
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        answer = client.post(
            f"/api/v1/applications/{case.id}/transitions/mark_complete",
            json={},
            headers={**auth, "If-Match": etag},
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert answer.status_code == 200, answer.json
    reads = [s for s in seen if s.startswith("SELECT")]
    assert len(reads) == 2, reads
    user_read, case_read = reads
    assert user_read.replace('"', "").startswith("SELECT user.id") and "JOIN api_token" in user_read
    assert case_read.startswith("SELECT application.id") and " JOIN " not in case_read
    assert not any("organization." in read for read in reads)
