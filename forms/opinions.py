"""The opinion of a consulted authority on a KRW stablecoin case (docs/domain.md section 4).

The Bank of Korea and the Ministry of Economy and Finance answer the FSC's
request; a reviewer or approver records each answer as received, with the
letter as a PDF. One schema for the case page's form and the API body.
"""

from datetime import date

from marshmallow import EXCLUDE, ValidationError, validates_schema

from forms.fields import day, prose, radios
from forms.messages import BilingualSchema
from workflows.bilingual import BiText, t

OPINION_LABELS: dict[str, BiText] = {
    "favourable": t("Favourable", "긍정"),
    "unfavourable": t("Unfavourable", "부정"),
}
AUTHORITY_LABELS: dict[str, BiText] = {
    "bank_of_korea": t("Bank of Korea", "한국은행"),
    "ministry_of_economy_and_finance": t("Ministry of Economy and Finance", "기획재정부"),
}


class OpinionSchema(BilingualSchema):
    """POST /api/v1/applications/<id>/opinions, and the form on the case page."""

    class Meta:
        unknown = EXCLUDE

    authority = radios(t("Authority", "의견 제출 기관"), AUTHORITY_LABELS)
    opinion = radios(t("Opinion", "의견"), OPINION_LABELS)
    summary = prose(t("Summary of the letter", "회신 요지"), maximum=4_000)
    received_on = day(t("Received on", "접수일"))

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
