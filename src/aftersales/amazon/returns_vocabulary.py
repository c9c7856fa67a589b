"""Amazon's FBA return reason codes and detailed dispositions, with English labels to translate.

Source: /work/shared/amazon/FORMATS.md §2.1 (Seller Central help 200453320 for dispositions;
reason codes are the union seen in third-party code that processes real reports, since
Amazon's own table could not be retrieved). Labels are message ids marked with ``N_`` and
translated where they are shown; a code not listed here is shown as itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from aftersales.kit.i18n import N_, gettext


@dataclass(frozen=True, slots=True)
class Disposition:
    code: str
    label: str
    # Whether the unit went back to sellable stock.
    sellable: bool


@dataclass(frozen=True, slots=True)
class ReturnReason:
    code: str
    label: str


SELLABLE = "SELLABLE"

DISPOSITIONS: dict[str, Disposition] = {
    item.code: item
    for item in (
        Disposition(SELLABLE, N_("Sellable"), sellable=True),
        Disposition("DAMAGED", N_("Damaged (Amazon's responsibility)"), sellable=False),
        Disposition("CUSTOMER_DAMAGED", N_("Damaged by customer"), sellable=False),
        Disposition("DEFECTIVE", N_("Defective"), sellable=False),
        Disposition("CARRIER_DAMAGED", N_("Damaged by carrier"), sellable=False),
        Disposition("DISTRIBUTOR_DAMAGED", N_("Damaged by distributor"), sellable=False),
        Disposition("EXPIRED", N_("Expired"), sellable=False),
    )
}

RETURN_REASONS: dict[str, ReturnReason] = {
    item.code: item
    for item in (
        ReturnReason("APPAREL_STYLE", N_("Apparel: did not like the style")),
        ReturnReason("APPAREL_TOO_LARGE", N_("Apparel: too large")),
        ReturnReason("APPAREL_TOO_SMALL", N_("Apparel: too small")),
        ReturnReason("DAMAGED_BY_CARRIER", N_("Damaged by carrier")),
        ReturnReason("DAMAGED_BY_FC", N_("Damaged at the fulfilment centre")),
        ReturnReason("DEFECTIVE", N_("Defective or does not work")),
        ReturnReason("DID_NOT_LIKE_FABRIC", N_("Did not like the fabric")),
        ReturnReason("EXTRA_ITEM", N_("Extra item received")),
        ReturnReason("FOUND_BETTER_PRICE", N_("Found a better price")),
        ReturnReason("MISORDERED", N_("Ordered by mistake")),
        ReturnReason("MISSED_ESTIMATED_DELIVERY", N_("Arrived too late")),
        ReturnReason("MISSING_PARTS", N_("Missing parts or accessories")),
        ReturnReason("NEVER_ARRIVED", N_("Never arrived")),
        ReturnReason("NOT_AS_DESCRIBED", N_("Not as described")),
        ReturnReason("NOT_COMPATIBLE", N_("Not compatible")),
        ReturnReason("NO_REASON_GIVEN", N_("No reason given")),
        ReturnReason("ORDERED_WRONG_ITEM", N_("Ordered the wrong item")),
        ReturnReason("PART_NOT_COMPATIBLE", N_("Part not compatible")),
        ReturnReason("POOR_FIT", N_("Poor fit")),
        ReturnReason("QUALITY_UNACCEPTABLE", N_("Quality unacceptable")),
        ReturnReason("SWITCHEROO", N_("Different item returned than shipped")),
        ReturnReason("UNAUTHORIZED_PURCHASE", N_("Unauthorised purchase")),
        ReturnReason(
            "UNDELIVERABLE_CARRIER_MISS_SORTED", N_("Undeliverable: missorted by carrier")
        ),
        ReturnReason(
            "UNDELIVERABLE_FAILED_DELIVERY_ATTEMPTS",
            N_("Undeliverable: failed delivery attempts"),
        ),
        ReturnReason(
            "UNDELIVERABLE_INSUFFICIENT_ADDRESS", N_("Undeliverable: insufficient address")
        ),
        ReturnReason("UNDELIVERABLE_MISSING_LABEL", N_("Undeliverable: missing label")),
        ReturnReason("UNDELIVERABLE_REFUSED", N_("Undeliverable: refused by recipient")),
        ReturnReason("UNDELIVERABLE_UNCLAIMED", N_("Undeliverable: unclaimed")),
        ReturnReason("UNDELIVERABLE_UNKNOWN", N_("Undeliverable: unknown cause")),
        ReturnReason("UNWANTED_ITEM", N_("No longer wanted")),
    )
}


def _normalise(code: str) -> str:
    return code.strip().upper()


def reason_label(code: str | None) -> str | None:
    """The reason's label in the current locale; an unknown code is shown as itself."""
    if code is None:
        return None
    known = RETURN_REASONS.get(_normalise(code))
    return gettext(known.label) if known else code


def disposition_label(code: str | None) -> str | None:
    """The disposition's label in the current locale; an unknown code is shown as itself."""
    if code is None:
        return None
    known = DISPOSITIONS.get(_normalise(code))
    return gettext(known.label) if known else code


def is_sellable(code: str | None) -> bool | None:
    """True for SELLABLE, False for a known unsellable disposition, None when not known."""
    if code is None:
        return None
    known = DISPOSITIONS.get(_normalise(code))
    return known.sellable if known else None
