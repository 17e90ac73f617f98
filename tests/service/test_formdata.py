"""One form reader for sections, reports and steps (service/formdata.py): the rules it
applies alike to each, on the real schemas (docs/design.md, "One form reader")."""

from datetime import date

from werkzeug.datastructures import MultiDict

from forms.reports import ReserveReportSchema
from forms.sections import SectionContext, section_schema
from forms.transitions import PAYLOAD_SCHEMAS
from service.formdata import read_form
from workflows.regime import profile


def _section(name: str):
    context = SectionContext("krw_stablecoin", profile(), date(2026, 12, 3))
    return section_schema(name, context)


def test_a_yes_no_answer_of_no_is_read_as_false_and_none_chosen_as_no_answer():
    schema = _section("reserve")
    form = MultiDict(
        {
            "custodians-0-bank_name": "한빛은행",
            "custodians-0-segregated": "false",
            "custodians-0-bankruptcy_remote": "",
        }
    )
    row = read_form(schema, form)["custodians"][0]
    assert row == {"bank_name": "한빛은행", "segregated": False}


def test_an_unticked_report_flag_means_no_but_an_unticked_declaration_is_no_answer():
    report = read_form(
        ReserveReportSchema(category="krw_stablecoin"),
        MultiDict({"custodians-0-bank_name": "한빛은행"}),
    )
    assert report["custodians"] == [{"bank_name": "한빛은행", "segregated": False}]
    declaration = read_form(_section("declaration"), MultiDict({"officer_title": "대표이사"}))
    assert "confirmed" not in declaration
    ticked = read_form(_section("declaration"), MultiDict({"confirmed": "true"}))
    assert ticked["confirmed"] is True


def test_a_boolean_that_is_neither_yes_nor_no_reaches_the_schema_to_be_refused():
    form = MultiDict({"custodians-0-bank_name": "은행", "custodians-0-segregated": "maybe"})
    assert read_form(_section("reserve"), form)["custodians"][0]["segregated"] == "maybe"


def test_a_cleared_row_is_dropped_in_a_section_and_in_a_report_alike():
    posted = {
        "custodians-0-bank_name": "한빛은행",
        "custodians-1-bank_name": "  ",
        "custodians-2-bank_name": "누리은행",
    }
    section = read_form(_section("reserve"), MultiDict(posted))
    report = read_form(ReserveReportSchema(category="krw_stablecoin"), MultiDict(posted))
    assert [row["bank_name"] for row in section["custodians"]] == ["한빛은행", "누리은행"]
    assert [row["bank_name"] for row in report["custodians"]] == ["한빛은행", "누리은행"]


def test_figures_keep_their_separators_for_the_field_and_lose_only_the_spaces_around():
    form = MultiDict({"outstanding_issuance_krw": "  ₩50,000,000,000 "})
    read = read_form(ReserveReportSchema(category="krw_stablecoin"), form)
    assert read["outstanding_issuance_krw"] == "₩50,000,000,000"


def test_a_field_the_service_sets_is_never_read_from_the_form():
    form = MultiDict({"confirmed": "true", "signed_at": "2020-01-01T00:00:00+09:00"})
    assert "signed_at" not in read_form(_section("declaration"), form)


def test_a_steps_checklist_and_its_own_lines_make_one_list():
    form = MultiDict(
        [
            ("missing_checked", "정관 사본"),
            ("missing", "주주명부\n\n  감사보고서  "),
            ("deadline", " 2026-12-24 "),
            ("comment", "   "),
        ]
    )
    payload = read_form(PAYLOAD_SCHEMAS["return_incomplete"], form)
    assert payload == {"missing": ["정관 사본", "주주명부", "감사보고서"], "deadline": "2026-12-24"}
