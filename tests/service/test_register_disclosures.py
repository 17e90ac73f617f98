"""Each registration's public disclosures: HTML and JSON without login, nothing from the review."""

import hashlib
import json
import re

import pytest

from service.extensions import db
from service.models import Registration
from tests.service.factories import TODAY, Cast
from tests.service.pdfs import has_text, pdfa_part, text_of
from tests.service.test_api_lifecycle import move


@pytest.fixture
def cast(ctx):
    return Cast(category="krw_stablecoin")


def number_of(case) -> str:
    return db.session.query(Registration).filter_by(application_id=case.id).one().number


def test_the_disclosure_shows_issuer_tokens_status_history_conditions_and_documents(client, cast):
    case = cast.case_in("registered")
    number = number_of(case)
    cast.hear(case, "suspend", cast.supervisor)
    move(client, cast.supervisor, case.id, "suspend", {"reason": "Reserve shortfall."})
    move(client, cast.approver, case.id, "reinstate", {"reason": "Remedied."})

    answer = client.get(f"/api/v1/register/{number}")
    assert answer.status_code == 200
    body = answer.json
    assert body["registration_number"] == number
    assert body["issuer"] == {"name_ko": cast.org.name_ko, "name_en": cast.org.name_en}
    assert body["category"] == "krw_stablecoin"
    assert body["status"] == "registered"
    assert [h["status"] for h in body["history"]] == ["registered", "suspended", "reinstated"]
    assert body["conditions"] == ["Quarterly ledger reconciliation"]
    token = case.sections["token_design"]
    assert body["tokens"][0]["name"] == token["token_name"]
    assert body["tokens"][0]["symbol"] == token["token_symbol"]
    assert [ledger["network"] for ledger in body["tokens"][0]["ledgers"]] == [
        ledger["network"] for ledger in token["ledgers"]
    ]
    assert body["reserve_reports"] == []  # no report filed yet
    documents = [(d["kind"], d["media_type"]) for d in body["documents"]]
    assert documents == [
        ("white_paper", "application/pdf"),
        ("certificate", "application/pdf"),
        ("certificate", "application/json"),
    ]

    page = client.get(f"/register/{number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (number, cast.org.name_ko, cast.org.name_en, token["token_symbol"]):
        assert text in html
    for document in ("white-paper.pdf", "certificate.pdf", "certificate.json"):
        assert f'href="/register/{number}/documents/{document}"' in html


def test_the_published_documents_download_without_login_and_match_their_hashes(client, cast):
    case = cast.case_in("registered")
    number = number_of(case)
    listed = client.get(f"/api/v1/register/{number}").json["documents"]
    for document in listed:
        answer = client.get(document["url"])
        assert answer.status_code == 200 and answer.mimetype == document["media_type"]
        assert hashlib.sha256(answer.data).hexdigest() == document["sha256"]
        assert len(answer.data) == document["size"]
        assert document["filename"] in answer.headers["Content-Disposition"]
    certificate_pdf = client.get(f"/register/{number}/documents/certificate.pdf").data
    assert has_text(certificate_pdf, "가상자산 발행인 등록증", number)
    assert pdfa_part(certificate_pdf) == ("3", "A")
    certificate = client.get(f"/register/{number}/documents/certificate.json")
    filed = json.loads(certificate.data)
    assert filed["kind"] == "certificate"
    assert filed["content"]["registration_number"] == number
    assert re.fullmatch(r"VAR-\d{4}-\d{6}", filed["accession_number"])


def test_nothing_from_the_review_no_personal_data_and_no_cross_border_figures_is_public(
    client, cast
):
    case = cast.case_in("registered")
    number = number_of(case)
    published = client.get(f"/register/{number}").get_data(as_text=True) + json.dumps(
        client.get(f"/api/v1/register/{number}").json, ensure_ascii=False
    )
    certificate = client.get(f"/register/{number}/documents/certificate.json").get_data(
        as_text=True
    )
    published += certificate
    secrets = [
        "Meets every requirement.",  # the reviewer's recommendation
        "bank_of_korea: favourable.",  # the Bank of Korea's opinion
        cast.reviewer.email,
        cast.approver.email,
        cast.issuer.email,
        cast.org.contact_email,
    ]
    sections = case.sections
    contact = sections["applicant"].get("contact_person") or {}
    secrets += [v for v in contact.values() if isinstance(v, str) and len(v) > 3]
    secrets += [
        v for v in _strings(sections["cross_border"]) if len(v) > 12
    ]  # every cross-border text and figure filed
    certificate_pdf = text_of(client.get(f"/register/{number}/documents/certificate.pdf").data)
    for secret in secrets:
        assert secret not in published, secret
        assert "".join(secret.split()) not in certificate_pdf, secret
    assert "cross_border" not in published and "recommendation" not in published


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield str(value)


def test_an_unknown_registration_number_is_404_in_html_and_json(client, ctx):
    assert client.get("/register/KVI-2026-9999").status_code == 404
    missing = client.get("/api/v1/register/KVI-2026-9999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.get("/register/KVI-2026-9999/documents/white-paper.pdf").status_code == 404


def test_the_register_links_each_entry_to_its_disclosure_page(client, cast):
    number = number_of(cast.case_in("registered"))
    html = client.get("/register").get_data(as_text=True)
    assert f'href="/register/{number}"' in html


def test_a_tokenized_deposit_publishes_its_certificate_and_no_white_paper(client, ctx):
    case = Cast(category="tokenized_deposit").case_in("registered")
    number = number_of(case)
    kinds = [d["kind"] for d in client.get(f"/api/v1/register/{number}").json["documents"]]
    assert kinds == ["certificate", "certificate"]  # its PDF and its JSON
    assert client.get(f"/register/{number}/documents/white-paper.pdf").status_code == 404
    assert TODAY.isoformat() in client.get(f"/register/{number}").get_data(as_text=True)


def test_a_krw_stablecoin_disclosure_lists_its_monthly_reserve_but_never_cross_border_flows(
    client, ctx
):
    from datetime import date

    from forms.report_samples import cross_border_flows, reserve_report
    from service.monitoring.reports import submit_report
    from tests.service.test_monitoring import registered

    cast = registered()
    september, filed_on = date(2026, 9, 1), date(2026, 10, 16)
    submit_report(
        cast.number,
        cast.issuer,
        "reserve_report",
        reserve_report(september, 12_345_000_000),
        today=filed_on,
    )
    submit_report(
        cast.number,
        cast.issuer,
        "cross_border_flows",
        cross_border_flows(september, 12_345_000_000, {"SG": (987_654_321, 876_543_219)}),
        today=filed_on,
    )
    page = client.get(f"/register/{cast.number}").get_data(as_text=True)
    assert "2026-09" in page and "12,345,000,000" in page
    assert "987,654,321" not in page and "876,543,219" not in page
    entry = client.get(f"/api/v1/register/{cast.number}").json
    assert entry["reserve_reports"][0]["month"] == "2026-09"
    assert entry["reserve_reports"][0]["outstanding_issuance"] == 12_345_000_000
    assert "987654321" not in str(entry)
