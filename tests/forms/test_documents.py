"""Required documents by category (docs/domain.md section 3)."""

import pytest

from forms.documents import DOCUMENT_TYPES, document_label, required_documents
from forms.sections import sections_for
from workflows.bilingual import use_locale
from workflows.regime import CATEGORIES

EVERY_CATEGORY = [
    "articles_of_incorporation",
    "corporate_register_extract",
    "audited_financial_statements",
    "shareholder_register",
    "fit_and_proper_declarations",
    "business_plan",
    "aml_cft_manual",
    "isms_certificate",
]


def test_every_document_type_has_both_labels_and_known_categories():
    for code, spec in DOCUMENT_TYPES.items():
        assert spec["label"].en and spec["label"].ko, code
        assert spec["categories"] and set(spec["categories"]) <= set(CATEGORIES), code


def test_krw_stablecoin_needs_the_reserve_and_redemption_papers():
    required = required_documents("krw_stablecoin")
    assert set(EVERY_CATEGORY) <= set(required)
    assert {"reserve_custody_agreement", "reserve_auditor_engagement_letter"} <= set(required)
    assert {"redemption_policy", "white_paper", "legal_opinion"} <= set(required)
    assert "bank_licence" not in required and "ksd_registration" not in required


def test_tokenized_deposit_needs_the_bank_licence_but_no_white_paper_or_reserve_papers():
    required = required_documents("tokenized_deposit")
    assert set(required) == {*EVERY_CATEGORY, "bank_licence"}


def test_security_token_needs_ksd_registration_and_account_manager_papers():
    required = required_documents("security_token")
    assert {"ksd_registration", "account_manager_qualification", "white_paper"} <= set(required)
    assert "reserve_custody_agreement" not in required


def test_other_virtual_asset_needs_white_paper_and_legal_opinion_only_beyond_the_common_set():
    required = required_documents("other_virtual_asset")
    assert set(required) == {*EVERY_CATEGORY, "white_paper", "legal_opinion"}


def test_required_documents_keep_the_catalogue_order():
    required = required_documents("krw_stablecoin")
    order = list(DOCUMENT_TYPES)
    assert required == sorted(required, key=order.index)


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_required_document_is_asked_for_by_exactly_one_section(category):
    asked = [code for spec in sections_for(category) for code in spec.documents_for(category)]
    assert sorted(asked) == sorted(required_documents(category))


def test_unknown_category_has_no_documents():
    with pytest.raises(ValueError):
        required_documents("nft")


def test_document_label_follows_the_locale():
    with use_locale("ko"):
        assert document_label("white_paper") == "백서"
    with use_locale("en"):
        assert document_label("white_paper") == "White paper"
