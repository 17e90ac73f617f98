"""Reports a registered issuer files: one schema per kind (docs/domain.md section 5).

These check shape only: required fields, non-negative amounts, valid dates and
periods. Whether the figures break a rule is for `workflows.monitoring`: a
reserve report showing 95% coverage loads cleanly and produces a finding.

Messages are produced when validation runs, in the locale of the moment, so
schemas may be built once at import.
"""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validates_schema

from forms.fields import CalendarDate, CalendarMoment, Figure, info
from forms.messages import BilingualSchema
from workflows.bilingual import BiText, t
from workflows.monitoring.obligations import CHANGE_KINDS, REPORT_KINDS, add_months
from workflows.monitoring.vocabulary import (
    AUDIT_OPINIONS,
    COUNTERPARTY_TYPES,
    INCIDENT_KINDS,
    ISMS_STATUSES,
    RESERVE_ASSET_TYPES,
)

KST = ZoneInfo("Asia/Seoul")

QUARTERLY_REPORTING_CATEGORIES = REPORT_KINDS["quarterly_report"].categories


class ReportSchema(BilingualSchema):
    """Base of every report schema. Built with the filer's `category`, a schema may ask more
    of it (`adjust_fields`)."""

    unknown_message = t("This field is not part of the report.", "보고서에 없는 항목입니다.")
    type_message = t(
        "Send the report as an object of named fields.",
        "보고서는 항목 이름과 값으로 이루어진 객체로 보내야 합니다.",
    )

    def __init__(self, *, category: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.category = category
        self.adjust_fields()

    def adjust_fields(self) -> None:
        """Make category-dependent changes to `self.fields`; none by default."""


# -- validators: each says why in the current locale ------------------------


def _non_negative(value) -> None:
    if value < 0:
        raise ValidationError(t("Must not be negative.", "음수일 수 없습니다."))


def _one_of(choices: dict[str, BiText]):
    def check(value: str) -> None:
        if value not in choices:
            raise ValidationError(
                t(
                    "Choose one of: {choices}.",
                    "다음 중에서 선택하십시오: {choices}.",
                    choices=", ".join(choices),
                )
            )

    return check


def _length(maximum: int, *, required: bool = True):
    def check(value: str) -> None:
        if required and not value.strip():
            raise ValidationError(t("This field is required.", "필수 입력 항목입니다."))
        if len(value) > maximum:
            raise ValidationError(
                t(
                    "Write at most {max} characters.",
                    "{max}자 이내로 작성하십시오.",
                    max=maximum,
                )
            )

    return check


def _at_least_one(rows: list) -> None:
    if not rows:
        raise ValidationError(t("Give at least one row.", "하나 이상 입력하십시오."))


def _certified(value: bool) -> None:
    if value is not True:
        raise ValidationError(t("The certification must be given.", "확인 서명이 있어야 합니다."))


_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _foreign_country(value: str) -> None:
    if not _COUNTRY.match(value):
        raise ValidationError(
            t(
                "Enter a two-letter ISO 3166 country code, such as US.",
                "US와 같은 ISO 3166 두 글자 국가 코드를 입력하십시오.",
            )
        )
    if value == "KR":
        raise ValidationError(
            t("Cross-border rows are for foreign counterparties.", "해외 상대방만 입력하십시오.")
        )


def _percentage(value) -> None:
    if not 0 <= value <= 100:
        raise ValidationError(t("Enter 0 to 100.", "0에서 100 사이로 입력하십시오."))


# -- fields ------------------------------------------------------------------


def _money(label, help, *, required=True, signed=False) -> fields.Decimal:
    return Figure(
        required=required,
        allow_none=not required,
        validate=None if signed else _non_negative,
        metadata=info(label, help, "money", unit="KRW"),
    )


def _count(label, help, *, required=True) -> fields.Integer:
    return fields.Integer(
        required=required,
        allow_none=not required,
        validate=_non_negative,
        metadata=info(label, help, "integer"),
    )


def _decimal(label, help, *, required=True, validate=_non_negative) -> fields.Decimal:
    return Figure(
        required=required,
        allow_none=not required,
        validate=validate,
        metadata=info(label, help, "decimal"),
    )


def _date(label, help, *, required=True) -> fields.Date:
    return CalendarDate(
        required=required, allow_none=not required, metadata=info(label, help, "date")
    )


def _text(label, help, *, required=True, widget="text", maximum=200) -> fields.String:
    return fields.String(
        required=required,
        allow_none=not required,
        validate=_length(maximum, required=required),
        metadata=info(label, help, widget),
    )


def _choice(label, help, choices: dict[str, BiText], *, required=True) -> fields.String:
    return fields.String(
        required=required,
        allow_none=not required,
        validate=_one_of(choices),
        metadata=info(
            label,
            help,
            "select",
            # (value, label) pairs, as every schema's choices (templates/macros/form.html).
            choices=list(choices.items()),
        ),
    )


def _flag(label, help, *, validate=None) -> fields.Boolean:
    """A checkbox whose unticked state is an answer: no (a custodian not segregated)."""
    return fields.Boolean(
        required=True,
        validate=validate,
        metadata=info(label, help, "checkbox", unticked=False),
    )


def _rows(schema: type[Schema], label, help, *, widget="table") -> fields.List:
    return fields.List(fields.Nested(schema), required=True, metadata=info(label, help, widget))


def _error(field: str, en: str, ko: str, **values) -> ValidationError:
    return ValidationError({field: [t(en, ko, **values)]})


# -- periods -----------------------------------------------------------------


def _month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


class _Period(ReportSchema):
    period_start = _date(
        t("Period start", "보고 기간 시작일"),
        t("First day the report covers.", "보고 대상 기간의 첫날입니다."),
    )
    period_end = _date(
        t("Period end", "보고 기간 종료일"),
        t(
            "Last day the report covers; figures are valued on this day.",
            "보고 대상 기간의 마지막 날로, 이 날을 기준으로 평가합니다.",
        ),
    )

    @validates_schema
    def _period_in_order(self, data, **kwargs):
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise _error(
                "period_end",
                "The period must end on or after its start.",
                "종료일은 시작일과 같거나 그 이후여야 합니다.",
            )


class _MonthlyPeriod(_Period):
    """Within one calendar month, to its last day: the period the obligations calendar asks
    for. It starts on the 1st, or on the registration day in the month of registration,
    which the service checks against the registration (`monthly_period_start`)."""

    @validates_schema
    def _calendar_month(self, data, **kwargs):
        start, end = data.get("period_start"), data.get("period_end")
        if not (start and end) or end < start:
            return  # said by _period_in_order
        if end != _month_end(start):
            raise _error(
                "period_end",
                "A monthly report covers one calendar month, from the 1st (in the month of "
                "registration, from the registration day) to the month's last day.",
                "월간 보고는 한 달(1일부터 말일까지, 등록한 달은 등록일부터 말일까지)을 "
                "대상으로 합니다.",
            )


class _QuarterlyPeriod(_Period):
    @validates_schema
    def _calendar_quarter(self, data, **kwargs):
        start, end = data.get("period_start"), data.get("period_end")
        if not (start and end) or end < start:
            return
        if start.day != 1 or start.month % 3 != 1 or end != add_months(start, 3) - timedelta(1):
            raise _error(
                "period_end",
                "A quarterly report covers one calendar quarter (January-March, April-June, ...).",
                "분기 보고는 한 분기(1~3월, 4~6월 등)를 대상으로 합니다.",
            )


# -- reserve report ----------------------------------------------------------

# Instruments with a maturity and an issuer; deposits and cash have neither as a rule.
_DATED_TYPES = {
    "government_bond",
    "monetary_stabilisation_bond",
    "repo",
    "corporate_bond",
    "commercial_paper",
}
_UNISSUED_TYPES = {"cash", "bank_deposit"}


class ReserveAssetSchema(ReportSchema):
    asset_type = _choice(
        t("Type of asset", "자산 유형"),
        t(
            "What the asset is. List ineligible assets too, if held.",
            "자산의 종류입니다. 부적격 자산도 보유 중이면 기재하십시오.",
        ),
        RESERVE_ASSET_TYPES,
    )
    description = _text(
        t("Description", "설명"),
        t("For instance the ISIN or the account.", "예: ISIN 또는 계좌 정보."),
        required=False,
    )
    custodian_bank = _text(
        t("Custodian bank", "보관 은행"),
        t(
            "The bank holding the asset; for a deposit, the bank it is deposited with.",
            "자산을 보관하는 은행입니다. 예금은 예치 은행을 적습니다.",
        ),
    )
    market_value_krw = _money(
        t("Market value (KRW)", "시장가치(원)"),
        t("Valued on the last day of the period.", "보고 기간 말일 기준 평가액입니다."),
    )
    maturity_date = _date(
        t("Maturity date", "만기일"),
        t("Required for bonds, repos and paper.", "채권, RP, 어음은 필수입니다."),
        required=False,
    )
    instrument_issuer = _text(
        t("Issuer of the instrument", "발행기관"),
        t(
            "Who issued the instrument (for a repo, the counterparty).",
            "상품 발행기관입니다(RP는 거래상대방).",
        ),
        required=False,
    )

    @validates_schema
    def _instrument_details(self, data, **kwargs):
        asset_type = data.get("asset_type")
        errors = {}
        if asset_type in _DATED_TYPES and not data.get("maturity_date"):
            errors["maturity_date"] = [
                t("Give the maturity date of this instrument.", "이 상품의 만기일을 입력하십시오.")
            ]
        if asset_type not in _UNISSUED_TYPES and not (data.get("instrument_issuer") or "").strip():
            errors["instrument_issuer"] = [
                t("Name the issuer of this instrument.", "이 상품의 발행기관을 입력하십시오.")
            ]
        if errors:
            raise ValidationError(errors)


class CustodianSchema(ReportSchema):
    bank_name = _text(t("Bank", "은행"), t("The custodian bank's name.", "보관 은행명입니다."))
    account_reference = _text(
        t("Account", "계좌"),
        t("The segregated reserve account.", "분리 보관 계좌입니다."),
        required=False,
    )
    segregated = _flag(
        t("Segregated from the issuer's own assets", "고유재산과 분리 보관"),
        t(
            "Held apart from the issuer's estate (MiCA Art 36(2)).",
            "발행인 고유재산과 분리되어 있는지 여부입니다.",
        ),
    )


class CertificationSchema(ReportSchema):
    name = _text(t("Name", "성명"), t("Who certifies.", "확인하는 사람입니다."))
    certified = _flag(
        t("I certify the report is true and complete", "보고 내용이 사실이며 완전함을 확인합니다"),
        t(
            "The officer's personal certification (NYDFS 2022 model).",
            "임원의 개인 확인입니다(NYDFS 2022 모델).",
        ),
        validate=_certified,
    )
    certified_on = _date(t("Date", "확인일"), t("Day of the certification.", "확인한 날짜입니다."))


class ReserveReportSchema(_MonthlyPeriod):
    outstanding_issuance_krw = _money(
        t("Outstanding issuance (KRW)", "발행 잔액(원)"),
        t(
            "Tokens in circulation at the period end, at par.",
            "기간 말 유통 중인 토큰의 액면 총액입니다.",
        ),
    )
    reserve_assets = _rows(
        ReserveAssetSchema,
        t("Reserve assets", "준비자산 내역"),
        t(
            "Every asset of the reserve, one row each, at market value.",
            "준비자산을 한 줄에 하나씩 시장가치로 적습니다.",
        ),
    )
    custodians = fields.List(
        fields.Nested(CustodianSchema),
        required=True,
        validate=_at_least_one,
        metadata=info(
            t("Custodians", "보관기관"),
            t("Banks holding the reserve.", "준비자산을 보관하는 은행입니다."),
            "table",
        ),
    )
    attesting_cpa_firm = _text(
        t("Attesting CPA firm", "검증 회계법인"),
        t("The firm that attested this report.", "이 보고서를 검증한 회계법인입니다."),
    )
    attestation_date = _date(
        t("Attestation date", "검증일"),
        t("Day of the CPA's attestation.", "회계법인의 검증일입니다."),
    )
    ceo_certification = fields.Nested(
        CertificationSchema,
        required=True,
        metadata=info(
            t("CEO certification", "대표이사 확인"),
            t("The chief executive's certification.", "대표이사의 확인입니다."),
            "group",
        ),
    )
    cfo_certification = fields.Nested(
        CertificationSchema,
        required=True,
        metadata=info(
            t("CFO certification", "재무책임자 확인"),
            t("The chief financial officer's certification.", "재무책임자의 확인입니다."),
            "group",
        ),
    )


# -- cross-border flows ------------------------------------------------------


class FlowRowSchema(ReportSchema):
    country = fields.String(
        required=True,
        validate=_foreign_country,
        metadata=info(
            t("Counterparty country", "상대방 국가"),
            t("ISO 3166 two-letter code.", "ISO 3166 두 글자 코드입니다."),
            "country",
        ),
    )
    counterparty_type = _choice(
        t("Counterparty", "상대방 유형"),
        t(
            "A foreign exchange, or a personal address abroad.",
            "해외 거래소 또는 해외 개인 주소입니다.",
        ),
        COUNTERPARTY_TYPES,
    )
    inbound_krw = _money(
        t("Inbound (KRW)", "유입액(원)"),
        t(
            "Tokens received from this counterparty, at par.",
            "이 상대방으로부터 들어온 토큰의 액면 총액입니다.",
        ),
    )
    outbound_krw = _money(
        t("Outbound (KRW)", "유출액(원)"),
        t(
            "Tokens sent to this counterparty, at par.",
            "이 상대방에게 나간 토큰의 액면 총액입니다.",
        ),
    )


class CrossBorderFlowsSchema(_MonthlyPeriod):
    outstanding_issuance_krw = _money(
        t("Outstanding issuance (KRW)", "발행 잔액(원)"),
        t("As in the reserve report for the same month.", "같은 달 준비자산 보고서의 금액입니다."),
    )
    rows = _rows(
        FlowRowSchema,
        t("Flows by country", "국가별 이전 현황"),
        t(
            "One row per country and kind of counterparty; leave empty if none.",
            "국가와 상대방 유형별로 한 줄씩 적습니다. 없으면 비워 둡니다.",
        ),
    )

    @validates_schema
    def _one_row_per_counterparty(self, data, **kwargs):
        seen = set()
        for row in data.get("rows") or []:
            key = (row.get("country"), row.get("counterparty_type"))
            if key in seen:
                raise _error(
                    "rows",
                    "{country} ({kind}) appears twice; add the figures into one row.",
                    "{country}({kind})가 두 번 나옵니다. 한 줄로 합치십시오.",
                    country=key[0],
                    kind=key[1],
                )
            seen.add(key)


# -- redemption statistics ---------------------------------------------------


class RedemptionStatisticsSchema(_MonthlyPeriod):
    requests_count = _count(
        t("Redemption requests", "상환 요청 건수"),
        t("Requests received in the month.", "해당 월에 접수된 요청 수입니다."),
    )
    requested_amount_krw = _money(
        t("Amount requested (KRW)", "상환 요청액(원)"),
        t("Total at par.", "액면 총액입니다."),
    )
    paid_within_deadline_count = _count(
        t("Paid within the deadline", "기한 내 지급 건수"),
        t("Requests paid within the redemption deadline.", "상환 기한 내에 지급한 건수입니다."),
    )
    paid_late_count = _count(
        t("Paid late", "기한 후 지급 건수"),
        t("Requests paid after the deadline.", "상환 기한이 지난 뒤 지급한 건수입니다."),
    )
    longest_payment_business_days = _count(
        t("Longest payment (business days)", "최장 지급 기간(영업일)"),
        t("From request to payment, Korean business days.", "요청부터 지급까지의 영업일 수입니다."),
    )

    @validates_schema
    def _counts_add_up(self, data, **kwargs):
        paid = (data.get("paid_within_deadline_count") or 0) + (data.get("paid_late_count") or 0)
        requests = data.get("requests_count")
        if requests is not None and paid > requests:
            raise _error(
                "requests_count",
                "Paid requests ({paid}) cannot exceed requests received ({requests}).",
                "지급 건수({paid})가 요청 건수({requests})보다 많을 수 없습니다.",
                paid=paid,
                requests=requests,
            )


# -- reserve audit -----------------------------------------------------------


class ReserveAuditSchema(_Period):
    audit_firm = _text(
        t("Audit firm", "감사인"),
        t("The independent auditor of the reserve.", "준비자산 독립 감사인입니다."),
    )
    opinion = _choice(
        t("Opinion", "감사 의견"),
        t("The auditor's opinion on the reserve.", "준비자산에 대한 감사 의견입니다."),
        AUDIT_OPINIONS,
    )
    report_date = _date(
        t("Audit report date", "감사보고서일"),
        t("Day the auditor signed the report.", "감사인이 보고서에 서명한 날입니다."),
    )


# -- quarterly report ---------------------------------------------------------


class QuarterlyReportSchema(_QuarterlyPeriod):
    holders_count = _count(
        t("Holders", "보유자 수"),
        t("Holders at the quarter end (MiCA Art 22(1)(a)).", "분기 말 보유자 수입니다."),
    )
    average_daily_transactions_count = _decimal(
        t("Average daily transactions", "일평균 거래 건수"),
        t(
            "Transfers between holders, averaged over the quarter.",
            "보유자 간 이전 건수의 분기 일평균입니다.",
        ),
    )
    average_daily_transactions_value_krw = _money(
        t("Average daily transaction value (KRW)", "일평균 거래 금액(원)"),
        t("Averaged over the quarter.", "분기 일평균입니다."),
    )
    issued_value_krw = _money(
        t("Issued value (KRW)", "발행 금액(원)"),
        t("Outstanding issuance at the quarter end.", "분기 말 발행 잔액입니다."),
    )
    reserve_value_krw = _money(
        t("Reserve (KRW)", "준비자산(원)"),
        t("Size of the reserve, where the token has one.", "준비자산이 있는 경우 그 규모입니다."),
        required=False,
    )


# -- audited financials -------------------------------------------------------


class AuditedFinancialsSchema(ReportSchema):
    financial_year_start = _date(
        t("Financial year start", "사업연도 개시일"),
        t("First day of the year.", "사업연도 첫날입니다."),
    )
    financial_year_end = _date(
        t("Financial year end", "사업연도 종료일"), t("Balance-sheet date.", "결산일입니다.")
    )
    own_funds_krw = _money(
        t("Own funds (KRW)", "자기자본(원)"),
        t(
            "Total equity at the year end; negative if capital is impaired.",
            "결산일의 자본총계입니다. 자본잠식이면 음수로 적습니다.",
        ),
        signed=True,
    )
    auditor = _text(t("Auditor", "감사인"), t("The external auditor.", "외부감사인입니다."))
    opinion = _choice(
        t("Audit opinion", "감사 의견"),
        t("As in the audit report.", "감사보고서의 의견입니다."),
        AUDIT_OPINIONS,
    )
    outstanding_issuance_krw = _money(
        t("Outstanding issuance (KRW)", "발행 잔액(원)"),
        t(
            "Tokens in circulation at the year end, where the issuer issues any.",
            "결산일의 토큰 발행 잔액입니다(해당 시).",
        ),
        required=False,
    )

    def adjust_fields(self) -> None:
        # Where the issuance decides quarterly enrolment it is asked for, not optional:
        # left out, an issuer past the threshold would never be enrolled.
        if self.category in QUARTERLY_REPORTING_CATEGORIES:
            outstanding = self.fields["outstanding_issuance_krw"]
            outstanding.required = True
            outstanding.allow_none = False
            outstanding.error_messages["required"] = outstanding.error_messages["null"] = t(
                "Give the outstanding issuance: it decides whether quarterly reports are due "
                "(MiCA Art 22(1)).",
                "발행 잔액을 입력해야 합니다. 분기 보고 대상인지를 이 금액으로 정합니다(MiCA "
                "제22조 제1항).",
            )

    @validates_schema
    def _one_financial_year(self, data, **kwargs):
        start, end = data.get("financial_year_start"), data.get("financial_year_end")
        if not (start and end):
            return
        # A financial year runs at most one year (Commercial Act; first years may be shorter).
        if end < start or end >= add_months(start, 12):
            raise _error(
                "financial_year_end",
                "A financial year ends after it starts and lasts at most one year.",
                "사업연도는 개시일 이후에 끝나야 하며 1년을 넘을 수 없습니다.",
            )


# -- event reports ------------------------------------------------------------


class IncidentReportSchema(ReportSchema):
    incident_kind = _choice(
        t("Kind of incident", "사고 유형"),
        t("What happened.", "발생한 사고의 유형입니다."),
        INCIDENT_KINDS,
    )
    occurred_at = CalendarMoment(
        required=True,
        default_timezone=KST,  # an HTML date-time input carries no zone: Korean time
        metadata=info(
            t("Occurred at", "발생 일시"),
            t("When it began, Korean time unless stated.", "사고가 시작된 일시입니다(한국 시간)."),
            "datetime",
        ),
    )
    description = _text(
        t("Description", "내용"),
        t(
            "What happened, its effect on holders, and what was done.",
            "사고 경위, 보유자에 대한 영향, 조치 사항을 적습니다.",
        ),
        widget="textarea",
        maximum=10_000,
    )
    lowest_price_krw = _decimal(
        t("Lowest price (KRW)", "최저 가격(원)"),
        t(
            "For a depeg: the lowest traded price of one token.",
            "디페그의 경우 토큰 1개의 최저 거래 가격입니다.",
        ),
        required=False,
    )
    hours_below_floor = _decimal(
        t("Hours below the floor", "하한 미만 지속 시간"),
        t(
            "For a depeg: how long, in hours, the price stayed below the floor without recovering.",
            "디페그의 경우 가격이 회복되지 않고 하한 아래에 머문 시간입니다.",
        ),
        required=False,
    )

    @validates_schema
    def _depeg_needs_price_and_duration(self, data, **kwargs):
        if data.get("incident_kind") != "depeg":
            return
        errors = {}
        if data.get("lowest_price_krw") is None:
            errors["lowest_price_krw"] = [
                t("Give the lowest price for a depeg.", "디페그는 최저 가격을 입력해야 합니다.")
            ]
        if data.get("hours_below_floor") is None:
            errors["hours_below_floor"] = [
                t(
                    "Give how many hours the price stayed below the floor.",
                    "가격이 하한 아래에 머문 시간을 입력해야 합니다.",
                )
            ]
        if errors:
            raise ValidationError(errors)


class ChangeReportSchema(ReportSchema):
    change_kind = _choice(
        t("What changed", "변경 사항"), t("The kind of change.", "변경의 종류입니다."), CHANGE_KINDS
    )
    effective_on = _date(
        t("Effective on", "변경일"),
        t("The day the change takes effect.", "변경의 효력이 생기는 날입니다."),
    )
    description = _text(
        t("Details", "세부 내용"),
        t("Who or what changed, before and after.", "변경 대상과 변경 전후 내용입니다."),
        widget="textarea",
        maximum=10_000,
    )
    holding_percentage_after = _decimal(
        t("Holding after the change (%)", "변경 후 지분율(%)"),
        t("For a major shareholder change.", "대주주 변경의 경우 입력합니다."),
        required=False,
        validate=_percentage,
    )
    bank_shareholding_total_after_pct = _decimal(
        t("Banks' combined holding after the change (%)", "변경 후 은행 지분 합계(%)"),
        t(
            "For a major shareholder change of a KRW stablecoin issuer: the bank-led "
            "consortium test is run again on it.",
            "원화 스테이블코인 발행인의 대주주 변경의 경우 입력합니다. 은행 중심 컨소시엄 "
            "요건을 이 값으로 다시 확인합니다.",
        ),
        required=False,
        validate=_percentage,
    )
    isms_certificate_number = _text(
        t("ISMS certificate number", "ISMS 인증 번호"),
        t("For an ISMS change.", "ISMS 변경의 경우 입력합니다."),
        required=False,
    )
    isms_status = _choice(
        t("ISMS status", "ISMS 인증 상태"),
        t("For an ISMS change.", "ISMS 변경의 경우 입력합니다."),
        ISMS_STATUSES,
        required=False,
    )
    isms_valid_until = _date(
        t("ISMS valid until", "ISMS 유효기간 만료일"),
        t("For an ISMS change.", "ISMS 변경의 경우 입력합니다."),
        required=False,
    )

    @validates_schema
    def _banks_after_a_change_of_control(self, data, **kwargs):
        # Every change of a KRW stablecoin issuer's major shareholders re-runs the bank-led
        # consortium test, so the banks' total after it is asked for (docs/domain.md s5).
        if (
            self.category == "krw_stablecoin"
            and data.get("change_kind") == "major_shareholder"
            and data.get("bank_shareholding_total_after_pct") is None
        ):
            raise _error(
                "bank_shareholding_total_after_pct",
                "Give the banks' combined holding after the change: the bank-led consortium "
                "rule is checked again on every change of major shareholders.",
                "변경 후 은행 지분 합계를 입력하십시오. 대주주가 바뀔 때마다 은행 중심 "
                "컨소시엄 요건을 다시 확인합니다.",
            )

    @validates_schema
    def _isms_details(self, data, **kwargs):
        if data.get("change_kind") != "isms":
            return
        missing = [
            name for name in ("isms_certificate_number", "isms_status") if not data.get(name)
        ]
        if missing:
            raise ValidationError(
                {
                    name: [t("Required for an ISMS change.", "ISMS 변경에는 필수입니다.")]
                    for name in missing
                }
            )


class WhitePaperUpdateSchema(ReportSchema):
    planned_publication_on = _date(
        t("Planned publication", "공개 예정일"),
        t("When the modified white paper will be published.", "변경된 백서를 공개할 날입니다."),
    )
    changes = _text(
        t("What changes", "변경 내용"),
        t("The material change and the sections affected.", "중요 변경 사항과 해당 부분입니다."),
        widget="textarea",
        maximum=10_000,
    )
    reasons = _text(
        t("Why", "변경 사유"),
        t(
            "The new factor, mistake or inaccuracy (MiCA Art 12(1)).",
            "새로운 사실, 오류 또는 부정확한 내용입니다.",
        ),
        widget="textarea",
        maximum=10_000,
    )


REPORT_SCHEMAS: dict[str, type[ReportSchema]] = {
    "reserve_report": ReserveReportSchema,
    "cross_border_flows": CrossBorderFlowsSchema,
    "redemption_statistics": RedemptionStatisticsSchema,
    "reserve_audit": ReserveAuditSchema,
    "quarterly_report": QuarterlyReportSchema,
    "audited_financials": AuditedFinancialsSchema,
    "change_report": ChangeReportSchema,
    "incident_report": IncidentReportSchema,
    "white_paper_update": WhitePaperUpdateSchema,
}
