"""The API's response shapes (what it dumps); request bodies come from `forms/`."""

from marshmallow import Schema, fields, validate

from forms.documents import DOCUMENT_TYPES
from workflows.lifecycle import OPINION_AUTHORITIES, OPINION_VALUES, STATES
from workflows.regime import CATEGORIES


class OrganizationOut(Schema):
    id = fields.Integer()
    name_ko = fields.String()
    name_en = fields.String()


class InformationRequestOut(Schema):
    id = fields.Integer()
    questions = fields.List(fields.String())
    due_on = fields.Date()
    opened_on = fields.Date()
    answers = fields.List(fields.String(), allow_none=True)
    answered_on = fields.Date(allow_none=True)


class DocumentOut(Schema):
    id = fields.Integer()
    document_type = fields.String()
    filename = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()


class DocumentVersionOut(DocumentOut):
    version = fields.Integer(metadata={"description": "1 for the first upload of its type"})
    current = fields.Boolean(metadata={"description": "the latest version of its type counts"})


class DocumentUpload(Schema):
    document_type = fields.String(
        required=True,
        validate=validate.OneOf(list(DOCUMENT_TYPES)),
        metadata={"description": "which of these a case takes depends on its category"},
    )
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class SectionOut(Schema):
    name = fields.String()
    status = fields.String()
    answers = fields.Dict()
    version = fields.Integer()


class ClockOut(Schema):
    due_on = fields.Date(allow_none=True)
    business_days_left = fields.Integer(allow_none=True)
    overdue = fields.Boolean()
    assessment_days_used = fields.Integer(allow_none=True)
    assessment_days_left = fields.Integer(allow_none=True)
    stopped = fields.Boolean()


class TransitionOut(Schema):
    """Where a step left the case: its state and version (the ETag to send next), and the
    link to the whole application, which a client reads only when it needs it."""

    id = fields.Integer()
    category = fields.String()
    state = fields.String()
    state_label = fields.String()
    version = fields.Integer()
    links = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "application: the address of the whole application"},
    )


class ApplicationOut(Schema):
    id = fields.Integer()
    category = fields.String()
    state = fields.String()
    state_label = fields.String()
    version = fields.Integer()
    organization = fields.Nested(OrganizationOut)
    sections = fields.Dict()
    # Each section's validation status: not_started, in_progress, has_errors, complete
    # (on one application; lists leave it out).
    section_status = fields.Dict(keys=fields.String(), values=fields.String())
    submitted_on = fields.Date(allow_none=True)
    complete_on = fields.Date(allow_none=True)
    clock = fields.Nested(ClockOut)
    assigned_reviewer = fields.String(allow_none=True)
    registration_number = fields.String(allow_none=True)
    information_requests = fields.List(fields.Nested(InformationRequestOut))
    documents = fields.List(fields.Nested(DocumentOut))
    # Regulators only: the reviewer's recommendation.
    recommendation = fields.Dict(allow_none=True)
    # Regulators only, KRW stablecoin cases once recommended: when the opinions are due.
    opinions_due_on = fields.Date(allow_none=True)


class ApplicationListOut(Schema):
    items = fields.List(fields.Nested(ApplicationOut))
    next_cursor = fields.Integer(allow_none=True)


class ApplicationCreate(Schema):
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))


class ApplicationListQuery(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    after = fields.Integer(
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "cursor: last id seen"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class TransitionOptionOut(Schema):
    name = fields.String()
    label = fields.String()
    to_state = fields.String()
    allowed = fields.Boolean()
    reason = fields.String(allow_none=True)


class EventOut(Schema):
    seq = fields.Integer()
    occurred_at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    detail = fields.Dict()
    hash = fields.String()


class VerificationOut(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    head_hash = fields.String()
    broken_seq = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)
    verified_at = fields.String(allow_none=True)
    recomputed_from = fields.Integer()
    recomputed_to = fields.Integer(allow_none=True)
    since_full_pass_at = fields.String(allow_none=True)
    not_recomputed = fields.String(allow_none=True)
    last_full_pass = fields.Nested(lambda: FullVerificationOut(), allow_none=True)
    running = fields.Nested(lambda: FullVerificationOut(), allow_none=True)


class FullVerificationOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": ["queued", "running", "done", "abandoned"]})
    verified_by = fields.String()
    started_at = fields.String(allow_none=True)
    verified_at = fields.String(allow_none=True)
    ok = fields.Boolean(allow_none=True)
    checked = fields.Integer(allow_none=True)
    head_hash = fields.String(allow_none=True)
    broken_seq = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)
    url = fields.String()


class StatusChangeOut(Schema):
    status = fields.String()
    on = fields.Date()


class RegisterEntryOut(Schema):
    """One registration on the register: service/register/queries.py PUBLIC_FIELDS."""

    registration_number = fields.String()
    competent_authority_ko = fields.String()
    competent_authority_en = fields.String()
    issuer_name_ko = fields.String()
    issuer_name_en = fields.String()
    commercial_names = fields.List(fields.String())
    lei = fields.String(allow_none=True)
    registered_address = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    category = fields.String()
    token_name = fields.String(allow_none=True)
    token_symbol = fields.String(allow_none=True)
    status = fields.String()
    registered_on = fields.Date()
    valid_until = fields.Date()
    ended_on = fields.Date(allow_none=True)
    redeem_holders_by = fields.Date(
        allow_none=True,
        metadata={"description": "after an ending: the day every holder is to be redeemed by"},
    )
    holders_redeemed_on = fields.Date(
        allow_none=True,
        metadata={"description": "the day a redemption report showed no holder left"},
    )
    status_since = fields.Date()
    under_objection_since = fields.Date(
        allow_none=True,
        metadata={"description": "the day an objection to the status was lodged, while undecided"},
    )
    white_paper_version = fields.String(allow_none=True)
    white_paper_date = fields.Date(allow_none=True)
    white_paper_updated_on = fields.Date(allow_none=True)
    conditions = fields.List(fields.String())
    history = fields.List(fields.Nested(StatusChangeOut))


class RegisterPageOut(Schema):
    items = fields.List(fields.Nested(RegisterEntryOut))
    next = fields.String(
        allow_none=True, metadata={"description": "the next page; null on the last"}
    )


class OpinionOut(Schema):
    id = fields.Integer()
    authority = fields.String()
    opinion = fields.String()
    summary = fields.String()
    received_on = fields.Date()
    letter_filename = fields.String()
    letter_size = fields.Integer()
    letter_sha256 = fields.String()
    accession_number = fields.String()
    recorded_at = fields.DateTime()


class OpinionUpload(Schema):
    """The multipart body of POST /applications/<id>/opinions (forms.opinions validates it)."""

    authority = fields.String(required=True, validate=validate.OneOf(list(OPINION_AUTHORITIES)))
    opinion = fields.String(required=True, validate=validate.OneOf(list(OPINION_VALUES)))
    summary = fields.String(required=True)
    received_on = fields.Date(required=True)
    letter = fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "the letter, a PDF"},
    )


class NoticeOut(Schema):
    """A notice of intended action and the issuer's comments (docs/domain.md section 4)."""

    id = fields.Integer()
    action = fields.String()
    grounds = fields.String()
    comment_deadline = fields.Date()
    last_day = fields.Date(
        metadata={
            "description": "the last day to comment: the deadline, or the next "
            "business day when it falls on a weekend or holiday"
        }
    )
    given_on = fields.Date()
    accession_number = fields.String()
    comments = fields.String(allow_none=True)
    comments_on = fields.Date(allow_none=True)
    comments_accession = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)


class ObjectionOut(Schema):
    """An objection to a refusal, suspension or revocation and its outcome (docs/domain.md
    section 4, objection)."""

    id = fields.Integer()
    decision = fields.String(metadata={"description": "the step objected to"})
    decision_accession = fields.String()
    grounds = fields.String()
    lodged_on = fields.Date()
    accession_number = fields.String()
    outcome = fields.String(
        allow_none=True, metadata={"description": "upheld or dismissed; null while open"}
    )
    outcome_reasons = fields.String(allow_none=True)
    outcome_on = fields.Date(allow_none=True)


class ChangeOut(Schema):
    """A change applied for before it takes effect, and the approver's decision
    (docs/domain.md section 5, changes approved in advance)."""

    id = fields.Integer()
    kind = fields.String(
        metadata={"description": "control, token, ledger, business_model, white_paper"}
    )
    details = fields.Dict(metadata={"description": "the answers as filed: figures as decimal text"})
    planned_on = fields.Date()
    applied_on = fields.Date()
    accession_number = fields.String()
    outcome = fields.String(
        allow_none=True, metadata={"description": "approved or refused; null while undecided"}
    )
    outcome_reasons = fields.String(allow_none=True)
    outcome_on = fields.Date(allow_none=True)
    outcome_accession = fields.String(allow_none=True)


class RedemptionReportOut(Schema):
    """A redemption report filed while a registration is wound down (docs/domain.md
    section 4, wind-down)."""

    # Read back from the filing's JSON, where days are already ISO text.
    accession_number = fields.String()
    as_of = fields.String(metadata={"format": "date"})
    outstanding_krw = fields.Integer()
    holders_outstanding = fields.Integer()
    notes = fields.String(allow_none=True)
    redeem_by = fields.String(allow_none=True, metadata={"format": "date"})
    complete = fields.Boolean(metadata={"description": "nothing outstanding, no holder left"})
    filed_on = fields.String(metadata={"format": "date"})


class LedgerOut(Schema):
    network = fields.String(allow_none=True)
    ledger_type = fields.String(allow_none=True)
    smart_contract_address = fields.String(allow_none=True)


class RegisteredTokenOut(Schema):
    name = fields.String(allow_none=True)
    symbol = fields.String(allow_none=True)
    ledgers = fields.List(fields.Nested(LedgerOut))


class PublishedDocumentOut(Schema):
    kind = fields.String()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    accession_number = fields.String()
    url = fields.String()
    version = fields.String(
        allow_none=True,
        metadata={"description": "the white paper's version as filed with the application"},
    )


class ReserveReportRowOut(Schema):
    month = fields.String()
    outstanding_issuance = fields.Integer()
    reserve_market_value = fields.Integer()
    coverage_ratio = fields.Float(allow_none=True)
    attesting_firm = fields.String(allow_none=True)


class IssuerNamesOut(Schema):
    name_ko = fields.String()
    name_en = fields.String()


class RegisterDisclosureOut(RegisterEntryOut):
    issuer = fields.Nested(IssuerNamesOut)
    tokens = fields.List(fields.Nested(RegisteredTokenOut))
    documents = fields.List(fields.Nested(PublishedDocumentOut))
    reserve_reports = fields.List(fields.Nested(ReserveReportRowOut))
    # A supervisor's conditions after registration (docs/domain.md section 5).
    issuance_cap_krw = fields.Integer(allow_none=True)
    issuance_restricted_since = fields.Date(allow_none=True)
