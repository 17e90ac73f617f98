"""The version of a case a change was made against (docs/security.md, "Integrity and
concurrency"): the API sends it as If-Match, every form that changes a case as its hidden
`version` field. The operations check it after asking whose step it is, so a wrong role
still learns nothing but 403."""

from enum import Enum

from werkzeug.datastructures import MultiDict

from service.errors import PreconditionFailed, PreconditionRequired
from service.web import whole_number
from workflows.bilingual import t


class FormVersion(Enum):
    """What a form sent where the version belongs."""

    MISSING = "missing"  # no field, or a blank one: 428, like the API without If-Match
    UNREADABLE = "unreadable"  # not a version number: 412, like an odd If-Match


# An expected version: a number, what a form sent instead, or None for "any" (the API's
# `If-Match: *`, and the steps the system takes itself).
Expected = int | FormVersion | None


def form_version(form: MultiDict) -> int | FormVersion:
    text = form.get("version", "").strip()
    if not text:
        return FormVersion.MISSING
    number = whole_number(text)
    return FormVersion.UNREADABLE if number is None else number


def check_version(current: int, expected: Expected) -> None:
    """Refuse a change made against another version of the case than `current`."""
    if expected is None:
        return
    if expected is FormVersion.MISSING:
        raise PreconditionRequired(
            t(
                "The form did not say which version of the case it was filled in on, so "
                "nothing was changed. Reload the page and send it again.",
                "양식에 작성 당시 사건의 버전이 없어 아무것도 변경하지 않았습니다. "
                "페이지를 새로 고친 뒤 다시 보내십시오.",
            ),
            code="version_required",
            current_version=current,
        )
    if expected != current:
        sent = "?" if expected is FormVersion.UNREADABLE else expected
        raise PreconditionFailed(
            t(
                "The case is at version {current}, not {sent}; reload it before you act.",
                "사건의 현재 버전은 {sent}이(가) 아니라 {current}입니다. 다시 불러온 뒤 "
                "진행하십시오.",
                current=current,
                sent=sent,
            ),
            code="stale_version",
            current_version=current,
        )
