"""Every kind of filing comes out as a PDF/A-3a that reads in Korean, is set only
in the fonts the project ships, and carries its filed JSON."""

import gc
import json
from datetime import UTC, date, datetime
from functools import cache

import pytest
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from forms.report_samples import reserve_report
from forms.reports import ReserveReportSchema
from forms.sections.samples import sample_sections
from service.canonical import canonical_json
from service.filings.pdf import (
    FONTS,
    TEMPLATES,
    ProjectFilesOnly,
    RenderingFailed,
    render,
    render_filing,
    template_for,
)
from tests.service.pdfs import (
    attachment_relationships,
    attachments,
    embedded_fonts,
    has_text,
    pdfa_part,
    reader,
    structure_tags,
    text_of,
)
from workflows.korean import PARTICLES

FILED_AT = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 10:30 in Seoul
# Rare syllables: KRDS's subset font lacks them; the full PretendardGOV has all 11,172.
RARE = "똠얌꿻뷁"

CONTENTS = {
    "application": {
        "transition": "submit",
        "from_state": "draft",
        "to_state": "submitted",
        "sections": sample_sections("krw_stablecoin", date(2026, 11, 24)),
        "documents": [
            {
                "document_type": "white_paper",
                "filename": "백서.pdf",
                "size": 183_004,
                "sha256": "9f" * 32,
            }
        ],
        "comment": f"신청 의견: {RARE}",
    },
    "information_request": {
        "transition": "request_information",
        "from_state": "assessment",
        "to_state": "information_requested",
        "questions": ["준비자산 보관 은행과의 계약서를 제출하십시오.", "상환 절차를 설명하십시오."],
        "due_on": "2026-12-10",
    },
    "response": {
        "transition": "respond",
        "from_state": "information_requested",
        "to_state": "assessment",
        "questions": ["준비자산 보관 은행과의 계약서를 제출하십시오."],
        "answers": ["한빛은행과 체결한 보관계약서를 첨부합니다."],
        "requested_on": "2026-11-20",
    },
    "decision": {
        "transition": "approve",
        "from_state": "recommended",
        "to_state": "registered",
        "decision": "approve",
        "registration_number": "KVI-2026-0001",
        "registered_on": "2026-11-24",
        "valid_until": "2029-11-23",
        "conditions": ["분기별 준비자산 대사 결과를 보고할 것"],
        "comment": "모든 요건을 충족함",
    },
    # As service.applications.operations files it on approval.
    "certificate": {
        "registration_number": "KVI-2026-0001",
        "issuer": {"name_ko": "한빛스테이블 주식회사", "name_en": "Hanbit Stable"},
        "category": "krw_stablecoin",
        "token": {"name": "Hanbit Won", "symbol": "HBKRW"},
        "registered_on": "2026-11-24",
        "valid_until": "2029-11-23",
        "conditions": ["분기별 준비자산 대사 결과를 보고할 것"],
    },
    # As service.monitoring.reports.submit_report files it.
    "report:reserve_report": {
        "registration_number": "KVI-2026-0001",
        "report_kind": "reserve_report",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "due_on": "2026-11-14",
        "filed_on": "2026-11-13",
        "late": False,
        "report": ReserveReportSchema().dump(
            ReserveReportSchema().load(reserve_report(date(2026, 10, 1), 100_000_000_000))
        ),
    },
    "withdrawal_notice": {
        "transition": "withdraw",
        "from_state": "submitted",
        "to_state": "withdrawn",
        "payload": {"reason": "사업 계획 변경으로 신청을 철회합니다."},
    },
}
REFUSAL = {
    "transition": "refuse",
    "from_state": "recommended",
    "to_state": "refused",
    "payload": {"grounds": ["requirements_not_met"], "reasons": "자기자본 요건 미달"},
}


def filed(kind: str, content: dict, accession: str = "VAR-2026-000123") -> dict:
    return {
        "accession_number": accession,
        "kind": kind,
        "filed_at": FILED_AT,
        "filed_by": "issuer@hanbit.example",
        "application_id": 7,
        "organization": {"id": 1, "name_ko": "한빛스테이블 주식회사", "name_en": "Hanbit Stable"},
        "category": "krw_stablecoin",
        "content": content,
    }


@cache
def rendered(kind: str, refusal: bool = False) -> tuple[bytes, str]:
    """Each kind is rendered once per run (a render takes a good part of a second)."""
    document = filed(kind, REFUSAL if refusal else CONTENTS[kind])
    text = canonical_json(document)
    return render_filing(json.loads(text), text), text


KINDS = list(CONTENTS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_as_pdfa_3a_with_its_json_attached_as_data(kind):
    pdf, text = rendered(kind)
    assert pdf.startswith(b"%PDF-")
    assert pdfa_part(pdf) == ("3", "A")
    assert attachments(pdf) == {"VAR-2026-000123.json": text.encode()}
    assert attachment_relationships(pdf) == {"VAR-2026-000123.json": "/Data"}
    metadata = reader(pdf).metadata
    assert metadata.subject == "VAR-2026-000123"
    assert "VAR-2026-000123" in metadata.title
    assert "금융위원회" in metadata.author


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_tagged_so_a_screen_reader_reads_it_in_korean(kind):
    """PDF/A-3a (ISO 19005-3 level A) requires a tagged, logically structured file with
    its natural language declared: the reading order, headings and table cells a
    screen reader announces come from the structure tree."""
    pdf, _ = rendered(kind)
    root = reader(pdf).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]) == "ko"
    tags = structure_tags(pdf)
    assert tags["Document"] == 1
    assert tags["H1"] >= 1, tags
    # Every filing lays out its facts as tables: their cells are tagged as cells.
    assert tags["Table"] >= 1 and tags["TR"] >= 1 and tags["TD"] + tags["TH"] >= 2, tags


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_reads_with_its_korean_particles_chosen(kind):
    """The particle agrees with the name: "신청인 한빛스테이블 주식회사를", not "주식회사을(를)"."""
    pdf, _ = rendered(kind)
    text = text_of(pdf)
    assert not [written for written in PARTICLES if written in text], text


LETTERS = ["decision", "certificate"]


@pytest.mark.parametrize("kind", LETTERS)
def test_the_regulators_letters_open_with_number_date_and_addressee_and_end_with_the_record(kind):
    """A decision or certificate reads as an official document: the document number, the
    date of issue and the addressee head it, as in the official document form (기안문·시행문)
    of the 행정업무의 운영 및 혁신에 관한 규정 시행규칙; the filing's own record follows the
    text instead of preceding it."""
    pdf, _ = rendered(kind)
    text = text_of(pdf)
    assert has_text(pdf, "문서번호DocumentnumberVAR-2026-000123")
    assert has_text(pdf, "시행일Dateofissue2026.11.24.24November2026")
    assert has_text(pdf, "수신To한빛스테이블주식회사HanbitStable")
    outcome = "증명합니다" if kind == "certificate" else "등록을승인합니다"
    assert text.index("문서번호") < text.index(outcome) < text.index("문서정보Filingrecord")
    assert text.index("문서정보Filingrecord") < text.index("제출일시Filedat")
    assert has_text(pdf, "전자 직인")


def test_a_filing_of_the_issuer_keeps_its_cover_first_and_no_letterhead():
    pdf, _ = rendered("application")
    text = text_of(pdf)
    assert "문서번호" not in text and "Filingrecord" not in text
    assert text.index("접수번호Accessionnumber") < text.index("신청인")


def test_the_certificate_names_the_token_in_korean_and_prints_no_field_code():
    pdf, _ = rendered("certificate")
    assert has_text(pdf, "가상자산 Virtual asset Hanbit Won (HBKRW)")
    text = text_of(pdf)
    for code in ("name_ko", "name_en", "symbol", "krw_stablecoin", "Furtherparticulars"):
        assert code not in text, code


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_set_only_in_the_shipped_pretendard_gov_fonts(kind):
    pdf, _ = rendered(kind)
    fonts = embedded_fonts(pdf)
    assert fonts, "no font at all"
    assert all(name.startswith("Pretendard-GOV") for name in fonts), fonts


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_a_cover_with_accession_issuer_and_korean_time(kind):
    pdf, _ = rendered(kind)
    assert has_text(pdf, "VAR-2026-000123", "한빛스테이블 주식회사", "원화 스테이블코인")
    assert has_text(pdf, "2026-11-24 10:30:00 KST")
    assert has_text(pdf, "1 / ")  # page x of y in the footer


def test_the_application_prints_every_section_with_the_forms_labels_in_korean():
    pdf, _ = rendered("application")
    assert len(reader(pdf).pages) >= 5
    assert has_text(
        pdf,
        "가상자산 발행인 등록 신청서",
        "신청인",
        "법인명(국문)",
        "준비자산 및 보관",
        "확인 및 서명",
        "백서.pdf",
        "9f" * 32,
        RARE,
    )


def test_the_information_request_and_its_response_print_questions_and_answers():
    request, _ = rendered("information_request")
    assert has_text(
        request, "자료 제출 요구서", "준비자산 보관 은행과의 계약서를 제출하십시오.", "2026-12-10"
    )
    response, _ = rendered("response")
    assert has_text(response, "한빛은행과 체결한 보관계약서를 첨부합니다.", "질문1")


def test_the_decision_letter_states_approval_with_conditions_or_refusal_with_grounds():
    approval, _ = rendered("decision")
    assert has_text(
        approval, "등록을 승인합니다", "KVI-2026-0001", "분기별 준비자산 대사 결과를 보고할 것"
    )
    refusal, _ = rendered("decision", refusal=True)
    assert has_text(
        refusal, "등록을 거부합니다", "해당 유형의 등록 요건 미충족", "자기자본 요건 미달"
    )


def test_the_certificate_and_a_periodic_report_render_from_their_content():
    certificate, _ = rendered("certificate")
    assert has_text(certificate, "가상자산 발행인 등록증", "KVI-2026-0001", "2029-11-23")
    report, _ = rendered("report:reserve_report")
    assert template_for("report:reserve_report")[1] == "kinds/periodic_report.html"
    # The cover names the report; the figures carry the report schema's labels and units.
    assert has_text(report, "정기 보고서: 준비자산 보고서", "Periodic report: Reserve report")
    assert has_text(report, "보고 개요", "기간 시작", "2026-10-01", "제출 기한", "2026-11-14")
    assert has_text(report, "보고 내용", "발행 잔액(원)", "100,000,000,000원")
    assert has_text(report, "은행 예금", "국고채")  # asset types by their labels, not codes


def test_a_kind_without_its_own_template_falls_back_to_labelled_tables():
    assert template_for("withdrawal_notice")[-1] == "kinds/generic.html"
    pdf, _ = rendered("withdrawal_notice")
    assert has_text(pdf, "신청 철회서", "사업 계획 변경으로 신청을 철회합니다.")


def test_user_text_with_html_and_local_urls_is_printed_as_text_and_fetches_nothing():
    hostile = '<img src="file:///etc/passwd"> <img src="http://169.254.169.254/latest/meta-data/">'
    document = filed("withdrawal_notice", {"payload": {"reason": hostile}})
    text = canonical_json(document)
    pdf = render_filing(json.loads(text), text)
    extracted = text_of(pdf)
    assert '<imgsrc="file:///etc/passwd">' in extracted
    assert "root:" not in extracted
    assert len(reader(pdf).pages) == 1


def test_the_url_fetcher_refuses_everything_outside_templates_and_fonts():
    fetcher = ProjectFilesOnly()
    for url in (
        "file:///etc/passwd",
        f"file://{TEMPLATES}/../../instance/config.py",
        "http://127.0.0.1:5000/",
        "https://example.org/a.png",
        "data:image/png;base64,AAAA",
    ):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    response = fetcher.fetch((FONTS / "LICENSE.txt").as_uri())
    assert b"SIL" in response.read()
    response.close()


def test_a_render_that_asks_for_a_foreign_file_stops_instead_of_leaking():
    html = HTML(string='<p>x</p><img src="file:///etc/passwd">', url_fetcher=ProjectFilesOnly())
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()


def test_a_render_leaves_the_garbage_collector_on_and_its_garbage_collected():
    """A render pauses the cyclic collector for its own duration only
    (docs/performance.md, "Filing PDFs"): after a render, and after one that fails,
    the collector is on again and the render's cycles are gone."""
    document = filed("withdrawal_notice", {"payload": {"reason": "사업 계획 변경"}})
    text = canonical_json(document)
    render_filing(json.loads(text), text)
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(3):
        render_filing(json.loads(text), text)
    assert gc.isenabled()
    assert len(gc.get_objects()) - before < 1_000
    with pytest.raises(RenderingFailed):
        render("kinds/does-not-exist.html", {}, title="x", subject="x")
    assert gc.isenabled()
