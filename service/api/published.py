"""The request bodies the OpenAPI document publishes from the schemas the server validates
with (docs/api.md, "Published schemas"): one path and one body schema per lifecycle step,
converted from forms/transitions.py, and one path per application section with a body
schema per category, converted from forms/sections; so that what the document forbids the
server refuses."""

import json
from copy import deepcopy

from marshmallow import validate

from forms.fields import EARLIEST_DATE, LATEST_DATE, CalendarDate, Figure, Trimmed
from forms.sections import SECTIONS
from forms.sections.json_schema import section_variants
from forms.transitions import PAYLOAD_SCHEMAS
from service.api.contract import SECTION_OPERATION_IDS, STEP_OPERATION_IDS
from workflows.lifecycle import BY_NAME
from workflows.regime import CATEGORY_LABELS

TRANSITION_PATH = "/api/v1/applications/{application_id}/transitions/{name}"
SECTION_PATH = "/api/v1/applications/{application_id}/sections/{name}"


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def step_body_name(step: str) -> str:
    """The component a step's body is published as: `recommend` -> `RecommendBody`."""
    return f"{camel(step)}Body"


def step_operation_id(step: str) -> str:
    return STEP_OPERATION_IDS[list(PAYLOAD_SCHEMAS).index(step)]


# The days CalendarDate takes (1900 to 2199), as a pattern a JSON Schema can state.
CALENDAR_PATTERN = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"
if (EARLIEST_DATE.year, LATEST_DATE.year) != (1900, 2199):
    raise RuntimeError("CALENDAR_PATTERN states the years 1900 to 2199: change both together")


def what_the_server_takes(converter, field, **kwargs) -> dict:
    """What a field of ours refuses beyond its type, added to its published property: a
    day outside the calendar, and text that is only blanks where some is required (it is
    trimmed before its length is checked). An apispec attribute function."""
    if isinstance(field, CalendarDate):
        return {"pattern": CALENDAR_PATTERN}
    if isinstance(field, Figure):  # a Decimal's bounds are numbers, not its decimal text
        return {
            key: float(bound) if bound % 1 else int(bound)
            for rule in field.validators
            if isinstance(rule, validate.Range)
            for key, bound in (("minimum", rule.min), ("maximum", rule.max))
            if bound is not None
        }
    if isinstance(field, Trimmed) and any(
        isinstance(rule, validate.Length) and (rule.min or 0) > 0 for rule in field.validators
    ):
        return {"pattern": r"\S"}
    return {}


def json_schema(converter, schema) -> dict:
    """A marshmallow schema instance as the JSON Schema apispec writes for it."""
    return converter.schema2jsonschema(schema)


def publish_transitions(spec, converter) -> None:
    """Replace the one `transitions/{name}` path by a path per step, each with the body
    schema of that step's payload schema (the same class `operations.transition` loads)."""
    paths = spec._paths  # apispec keeps the document's paths here, in order
    template = paths.pop(TRANSITION_PATH, None)
    if template is None:
        return
    parameters = [p for p in template.get("parameters", []) if p.get("name") != "name"]
    for step, schema_class in PAYLOAD_SCHEMAS.items():
        body = json_schema(converter, schema_class(None))  # the context only feeds validators
        if schema_class.required_when:
            body["allOf"] = [rule.json_schema(body) for rule in schema_class.required_when]
        name = step_body_name(step)
        spec.components.schema(name, body)
        item = deepcopy(template)
        item["parameters"] = parameters
        operation = item["post"]
        operation["operationId"] = step_operation_id(step)
        label = BY_NAME[step].label
        operation["summary"] = f"{label.en} ({label.ko}): the step `{step}`"
        operation["description"] = (
            "`If-Match` must carry the version the caller last read. The answer is where the "
            "case now stands, with the link to the whole application."
        )
        operation["requestBody"] = {
            "required": bool(body.get("required")),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
        paths[TRANSITION_PATH.replace("{name}", step)] = item


def section_operation_id(section: str) -> str:
    return SECTION_OPERATION_IDS[list(SECTIONS).index(section)]


def section_body_name(section: str, categories: list[str], variants: int) -> str:
    """`ApplicantSection` when every category has the same body, else one per category
    group named after its first category: `OwnershipSectionKrwStablecoin`."""
    name = f"{camel(section)}Section"
    return name if variants == 1 else name + camel(categories[0])


def publish_sections(spec) -> None:
    """Replace the one `sections/{name}` path by a path per section, whose body is any of
    the section's category bodies (the application's category picks which one applies)."""
    paths = spec._paths
    template = paths.pop(SECTION_PATH, None)
    if template is None:
        return
    parameters = [p for p in template.get("parameters", []) if p.get("name") != "name"]
    for section, section_spec in SECTIONS.items():
        variants = section_variants(section)
        refs = []
        for body, categories in variants.items():
            name = section_body_name(section, categories, len(variants))
            schema = json.loads(body)
            schema["description"] = "Answers of an application of category " + ", ".join(
                f"`{c}` ({CATEGORY_LABELS[c].en})" for c in categories
            )
            schema["x-categories"] = categories
            spec.components.schema(name, schema)
            refs.append({"$ref": f"#/components/schemas/{name}"})
        item = deepcopy(template)
        item["parameters"] = parameters
        operation = item["put"]
        operation["operationId"] = section_operation_id(section)
        title = section_spec.title
        operation["summary"] = f"{title.en} ({title.ko}): save the section `{section}`"
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": refs[0] if len(refs) == 1 else {"anyOf": refs}}
            },
        }
        paths[SECTION_PATH.replace("{name}", section)] = item
