"""Korean particles that agree with the word before them.

A Korean message that names something filled in later (a bank, a number, a
month) cannot know in advance whether the word ends in a consonant: 은/는,
이/가, 을/를, 과/와 and (으)로 depend on it. Messages are written with the
alternation (`{bank}은(는)`) and `with_particles` picks the form once the words
are in, so no person reads "은(는)" (docs/design.md section 1, "Text for people").
"""

import re

# The alternation as written, and its forms after a final consonant and after a vowel.
# (으)로 after ㄹ takes 로, like a vowel.
PARTICLES = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "(으)로": ("으로", "로"),
}
_ALTERNATION = re.compile("|".join(re.escape(written) for written in PARTICLES))

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # the index of ㄹ among the final consonants of a syllable
# Sino-Korean readings of a last digit: 영 일 이 삼 사 오 육 칠 팔 구. A number ending
# in 0 is read with 십, 백, 천, 만 or 영: all end in a consonant other than ㄹ.
_DIGIT_FINALS = {
    "0": "consonant",
    "1": "rieul",
    "2": "vowel",
    "3": "consonant",
    "4": "vowel",
    "5": "vowel",
    "6": "consonant",
    "7": "rieul",
    "8": "rieul",
    "9": "vowel",
}
# Latin letters read as their names (an acronym, a token symbol): 엘, 엠, 엔, 알 end in a
# consonant, the others (에이, 비, 씨 ...) in a vowel.
_LETTER_FINALS = {"L": "rieul", "R": "rieul", "M": "consonant", "N": "consonant"}
# Read through: closing quotes and brackets belong to the word before them.
_CLOSERS = set("'\"’”」』]")
# Not pronounced: a full stop or a comma in a number.
_SILENT = set(".,")


def final_sound(word: str) -> str | None:
    """How `word` ends when read aloud: "vowel", "consonant", "rieul" (ㄹ), or None if not
    known (an unfilled `{placeholder}`, a symbol)."""
    index = len(word) - 1
    while index >= 0:
        char = word[index]
        if char == ")":
            # A parenthetical is an aside: the particle agrees with the word before it.
            opening = word.rfind("(", 0, index)
            if opening <= 0:
                return None
            index = opening - 1
            continue
        if char in _CLOSERS or char in _SILENT or char.isspace():
            index -= 1
            continue
        if char.isdigit():
            start = index
            while start > 0 and (word[start - 1].isdigit() or word[start - 1] in _SILENT):
                start -= 1
            if start > 0 and word[start - 1] == "₩":
                return "consonant"  # ₩1,000 is read 천 원
        return _sound_of(char)
    return None


def _sound_of(char: str) -> str | None:
    code = ord(char)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        final = (code - _HANGUL_FIRST) % 28
        if final == 0:
            return "vowel"
        return "rieul" if final == _RIEUL else "consonant"
    if char in _DIGIT_FINALS:
        return _DIGIT_FINALS[char]
    if char == "%":  # 퍼센트
        return "vowel"
    if char.isascii() and char.isalpha():
        if char.isupper():
            return _LETTER_FINALS.get(char, "vowel")
        # A lower-case word: English endings heard as a final consonant in Korean.
        if char == "l":
            return "rieul"
        return "consonant" if char in "mnkptbdg" else "vowel"
    return None


def with_particles(text: str) -> str:
    """`text` with each written alternation replaced by the form its word takes; an
    alternation whose word is not known yet (a placeholder) is left as written."""

    def choose(match: re.Match) -> str:
        sound = final_sound(text[: match.start()])
        if sound is None:
            return match.group(0)
        after_consonant, after_vowel = PARTICLES[match.group(0)]
        if match.group(0) == "(으)로" and sound == "rieul":
            return after_vowel
        return after_vowel if sound == "vowel" else after_consonant

    return _ALTERNATION.sub(choose, text)
