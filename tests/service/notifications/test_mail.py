"""E-mails to the issuer's contacts: written with the change, sent over a real local SMTP
server (aiosmtpd) after commit, kept in the outbox when no server is configured."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from service.applications import operations as applications
from service.errors import Invalid
from service.extensions import db
from service.models import OutboxMessage
from tests.service import factories
from tests.service.factories import Cast
from tests.service.test_pages import login


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (sorted(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", str(port))
    monkeypatch.setitem(app.config, "MAIL_FROM", "registry@fsc.example")
    yield inbox
    controller.stop()


@pytest.fixture
def cast(ctx):
    cast = Cast()
    cast.colleague = factories.user("issuer", cast.org)
    return cast


def _outbox(application_id):
    return (
        db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.application_id == application_id)
            .order_by(OutboxMessage.id)
        )
        .scalars()
        .all()
    )


def test_every_event_that_concerns_the_issuer_arrives_by_smtp_in_both_languages(smtp, cast):
    case = cast.case_in("suspended")
    applications.transition(case.id, "reinstate", cast.approver, {"reason": "Reserve restored."})
    applications.transition(
        case.id,
        "revoke",
        cast.approver,
        {"grounds": ["serious_infringement"], "reasons": "Repeated breaches."},
    )
    events = [m.event for m in _outbox(case.id)]
    assert events == [
        "submission_received",
        "decision",
        "suspension",
        "reinstatement",
        "revocation",
    ]
    assert all(m.sent_at is not None and m.error is None for m in _outbox(case.id))
    assert len(smtp.messages) == 5
    recipients = sorted([cast.org.contact_email, cast.issuer.email, cast.colleague.email])
    for rcpt, email in smtp.messages:
        assert rcpt == recipients
        assert email["From"] == "registry@fsc.example"
        body = email.get_content()
        assert body.index(cast.org.name_ko) < body.index(cast.org.name_en)  # Korean first
    subject, body = smtp.messages[1][1]["Subject"], smtp.messages[1][1].get_content()
    assert "등록 승인 결정" in subject and "Decision: registration approved" in subject
    assert "등록번호: KVI-" in body and "Registration number: KVI-" in body
    revocation = smtp.messages[4][1].get_content()
    assert "중대한 법령 위반" in revocation and "Serious infringement" in revocation


def test_incomplete_and_information_requests_tell_what_is_asked_and_by_when(smtp, cast):
    returned = cast.case_in("returned_incomplete")
    asked = cast.case_in("information_requested")
    incomplete = _outbox(returned.id)[-1]
    assert incomplete.event == "incomplete"
    assert "Audited statements" in incomplete.body and "2026-12-08" in incomplete.body
    request = _outbox(asked.id)[-1]
    assert request.event == "information_requested"
    assert "Explain the custody arrangement." in request.body and "2026-12-10" in request.body
    arrived = [email["Subject"] for _rcpt, email in smtp.messages]
    assert any("보완 요구" in s for s in arrived) and any("자료 제출 요청" in s for s in arrived)


def test_internal_steps_send_nothing(smtp, cast):
    case = cast.case_in("recommended")
    assert [m.event for m in _outbox(case.id)] == ["submission_received"]


def test_without_a_mail_server_messages_wait_in_the_outbox_for_the_admin(app, client, cast):
    assert not app.config.get("SMTP_HOST")
    case = cast.case_in("refused")
    messages = _outbox(case.id)
    assert [m.event for m in messages] == ["submission_received", "decision"]
    assert all(m.sent_at is None and m.error is None for m in messages)
    assert (
        "해당 유형의 등록 요건 미충족" in messages[1].body and "Capital short." in messages[1].body
    )
    admin = factories.user("admin")
    assert login(client, cast.reviewer).get("/admin/outbox").status_code == 403
    page = login(client, admin).get("/admin/outbox").get_data(as_text=True)
    assert messages[1].subject in page


def test_a_mail_server_that_is_down_is_recorded_and_the_change_still_stands(app, cast, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", str(_free_port()))  # nothing listens
    case = cast.case_in("submitted")
    assert case.state == "submitted"
    message = _outbox(case.id)[0]
    assert message.sent_at is None and "ConnectionRefusedError" in message.error


def test_a_refused_transition_writes_no_message(cast):
    case = cast.case_in("submitted")
    with pytest.raises(Invalid):
        applications.transition(case.id, "return_incomplete", cast.reviewer, {"missing": []})
    assert [m.event for m in _outbox(case.id)] == ["submission_received"]
