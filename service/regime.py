"""The regime profile in force: the one `REGIME_PROFILE` names (docs/domain.md).

Every figure a rule, a page or a PDF uses comes from this profile; nothing in the
service asks `workflows.regime` for its default.
"""

from flask import current_app

from workflows.regime import RegimeProfile, profile


def regime() -> RegimeProfile:
    return profile(current_app.config["REGIME_PROFILE"])
