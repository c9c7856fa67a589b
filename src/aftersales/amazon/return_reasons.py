"""Who is responsible for a customer return reason and what to do about it: Amazon's reason
codes mapped to our own vocabulary, loaded from the dated, sourced ``data/return_reasons.json``.

The mapping is our interpretation (see the file's ``source``); stores override entries in
Settings (``returns_analytics/reason_service.py``). A code the file does not list is kept,
as responsible "unknown" with nothing to do and ``known=False``, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from aftersales.kit.i18n import N_


class Responsible(StrEnum):
    SELLER_LISTING = "seller_listing"
    PRODUCT_QUALITY = "product_quality"
    AMAZON_WAREHOUSE = "amazon_warehouse"
    CARRIER = "carrier"
    BUYER = "buyer"
    UNKNOWN = "unknown"


class ReasonAction(StrEnum):
    FIX_LISTING = "fix_listing"
    CHECK_QUALITY = "check_quality"
    FILE_CLAIM = "file_claim"
    NOTHING = "nothing"


RESPONSIBLE_LABELS: dict[Responsible, str] = {
    Responsible.SELLER_LISTING: N_("Listing (seller)"),
    Responsible.PRODUCT_QUALITY: N_("Product quality"),
    Responsible.AMAZON_WAREHOUSE: N_("Amazon warehouse"),
    Responsible.CARRIER: N_("Carrier"),
    Responsible.BUYER: N_("Buyer"),
    Responsible.UNKNOWN: N_("Unknown"),
}

ACTION_LABELS: dict[ReasonAction, str] = {
    ReasonAction.FIX_LISTING: N_("Fix the listing"),
    ReasonAction.CHECK_QUALITY: N_("Check product quality"),
    ReasonAction.FILE_CLAIM: N_("File a claim"),
    ReasonAction.NOTHING: N_("Nothing to do"),
}

NO_REASON = "NO_REASON_GIVEN"


@dataclass(frozen=True, slots=True)
class ReasonRule:
    code: str
    responsible: Responsible
    action: ReasonAction
    # False for a code the data file does not list (a new or rare Amazon code).
    known: bool = True


@dataclass(frozen=True, slots=True)
class ReasonTable:
    effective: date
    source: str
    rules: dict[str, ReasonRule]


def normalise(code: str) -> str:
    return code.strip().upper()


@lru_cache(maxsize=1)
def table() -> ReasonTable:
    raw = json.loads(
        resources.files("aftersales.amazon").joinpath("data/return_reasons.json").read_text("utf-8")
    )
    rules = {
        code: ReasonRule(code, Responsible(entry["responsible"]), ReasonAction(entry["action"]))
        for code, entry in raw["reasons"].items()
    }
    return ReasonTable(date.fromisoformat(raw["effective"]), raw["source"], rules)


def responsibility(code: str | None) -> ReasonRule:
    """The default rule for a reason code; a missing reason counts as NO_REASON_GIVEN."""
    key = normalise(code) if code and code.strip() else NO_REASON
    found = table().rules.get(key)
    if found is not None:
        return found
    return ReasonRule(key, Responsible.UNKNOWN, ReasonAction.NOTHING, known=False)
