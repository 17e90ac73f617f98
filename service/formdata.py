"""Posted HTML forms read back into the data a schema loads, by the schema's own fields.

One reader for every form: a section, a report and a step's fields (docs/design.md,
"One form reader"). Names follow templates/macros/form.html: `<key>`, `<key>-<sub>` for a
Nested field, `<key>-<i>-<sub>` for row i of a List(Nested), `<key>` repeated for a list of
choices. What it agrees on, for every form:

- a row whose inputs are all blank, or hold no answer, is dropped (the empty row, or one
  the user cleared);
- a blank answer is no answer: the key is left out, so the schema says it is missing;
- a boolean reads "true" and "false" (a yes/no select, or a ticked checkbox); a checkbox
  left unticked posts nothing, which is no answer unless the field's `unticked` metadata
  says what it means (a report's "segregated": no);
- an answer loses the spaces around it; figures and dates go to their fields as typed,
  separators and all (forms/fields.py);
- fields the service sets (`server_set`) or only shows (`dump_only`) are never read.
"""

import re
from typing import Any

from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict

from forms.sections.base import is_blank

_BOOLEANS = {"true": True, "True": True, "on": True, "false": False, "False": False}


def read_form(schema: Schema | type[Schema], form: MultiDict, prefix: str = "") -> dict[str, Any]:
    """The answers `form` holds for `schema`, in the shape its JSON body takes."""
    declared = schema.fields if isinstance(schema, Schema) else schema._declared_fields
    data: dict[str, Any] = {}
    for attr, field in declared.items():
        if field.dump_only or field.metadata.get("server_set"):
            continue
        key = field.data_key or attr
        name = prefix + key
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            value: Any = _rows(field.inner.schema, form, name)
        elif isinstance(field, fields.List):
            value = _items(field, form, name)
        elif isinstance(field, fields.Nested):
            value = read_form(field.schema, form, name + "-")
        elif isinstance(field, fields.Boolean):
            value = _boolean(field, form.get(name))
        else:
            value = form.get(name, "").strip()
        if not is_blank(value):
            data[key] = value
    return data


def _boolean(field: fields.Boolean, posted: str | None) -> Any:
    if posted is None or not posted.strip():
        return field.metadata.get("unticked")
    # Anything else goes on as posted, for the field to refuse with its own message.
    return _BOOLEANS.get(posted.strip(), posted)


def _items(field: fields.List, form: MultiDict, name: str) -> list[str]:
    """A list of plain values: the ticked choices, then, for a `lines` field, the lines of
    its text area (return_incomplete's checklist and its own lines)."""
    if field.metadata.get("widget") == "lines":
        posted = form.getlist(f"{name}_checked") + form.get(name, "").splitlines()
    else:
        posted = form.getlist(name)
    return [item.strip() for item in posted if item.strip()]


def _rows(schema: Schema, form: MultiDict, name: str) -> list[dict[str, Any]]:
    pattern = re.compile(re.escape(name) + r"-([0-9]+)-")
    indexes = sorted({int(m.group(1)) for key in form if (m := pattern.match(key))})
    rows = []
    for index in indexes:
        row = f"{name}-{index}-"
        if all(not value.strip() for key, value in form.items(multi=True) if key.startswith(row)):
            continue  # nothing typed: an unticked checkbox must not make it a row of "no"
        answers = read_form(schema, form, row)
        if answers:
            rows.append(answers)
    return rows
