"""What every application section shares.

- `SectionContext`: what a rule needs besides the answers (category, regime
  profile, submission date, whether the applicant is a bank). Marshmallow 4
  has no schema context, so every section schema takes it in its constructor.
- Field factories (`text`, `choice`, `amount_krw`, ...) that put the label,
  help, widget, choices and rule source into each field's `metadata`, so the
  HTML form, the check-answers page and the PDF read the same schema.
- Bilingual messages: marshmallow's own messages ("Missing data for required
  field.") are replaced in the current locale at each load, and every rule
  message is written with `t(en, ko)` where it is raised.
- Blank answers (empty strings, None, empty lists, blank rows of a repeating
  group) count as not given, so an HTML form and the JSON API behave alike.
"""

import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, pre_load
from marshmallow import validate as mm_validate
from marshmallow.exceptions import SCHEMA

from forms.fields import CalendarDate, Figure, info
from forms.messages import BilingualSchema
from workflows.amounts import FULL_WIDTH, parse_whole
from workflows.bilingual import BiText, pick, t
from workflows.regime import CATEGORIES, CATEGORY_LABELS, RegimeProfile


@dataclass(frozen=True)
class SectionContext:
    category: str
    profile: RegimeProfile
    today: date  # the submission date: ISMS validity and look-back periods count from it
    applicant_is_bank: bool = False

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}; known: {CATEGORIES}")

    @property
    def category_label(self) -> str:
        return pick(CATEGORY_LABELS[self.category])


# --- dates -------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def percent_text(value: Decimal | int | float) -> str:
    """A percentage without trailing zeros: 50, 50.5, 33.33."""
    return format(Decimal(str(value)).normalize(), "f")


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(is_blank(item) for item in value)
    if isinstance(value, Mapping):
        return all(is_blank(item) for item in value.values())
    return False


# What counts as no answer, exactly as the published section schemas state it
# (forms/sections/json_schema.py): a form's empty box, an empty list, a list of empty rows.
# A container given where one value belongs is a wrong answer, not a blank one.


def is_blank_value(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_entry(value: Any) -> bool:
    """An empty row of a repeating group, or an empty item of a list."""
    if isinstance(value, list | tuple):
        return all(is_blank_value(item) for item in value)
    if isinstance(value, Mapping):
        return all(
            is_blank_value(item)
            or (isinstance(item, list | tuple) and all(is_blank_value(i) for i in item))
            for item in value.values()
        )
    return is_blank_value(value)


def is_unanswered(value: Any, field: fields.Field | None = None) -> bool:
    """No answer to `field`: blank, or for a list (any list when no field is named), a list
    of empty entries."""
    if isinstance(value, list | tuple) and (field is None or isinstance(field, fields.List)):
        return all(is_blank_entry(item) for item in value)
    return is_blank_value(value)


def _tidy(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return [_tidy(item) for item in value if not is_blank_entry(item)]
    return value  # a group's own schema tidies its answers


class AnswersSchema(BilingualSchema):
    """A section's answers, or a group's: blank answers count as not given."""

    unknown_message = t(
        "This field is not part of this section for this category.",
        "이 범주의 이 섹션에는 없는 항목입니다.",
    )
    type_message = t(
        "Send the section's answers as an object of named fields.",
        "섹션의 답변은 항목 이름과 값으로 이루어진 객체로 보내야 합니다.",
    )

    @pre_load
    def _drop_blank_answers(self, data, **kwargs):
        if not isinstance(data, Mapping):
            return data
        # Unknown keys are kept even when blank, so they are still reported.
        fields_by_key = self.load_fields
        return {
            key: _tidy(value)
            for key, value in data.items()
            if not (key in fields_by_key and is_unanswered(value, fields_by_key[key]))
        }


class GroupSchema(AnswersSchema):
    """One entry of a repeating group (a holder, an executive, a ledger...)."""


class SectionSchema(AnswersSchema):
    """One application section. Fields whose metadata names `categories` exist
    only for those categories; `required_for` makes a field required only for
    those categories. Subclasses adjust further in `adjust_fields`."""

    def __init__(self, *, ctx: SectionContext, **kwargs):
        self.ctx = ctx
        exclude = set(kwargs.pop("exclude", ()))
        for name, field in self._declared_fields.items():
            categories = field.metadata.get("categories")
            if categories is not None and ctx.category not in categories:
                exclude.add(name)
        super().__init__(exclude=exclude, **kwargs)
        for field in self.fields.values():
            required_for = field.metadata.get("required_for")
            if required_for is not None:
                field.required = ctx.category in required_for
        self.adjust_fields()

    def adjust_fields(self) -> None:
        """Make profile-dependent changes to `self.fields`; none by default."""


# --- collecting rule failures -----------------------------------------------


class Problems:
    """Rule failures collected across a section, raised together as one error
    whose shape matches marshmallow's ({field: [...]}, {group: {index: {...}}})."""

    def __init__(self) -> None:
        self.messages: dict = {}

    def add(self, path: str | tuple, message: str) -> None:
        path = (path,) if isinstance(path, str) else path
        node = self.messages
        for key in path[:-1]:
            child = node.setdefault(key, {})
            if isinstance(child, list):  # a group-wide message is already there
                child = node[key] = {SCHEMA: child}
            node = child
        leaf = node.setdefault(path[-1], [])
        if isinstance(leaf, dict):  # entries of the group already have messages
            leaf = leaf.setdefault(SCHEMA, [])
        leaf.append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


# --- validators (messages are built when they fail, in the current locale) ---


class MaxLength:
    """At most `limit` characters; the bound is published as `maxLength`."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            raise ValidationError(
                t(
                    "Use at most {limit} characters.",
                    "{limit}자 이내로 입력하십시오.",
                    limit=f"{self.limit:,}",
                )
            )


def max_length(limit: int) -> MaxLength:
    return MaxLength(limit)


class OneOf:
    """One of listed values; the values are published as `enum`."""

    def __init__(self, choices: Iterable, message: BiText | None = None):
        self.values = [value for value, _ in choices]
        self.message = message

    def __call__(self, value: Any) -> None:
        if value not in self.values:
            raise ValidationError(
                self.message.now()
                if self.message
                else t("Choose one of the listed options.", "목록에 있는 값 중에서 고르십시오.")
            )


def one_of(choices: Iterable, message: BiText | None = None) -> OneOf:
    return OneOf(choices, message)


class AtLeast:
    """`minimum` or more; published as `minimum`."""

    def __init__(self, minimum: int | Decimal):
        self.minimum = minimum

    def __call__(self, value: Any) -> None:
        if value < self.minimum:
            raise ValidationError(
                t(
                    "Enter {minimum} or more.",
                    "{minimum} 이상을 입력하십시오.",
                    minimum=self.minimum,
                )
            )


def at_least(minimum: int | Decimal) -> AtLeast:
    return AtLeast(minimum)


class Percentage:
    """More than 0 and at most 100; published as `exclusiveMinimum` and `maximum`."""

    exclusive_minimum = 0
    maximum = 100

    def __call__(self, value: Decimal) -> None:
        if not Decimal(self.exclusive_minimum) < value <= Decimal(self.maximum):
            raise ValidationError(
                t(
                    "A percentage is more than 0 and at most 100.",
                    "비율은 0 초과 100 이하입니다.",
                )
            )


percentage = Percentage()


def email_address(value: str) -> None:
    message = t(
        "Enter an email address such as name@example.kr.",
        "name@example.kr 형식의 이메일 주소를 입력하십시오.",
    )
    mm_validate.Email(error=message)(value)


def web_address(value: str) -> None:
    message = t(
        "Enter a web address starting with https:// or http://.",
        "https:// 또는 http://로 시작하는 웹 주소를 입력하십시오.",
    )
    mm_validate.URL(schemes={"https", "http"}, require_tld=True, error=message)(value)


class PhoneNumber:
    """A telephone number as people write it; the form is published as `pattern`."""

    pattern = r"\+?[0-9][0-9\- ]{6,18}[0-9]"

    def __call__(self, value: str) -> None:
        if not re.fullmatch(self.pattern, value):
            raise ValidationError(
                t(
                    "Enter a telephone number such as 02-1234-5678 or +82-2-1234-5678.",
                    "02-1234-5678 또는 +82-2-1234-5678 형식의 전화번호를 입력하십시오.",
                )
            )


phone_number = PhoneNumber()


# --- fields ------------------------------------------------------------------


class WholeNumber(fields.Integer):
    """A whole number, money or a count, given as a number or typed as people type it
    (`50,000,000,000`, `₩5,000,000,000`, full-width digits: workflows/amounts.py); a
    fraction is refused, not truncated. Kept as an integer."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, str):
            try:
                value = parse_whole(value)
            except ValueError:
                raise self.make_error("invalid", input=value) from None
        elif isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Percent(Figure):
    """A percentage, given as a number or typed (`50.5`, `50.5%`, full-width digits); kept
    as decimal text so that JSON keeps it exact (50.01 stays 50.01)."""

    def _validated(self, value: Any):
        if isinstance(value, str):
            value = value.translate(FULL_WIDTH).strip().removesuffix("%")
        return super()._validated(value)


class MonthField(CalendarDate):
    """A calendar month, given as `2026-07` or any date in it; loaded as its first day,
    written back as the month, `2026-07`."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}", value.strip()):
            value = value.strip() + "-01"
        day = super()._deserialize(value, attr, data, **kwargs)
        return day.replace(day=1)

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else month_label(value)


class Identifier(fields.String):
    """A check-digit identifier: validated, then kept in its canonical form."""

    def __init__(self, *, check: Callable[[str], None], canonical: Callable[[str], str], **kwargs):
        self.check = check
        self.canonical = canonical
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        self.check(text)
        return self.canonical(text)


# --- field factories ---------------------------------------------------------


def _validators(*validators: Any) -> list:
    flat: list = []
    for validator in validators:
        if validator is None:
            continue
        if isinstance(validator, list | tuple):
            flat.extend(validator)
        else:
            flat.append(validator)
    return flat


def text(
    label: BiText,
    help_text: BiText,
    *,
    required: bool = True,
    limit: int = 200,
    validate=(),
    **meta,
) -> fields.String:
    return fields.String(
        required=required,
        validate=_validators(max_length(limit), validate),
        metadata=info(label, help_text, "text", **meta),
    )


def long_text(
    label: BiText, help_text: BiText, *, required: bool = True, limit: int = 4000, **meta
) -> fields.String:
    return fields.String(
        required=required,
        validate=_validators(max_length(limit)),
        metadata=info(label, help_text, "textarea", **meta),
    )


def email(label: BiText, help_text: BiText, *, required: bool = True, **meta) -> fields.String:
    return fields.String(
        required=required,
        validate=[max_length(254), email_address],
        metadata=info(label, help_text, "email", **meta),
    )


def url(label: BiText, help_text: BiText, *, required: bool = True, **meta) -> fields.String:
    return fields.String(
        required=required,
        validate=[max_length(500), web_address],
        metadata=info(label, help_text, "url", **meta),
    )


def choice(
    label: BiText,
    help_text: BiText,
    choices: list[tuple[str, BiText]],
    *,
    required: bool = True,
    message: BiText | None = None,
    **meta,
) -> fields.String:
    return fields.String(
        required=required,
        validate=one_of(choices, message),
        metadata=info(label, help_text, "select", choices=choices, **meta),
    )


def several(
    label: BiText,
    help_text: BiText,
    choices: list[tuple[str, BiText]],
    *,
    required: bool = True,
    **meta,
) -> fields.List:
    """Several options ticked from a list (a group of checkboxes)."""
    return fields.List(
        fields.String(validate=one_of(choices)),
        required=required,
        metadata=info(label, help_text, "checkbox", choices=choices, multiple=True, **meta),
    )


YES_NO: list[tuple[bool, BiText]] = [(True, t("Yes", "예")), (False, t("No", "아니요"))]


def yes_no(label: BiText, help_text: BiText, *, required: bool = True, **meta) -> fields.Boolean:
    """A question answered explicitly, so an unanswered one is missing, not "no"."""
    return fields.Boolean(
        required=required, metadata=info(label, help_text, "select", choices=YES_NO, **meta)
    )


def tick(label: BiText, help_text: BiText, *, required: bool = True, **meta) -> fields.Boolean:
    """An affirmation: a checkbox left unticked is a missing answer."""
    return fields.Boolean(required=required, metadata=info(label, help_text, "checkbox", **meta))


def amount_krw(
    label: BiText, help_text: BiText, *, required: bool = True, minimum: int | None = 0, **meta
) -> WholeNumber:
    return WholeNumber(
        required=required,
        validate=_validators(at_least(minimum) if minimum is not None else None),
        metadata=info(label, help_text, "number", unit="KRW", **meta),
    )


def whole_number(
    label: BiText, help_text: BiText, *, required: bool = True, minimum: int | None = 0, **meta
) -> WholeNumber:
    return WholeNumber(
        required=required,
        validate=_validators(at_least(minimum) if minimum is not None else None),
        metadata=info(label, help_text, "number", **meta),
    )


def percent(
    label: BiText, help_text: BiText, *, required: bool = True, validate=percentage, **meta
) -> fields.Decimal:
    return Percent(
        required=required,
        validate=_validators(validate),
        metadata=info(label, help_text, "number", unit="%", **meta),
    )


def group(
    schema: type[GroupSchema], label: BiText, help_text: BiText, *, required: bool = True, **meta
) -> fields.List:
    """A repeating group: a list of entries, each with its own labelled fields."""
    return fields.List(
        fields.Nested(schema),
        required=required,
        metadata=info(label, help_text, "group", **meta),
    )
