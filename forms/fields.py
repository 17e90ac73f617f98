"""Field types every submission shares."""

from datetime import date

from marshmallow import ValidationError, fields

from forms.i18n import t

# Dates beyond these are typing mistakes; inside them, deadline arithmetic stays cheap.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


class CalendarDate(fields.Date):
    """A date between 1900 and 2199."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(
                t(
                    "Enter a date between {earliest} and {latest}.",
                    "{earliest}부터 {latest}까지의 날짜를 입력하십시오.",
                    earliest=EARLIEST_DATE.isoformat(),
                    latest=LATEST_DATE.isoformat(),
                )
            )
        return day


class Trimmed(fields.String):
    """Text without its surrounding spaces, so an answer of blanks is no answer."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()
