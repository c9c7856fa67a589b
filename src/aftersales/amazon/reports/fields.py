"""Report columns: the kinds of value Amazon writes and how header names are normalised."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    INT = "integer"
    DECIMAL = "decimal"
    DATETIME = "datetime"
    DATE = "date"
    BOOL = "boolean"
    # Seller feedback writes short dates in the marketplace's own order (10/20/23, 20.10.23).
    LOCAL_DATE = "local date"


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a report, by its canonical (normalised) header name."""

    name: str
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be in the header
    not_empty: bool = False  # every row must carry a value
    drop: bool = False  # buyer PII we never store, not even in the raw extras


def normalize_header(name: str) -> str:
    """`Quantity Available` → `quantity-available`; `amazon_order_id` → `amazon-order-id`."""
    name = unicodedata.normalize("NFKC", name).strip().strip('"').strip().lower()
    name = name.lstrip("\ufeff")
    return re.sub(r"[\s_]+", "-", name)


def fields(*items: Field) -> tuple[Field, ...]:
    return items


def text(name: str, *aliases: str, required: bool = False, not_empty: bool = False) -> Field:
    return Field(name, Kind.TEXT, aliases, required, not_empty)


def integer(name: str, *aliases: str, required: bool = False) -> Field:
    return Field(name, Kind.INT, aliases, required, required)


def decimal(name: str, *aliases: str, required: bool = False) -> Field:
    return Field(name, Kind.DECIMAL, aliases, required, required)


def moment(name: str, *aliases: str, required: bool = False) -> Field:
    return Field(name, Kind.DATETIME, aliases, required, required)


def day(name: str, *aliases: str, required: bool = False) -> Field:
    return Field(name, Kind.DATE, aliases, required, required)


def flag(name: str, *aliases: str) -> Field:
    return Field(name, Kind.BOOL, aliases)


def pii(name: str) -> Field:
    return Field(name, Kind.TEXT, drop=True)
