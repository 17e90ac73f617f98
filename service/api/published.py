"""The request bodies the OpenAPI document publishes from the schemas the server validates
with (docs/api.md, "Published schemas"): one path and one body schema per lifecycle step,
converted from forms/transitions.py, so that what the document forbids the server refuses."""

from copy import deepcopy

from forms.transitions import PAYLOAD_SCHEMAS
from workflows.lifecycle import BY_NAME

TRANSITION_PATH = "/api/v1/applications/{application_id}/transitions/{name}"


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def step_body_name(step: str) -> str:
    """The component a step's body is published as: `recommend` -> `RecommendBody`."""
    return f"{camel(step)}Body"


def step_operation_id(step: str) -> str:
    return f"apply_{step}"


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
        name = step_body_name(step)
        spec.components.schema(name, body)
        item = deepcopy(template)
        item["parameters"] = parameters
        operation = item["post"]
        operation["operationId"] = step_operation_id(step)
        label = BY_NAME[step].label
        operation["summary"] = f"{label['en']} ({label['ko']}): the step `{step}`"
        operation["description"] = (
            "`If-Match` must carry the version the caller last read. The answer is where the "
            "case now stands, with the link to the whole application."
        )
        operation["requestBody"] = {
            "required": bool(body.get("required")),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
        paths[TRANSITION_PATH.replace("{name}", step)] = item
