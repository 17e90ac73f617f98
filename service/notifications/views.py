"""The outbox page: every e-mail the service wrote to issuers (administrators)."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from service import policy
from service.notifications.queries import outbox as latest_messages

bp = Blueprint("notifications", __name__, url_prefix="/admin")


@bp.route("/outbox")
@login_required
def outbox():
    policy.require(current_user, "admin.outbox")
    return render_template(
        "notifications/outbox.html",
        messages=latest_messages(),
        smtp_host=current_app.config.get("SMTP_HOST"),
    )
