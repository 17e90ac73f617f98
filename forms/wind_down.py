"""A redemption report while a registration is wound down: how much is still outstanding,
and with how many holders (docs/domain.md section 4, wind-down)."""

from datetime import date

from marshmallow import EXCLUDE, ValidationError, validate, validates_schema

from forms.fields import day, info, prose
from forms.messages import BilingualSchema
from forms.sections.base import WholeNumber
from workflows.bilingual import t

_NOT_NEGATIVE = t("Enter zero or more.", "0 이상을 입력하십시오.")


class RedemptionReportSchema(BilingualSchema):
    """What the issuer reports of its redemption; nothing outstanding ends the wind-down."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *, today: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.today = today

    as_of = day(t("As of", "기준일"))
    outstanding_krw = WholeNumber(
        required=True,
        validate=validate.Range(min=0, error=_NOT_NEGATIVE),
        metadata=info(t("Still outstanding (KRW)", "미상환 발행액(원)")),
    )
    holders_outstanding = WholeNumber(
        required=True,
        validate=validate.Range(min=0, error=_NOT_NEGATIVE),
        metadata=info(t("Holders not yet redeemed", "상환받지 못한 보유자 수")),
    )
    notes = prose(t("What was done, and what is left", "진행 상황과 남은 일"), required=False)

    @validates_schema
    def _not_ahead_of_today(self, data, **kwargs):
        as_of = data.get("as_of")
        if as_of is not None and self.today is not None and as_of > self.today:
            raise ValidationError(
                t(
                    "A report is as of today or an earlier day.",
                    "기준일은 오늘 또는 그 이전이어야 합니다.",
                ),
                "as_of",
            )
