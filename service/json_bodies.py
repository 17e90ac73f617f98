"""JSON request bodies nest at most MAX_JSON_DEPTH levels and carry no NUL character,
checked before anything parses them.

Python's json module recurses once per level, and so do the schemas and the canonical JSON
after it: a body of a few thousand brackets raised RecursionError, a 500. Both readers of a
JSON body, `request.get_json` and the API's argument parser (webargs), read only bodies that
`request.is_json` accepts, so one check before the view covers every endpoint. PostgreSQL
cannot store a NUL in text, and no answer of a person or a system needs one: such a body
is refused here rather than failing at the database.
"""

import json
import re

from flask import request

from service.errors import Invalid, OperationError
from workflows.bilingual import t

# Far deeper than any schema here nests (a section's group of rows is three levels).
MAX_JSON_DEPTH = 32

# A JSON string, its escapes included: brackets inside one nest nothing.
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]++")
# NUL written raw or escaped as \u0000 (an escaped backslash before "u0000" is not one).
_NUL = re.compile(r"\x00|(?<!\\)(?:\\\\)*\\u0000")


class UnreadableJson(OperationError):
    status = 400
    title = "Bad request"


def nesting_depth(text: str, stop_above: int = MAX_JSON_DEPTH) -> int:
    """How deep arrays and objects nest in the JSON `text` (0 for a bare value), counted no
    further than one level past `stop_above`."""
    depth = deepest = 0
    for bracket in _NOT_A_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > stop_above:
                break
    return deepest


def refuse_unreadable_json() -> None:
    """Before each request: a JSON body nested deeper than MAX_JSON_DEPTH, or carrying a NUL
    character, is a 400."""
    if not request.is_json:
        return
    body = request.get_data(cache=True)
    try:
        # The encoding json.loads would read it in (UTF-8, or UTF-16 or -32 by its first bytes).
        text = body.decode(json.detect_encoding(body))
    except UnicodeDecodeError:
        return  # no parser reads it either: the view's own 400
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise UnreadableJson(
            t(
                "The JSON body nests arrays and objects more than {limit} levels deep.",
                "JSON 본문의 배열과 객체가 {limit}단계보다 깊게 중첩되어 있습니다.",
                limit=MAX_JSON_DEPTH,
            ),
            code="json_too_deep",
        )
    if _NUL.search(text):
        raise UnreadableJson(
            t(
                "The JSON body carries a NUL character (\\u0000), which no field accepts.",
                "JSON 본문에 어떤 항목도 받지 않는 NUL 문자(\\u0000)가 들어 있습니다.",
            ),
            code="json_nul_character",
        )


def json_object() -> dict:
    """The request's JSON body, which must be an object; none at all reads as {}."""
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        raise Invalid(
            t("The body must be a JSON object.", "본문은 JSON 객체여야 합니다."),
            code="body_not_object",
        )
    return body
