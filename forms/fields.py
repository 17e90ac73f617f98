"""Field types every submission shares."""

from datetime import date, datetime

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


def labelled(en: str, ko: str, widget: str = "text", **extra) -> dict:
    """A field's metadata: its label in both languages and the widget the page draws."""
    return {"label": t(en, ko), "widget": widget, **extra}


def prose(
    en: str,
    ko: str,
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
        metadata=labelled(en, ko, widget, **({"hint": hint} if hint else {})),
    )


def choice(table: dict[str, BiText], en: str, ko: str) -> fields.String:
    """One of `table`'s keys, chosen by its label (radio buttons)."""
    return fields.String(
        required=True,
        validate=validate.OneOf(
            list(table), error=t("Choose one of the options.", "하나를 고르십시오.")
        ),
        metadata=labelled(en, ko, "radios", choices=list(table.items())),
    )


def day(en: str, ko: str) -> CalendarDate:
    """A required date, picked on the page's date input."""
    return CalendarDate(required=True, metadata=labelled(en, ko, "date"))
