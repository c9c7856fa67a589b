"""Pure decisions of the reimbursement claims: which units Amazon still owes, when a claim
opens and closes, and what it is worth. No database here.

Three claim types: "refunded, not returned" (assess), and two read from the FBA customer
returns report (assess_returned): a unit the warehouse or the carrier damaged, and a
"switcheroo" (a different item came back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from aftersales.amazon.claim_rules import ClaimRule, Valuation

# Reimbursement reasons that pay for a refunded unit that was not returned
# (FORMATS.md 2.8 and 2.13): the customer-return family, matched by order id and SKU.
CUSTOMER_RETURN_REASONS = frozenset({"CustomerReturn", "CustomerServiceIssue", "Customer_Return"})
REVERSAL_REASON = "Reimbursement_Reversal"
# A returned unit Amazon damaged is paid as a warehouse damage or as a customer return
# (FORMATS.md 2.8: "Damaged_Warehouse", UI "Damaged: Warehouse").
RETURNED_UNIT_REASONS = CUSTOMER_RETURN_REASONS | {"Damaged_Warehouse"}

# Detailed dispositions where Amazon takes responsibility for the damage (FORMATS.md 2.1:
# DAMAGED, which the ledger calls WAREHOUSE_DAMAGED, and CARRIER_DAMAGED). CUSTOMER_DAMAGED,
# DEFECTIVE, DISTRIBUTOR_DAMAGED, EXPIRED and SELLABLE are not Amazon's fault: no claim.
AMAZON_DAMAGED_DISPOSITIONS = frozenset({"DAMAGED", "WAREHOUSE_DAMAGED", "CARRIER_DAMAGED"})
# Customer reasons that say the warehouse or the carrier damaged the unit; used only when the
# row has no disposition (the disposition, Amazon's own verdict, wins when present).
AMAZON_DAMAGED_REASONS = frozenset({"DAMAGED_BY_FC", "DAMAGED_BY_CARRIER"})
SWITCHEROO_REASON = "SWITCHEROO"
RETURNED_DAMAGED = "returned_damaged_not_reimbursed"
SWITCHEROO = "switcheroo"
FBA_FULFILMENT_IDS = frozenset({"AFN"})
FBA_ORDER_CHANNELS = frozenset({"Amazon", "AFN"})
PRINCIPAL = "Principal"
ITEM_PRICE = "ItemPrice"
ITEM_FEES = "ItemFees"
REFERRAL_FEE = "Commission"


class Outcome(StrEnum):
    NOT_FBA = "not_fba"
    RETURNED = "returned"  # every refunded unit came back: nothing owed
    REIMBURSED = "reimbursed"  # Amazon already paid for the missing units
    WAITING = "waiting"  # the waiting period has not passed yet
    OPEN = "open"  # claimable now
    WINDOW_CLOSED = "window_closed"


@dataclass(frozen=True)
class RefundLine:
    id: int
    adjustment_id: str | None
    posted: datetime | None
    quantity: int | None
    amount_type: str | None
    amount_description: str | None
    amount: Decimal
    currency: str | None
    fulfillment_id: str | None


@dataclass(frozen=True)
class ReturnLine:
    id: int
    return_date: datetime
    quantity: int
    disposition: str | None
    license_plate_number: str | None
    reason: str | None = None


@dataclass(frozen=True)
class ReimbursementLine:
    id: int
    reimbursement_id: str
    approval_date: datetime
    reason: str | None
    original_type: str | None
    quantity: int
    amount: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    refunded_on: date
    units_refunded: int
    units_returned: int
    units_reimbursed: int
    units_missing: int  # refunded, not returned, not yet reimbursed
    opens_on: date
    closes_on: date
    estimated_value: Decimal
    currency: str | None


def refund_day(lines: list[RefundLine]) -> date | None:
    days = [line.posted.date() for line in lines if line.posted is not None]
    return min(days) if days else None


def units_refunded(lines: list[RefundLine]) -> int:
    """Every amount of a refund repeats its quantity: count it once per adjustment."""
    per_adjustment: dict[str | None, int] = {}
    for line in lines:
        key = line.adjustment_id or f"line-{line.id}"
        per_adjustment[key] = max(per_adjustment.get(key, 0), abs(line.quantity or 1))
    return sum(per_adjustment.values())


def is_fba(lines: list[RefundLine], order_channel: str | None) -> bool:
    if order_channel in FBA_ORDER_CHANNELS:
        return True
    return any(line.fulfillment_id in FBA_FULFILMENT_IDS for line in lines)


def units_reimbursed(
    reimbursements: list[ReimbursementLine], reasons: frozenset[str] = CUSTOMER_RETURN_REASONS
) -> int:
    """Net units paid for the order and SKU: reimbursements for one of ``reasons`` (by default
    the customer-return family) minus their reversals."""
    total = 0
    for line in reimbursements:
        if line.reason in reasons or (
            line.reason == REVERSAL_REASON and line.original_type in reasons
        ):
            total += line.quantity
    return max(total, 0)


def value(lines: list[RefundLine], rule: ClaimRule, units: int, refunded: int) -> Decimal:
    """The claim's worth under the rule's valuation, pro rata for the missing units."""
    principal = -sum(
        (
            line.amount
            for line in lines
            if line.amount_type == ITEM_PRICE and line.amount_description == PRINCIPAL
        ),
        Decimal(0),
    )
    worth = principal
    if rule.valuation is Valuation.SALE_PRICE_MINUS_FEES:
        # The referral fee Amazon credits back on a refund equals the one it kept on the sale.
        referral = sum(
            (
                line.amount
                for line in lines
                if line.amount_type == ITEM_FEES and line.amount_description == REFERRAL_FEE
            ),
            Decimal(0),
        )
        worth = principal - abs(referral)
    if refunded <= 0:
        return Decimal(0)
    return max(worth * units / refunded, Decimal(0)).quantize(Decimal("0.01"))


def assess(
    *,
    refunds: list[RefundLine],
    order_channel: str | None,
    returns: list[ReturnLine],
    reimbursements: list[ReimbursementLine],
    rule: ClaimRule,
    refunded_on: date,
    as_of: date,
) -> Assessment:
    opens_on = rule.opens_on(refunded_on)
    closes_on = rule.closes_on(refunded_on)
    refunded = units_refunded(refunds)
    # A unit counts as returned when the FC processed it before the window closed.
    returned = sum(r.quantity for r in returns if r.return_date.date() <= closes_on)
    reimbursed = units_reimbursed(reimbursements)
    not_returned = max(refunded - returned, 0)
    missing = max(not_returned - reimbursed, 0)
    if not is_fba(refunds, order_channel):
        outcome = Outcome.NOT_FBA
    elif not_returned == 0:
        outcome = Outcome.RETURNED
    elif missing == 0:
        outcome = Outcome.REIMBURSED
    elif as_of < opens_on:
        outcome = Outcome.WAITING
    elif as_of > closes_on:
        outcome = Outcome.WINDOW_CLOSED
    else:
        outcome = Outcome.OPEN
    currency = next((line.currency for line in refunds if line.currency), None)
    return Assessment(
        outcome=outcome,
        refunded_on=refunded_on,
        units_refunded=refunded,
        units_returned=returned,
        units_reimbursed=reimbursed,
        units_missing=missing,
        opens_on=opens_on,
        closes_on=closes_on,
        estimated_value=value(refunds, rule, max(not_returned, 1), refunded),
        currency=currency,
    )


# --- claims read from the FBA customer returns report ----------------------------------------


def reimbursement_reasons(claim_type: str) -> frozenset[str]:
    """The reimbursement reasons that pay a claim of this type."""
    if claim_type in (RETURNED_DAMAGED, SWITCHEROO):
        return RETURNED_UNIT_REASONS
    return CUSTOMER_RETURN_REASONS


def is_amazon_damaged(line: ReturnLine) -> bool:
    """The warehouse or the carrier damaged the returned unit (not a switcheroo)."""
    if line.reason == SWITCHEROO_REASON:
        return False
    disposition = (line.disposition or "").strip().upper()
    if disposition:
        return disposition in AMAZON_DAMAGED_DISPOSITIONS
    return (line.reason or "").strip().upper() in AMAZON_DAMAGED_REASONS


def is_switcheroo(line: ReturnLine) -> bool:
    return (line.reason or "").strip().upper() == SWITCHEROO_REASON


def qualifying_returns(claim_type: str, returns: list[ReturnLine]) -> list[ReturnLine]:
    """The return rows that make a claim of this type, oldest first."""
    test = is_switcheroo if claim_type == SWITCHEROO else is_amazon_damaged
    return sorted((line for line in returns if test(line)), key=lambda line: line.return_date)


def returned_event_day(
    claim_type: str, qualifying: list[ReturnLine], refunds: list[RefundLine]
) -> date:
    """The day the claim's period counts from.

    Damaged: the day the FC processed the return and set the disposition (ANCHORS.md 3,
    "Damaged at FC: within 60 days of the adjustment date"). Switcheroo: a customer-return
    claim, counted from the refund when the settlement shows it, else from the return.
    """
    returned_on = qualifying[0].return_date.date()
    if claim_type == SWITCHEROO:
        refunded_on = refund_day(refunds)
        if refunded_on is not None:
            return refunded_on
    return returned_on


@dataclass(frozen=True)
class ReturnedAssessment:
    outcome: Outcome
    event_day: date
    units_claimed: int  # qualifying returned units
    units_reimbursed: int
    units_missing: int
    opens_on: date
    closes_on: date
    estimated_value: Decimal
    currency: str | None


def assess_returned(
    *,
    claim_type: str,
    qualifying: list[ReturnLine],
    refunds: list[RefundLine],
    reimbursements: list[ReimbursementLine],
    rule: ClaimRule,
    event_day: date,
    as_of: date,
) -> ReturnedAssessment:
    """A damaged or switched returned unit: owed unless reimbursed (net of reversals).

    The value is the refunded sale price of the order and SKU under the rule's valuation,
    pro rata for the claimed units; zero when the settlement with the refund is not imported.
    """
    opens_on = rule.opens_on(event_day)
    closes_on = rule.closes_on(event_day)
    units = sum(abs(line.quantity) or 1 for line in qualifying)
    reimbursed = units_reimbursed(reimbursements, reimbursement_reasons(claim_type))
    missing = max(units - reimbursed, 0)
    if missing == 0:
        outcome = Outcome.REIMBURSED
    elif as_of < opens_on:
        outcome = Outcome.WAITING
    elif as_of > closes_on:
        outcome = Outcome.WINDOW_CLOSED
    else:
        outcome = Outcome.OPEN
    refunded = units_refunded(refunds)
    worth = value(refunds, rule, units, max(refunded, units)) if refunds else Decimal(0)
    currency = next((line.currency for line in refunds if line.currency), None)
    return ReturnedAssessment(
        outcome=outcome,
        event_day=event_day,
        units_claimed=units,
        units_reimbursed=reimbursed,
        units_missing=missing,
        opens_on=opens_on,
        closes_on=closes_on,
        estimated_value=worth,
        currency=currency,
    )
