"""The live lifecycle: the machine's own table drawn as SVG, and a page explaining each state."""

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from service import policy
from workflows.diagram import render_svg
from workflows.lifecycle import PHASES, STATE_EXPLANATIONS, STATE_LABELS, leaving

bp = Blueprint("lifecycle", __name__)


@bp.before_request
@login_required
def staff_only():
    policy.require(current_user, "lifecycle.view")


@bp.route("/lifecycle.svg")
def diagram():
    return Response(render_svg(), mimetype="image/svg+xml")


@bp.route("/lifecycle")
def page():
    return render_template(
        "lifecycle/page.html",
        phases=PHASES,
        state_labels=STATE_LABELS,
        explanations=STATE_EXPLANATIONS,
        leaving=leaving,
    )
