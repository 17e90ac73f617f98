"""Report schemas: shape only; rule breaches load cleanly and become findings."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError, fields

from forms.reports import (
    REPORT_SCHEMAS,
    AuditedFinancialsSchema,
    ChangeReportSchema,
    CrossBorderFlowsSchema,
    IncidentReportSchema,
    QuarterlyReportSchema,
    RedemptionStatisticsSchema,
    ReserveReportSchema,
)
from workflows.bilingual import use_locale
from workflows.monitoring import REPORT_KINDS, CheckContext, check_report
from workflows.regime import KR_2026


def certification(name):
    return {"name": name, "certified": True, "certified_on": "2026-10-12"}


def reserve_report(**changes):
    report = {
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "outstanding_issuance_krw": "1000000000",
        "reserve_assets": [
            {
                "asset_type": "bank_deposit",
                "custodian_bank": "KB Kookmin Bank",
                "market_value_krw": "400000000",
            },
            {
                "asset_type": "government_bond",
                "custodian_bank": "Shinhan Bank",
                "market_value_krw": "550000000",
                "maturity_date": "2026-11-30",
                "instrument_issuer": "Republic of Korea",
            },
        ],
        "custodians": [{"bank_name": "KB Kookmin Bank", "segregated": True}],
        "attesting_cpa_firm": "Samil PwC",
        "attestation_date": "2026-10-10",
        "ceo_certification": certification("Kim Min-jun"),
        "cfo_certification": certification("Lee Seo-yeon"),
    }
    report.update(changes)
    return report


def errors_of(schema, data, locale="en"):
    with use_locale(locale), pytest.raises(ValidationError) as caught:
        schema().load(data)
    return caught.value.messages


def test_a_reserve_report_with_95_percent_coverage_is_valid_and_produces_a_critical_finding():
    loaded = ReserveReportSchema().load(reserve_report())
    assert loaded["outstanding_issuance_krw"] == Decimal("1000000000")
    findings = check_report("reserve_report", loaded, CheckContext(KR_2026, "krw_stablecoin"))
    assert [(f.rule, f.severity) for f in findings] == [
        ("reserve_coverage_below_minimum", "critical")
    ]


def test_a_loaded_report_dumps_to_json_without_losing_digits():
    schema = ReserveReportSchema()
    dumped = schema.dump(schema.load(reserve_report(outstanding_issuance_krw="1000000000.25")))
    assert json.loads(json.dumps(dumped))["outstanding_issuance_krw"] == "1000000000.25"


def test_a_negative_amount_is_refused_in_the_current_language():
    data = reserve_report(outstanding_issuance_krw="-1")
    assert errors_of(ReserveReportSchema, data) == {
        "outstanding_issuance_krw": ["Must not be negative."]
    }
    assert errors_of(ReserveReportSchema, data, "ko") == {
        "outstanding_issuance_krw": ["음수일 수 없습니다."]
    }


def test_a_missing_field_and_a_bad_date_are_reported_in_korean():
    data = reserve_report(attestation_date="2026-13-01")
    del data["attesting_cpa_firm"]
    assert errors_of(ReserveReportSchema, data, "ko") == {
        "attesting_cpa_firm": ["필수 입력 항목입니다."],
        "attestation_date": ["날짜를 YYYY-MM-DD 형식으로 입력하십시오."],
    }


def test_one_schema_built_at_import_speaks_the_locale_of_each_request():
    schema = ReserveReportSchema()
    data = reserve_report(outstanding_issuance_krw="-1")
    with use_locale("ko"), pytest.raises(ValidationError) as korean:
        schema.load(data)
    with use_locale("en"), pytest.raises(ValidationError) as english:
        schema.load(data)
    assert korean.value.messages != english.value.messages


def test_an_unknown_field_is_refused():
    assert errors_of(ReserveReportSchema, reserve_report(yield_paid="0")) == {
        "yield_paid": ["This field is not part of the report."]
    }


def test_the_ceo_and_cfo_must_each_give_the_certification():
    data = reserve_report(cfo_certification={**certification("Lee"), "certified": False})
    assert errors_of(ReserveReportSchema, data) == {
        "cfo_certification": {"certified": ["The certification must be given."]}
    }


def test_a_bond_needs_its_maturity_date_and_issuer_but_a_deposit_does_not():
    data = reserve_report(
        reserve_assets=[
            {"asset_type": "bank_deposit", "custodian_bank": "KB", "market_value_krw": "1"},
            {
                "asset_type": "monetary_stabilisation_bond",
                "custodian_bank": "KB",
                "market_value_krw": "1",
            },
        ]
    )
    assert errors_of(ReserveReportSchema, data) == {
        "reserve_assets": {
            1: {
                "maturity_date": ["Give the maturity date of this instrument."],
                "instrument_issuer": ["Name the issuer of this instrument."],
            }
        }
    }


def test_an_ineligible_asset_type_loads_so_the_rule_can_flag_it():
    data = reserve_report(
        reserve_assets=[
            {
                "asset_type": "equity",
                "custodian_bank": "KB",
                "market_value_krw": "1",
                "instrument_issuer": "Samsung Electronics",
            },
        ]
    )
    assert ReserveReportSchema().load(data)["reserve_assets"][0]["asset_type"] == "equity"
    bad = reserve_report(
        reserve_assets=[{"asset_type": "gold", "custodian_bank": "KB", "market_value_krw": "1"}]
    )
    message = errors_of(ReserveReportSchema, bad)["reserve_assets"][0]["asset_type"][0]
    assert message.startswith("Choose one of: cash, bank_deposit,")


def test_a_monthly_report_covers_one_calendar_month():
    assert errors_of(ReserveReportSchema, reserve_report(period_end="2026-09-29")) == {
        "period_end": [
            "A monthly report covers one calendar month, from the 1st (in the month of "
            "registration, from the registration day) to the month's last day."
        ]
    }
    # A first month starting on the registration day, to the month's end, loads.
    first = reserve_report(period_start="2026-09-15", period_end="2026-09-30")
    assert ReserveReportSchema().load(first)["period_start"] == date(2026, 9, 15)
    over_the_month = reserve_report(period_start="2026-09-15", period_end="2026-10-14")
    assert list(errors_of(ReserveReportSchema, over_the_month)) == ["period_end"]
    assert errors_of(ReserveReportSchema, reserve_report(period_end="2026-08-31"), "ko") == {
        "period_end": ["종료일은 시작일과 같거나 그 이후여야 합니다."]
    }


def test_february_ends_on_the_28th_in_2026():
    data = reserve_report(period_start="2026-02-01", period_end="2026-02-28")
    assert ReserveReportSchema().load(data)["period_end"].day == 28


def flows(rows):
    return {
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "outstanding_issuance_krw": "1000000000",
        "rows": rows,
    }


def row(country="US", kind="foreign_exchange", inbound="0", outbound="0"):
    return {
        "country": country,
        "counterparty_type": kind,
        "inbound_krw": inbound,
        "outbound_krw": outbound,
    }


def test_cross_border_rows_are_by_foreign_country_and_kind_of_counterparty():
    loaded = CrossBorderFlowsSchema().load(flows([row(), row(kind="foreign_address")]))
    assert len(loaded["rows"]) == 2
    assert errors_of(CrossBorderFlowsSchema, flows([row(country="KR")])) == {
        "rows": {0: {"country": ["Cross-border rows are for foreign counterparties."]}}
    }
    assert errors_of(CrossBorderFlowsSchema, flows([row(country="usa")])) == {
        "rows": {0: {"country": ["Enter a two-letter ISO 3166 country code, such as US."]}}
    }
    assert errors_of(CrossBorderFlowsSchema, flows([row(), row(outbound="5")])) == {
        "rows": ["US (foreign_exchange) appears twice; add the figures into one row."]
    }


def redemptions(**changes):
    data = {
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "requests_count": 10,
        "requested_amount_krw": "5000000",
        "paid_within_deadline_count": 9,
        "paid_late_count": 1,
        "longest_payment_business_days": 7,
    }
    data.update(changes)
    return data


def test_late_redemptions_load_but_the_counts_must_add_up():
    assert RedemptionStatisticsSchema().load(redemptions())["paid_late_count"] == 1
    assert errors_of(RedemptionStatisticsSchema, redemptions(paid_late_count=2), "ko") == {
        "requests_count": ["지급 건수(11)가 요청 건수(10)보다 많을 수 없습니다."]
    }
    assert errors_of(RedemptionStatisticsSchema, redemptions(requests_count="ten")) == {
        "requests_count": ["Enter a whole number."]
    }


def test_a_quarterly_report_covers_one_calendar_quarter():
    data = {
        "period_start": "2026-04-01",
        "period_end": "2026-06-30",
        "holders_count": 12000,
        "average_daily_transactions_count": "3500.5",
        "average_daily_transactions_value_krw": "2100000000",
        "issued_value_krw": "120000000000",
    }
    assert QuarterlyReportSchema().load(data)["holders_count"] == 12000
    shifted = {**data, "period_start": "2026-05-01", "period_end": "2026-07-31"}
    assert list(errors_of(QuarterlyReportSchema, shifted)) == ["period_end"]


def financials(**changes):
    data = {
        "financial_year_start": "2026-01-01",
        "financial_year_end": "2026-12-31",
        "own_funds_krw": "-300000000",
        "auditor": "Samil PwC",
        "opinion": "qualified",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("category", ["krw_stablecoin", "other_virtual_asset"])
def test_audited_financials_ask_for_the_issuance_where_it_decides_quarterly_reporting(category):
    """Outstanding issuance over ₩100bn enrols an issuer in quarterly reports (MiCA Art
    22(1); Implementing Reg. 2024/2902 Art 2(2)); an other-virtual-asset issuer files only
    these, so left out it would never be enrolled: it is required there."""
    schema = AuditedFinancialsSchema(category=category)
    assert schema.fields["outstanding_issuance_krw"].required is True
    with use_locale("en"), pytest.raises(ValidationError) as caught:
        schema.load(financials())
    assert caught.value.messages == {
        "outstanding_issuance_krw": [
            "Give the outstanding issuance: it decides whether quarterly reports are due "
            "(MiCA Art 22(1))."
        ]
    }
    with use_locale("ko"), pytest.raises(ValidationError) as caught:
        AuditedFinancialsSchema(category=category).load(financials(outstanding_issuance_krw=None))
    assert caught.value.messages["outstanding_issuance_krw"][0].startswith("발행 잔액을 입력")
    given = schema.load(financials(outstanding_issuance_krw="0"))
    assert given["outstanding_issuance_krw"] == Decimal(0)


@pytest.mark.parametrize("category", ["tokenized_deposit", "security_token", None])
def test_audited_financials_leave_the_issuance_optional_elsewhere(category):
    """Tokenized deposits and security tokens file no quarterly report (docs/domain.md s5)."""
    loaded = AuditedFinancialsSchema(category=category).load(financials())
    assert "outstanding_issuance_krw" not in loaded


def test_negative_own_funds_are_a_valid_figure_for_an_impaired_issuer():
    assert AuditedFinancialsSchema().load(financials())["own_funds_krw"] == Decimal("-300000000")


def test_a_financial_year_lasts_at_most_one_year():
    assert errors_of(AuditedFinancialsSchema, financials(financial_year_end="2027-01-01")) == {
        "financial_year_end": ["A financial year ends after it starts and lasts at most one year."]
    }
    short_first_year = financials(financial_year_start="2026-04-15")
    assert AuditedFinancialsSchema().load(short_first_year)["auditor"] == "Samil PwC"


def test_a_depeg_incident_needs_its_lowest_price_and_how_long_it_lasted():
    """The depeg rule needs the price and the hours below the floor (docs/domain.md s5)."""
    data = {
        "incident_kind": "depeg",
        "occurred_at": "2026-09-23T14:00:00+09:00",
        "description": "Sold down on a foreign exchange.",
    }
    assert errors_of(IncidentReportSchema, data) == {
        "lowest_price_krw": ["Give the lowest price for a depeg."],
        "hours_below_floor": ["Give how many hours the price stayed below the floor."],
    }
    assert errors_of(IncidentReportSchema, data, "ko")["hours_below_floor"] == [
        "가격이 하한 아래에 머문 시간을 입력해야 합니다."
    ]
    negative = {**data, "lowest_price_krw": "0.98", "hours_below_floor": "-1"}
    assert list(errors_of(IncidentReportSchema, negative)) == ["hours_below_floor"]
    outage = IncidentReportSchema().load({**data, "incident_kind": "outage"})
    assert outage["incident_kind"] == "outage"


def test_an_incident_time_without_a_zone_is_korean_time():
    data = {
        "incident_kind": "hack",
        "occurred_at": "2026-09-23T23:30",
        "description": "Hot wallet drained.",
    }
    occurred = IncidentReportSchema().load(data)["occurred_at"]
    assert occurred.utcoffset() == timedelta(hours=9)
    assert occurred.astimezone(UTC) == datetime(2026, 9, 23, 14, 30, tzinfo=UTC)


def test_an_isms_change_names_the_certificate_and_its_status():
    data = {"change_kind": "isms", "effective_on": "2026-11-01", "description": "Lapsed."}
    assert errors_of(ChangeReportSchema, data) == {
        "isms_certificate_number": ["Required for an ISMS change."],
        "isms_status": ["Required for an ISMS change."],
    }
    shareholder = {**data, "change_kind": "major_shareholder", "holding_percentage_after": "101"}
    assert errors_of(ChangeReportSchema, shareholder) == {
        "holding_percentage_after": ["Enter 0 to 100."]
    }


def test_a_krw_stablecoin_s_change_of_shareholders_gives_the_banks_total_after():
    """The bank-led consortium test is run again on every change (issue 18, item 7)."""
    data = {
        "change_kind": "major_shareholder",
        "effective_on": "2026-11-01",
        "description": "A bank sold its stake.",
        "holding_percentage_after": "20",
    }
    assert ChangeReportSchema().validate(data) == {}  # no category: asked of no one
    krw = ChangeReportSchema(category="krw_stablecoin")
    assert list(krw.validate(data)) == ["bank_shareholding_total_after_pct"]
    assert krw.validate({**data, "bank_shareholding_total_after_pct": "55"}) == {}
    assert ChangeReportSchema(category="security_token").validate(data) == {}


def test_there_is_a_schema_for_every_report_kind():
    assert set(REPORT_SCHEMAS) == set(REPORT_KINDS)


def walk(schema: Schema, path=""):
    for name, field in schema.fields.items():
        yield f"{path}{name}", field
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            yield from walk(inner.schema, f"{path}{name}.")


@pytest.mark.parametrize("kind", sorted(REPORT_SCHEMAS))
def test_every_field_has_a_bilingual_label_help_text_and_widget(kind):
    for name, field in walk(REPORT_SCHEMAS[kind]()):
        meta = field.metadata
        assert meta["label"].en and meta["label"].ko, name
        assert meta["help"].en and meta["help"].ko, name
        assert meta["widget"], name
        if meta["widget"] == "select":
            assert all(label.ko and label.en for _, label in meta["choices"]), name


def test_every_eligible_reserve_asset_type_is_offered_by_the_form():
    choices = {
        value
        for value, _ in ReserveReportSchema()
        .fields["reserve_assets"]
        .inner.schema.fields["asset_type"]
        .metadata["choices"]
    }
    assert KR_2026.reserve_eligible_asset_types <= choices
