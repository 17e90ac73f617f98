"""Webhooks (docs/api.md, "Webhooks"; docs/security.md, "Webhooks aimed inside the network").

Each event reaches a real HTTP server on 127.0.0.1 (allowed by WEBHOOKS_ALLOW_LOOPBACK,
which production never sets), and each signature is checked here with the Standard
Webhooks algorithm written out again, not with the service's code.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from service.applications import operations
from service.extensions import db
from service.models import Application, OutboxMessage, Webhook, WebhookDelivery
from service.models.types import utcnow
from service.webhooks.deliveries import deliver_due
from tests.conftest import TODAY
from tests.service import factories
from tests.service.conftest import run_worker
from tests.service.factories import PASSWORD


class Receiver:
    """An issuer's endpoint: answers each POST with the next status of `statuses` (200 once
    they run out) and keeps what it was sent."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/registry-events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.fixture
def loopback(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", True)


def verify(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> bool:
    """The Standard Webhooks check, as a receiver writes it: HMAC-SHA256 with the secret's
    base64-decoded bytes over "id.timestamp.body", base64, compared with each "v1," entry."""
    message_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{message_id}.{timestamp}.{body.decode()}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for entry in headers["webhook-signature"].split(" "):
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False


def token_for(client, user) -> dict:
    answer = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 201, answer.data
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def register(client, auth, url):
    answer = client.post("/api/v1/webhooks", json={"url": url}, headers=auth)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def deliveries(client, auth, webhook_id):
    answer = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=auth)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_an_event_is_posted_to_the_issuers_url_signed_and_listed_as_delivered(
    app, ctx, client, loopback, receiver
):
    server = receiver()
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    secret = made["secret"]
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    # Shown once: never again, and not stored as it was shown.
    shown = client.get(f"/api/v1/webhooks/{made['id']}", headers=auth).get_json()
    assert "secret" not in shown and shown["url"] == server.url
    listed = client.get("/api/v1/webhooks", headers=auth).get_json()
    assert [w["id"] for w in listed] == [made["id"]] and "secret" not in listed[0]
    stored = db.session.get(Webhook, made["id"])
    assert secret not in stored.secret and secret[6:] not in stored.secret

    case = cast.case_in("submitted")  # the issuer submits: "submission_received"

    assert len(server.received) == 1
    headers, body = server.received[0]
    assert verify(secret, headers, body)
    assert not verify(secret, headers, body + b" ")  # the body is what is signed
    assert headers["content-type"] == "application/json"
    event = json.loads(body)
    assert event["type"] == "submission_received"
    assert event["data"]["application_id"] == case.id
    assert event["data"]["step"] == "submit" and event["data"]["state"] == "submitted"
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["message_id"] == headers["webhook-id"]
    assert delivery["status"] == "delivered" and delivery["attempts"] == 1
    assert delivery["last_status"] == 200 and delivery["next_attempt_at"] is None
    assert json.loads(delivery["payload"]) == event
    # The same event's e-mail was written beside it.
    assert db.session.execute(
        select(OutboxMessage).where(OutboxMessage.application_id == case.id)
    ).scalar_one()


def test_a_failing_receiver_is_tried_again_with_a_doubling_delay_until_it_answers(
    app, ctx, client, loopback, receiver
):
    server = receiver(statuses=[500, 503])
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    started = utcnow()
    cast.case_in("submitted")
    [first] = deliveries(client, auth, made["id"])
    assert first["status"] == "pending" and first["attempts"] == 1
    assert first["last_status"] == 500 and "500" in first["last_error"]
    row = db.session.get(WebhookDelivery, first["id"])
    wait = row.next_attempt_at - started
    assert timedelta(seconds=29) < wait < timedelta(seconds=40)  # WEBHOOKS_RETRY_FIRST

    assert deliver_due(started + timedelta(seconds=10))["pending"] == 0  # not due yet
    assert len(server.received) == 1
    assert deliver_due(started + timedelta(seconds=40)) == {
        "delivered": 0,
        "pending": 1,
        "failed": 0,
    }
    [second] = deliveries(client, auth, made["id"])
    assert second["attempts"] == 2 and second["last_status"] == 503
    db.session.expire_all()
    row = db.session.get(WebhookDelivery, first["id"])
    # Doubled: 60 seconds after the second attempt.
    assert row.next_attempt_at - (started + timedelta(seconds=40)) == timedelta(seconds=60)
    deliver_due(started + timedelta(seconds=101))
    [third] = deliveries(client, auth, made["id"])
    assert third["status"] == "delivered" and third["attempts"] == 3
    assert third["last_status"] == 200 and third["next_attempt_at"] is None
    # One message, three attempts: the same webhook-id, each attempt signed afresh.
    assert len({headers["webhook-id"] for headers, _body in server.received}) == 1
    assert all(verify(made["secret"], h, b) for h, b in server.received)
    assert deliver_due(started + timedelta(days=1))["delivered"] == 0  # never sent twice
    assert len(server.received) == 3


def test_a_delivery_is_given_up_after_its_attempts(app, ctx, client, loopback, receiver):
    app.config["WEBHOOKS_MAX_ATTEMPTS"], before = 2, app.config["WEBHOOKS_MAX_ATTEMPTS"]
    try:
        server = receiver(statuses=[502] * 5)
        cast = factories.Cast()
        auth = token_for(client, cast.issuer)
        made = register(client, auth, server.url)
        cast.case_in("submitted")
        deliver_due(utcnow() + timedelta(minutes=5))
        [delivery] = deliveries(client, auth, made["id"])
        assert delivery["status"] == "failed" and delivery["attempts"] == 2
        assert delivery["last_status"] == 502 and delivery["next_attempt_at"] is None
        deliver_due(utcnow() + timedelta(days=2))
        assert len(server.received) == 2
    finally:
        app.config["WEBHOOKS_MAX_ATTEMPTS"] = before


def test_with_redis_the_worker_delivers_and_schedules_the_retry(
    app, ctx, client, loopback, receiver, redis_queue
):
    server = receiver(statuses=[500])
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    cast.case_in("submitted")
    assert server.received == []  # queued, not sent by the request
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["status"] == "pending" and delivery["attempts"] == 0
    run_worker(redis_queue)
    assert len(server.received) == 1
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["attempts"] == 1 and delivery["last_status"] == 500
    # The retry waits in RQ's scheduled registry for its time (WEBHOOKS_RETRY_FIRST).
    scheduled = ScheduledJobRegistry(queue=redis_queue)
    [job_id] = scheduled.get_job_ids()
    due = scheduled.get_scheduled_time(job_id)
    assert timedelta(seconds=20) < due - utcnow() < timedelta(seconds=40)
    # When it falls due the worker's scheduler queues it; here, at once.
    redis_queue.enqueue_job(redis_queue.fetch_job(job_id))
    scheduled.remove(job_id)
    row = db.session.get(WebhookDelivery, delivery["id"])
    row.next_attempt_at = utcnow()
    db.session.commit()
    run_worker(redis_queue)
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 2
    assert all(verify(made["secret"], h, b) for h, b in server.received)


PRIVATE = [
    "https://127.0.0.1/hook",
    "https://localhost:8443/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://10.0.0.5/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_a_url_inside_the_network_is_refused_with_a_problem(app, ctx, client, url):
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    answer = client.post("/api/v1/webhooks", json={"url": url}, headers=auth)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == "webhook_url_not_public", problem
    assert "public" in problem["detail"] or "공인" in problem["detail"]
    assert "url" in problem["errors"]
    assert client.get("/api/v1/webhooks", headers=auth).get_json() == []


@pytest.mark.parametrize(
    "url, code",
    [
        ("http://93.184.216.34/hook", "webhook_url_not_https"),
        ("not a url", "webhook_url_invalid"),
        ("ftp://93.184.216.34/hook", "webhook_url_invalid"),
        ("https://user:secret@93.184.216.34/hook", "webhook_url_invalid"),
        ("https://93.184.216.34:99999/hook", "webhook_url_invalid"),
        ("https://name.invalid/hook", "webhook_url_unresolved"),
        ("https://93.184.216.34/" + "a" * 2000, "webhook_url_too_long"),
    ],
)
def test_a_bad_url_gets_a_clear_problem(app, ctx, client, url, code):
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    answer = client.post("/api/v1/webhooks", json={"url": url}, headers=auth)
    assert answer.status_code == 422
    problem = answer.get_json()
    if code == "webhook_url_too_long":  # the schema's own length check answers first
        assert problem["errors"]["json"]["url"]
    else:
        assert problem["code"] == code, problem
        assert problem["errors"]["url"] and problem["detail"]


def test_loopback_allowed_for_tests_still_refuses_the_private_network(app, ctx, client, loopback):
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    answer = client.post("/api/v1/webhooks", json={"url": "http://10.0.0.5/"}, headers=auth)
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "webhook_url_not_https"
    answer = client.post("/api/v1/webhooks", json={"url": "https://10.0.0.5/"}, headers=auth)
    assert answer.get_json()["code"] == "webhook_url_not_public"


def test_a_url_that_now_points_inside_is_not_called_and_cannot_be_set(
    app, ctx, client, loopback, receiver, monkeypatch
):
    """The address is checked again at each attempt and the connection goes to the address
    checked: a URL accepted once that now leads inside the network reaches nothing."""
    server = receiver()
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", False)  # as in production
    cast.case_in("submitted")
    assert server.received == []
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["status"] == "pending" and delivery["last_status"] is None
    assert delivery["last_error"].startswith("webhook_url_not_https: ")
    # Changing the URL is checked as a new one is; the old URL stays.
    answer = client.patch(
        f"/api/v1/webhooks/{made['id']}",
        json={"url": "https://169.254.169.254/latest/meta-data/"},
        headers=auth,
    )
    assert answer.status_code == 422
    assert answer.get_json()["code"] == "webhook_url_not_public"
    assert client.get(f"/api/v1/webhooks/{made['id']}", headers=auth).json["url"] == server.url


def test_another_organizations_webhooks_are_not_there(app, ctx, client, loopback, receiver):
    server = receiver()
    cast = factories.Cast()
    made = register(client, token_for(client, cast.issuer), server.url)
    other = token_for(client, factories.user("issuer"))
    base = f"/api/v1/webhooks/{made['id']}"
    assert client.get(base, headers=other).status_code == 404
    assert client.get(f"{base}/deliveries", headers=other).status_code == 404
    assert client.patch(base, json={"active": False}, headers=other).status_code == 404
    answer = client.post(f"{base}/secret", headers=other)
    assert answer.status_code == 404 and answer.get_json()["code"] == "webhook_not_found"
    answer = client.patch(base, json={"url": "https://10.0.0.1/"}, headers=other)
    assert answer.status_code == 404  # the policy before the URL: nothing learnt
    assert client.get("/api/v1/webhooks", headers=other).get_json() == []
    assert db.session.get(Webhook, made["id"]).active is True
    # The other organization's events never reach this URL.
    factories.Cast().case_in("submitted")
    assert server.received == []
    # Regulators do not register webhooks.
    reviewer = token_for(client, cast.reviewer)
    assert client.get("/api/v1/webhooks", headers=reviewer).status_code == 403
    assert client.get(base, headers=reviewer).status_code == 404


def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(app, ctx, client, loopback, receiver):
    server = receiver()
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    answer = client.post(f"/api/v1/webhooks/{made['id']}/secret", headers=auth)
    assert answer.status_code == 200
    rotated = answer.get_json()["secret"]
    assert rotated.startswith("whsec_") and rotated != made["secret"]
    assert answer.get_json()["secret_rotated_at"]
    cast.case_in("submitted")
    [(headers, body)] = server.received
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify(rotated, headers, body) and verify(made["secret"], headers, body)
    # After the grace period only the new secret signs.
    row = db.session.get(Webhook, made["id"])
    row.previous_secret_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    application = cast.case_in("submitted")
    headers, body = server.received[-1]
    assert json.loads(body)["data"]["application_id"] == application.id
    assert verify(rotated, headers, body) and not verify(made["secret"], headers, body)


def test_a_disabled_webhook_gets_no_deliveries(app, ctx, client, loopback, receiver):
    server = receiver()
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    answer = client.patch(f"/api/v1/webhooks/{made['id']}", json={"active": False}, headers=auth)
    assert answer.status_code == 200 and answer.get_json()["active"] is False
    cast.case_in("submitted")
    assert server.received == [] and deliveries(client, auth, made["id"]) == []


def test_an_event_rolled_back_leaves_no_delivery_and_sends_nothing(
    app, ctx, client, loopback, receiver
):
    """The delivery is written in the event's unit of work: when its COMMIT is refused, the
    step, its e-mail and its delivery are all gone, and nothing is POSTed."""
    server = receiver()
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    case = cast.case_in("draft")

    def refuse(session):
        raise OperationalError("COMMIT", {}, Exception("injected: the commit was refused"))

    event.listen(Session, "before_commit", refuse)
    try:
        with pytest.raises(OperationalError, match="injected"):
            operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    finally:
        event.remove(Session, "before_commit", refuse)
    assert db.session.get(Application, case.id).state == "draft"
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    assert server.received == []
    # Sent again, the step commits with one delivery, sent once.
    operations.transition(case.id, "submit", cast.issuer, {}, today=TODAY)
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["status"] == "delivered" and delivery["application_id"] == case.id
    assert len(server.received) == 1


def test_the_cron_command_sends_what_is_due(app, ctx, client, loopback, receiver):
    server = receiver(statuses=[500])
    cast = factories.Cast()
    auth = token_for(client, cast.issuer)
    made = register(client, auth, server.url)
    cast.case_in("submitted")
    row = db.session.execute(select(WebhookDelivery)).scalar_one()
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["webhooks", "send"])
    assert result.exit_code == 0, result.output
    assert "1 delivered" in result.output
    [delivery] = deliveries(client, auth, made["id"])
    assert delivery["status"] == "delivered" and delivery["attempts"] == 2
