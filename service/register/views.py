"""The public register, its CSV download and each registration's disclosures (no login)."""

from flask import Blueprint, Response, abort, render_template

from service.documents.download import send_document
from service.filings import downloads
from service.models import Registration
from service.register import queries
from service.register.queries import register_csv
from service.timezone import korea_today
from workflows.regime import CATEGORY_LABELS

bp = Blueprint("register", __name__)


@bp.route("/register")
def index():
    return render_template(
        "register/index.html", entries=queries.register_entries(), category_labels=CATEGORY_LABELS
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
    filename = f"issuer-register-{korea_today().isoformat()}.csv"
    return Response(
        register_csv().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
