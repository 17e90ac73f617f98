"""`/api/v1/filings`: search, metadata, the archival PDF and the filed JSON.

Issuers see their own organization's filings that are not regulator-internal;
the regulator's roles see every filing.
"""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from forms.fields import CalendarDate
from service.api.auth import bearer_user, requires_token
from service.api.contract import download, headers
from service.api.filing_schemas import described_by
from service.extensions import csrf, db
from service.filings import downloads, queries
from service.transparency.receipts import filing_receipt

blp = Blueprint("api_filings", __name__, url_prefix="/api/v1/filings", description="Filings")
csrf.exempt(blp)


class FilingOrganizationOut(Schema):
    id = fields.Integer()
    name_ko = fields.String()
    name_en = fields.String()


class FilingOut(Schema):
    accession_number = fields.String()
    kind = fields.String()
    application_id = fields.Integer(allow_none=True)
    organization = fields.Nested(FilingOrganizationOut)
    filed_at = fields.DateTime()
    filed_by = fields.String()
    internal = fields.Boolean()
    content_sha256 = fields.String()
    pdf_sha256 = fields.String(allow_none=True)
    pdf_size = fields.Integer(allow_none=True)


class FilingListOut(Schema):
    items = fields.List(fields.Nested(FilingOut))
    next_cursor = fields.Integer(allow_none=True)


# Ids within the INTEGER columns.
ID_RANGE = validate.Range(min=1, max=2**31 - 1)


class FilingQuery(Schema):
    organization_id = fields.Integer(validate=ID_RANGE)
    kind = fields.String(validate=validate.Length(max=40))
    accession = fields.String(
        validate=validate.Length(max=20),
        metadata={"description": "accession number or any part of it"},
    )
    application_id = fields.Integer(validate=ID_RANGE)
    filed_from = CalendarDate(metadata={"description": "first day, Korean time"})
    filed_to = CalendarDate(metadata={"description": "last day, Korean time"})
    after = fields.Integer(
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "cursor: last id seen"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


@blp.route("", methods=["GET"])
@requires_token
@blp.arguments(FilingQuery, location="query")
@blp.response(200, FilingListOut)
def list_filings(query):
    """Search the filings the caller may see, newest first (`after`: keyset cursor)."""
    page = queries.search(bearer_user(), **query)
    return {
        "items": [queries.present(f) for f in page.filings],
        "next_cursor": page.next_cursor,
    }


@blp.route("/<accession>", methods=["GET"])
@requires_token
@blp.response(200, FilingOut, headers=headers("Link"))
def get_filing(accession):
    """One filing's metadata, with the SHA-256 of its JSON and of its PDF; `Link` names the
    JSON Schema of its kind's filed JSON (`rel="describedby"`)."""
    filing = queries.filing_for(bearer_user(), accession)
    return queries.present(filing), 200, {"Link": described_by(filing.kind)}


@blp.route("/<accession>/receipt", methods=["GET"])
@requires_token
@blp.doc(
    responses={
        "200": download(
            "application/json",
            "The filing's transparency-log receipt",
            schema={"type": "object", "additionalProperties": True},
        )
    }
)
def get_filing_receipt(accession):
    """The proof that this filing is in the transparency log: its leaf (and leaf_b64), its
    index, the tree size, the RFC 9162 inclusion proof and the signed checkpoint of that
    size (docs/transparency.md; check it with `python -m translog.verify file`)."""
    return filing_receipt(db.session, queries.filing_for(bearer_user(), accession))


@blp.route("/<accession>.pdf", methods=["GET"])
@requires_token
@blp.doc(responses={"200": download("application/pdf", "The archival PDF/A-3", etag=True)})
def get_filing_pdf(accession):
    """The archival PDF/A-3 (the filed JSON is embedded); ETag is its SHA-256."""
    return downloads.pdf_response(queries.filing_for(bearer_user(), accession, pdf_only=True))


@blp.route("/<accession>.json", methods=["GET"])
@requires_token
@blp.doc(
    responses={
        "200": {
            **download(
                "application/json",
                "The filed canonical JSON, byte for byte as hashed; it validates against the "
                "JSON Schema of its kind, `/api/v1/schemas/{kind}.json`, named by `Link`",
                schema={"type": "object", "additionalProperties": True},
            ),
            "headers": headers("ETag", "Link"),
        }
    }
)
def get_filing_json(accession):
    """The filed canonical JSON, byte for byte as hashed; ETag is its SHA-256, and `Link`
    names the JSON Schema of its kind (`rel="describedby"`)."""
    filing = queries.filing_for(bearer_user(), accession)
    response = downloads.json_response(filing)
    response.headers["Link"] = described_by(filing.kind)
    return response
