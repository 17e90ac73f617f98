"""Errors as RFC 9457 problem details, for every API path.

A problem document speaks the request's language alone (Korean by default): its title comes
from the status, its detail and each field error's message from the text's own translation,
else from a plain sentence for the status or the field error's code (docs/api.md)."""

import re
from http import HTTPStatus

from flask import Response, json, request
from flask_babel import gettext
from flask_smorest import Api
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from service.api.contract import HEADERS, header_ref, name_operations
from service.api.published import publish_sections, publish_transitions, what_the_server_takes
from service.errors import OperationError, with_retry_after
from workflows.bilingual import BiText, current_locale, t

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: t("The request could not be read", "요청을 읽을 수 없습니다"),
    401: t("Sign-in needed", "인증이 필요합니다"),
    403: t("You may not do this", "권한이 없습니다"),
    404: t("Not found", "찾을 수 없습니다"),
    405: t("Method not allowed", "허용되지 않는 메서드입니다"),
    409: t("This step is closed now", "지금은 할 수 없는 단계입니다"),
    412: t("The case changed while you were working on it", "작업하는 동안 사건이 변경되었습니다"),
    413: t("The file is too large", "파일이 너무 큽니다"),
    415: t("Unsupported media type", "지원하지 않는 형식입니다"),
    422: t("Some answers need correcting", "고쳐야 할 답변이 있습니다"),
    428: t("The version you are changing is missing", "변경할 버전이 빠졌습니다"),
    429: t("Too many requests", "요청이 너무 많습니다"),
    500: t("The service could not complete this request", "요청을 처리하지 못했습니다"),
    503: t("Not ready yet", "아직 준비되지 않았습니다"),
}

# Said when a detail has no translation into the request's language.
DETAILS = {
    400: t("The request could not be read.", "요청을 읽을 수 없습니다."),
    401: t("Send a valid bearer token.", "유효한 베어러 토큰을 보내십시오."),
    403: t(
        "Your role or organization does not give you access to this.",
        "역할이나 소속 기관으로는 이 작업을 할 수 없습니다.",
    ),
    404: t(
        "There is nothing at this address, or it is not yours to see.",
        "이 주소에는 아무것도 없거나 볼 권한이 없습니다.",
    ),
    405: t("This address does not take that method.", "이 주소는 그 메서드를 받지 않습니다."),
    409: t(
        "The case is not in a state that allows this.", "사건이 이 작업을 허용하는 상태가 아닙니다."
    ),
    412: t(
        "The case changed since you read it: read it again.",
        "읽은 뒤 사건이 변경되었습니다. 다시 읽으십시오.",
    ),
    413: t("The request is too large.", "요청이 너무 큽니다."),
    415: t("Send the body as JSON.", "본문을 JSON으로 보내십시오."),
    422: t(
        "Some fields need correcting: see errors.", "고쳐야 할 항목이 있습니다. errors를 보십시오."
    ),
    428: t(
        "Send If-Match with the ETag of the version you read.",
        "읽은 버전의 ETag를 If-Match로 보내십시오.",
    ),
    429: t(
        "Too many requests: wait and try again.", "요청이 너무 많습니다. 잠시 후 다시 하십시오."
    ),
    500: t("The service could not complete this request.", "요청을 처리하지 못했습니다."),
    503: t(
        "Not ready yet: ask again soon.", "아직 준비되지 않았습니다. 잠시 후 다시 요청하십시오."
    ),
}

# A field error's code, from the words of its message (marshmallow's, webargs' and the
# forms' own, in either language); "invalid" when none matches.
_FIELD_CODES = (
    ("required", re.compile(r"required|Missing data|필수")),
    ("null", re.compile(r"may not be null|null")),
    ("unknown_field", re.compile(r"Unknown field|not part of this|없는 항목")),
    ("one_of", re.compile(r"[Mm]ust be one of|One of|중 하나")),
    ("length", re.compile(r"[Ll]ength|[Ll]onger|[Ss]horter|characters|자로|자 이")),
    ("range", re.compile(r"greater than|less than|between|사이|이상|이하")),
    ("pattern", re.compile(r"pattern|형식")),
    ("type", re.compile(r"Not a valid|Invalid input type|object|list|숫자|목록|객체")),
)
FIELD_MESSAGES = {
    "required": t("This field is required.", "필수 입력 항목입니다."),
    "null": t("This field is required.", "필수 입력 항목입니다."),
    "unknown_field": t("This field is not taken here.", "여기서 받지 않는 항목입니다."),
    "one_of": t(
        "Give one of the values this field takes.", "이 항목이 받는 값 중 하나를 주십시오."
    ),
    "length": t("The length is outside the limits.", "길이가 허용 범위를 벗어났습니다."),
    "range": t("The value is outside the range.", "값이 허용 범위를 벗어났습니다."),
    "pattern": t("The value does not have the expected form.", "값의 형식이 맞지 않습니다."),
    "type": t("The value is not of the expected type.", "값의 유형이 맞지 않습니다."),
    "invalid": t("The value is not valid.", "값이 올바르지 않습니다."),
}
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def in_request_language(text, fallback: BiText | None) -> str | None:
    """`text` in the request's language: a BiText's side, else the catalog's translation,
    else `fallback` (a sentence for its status or code) when `text` is in the other one."""
    if text is None or text == "":
        return None
    locale = current_locale()
    if isinstance(text, BiText):
        return text.pick(locale)
    text = str(text)
    # The service writes its plain sentences in English, and marshmallow's are English:
    # only a Korean answer needs one translated (an English one may quote a Korean name).
    if locale == "en" or _HANGUL.search(text):
        return text
    translated = gettext(text)
    if translated != text or fallback is None:
        return translated
    return fallback.pick(locale)


def field_code(message) -> str:
    text = message.en if isinstance(message, BiText) else str(message)
    return next((code for code, words in _FIELD_CODES if words.search(text)), "invalid")


def field_errors(errors, path: tuple = ()) -> list[dict]:
    """Every message of marshmallow's nested errors as {field, code, message}, the field a
    dotted path keyed like `errors` (webargs puts the location first: json, query, form)."""
    if isinstance(errors, dict):
        return [row for key, value in errors.items() for row in field_errors(value, (*path, key))]
    if isinstance(errors, list | tuple):
        return [row for item in errors for row in field_errors(item, path)]
    code = field_code(errors)
    message = in_request_language(errors, FIELD_MESSAGES[code])
    return [{"field": ".".join(str(part) for part in path), "code": code, "message": message}]


def _localized_errors(errors):
    if isinstance(errors, dict):
        return {str(key): _localized_errors(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [_localized_errors(item) for item in errors]
    return in_request_language(errors, FIELD_MESSAGES[field_code(errors)])


def problem(status: int, detail=None, *, errors=None, **extra) -> Response:
    """A problem document in the request's language, titled by its status; `errors` are
    marshmallow's messages, keyed like the request."""
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, TITLES[400 if status < 500 else 500]).pick(current_locale()),
        "status": status,
    }
    fallback = DETAILS.get(status)
    detail = in_request_language(detail, fallback)
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = _localized_errors(errors)
        body["field_errors"] = field_errors(errors)
    body.update({k: _string_keys(v) for k, v in extra.items() if v is not None})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="issuer-registry"'
    return response


def _string_keys(value):
    """Marshmallow keys a list's row errors by index beside the list's own "_schema": JSON
    object keys are strings, and sorted keys cannot mix the two."""
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_string_keys(item) for item in value]
    return value


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def operation_problem(error: OperationError) -> Response:
    response = problem(
        error.status,
        error.message,
        code=error.code,
        errors=error.errors,
        **error.extra,
    )
    return with_retry_after(response, error)


STATUS_HEADERS = {
    HTTPStatus.METHOD_NOT_ALLOWED: ["Allow"],
    HTTPStatus.SERVICE_UNAVAILABLE: ["Retry-After"],
    HTTPStatus.UNAUTHORIZED: ["WWW-Authenticate"],
}


class FieldErrorSchema(Schema):
    field = fields.String(metadata={"description": "dotted path, keyed like `errors`"})
    code = fields.String(metadata={"enum": sorted(FIELD_MESSAGES)})
    message = fields.String()


class ProblemSchema(Schema):
    """RFC 9457 problem details, with the field errors and refusal reasons this API adds."""

    class Meta:
        unknown = INCLUDE

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String()
    errors = fields.Raw(metadata={"description": "field errors, keyed like the request body"})
    field_errors = fields.List(
        fields.Nested(FieldErrorSchema),
        metadata={"description": "every field error with its machine-readable code"},
    )
    reasons = fields.List(fields.Dict(), metadata={"description": "every refusal reason"})


class ProblemApi(Api):
    """flask-smorest's Api, answering errors as problem details (HTML paths keep Flask's pages)."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, **kwargs):
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(what_the_server_takes)

    def register_blueprint(self, blp, **options):
        name_operations(blp)
        super().register_blueprint(blp, **options)
        if blp.name == "api_applications":
            publish_transitions(self.spec, self.ma_plugin.converter)
        if blp.name == "api_sections":
            publish_sections(self.spec)

    def _register_responses(self):
        # Document every error response as what it is: application/problem+json, with the
        # headers some statuses carry.
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_TYPE
        try:
            super()._register_responses()
        finally:
            del self.DEFAULT_RESPONSE_CONTENT_TYPE
        for name, header in HEADERS.items():
            self.spec.components.header(name, header)
        responses = self.spec.components.responses_lazy
        for status, names in STATUS_HEADERS.items():
            responses[status.name]["headers"] = {name: header_ref(name) for name in names}
        responses["DEFAULT_ERROR"]["headers"] = {
            name: header_ref(name) for names in STATUS_HEADERS.values() for name in names
        }

    def handle_http_exception(self, error: HTTPException):
        if not is_api_request():
            return error.get_response()
        errors = None
        data = getattr(error, "data", None) or {}
        if "messages" in data:
            # webargs nests field errors by location: {"json": {...}, "query": {...}}
            errors = data["messages"]
        code = re.sub(r"\W+", "_", error.name.lower()).strip("_")
        response = problem(error.code or 500, error.description, errors=errors, code=code)
        # What the exception says besides its body: Allow on a 405 (RFC 9110 section 15.5.6).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
