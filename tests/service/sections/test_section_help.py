"""A section page explains what the regulator expects and the rule behind each
required answer, in Korean by default and in English."""

from tests.service.conftest import login
from tests.service.factories import draft


def test_the_applicant_page_explains_each_required_answer_and_its_rule_in_english(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    client.get("/language/en")
    page = login(client, cast.issuer).get(f"/applications/{application.id}/sections/applicant")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    guidance = html[html.index('id="guidance"') : html.index('id="main-form"')]
    assert "What the regulator expects" in guidance
    assert "The register must identify the issuer beyond doubt" in guidance
    assert "Business registration number" in guidance
    assert "checked by its check digit" in guidance


def test_the_reserve_page_explains_its_rules_in_korean_by_default(client, cast):
    application = draft(cast.issuer, "krw_stablecoin", complete=False)
    html = (
        login(client, cast.issuer)
        .get(f"/applications/{application.id}/sections/reserve")
        .get_data(as_text=True)
    )
    guidance = html[html.index('id="guidance"') : html.index('id="main-form"')]
    assert "감독기관이 확인하는 내용" in guidance
    assert "발행된 금액 전부를" in guidance  # the section's basis
    assert "준비자산은 언제나 유통 중인 토큰 전부를 충당해야 합니다" in guidance  # full reserve
