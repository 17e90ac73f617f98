"""`/api/v1/schemas/<kind>.json`: the JSON Schema of a filing kind's canonical JSON,
converted from the envelope every filing is dumped through (service/filings/envelope.py);
a filing's JSON and metadata link to it (`Link: <...>; rel="describedby"`)."""

import json
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import abort, jsonify, url_for
from flask_smorest import Blueprint
from marshmallow import fields

from forms.reports import REPORT_SCHEMAS
from forms.sections import SECTIONS
from forms.sections.json_schema import section_variants
from forms.transitions import PAYLOAD_SCHEMAS
from service.api import api
from service.api.contract import download
from service.api.published import camel, section_body_name
from service.filings import contents
from service.filings.envelope import ENVELOPE, FilingOrganization
from service.filings.kinds import KIND_TITLES, report_code

blp = Blueprint(
    "api_schemas", __name__, url_prefix="/api/v1/schemas", description="Published schemas"
)

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_url(kind: str) -> str:
    return url_for("api_schemas.filing_schema", kind=kind, _external=True)


def described_by(kind: str) -> str:
    """The Link header that names the schema of a filing of `kind` (RFC 8288)."""
    return f'<{schema_url(kind)}>; rel="describedby"; type="application/schema+json"'


def _figures_as_filed(converter, field, **kwargs) -> dict:
    """A report's decimals are filed as text, so that JSON keeps them exact."""
    if isinstance(field, fields.Decimal):
        return {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    return {}


class ContentSchemas:
    """A kind's content schemas converted by apispec into a standalone JSON Schema: the
    nested schemas under `$defs`, each object field marked `describe` replaced by what it
    holds (the sections as answered, a report's figures, a step's payload)."""

    def __init__(self) -> None:
        plugin = MarshmallowPlugin()
        self.spec = APISpec("filed content", "1", "3.1.0", plugins=[plugin])
        plugin.converter.add_attribute_function(_figures_as_filed)
        self.defs: dict = {}
        self.names: dict[type, str] = {}  # a schema class is converted once, under one name
        self.inlined: set[str] = set()

    def convert(self, name: str, schema) -> dict:
        name = self.names.setdefault(type(schema), name)
        if name not in self.spec.components.schemas:
            self.spec.components.schema(name, schema=schema)
        return {"$ref": f"#/$defs/{name}"}

    def define(self, name: str, schema: dict) -> dict:
        self.defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}

    def sections(self) -> dict:
        properties = {}
        for section in SECTIONS:
            variants = section_variants(section)
            refs = [
                self.define(section_body_name(section, categories, len(variants)), json.loads(body))
                for body, categories in variants.items()
            ]
            properties[section] = refs[0] if len(refs) == 1 else {"anyOf": refs}
        return {"type": "object", "properties": properties, "additionalProperties": False}

    def described(self, what: str, kind: str, step: str | None) -> dict:
        if what == contents.SECTIONS:
            return self.sections()
        if what == contents.REPORT:
            code = report_code(kind)
            return self.convert(f"{camel(code)}Report", REPORT_SCHEMAS[code])
        # A step's payload as the step's body took it (service/api/published.py).
        return self.convert(f"{camel(step)}Payload", PAYLOAD_SCHEMAS[step](None))

    def content(self, kind: str) -> dict:
        variants = []
        steps = contents.steps_filing(kind) or [None]
        for step in steps:
            schema_class = contents.STEP_CONTENTS[step] if step else contents.OTHER_CONTENTS[kind]
            schema = schema_class()
            name = self.convert(schema_class.__name__, schema)["$ref"].rsplit("/", 1)[1]
            self.inlined.add(name)  # each step's variant is a copy of it, inline
            converted = json.loads(json.dumps(self.spec.to_dict()["components"]["schemas"][name]))
            properties = converted["properties"]
            for key, field in schema.fields.items():
                what = field.metadata.get(contents.DESCRIBE)
                if what:
                    properties[key] = self.described(what, kind, step)
            if step:
                properties["transition"] = {"type": "string", "const": step}
            variants.append(converted)
        return variants[0] if len(variants) == 1 else {"anyOf": variants}

    def definitions(self) -> dict:
        converted = self.spec.to_dict()["components"].get("schemas", {})
        kept = {name: schema for name, schema in converted.items() if name not in self.inlined}
        return {**kept, **self.defs}


def _as_defs(schema):
    """apispec's component references, pointed at the standalone schema's `$defs`."""
    text = json.dumps(schema).replace('"#/components/schemas/', '"#/$defs/')
    return json.loads(text)


@cache
def content_json_schema(kind: str) -> tuple[dict, dict]:
    """The content of a filing of `kind` and the definitions it refers to."""
    schemas = ContentSchemas()
    content = schemas.content(kind)
    return _as_defs(content), _as_defs(schemas.definitions())


def filing_json_schema(kind: str) -> dict:
    """The envelope as JSON Schema, its `kind` fixed to `kind`, its organization inline,
    its content the kind's own."""
    converter = api.ma_plugin.converter
    properties = {
        name: converter.field2property(field)
        for name, field in ENVELOPE.fields.items()
        if name != "organization"
    }
    properties["organization"] = converter.schema2jsonschema(FilingOrganization())
    properties["organization"]["additionalProperties"] = False
    properties["kind"] = {"type": "string", "const": kind}
    content, definitions = content_json_schema(kind)
    properties["content"] = {**content, "description": "what was filed: the kind's own facts"}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_url(kind),
        "title": f"{KIND_TITLES[kind].en} ({KIND_TITLES[kind].ko})",
        "type": "object",
        "properties": properties,
        "required": sorted(name for name, field in ENVELOPE.fields.items() if field.required),
        "additionalProperties": False,
        "$defs": definitions,
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
    if kind not in contents.FILED_KINDS:
        abort(404)
    response = jsonify(filing_json_schema(kind))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
