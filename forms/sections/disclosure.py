"""Sections 11, 13 and 14: the white paper, consumer protection and the
declaration (docs/domain.md section 3)."""

import re
from datetime import date, timedelta, timezone

from marshmallow import ValidationError, fields, validates_schema

from forms.fields import day, info
from forms.sections.base import (
    SectionSchema,
    email,
    long_text,
    text,
    tick,
)
from workflows.bilingual import t

# Korea has no daylight saving time: KST is always UTC+9.
KST = timezone(timedelta(hours=9), "KST")

# --- white paper and disclosure ----------------------------------------------------

_DART_RECEIPT = re.compile(r"(\d{8})\d{6}")


def _dart_receipt_number(value: str) -> None:
    match = _DART_RECEIPT.fullmatch(value)
    valid = False
    if match:
        stamp = match.group(1)
        try:
            date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
            valid = True
        except ValueError:
            valid = False
    if not valid:
        raise ValidationError(
            t(
                "Give the DART receipt number of the securities registration statement: 14 "
                "digits, the filing date (YYYYMMDD) then 6 digits (Capital Markets Act Art 119).",
                "증권신고서의 DART 접수번호를 적습니다. 제출일(YYYYMMDD)과 "
                "6자리 숫자로 된 14자리입니다(「자본시장법」 제119조).",
            )
        )


_SECURITY_TOKEN = ("security_token",)


class WhitePaperSchema(SectionSchema):
    white_paper_version = text(
        t("White paper version", "백서 버전"),
        t(
            "The version uploaded with this section, e.g. 1.0.",
            "이 섹션에 첨부하는 백서의 버전입니다(예: 1.0).",
        ),
        limit=50,
    )
    white_paper_date = day(
        t("White paper date", "백서 작성일"),
        t("The date on the white paper.", "백서에 적힌 날짜입니다."),
    )
    holder_rights = long_text(
        t("Rights of holders", "보유자의 권리"),
        t(
            "What a holder may claim from the issuer, and how.",
            "보유자가 발행인에게 청구할 수 있는 권리와 행사 방법입니다.",
        ),
        rule="White paper content (MiCA Art 6, 19, 51)",
    )
    principal_risks = long_text(
        t("Principal risks", "주요 위험"),
        t(
            "The main risks to holders, in plain words.",
            "보유자가 부담하는 주요 위험을 쉬운 말로 적습니다.",
        ),
    )
    issuer_summary = long_text(
        t("About the issuer", "발행인 정보"),
        t(
            "Who the issuer is, who owns and runs it.",
            "발행인, 주요 주주, 경영진에 관한 정보입니다.",
        ),
    )
    technology_summary = long_text(
        t("Technology", "기술"),
        t(
            "The ledgers, smart contracts and security arrangements, in plain words.",
            "분산원장, 스마트 계약, 보안 체계를 쉬운 말로 적습니다.",
        ),
    )
    securities_registration_statement_ref = text(
        t("Securities registration statement (DART receipt number)", "증권신고서(DART 접수번호)"),
        t(
            "The 14-digit receipt number of the statement filed on DART.",
            "DART에 제출한 증권신고서의 14자리 접수번호입니다.",
        ),
        limit=14,
        validate=_dart_receipt_number,
        categories=_SECURITY_TOKEN,
        rule="Capital Markets Act Art 119 (securities registration statement)",
        required_message=t(
            "A security token is offered under a securities registration statement: "
            "give its DART receipt number (Capital Markets Act Art 119).",
            "증권형 토큰은 증권신고서를 제출하고 모집해야 하므로 "
            "DART 접수번호를 적어야 합니다(「자본시장법」 제119조).",
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _white_paper_not_future(self, data, **kwargs):
        dated = data.get("white_paper_date")
        if dated is not None and dated > self.ctx.today:
            raise ValidationError(
                t(
                    "The white paper cannot be dated after today.",
                    "백서 작성일은 오늘 이후일 수 없습니다.",
                ),
                "white_paper_date",
            )


# --- consumer protection ----------------------------------------------------------------


class ConsumerProtectionSchema(SectionSchema):
    complaints_procedure = long_text(
        t("Complaints handling", "민원 처리"),
        t(
            "How complaints are received, recorded, answered and escalated, and in what time.",
            "민원 접수, 기록, 답변, 상위 보고 절차와 처리 기한입니다.",
        ),
        rule="Complaints handling (MiCA Art 31)",
    )
    complaints_email = email(
        t("Complaints email", "민원 접수 이메일"),
        t(
            "The address published to holders for complaints.",
            "보유자에게 공개하는 민원 접수 주소입니다.",
        ),
    )
    holder_disclosures = long_text(
        t("Disclosures to holders", "보유자 공시"),
        t(
            "What holders are told, where and how often (reserve, redemption, incidents).",
            "보유자에게 무엇을 어디에 얼마나 자주 공시하는지 적습니다(준비자산, 상환, 사고).",
        ),
    )
    deposit_insurance_disclosure = long_text(
        t("Deposit insurance disclosure", "예금보험 안내"),
        t(
            "How holders are told whether and up to what amount the "
            "tokenized deposit is protected by deposit insurance.",
            "예금 토큰이 예금보험으로 보호되는지, 한도는 얼마인지 보유자에게 안내하는 내용입니다.",
        ),
        categories=("tokenized_deposit",),
        rule="Depositor Protection Act",
        required_message=t(
            "A tokenized deposit must tell holders whether deposit "
            "insurance protects it (Depositor Protection Act).",
            "예금 토큰은 예금보험 보호 여부를 보유자에게 안내해야 합니다(「예금자보호법」).",
        ),
    )


# --- declaration --------------------------------------------------------------------------


class DeclarationSchema(SectionSchema):
    officer_name = text(
        t("Name of the officer", "확인 임원 성명"),
        t(
            "An executive authorised to sign for the applicant.",
            "신청인을 대표하여 서명할 권한이 있는 임원입니다.",
        ),
    )
    officer_title = text(t("Title", "직위"), t("e.g. Chief executive officer.", "예: 대표이사."))
    officer_email = email(
        t("Officer's email", "임원 이메일"),
        t("Where the filing receipt is sent.", "접수증이 발송되는 주소입니다."),
    )
    confirmed = tick(
        t(
            "I confirm the application is true and complete",
            "이 신청서의 내용이 사실이며 빠짐없음을 확인합니다",
        ),
        t(
            "False statements are grounds for refusal and revocation.",
            "거짓 기재는 거부 및 등록 취소 사유입니다.",
        ),
        rule="Refusal and revocation for false statements (MiCA Art 21(2), Art 24)",
        required_message=t(
            "The named officer must confirm the application is true and complete.",
            "확인 임원이 신청서의 내용이 사실이며 빠짐없음을 확인해야 합니다.",
        ),
    )
    signed_at = fields.AwareDateTime(
        required=True,
        metadata=info(
            t("Signed at", "서명 일시"),
            t(
                "Set by the service when the officer confirms.",
                "임원이 확인할 때 서비스가 기록합니다.",
            ),
            "text",
            server_set=True,
        ),
    )

    signed_by = fields.Email(
        metadata=info(
            t("Signed by", "서명한 임원 계정"),
            t(
                "Set by the service: the officer's account that confirmed.",
                "임원이 확인할 때 서비스가 그 계정을 기록합니다.",
            ),
            "text",
            server_set=True,
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _confirmed_and_dated(self, data, **kwargs):
        if data.get("confirmed") is False:
            raise ValidationError(
                t(
                    "The named officer must confirm the application is true and complete.",
                    "확인 임원이 신청서의 내용이 사실이며 빠짐없음을 확인해야 합니다.",
                ),
                "confirmed",
            )
        signed_at = data.get("signed_at")
        if signed_at is not None and signed_at.astimezone(KST).date() > self.ctx.today:
            raise ValidationError(
                t(
                    "The declaration cannot be signed after today.",
                    "오늘 이후의 날짜로 서명할 수 없습니다.",
                ),
                "signed_at",
            )
