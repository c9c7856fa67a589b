"""The zh_CN catalog covers every user-facing string, keeps placeholders intact, and the
locale helpers (translation, number/money/date formatting, negotiation) behave per locale."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from aftersales.exceptions import InvalidInput
from aftersales.kit import i18n
from aftersales.kit.i18n import N_

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
ZH_CN_PO = ROOT / "src" / "aftersales" / "web" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
# The same keywords as `make i18n` (pybabel extract -k N_ -k _ -k gettext -k ngettext:1,2,
# on top of babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["N_", "_", "gettext", "ngettext:1,2"])}
# A %-conversion: "%(name)s", "%(count)d", a positional "%s" or a literal "%%".
PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")

MessageKey = str | tuple[str, ...]


def _key(message_id: str | tuple[str, ...] | list[str]) -> MessageKey:
    return message_id if isinstance(message_id, str) else tuple(message_id)


@pytest.fixture(scope="module")
def extracted() -> dict[MessageKey, list[str]]:
    """Every msgid in the sources, as `make i18n` extracts it, with where it was found."""
    with BABEL_CFG.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(BABEL_CFG))
    found: dict[MessageKey, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        found.setdefault(_key(message), []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with ZH_CN_PO.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def _translations(message: Message) -> list[str]:
    if isinstance(message.string, str):
        return [message.string]
    return list(message.string or ())


def _translated(message: Message | None) -> bool:
    """Has a non-empty, non-fuzzy translation (every plural form filled in)."""
    if message is None or message.fuzzy:
        return False
    forms = _translations(message)
    return bool(forms) and all(form.strip() for form in forms)


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def _messages(catalog: Catalog) -> Iterator[Message]:
    for message in catalog:
        if message.id and _translated(message):
            yield message


def test_extraction_finds_the_user_facing_strings(extracted: dict[MessageKey, list[str]]) -> None:
    # Guards the test itself: Python (N_) and Jinja templates (_) are both extracted.
    assert "Returns" in extracted
    assert "unknown role '%(role)s'; choose one of %(choices)s" in extracted
    assert any(".html:" in place for place in extracted["Returns"])


def test_every_message_has_a_chinese_translation(
    extracted: dict[MessageKey, list[str]], catalog: Catalog
) -> None:
    missing: dict[MessageKey, list[str]] = {}
    for key, places in extracted.items():
        message = catalog.get(key)
        if message is None or _key(message.id) != key or not _translated(message):
            missing[key] = places
    listing = "\n".join(
        f"  {key!r}  ({', '.join(places[:3])})" for key, places in sorted(missing.items(), key=str)
    )
    assert not missing, (
        f"{len(missing)} message(s) have no zh_CN translation (missing, empty or fuzzy) in "
        f"{ZH_CN_PO.relative_to(ROOT)}; run make i18n and translate:\n{listing}"
    )


def test_translations_keep_the_placeholders(catalog: Catalog) -> None:
    broken = []
    for message in _messages(catalog):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        if isinstance(message.id, str):
            expected = _placeholders(message.id)
        else:
            # A plural translation follows the plural msgid (the singular may leave out %(num)s).
            expected = _placeholders(ids[-1])
        for form in _translations(message):
            if _placeholders(form) != expected:
                broken.append(f"  {ids[0]!r} -> {form!r}: {_placeholders(form)} != {expected}")
    assert not broken, "translations that change the placeholders:\n" + "\n".join(broken)


def test_catalog_has_one_plural_form(catalog: Catalog) -> None:
    assert catalog.num_plurals == 1
    for message in _messages(catalog):
        if not isinstance(message.id, str):
            assert len(_translations(message)) == 1, message.id


def test_gettext_translates_in_chinese_and_leaves_english() -> None:
    with i18n.use_locale("zh_CN"):
        assert i18n.gettext("Returns") == "退货"
        assert i18n.gettext("Orders") == "订单"
        assert i18n.gettext("Return rate") == "退货率"
        assert i18n.gettext("Join %(store)s", store="Acme") == "加入 Acme"
        assert i18n.gettext("a string nobody translated") == "a string nobody translated"
    with i18n.use_locale("en"):
        assert i18n.gettext("Returns") == "Returns"
        assert i18n.gettext("Join %(store)s", store="Acme") == "Join Acme"


def test_errors_are_shown_in_the_users_language() -> None:
    error = InvalidInput(
        N_("unknown role '%(role)s'; choose one of %(choices)s"),
        role="boss",
        choices="owner, manager",
    )
    assert error.message == "unknown role 'boss'; choose one of owner, manager"
    with i18n.use_locale("zh_CN"):
        localized = error.localized()
    assert localized != error.message
    assert "boss" in localized
    assert "owner, manager" in localized


def test_number_formatting_per_locale() -> None:
    with i18n.use_locale("en"):
        assert i18n.format_percent(0.049) == "4.9%"
        assert i18n.format_percent(0.5, digits=0) == "50%"
        assert i18n.format_number(1234567) == "1,234,567"
        assert i18n.format_decimal(Decimal("1234.5")) == "1,234.5"
    with i18n.use_locale("zh_CN"):
        # CLDR writes percentages and grouping the same way in Simplified Chinese.
        assert i18n.format_percent(0.049) == "4.9%"
        assert i18n.format_number(1234567) == "1,234,567"
    for locale in ("en", "zh_CN"):
        with i18n.use_locale(locale):
            assert i18n.format_percent(None) == "—"
            assert i18n.format_money(None, "USD") == "—"


def test_money_formatting_per_locale() -> None:
    amount = Decimal("1234.5")
    with i18n.use_locale("en"):
        # The yen has no minor unit: babel rounds half to even.
        assert i18n.format_money(amount, "JPY") == "¥1,234"
        assert i18n.format_money(amount, "EUR") == "€1,234.50"
        assert i18n.format_money(amount, "USD") == "$1,234.50"
    with i18n.use_locale("zh_CN"):
        # In Chinese a bare ¥ is the yuan, so the yen and the dollar are spelled out.
        assert i18n.format_money(amount, "JPY") == "JP¥1,234"
        assert i18n.format_money(amount, "EUR") == "€1,234.50"
        assert i18n.format_money(amount, "USD") == "US$1,234.50"
        assert i18n.format_money(amount, None) == "1,234.50"


def test_date_formatting_per_locale() -> None:
    day = date(2026, 3, 5)
    moment = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)
    with i18n.use_locale("en"):
        assert i18n.format_date(day) == "Mar 5, 2026"
    with i18n.use_locale("zh_CN"):
        assert i18n.format_date(day) == "2026年3月5日"
        assert i18n.format_datetime(moment, UTC) == "2026/3/5 14:07"


def test_locale_negotiation() -> None:
    assert i18n.negotiate("zh-CN,zh;q=0.9,en;q=0.8") == "zh_CN"
    assert i18n.negotiate("en-US") == "en"
    assert i18n.negotiate("en;q=0.5,zh;q=0.9") == "zh_CN"
    assert i18n.negotiate(None) == "en"
    assert i18n.normalize("zh") == "zh_CN"
    assert i18n.normalize("zh-CN") == "zh_CN"
    assert i18n.normalize("fr") == "en"
