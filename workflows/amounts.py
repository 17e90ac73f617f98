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


# A decimal figure as typed; the section schemas publish it (forms/sections/json_schema.py).
FIGURE_PATTERN = (
    rf"\s*[{_WON}]?\s*(?:[{_MINUS}]\s*)?[{_DIGIT}]+(?:[{_COMMA}\s]+[{_DIGIT}]+)*"
    rf"(?:\.[{_DIGIT}]+)?\s*원?\s*"
)
_FIGURE = re.compile(FIGURE_PATTERN)


def plain_figure(text: str) -> str:
    """A figure typed as people type it (`₩1,234,567.5`, full-width digits) as plain decimal
    text (`1234567.5`); text that is no such figure comes back as it was, for the field's
    own check to refuse."""
    if not _FIGURE.fullmatch(text):
        return text
    return re.sub(r"[^0-9.-]", "", text.translate(FULL_WIDTH))


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


def figure_text(value) -> str:
    """A decimal figure as people read it, 1,234,567.5, from a number or decimal text; text
    that is no figure is shown as it is."""
    plain = plain_figure(value) if isinstance(value, str) else str(value)
    whole, dot, fraction = plain.partition(".")
    if not re.fullmatch(r"-?[0-9]+", whole) or (dot and not fraction.isdigit()):
        return str(value)
    return f"{int(whole):,}{dot}{fraction}" if whole != "-0" else plain
