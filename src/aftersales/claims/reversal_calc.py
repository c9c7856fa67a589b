"""Pure decisions of "reimbursement reversed" claims: which reversals of the reimbursements
report Amazon has not paid again, and whether the reversal was Amazon's normal claw-back.

A reversal row (FORMATS.md 2.8: reason ``Reimbursement_Reversal``, negative quantity and
amount, ``original-reimbursement-id`` / ``-type`` set) takes back an earlier payment. It is
claimable unless:

- Amazon paid the units again: a later positive reimbursement of the same order and SKU with
  the original's reason, itself not reversed (re-payments are shared out oldest reversal first);
- it reverses a customer-return payment and the customer's unit did come back (a row of the
  FBA customer returns report for the order and SKU): Amazon reimbursed a unit it believed
  lost, then took the money back when the unit returned, as its policy says.

- it reverses a payment for a lost unit (``Lost_*``): Amazon reverses those when it finds
  the unit and puts it back in the seller's stock. The reports imported here cannot show
  whether the unit really came back (the inventory ledger's "Found" adjustment would), so no
  claim is proposed rather than one per found unit; only a reversal larger than the original
  payment (below) is claimed.

Whatever the reason, a reversal that takes back more than the original paid (amount or
units) is claimable for the excess. No database here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aftersales.amazon.claim_rules import ClaimRule
from aftersales.claims.calc import (
    CUSTOMER_RETURN_REASONS,
    REVERSAL_REASON,
    Outcome,
    ReimbursementLine,
)


@dataclass(frozen=True)
class StoreReimbursement:
    """A reimbursement row with the order and SKU it is for (empty when the report has none)."""

    line: ReimbursementLine
    order_id: str
    sku: str
    original_id: str | None


@dataclass(frozen=True)
class ReversalAssessment:
    reversal: StoreReimbursement
    outcome: Outcome
    returned: bool  # the customer's unit came back: a legitimate claw-back
    explained: bool  # returned, or a lost unit found: only an excess is owed
    units_reversed: int
    units_repaid: int
    units_missing: int
    amount_reversed: Decimal
    estimated_value: Decimal
    repayments: tuple[StoreReimbursement, ...]
    opens_on: date
    closes_on: date


# Original reasons whose reversal is explained by Amazon finding the unit (FORMATS.md 2.8).
FOUND_EXPLAINED = frozenset({"Lost_Warehouse", "Lost_Inbound", "Lost_Outbound"})


def is_reversal(item: StoreReimbursement) -> bool:
    line = item.line
    return line.reason == REVERSAL_REASON or (item.original_id is not None and line.quantity < 0)


def _reversed_ids(rows: list[StoreReimbursement]) -> set[str]:
    return {row.original_id for row in rows if is_reversal(row) and row.original_id}


def assess_reversals(
    rows: list[StoreReimbursement],
    *,
    returned_keys: set[tuple[str, str]],
    rule_for: dict[int, ClaimRule | None],
    as_of: date,
) -> list[ReversalAssessment]:
    """Every reversal among ``rows`` (one store's reimbursements), oldest first.

    ``returned_keys``: (order, SKU) pairs with a customer return; ``rule_for``: the rule in
    force per reversal row id (None: no rule yet, the reversal is left out)."""
    reversed_ids = _reversed_ids(rows)
    originals = {
        (row.line.reimbursement_id, row.order_id, row.sku): row
        for row in rows
        if not is_reversal(row)
    }
    reversals = sorted(
        (row for row in rows if is_reversal(row)),
        key=lambda row: (row.line.approval_date, row.line.reimbursement_id),
    )
    used: dict[tuple[str, str], int] = {}  # units of a re-payment already given to a reversal
    found = []
    for reversal in reversals:
        rule = rule_for.get(reversal.line.id)
        if rule is None:
            continue
        original_type = reversal.line.original_type
        units = abs(reversal.line.quantity) or 1
        repayments = []
        repaid = 0
        for row in rows:
            line = row.line
            if (
                repaid >= units
                or is_reversal(row)
                or row.order_id != reversal.order_id
                or row.sku != reversal.sku
                or line.reason != original_type
                or line.approval_date < reversal.line.approval_date
                or line.reimbursement_id in reversed_ids
                or line.quantity <= 0
            ):
                continue
            key = (line.reimbursement_id, str(line.id))
            free = line.quantity - used.get(key, 0)
            if free <= 0:
                continue
            take = min(free, units - repaid)
            used[key] = used.get(key, 0) + take
            repaid += take
            repayments.append(row)
        returned = (
            original_type in CUSTOMER_RETURN_REASONS
            and (reversal.order_id, reversal.sku) in returned_keys
        )
        amount = abs(reversal.line.amount or Decimal(0))
        original = originals.get((reversal.original_id or "", reversal.order_id, reversal.sku))
        excess_units, excess_amount = 0, Decimal(0)
        if original is not None:
            excess_units = max(units - original.line.quantity, 0)
            excess_amount = max(amount - abs(original.line.amount or Decimal(0)), Decimal(0))
        explained = returned or original_type in FOUND_EXPLAINED
        if explained:
            # Only what the reversal took beyond the original payment is owed.
            missing = excess_units or (1 if excess_amount > 0 else 0)
            claimable = excess_amount
        else:
            missing = max(units - repaid, 0)
            claimable = amount * missing / units
        event_day = reversal.line.approval_date.date()
        opens_on, closes_on = rule.opens_on(event_day), rule.closes_on(event_day)
        if explained and missing == 0:
            outcome = Outcome.RETURNED
        elif missing == 0:
            outcome = Outcome.REIMBURSED
        elif as_of < opens_on:
            outcome = Outcome.WAITING
        elif as_of > closes_on:
            outcome = Outcome.WINDOW_CLOSED
        else:
            outcome = Outcome.OPEN
        found.append(
            ReversalAssessment(
                reversal=reversal,
                outcome=outcome,
                returned=returned,
                explained=explained,
                units_reversed=units,
                units_repaid=repaid,
                units_missing=missing,
                amount_reversed=amount,
                estimated_value=claimable.quantize(Decimal("0.01")),
                repayments=tuple(repayments),
                opens_on=opens_on,
                closes_on=closes_on,
            )
        )
    return found
