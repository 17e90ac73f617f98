"""The one CSV writer of the service: no cell it writes can start a spreadsheet formula.

A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as a
formula (CSV injection); OWASP lists a leading tab and carriage return with them. Its
rule: such a text cell is written with a single quote before it, which the
spreadsheet shows as text. Leading spaces or line breaks do not make a cell safe
either, since importers may trim them (LibreOffice's "Trim spaces", for one), so the
first character after them counts too.

Numbers are written as numbers: a cell made from an `int`, `float` or `Decimal` value
keeps its sign (-5 stays -5), since only the service's own figures reach a CSV that
way. Text is always checked, even text that reads as a number ("-5"), since a user
typed it and `-2+3+cmd|...` starts the same way.

A cell that already starts with the quote gets one more, so the rule can be undone:
`original()` gives back exactly the text that was written (the audit events' CSV is
re-hashed from its cells, see `service/auditor/records.py`).
"""

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

QUOTE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRIMMED = " \t\r\n"
# A first character that may need the quote; any other leaves the cell as it is.
_CHECKED_FIRST = frozenset((QUOTE, *FORMULA_STARTS, *_TRIMMED))


def cell(value: Any) -> Any:
    """What to write for `value`: numbers as they are, None as an empty cell, any other
    value as its text, quoted when a spreadsheet could read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text[:1] not in _CHECKED_FIRST:
        return text
    if text.startswith((QUOTE, *FORMULA_STARTS)) or text.lstrip(_TRIMMED).startswith(
        FORMULA_STARTS
    ):
        return QUOTE + text
    return text


def original(text: str) -> str:
    """The text a cell read back from one of our CSV files was written from."""
    return text[1:] if text.startswith(QUOTE) else text


class Writer:
    """`csv.writer` whose every row goes through `cell`."""

    def __init__(self, stream: TextIO, lineterminator: str = "\r\n"):
        self._writer = csv.writer(stream, lineterminator=lineterminator)

    def writerow(self, values: Iterable[Any]) -> None:
        # Most cells are text with a harmless first character: those skip the call.
        self._writer.writerow(
            [
                value if type(value) is str and value[:1] not in _CHECKED_FIRST else cell(value)
                for value in values
            ]
        )

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)
