"""A repeating table of a form as a spreadsheet: a template to fill in (XLSX, with the
table's current rows), and an upload read back into rows through the table's own schema,
a refused cell named by its row and column (docs/design.md, "Tables as spreadsheets").

Columns are the row schema's fields in declared order, headed by their labels in the
reader's language; an upload may head them in either language or with the field's key.
Values are given to the form as it would have been typed, and the schema judges them, so
the web form, the API and a spreadsheet accept and refuse the same things.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, send_file
from marshmallow import Schema, ValidationError, fields
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workflows.bilingual import BiText, localize, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A table of a report or a plan is tens of rows; more is a mistake or an attack.
MAX_ROWS = 1000
# What the workbook's parts may unpack to: a full table is well under a megabyte, and
# this bounds the lines read, blank ones included.
MAX_UNPACKED_BYTES = 5 * 1024 * 1024
YES = {"true", "yes", "y", "1", "o", "예", "네", "있음", "해당"}
NO = {"false", "no", "n", "0", "x", "아니오", "아니요", "없음", "해당없음", "해당 없음"}


@dataclass(frozen=True)
class Column:
    key: str
    field: fields.Field
    label: BiText


class SpreadsheetRefused(ValueError):
    """The upload cannot fill the table; `messages` say where and why, in both languages."""

    def __init__(self, messages: list):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages

    def errors(self, table: str) -> dict[str, list[str]]:
        """The messages as a form's field errors on the table, in the request's language."""
        return {table: [localize(message) for message in self.messages]}


def repeating_table(schema: Schema, name: str) -> fields.List | None:
    """The schema's field `name` if it is a repeating table (a list of rows), else None."""
    field = schema.fields.get(name)
    if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
        return field
    return None


def workbook_response(data: bytes, download_name: str) -> Response:
    return send_file(io.BytesIO(data), mimetype=XLSX, download_name=download_name)


def columns(row_schema: Schema) -> list[Column]:
    return [
        Column(field.data_key or name, field, _label(field.metadata.get("label"), name))
        for name, field in row_schema.fields.items()
        if not field.dump_only
        and not field.metadata.get("hidden")
        and not field.metadata.get("server_set")
    ]


def _label(label: Any, key: str) -> BiText:
    if isinstance(label, BiText):
        return BiText(label.en or key, label.ko or label.en or key)
    return t(label or key, label or key)


def _choices(field: fields.Field) -> list[tuple[str, BiText]]:
    return [(value, _label(label, value)) for value, label in field.metadata.get("choices") or []]


# -- the template ------------------------------------------------------------------------


def template(row_schema: Schema, rows: list[dict], locale: str, title: str) -> bytes:
    """The table as a workbook: a header of labels, the rows given, and a guide sheet with
    each column's help and allowed values (which the cells offer as a list)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    guide = book.create_sheet(t("Guide", "안내").pick(locale))
    cols = columns(row_schema)
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="F4F5F6")
    guide.append(
        [
            t("Column", "열").pick(locale),
            t("Help", "설명").pick(locale),
            t("Allowed", "입력할 수 있는 값").pick(locale),
        ]
    )
    for cell in guide[1]:
        cell.font = bold
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.label.pick(locale))
        header.font, header.fill = bold, shade
        sheet.column_dimensions[letter].width = max(14, len(column.label.pick(locale)) * 2)
        help_text = _label(column.field.metadata.get("help"), "").pick(locale)
        choices = _choices(column.field)
        guide.append(
            [column.label.pick(locale), help_text, ", ".join(p.pick(locale) for _v, p in choices)]
        )
        if choices:
            # The list lives on the guide sheet: a list typed into the rule is capped at
            # 255 characters, which Korean labels soon pass.
            start = guide.max_row + 1
            for _value, pair in choices:
                guide.append(["", "", pair.pick(locale)])
            rule = DataValidation(
                type="list",
                formula1=f"='{guide.title}'!$C${start}:$C${guide.max_row}",
                allow_blank=True,
            )
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["C"].width = 40
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(cols, start=1):
            cell = sheet.cell(row=number, column=index, value=_cell_value(column, row, locale))
            if isinstance(column.field, fields.Number):
                cell.number_format = "#,##0"
            elif isinstance(column.field, fields.Date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_value(column: Column, row: dict, locale: str) -> Any:
    value = row.get(column.key)
    if value in (None, ""):
        return None
    field = column.field
    if isinstance(field, fields.Boolean):
        # An explicit "no" stays one: a blank would come back as no answer at all.
        if value in (True, "true"):
            return t("yes", "예").pick(locale)
        return t("no", "아니오").pick(locale)
    for choice, pair in _choices(field):
        if value == choice:
            return pair.pick(locale)
    if isinstance(field, fields.Number):
        number = _number_text(value)
        if number.lstrip("-").isdigit():
            return int(number)
    if isinstance(field, fields.Date):
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return value


# -- reading an upload -------------------------------------------------------------------


def rows_from_request(table: fields.List, files, name: str) -> list[dict[str, Any]]:
    """The rows of the workbook posted for the table `name` (as `workbook-<name>`)."""
    upload = files.get(f"workbook-{name}")
    if upload is None or not upload.filename:
        raise SpreadsheetRefused(
            [t("Choose the filled-in workbook.", "작성한 통합문서를 선택하십시오.")]
        )
    return rows_from_upload(table.inner.schema, upload.read())


def rows_from_upload(row_schema: Schema, data: bytes) -> list[dict[str, Any]]:
    """The rows of the upload's first sheet as the form would post them, each checked by
    `row_schema` as a save checks it (a blank cell is no error until the section or report
    is checked whole); SpreadsheetRefused naming every refused cell (row and column)."""
    sheet = _first_sheet(data)
    cols = columns(row_schema)
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    if header is None:
        raise SpreadsheetRefused([t("The spreadsheet is empty.", "스프레드시트가 비어 있습니다.")])
    by_position = _header(header, cols)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=2):
        values = {
            column.key: _typed(column, line[i])
            for i, column in by_position.items()
            if i < len(line) and not _blank(line[i])
        }
        if not values:
            continue  # an empty line
        if len(rows) == MAX_ROWS:
            raise SpreadsheetRefused(
                [
                    t(
                        "A table holds at most {n} rows.",
                        "표에는 최대 {n}행까지 넣을 수 있습니다.",
                        n=MAX_ROWS,
                    )
                ]
            )
        rows.append((number, values))
    problems = []
    labels = {column.key: column.label for column in cols}
    for number, values in rows:
        refused = {}
        for column in cols:
            value = values.get(column.key)
            choices = _choices(column.field)
            if choices and value is not None and value not in {code for code, _p in choices}:
                # Named with the labels the reader chooses from, not the codes.
                refused[column.key] = [
                    BiText(
                        f"“{value}”: choose one of " + ", ".join(p.en for _c, p in choices),
                        f"“{value}”: 다음 중에서 고르십시오. "
                        + ", ".join(p.ko for _c, p in choices),
                    )
                ]
        try:
            # As a form's save checks: what is there must be right; what is missing is left
            # to the completeness check of the section or report.
            row_schema.load(values, partial=True)
        except ValidationError as error:
            refused = {**error.messages, **refused}
        if refused:
            for key, messages in sorted(refused.items(), key=_column_order(cols)):
                label = labels.get(key) or t(key, key)
                for message in messages if isinstance(messages, list) else [messages]:
                    problems.append(
                        BiText(
                            f"Row {number}, {label.en}: {localize(message, 'en')}",
                            f"{number}행 {label.ko}: {localize(message, 'ko')}",
                        )
                    )
    if problems:
        raise SpreadsheetRefused(problems)
    return [values for _number, values in rows]


def _column_order(cols: list[Column]):
    order = {column.key: i for i, column in enumerate(cols)}
    return lambda item: order.get(item[0], len(order))


def _first_sheet(data: bytes):
    not_a_workbook = t(
        "This is not an Excel workbook (.xlsx): download the template and fill it in.",
        "엑셀 통합문서(.xlsx)가 아닙니다. 서식을 내려받아 작성하십시오.",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SpreadsheetRefused([not_a_workbook]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            [t("The workbook is too large to be a table of this form.", "통합문서가 너무 큽니다.")]
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise SpreadsheetRefused([not_a_workbook]) from None
    return book.worksheets[0]


def _header(header: tuple, cols: list[Column]) -> dict[int, Column]:
    """Which column of the sheet holds which field; SpreadsheetRefused for a heading that
    names none, or names one twice."""
    names = {}
    for column in cols:
        for name in (column.key, column.label.en, column.label.ko):
            names[_normal(name)] = column
    found: dict[int, Column] = {}
    problems = []
    for index, heading in enumerate(header):
        if _blank(heading):
            continue
        column = names.get(_normal(str(heading)))
        letter = get_column_letter(index + 1)
        if column is None:
            problems.append(
                t(
                    "Column {letter} (\u201c{heading}\u201d) is not a column of this table.",
                    "{letter}열(\u201c{heading}\u201d)은 이 표의 열이 아닙니다.",
                    letter=letter,
                    heading=str(heading).strip(),
                )
            )
        elif column in found.values():
            problems.append(
                t(
                    "Column {letter} repeats \u201c{heading}\u201d.",
                    "{letter}열에 \u201c{heading}\u201d 열이 한 번 더 있습니다.",
                    letter=letter,
                    heading=str(heading).strip(),
                )
            )
        else:
            found[index] = column
    if problems:
        raise SpreadsheetRefused(problems)
    return found


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: Any) -> str:
    return str(value).strip().replace(",", "").replace(" ", "")


def _typed(column: Column, value: Any) -> Any:
    """A cell as the web form would have posted it: text, the choice's code, an ISO date."""
    field = column.field
    if isinstance(field, fields.Boolean):
        word = _normal(str(value))
        if value is True or word in YES:
            return True
        if value is False or word in NO:
            return False
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | Decimal | float):
        return str(value)
    text = str(value).strip()
    choices = _choices(field)
    if choices:
        for code, pair in choices:
            if _normal(text) in (_normal(code), _normal(pair.en), _normal(pair.ko)):
                return code
        return text
    if isinstance(field, fields.Number):
        return _number_text(text)
    return text
