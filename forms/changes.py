"""A registered issuer's application for a change approved in advance, and the approver's
decision on it (docs/domain.md section 5, changes approved in advance). One schema each for
the page's form and the operation."""

from datetime import date

from marshmallow import EXCLUDE, ValidationError, validate, validates_schema

from forms.fields import CalendarDate, day, info, prose, radios
from forms.messages import BilingualSchema
from forms.sections.base import Percent
from workflows.bilingual import BiText, t
from workflows.changes import CHANGE_APPROVAL_KINDS, thresholds_crossed
from workflows.regime import RegimeProfile

DECISIONS: dict[str, BiText] = {
    "approve": t("Approve the change", "변경 승인"),
    "refuse": t("Refuse the change", "변경 거부"),
}
FOR_CONTROL = t("For a change of control.", "지배권 변경의 경우 입력합니다.")
FOR_WHITE_PAPER = t("For a change of the white paper.", "백서 변경의 경우 입력합니다.")


def _percentage(label: BiText, hint: BiText) -> Percent:
    return Percent(
        required=False,
        validate=validate.Range(
            min=0, max=100, error=t("Enter a share from 0 to 100.", "0~100 사이로 입력하십시오.")
        ),
        metadata=info(label, hint=hint),
    )


def _required(names: list[str], data: dict, why: BiText) -> dict:
    return {name: [why.now()] for name in names if data.get(name) in (None, "")}


class ChangeApplicationSchema(BilingualSchema):
    """What the issuer applies for, before it takes effect."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *, today: date, category: str, profile: RegimeProfile, **kwargs):
        super().__init__(**kwargs)
        self.today = today
        self.category = category
        self.profile = profile

    kind = radios(t("What changes", "변경 사항"), CHANGE_APPROVAL_KINDS)
    planned_on = day(t("Planned to take effect on", "변경 예정일"))
    description = prose(t("The change, before and after", "변경 전후 내용"))
    acquirer = prose(
        t("Who acquires or disposes of the holding", "지분을 취득 또는 처분하는 자"),
        required=False,
        widget="text",
        maximum=200,
        hint=FOR_CONTROL,
    )
    holding_before_pct = _percentage(t("Holding before (%)", "변경 전 지분율(%)"), FOR_CONTROL)
    holding_after_pct = _percentage(t("Holding after (%)", "변경 후 지분율(%)"), FOR_CONTROL)
    bank_shareholding_total_after_pct = _percentage(
        t("Banks' combined holding after the change (%)", "변경 후 은행 지분 합계(%)"),
        t(
            "For a change of control of a KRW stablecoin issuer: the bank-led "
            "consortium test is run again on it.",
            "원화 스테이블코인 발행인의 지배권 변경의 경우 입력합니다. 은행 중심 "
            "컨소시엄 요건을 이 값으로 다시 확인합니다.",
        ),
    )
    white_paper_version = prose(
        t("New white paper version", "새 백서 버전"),
        required=False,
        widget="text",
        maximum=50,
        hint=FOR_WHITE_PAPER,
    )
    white_paper_date = CalendarDate(
        required=False,
        metadata=info(
            t("Date of the new white paper", "새 백서 작성일"), widget="date", hint=FOR_WHITE_PAPER
        ),
    )

    @validates_schema
    def _before_it_happens(self, data, **kwargs):
        planned = data.get("planned_on")
        if planned is not None and planned <= self.today:
            raise ValidationError(
                t(
                    "A change is approved before it takes effect: give a day after today.",
                    "변경은 효력이 생기기 전에 승인받아야 합니다. 오늘 이후의 날을 입력하십시오.",
                ),
                "planned_on",
            )

    @validates_schema
    def _details_of_the_kind(self, data, **kwargs):
        kind = data.get("kind")
        if kind == "white_paper":
            errors = _required(
                ["white_paper_version", "white_paper_date"],
                data,
                t("Required for a change of the white paper.", "백서 변경에는 필수입니다."),
            )
            if errors:
                raise ValidationError(errors)
        if kind != "control":
            return
        names = ["acquirer", "holding_before_pct", "holding_after_pct"]
        if self.category == "krw_stablecoin":
            names.append("bank_shareholding_total_after_pct")
        errors = _required(
            names, data, t("Required for a change of control.", "지배권 변경에는 필수입니다.")
        )
        if errors:
            raise ValidationError(errors)
        before, after = data["holding_before_pct"], data["holding_after_pct"]
        if not thresholds_crossed(before, after, self.profile):
            shares = ", ".join(f"{p.normalize():f}%" for p in self.profile.control_thresholds_pct)
            raise ValidationError(
                t(
                    "This change crosses none of the shares that need approval ({shares}): "
                    "report it in a change report once it takes effect.",
                    "승인이 필요한 지분율({shares})을 넘거나 밑도는 변경이 아닙니다. 변경 후 "
                    "변경 보고로 제출하십시오.",
                    shares=shares,
                ),
                "holding_after_pct",
            )


class ChangeDecisionSchema(BilingualSchema):
    """The approver's decision on a change applied for, and why."""

    class Meta:
        unknown = EXCLUDE

    decision = radios(t("Decision", "결정"), DECISIONS)
    reasons = prose(t("Reasons", "결정 사유"))
