"""`/api/v1/register`: the public register (no login)."""

from flask import abort
from flask_smorest import Blueprint

from service.api.schemas import RegisterDisclosureOut, RegisterEntryOut
from service.register.queries import disclosure, register_entries, registration

blp = Blueprint("api_register", __name__, url_prefix="/api/v1/register", description="Register")


@blp.route("", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, RegisterEntryOut(many=True))
def register():
    """Every registration ever granted, with its public status."""
    return register_entries()


@blp.route("/<number>", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, RegisterDisclosureOut)
def register_disclosure(number):
    """One registration's public disclosures: issuer, tokens, status history, documents."""
    found = registration(number)
    if found is None:
        abort(404)
    return disclosure(found)
