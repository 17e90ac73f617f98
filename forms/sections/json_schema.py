"""A section's answers as JSON Schema (2020-12): what `PUT .../sections/<name>` accepts,
written from the same schema the server validates with (docs/api.md, "Section bodies").

A save keeps a draft, so no answer is required to save; the answers a complete section
needs are listed in `x-required-to-complete`. Every answer may be left blank (null, or
text of spaces), and a list may hold empty rows, as a form sends them (forms/sections/base.py,
`is_unanswered`). Rules across answers or on check digits are the server's alone."""

import json
from datetime import date
from typing import Any

from marshmallow import fields

from forms.fields import CalendarDate
from forms.sections import SECTIONS
from forms.sections.base import (
    AnswersSchema,
    AtLeast,
    MaxLength,
    MonthField,
    OneOf,
    Percentage,
    PhoneNumber,
    SectionContext,
    WholeNumber,
)
from workflows.amounts import FIGURE_PATTERN, typed_whole_pattern
from workflows.regime import CATEGORIES
from workflows.regime import profile as default_profile

BLANK_TEXT = {"type": "string", "pattern": r"^\s*$"}
BLANK_VALUE = [{"type": "null"}, BLANK_TEXT]
# An empty row: empty values, or empty lists of them (is_blank_entry).
BLANK_ENTRY = [
    *BLANK_VALUE,
    {"type": "array", "items": {"anyOf": BLANK_VALUE}},
    {
        "type": "object",
        "additionalProperties": {
            "anyOf": [*BLANK_VALUE, {"type": "array", "items": {"anyOf": BLANK_VALUE}}]
        },
    },
]

# What marshmallow's Boolean takes besides true and false (a form's "on", "yes", 1...), as a
# pattern: an enum of them has "false" beside "False", which client generators cannot name.
BOOLEAN_WORDS = "^({})$".format(
    "|".join(sorted(v for v in fields.Boolean.truthy | fields.Boolean.falsy if isinstance(v, str)))
)

_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_MONTH = r"^\s*[0-9]{4}-[0-9]{2}\s*$"
# Decimal text as Percent takes it: full-width digits, a percent sign after.
_D = "[0-9０-９]"
_DECIMAL = rf"^\s*[+-]?({_D}+(\.{_D}*)?|\.{_D}+)([eE][+-]?{_D}+)?\s*%?\s*$"


def _validator(field: fields.Field, kind: type) -> Any:
    return next((v for v in field.validators if isinstance(v, kind)), None)


def _number(field: fields.Field) -> dict:
    """A whole number, or the same typed as text."""
    least = _validator(field, AtLeast)
    signed = least is None or least.minimum < 0
    number: dict[str, Any] = {"type": "integer"}
    if least is not None:
        number["minimum"] = int(least.minimum)
    typed = {"type": "string", "pattern": typed_whole_pattern(signed)}
    return {"anyOf": [number, typed]}


def _value(field: fields.Field) -> dict:
    """The JSON Schema of one answer, before blanks are allowed."""
    if isinstance(field, fields.List):
        inner = field.inner
        item = _value(inner) if not isinstance(inner, fields.Nested) else group_schema(inner.schema)
        return {"type": "array", "items": {"anyOf": [item, *BLANK_ENTRY]}}
    if isinstance(field, fields.Nested):
        return group_schema(field.schema)
    if isinstance(field, fields.Boolean):
        return {
            "anyOf": [
                {"type": "boolean"},
                {"type": "integer", "enum": [0, 1]},
                {"type": "string", "pattern": BOOLEAN_WORDS},
            ]
        }
    if isinstance(field, WholeNumber):
        return _number(field)
    if isinstance(field, fields.Decimal):
        bounds = _validator(field, Percentage)
        number: dict[str, Any] = {"type": "number"}
        if bounds is not None:
            number.update(exclusiveMinimum=bounds.exclusive_minimum, maximum=bounds.maximum)
        typed = {"type": "string", "pattern": rf"^{FIGURE_PATTERN}%?\s*$"}
        return {"anyOf": [number, {"type": "string", "pattern": _DECIMAL}, typed]}
    if isinstance(field, MonthField):
        return {
            "anyOf": [
                {"type": "string", "pattern": _MONTH},
                {"type": "string", "format": "date", "pattern": _DATE},
            ]
        }
    if isinstance(field, CalendarDate):
        return {"type": "string", "format": "date", "pattern": _DATE}
    if isinstance(field, fields.DateTime):
        return {"type": "string", "format": "date-time"}
    if isinstance(field, fields.String):
        text: dict[str, Any] = {"type": "string"}
        choices = _validator(field, OneOf)
        if choices is not None:
            text["enum"] = list(choices.values)
        limit = _validator(field, MaxLength)
        if limit is not None:
            text["maxLength"] = limit.limit
        phone = _validator(field, PhoneNumber)
        if phone is not None:
            text["pattern"] = rf"^\s*{phone.pattern}\s*$"
        return text
    raise TypeError(f"no JSON Schema for the field type {type(field).__name__}")


def _property(field: fields.Field) -> dict:
    label = field.metadata.get("label")
    help_text = field.metadata.get("help")
    described = {
        "title": label.en if label else "",
        "description": " / ".join(
            part for part in (label and label.ko, help_text and help_text.en) if part
        ),
    }
    if field.metadata.get("server_set"):
        return {**_value(field), **described, "readOnly": True}
    return {"anyOf": [_value(field), *BLANK_VALUE], **described}


def _object(schema: AnswersSchema) -> dict:
    loaded = {
        field.data_key or name: field
        for name, field in schema.fields.items()
        if not field.dump_only
    }
    return {
        "type": "object",
        "properties": {key: _property(field) for key, field in loaded.items()},
        "additionalProperties": False,
        "x-required-to-complete": sorted(key for key, field in loaded.items() if field.required),
    }


def group_schema(schema: AnswersSchema) -> dict:
    """One row of a repeating group."""
    return _object(schema)


def section_json_schema(schema: AnswersSchema) -> dict:
    """A section's answers, for the category the schema was built for."""
    return _object(schema)


def section_variants(section: str) -> dict[str, list[str]]:
    """The section's body schemas, each with the categories it is the body for (most
    sections ask the same of every category; some ask more of a bank or a stablecoin)."""
    profile = default_profile()
    spec = SECTIONS[section]
    variants: dict[str, list[str]] = {}
    for category in CATEGORIES:
        if not spec.applies_to(category, profile):
            continue
        # The date feeds only validators (look-back periods), never the fields.
        ctx = SectionContext(category, profile, date.today())
        body = json.dumps(section_json_schema(spec.schema(ctx=ctx)), sort_keys=True)
        variants.setdefault(body, []).append(category)
    return variants
