"""What each kind of filing holds in its `content`, one schema per kind (docs/api.md,
"Filed JSON has a published schema"). `make_filing` checks every content against its
kind's schema before the filing is numbered, so the published schema cannot drift from
what is filed: a key the schema does not name, or a missing one, is a programming error.

The answers of an application, a report's figures and a step's payload were checked by
their own schemas when given; here they are objects, and the published schema describes
them in full (`describe`)."""

from marshmallow import Schema, ValidationError, fields, validate

from service.filings.kinds import REPORT_PREFIX
from workflows import lifecycle
from workflows.bilingual import BiText, t
from workflows.changes import CHANGE_APPROVAL_KINDS
from workflows.changes import OUTCOMES as CHANGE_OUTCOMES
from workflows.monitoring import REPORT_KINDS

# The published schema of an object field, where it differs from the check's (an object).
DESCRIBE = "describe"
SECTIONS, REPORT, PAYLOAD = "sections", "report", "payload"


def text(**kwargs) -> fields.String:
    return fields.String(required=True, **kwargs)


def maybe_text() -> fields.String:
    return fields.String(required=True, allow_none=True)


def day(**kwargs) -> fields.Date:
    return fields.Date(required=True, **kwargs)


def maybe_day() -> fields.Date:
    return fields.Date(required=True, allow_none=True)


def texts() -> fields.List:
    return fields.List(fields.String(), required=True)


def bilingual() -> fields.Nested:
    return fields.Nested(Bilingual, required=True)


def described(what: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), required=True, metadata={DESCRIBE: what})


class Content(Schema):
    """Every key named, none more (marshmallow refuses unknown keys)."""


class Bilingual(Content):
    ko = text()
    en = text()


class FiledDocument(Content):
    id = fields.Integer(required=True)
    document_type = text()
    version = fields.Integer(required=True)
    current = fields.Boolean(required=True)
    filename = text()
    size = fields.Integer(required=True)
    sha256 = text(validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class Step(Content):
    """A filing a lifecycle step makes: which step, from and to which state."""

    transition = text(validate=validate.OneOf(list(lifecycle.BY_NAME)))
    from_state = text(validate=validate.OneOf(lifecycle.STATES))
    to_state = text(validate=validate.OneOf(lifecycle.STATES))


class StepWithPayload(Step):
    payload = described(PAYLOAD)


class Application(Step):
    sections = described(SECTIONS)
    documents = fields.List(fields.Nested(FiledDocument), required=True)
    comment = maybe_text()


class IncompletenessNotice(Step):
    missing = texts()
    deadline = day()
    comment = maybe_text()


class InformationRequest(Step):
    questions = texts()
    due_on = day()


class Response(Step):
    questions = texts()
    answers = texts()
    requested_on = day()
    amended_sections = texts()
    sections = described(SECTIONS)
    documents = fields.List(fields.Nested(FiledDocument), required=True)
    documents_with_answers = fields.List(fields.Nested(FiledDocument), required=True)


class Approval(Step):
    """A registration, or the renewal of one (`renews`, `valid_until_before`)."""

    decision = text(validate=validate.Equal("approve"))
    registration_number = text()
    registered_on = day()
    valid_until = day()
    conditions = texts()
    issuance_cap_krw = fields.Integer(allow_none=True)  # a new registration's
    valid_until_before = fields.Date()  # a renewal's
    renews = maybe_text()
    certificate = text()
    comment = maybe_text()


class HearingCited(Content):
    """The notice of intended action an adverse decision followed, and the issuer's
    comments on it (docs/domain.md section 4, hearing)."""

    notice = text()
    given_on = day()
    comment_deadline = day()
    comments = maybe_text()  # the comments' accession number; None: none were filed
    comments_on = fields.Date(required=True, allow_none=True)


def hearing() -> fields.Nested:
    return fields.Nested(HearingCited, required=True)


class Refusal(Step):
    decision = text(validate=validate.Equal("refuse"))
    grounds = texts()
    grounds_text = fields.List(bilingual(), required=True)
    reasons = text()
    hearing = hearing()


class Closure(StepWithPayload):
    closes = text()
    deadline = day()
    last_day = day()
    reason = text()
    legal_basis = bilingual()


class StatusChange(StepWithPayload):
    """Suspension, reinstatement, revocation, surrender: the registration and why."""

    registration_number = text()
    grounds = fields.List(fields.String(), load_default=None)
    reasons = fields.String(load_default=None)


class SurrenderAsked(StepWithPayload):
    """The issuer's request to surrender, with its redemption plan."""

    registration_number = text()


class SurrenderDecided(StepWithPayload):
    """An approver's acceptance or refusal of a surrender: the request it answers and, once
    accepted, the day every holder is to be redeemed by."""

    registration_number = text()
    request = text()
    reasons = text()
    redeem_by = maybe_day()


class StatusChangeHeard(StatusChange):
    """A suspension or revocation after the issuer was heard."""

    hearing = hearing()


class Revocation(StatusChangeHeard):
    """A revocation also names the day every holder is to be redeemed by."""

    redeem_by = day()


class UrgentSuspension(StatusChange):
    """A suspension without prior notice: the ground of APA Art 21(4) and the reason."""

    omission_ground = text(validate=validate.OneOf(list(lifecycle.NOTICE_OMISSION_GROUNDS)))
    omission_ground_text = bilingual()
    reason = text()
    legal_basis = bilingual()


class PriorNotice(Content):
    """A notice of intended refusal, suspension or revocation."""

    action = text(validate=validate.OneOf(list(lifecycle.NOTICE_ACTIONS)))
    action_text = bilingual()
    registration_number = maybe_text()
    grounds = text()
    comment_deadline = day()
    last_day = day()
    given_on = day()
    legal_basis = bilingual()


class NoticeComments(Content):
    """The issuer's comments on a notice of intended action."""

    notice = text()
    action = text(validate=validate.OneOf(list(lifecycle.NOTICE_ACTIONS)))
    comments = text()
    filed_on = day()
    comment_deadline = day()
    legal_basis = bilingual()


class ObjectionAnswered(Content):
    """An objection upheld or dismissed: which objection, against which decision, why
    (docs/domain.md section 4, objection)."""

    objection = text()
    objected_step = text(validate=validate.OneOf(list(lifecycle.OBJECTED_STEPS)))
    decision = text()
    outcome = text(validate=validate.OneOf(["upheld", "dismissed"]))
    reasons = text()
    legal_basis = bilingual()


class ObjectionUpheld(StepWithPayload, ObjectionAnswered):
    """The step that withdraws the decision objected to."""

    registration_number = maybe_text()


class ObjectionLodged(Content):
    """The issuer's objection to a refusal, suspension or revocation."""

    objected_step = text(validate=validate.OneOf(list(lifecycle.OBJECTED_STEPS)))
    decision = text()
    grounds = text()
    lodged_on = day()
    last_day = day()
    answer_due_days = fields.Integer(required=True)
    legal_basis = bilingual()


def coded(table: dict[str, BiText], en: str, ko: str) -> fields.String:
    """A code of `table`, which the filing's PDF prints by its label."""
    return text(
        validate=validate.OneOf(list(table)),
        metadata={"label": t(en, ko), "choices": list(table.items())},
    )


class RedemptionReported(Content):
    """A redemption report while a registration is wound down (docs/domain.md section 4)."""

    registration_number = text()
    as_of = day()
    outstanding_krw = fields.Integer(required=True)
    holders_outstanding = fields.Integer(required=True)
    notes = maybe_text()
    redeem_by = day()
    complete = fields.Boolean(required=True)
    filed_on = day()


class ChangeApplied(Content):
    """A change a registered issuer applies for before it takes effect (docs/domain.md
    section 5, changes approved in advance); figures are decimal text."""

    registration_number = text()
    kind = coded(CHANGE_APPROVAL_KINDS, "What changes", "변경 사항")
    planned_on = day()
    description = text()
    acquirer = maybe_text()
    holding_before_pct = maybe_text()
    holding_after_pct = maybe_text()
    bank_shareholding_total_after_pct = maybe_text()
    thresholds_crossed_pct = texts()
    white_paper_version = maybe_text()
    white_paper_date = maybe_day()
    applied_on = day()
    legal_basis = bilingual()


class ChangeDecided(Content):
    """The approver's decision on a change applied for."""

    registration_number = text()
    change = text()
    kind = coded(CHANGE_APPROVAL_KINDS, "What changes", "변경 사항")
    outcome = coded(CHANGE_OUTCOMES, "Outcome", "결과")
    reasons = text()
    decided_on = day()
    legal_basis = bilingual()


class OpinionAuthority(Content):
    authority = text()
    name_ko = text()
    name_en = text()


class OpinionRequest(Content):
    addressees = fields.List(fields.Nested(OpinionAuthority), required=True)
    sent_on = day()
    due_on = day()
    asked = bilingual()
    application_filing = maybe_text()


class LetterFile(Content):
    filename = text()
    size = fields.Integer(required=True)
    sha256 = text(validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class Opinion(Content):
    authority = text()
    opinion = text()
    summary = text()
    received_on = day()
    letter = fields.Nested(LetterFile, required=True)


class CertifiedIssuer(Content):
    name_ko = text()
    name_en = text()


class Token(Content):
    name = maybe_text()
    symbol = maybe_text()


class Certificate(Content):
    registration_number = text()
    issuer = fields.Nested(CertifiedIssuer, required=True)
    category = text()
    token = fields.Nested(Token, required=True)
    registered_on = day()
    valid_until = day()
    conditions = texts()


class CitedFinding(Content):
    id = fields.Integer(required=True)
    rule = text()
    severity = text()
    message = bilingual()


class WarningLetter(Content):
    registration_number = text()
    reasons = text()
    findings = fields.List(fields.Nested(CitedFinding), required=True)
    sent_on = day()


class RemedyRequest(Content):
    registration_number = text()
    finding_id = fields.Integer(required=True)
    rule = text()
    rule_source = bilingual()
    message = bilingual()
    evidence = fields.Dict(required=True)
    comment = maybe_text()
    requested_on = day()


class Report(Content):
    registration_number = text()
    report_kind = text(validate=validate.OneOf(list(REPORT_KINDS)))
    period_start = day()
    period_end = day()
    change = maybe_text()
    due_on = day()
    filed_on = day()
    late = fields.Boolean(required=True)
    supersedes = maybe_text()
    report = described(REPORT)


# Each filing step's part of the step table (docs/design.md, "The step table"): the content
# of the filing it makes. Checked at import against the steps that file.
STEP_CONTENTS = lifecycle.STEPS.parts(
    "filing content",
    {
        "submit": Application,
        "resubmit": Application,
        "return_incomplete": IncompletenessNotice,
        "request_information": InformationRequest,
        "respond": Response,
        "approve": Approval,
        "refuse": Refusal,
        "close_not_resubmitted": Closure,
        "close_unanswered": Closure,
        "withdraw": StepWithPayload,
        "suspend": StatusChangeHeard,
        "suspend_urgently": UrgentSuspension,
        "reinstate": StatusChange,
        "revoke": Revocation,
        "surrender": SurrenderAsked,
        "accept_surrender": SurrenderDecided,
        "refuse_surrender": SurrenderDecided,
        "reconsider": ObjectionUpheld,
        "restore": ObjectionUpheld,
    },
    steps=[step.name for step in lifecycle.TRANSITIONS if step.filing_kind],
)

OTHER_CONTENTS: dict[str, type[Content]] = {
    "opinion_request": OpinionRequest,
    "opinion": Opinion,
    "prior_notice": PriorNotice,
    "notice_comments": NoticeComments,
    "objection": ObjectionLodged,
    "objection_dismissal": ObjectionAnswered,
    "redemption_report": RedemptionReported,
    "change_application": ChangeApplied,
    "change_decision": ChangeDecided,
    "certificate": Certificate,
    "warning_letter": WarningLetter,
    "remedy_request": RemedyRequest,
    **{REPORT_PREFIX + code: Report for code in REPORT_KINDS},
}


def steps_filing(kind: str) -> list[str]:
    """The steps whose filing is of `kind`."""
    return [step.name for step in lifecycle.TRANSITIONS if step.filing_kind == kind]


def content_schemas(kind: str) -> list[type[Content]]:
    """The schemas a content of `kind` may have: one, or one per step filing it."""
    if kind in OTHER_CONTENTS:
        return [OTHER_CONTENTS[kind]]
    return list(dict.fromkeys(STEP_CONTENTS[step] for step in steps_filing(kind)))


FILED_KINDS = {
    *OTHER_CONTENTS,
    *(step.filing_kind for step in lifecycle.TRANSITIONS if step.filing_kind),
}


def check_content(kind: str, content: dict) -> None:
    """Refuse a content its kind's published schema does not describe (`content` as it is
    written to JSON)."""
    if kind in OTHER_CONTENTS:
        schema = OTHER_CONTENTS[kind]
    else:
        step = content.get("transition")
        if step not in STEP_CONTENTS or lifecycle.BY_NAME[step].filing_kind != kind:
            raise ValueError(f"a {kind} filing names no step that files it: {step!r}")
        schema = STEP_CONTENTS[step]
    try:
        schema().load(content)
    except ValidationError as error:
        raise ValueError(
            f"the content of a {kind} filing breaks its schema: {error.messages}"
        ) from None
