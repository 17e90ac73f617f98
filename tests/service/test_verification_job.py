"""The full verification of the audit chain as a job: GET /api/v1/audit/verify reads the
last full pass and recomputes only what came since; an administrator starts a full pass
(POST /api/v1/audit/verifications, or the integrity page's button) and follows it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from service.applications import operations
from service.audit import chain
from service.extensions import db
from service.models import AuditVerification
from service.models.types import utcnow
from tests.service.conftest import login, run_worker, token
from tests.service.factories import PASSWORD, TODAY, Cast, user
from tests.service.test_api_lifecycle import bypass_append_only_triggers

# Two different edits of an event the last full pass found intact.
EDITS = {
    "actor": "UPDATE audit_event SET actor_label = 'someone else' WHERE seq = :seq",
    "state": "UPDATE audit_event SET to_state = 'registered' WHERE seq = :seq",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_the_get_recomputes_only_events_since_the_full_pass_and_a_new_pass_finds_the_edit(
    client, ctx, app, edit
):
    cast = Cast()
    case = cast.case_in("submitted")
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    full = chain.last_full_verification(db.session)
    assert (full.status, full.verified_by, full.ok) == ("done", "flask audit verify", True)
    operations.transition(case.id, "mark_complete", cast.reviewer, {}, today=TODAY)
    administrator = user("admin")
    auditor, admin = token(client, cast.auditor), token(client, administrator)
    submitted = db.session.execute(
        text("SELECT seq FROM audit_event WHERE application_id = :id AND action = 'submit'"),
        {"id": case.id},
    ).scalar_one()
    assert submitted <= full.checked
    bypass_append_only_triggers()
    db.session.execute(text(EDITS[edit]), {"seq": submitted})
    db.session.commit()
    head = chain.verify(db.session, since=(full.checked, full.head_hash)).checked

    answer = client.get("/api/v1/audit/verify", headers=auditor | {"Accept-Language": "en"})
    assert answer.status_code == 200
    body = answer.json
    # Only the events after the full pass were recomputed, and the answer says so.
    assert body["ok"] is True and body["broken_seq"] is None
    assert (body["recomputed_from"], body["recomputed_to"]) == (full.checked + 1, head)
    assert f"did not recompute events 1 to {full.checked:,}" in body["not_recomputed"]
    assert body["last_full_pass"]["id"] == full.id and body["last_full_pass"]["ok"] is True
    assert body["running"] is None

    started = client.post("/api/v1/audit/verifications", headers=admin)
    assert started.status_code == 202
    assert started.headers["Location"] == f"/api/v1/audit/verifications/{started.json['id']}"
    followed = client.get(started.headers["Location"], headers=auditor)
    assert followed.status_code == 200
    result = followed.json
    assert (result["status"], result["ok"], result["broken_seq"]) == ("done", False, submitted)
    assert result["verified_by"] == administrator.email and result["id"] > full.id

    after = client.get("/api/v1/audit/verify", headers=auditor).json
    assert after["ok"] is False and after["broken_seq"] == submitted
    assert after["last_full_pass"]["id"] == result["id"]
    assert after["last_full_pass"]["ok"] is False


def test_only_an_administrator_starts_a_pass_and_only_audit_roles_follow_it(client, ctx):
    cast = Cast()
    cast.case_in("submitted")
    admin = token(client, user("admin"))
    started = client.post("/api/v1/audit/verifications", headers=admin)
    assert started.status_code == 202
    location = started.headers["Location"]
    for who in (cast.reviewer, cast.issuer, cast.approver, cast.auditor):
        refused = client.post("/api/v1/audit/verifications", headers=token(client, who))
        assert refused.status_code == 403, who.role
        assert refused.content_type == "application/problem+json"
    for who in (cast.reviewer, cast.issuer):
        assert client.get(location, headers=token(client, who)).status_code == 403
    assert client.get(location, headers=token(client, cast.auditor)).status_code == 200
    missing = client.get("/api/v1/audit/verifications/999999999", headers=admin)
    assert missing.status_code == 404
    # The refused starts recorded nothing: the administrator's pass is still the latest.
    latest = db.session.execute(select(func.max(AuditVerification.id))).scalar_one()
    assert latest == started.json["id"]


def test_the_integrity_page_lets_the_administrator_start_a_pass(client, ctx):
    cast = Cast()
    cast.case_in("submitted")
    login(client, cast.auditor)
    page = client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Start a full verification" not in page
    assert client.post("/audit/integrity/verifications").status_code == 403
    client.post("/logout")
    administrator = user("admin")
    login(client, administrator)
    page = client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Start a full verification" in page
    started = client.post("/audit/integrity/verifications", headers={"Accept-Language": "en"})
    assert started.status_code == 303 and started.headers["Location"].endswith("/audit/integrity")
    page = client.get("/audit/integrity", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The full verification was started." in page
    # Run inline (no REDIS_URL): done already, and the page checks only what came since.
    last = chain.last_full_verification(db.session)
    assert (last.verified_by, last.ok) == (administrator.email, True)
    assert "No event was appended since the full pass of" in page


@pytest.mark.real_commits
def test_on_redis_the_pass_waits_for_the_worker_and_a_second_start_is_refused(app, redis_queue):
    with app.app_context():
        cast = Cast()
        cast.case_in("submitted")
        client = app.test_client()
        admin_user = user("admin")
        admin, auditor = token(client, admin_user), token(client, cast.auditor)
        admin_email = admin_user.email
        db.session.remove()
        waiting = redis_queue.count  # the filing's PDF, besides

        started = client.post("/api/v1/audit/verifications", headers=admin)
        assert started.status_code == 202 and started.json["status"] == "queued"
        assert started.json["ok"] is None and started.json["checked"] is None
        location = started.headers["Location"]
        assert redis_queue.count == waiting + 1
        # Given as long as a pass may take before it counts as abandoned, not JOBS_TIMEOUT.
        assert redis_queue.jobs[-1].timeout == chain.ABANDONED_AFTER.total_seconds()
        # While it waits: refused, through the API and the page; the GET shows it running.
        again = client.post("/api/v1/audit/verifications", headers=admin)
        assert again.status_code == 409 and again.json["running"]["id"] == started.json["id"]
        assert again.content_type == "application/problem+json"
        verify = client.get("/api/v1/audit/verify", headers=auditor).json
        assert verify["running"]["id"] == started.json["id"]
        assert (verify["last_full_pass"] or {}).get("id") != started.json["id"]
        answer = client.post("/login", data={"email": admin_email, "password": PASSWORD})
        assert answer.status_code == 302
        refused = client.post("/audit/integrity/verifications", headers={"Accept-Language": "en"})
        assert refused.status_code == 303
        page = client.get("/audit/integrity", headers={"Accept-Language": "en"})
        assert "A full verification is already queued or running." in page.get_data(as_text=True)
        assert "A full verification in progress" in page.get_data(as_text=True)
        assert redis_queue.count == waiting + 1
        db.session.remove()

        run_worker(redis_queue)

        done = client.get(location, headers=auditor).json
        assert (done["status"], done["ok"]) == ("done", True)
        assert done["checked"] == chain.verify(db.session).checked
        verify = client.get("/api/v1/audit/verify", headers=auditor).json
        assert verify["last_full_pass"]["id"] == done["id"] and verify["running"] is None
        db.session.remove()


@pytest.mark.real_commits
def test_a_pass_whose_job_never_finished_stays_unfinished_then_is_marked_abandoned(
    app, redis_queue
):
    with app.app_context():
        Cast().case_in("submitted")
        client = app.test_client()
        admin = token(client, user("admin"))
        before = chain.last_full_verification(db.session)
        db.session.remove()
        started = client.post("/api/v1/audit/verifications", headers=admin)
        assert started.status_code == 202
        # The job is lost (the worker died with it): nothing claims the pass was done.
        redis_queue.empty()
        stuck = client.get(started.headers["Location"], headers=admin).json
        assert stuck["status"] == "queued" and stuck["ok"] is None
        last = chain.last_full_verification(db.session)
        assert (last.id if last else None) == (before.id if before else None)
        # Long after its last sign of life, the next start marks it abandoned and runs.
        db.session.execute(
            update(AuditVerification)
            .where(AuditVerification.id == stuck["id"])
            .values(verified_at=utcnow() - chain.ABANDONED_AFTER - timedelta(minutes=1))
        )
        db.session.commit()
        db.session.remove()
        next_pass = client.post("/api/v1/audit/verifications", headers=admin)
        assert next_pass.status_code == 202
        abandoned = client.get(started.headers["Location"], headers=admin).json
        assert abandoned["status"] == "abandoned" and abandoned["ok"] is None
        db.session.remove()
        run_worker(redis_queue)
        assert client.get(next_pass.headers["Location"], headers=admin).json["status"] == "done"
        db.session.remove()


def test_cron_s_verify_records_its_pass_and_says_so_when_another_is_running(ctx, app):
    Cast().case_in("submitted")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    cron = chain.last_full_verification(db.session)
    assert (cron.status, cron.verified_by, cron.ok) == ("done", "flask audit verify", True)
    assert cron.started_at is not None and cron.verified_at >= cron.started_at
    # A pass queued on a worker (not run here): cron does not start a second one.
    queued = chain.start_full_verification(db.session, "someone")
    busy = runner.invoke(args=["audit", "verify"])
    assert busy.exit_code == 1
    assert f"audit chain NOT recomputed: full pass {queued.id} is queued" in busy.output
    assert chain.last_full_verification(db.session).id == cron.id
