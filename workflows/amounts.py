"""Amounts of money and counts as people read and type them, for the rules' messages and the
forms alike (docs/design.md, "Numbers as typed")."""

import re

# What a whole number may be typed with besides ASCII digits: full-width digits and comma
# (a Korean keyboard's full-width mode), thousands separators, spaces, a won sign and 원.
FULL_WIDTH = str.maketrans("０１２３４５６７８９，￦－", "0123456789,₩-")
_DIGIT, _COMMA, _WON, _MINUS = "0-9０-９", ",，", "₩￦", "-－"


def typed_whole_pattern(signed: bool) -> str:
    """The regular expression (Python and ECMA-262 alike) of a whole number as typed:
    `50,000,000,000`, `₩50,000,000,000`, `50 000 000 000원`, `５０，０００`."""
    sign = rf"(?:[{_MINUS}]\s*)?" if signed else ""
    digits = rf"[{_DIGIT}]+(?:[{_COMMA}\s]+[{_DIGIT}]+)*"
    return rf"^\s*[{_WON}]?\s*{sign}{digits}\s*원?\s*$"


_SIGNED = re.compile(typed_whole_pattern(signed=True))


def parse_whole(text: str) -> int:
    """The whole number `text` was typed as; ValueError when it is none."""
    if not _SIGNED.fullmatch(text):
        raise ValueError(f"not a whole number as typed: {text!r}")
    ascii_text = text.translate(FULL_WIDTH)
    return int(re.sub(r"[^0-9-]", "", ascii_text))


def won(amount: int | float) -> str:
    """`amount` in Korean won with thousands separators, e.g. ₩5,000,000,000."""
    return f"₩{amount:,.0f}"


def whole_number_text(value: int | str) -> str:
    """A whole-number answer as people read it, 1,000,000, whether it was kept as an
    integer or, in a filing made before numbers were kept as integers, as typed."""
    if isinstance(value, str):
        try:
            value = parse_whole(value)
        except ValueError:
            return value
    return f"{value:,}"
