"""Sections 8-10 and 12: governance, ICT security, AML/CFT and cross-border
flows (docs/domain.md section 3)."""

from marshmallow import ValidationError, validates_schema

from forms.fields import day
from forms.sections.base import (
    SectionSchema,
    add_months,
    choice,
    email,
    long_text,
    several,
    text,
    yes_no,
)
from workflows.bilingual import BiText, t

# --- governance and internal control ---------------------------------------------

RISK_TYPES = [
    ("market", t("Market risk", "시장위험")),
    ("liquidity", t("Liquidity risk", "유동성위험")),
    ("concentration", t("Concentration risk", "집중위험")),
    ("operational", t("Operational risk", "운영위험")),
    ("ict", t("ICT risk", "정보통신(ICT)위험")),
    ("legal", t("Legal risk", "법률위험")),
    ("ml_tf", t("Money laundering and terrorist financing risk", "자금세탁·테러자금조달위험")),
]


class GovernanceSchema(SectionSchema):
    compliance_officer_name = text(
        t("Compliance officer", "준법감시인"),
        t("The person responsible for compliance.", "준법감시 업무 책임자입니다."),
    )
    compliance_officer_email = email(
        t("Compliance officer's email", "준법감시인 이메일"),
        t("For the supervisor's questions.", "감독기관 문의용입니다."),
    )
    risk_management_framework = long_text(
        t("Risk-management framework", "위험관리체계"),
        t(
            "How risks are identified, measured, limited and reported to the board.",
            "위험을 식별·측정·제한하고 이사회에 보고하는 체계입니다.",
        ),
        limit=10000,
    )
    risks_covered = several(
        t("Risks the framework covers", "위험관리체계가 다루는 위험"),
        t(
            "Tick each risk the framework addresses; all are required.",
            "체계가 다루는 위험을 모두 표시합니다. 전부 해당해야 합니다.",
        ),
        RISK_TYPES,
        rule="Governance arrangements (MiCA Art 34)",
    )
    internal_audit = long_text(
        t("Internal audit", "내부감사"),
        t(
            "Who audits internally, how independently and how often.",
            "내부감사 담당, 독립성, 주기입니다.",
        ),
    )
    external_auditor = text(
        t("External auditor", "외부감사인"),
        t(
            "The accounting firm auditing the financial statements.",
            "재무제표를 감사하는 회계법인입니다.",
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _all_risks_covered(self, data, **kwargs):
        covered = data.get("risks_covered")
        if covered is None:
            return
        missing = [label for code, label in RISK_TYPES if code not in covered]
        if missing:
            raise ValidationError(
                BiText(
                    "The risk-management framework must cover market, liquidity, concentration, "
                    "operational, ICT, legal and ML/TF risk (MiCA Art 34); missing: "
                    + ", ".join(label.en for label in missing)
                    + ".",
                    "위험관리체계는 시장·유동성·집중·운영·정보통신·법률·자금세탁 "
                    "위험을 모두 다루어야 합니다(MiCA 제34조). 빠진 위험: "
                    + ", ".join(label.ko for label in missing)
                    + ".",
                ),
                "risks_covered",
            )


# --- ICT security ------------------------------------------------------------------

ISMS_TYPES = [
    ("isms", t("ISMS", "ISMS(정보보호 관리체계)")),
    ("isms_p", t("ISMS-P", "ISMS-P(정보보호 및 개인정보보호 관리체계)")),
]

_ISMS_RULE = "Network Act Art 47 (ISMS); validity rule: regime profile isms_min_remaining_months"


class IctSecuritySchema(SectionSchema):
    certificate_type = choice(
        t("Certificate", "인증 종류"), t("ISMS or ISMS-P.", "ISMS 또는 ISMS-P입니다."), ISMS_TYPES
    )
    certificate_number = text(
        t("Certificate number", "인증번호"),
        t("As printed on the certificate.", "인증서에 적힌 번호입니다."),
        limit=100,
    )
    certificate_issuer = text(
        t("Issued by", "인증기관"),
        t(
            "e.g. Korea Internet & Security Agency (KISA) or a designated certification body.",
            "예: 한국인터넷진흥원(KISA) 또는 지정 인증기관.",
        ),
    )
    issued_on = day(
        t("Issued on", "인증일"),
        t("The certificate's start date.", "인증서의 유효기간 시작일입니다."),
    )
    expires_on = day(
        t("Expires on", "만료일"),
        t(
            "It must still be valid 6 months after submission (by default).",
            "제출일부터 (기본) 6개월 이상 남아 있어야 합니다.",
        ),
        rule=_ISMS_RULE,
    )
    scope = long_text(
        t("Scope of certification", "인증 범위"),
        t(
            "The services and systems the certificate "
            "covers; they must include the token's systems.",
            "인증이 다루는 서비스와 시스템입니다. 토큰 관련 시스템이 포함되어야 합니다.",
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _certificate_valid(self, data, **kwargs):
        issued, expires = data.get("issued_on"), data.get("expires_on")
        today = self.ctx.today
        if issued is not None and issued > today:
            raise ValidationError(
                t(
                    "The certificate cannot be issued after today.",
                    "인증일은 오늘 이후일 수 없습니다.",
                ),
                "issued_on",
            )
        if expires is None:
            return
        if issued is not None and expires <= issued:
            raise ValidationError(
                t(
                    "The expiry date must come after the issue date.",
                    "만료일은 인증일보다 뒤여야 합니다.",
                ),
                "expires_on",
            )
        months = self.ctx.profile.isms_min_remaining_months
        needed = add_months(today, months)
        if expires < today:
            raise ValidationError(
                t(
                    "The ISMS certificate expired on {expires}; it must be "
                    "valid on the submission date, {today} (Network Act Art 47).",
                    "ISMS 인증이 {expires}에 만료되었습니다. 제출일({today})에 "
                    "유효해야 합니다(「정보통신망법」 제47조).",
                    expires=expires.isoformat(),
                    today=today.isoformat(),
                ),
                "expires_on",
            )
        if expires < needed:
            raise ValidationError(
                t(
                    "The ISMS certificate must stay valid for at least "
                    "{months} months after submission, until {needed}; it "
                    "expires on {expires} (ISMS validity rule, regime profile).",
                    "ISMS 인증은 제출 후 {months}개월 이상, {needed}까지 유효해야 "
                    "합니다. 만료일: {expires}(ISMS 유효기간 요건, 규제 프로필).",
                    months=months,
                    needed=needed.isoformat(),
                    expires=expires.isoformat(),
                ),
                "expires_on",
            )


# --- AML/CFT ---------------------------------------------------------------------------


class AmlCftSchema(SectionSchema):
    aml_officer_name = text(
        t("AML reporting officer", "자금세탁방지 보고책임자"),
        t("The person who reports to KoFIU.", "금융정보분석원(KoFIU)에 보고하는 책임자입니다."),
    )
    aml_officer_email = email(
        t("AML officer's email", "보고책임자 이메일"),
        t("For the supervisor's questions.", "감독기관 문의용입니다."),
    )
    aml_programme = long_text(
        t("AML/CFT programme", "자금세탁방지 프로그램"),
        t(
            "Customer due diligence, monitoring, suspicious "
            "transaction reports, training, independent testing.",
            "고객확인, 거래 모니터링, 의심거래보고, 교육, 독립적 점검 체계입니다.",
        ),
        limit=10000,
        rule="Specified Financial Information Act",
    )
    travel_rule_solution = text(
        t("Travel-rule solution", "트래블룰 솔루션"),
        t(
            "The system used to exchange originator and beneficiary information.",
            "송신인·수취인 정보를 주고받는 시스템입니다.",
        ),
        rule="Specified Financial Information Act (travel rule)",
    )
    fiat_moves_through_issuer = yes_no(
        t("Fiat money moves through the issuer", "발행인을 통한 법정화폐 입출금"),
        t(
            "Whether customers pay in or receive won through the issuer's accounts.",
            "고객이 발행인 계좌로 원화를 입금하거나 받는지 답합니다.",
        ),
    )
    real_name_account_bank = text(
        t("Bank providing the real-name account", "실명확인 입출금계정 제공 은행"),
        t(
            "Required when fiat money moves through the issuer.",
            "발행인을 통해 법정화폐가 오가면 반드시 적습니다.",
        ),
        required=False,
        rule="Specified Financial Information Act Art 7 (real-name account)",
    )

    @validates_schema(skip_on_field_errors=False)
    def _real_name_account(self, data, **kwargs):
        if data.get("fiat_moves_through_issuer") is True and not data.get("real_name_account_bank"):
            raise ValidationError(
                t(
                    "When fiat money moves through the issuer, name the bank providing the "
                    "real-name verified account (Specified Financial Information Act Art 7).",
                    "발행인을 통해 법정화폐가 오가면 실명확인 입출금계정을 "
                    "제공하는 은행을 적어야 합니다(「특정금융정보법」 제7조).",
                ),
                "real_name_account_bank",
            )


# --- cross-border and FX -----------------------------------------------------------


class CrossBorderSchema(SectionSchema):
    foreign_transfer_monitoring = long_text(
        t("Monitoring transfers to and from abroad", "해외 이전 모니터링"),
        t(
            "How transfers to and from foreign addresses "
            "and exchanges are identified and monitored.",
            "해외 주소와 거래소로의 이전을 식별하고 감시하는 방법입니다.",
        ),
        rule="Bank of Korea consultation on capital flight (FSC plan Dec 2025)",
    )
    flow_reporting = long_text(
        t("Reporting cross-border flows", "국가 간 유출입 보고"),
        t(
            "What is reported each month, by counterparty country, and to whom.",
            "매월 상대 국가별로 무엇을 누구에게 보고하는지 적습니다.",
        ),
    )
    fx_act_compliance = long_text(
        t("Foreign Exchange Transactions Act compliance", "외국환거래법 준수"),
        t(
            "Which transactions fall under the Act and how the applicant complies.",
            "법 적용 대상 거래와 준수 방법입니다.",
        ),
        rule="Foreign Exchange Transactions Act",
    )
    responsible_officer = text(
        t("Responsible officer", "책임자"),
        t(
            "The person accountable for cross-border reporting.",
            "국가 간 유출입 보고 책임자입니다.",
        ),
    )
