"""The public register, its CSV download and each registration's disclosures (no login)."""

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, stream_with_context, url_for
from marshmallow import ValidationError

from forms.register import REGISTER_STATUSES, RegisterQuery
from service.documents.download import send_document
from service.filings import downloads
from service.models import Registration
from service.register import queries
from service.timezone import korea_today
from workflows.regime import CATEGORY_LABELS

bp = Blueprint("register", __name__)


@bp.route("/register")
def index():
    """One keyset page of the register, searched (docs/register.md)."""
    try:
        args = RegisterQuery().load(request.args)
    except ValidationError as error:
        return _page(queries.Search(), None, None, error.messages), 400
    search = queries.Search.of(args)
    found = queries.page(search, args.get("after"), args["limit"])
    next_url = None
    if found.next_after:
        next_url = url_for(
            "register.index", **queries.next_args(search, args["limit"], found.next_after)
        )
    return _page(search, found.entries, next_url, {})


def _page(search, entries, next_url, errors: dict[str, Any]) -> str:
    return render_template(
        "register/index.html",
        entries=entries or [],
        next_url=next_url,
        search=search,
        errors=errors,
        first_page=not request.args.get("after"),
        statuses=REGISTER_STATUSES,
        category_labels=CATEGORY_LABELS,
    )


@bp.route("/register/<number>")
def disclosure(number: str):
    return render_template(
        "register/disclosure.html",
        entry=queries.disclosure(_registration(number)),
        category_labels=CATEGORY_LABELS,
    )


@bp.route("/register/<number>/documents/white-paper.pdf")
def white_paper(number: str):
    document = queries.published_document(_registration(number), "white_paper")
    if document is None:
        abort(404)
    response = send_document(document, f"{number}-white-paper.pdf")
    response.headers["X-Content-SHA256"] = document.sha256
    return response


@bp.route("/register/<number>/documents/certificate.pdf")
def certificate_pdf(number: str):
    return downloads.pdf_response(_certificate(number), public=True)


@bp.route("/register/<number>/documents/certificate.json")
def certificate(number: str):
    return downloads.json_response(_certificate(number), public=True)


def _certificate(number: str):
    filing = queries.certificate_filing(_registration(number))
    if filing is None:
        abort(404)
    return filing


def _registration(number: str) -> Registration:
    found = queries.registration(number)
    if found is None:
        abort(404)
    return found


@bp.route("/register.csv")
def download():
    """The whole register, or the search's part of it, streamed (docs/register.md)."""
    try:
        args = RegisterQuery().load(request.args)
    except ValidationError as error:
        lines = [
            f"{name}: {' '.join(map(str, messages))}" for name, messages in error.messages.items()
        ]
        return Response("\n".join(lines) + "\n", status=400, mimetype="text/plain")
    filename = f"issuer-register-{korea_today().isoformat()}.csv"
    return Response(
        stream_with_context(queries.streamed_csv(queries.Search.of(args))),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
