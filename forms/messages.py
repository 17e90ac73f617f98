"""marshmallow's own messages in both languages, for every schema in `forms/`.

One mechanism (docs/design.md, "One voice"): every schema derives from
`BilingualSchema`, which, before each load, gives each field the message below for each
of marshmallow's defaults it still carries. A message a field or schema declares itself
(a `t()` text, or a section field's `required_message`) is kept. The API and the web form
then say the same, in the request's language (`workflows/bilingual.py`).
"""

from marshmallow import Schema, fields

from workflows.bilingual import BiText, pick, t

FIELD_MESSAGES: dict[str, BiText] = {
    "required": t("This field is required.", "필수 입력 항목입니다."),
    "null": t("This field is required.", "필수 입력 항목입니다."),
    "validator_failed": t("This value is not valid.", "값이 올바르지 않습니다."),
    "invalid_utf8": t("Enter valid text.", "올바른 문자열을 입력하십시오."),
    "too_large": t("This number is too large.", "숫자가 너무 큽니다."),
    "special": t("Enter a finite number.", "유한한 숫자를 입력하십시오."),
    "invalid_awareness": t(
        "Enter a date and time with its time zone (ISO 8601).",
        "시간대를 포함한 날짜와 시각을 입력하십시오(ISO 8601).",
    ),
    "type": t("Enter this group of answers as an object.", "이 항목 묶음은 객체로 입력하십시오."),
}

# The first class a field is an instance of says what "invalid" means for it.
INVALID_MESSAGES: tuple[tuple[type, BiText], ...] = (
    (fields.Boolean, t("Answer yes or no.", "예 또는 아니요로 답하십시오.")),
    (fields.Integer, t("Enter a whole number.", "정수를 입력하십시오.")),
    (fields.Number, t("Enter a number.", "숫자를 입력하십시오.")),
    (
        fields.DateTime,
        t("Enter a date and time (ISO 8601).", "날짜와 시각을 입력하십시오(ISO 8601)."),
    ),
    (fields.Date, t("Enter a date as YYYY-MM-DD.", "날짜를 YYYY-MM-DD 형식으로 입력하십시오.")),
    (fields.List, t("Enter a list.", "목록으로 입력하십시오.")),
    (fields.String, t("Enter text.", "문자열을 입력하십시오.")),
)


class _Default(BiText):
    """One of the messages above, made in the locale of the load that set it."""


def localise_field(field: fields.Field) -> None:
    """Give `field` the bilingual message for each marshmallow default it still has, in the
    current locale; a message the field declares itself is left as it is."""
    messages = field.error_messages

    def default(key: str) -> bool:
        return key in messages and (
            not isinstance(messages[key], BiText) or isinstance(messages[key], _Default)
        )

    for key, pair in FIELD_MESSAGES.items():
        if default(key):
            messages[key] = _Default(pair.en, pair.ko)
    for field_class, pair in INVALID_MESSAGES:
        if isinstance(field, field_class):
            if default("invalid"):
                messages["invalid"] = _Default(pair.en, pair.ko)
            break
    required_message = field.metadata.get("required_message")
    if required_message:
        messages["required"] = pick(required_message)
    if isinstance(field, fields.List):
        localise_field(field.inner)


class BilingualSchema(Schema):
    """A schema whose every message is said in the current locale."""

    # What a key the schema does not know is called, by the schema family.
    unknown_message: BiText = t(
        "This field is not part of this form.", "이 양식에 없는 항목입니다."
    )
    type_message: BiText = t(
        "Send the answers as an object of named fields.",
        "답변은 항목 이름과 값으로 이루어진 객체로 보내야 합니다.",
    )

    def _localise(self) -> None:
        self.error_messages = {
            "type": self.type_message.now(),
            "unknown": self.unknown_message.now(),
        }
        for field in self.fields.values():
            localise_field(field)

    def load(self, data, **kwargs):
        self._localise()
        return super().load(data, **kwargs)

    def validate(self, data, **kwargs):
        self._localise()
        return super().validate(data, **kwargs)
