"""The envelope every filing's canonical JSON is built through: who filed what, when, for
which case and issuer, around the kind's own `content` (docs/api.md, "Published schemas").
`filing_document` dumps through it; `/api/v1/schemas/<kind>.json` is converted from it."""

from marshmallow import Schema, fields, validate

from service.filings.kinds import KIND_TITLES
from workflows.regime import CATEGORIES

ACCESSION_PATTERN = r"^VAR-[0-9]{4}-[0-9]{6}$"


class FilingOrganization(Schema):
    id = fields.Integer(required=True)
    name_ko = fields.String(required=True)
    name_en = fields.String(required=True)


class FilingEnvelope(Schema):
    accession_number = fields.String(
        required=True, validate=validate.Regexp(ACCESSION_PATTERN.strip("^$"))
    )
    kind = fields.String(required=True, validate=validate.OneOf(list(KIND_TITLES)))
    # Kept as a datetime: service.canonical writes it in UTC to the microsecond.
    filed_at = fields.Raw(required=True, metadata={"type": "string", "format": "date-time"})
    filed_by = fields.String(required=True)
    application_id = fields.Integer(required=True)
    organization = fields.Nested(FilingOrganization, required=True)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    content = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "what was filed: the kind's own facts"},
    )


ENVELOPE = FilingEnvelope()
