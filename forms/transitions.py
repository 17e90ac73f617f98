"""What each lifecycle transition asks of the person who requests it.

One schema per transition, shared by the case page's forms and the API's
`POST /applications/<id>/transitions/<name>` body.
"""

from dataclasses import dataclass
from datetime import date

from marshmallow import EXCLUDE, ValidationError, fields, validate, validates_schema

from forms.fields import Trimmed, day, info, prose
from forms.messages import BilingualSchema
from workflows.bilingual import BiText, t
from workflows.clock import add_business_days
from workflows.lifecycle import (
    NOTICE_OMISSION_GROUNDS,
    REFUSAL_GROUNDS,
    REVOCATION_GROUNDS,
    STEPS,
)
from workflows.regime import RegimeProfile


@dataclass(frozen=True)
class TransitionContext:
    today: date
    profile: RegimeProfile
    open_questions: int = 0  # questions of the open information request, for `respond`


def _lines(label: BiText, *, required: bool = True) -> fields.List:
    return fields.List(
        Trimmed(
            validate=validate.Length(
                min=1,
                max=4_000,
                error=t(
                    "Write each item in {min} to {max} characters.",
                    "각 항목은 {min}~{max}자로 작성하십시오.",
                ),
            )
        ),
        required=required,
        validate=validate.Length(
            min=1 if required else 0,
            max=100,
            error=t("Give at least one item.", "하나 이상 입력하십시오."),
        ),
        metadata=info(label, widget="lines"),
    )


def _grounds(label: BiText, table: dict[str, BiText]) -> fields.List:
    return fields.List(
        fields.String(
            validate=validate.OneOf(
                list(table), error=t("Not one of the legal grounds.", "법정 사유가 아닙니다.")
            )
        ),
        required=True,
        validate=validate.Length(
            min=1, error=t("Cite at least one legal ground.", "법정 사유를 하나 이상 고르십시오.")
        ),
        metadata=info(label, widget="checkboxes", choices=table.items()),
    )


@dataclass(frozen=True)
class RequiredWhen:
    """A field that must be given, not empty, when another field holds one value: one
    declaration that the server checks and the OpenAPI document publishes as if/then."""

    field: str
    other: str
    value: str
    message: BiText

    def json_schema(self, body: dict) -> dict:
        kind = body["properties"][self.field].get("type")
        not_empty = {"array": {"minItems": 1}, "string": {"minLength": 1}}.get(kind, {})
        return {
            "if": {"properties": {self.other: {"const": self.value}}, "required": [self.other]},
            "then": {"properties": {self.field: not_empty}, "required": [self.field]},
        }


class TransitionSchema(BilingualSchema):
    """Base: unknown keys are ignored, so a form's CSRF token and button pass through."""

    required_when: tuple[RequiredWhen, ...] = ()

    class Meta:
        unknown = EXCLUDE

    def __init__(self, ctx: TransitionContext, **kwargs):
        super().__init__(**kwargs)
        self.ctx = ctx

    @validates_schema
    def conditional_requirements(self, data, **kwargs):
        for rule in self.required_when:
            if data.get(rule.other) == rule.value and not data.get(rule.field):
                raise ValidationError(rule.message, rule.field)


class CommentSchema(TransitionSchema):
    comment = prose(t("Comment", "의견"), required=False)


class ReasonSchema(TransitionSchema):
    reason = prose(t("Reason", "사유"))


class ReturnIncompleteSchema(TransitionSchema):
    missing = _lines(t("What is missing", "보완이 필요한 사항"))
    deadline = day(t("Resubmit by", "보완 기한"))
    comment = prose(t("Comment", "의견"), required=False)

    @validates_schema
    def deadline_within_limit(self, data, **kwargs):
        deadline = data.get("deadline")
        if deadline is None:
            return
        limit = self.ctx.profile.incompleteness_deadline_max_days
        if deadline <= self.ctx.today:
            raise ValidationError(
                t("The deadline must be after today.", "기한은 오늘 이후여야 합니다."), "deadline"
            )
        latest = add_business_days(self.ctx.today, limit)
        if deadline > latest:
            raise ValidationError(
                t(
                    "The deadline may be at most {limit} business days away ({latest}) "
                    "(completeness rule, Reg. 2025/296).",
                    "보완 기한은 최대 {limit}영업일({latest})까지입니다(완전성 심사 규정).",
                    limit=limit,
                    latest=latest.isoformat(),
                ),
                "deadline",
            )


class RequestInformationSchema(TransitionSchema):
    questions = _lines(t("Questions", "요청 사항"))
    due_on = day(t("Answer by", "제출 기한"))

    @validates_schema
    def due_in_future(self, data, **kwargs):
        due_on = data.get("due_on")
        if due_on is None:
            return
        if due_on <= self.ctx.today:
            raise ValidationError(
                t("The due date must be after today.", "제출 기한은 오늘 이후여야 합니다."),
                "due_on",
            )
        # An answer due after the whole assessment period and its stop allowance could not
        # inform the assessment (docs/domain.md section 4).
        days = self.ctx.profile.assessment_days + self.ctx.profile.clock_stop_max_days
        latest = add_business_days(self.ctx.today, days)
        if due_on > latest:
            raise ValidationError(
                t(
                    "The due date may be at most {days} business days away ({latest}): the "
                    "assessment period and its clock-stop allowance.",
                    "제출 기한은 최대 {days}영업일({latest})까지입니다"
                    "(심사 기간과 중단 허용 기간).",
                    days=days,
                    latest=latest.isoformat(),
                ),
                "due_on",
            )


class RespondSchema(TransitionSchema):
    answers = _lines(t("Answers", "답변"))

    @validates_schema
    def one_answer_per_question(self, data, **kwargs):
        answers = data.get("answers")
        if answers is not None and len(answers) != self.ctx.open_questions:
            raise ValidationError(
                t(
                    "Answer each of the {n} questions.",
                    "{n}개 질문에 각각 답하십시오.",
                    n=self.ctx.open_questions,
                ),
                "answers",
            )


class RecommendSchema(TransitionSchema):
    required_when = (
        RequiredWhen(
            "grounds",
            "recommendation",
            "refuse",
            t(
                "A refusal must cite at least one legal ground (MiCA Art 21).",
                "거부 건의에는 법정 거부 사유를 하나 이상 적어야 합니다.",
            ),
        ),
    )
    recommendation = fields.String(
        required=True,
        validate=validate.OneOf(
            ["approve", "refuse"],
            error=t("Recommend approve or refuse.", "승인 또는 거부를 건의하십시오."),
        ),
        metadata=info(
            t("Recommendation", "건의 내용"),
            widget="radios",
            choices=[
                ("approve", t("Approve", "승인")),
                ("refuse", t("Refuse", "거부")),
            ],
        ),
    )
    reasons = prose(t("Reasoning", "건의 사유"))
    conditions = _lines(t("Conditions of registration", "등록 조건"), required=False)
    grounds = fields.List(
        fields.String(validate=validate.OneOf(list(REFUSAL_GROUNDS))),
        load_default=list,
        metadata=info(
            t("Refusal grounds", "거부 사유"),
            widget="checkboxes",
            choices=list(REFUSAL_GROUNDS.items()),
        ),
    )


class ApproveSchema(TransitionSchema):
    conditions = _lines(t("Conditions of registration", "등록 조건"), required=False)
    # A condition of registration with a figure the rules read (docs/domain.md section 5).
    issuance_cap_krw = fields.Integer(
        required=False,
        allow_none=True,
        validate=validate.Range(
            min=1,
            max=10**18 - 1,
            error=t(
                "Enter an amount above zero, in won.", "0보다 큰 금액을 원 단위로 입력하십시오."
            ),
        ),
        metadata=info(
            t("Maximum outstanding issuance (KRW, optional)", "최대 발행 잔액(원, 선택)")
        ),
        error_messages={
            "invalid": t("Enter a whole number of won.", "원 단위 정수를 입력하십시오.")
        },
    )
    comment = prose(t("Reasons for the decision", "결정 이유"), required=False)


class RefuseSchema(TransitionSchema):
    grounds = _grounds(t("Refusal grounds", "거부 사유"), REFUSAL_GROUNDS)
    reasons = prose(t("Reasons for the decision", "결정 이유"))


class RevokeSchema(TransitionSchema):
    grounds = _grounds(t("Revocation grounds", "취소 사유"), REVOCATION_GROUNDS)
    reasons = prose(t("Reasons for the decision", "결정 이유"))


class UrgentSuspensionSchema(TransitionSchema):
    """A suspension without prior notice states which ground of the Administrative
    Procedures Act Art 21(4) allows it, and why (docs/domain.md section 4, hearing)."""

    omission_ground = fields.String(
        required=True,
        validate=validate.OneOf(
            list(NOTICE_OMISSION_GROUNDS),
            error=t(
                "Not a ground on which notice may be omitted.",
                "사전 통지를 생략할 수 있는 사유가 아닙니다.",
            ),
        ),
        metadata=info(
            t("Why notice is omitted", "사전 통지 생략 사유"),
            widget="radios",
            choices=list(NOTICE_OMISSION_GROUNDS.items()),
        ),
    )
    reason = prose(t("Reason for suspending at once", "긴급 정지 사유"))


class UpholdSchema(TransitionSchema):
    """Upholding an objection says why the decision is withdrawn (docs/domain.md section 4,
    objection)."""

    reasons = prose(t("Why the objection is upheld", "인용 사유"))


class SurrenderSchema(TransitionSchema):
    """A surrender is asked for with the plan to redeem every holder and the day it is done
    by (docs/domain.md section 4, surrender; MiCA Art 47 and 55 as the model)."""

    reason = prose(t("Why the registration is given up", "반납 사유"))
    plan = prose(
        t(
            "How every holder is redeemed: the steps, the funds and who does them",
            "보유자 전원에 대한 상환 방법(절차, 재원, 담당)",
        )
    )
    redeem_by = day(t("Every holder redeemed by", "상환 완료 예정일"))

    @validates_schema
    def _redeemed_after_today(self, data, **kwargs):
        redeem_by = data.get("redeem_by")
        if redeem_by is not None and redeem_by <= self.ctx.today:
            raise ValidationError(
                t(
                    "The plan redeems holders after it is accepted: give a day after today.",
                    "상환은 계획이 수락된 뒤에 이루어집니다. 오늘 이후의 날을 입력하십시오.",
                ),
                "redeem_by",
            )


class SurrenderDecisionSchema(TransitionSchema):
    reasons = prose(
        t("Whether the plan redeems every holder, and why", "상환 계획에 대한 판단 이유")
    )


class NoFieldsSchema(TransitionSchema):
    pass


# Each step's part of the step table (docs/design.md, "The step table"): checked at import.
PAYLOAD_SCHEMAS = STEPS.parts(
    "payload schema",
    {
        "submit": CommentSchema,
        "return_incomplete": ReturnIncompleteSchema,
        "resubmit": CommentSchema,
        "mark_complete": CommentSchema,
        "request_information": RequestInformationSchema,
        "respond": RespondSchema,
        "recommend": RecommendSchema,
        "send_back": ReasonSchema,
        "approve": ApproveSchema,
        "refuse": RefuseSchema,
        "close_not_resubmitted": ReasonSchema,
        "close_unanswered": ReasonSchema,
        "withdraw": ReasonSchema,
        "suspend": ReasonSchema,
        "suspend_urgently": UrgentSuspensionSchema,
        "reconsider": UpholdSchema,
        "restore": UpholdSchema,
        "reinstate": ReasonSchema,
        "revoke": RevokeSchema,
        "surrender": SurrenderSchema,
        "accept_surrender": SurrenderDecisionSchema,
        "refuse_surrender": SurrenderDecisionSchema,
        "lapse": NoFieldsSchema,
    },
)


def payload_schema(name: str, ctx: TransitionContext) -> TransitionSchema:
    return PAYLOAD_SCHEMAS[name](ctx)
