"""The opinion of a consulted authority on a KRW stablecoin case (docs/domain.md section 4).

The Bank of Korea and the Ministry of Economy and Finance answer the FSC's
request; a reviewer or approver records each answer as received, with the
letter as a PDF. One schema for the case page's form and the API body.
"""

from datetime import date

from marshmallow import EXCLUDE, ValidationError, fields, validate, validates_schema

from forms.fields import CalendarDate
from forms.i18n import t
from forms.messages import BilingualSchema

OPINION_LABELS: dict[str, dict[str, str]] = {
    "favourable": {"en": "Favourable", "ko": "긍정"},
    "unfavourable": {"en": "Unfavourable", "ko": "부정"},
}
AUTHORITY_LABELS: dict[str, dict[str, str]] = {
    "bank_of_korea": {"en": "Bank of Korea", "ko": "한국은행"},
    "ministry_of_economy_and_finance": {
        "en": "Ministry of Economy and Finance",
        "ko": "기획재정부",
    },
}


def _choice(table: dict[str, dict[str, str]], en: str, ko: str) -> fields.String:
    return fields.String(
        required=True,
        validate=validate.OneOf(
            list(table), error=t("Choose one of the options.", "하나를 고르십시오.")
        ),
        metadata={
            "label": {"en": en, "ko": ko},
            "widget": "radios",
            "choices": list(table.items()),
        },
    )


class OpinionSchema(BilingualSchema):
    """POST /api/v1/applications/<id>/opinions, and the form on the case page."""

    class Meta:
        unknown = EXCLUDE

    authority = _choice(AUTHORITY_LABELS, "Authority", "의견 제출 기관")
    opinion = _choice(OPINION_LABELS, "Opinion", "의견")
    summary = fields.String(
        required=True,
        validate=validate.Length(
            min=1,
            max=4_000,
            error=t("Write between {min} and {max} characters.", "{min}~{max}자로 작성하십시오."),
        ),
        metadata={
            "label": {"en": "Summary of the letter", "ko": "회신 요지"},
            "widget": "textarea",
        },
    )
    received_on = CalendarDate(
        required=True,
        metadata={"label": {"en": "Received on", "ko": "접수일"}, "widget": "date"},
    )

    def __init__(self, today: date, **kwargs):
        super().__init__(**kwargs)
        self.today = today

    @validates_schema(skip_on_field_errors=False)
    def received_in_the_past(self, data, **kwargs):
        received = data.get("received_on")
        if received is not None and received > self.today:
            raise ValidationError(
                t(
                    "The letter cannot be received after today.",
                    "접수일은 오늘 이후일 수 없습니다.",
                ),
                "received_on",
            )
