"""Login and logout pages."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from service.auth.operations import authenticate, record_login
from service.auth.throttle import LoginThrottled
from service.web import local_target

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        try:
            user = authenticate(email, request.form.get("password", ""), request.remote_addr)
        except LoginThrottled as locked:
            return render_template("auth/login.html", error=locked.message, email=email), 429
        if user is not None:
            session.permanent = True  # idle timeout: PERMANENT_SESSION_LIFETIME
            login_user(user)
            record_login(user, "web")
            return redirect(local_target(request.args.get("next")) or url_for("main.index"))
        # One message for every failure: it never says whether the e-mail exists.
        error = _("The e-mail or password is not correct.")
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))
