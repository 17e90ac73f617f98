"""Well-formed monthly reports of a KRW stablecoin issuer, for the demo and the tests.

Figures are given in won; every builder returns the JSON an issuer would post
(strings for amounts and dates), which the schemas of `forms.reports` load.
"""

from datetime import date, timedelta

from workflows.monitoring.obligations import add_months


def month_end(month_start: date) -> date:
    """The last day of the month `month_start` is in (a first month may start mid-month)."""
    return add_months(month_start.replace(day=1), 1) - timedelta(days=1)


def _certification(name: str, on: date) -> dict:
    return {"name": name, "certified": True, "certified_on": on.isoformat()}


def reserve_report(
    month_start: date,
    outstanding: int,
    *,
    deposits: dict[str, int] | None = None,
    bonds: int = 0,
    bond_days: int = 60,
) -> dict:
    """A reserve of bank deposits (by bank) plus government bonds maturing in `bond_days`."""
    end = month_end(month_start)
    if deposits is None:
        half = outstanding // 2
        deposits = {"Hanbit Bank": half // 2, "Woori Bank": half - half // 2}
        bonds = outstanding - half
    assets = [
        {
            "asset_type": "bank_deposit",
            "custodian_bank": bank,
            "market_value_krw": str(amount),
        }
        for bank, amount in deposits.items()
    ]
    if bonds:
        assets.append(
            {
                "asset_type": "government_bond",
                "custodian_bank": "Korea Securities Depository",
                "market_value_krw": str(bonds),
                "maturity_date": (end + timedelta(days=bond_days)).isoformat(),
                "instrument_issuer": "Republic of Korea",
            }
        )
    signed = end + timedelta(days=5)
    return {
        "period_start": month_start.isoformat(),
        "period_end": end.isoformat(),
        "outstanding_issuance_krw": str(outstanding),
        "reserve_assets": assets,
        "custodians": [{"bank_name": bank, "segregated": True} for bank in deposits],
        "attesting_cpa_firm": "Samil PwC",
        "attestation_date": signed.isoformat(),
        "ceo_certification": _certification("Kim Min-jun", signed),
        "cfo_certification": _certification("Lee Seo-yeon", signed),
    }


def cross_border_flows(
    month_start: date, outstanding: int, flows: dict[str, tuple[int, int]]
) -> dict:
    """flows: {country: (inbound, outbound)} with foreign exchanges."""
    return {
        "period_start": month_start.isoformat(),
        "period_end": month_end(month_start).isoformat(),
        "outstanding_issuance_krw": str(outstanding),
        "rows": [
            {
                "country": country,
                "counterparty_type": "foreign_exchange",
                "inbound_krw": str(inbound),
                "outbound_krw": str(outbound),
            }
            for country, (inbound, outbound) in flows.items()
        ],
    }


def redemption_statistics(
    month_start: date, requests: int, late: int = 0, longest: int = 2
) -> dict:
    return {
        "period_start": month_start.isoformat(),
        "period_end": month_end(month_start).isoformat(),
        "requests_count": requests,
        "requested_amount_krw": str(requests * 10_000_000),
        "paid_within_deadline_count": requests - late,
        "paid_late_count": late,
        "longest_payment_business_days": longest,
    }
