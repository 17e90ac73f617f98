"""Signing in and out, the account page (password, sign-out everywhere), an issuer's
users (invited by e-mail, removed by its administrator), and the administrator's page of
sign-in locks and sessions."""

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from service import policy
from service.auth import members, operations, sessions, throttle
from service.auth.throttle import LoginThrottled
from service.errors import Conflict, Invalid, NotFound, with_retry_after
from service.extensions import db
from service.models import User
from service.unit_of_work import unit_of_work
from service.web import local_target

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        try:
            user = operations.authenticate(
                email, request.form.get("password", ""), request.remote_addr
            )
        except LoginThrottled as locked:
            page = render_template("auth/login.html", error=locked.message, email=email)
            return with_retry_after(make_response(page, 429), locked)
        if user is not None:
            sessions.begin(user)
            operations.record_login(user, "web")
            return redirect(local_target(request.args.get("next")) or url_for("main.index"))
        # One message for every failure: it never says whether the e-mail exists.
        error = _("The e-mail or password is not correct.")
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end_this()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account")
@login_required
def account():
    return _account_page()


def _account_page(errors=None, message=None, status=200):
    page = render_template(
        "auth/account.html",
        open_sessions=sessions.open_session_counts([current_user.id]).get(current_user.id, 0),
        idle_minutes=current_app.permanent_session_lifetime // timedelta(minutes=1),
        lifetime_hours=current_app.config["SESSION_ABSOLUTE_LIFETIME"] // timedelta(hours=1),
        errors=errors or {},
        message=message,
    )
    return page, status


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = request.form
    current, new = form.get("current_password", ""), form.get("new_password", "")
    errors = {}
    if not current:
        errors["current_password"] = [_("Enter your current password.")]
    if not new:
        errors["new_password"] = [_("Enter a new password.")]
    elif new != form.get("confirm_password", ""):
        errors["confirm_password"] = [_("The two new passwords are not the same.")]
    if errors:
        return _account_page(errors, _("The password was not changed."), 422)
    user = current_user._get_current_object()
    try:
        operations.change_password(user, current, new, request.remote_addr)
    except LoginThrottled as locked:
        page, status = _account_page(message=locked.message, status=429)
        return with_retry_after(make_response(page, status), locked)
    except Invalid as refused:
        return _account_page(refused.errors, refused.message, 422)
    # Every session ended with the old password, this browser's too: it gets a new one.
    with unit_of_work(user):
        sessions.begin(user)
    flash(_("Your password is changed. Every other session and API token has ended."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    operations.sign_out_everywhere(current_user._get_current_object())
    sessions.end_this()
    flash(_("You have signed out everywhere. Every API token of yours is revoked."), "info")
    return redirect(url_for("main.index"))


def _admin_only() -> None:
    if not policy.allows(current_user, "admin.sessions"):
        abort(403)


@bp.route("/admin/sign-ins")
@login_required
def sign_ins():
    _admin_only()
    users = db.session.execute(select(User).order_by(User.role, User.email)).scalars().all()
    ids = [user.id for user in users]
    return render_template(
        "auth/sign_ins.html",
        locks=throttle.locks_in_force(),
        users=users,
        session_counts=sessions.open_session_counts(ids),
        token_counts=sessions.live_token_counts(ids),
    )


@bp.route("/admin/users/<int:user_id>/end-sessions", methods=["POST"])
@login_required
def end_sessions(user_id: int):
    _admin_only()
    user = operations.end_sessions_of(current_user._get_current_object(), user_id)
    flash(_("Every session and API token of %(email)s has ended.", email=user.email), "success")
    if user.id == current_user.id:
        sessions.end_this(sessions.ENDED_BY_ADMIN)
        return redirect(url_for("main.index"))
    return redirect(url_for("auth.sign_ins"))


@bp.route("/admin/sign-ins/locks/<int:lock_id>/release", methods=["POST"])
@login_required
def release_lock(lock_id: int):
    _admin_only()
    released = throttle.release(current_user._get_current_object(), lock_id)
    if released is not None:
        flash(_("The lock on %(key)s is lifted.", key=released.key), "success")
    else:
        flash(_("That lock is no longer in force."), "info")
    return redirect(url_for("auth.sign_ins"))


# -- an issuer's users ------------------------------------------------------------------


@bp.route("/organization/users")
@login_required
def organization_users():
    return _members_page()


def _members_page(errors=None, message=None, typed=None, status=200):
    user = current_user._get_current_object()
    page = render_template(
        "auth/members.html",
        members=members.members_of(user),
        lifetime_days=members.INVITATION_LIFETIME.days,
        errors=errors or {},
        message=message,
        typed=typed or {},
    )
    return page, status


@bp.route("/organization/users/invite", methods=["POST"])
@login_required
def invite_user():
    form = request.form
    typed = {key: form.get(key, "") for key in ("email", "name", "duty")}
    typed["organization_admin"] = form.get("organization_admin") == "on"
    try:
        invitation, code = members.invite(
            current_user._get_current_object(),
            typed["email"],
            typed["name"],
            typed["duty"],
            typed["organization_admin"],
            lambda token: url_for("auth.accept_invitation", token=token, _external=True),
        )
    except (Invalid, Conflict) as refused:
        return _members_page(refused.errors, refused.message, typed, refused.status)
    flash(
        _(
            "An invitation is on its way to %(email)s. Give %(name)s this code by phone or in "
            "person, not by e-mail; it is shown only now: %(code)s",
            email=invitation.email,
            name=invitation.name,
            code=code,
        ),
        "success",
    )
    return redirect(url_for("auth.organization_users"))


@bp.route("/organization/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@login_required
def withdraw_invitation(invitation_id: int):
    invitation = members.revoke_invitation(current_user._get_current_object(), invitation_id)
    flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "info")
    return redirect(url_for("auth.organization_users"))


@bp.route("/organization/users/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_user(user_id: int):
    try:
        removed = members.remove(current_user._get_current_object(), user_id)
    except Conflict as refused:
        return _members_page(message=refused.message, status=refused.status)
    flash(
        _(
            "%(email)s is removed: every session and API token of theirs has ended.",
            email=removed.email,
        ),
        "success",
    )
    return redirect(url_for("auth.organization_users"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = members.invitation_for(token)
    except NotFound as refused:
        return render_template("auth/invitation.html", invalid=refused.message), 404
    if request.method == "GET":
        return render_template("auth/invitation.html", invitation=invitation, errors={})
    try:
        form = request.form
        user = members.accept(
            token,
            form.get("code", ""),
            form.get("password", ""),
            form.get("confirm_password", ""),
        )
    except Invalid as refused:
        page = render_template(
            "auth/invitation.html",
            invitation=invitation,
            errors=refused.errors,
            message=refused.message,
            code=request.form.get("code", "") if "code" not in refused.errors else "",
        )
        return page, 422
    except (NotFound, Conflict) as refused:
        return render_template("auth/invitation.html", invalid=refused.message), refused.status
    with unit_of_work(user):
        sessions.begin(user)
    flash(_("Welcome. Your account is ready and you are signed in."), "success")
    return redirect(url_for("main.index"))
