"""Translations from the Babel catalogs in ``web/locale`` and locale-aware formatting.

The current locale lives in a context variable set by the web layer per request (and by
the CLI), so services and templates translate without passing the locale around.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "web" / "locale"
DEFAULT_LOCALE = "en"
# Offered in the language switch, in this order; the names are shown in their own language.
LOCALES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}

_current: ContextVar[str] = ContextVar("aftersales_locale", default=DEFAULT_LOCALE)


def normalize(locale: str | None) -> str:
    """Map what a browser or a user sends (``zh-CN``, ``zh``, ``en-US``) to a locale we have."""
    if not locale:
        return DEFAULT_LOCALE
    text = locale.replace("-", "_").strip()
    if text in LOCALES:
        return text
    language = text.split("_", 1)[0].lower()
    for known in LOCALES:
        if known.split("_", 1)[0] == language:
            return known
    return DEFAULT_LOCALE


def negotiate(accept_language: str | None) -> str:
    """The best locale for an Accept-Language header (quality values honoured)."""
    if not accept_language:
        return DEFAULT_LOCALE
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if name:
            weighted.append((quality, name))
    for _quality, name in sorted(weighted, key=lambda item: -item[0]):
        if normalize(name) != DEFAULT_LOCALE or name.lower().startswith("en"):
            return normalize(name)
    return DEFAULT_LOCALE


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    _current.set(normalize(locale))


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(normalize(locale))
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=8)
def _catalog(locale: str) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    table: dict[str | tuple[str, ...], str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        value = message.string if isinstance(message.string, str) else tuple(message.string)
        table[key] = value
    return table


def gettext(message: str, **values: object) -> str:
    """The translation of ``message`` in the current locale, with ``%(name)s`` filled in."""
    translated = _catalog(current_locale()).get(message, message)
    text = translated if isinstance(translated, str) else message
    return text % values if values else text


def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
    translated = _catalog(current_locale()).get((singular, plural))
    if isinstance(translated, tuple) and translated:
        # zh_CN has a single plural form; English uses two.
        index = 0 if len(translated) == 1 or count == 1 else 1
        text = translated[index] or (singular if count == 1 else plural)
    else:
        text = singular if count == 1 else plural
    try:
        return text % {"num": count, **values}
    except (KeyError, ValueError):
        # Jinja's newstyle ngettext passes only the count and fills the other
        # placeholders itself afterwards.
        return text


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def _babel_locale() -> Locale:
    return _parsed_locale(current_locale())


@lru_cache(maxsize=8)
def _parsed_locale(name: str) -> Locale:
    # Locale.parse builds a new object each time; formatting 50 rows asks hundreds of times.
    return Locale.parse(name)


def format_number(value: int | float | Decimal | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        # Whole numbers fill every table: group them with the locale's separator directly
        # (babel's general formatter costs about 0.1 ms a call).
        return f"{value:,}".replace(",", _group_symbol(current_locale()))
    return babel_numbers.format_decimal(value, locale=_babel_locale())


@lru_cache(maxsize=8)
def _group_symbol(name: str) -> str:
    return babel_numbers.get_group_symbol(_parsed_locale(name))


def format_decimal(value: float | Decimal | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return babel_numbers.format_decimal(value, format=pattern, locale=_babel_locale())


def format_percent(value: float | Decimal | None, digits: int = 1) -> str:
    """``value`` is a fraction (0.049 → 4.9 %)."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return babel_numbers.format_percent(value, format=pattern, locale=_babel_locale())


def format_money(amount: Decimal | float | None, currency: str | None) -> str:
    if amount is None:
        return "—"
    if not currency:
        return format_decimal(amount, 2)
    return babel_numbers.format_currency(amount, currency, locale=_babel_locale())


def format_date(value: date | datetime | None, zone: tzinfo | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if zone is not None:
            value = value.astimezone(zone)
        value = value.date()
    return _medium_date(value, current_locale())


@lru_cache(maxsize=4096)
def _medium_date(day: date, name: str) -> str:
    # Lists show the same few dozen days over and over.
    return babel_dates.format_date(day, format="medium", locale=_parsed_locale(name))


def format_datetime(value: datetime | None, zone: tzinfo | None = None) -> str:
    if value is None:
        return "—"
    return babel_dates.format_datetime(value, format="short", tzinfo=zone, locale=_babel_locale())


class Message(str):
    """English text that remembers its catalog template and values, so it can be shown
    later in another language. Behaves as the plain English string everywhere else."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Message:
        text = template
        if params:
            try:
                text = template % params
            except (KeyError, ValueError, TypeError):
                text = template
        made = super().__new__(cls, text)
        made.template = template
        made.params = params
        return made

    def localized(self) -> str:
        return localize(self.template, self.params)


def localize(template: str, params: dict[str, object] | None = None) -> str:
    """``template`` translated into the current language and filled with ``params``."""
    text = gettext(template)
    if not params:
        return text
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        return template % params


def localize_error(error: dict[str, object]) -> str:
    """The message of a stored import error (``RowError.as_dict()``) in the current language."""
    template = error.get("message_id") or error.get("message") or ""
    params = error.get("params")
    return localize(str(template), params if isinstance(params, dict) else None)
