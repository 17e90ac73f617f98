"""A registration whose certificate PDF the job worker has not made yet is still shown:
its disclosure page says the file is being prepared instead of failing, and the first
download renders it, after which the page gives its size (docs/scaling.md, jobs)."""

from sqlalchemy import select

from service.extensions import db
from service.models import Filing, Registration


def test_the_disclosure_page_waits_for_the_certificate_pdf_then_shows_its_size(client, cast):
    case = cast.case_in("registered")
    number = db.session.execute(
        select(Registration.number).where(Registration.application_id == case.id)
    ).scalar_one()
    certificate = db.session.execute(
        select(Filing).where(Filing.application_id == case.id, Filing.kind == "certificate")
    ).scalar_one()
    assert certificate.pdf_size is None  # this suite's factories defer the PDFs

    client.get("/language/en")
    waiting = client.get(f"/register/{number}")
    assert waiting.status_code == 200, waiting.get_data(as_text=True)[-2000:]
    assert "Being prepared" in waiting.get_data(as_text=True)

    pdf = client.get(f"/register/{number}/documents/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    db.session.refresh(certificate)
    shown = client.get(f"/register/{number}").get_data(as_text=True)
    assert "Being prepared" not in shown
    assert f"{certificate.pdf_size:,}" in shown
