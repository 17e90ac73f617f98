"""The field vocabulary every form shares: field types, and one metadata builder (`info`)
with the factories a decision's, a report's and a section's fields are made with."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

from workflows.amounts import plain_figure
from workflows.bilingual import BiText, t

# Dates beyond these are typing mistakes; inside them, deadline arithmetic stays cheap.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def in_calendar(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def outside_calendar() -> BiText:
    return t(
        "Enter a date between {earliest} and {latest}.",
        "{earliest}부터 {latest}까지의 날짜를 입력하십시오.",
        earliest=EARLIEST_DATE.isoformat(),
        latest=LATEST_DATE.isoformat(),
    )


class CalendarDate(fields.Date):
    """A date between 1900 and 2199."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not in_calendar(day):
            raise ValidationError(outside_calendar())
        return day


class CalendarMoment(fields.AwareDateTime):
    """A date and time with its zone, on a day between 1900 and 2199 as written: a day
    beyond them may leave datetime's range (years 1 to 9999) when moved to another zone."""

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not in_calendar(moment.date()):
            raise ValidationError(outside_calendar())
        return moment


class Trimmed(fields.String):
    """Text without its surrounding spaces, so an answer of blanks is no answer."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Figure(fields.Decimal):
    """A decimal figure, given as a number or typed as people type it (`₩1,234,567`,
    full-width digits: workflows/amounts.py); kept as decimal text so that JSON keeps it
    exact."""

    def __init__(self, **kwargs):
        kwargs.setdefault("as_string", True)
        super().__init__(**kwargs)

    def _validated(self, value):
        if isinstance(value, str):
            value = plain_figure(value)
        return super()._validated(value)


# -- the fields of a decision's forms: a step, an opinion, a notice and its comments -------


def info(
    label: BiText,
    help_text: BiText | None = None,
    widget: str = "text",
    *,
    choices: Iterable[tuple[Any, BiText]] | None = None,
    rule: str | None = None,
    categories: tuple[str, ...] | None = None,
    required_for: tuple[str, ...] | None = None,
    required_message: BiText | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A field's metadata, the same for every form: its label, help and widget, its choices
    as (value, label) pairs, and for a section's answer the rule's source and the
    categories that ask it (templates/macros/form.html draws it)."""
    meta: dict[str, Any] = {"label": label, "widget": widget}
    if help_text is not None:
        meta["help"] = help_text
    if choices is not None:
        meta["choices"] = list(choices)
    if rule:
        meta["rule"] = rule
    if categories is not None:
        meta["categories"] = categories
    if required_for is not None:
        meta["required_for"] = required_for
    if required_message is not None:
        meta["required_message"] = required_message
    meta.update(extra)
    return meta


def prose(
    label: BiText,
    *,
    required: bool = True,
    widget: str = "textarea",
    maximum: int = 10_000,
    hint: BiText | None = None,
) -> Trimmed:
    """Free text, trimmed, up to `maximum` characters; `hint` is shown below its label."""
    return Trimmed(
        required=required,
        validate=validate.Length(
            min=1 if required else 0,
            max=maximum,
            error=t("Write between {min} and {max} characters.", "{min}~{max}자로 작성하십시오."),
        ),
        metadata=info(label, widget=widget, **({"hint": hint} if hint else {})),
    )


def radios(label: BiText, table: dict[str, BiText]) -> fields.String:
    """One of `table`'s keys, chosen by its label (radio buttons)."""
    return fields.String(
        required=True,
        validate=validate.OneOf(
            list(table), error=t("Choose one of the options.", "하나를 고르십시오.")
        ),
        metadata=info(label, widget="radios", choices=table.items()),
    )


def day(
    label: BiText, help_text: BiText | None = None, *, required: bool = True, **meta
) -> CalendarDate:
    """A date, picked on the page's date input."""
    return CalendarDate(required=required, metadata=info(label, help_text, "date", **meta))
