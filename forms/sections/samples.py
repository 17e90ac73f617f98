"""Complete, valid answers for every section of each category, as a client
would send them (dates as ISO strings, percentages as strings). Demo data and
tests use them. The companies are fictitious; their identifiers are made up
but carry correct check digits. Dates count from `today`, so the ISMS
certificate and the business plan stay valid whenever the samples are built.
"""

from datetime import date, datetime, time, timedelta

from forms.sections import sections_for
from forms.sections.base import add_months
from forms.sections.disclosure import KST
from workflows.korean import with_particles
from workflows.regime import CATEGORIES, RegimeProfile
from workflows.regime import profile as default_profile

# Who applies in each category, and with which token (demo organisations can match these).
SAMPLE_ISSUERS = {
    "krw_stablecoin": {
        "legal_name_ko": "한빛스테이블 주식회사",
        "legal_name_en": "Hanbit Stable Co., Ltd.",
        "business_registration_number": "220-87-41625",
        "corporate_registration_number": "110111-8123450",
        "lei": "988400HANBITSTBL0195",
        "website": "https://www.hanbitstable.co.kr",
        "domain": "hanbitstable.co.kr",
        "token_name": "한빛원 (Hanbit Won)",
        "token_symbol": "HKRW",
    },
    "tokenized_deposit": {
        "legal_name_ko": "주식회사 한빛은행",
        "legal_name_en": "Hanbit Bank Co., Ltd.",
        "business_registration_number": "104-81-33573",
        "corporate_registration_number": "110111-0248173",
        "lei": "988400HANBITBANK0118",
        "website": "https://www.hanbitbank.co.kr",
        "domain": "hanbitbank.co.kr",
        "token_name": "한빛 예금토큰 (Hanbit Deposit Token)",
        "token_symbol": "HBDT",
    },
    "security_token": {
        "legal_name_ko": "마루조각 주식회사",
        "legal_name_en": "Maru Fractional Co., Ltd.",
        "business_registration_number": "211-88-09249",
        "corporate_registration_number": "110111-9035175",
        "lei": None,
        "website": "https://www.marujogak.kr",
        "domain": "marujogak.kr",
        "token_name": "마루 성수 오피스 수익증권 (Maru Seongsu Office Units)",
        "token_symbol": "MARU1",
    },
    "other_virtual_asset": {
        "legal_name_ko": "누리랩스 주식회사",
        "legal_name_en": "Nuri Labs Inc.",
        "business_registration_number": "120-86-77317",
        "corporate_registration_number": "110111-7712048",
        "lei": "988400NURILABS000190",
        "website": "https://www.nurilabs.io",
        "domain": "nurilabs.io",
        "token_name": "누리 (Nuri)",
        "token_symbol": "NURI",
    },
}


def _applicant(category: str) -> dict:
    issuer = SAMPLE_ISSUERS[category]
    data = {
        "legal_name_ko": issuer["legal_name_ko"],
        "legal_name_en": issuer["legal_name_en"],
        "legal_form": "stock_company",
        "business_registration_number": issuer["business_registration_number"],
        "corporate_registration_number": issuer["corporate_registration_number"],
        "registered_office": "서울특별시 중구 세종대로 110, 12층",
        "head_office": "서울특별시 중구 세종대로 110, 12층",
        "website": issuer["website"],
        "contact_name": "오지현",
        "contact_email": f"licensing@{issuer['domain']}",
        "contact_phone": "02-3700-1234",
    }
    if issuer["lei"]:
        data["lei"] = issuer["lei"]
    if category == "other_virtual_asset":
        data["trading_names"] = "누리플레이\nNuri Play"
        data["registered_office"] = "경기도 성남시 분당구 판교역로 235, 7층"
        data["head_office"] = data["registered_office"]
    if category == "tokenized_deposit":
        data["bank_licence_number"] = "은행업 인가 제1998-07호"
    return data


_HOLDERS = {
    "krw_stablecoin": [
        # Four banks of at most 15% each (Banking Act Art 37(1)) and a fintech as the
        # largest single holder, the shape the ruling party's plan of February 2026 expects.
        ("가람페이 주식회사", "non_financial", "30"),
        ("한빛은행", "bank", "15"),
        ("동해은행", "bank", "15"),
        ("가온은행", "bank", "15"),
        ("바른은행", "bank", "11"),
        ("새봄증권 주식회사", "non_bank_financial", "10"),
    ],
    "tokenized_deposit": [("주식회사 한빛금융지주", "non_bank_financial", "100")],
    "security_token": [
        ("정우성", "individual", "45"),
        ("마루홀딩스 주식회사", "non_financial", "35"),
        ("새봄증권 주식회사", "non_bank_financial", "12"),
    ],
    "other_virtual_asset": [
        ("한도윤", "individual", "38"),
        ("누리벤처스 주식회사", "non_financial", "22"),
        ("푸른성장 투자조합", "non_bank_financial", "15"),
    ],
}

_EXECUTIVES = [
    ("김서연", "ceo"),
    ("박준호", "inside_director"),
    ("이하은", "outside_director"),
    ("최민재", "statutory_auditor"),
    ("정다인", "compliance_officer"),
]


def _ownership(category: str) -> dict:
    data = {
        "qualifying_holders": [
            {"name": name, "holder_type": kind, "percentage": share}
            for name, kind, share in _HOLDERS[category]
        ],
        "executives": [
            {
                "name": name,
                "role": role,
                "fit_and_proper_declared": True,
                "bankrupt_not_reinstated": False,
            }
            for name, role in _EXECUTIVES
        ],
    }
    if category == "krw_stablecoin":
        # Hanbit Bank and Donghae Bank, plus two regional banks at 4% and 3%.
        data["bank_shareholding_total_pct"] = "60"
    return data


_PROGRAMMES = {
    "krw_stablecoin": (
        "1~6개월: 한빛은행·동해은행 앱 지갑 연동과 가맹점 200곳 시범 결제. 7~18개월: "
        "온라인 쇼핑몰과 배달 앱 결제로 확대, 기업 간 정산 도입. 19~36개월: 국내 "
        "거래소 상장과 해외 송금 파트너 연계(외국환거래법 신고 완료 후)."
    ),
    "tokenized_deposit": (
        "1~12개월: 한국은행 기관용 디지털화폐 결제망과 연계한 예금토큰 시범 "
        "운영(기업 고객 정산). 13~36개월: 개인 고객 결제와 정부 보조금 지급으로 확대."
    ),
    "security_token": (
        "1~6개월: 성수동 오피스 빌딩 신탁 수익증권 토큰 공모. 7~36개월: 분기 "
        "배당 지급, 장외 유통 플랫폼 연계, 두 번째 부동산 기초자산 발행."
    ),
    "other_virtual_asset": (
        "1~12개월: 누리플레이 게임 내 보상 토큰 발행과 이용자 지갑 "
        "출시. 13~36개월: 제휴 게임사 확대와 국내 거래소 상장 추진."
    ),
}


def _business_plan(category: str, start: date, months: int) -> dict:
    projections = []
    for offset in range(months):
        month = add_months(start, offset)
        growth = offset + 1
        projections.append(
            {
                "month": month.isoformat()[:7],
                "revenue_krw": 40_000_000 * growth,
                "operating_expenses_krw": 650_000_000 + 5_000_000 * growth,
                "own_funds_krw": 48_000_000_000 - 300_000_000 * growth
                if category == "krw_stablecoin"
                else 1_150_000_000 + 10_000_000 * growth,
                "outstanding_issuance_krw": 5_000_000_000 * growth,
            }
        )
    return {
        "plan_starts_on": start.isoformat(),
        "programme_of_operations": _PROGRAMMES[category],
        "distribution_channels": (
            "발행인 앱과 제휴 은행 앱, 제휴 가맹점 결제 단말, 등록된 가상자산사업자."
        ),
        "target_users": (
            "국내 거주 성인 개인과 법인. 미성년자와 제재 대상 국가 거주자에게는 제공하지 않습니다."
        ),
        "monthly_projections": projections,
    }


def _token_design(category: str) -> dict:
    issuer = SAMPLE_ISSUERS[category]
    permissioned = category in ("tokenized_deposit", "security_token")
    data = {
        "token_name": issuer["token_name"],
        "token_symbol": issuer["token_symbol"],
        "ledgers": [
            {
                "network": "Hyperledger Besu (허가형)" if permissioned else "Ethereum",
                "ledger_type": "private_permissioned" if permissioned else "public_permissionless",
                "smart_contract_address": "0x5c6a2f1e0b9d4c3a8e7f6d5c4b3a29180f7e6d5c",
                "consensus": "QBFT" if permissioned else "지분증명(PoS)",
                "settlement_finality": (
                    "블록이 확정되면 즉시 최종 확정됩니다(QBFT 즉시 완결성)."
                    if permissioned
                    else "2 에포크(약 13분) 후 최종 확정으로 처리합니다."
                ),
            }
        ],
        "issuance_mechanism": (
            "실명 확인된 이용자가 원화를 입금하면 같은 금액의 토큰을 발행 계약이 민팅합니다."
        ),
        "redemption_mechanism": (
            "상환 요청 시 토큰을 소각하고 등록된 은행 계좌로 원화를 지급합니다."
        ),
        "planned_maximum_issuance": 200_000_000_000,
    }
    if category == "krw_stablecoin":
        data["ledgers"].append(
            {
                "network": "Kaia",
                "ledger_type": "public_permissioned",
                "smart_contract_address": "0x8b1e4d7a2c5f9e0b3d6a1c4f7e2b5d8a0c3f6e91",
                "consensus": "PBFT 변형(Kaia 합의)",
                "settlement_finality": "블록 생성 즉시(약 1초) 최종 확정됩니다.",
            }
        )
        data["bridges"] = (
            "Ethereum-Kaia 간 소각·민팅 방식 브리지. 발행인이 "
            "직접 운영하며 외부 브리지는 허용하지 않습니다."
        )
    if category == "tokenized_deposit":
        data["interbank_settlement"] = (
            "다른 은행 고객과의 이전은 한국은행 기관용 디지털화폐로 실시간 결제합니다."
        )
        data["issuance_mechanism"] = (
            "예금 잔액을 예금토큰으로 전환하면 같은 금액을 토큰으로 발행합니다."
        )
        data["redemption_mechanism"] = "예금토큰을 예금 잔액으로 되돌리면 토큰을 소각합니다."
    if category == "security_token":
        data["planned_maximum_issuance"] = 4_000_000
        data["security_type"] = "beneficiary_certificate"
        data["ksd_registration_number"] = "KSD-ER-2026-000123"
        data["account_management"] = "securities_firm"
        data["account_manager_name"] = "새봄증권 주식회사"
        data["issuance_mechanism"] = (
            "증권신고서 효력 발생 후 공모 청약자에게 1단위 5,000원으로 배정합니다."
        )
        data["redemption_mechanism"] = "신탁 종료 시 매각 대금을 배분하고 토큰을 말소합니다."
    if category == "other_virtual_asset":
        data["planned_maximum_issuance"] = 1_000_000_000
        data["issuance_mechanism"] = (
            "총량 10억 개를 발행 계약에서 한 번에 발행하고 게임 보상으로 단계적으로 배분합니다."
        )
        data["redemption_mechanism"] = "상환하지 않으며, 게임 아이템 구매에 쓰인 토큰은 소각합니다."
    return data


def _capital(category: str, today: date) -> dict:
    amount = 50_000_000_000 if category == "krw_stablecoin" else 1_200_000_000
    return {
        "paid_in_capital_krw": amount,
        "capital_as_of": (today - timedelta(days=30)).isoformat(),
        "capital_evidence": (
            "최근 사업연도 감사보고서의 재무상태표와 법인 등기사항증명서의 자본금 항목."
        ),
    }


def _reserve() -> dict:
    return {
        "coverage_target_pct": "102",
        "target_composition": [
            {"asset_type": "bank_deposit", "share_pct": "30", "held_at": "한빛은행"},
            {"asset_type": "bank_deposit", "share_pct": "15", "held_at": "동해은행"},
            {
                "asset_type": "korean_government_bond",
                "share_pct": "25",
                "held_at": "한빛은행",
                "max_maturity_days": 90,
            },
            {
                "asset_type": "monetary_stabilisation_bond",
                "share_pct": "15",
                "held_at": "동해은행",
                "max_maturity_days": 63,
            },
            {
                "asset_type": "overnight_repo",
                "share_pct": "10",
                "held_at": "한빛은행",
                "max_maturity_days": 1,
            },
            {"asset_type": "government_mmf", "share_pct": "5", "held_at": "동해은행"},
        ],
        "custodians": [
            {
                "bank_name": "한빛은행",
                "segregated": True,
                "bankruptcy_remote": True,
                "agreement_reference": "HB-CUST-2026-01",
            },
            {
                "bank_name": "동해은행",
                "segregated": True,
                "bankruptcy_remote": True,
                "agreement_reference": "DH-CUST-2026-04",
            },
        ],
        "reserve_auditor": "한결회계법인",
        "valuation_policy": (
            "매 영업일 종가로 평가하고, 유통량 대비 102% 아래로 내려가면 당일 예금을 보충합니다."
        ),
    }


def _redemption() -> dict:
    return {
        "redeems_at_par": True,
        "payout_business_days": 1,
        "charges_fees": False,
        "request_channels": (
            "발행인 앱과 제휴 은행 앱에서 24시간 신청. 오후 "
            "4시까지 접수분은 다음 영업일에 지급합니다."
        ),
        "stress_procedure": (
            "하루 상환 요청이 유통량의 10%를 넘으면 익일물 "
            "RP와 MMF부터 현금화하고 접수 순서대로 지급합니다."
        ),
        "pays_interest_or_yield": False,
    }


def _governance(category: str) -> dict:
    return {
        "compliance_officer_name": "정다인",
        "compliance_officer_email": f"compliance@{SAMPLE_ISSUERS[category]['domain']}",
        "risk_management_framework": (
            "위험관리위원회가 분기마다 위험 한도를 정하고, "
            "위험관리책임자가 매일 점검해 이사회에 보고합니다."
        ),
        "risks_covered": [
            "market",
            "liquidity",
            "concentration",
            "operational",
            "ict",
            "legal",
            "ml_tf",
        ],
        "internal_audit": "감사위원회 직속 내부감사팀이 연 2회 전 부서를 감사합니다.",
        "external_auditor": "한결회계법인",
    }


def _ict_security(today: date) -> dict:
    issued = today - timedelta(days=200)
    return {
        "certificate_type": "isms_p",
        "certificate_number": f"ISMS-P-KISA-{issued.year}-031",
        "certificate_issuer": "한국인터넷진흥원(KISA)",
        "issued_on": issued.isoformat(),
        "expires_on": (add_months(issued, 36) - timedelta(days=1)).isoformat(),
        "scope": "토큰 발행·상환 시스템, 지갑 서비스, 이용자 앱과 이를 운영하는 데이터센터.",
    }


def _aml_cft(category: str) -> dict:
    data = {
        "aml_officer_name": "윤지호",
        "aml_officer_email": f"aml@{SAMPLE_ISSUERS[category]['domain']}",
        "aml_programme": (
            "위험기반 고객확인, 실시간 거래 모니터링, "
            "의심거래보고, 연 1회 전 직원 교육, 외부 독립 점검."
        ),
        "travel_rule_solution": "CODE (코드)",
        "fiat_moves_through_issuer": category != "security_token",
    }
    if category != "security_token":
        data["real_name_account_bank"] = (
            "한빛은행" if category != "other_virtual_asset" else "동해은행"
        )
    return data


def _white_paper(category: str, today: date) -> dict:
    data = {
        "white_paper_version": "1.0",
        "white_paper_date": (today - timedelta(days=14)).isoformat(),
        "holder_rights": "보유자는 발행인에게 언제든 액면가 상환을 청구할 수 있습니다.",
        "principal_risks": "기술적 결함, 해킹, 보관 은행의 운영 중단, 규제 변경의 위험이 있습니다.",
        "issuer_summary": (
            with_particles(
                f"{SAMPLE_ISSUERS[category]['legal_name_ko']}은(는) 국내에 설립된 주식회사입니다."
            )
        ),
        "technology_summary": (
            "감사를 받은 스마트 계약과 다중 서명 관리 키로 발행과 소각을 통제합니다."
        ),
    }
    if category == "security_token":
        data["holder_rights"] = (
            "보유자는 신탁 수익(임대료)의 분기 배당과 신탁 종료 시 매각 대금을 지분만큼 받습니다."
        )
        filed = today - timedelta(days=20)
        data["securities_registration_statement_ref"] = filed.strftime("%Y%m%d") + "000123"
    if category == "other_virtual_asset":
        data["holder_rights"] = (
            "보유자는 누리플레이 게임 아이템을 구매할 수 "
            "있으며, 발행인에 대한 상환 청구권은 없습니다."
        )
    return data


def _cross_border() -> dict:
    return {
        "foreign_transfer_monitoring": (
            "해외 거래소와 외국 주소로의 이전을 트래블룰과 "
            "주소 분석 도구로 식별해 실시간 감시합니다."
        ),
        "flow_reporting": (
            "매월 상대 국가별 유입·유출 건수와 원화 금액을 한국은행과 금융감독원에 보고합니다."
        ),
        "fx_act_compliance": (
            "해외 송금성 이전은 외국환은행을 통해 신고하고, 연간 한도를 넘는 이전은 차단합니다."
        ),
        "responsible_officer": "정다인",
    }


def _consumer_protection(category: str) -> dict:
    data = {
        "complaints_procedure": (
            "앱, 이메일, 전화로 접수하고 영업일 기준 7일 안에 답변하며, "
            "미해결 건은 금융감독원 분쟁조정 절차를 안내합니다."
        ),
        "complaints_email": f"help@{SAMPLE_ISSUERS[category]['domain']}",
        "holder_disclosures": (
            "홈페이지에 매월 준비자산 현황과 상환 통계를, 사고 발생 시 즉시 공지합니다."
        ),
    }
    if category == "tokenized_deposit":
        data["deposit_insurance_disclosure"] = (
            "예금토큰은 예금이므로 「예금자보호법」에 따라 다른 예금과 "
            "합산하여 1인당 1억 원까지 보호됨을 지갑 화면과 약관에 표시합니다."
        )
    return data


def _declaration(category: str, today: date) -> dict:
    return {
        "officer_name": "김서연",
        "officer_title": "대표이사",
        "officer_email": f"ceo@{SAMPLE_ISSUERS[category]['domain']}",
        "confirmed": True,
        "signed_at": datetime.combine(today, time(10, 0), KST).isoformat(),
    }


def sample_sections(
    category: str, today: date | None = None, profile: RegimeProfile | None = None
) -> dict[str, dict]:
    """Valid answers for every section `category` has under `profile`."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; known: {CATEGORIES}")
    today = today or date.today()
    profile = profile or default_profile()
    plan_start = add_months(today.replace(day=1), 1)
    sections = {
        "applicant": _applicant(category),
        "ownership": _ownership(category),
        "business_plan": _business_plan(category, plan_start, profile.business_plan_months),
        "token_design": _token_design(category),
        "capital": _capital(category, today),
        "reserve": _reserve(),
        "redemption": _redemption(),
        "governance": _governance(category),
        "ict_security": _ict_security(today),
        "aml_cft": _aml_cft(category),
        "white_paper": _white_paper(category, today),
        "cross_border": _cross_border(),
        "consumer_protection": _consumer_protection(category),
        "declaration": _declaration(category, today),
    }
    return {spec.name: sections[spec.name] for spec in sections_for(category, profile)}
