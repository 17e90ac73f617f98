"""Helpers shared by the views: numbers from the query string or a header, form data in, one
transition form per option out."""

from typing import Any
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from forms.transitions import PAYLOAD_SCHEMAS
from service import MAX_DATABASE_ID


def whole_number(text: str | None, limit: int = MAX_DATABASE_ID) -> int | None:
    """A number written in ASCII digits that fits an INTEGER column, else None.

    `str.isdigit` alone admits '²' and other digits `int()` refuses, and any length."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(limit)):
        return None
    number = int(text)
    return number if number <= limit else None


def local_target(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: no open redirect.

    Browsers read a backslash as a slash and drop tabs and newlines, so a path starting
    with a slash and a backslash, or with slash, tab, slash, leaves the site as // does."""
    if not target or any(ord(c) < 0x20 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def payload_from_form(name: str, form: MultiDict) -> dict[str, Any]:
    """Read a transition's fields from a posted form, by the widget each field declares."""
    payload: dict[str, Any] = {}
    for field_name, field in PAYLOAD_SCHEMAS[name]._declared_fields.items():
        widget = field.metadata.get("widget")
        if widget == "lines":
            # Ticked items of a checklist (return_incomplete's missing items) come first.
            lines = form.getlist(f"{field_name}_checked")
            lines += [line.strip() for line in form.get(field_name, "").splitlines()]
            if any(lines):
                payload[field_name] = [line for line in lines if line]
        elif widget == "checkboxes":
            values = form.getlist(field_name)
            if values:
                payload[field_name] = values
        elif form.get(field_name, "").strip():
            payload[field_name] = form[field_name].strip()
    return payload


def transition_fields(name: str) -> list[tuple[str, Any]]:
    """The declared fields of a transition's form, for the template to render."""
    return list(PAYLOAD_SCHEMAS[name]._declared_fields.items())


# The steps a case officer usually takes first come first (the first allowed one is primary).
ACTION_ORDER = (
    "mark_complete",
    "return_incomplete",
    "request_information",
    "recommend",
    "approve",
    "refuse",
    "send_back",
    "respond",
    "submit",
    "resubmit",
    "suspend",
    "reinstate",
    "revoke",
    "surrender",
    "withdraw",
    "lapse",
)


def ordered_options(options: list) -> list:
    """Allowed steps before closed ones, each group in the order a case is worked."""
    return sorted(
        options,
        key=lambda o: (not o.allowed, ACTION_ORDER.index(o.transition.name)),
    )
