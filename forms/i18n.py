"""Bilingual text for rules and labels, without Flask.

The service sets the request's locale with `use_locale`; validation messages
are then produced in that language, so the web form and the API say the same.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from workflows.korean import with_particles

LOCALES = ("ko", "en")
DEFAULT_LOCALE = "ko"

_locale: ContextVar[str] = ContextVar("issuer_registry_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return _locale.get()


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


@contextmanager
def use_locale(locale: str):
    token = _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


class BiText(str):
    """A message that knows both languages.

    It reads as the locale current when it was made, so it works wherever a
    `str` does; `localize` re-reads it in the locale of the response. That lets
    schemas declare messages at import time, before any request has a locale.
    """

    en: str
    ko: str

    def __new__(cls, en: str, ko: str) -> "BiText":
        # Particles are chosen once the words are in; `{placeholders}` wait for format().
        ko = with_particles(ko)
        self = super().__new__(cls, ko if _locale.get() == "ko" else en)
        self.en = en
        self.ko = ko
        return self

    def format(self, *args: Any, **kwargs: Any) -> "BiText":
        return BiText(self.en.format(*args, **kwargs), self.ko.format(*args, **kwargs))

    def pick(self, locale: str) -> str:
        return self.ko if locale == "ko" else self.en


def t(en: str, ko: str, **values: Any) -> BiText:
    """A bilingual message, with `{name}` placeholders filled."""
    text = BiText(en, ko)
    return text.format(**values) if values else text


def localize(value: Any, locale: str | None = None) -> Any:
    """Turn every BiText inside lists and dicts (marshmallow errors) into the locale's text."""
    locale = locale or _locale.get()
    if isinstance(value, BiText):
        return value.pick(locale)
    if isinstance(value, dict):
        return {key: localize(item, locale) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [localize(item, locale) for item in value]
    return value


def pick(pair: dict[str, str] | None) -> str:
    """One side of a {"en": ..., "ko": ...} pair, in the current locale."""
    if not pair:
        return ""
    return pair.get(_locale.get()) or pair.get("en") or ""
