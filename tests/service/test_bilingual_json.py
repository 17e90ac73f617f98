"""Every JSON the service writes keeps a BiText's two languages (docs/design.md, "Text for
people is bilingual"): a response, a JSON column, a filing's canonical form."""

from sqlalchemy import literal, select

from service.canonical import canonical_json
from service.extensions import db
from service.models.types import JSONDocument
from workflows.bilingual import t, use_locale
from workflows.lifecycle import STATE_LABELS

LABEL = STATE_LABELS["registered"]
PAIR = {"en": LABEL.en, "ko": LABEL.ko}


def test_a_response_writes_a_text_in_both_languages(app):
    with app.test_request_context(), use_locale("en"):
        assert app.json.loads(app.json.dumps({"status": LABEL})) == {"status": PAIR}
        assert app.json.loads(app.json.response([LABEL]).get_data()) == [PAIR]


def test_a_json_column_stores_a_text_in_both_languages(ctx):
    stored = db.session.execute(select(literal({"rows": [LABEL]}, JSONDocument))).scalar_one()
    assert stored == {"rows": [PAIR]}


def test_a_filing_is_hashed_over_both_languages_whatever_the_reader_speaks():
    with use_locale("en"):
        in_english = canonical_json({"basis": t("Act Art 1", "법 제1조")})
    with use_locale("ko"):
        in_korean = canonical_json({"basis": t("Act Art 1", "법 제1조")})
    assert in_english == in_korean == '{"basis":{"en":"Act Art 1","ko":"법 제1조"}}'
