"""Changes a registered issuer applies for before they happen (docs/domain.md section 5,
changes approved in advance): a change of control, and a variation of what was registered
(a new token, a new ledger, a material change of business model or of the white paper).

The service decides nothing here by itself: these rules say which change needs prior
approval and what an approver may not approve.
"""

from decimal import Decimal

from workflows.bilingual import BiText, t
from workflows.regime import RegimeProfile

# What an issuer applies for; labels as the forms and letters show them.
CHANGE_APPROVAL_KINDS: dict[str, BiText] = {
    "control": t(
        "Acquisition or disposal of a qualifying holding (change of control)",
        "대주주 지분의 취득 또는 처분(지배권 변경)",
    ),
    "token": t("A new token", "새로운 토큰 발행"),
    "ledger": t("A new ledger (blockchain)", "새로운 분산원장(블록체인) 추가"),
    "business_model": t("A material change of the business model", "사업 모델의 중요한 변경"),
    "white_paper": t("A change of the white paper", "백서 변경"),
}
OUTCOMES: dict[str, BiText] = {
    "approved": t("Approved", "승인"),
    "refused": t("Refused", "거부"),
}


def thresholds_crossed(
    before: Decimal, after: Decimal, profile: RegimeProfile
) -> tuple[Decimal, ...]:
    """The control thresholds a holding moving from `before` to `after` percent crosses:
    reached or passed on the way up (an acquisition), fallen below on the way down (a
    disposal). MiCA Art 41(1) and 42(1): 10, 20, 30 and 50%."""
    low, high = sorted((before, after))
    # One test for both ways: rising from 10 to 20 reaches 20 (10 was held already);
    # falling from 20 to 10 falls below 20 and not below 10.
    return tuple(t for t in profile.control_thresholds_pct if low < t <= high)


def approval_refusal(
    kind: str, category: str, details: dict, profile: RegimeProfile
) -> BiText | None:
    """Why an approver may not approve this change, in both languages; None when nothing
    in the rulebook stands in the way. A change of control of a KRW stablecoin issuer
    runs the bank-led consortium test again on the banks' holding after it."""
    banks = details.get("bank_shareholding_total_after_pct")
    if kind != "control" or category != "krw_stablecoin" or banks is None:
        return None
    if profile.banks_lead(Decimal(str(banks))):
        return None
    need = "more than" if profile.consortium_bank_share_strictly_above else "at least"
    need_ko = "초과" if profile.consortium_bank_share_strictly_above else "이상"
    minimum = f"{profile.consortium_bank_share_min.normalize():f}"
    banks_text = f"{Decimal(str(banks)).normalize():f}"
    return t(
        f"After this change banks would hold {banks_text}%; a KRW stablecoin issuer's "
        f"banks must hold {need} {minimum}% (bank-led consortium rule). It can only be "
        "refused.",
        f"변경 후 은행 지분은 {banks_text}%로, 원화 스테이블코인 발행인의 은행 지분은 "
        f"{minimum}% {need_ko}이어야 합니다(은행 중심 컨소시엄 요건). 거부만 할 수 있습니다.",
    )
