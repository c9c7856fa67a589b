"""Pure decisions of the "refunded but not returned" claim: which units Amazon still owes,
when the claim opens and closes, and what it is worth. No database here."""

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


def units_reimbursed(reimbursements: list[ReimbursementLine]) -> int:
    """Net units paid for the order and SKU: customer-return reimbursements minus reversals."""
    total = 0
    for line in reimbursements:
        if line.reason in CUSTOMER_RETURN_REASONS or (
            line.reason == REVERSAL_REASON and line.original_type in CUSTOMER_RETURN_REASONS
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
