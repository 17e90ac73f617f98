"""`/register/log`: what the transparency log proves, and its latest checkpoint (public)."""

from flask import Blueprint, render_template

from service.extensions import db
from service.transparency import checkpoints, log

bp = Blueprint("transparency", __name__)


@bp.route("/register/log")
def log_page():
    latest = checkpoints.current(db.session)
    return render_template(
        "register/log.html",
        checkpoint=latest,
        size=log.size(db.session),
        verifier_key=checkpoints.verifier().encoded(),
    )
