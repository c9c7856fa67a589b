"""Prefilled cases for Seller Support, in English (the language cases are handled in), one
per claim type, built from the claim and the evidence detection stored with it."""

from __future__ import annotations

from typing import Any

from aftersales.amazon.marketplaces import by_id as marketplace_by_id
from aftersales.models import Claim, ClaimType

RETURNED_TYPES = (ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED, ClaimType.SWITCHEROO)


def _market(claim: Claim) -> str:
    market = marketplace_by_id(claim.marketplace_id) if claim.marketplace_id else None
    return market.domain if market else claim.marketplace_id or "unknown"


def _value(claim: Claim) -> str:
    return f"{claim.estimated_value:.2f} {claim.currency or ''}".strip()


def _window(claim: Claim, policy: str) -> str:
    return (
        f"Per {policy}, this claim may be filed from "
        f"{claim.opens_on.isoformat()} until {claim.closes_on.isoformat()}."
    )


def case_text(claim: Claim) -> str:
    """The case text of any claim type."""
    if claim.claim_type in RETURNED_TYPES:
        return _returned_case_text(claim)
    if claim.claim_type == ClaimType.REIMBURSEMENT_REVERSED:
        return _reversal_case_text(claim)
    if claim.claim_type in (ClaimType.REMOVAL_LOST, ClaimType.REMOVAL_DAMAGED):
        return _removal_case_text(claim)
    if claim.claim_type == ClaimType.INBOUND_MISSING:
        return _inbound_case_text(claim)
    return _refund_case_text(claim)


def _refund_case_text(claim: Claim) -> str:
    evidence = claim.evidence or {}
    refunds = evidence.get("refunds", [])
    adjustments = sorted({str(r["adjustment_id"]) for r in refunds if r.get("adjustment_id")})
    units = evidence.get("units", {})
    returns = evidence.get("returns", [])
    lines = [
        "Hello Seller Support,",
        "",
        "The customer of the FBA order below was refunded, but the unit has not been "
        "returned to an Amazon fulfillment center within the waiting period after the "
        "refund, and we have not received a reimbursement for it. Please reimburse us.",
        "",
        f"Order ID: {claim.amazon_order_id}",
        f"SKU: {claim.sku}",
        f"Marketplace: {_market(claim)}",
        f"Refund date: {claim.refunded_on.isoformat()}",
        f"Refund adjustment ID(s): {', '.join(adjustments) or 'see the settlement report'}",
        f"Units refunded: {units.get('refunded', claim.units)}",
        f"Units returned to a fulfillment center: {units.get('returned', 0)}",
        f"Units to reimburse: {claim.units}",
        f"Estimated value: {_value(claim)}",
        "",
        f"The FBA customer returns report shows {len(returns)} return(s) for this order and "
        "SKU, and the reimbursements report shows no reimbursement covering these units.",
        _window(claim, "the FBA customer return reimbursement policy"),
        "",
        "Thank you.",
    ]
    return "\n".join(lines)


def _returned_case_text(claim: Claim) -> str:
    """The case of a damaged or switched returned unit: the return rows with their LPNs."""
    evidence = claim.evidence or {}
    returns = evidence.get("returns", [])
    dates = evidence.get("dates", {})
    if claim.claim_type == ClaimType.SWITCHEROO:
        summary = (
            "The customer of the FBA order below returned a different item from the one we "
            "sold (return reason SWITCHEROO in the FBA customer returns report). The customer "
            "was refunded, our unit did not come back, and we have not received a "
            "reimbursement for it. Please investigate and reimburse us."
        )
        window = "the FBA customer return reimbursement policy"
    else:
        summary = (
            "A unit of the FBA order below was returned and the fulfillment center's "
            "disposition shows it was damaged in Amazon's fulfillment center or by the "
            "carrier, so Amazon is responsible for it. We have not received a reimbursement "
            "for it. Please reimburse us."
        )
        window = "the FBA damaged inventory reimbursement policy"
    lines = [
        "Hello Seller Support,",
        "",
        summary,
        "",
        f"Order ID: {claim.amazon_order_id}",
        f"SKU: {claim.sku}",
        f"Marketplace: {_market(claim)}",
    ]
    if dates.get("refunded_on"):
        lines.append(f"Refund date: {dates['refunded_on']}")
    lines += [
        f"Units to reimburse: {claim.units}",
        f"Estimated value: {_value(claim)}",
        "",
        "Returned units (FBA customer returns report):",
    ]
    for row in returns:
        lines.append(
            f"- LPN {row.get('license_plate_number') or 'not given'}, "
            f"returned {str(row.get('return_date', ''))[:10]}, "
            f"quantity {row.get('quantity')}, "
            f"disposition {row.get('disposition') or 'not given'}, "
            f"reason {row.get('reason') or 'not given'}"
        )
    lines += [
        "",
        "The reimbursements report shows no reimbursement covering these units.",
        _window(claim, window),
        "",
        "Thank you.",
    ]
    return "\n".join(lines)


def _reversal_case_text(claim: Claim) -> str:
    evidence: dict[str, Any] = claim.evidence or {}
    reversal = evidence.get("reversal", {})
    original_type = reversal.get("original_type") or "unknown"
    lines = [
        "Hello Seller Support,",
        "",
        "Amazon reversed the reimbursement below and has not paid it again. We cannot find "
        "a reason for the reversal in our reports: the unit has not come back to our "
        "inventory as far as the reports show. Please review the reversal and reinstate the "
        "reimbursement, or tell us which inventory adjustment justified it.",
        "",
        f"Original reimbursement ID: {reversal.get('original_reimbursement_id') or 'not given'}",
        f"Original reimbursement reason: {original_type}",
        f"Reversal reimbursement ID: {reversal.get('reimbursement_id')}",
        f"Reversal date: {claim.refunded_on.isoformat()}",
    ]
    if claim.amazon_order_id:
        lines.append(f"Order ID: {claim.amazon_order_id}")
    lines += [
        f"SKU: {claim.sku or 'not given'}",
        f"Marketplace: {_market(claim)}",
        f"Units reversed and not paid again: {claim.units}",
        f"Amount reversed: {_value(claim)}",
    ]
    if original_type.startswith("Lost_"):
        lines += [
            "",
            "If the reversal is because the unit was found, please show us the 'Found' "
            "adjustment in the inventory ledger and the fulfillment center where it was "
            "returned to our sellable inventory.",
        ]
    lines += [
        "",
        _window(claim, "the FBA inventory reimbursement policy"),
        "",
        "Thank you.",
    ]
    return "\n".join(lines)


def _removal_case_text(claim: Claim) -> str:
    evidence: dict[str, Any] = claim.evidence or {}
    order = evidence.get("removal_order", {})
    parcels = evidence.get("parcels", [])
    recorded = evidence.get("recorded")
    if claim.claim_type == ClaimType.REMOVAL_DAMAGED:
        summary = (
            "The removal shipment below reached us damaged or incomplete. Please reimburse "
            "us for the affected units."
        )
        policy = "the removal order reimbursement policy (within 30 days of delivery)"
    else:
        summary = (
            "Units of the removal order below never reached us. Please investigate the "
            "shipment and reimburse us for the lost units."
        )
        policy = "the removal order reimbursement policy (15 to 75 days from the ship date)"
    lines = [
        "Hello Seller Support,",
        "",
        summary,
        "",
        f"Removal order ID: {claim.amazon_order_id}",
        f"SKU: {claim.sku}",
        f"Marketplace: {_market(claim)}",
        f"Order type: {order.get('order_type') or 'not given'}",
        f"Order status: {order.get('status') or 'not given'}",
        f"Units requested: {order.get('requested', 'not given')}",
        f"Units shipped (removal order detail): {order.get('shipped', 'not given')}",
        f"Units in shipment records: {order.get('in_parcels', 'not given')}",
    ]
    if order.get("unaccounted"):
        lines.append(
            f"Units neither cancelled, disposed, shipped nor in process: {order['unaccounted']}"
        )
    lines.append("Shipments (removal shipment detail):")
    for parcel in parcels:
        lines.append(
            f"- shipped {str(parcel.get('shipped_on') or 'date not given')[:10]}, "
            f"quantity {parcel.get('quantity')}, carrier {parcel.get('carrier') or 'not given'}, "
            f"tracking {parcel.get('tracking_number') or 'not given'}"
        )
    if not parcels:
        lines.append("- none")
    if recorded:
        lines += [
            "",
            f"Recorded by us: {recorded.get('what')} on {recorded.get('on')}, "
            f"units affected: {recorded.get('units')}. {recorded.get('note') or ''}".rstrip(),
        ]
    lines += [
        "",
        f"Units to reimburse: {claim.units}",
        f"Estimated value: {_value(claim)}",
        "",
        _window(claim, policy),
        "",
        "Thank you.",
    ]
    return "\n".join(lines)


def _inbound_case_text(claim: Claim) -> str:
    evidence: dict[str, Any] = claim.evidence or {}
    check = evidence.get("check", {})
    lines = [
        "Hello Seller Support,",
        "",
        "Units of our inbound shipment(s) for the SKU below left the inbound pipeline "
        "(shipped / receiving) but did not arrive in our fulfillable inventory, according to "
        "our inventory reports. Please reconcile the shipment and reimburse us for the "
        "units not received.",
        "",
        f"SKU: {claim.sku}",
        f"Marketplace: {_market(claim)}",
        f"Inventory report: {check.get('source', 'not given')}",
        f"Snapshot before: {check.get('before_day')}, inbound shipped + receiving "
        f"{check.get('in_transit_before')}, on hand {check.get('on_hand_before')}",
        f"Snapshot after: {check.get('after_day')}, inbound shipped + receiving "
        f"{check.get('in_transit_after')}, on hand {check.get('on_hand_after')}",
        f"Units that left the inbound pipeline: {check.get('left_pipeline')}",
        f"Units sold in between: {check.get('sold')}; removed in between: {check.get('removed')}",
        f"Units missing: {claim.units}",
        f"Estimated delivery date: {claim.refunded_on.isoformat()}",
        f"Estimated value: {_value(claim)}",
        "",
        "Please check the shipment IDs of this SKU received in this period.",
        _window(claim, "the inbound shipment reimbursement policy (15 to 60 days from delivery)"),
        "",
        "Thank you.",
    ]
    return "\n".join(lines)
