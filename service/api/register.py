"""`/api/v1/register`: the public register (no login), in keyset pages (docs/register.md)."""

from flask import abort, url_for
from flask_smorest import Blueprint

from forms.register import RegisterQuery
from service.api.schemas import RegisterDisclosureOut, RegisterPageOut
from service.register import queries

blp = Blueprint("api_register", __name__, url_prefix="/api/v1/register", description="Register")


@blp.route("", methods=["GET"])
@blp.doc(security=[])
@blp.arguments(RegisterQuery, location="query", error_status_code=400)
@blp.response(200, RegisterPageOut)
def register(args):
    """The registrations in number order, a page at a time, searched by name, number or token
    (`q`), category and status; `next` is the URL of the following page, null on the last."""
    search = queries.Search.of(args)
    found = queries.page(search, args.get("after"), args["limit"])
    next_url = None
    if found.next_after:
        next_url = url_for(
            "api_register.register", **queries.next_args(search, args["limit"], found.next_after)
        )
    return {"items": found.entries, "next": next_url}


@blp.route("/<number>", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, RegisterDisclosureOut)
def register_disclosure(number):
    """One registration's public disclosures: issuer, tokens, status history, documents."""
    found = queries.registration(number)
    if found is None:
        abort(404)
    return queries.disclosure(found)
