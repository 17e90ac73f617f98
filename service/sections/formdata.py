"""Posted HTML form data back into a section's answers, by the schema's own fields.

The form macros name inputs `<key>`, `<key>-<sub>` and `<key>-<i>-<sub>`
(see templates/macros/form.html); this reads them back into the shape the
API takes, so both go through the same schema.
"""

import re
from typing import Any

from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict

from forms.sections.base import is_blank

_BOOLEANS = {"true": True, "True": True, "false": False, "False": False}


def answers_from_form(schema: Schema, form: MultiDict, prefix: str = "") -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for attr, field in schema.fields.items():
        if field.dump_only or field.metadata.get("server_set"):
            continue
        key = field.data_key or attr
        name = prefix + key
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            value: Any = _rows(field.inner.schema, form, name)
        elif isinstance(field, fields.List):
            value = [item for item in form.getlist(name) if item.strip()]
        elif isinstance(field, fields.Nested):
            value = answers_from_form(field.schema, form, name + "-")
        else:
            value = form.get(name, "")
            if isinstance(field, fields.Boolean):
                value = _BOOLEANS.get(value, value)
        if not is_blank(value):
            answers[key] = value
    return answers


def _rows(schema: Schema, form: MultiDict, name: str) -> list[dict[str, Any]]:
    pattern = re.compile(re.escape(name) + r"-([0-9]+)-")
    indexes = sorted({int(m.group(1)) for key in form if (m := pattern.match(key))})
    rows = [answers_from_form(schema, form, f"{name}-{i}-") for i in indexes]
    return [row for row in rows if not is_blank(row)]
