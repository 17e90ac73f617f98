"""Posted HTML forms back into the nested data a report schema loads.

Names follow macros/form.html: `<key>`, `<key>-<sub>` for a Nested field and
`<key>-<i>-<sub>` for row i of a List(Nested); rows left blank are dropped.
"""

import re
from typing import Any

from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict


def data_from_form(schema: Schema, form: MultiDict, prefix: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {}
    for attr, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or attr
        name = prefix + key
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            data[key] = _rows(field.inner.schema, form, name)
        elif isinstance(field, fields.Nested):
            data[key] = data_from_form(field.schema, form, name + "-")
        elif isinstance(field, fields.Boolean):
            data[key] = form.get(name) in ("true", "on", "1")
        elif form.get(name, "").strip():
            # A figure is read as typed, separators and all, by its field (forms/fields.py).
            data[key] = form[name]
    return data


def _rows(schema: Schema, form: MultiDict, name: str) -> list[dict[str, Any]]:
    pattern = re.compile(re.escape(name) + r"-([0-9]+)-")
    indices = sorted({int(m.group(1)) for key in form if (m := pattern.match(key))})
    rows = []
    for index in indices:
        row_prefix = f"{name}-{index}-"
        if not any(form.get(key, "").strip() for key in form if key.startswith(row_prefix)):
            continue  # the empty row, or a row the user cleared
        rows.append(data_from_form(schema, form, row_prefix))
    return rows
