"""Field types every submission shares."""

from datetime import date, datetime

from marshmallow import ValidationError, fields

from forms.i18n import BiText, t
from workflows.amounts import plain_figure

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
