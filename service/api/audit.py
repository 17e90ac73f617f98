"""`/api/v1/audit`: the chain's verification (auditors and administrators read it; an
administrator starts a full pass, which runs as a job)."""

from flask import url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema

from forms.fields import CalendarDate
from service import policy
from service.api.auth import bearer_user, requires_token
from service.api.contract import download, headers
from service.api.problems import problem
from service.api.schemas import FullVerificationOut, VerificationOut
from service.audit import chain
from service.auditor.views import events_csv_response, export_response
from service.extensions import db
from service.models import AuditVerification
from workflows.bilingual import t

blp = Blueprint("api_audit", __name__, url_prefix="/api/v1/audit", description="Audit trail")

READERS_ONLY = t(
    "Only auditors and administrators read the chain's verification.",
    "감사인과 관리자만 체인 검증 결과를 읽습니다.",
)


def _readers_only():
    """The policy's audit readers pass; anyone else gets the API's own reason."""
    if policy.allows(bearer_user(), "audit.read"):
        return None
    return problem(403, READERS_ONLY, code="role")


def _full_pass(verification: AuditVerification | None) -> dict | None:
    if verification is None:
        return None
    finished = verification.status == "done"
    return {
        "id": verification.id,
        "status": verification.status,
        "verified_by": verification.verified_by,
        "started_at": verification.started_at.isoformat() if verification.started_at else None,
        "verified_at": verification.verified_at.isoformat() if finished else None,
        "ok": verification.ok if finished else None,
        "checked": verification.checked if finished else None,
        "head_hash": verification.head_hash if finished else None,
        "broken_seq": verification.broken_seq,
        "problem": verification.problem,
        "url": url_for("api_audit.verification", verification_id=verification.id),
    }


@blp.route("/verify", methods=["GET"])
@requires_token
@blp.response(200, VerificationOut)
def verify():
    """The last full pass, and the events appended since it recomputed now (the integrity
    page's check). `recomputed_from`..`recomputed_to` is what this answer recomputed; events
    before it were last recomputed by `last_full_pass`, and an edit made to them since is
    found only by the next full pass (POST /audit/verifications)."""
    if refused := _readers_only():
        return refused
    last_full = chain.last_full_verification(db.session)
    recent = chain.since_last_full_verification(db.session)
    answer = recent.as_dict()
    last_recomputed = recent.checked if recent.ok else recent.broken_seq
    answer["recomputed_to"] = last_recomputed if last_recomputed >= recent.first_seq else None
    answer["not_recomputed"] = None
    if recent.first_seq > 1:
        answer["not_recomputed"] = _(
            "This page did not recompute events 1 to %(seq)s: the full pass of %(date)s found "
            "them intact, and a change made to them since is found by the next full pass, "
            "not here.",
            seq=f"{recent.first_seq - 1:,}",
            date=recent.since_full_pass_at.isoformat(),
        )
    if last_full is not None and not last_full.ok:
        # A broken full pass stands until a later one finds the chain whole again.
        answer |= {"ok": False, "broken_seq": last_full.broken_seq, "problem": last_full.problem}
    answer["last_full_pass"] = _full_pass(last_full)
    answer["running"] = _full_pass(chain.unfinished_verification(db.session))
    return answer


@blp.route("/verifications", methods=["POST"])
@requires_token
@blp.response(202, FullVerificationOut, headers=headers("Location"))
@blp.alt_response(409, response="DEFAULT_ERROR")
def start_verification():
    """Start a full pass over every event as a job (administrators); follow it at the
    `Location` answered. One at a time: 409 while one is queued or running."""
    user = bearer_user()
    policy.require(user, "audit.verify.start")
    try:
        pending = chain.start_full_verification_job(user.email)
    except chain.FullPassRunning as running:
        return problem(
            409,
            t(
                "A full verification is already queued or running; follow it instead.",
                "전체 검증이 이미 대기 중이거나 실행 중입니다. 그것을 지켜보십시오.",
            ),
            code="verification_running",
            running=_full_pass(running.unfinished),
        )
    db.session.expire_all()  # run inline, the job has recorded its result already
    location = url_for("api_audit.verification", verification_id=pending.id)
    return _full_pass(db.session.get(AuditVerification, pending.id)), 202, {"Location": location}


@blp.route("/verifications/<int:verification_id>", methods=["GET"])
@requires_token
@blp.response(200, FullVerificationOut)
def verification(verification_id):
    """One full pass: queued, running, done (with its result) or abandoned."""
    if refused := _readers_only():
        return refused
    found = db.session.get(AuditVerification, verification_id)
    if found is None:
        return problem(
            404,
            t("No full verification has that number.", "그 번호의 전체 검증이 없습니다."),
            code="verification_not_found",
        )
    return _full_pass(found)


class ExportQuery(Schema):
    filed_from = CalendarDate(metadata={"description": "first day, Korean time"})
    filed_to = CalendarDate(metadata={"description": "last day, Korean time"})


@blp.route("/events.csv", methods=["GET"])
@requires_token
@blp.doc(responses={"200": download("text/csv", "Every audit event, the chain's hashes included")})
def events_csv():
    """Every audit event as CSV, up to the chain's head when asked (auditors, administrators)."""
    if refused := _readers_only():
        return refused
    return events_csv_response(None, "audit-events.csv")


@blp.route("/export.zip", methods=["GET"])
@requires_token
@blp.arguments(ExportQuery, location="query")
@blp.doc(responses={"200": download("application/zip", "The period's filings and events")})
def export(query):
    """The filings of a period with the audit events and signed checkpoints, as a ZIP that
    `flask audit verify-export` checks offline (auditors, administrators)."""
    if refused := _readers_only():
        return refused
    return export_response(query.get("filed_from"), query.get("filed_to"))
