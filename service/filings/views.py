"""A filing's PDF and JSON for a logged-in user who may read it (pages link here)."""

from flask import Blueprint
from flask_login import current_user, login_required

from service.filings import downloads, queries

bp = Blueprint("filings", __name__, url_prefix="/filings")


@bp.route("/<accession>.pdf")
@login_required
def pdf(accession: str):
    return downloads.pdf_response(queries.filing_for(current_user, accession, pdf_only=True))


@bp.route("/<accession>.json")
@login_required
def json(accession: str):
    return downloads.json_response(queries.filing_for(current_user, accession))
