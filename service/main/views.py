"""Home, language choice, and the HTML side of errors."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from service.web import local_target

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/index.html")
    if current_user.role == "issuer":
        return redirect(url_for("applications.dashboard"))
    if current_user.role == "auditor":
        return redirect(url_for("auditor.filings"))
    return redirect(url_for("review.queue"))


@bp.route("/language/<code>")
def set_language(code: str):
    """A plain link switches the language; the choice is kept in a cookie."""
    response = redirect(local_target(request.args.get("next")) or url_for("main.index"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.route("/privacy")
def privacy():
    """What personal data the service keeps, why, how long, and whom to ask (the Personal
    Information Protection Act, Art. 30: docs/domain.md, "Personal data")."""
    config = current_app.config
    return render_template(
        "main/privacy.html",
        contact_email=config["CONTACT_EMAIL"],
        contact_phone=config["CONTACT_PHONE"],
        retention=config["RETENTION_YEARS"],
        session_minutes=int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 60),
    )
