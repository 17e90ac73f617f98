"""Section 1: the applicant (docs/domain.md section 3)."""

from marshmallow import ValidationError, validates_schema

from forms.fields import info
from forms.identifiers import (
    format_business_registration_number,
    format_corporate_registration_number,
    normalise_lei,
    validate_business_registration_number,
    validate_corporate_registration_number,
    validate_lei,
)
from forms.sections.base import (
    Identifier,
    SectionSchema,
    choice,
    email,
    long_text,
    phone_number,
    text,
    url,
)
from workflows.bilingual import t

LEGAL_FORMS = [
    ("stock_company", t("Stock company (jusik hoesa)", "주식회사")),
    ("limited_company", t("Limited company (yuhan hoesa)", "유한회사")),
    ("limited_liability_company", t("Limited liability company", "유한책임회사")),
    (
        "special_act_corporation",
        t("Corporation established by a special act", "특별법에 따라 설립된 법인"),
    ),
]

_TOKENIZED_DEPOSIT = ("tokenized_deposit",)


class ApplicantSchema(SectionSchema):
    legal_name_ko = text(
        t("Legal name (Korean)", "법인명(국문)"),
        t("Exactly as on the corporate register.", "법인 등기사항증명서에 적힌 그대로 적습니다."),
    )
    legal_name_en = text(
        t("Legal name (English)", "법인명(영문)"),
        t(
            "As in the articles of incorporation or the LEI record.",
            "정관 또는 LEI 등록정보의 영문 명칭을 적습니다.",
        ),
    )
    trading_names = long_text(
        t("Trading names", "영업상 명칭"),
        t(
            "Other names the applicant trades under, one per line. Leave blank if none.",
            "법인명 외에 영업에 쓰는 명칭을 한 줄에 하나씩 적습니다. 없으면 비워 둡니다.",
        ),
        required=False,
        limit=1000,
    )
    legal_form = choice(
        t("Legal form", "법인 형태"),
        t("As on the corporate register.", "법인 등기사항증명서에 적힌 형태를 고릅니다."),
        LEGAL_FORMS,
    )
    business_registration_number = Identifier(
        check=validate_business_registration_number,
        canonical=format_business_registration_number,
        required=True,
        metadata=info(
            t("Business registration number", "사업자등록번호"),
            t(
                "10 digits, e.g. 124-81-00998. Hyphens are optional.",
                "10자리 숫자입니다(예: 124-81-00998). 하이픈은 넣지 않아도 됩니다.",
            ),
            rule="National Tax Service check digit",
        ),
    )
    corporate_registration_number = Identifier(
        check=validate_corporate_registration_number,
        canonical=format_corporate_registration_number,
        required=True,
        metadata=info(
            t("Corporate registration number", "법인등록번호"),
            t(
                "13 digits, e.g. 130111-0006246. Hyphens are optional.",
                "13자리 숫자입니다(예: 130111-0006246). 하이픈은 넣지 않아도 됩니다.",
            ),
            rule="Commercial registry check digit",
        ),
    )
    lei = Identifier(
        check=validate_lei,
        canonical=normalise_lei,
        required=False,
        metadata=info(
            t("Legal Entity Identifier (LEI)", "법인식별기호(LEI)"),
            t(
                "20 letters and digits, if the applicant has one.",
                "있는 경우 영문자와 숫자 20자리를 적습니다.",
            ),
            rule="ISO 17442 check digits",
        ),
    )
    registered_office = text(
        t("Registered office", "본점 소재지"),
        t("The address on the corporate register.", "법인 등기사항증명서의 본점 주소를 적습니다."),
        limit=300,
    )
    head_office = text(
        t("Head office", "주된 사무소"),
        t(
            "Where the business is managed, if different; otherwise repeat the registered office.",
            "실제로 경영이 이루어지는 곳의 주소를 적습니다. 본점과 같으면 같은 주소를 적습니다.",
        ),
        limit=300,
    )
    website = url(
        t("Website", "웹사이트"),
        t(
            "The applicant's public website, starting with https://.",
            "https://로 시작하는 신청인의 웹사이트 주소를 적습니다.",
        ),
    )
    contact_name = text(
        t("Contact person", "담당자 성명"),
        t(
            "Who the Financial Supervisory Service should contact about this application.",
            "이 신청에 관해 금융감독원이 연락할 담당자입니다.",
        ),
    )
    contact_email = email(
        t("Contact email", "담당자 이메일"),
        t("Messages about the review are sent here.", "심사 관련 안내가 이 주소로 발송됩니다."),
    )
    contact_phone = text(
        t("Contact telephone", "담당자 전화번호"),
        t(
            "A number answered during business hours, e.g. 02-1234-5678.",
            "업무시간에 연락되는 번호입니다(예: 02-1234-5678).",
        ),
        limit=30,
        validate=phone_number,
    )
    bank_licence_number = text(
        t("Bank licence number", "은행업 인가 번호"),
        t(
            "The number of the licence granted under the Banking Act.",
            "「은행법」에 따라 받은 은행업 인가의 번호를 적습니다.",
        ),
        limit=100,
        rule="Banking Act Art 8 (bank licence)",
        categories=_TOKENIZED_DEPOSIT,
        required_for=_TOKENIZED_DEPOSIT,
        required_message=t(
            "A tokenized deposit is a bank deposit: give "
            "the bank licence number (Banking Act Art 8).",
            "예금 토큰은 은행 예금이므로 은행업 인가 번호를 적어야 합니다(「은행법」 제8조).",
        ),
    )

    @validates_schema(skip_on_field_errors=False)
    def _only_banks_issue_tokenized_deposits(self, data, **kwargs):
        if self.ctx.category == "tokenized_deposit" and not self.ctx.applicant_is_bank:
            raise ValidationError(
                t(
                    "Only a licensed bank may issue tokenized deposits: a "
                    "tokenized deposit is a bank deposit (Banking Act Art 8).",
                    "예금 토큰은 은행 예금이므로 인가받은 은행만 "
                    "발행할 수 있습니다(「은행법」 제8조).",
                )
            )
