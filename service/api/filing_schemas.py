"""`/api/v1/schemas/<kind>.json`: the JSON Schema of a filing kind's canonical JSON,
converted from the envelope every filing is dumped through (service/filings/envelope.py);
a filing's JSON and metadata link to it (`Link: <...>; rel="describedby"`)."""

from flask import abort, jsonify, url_for
from flask_smorest import Blueprint

from service.api import api
from service.api.contract import download
from service.filings.envelope import ENVELOPE, FilingOrganization
from service.filings.kinds import KIND_TITLES

blp = Blueprint(
    "api_schemas", __name__, url_prefix="/api/v1/schemas", description="Published schemas"
)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_url(kind: str) -> str:
    return url_for("api_schemas.filing_schema", kind=kind, _external=True)


def described_by(kind: str) -> str:
    """The Link header that names the schema of a filing of `kind` (RFC 8288)."""
    return f'<{schema_url(kind)}>; rel="describedby"; type="application/schema+json"'


def filing_json_schema(kind: str) -> dict:
    """The envelope as JSON Schema, its `kind` fixed to `kind`, its organization inline."""
    converter = api.ma_plugin.converter
    properties = {
        name: converter.field2property(field)
        for name, field in ENVELOPE.fields.items()
        if name != "organization"
    }
    properties["organization"] = converter.schema2jsonschema(FilingOrganization())
    properties["organization"]["additionalProperties"] = False
    properties["kind"] = {"type": "string", "const": kind}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_url(kind),
        "title": f"{KIND_TITLES[kind]['en']} ({KIND_TITLES[kind]['ko']})",
        "type": "object",
        "properties": properties,
        "required": sorted(name for name, field in ENVELOPE.fields.items() if field.required),
        "additionalProperties": False,
    }


@blp.route("/<kind>.json", methods=["GET"])
@blp.doc(
    security=[],
    responses={
        "200": download(
            "application/json",
            "The JSON Schema (2020-12) of the canonical JSON of a filing of this kind",
            schema={"type": "object", "additionalProperties": True},
        )
    },
)
def filing_schema(kind):
    """The JSON Schema a filing of `kind` validates against; an unknown kind is 404."""
    if kind not in KIND_TITLES:
        abort(404)
    response = jsonify(filing_json_schema(kind))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
