"""Bilingual text, the one carrier for every layer: labels, rules' messages, refusals.

`t(english, korean)` makes a `BiText`. The service sets the request's locale with
`use_locale`; a message made during the request reads in that language, so the web
form and the API say the same, and `pick` reads any BiText in the current locale.
Where text is stored (a filing's content, a finding), it is kept as both languages:
`BiText.pair()` writes `{"en": ..., "ko": ...}` and `BiText.of()` reads it back.
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

    def now(self) -> "BiText":
        """The same text, reading in the locale current now (one made at import reads in
        the default locale)."""
        return BiText(self.en, self.ko)

    def pair(self) -> dict[str, str]:
        """Both languages, as stored in a filing or a finding."""
        return {"en": self.en, "ko": self.ko}

    @classmethod
    def of(cls, stored: "BiText | dict[str, str]") -> "BiText":
        """A stored pair (or a BiText) as a BiText; Korean falls back to English."""
        if isinstance(stored, BiText):
            return stored
        en = str(stored.get("en") or "")
        return cls(en, str(stored.get("ko") or en))


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


def both_languages(value: Any) -> Any:
    """`value` with every BiText inside dicts and lists as its pair: the form JSON is
    written in (json writes a str subclass as the str itself, so no `default` hook sees it).
    Text meant for one reader is picked or localized before."""
    if isinstance(value, BiText):
        return value.pair()
    if isinstance(value, dict):
        return {key: both_languages(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [both_languages(item) for item in value]
    return value


def pick(text: BiText | dict[str, str] | None, locale: str | None = None) -> str:
    """A BiText, or a stored pair, in `locale` (the current one when None)."""
    if not text:
        return ""
    locale = locale or _locale.get()
    if isinstance(text, BiText):
        return text.pick(locale)
    return text.get(locale) or text.get("en") or ""
