"""One carrier for bilingual text (docs/design.md, "Text for people is bilingual").

A BiText reads as the locale current when it was made, gives either side on request,
and is written as both languages wherever JSON is written; the code writes every
bilingual literal with `t()`, so there is no second notation to drift from it.
"""

import ast
import json
import re
from pathlib import Path

from service.canonical import canonical_json
from workflows.bilingual import BiText, both_languages, pick, t, use_locale
from workflows.lifecycle import STATE_LABELS

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CODE = re.compile(r"^[a-z_]+$")  # a code beside a Korean value is not a translation


def test_a_text_reads_as_the_locale_it_was_made_in_and_gives_either_side():
    with use_locale("en"):
        made_in_english = t("Registered", "등록")
    with use_locale("ko"):
        made_in_korean = t("Registered", "등록")
    assert str(made_in_english) == "Registered" and str(made_in_korean) == "등록"
    assert (made_in_korean.en, made_in_korean.ko) == ("Registered", "등록")
    with use_locale("en"):
        assert pick(made_in_korean) == "Registered"
        assert str(made_in_korean.now()) == "Registered"
    assert pick(made_in_english, "ko") == "등록"


def test_a_stored_pair_reads_back_as_the_text_it_was_written_from():
    label = STATE_LABELS["registered"]
    stored = json.loads(canonical_json({"label": label}))["label"]
    assert stored == {"en": label.en, "ko": label.ko}
    assert BiText.of(stored).pair() == stored
    with use_locale("en"):
        assert pick(stored) == label.en
    # A pair filed without its Korean side reads in English rather than blank.
    assert BiText.of({"en": "Draft"}).ko == "Draft"


def test_json_keeps_both_languages_however_deep_the_text_sits():
    reasons = t("Reserve below {pct}%.", "준비자산이 {pct}%에 미달합니다.", pct=99)
    written = both_languages({"findings": [{"message": reasons, "count": 2}], "plain": "x"})
    assert written == {
        "findings": [
            {
                "message": {"en": "Reserve below 99%.", "ko": "준비자산이 99%에 미달합니다."},
                "count": 2,
            }
        ],
        "plain": "x",
    }


def test_a_korean_particle_is_chosen_once_the_words_are_in():
    assert (
        t("{bank} holds it.", "{bank}은(는) 보유합니다.", bank="우리은행").ko
        == "우리은행은 보유합니다."
    )
    assert t("{bank} holds it.", "{bank}은(는) 보유합니다.", bank="한빛").ko == "한빛은 보유합니다."


def _bilingual_literals(path: Path) -> list[str]:
    """Bilingual text written another way than t(): a {"en", "ko"} dict or an (English,
    Korean) pair of string literals."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and {
            k.value for k in node.keys if isinstance(k, ast.Constant)
        } == {"en", "ko"}:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} dict")
        if (
            isinstance(node, ast.Tuple)
            and len(node.elts) == 2
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
            and bool(HANGUL.search(node.elts[0].value)) != bool(HANGUL.search(node.elts[1].value))
            and not any(CODE.match(e.value) for e in node.elts)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} tuple")
    return found


def test_the_code_writes_every_bilingual_literal_with_t():
    # The carrier itself writes the pair; sample answers pair a code with a Korean name.
    exempt = {ROOT / "workflows" / "bilingual.py", ROOT / "forms" / "sections" / "samples.py"}
    found = [
        literal
        for package in ("workflows", "forms", "service")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in exempt
        for literal in _bilingual_literals(path)
    ]
    assert found == []
