"""Korean by default, English on request, and a Korean translation for every page string."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("service/**.py", "python"), ("templates/**.html", "jinja2")]


def test_pages_are_korean_by_default_and_english_on_request(client):
    korean = client.get("/register").get_data(as_text=True)
    assert "가상자산 발행인 등록부" in korean and '<html lang="ko"' in korean
    english = client.get("/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Register of virtual-asset issuers" in english and '<html lang="en"' in english


def test_the_chosen_language_persists_in_a_cookie(client):
    client.get("/language/en?next=/register")
    assert "Register of virtual-asset issuers" in client.get("/register").get_data(as_text=True)
    client.get("/language/ko?next=/register")
    assert "가상자산 발행인 등록부" in client.get("/register").get_data(as_text=True)


def test_every_page_string_has_a_korean_translation():
    with (ROOT / "service/translations/ko/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords={"_": None, "_l": None, "gettext": None}
        )
    }
    untranslated = sorted(m for m in found if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == [], "run scripts/translate.py and translate: " + repr(untranslated)
