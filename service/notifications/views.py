"""The outbox page: every e-mail the service wrote to issuers (administrators)."""

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from service.notifications.queries import outbox as latest_messages

bp = Blueprint("notifications", __name__, url_prefix="/admin")


@bp.route("/outbox")
@login_required
def outbox():
    if current_user.role != "admin":
        abort(403)
    return render_template(
        "notifications/outbox.html",
        messages=latest_messages(),
        smtp_host=current_app.config.get("SMTP_HOST"),
    )
