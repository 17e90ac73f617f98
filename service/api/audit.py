"""`/api/v1/audit`: the chain's verification (auditors and administrators)."""

from flask_smorest import Blueprint

from service.access import AUDIT_ROLES
from service.api.auth import bearer_user, requires_token
from service.api.problems import problem
from service.api.schemas import VerificationOut
from service.audit import chain
from service.extensions import db

blp = Blueprint("api_audit", __name__, url_prefix="/api/v1/audit", description="Audit trail")


@blp.route("/verify", methods=["GET"])
@requires_token
@blp.response(200, VerificationOut)
def verify():
    """Recompute the hash chain; `broken_seq` names the first event that does not fit."""
    if bearer_user().role not in AUDIT_ROLES:
        return problem(403, "Forbidden", "Only auditors and administrators verify the chain.")
    return chain.verify(db.session).as_dict()
