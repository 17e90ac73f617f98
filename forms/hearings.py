"""A notice of intended refusal, suspension or revocation, and the issuer's comments on it
(docs/domain.md section 4, hearing). One schema each for the page's form and the API body.
"""

from datetime import date, timedelta

from marshmallow import EXCLUDE, ValidationError, validates_schema

from forms.fields import day, prose, radios
from forms.messages import BilingualSchema
from workflows.bilingual import BiText, t

# What the issuer is told it is heard on, in words a notice uses.
ACTION_LABELS: dict[str, BiText] = {
    "refuse": t("Refuse the registration", "등록 거부"),
    "suspend": t("Suspend the business", "영업 정지"),
    "revoke": t("Revoke the registration", "등록 취소"),
}


class NoticeSchema(BilingualSchema):
    """POST /api/v1/applications/<id>/notices, and the form on the case page."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, today: date, min_days: int, **kwargs):
        super().__init__(**kwargs)
        self.today = today
        self.min_days = min_days

    action = radios(t("Intended action", "예정된 처분"), ACTION_LABELS)
    grounds = prose(t("Grounds and the facts they rest on", "처분의 원인이 되는 사실과 근거"))
    comment_deadline = day(t("Comments by", "의견 제출 기한"))

    @validates_schema
    def deadline_gives_time_to_comment(self, data, **kwargs):
        deadline = data.get("comment_deadline")
        earliest = self.today + timedelta(days=self.min_days)
        if deadline is not None and deadline < earliest:
            raise ValidationError(
                t(
                    "The issuer must have at least {days} days to comment: set {earliest} or "
                    "later (Administrative Procedures Act Art 21(3)).",
                    "의견 제출 기한은 {days}일 이상이어야 합니다. {earliest} 이후로 정하십시오"
                    "(행정절차법 제21조 제3항).",
                    days=self.min_days,
                    earliest=earliest.isoformat(),
                ),
                "comment_deadline",
            )


class CommentsSchema(BilingualSchema):
    """POST /api/v1/applications/<id>/notices/<notice_id>/comments, and the issuer's form."""

    class Meta:
        unknown = EXCLUDE

    comments = prose(t("Your comments", "제출 의견"))


class ObjectionSchema(BilingualSchema):
    """POST /api/v1/applications/<id>/objections, and the issuer's form: why the decision
    should be withdrawn (docs/domain.md section 4, objection)."""

    class Meta:
        unknown = EXCLUDE

    grounds = prose(t("Why the decision should be withdrawn", "이의신청 사유"))


class DismissalSchema(BilingualSchema):
    """POST /api/v1/applications/<id>/objections/<objection_id>/dismissal: the decision
    stands, and why."""

    class Meta:
        unknown = EXCLUDE

    reasons = prose(t("Why the objection is dismissed", "기각 사유"))
