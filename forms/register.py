"""What a reader may ask of the public register: a search and a keyset cursor (docs/register.md).

One schema for the HTML page, the JSON API and the CSV download, so each refuses the same
bad argument with the same message.
"""

import re

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from workflows.bilingual import t
from workflows.lifecycle import PHASES
from workflows.regime import CATEGORIES

# The statuses a registration shows on the register.
REGISTER_STATUSES = PHASES["monitoring"]
# Anchored: the published schema carries this pattern, and JSON Schema patterns search.
NUMBER = re.compile(r"^KVI-\d{4}-\d{4,6}$")
SEARCH_MAX = 100
LIMIT_MAX = 200


def _one_of(values) -> validate.OneOf:
    return validate.OneOf(
        list(values),
        error=t("Choose one of: {choices}.", "다음 중 하나를 고르십시오: {choices}.").format(
            choices=", ".join(values)
        ),
    )


class RegisterQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # the page's own arguments (lang, ...) pass by

    q = fields.String(
        validate=validate.Length(
            max=SEARCH_MAX,
            error=t(
                "Search for at most {max} characters.", "검색어는 {max}자 이내로 적습니다."
            ).format(max=SEARCH_MAX),
        ),
        metadata={"description": "part of the issuer's name, the number or the token"},
    )
    category = fields.String(validate=_one_of(CATEGORIES))
    status = fields.String(validate=_one_of(REGISTER_STATUSES))
    after = fields.String(
        validate=validate.Regexp(
            NUMBER,
            error=t(
                "`after` is a registration number such as KVI-2026-0001: the `next` link "
                "carries it.",
                "`after`는 KVI-2026-0001과 같은 등록번호입니다. `next` 링크에 들어 있습니다.",
            ),
        ),
        metadata={"description": "cursor: the last registration number of the page before"},
    )
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(
            min=1,
            max=LIMIT_MAX,
            error=t(
                "`limit` is a number from 1 to {max}.", "`limit`은 1부터 {max}까지의 숫자입니다."
            ).format(max=LIMIT_MAX),
        ),
    )

    @pre_load
    def _blank_is_absent(self, data, **kwargs):
        # An empty search box or "any" in a select asks for everything.
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in data.items()
            if not isinstance(value, str) or value.strip()
        }
