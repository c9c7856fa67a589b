"""End to end over the demo data: the claims detect() and reconcile() make equal the ones
derived here straight from the raw settlement, FBA returns, reimbursements and removal files,
with the rule numbers read from claim_rules.json (never from the claims code)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.claims import service as claims_service
from aftersales.demo.generator import ManifestFile, generate
from aftersales.imports import service as import_service
from aftersales.models import Claim
from aftersales.stores import service as store_service
from tests.returns_lifecycle.test_demo_end_to_end import END, RETURNS, SETTLEMENT, _rows

REIMBURSEMENTS = "GET_FBA_REIMBURSEMENTS_DATA"
REMOVAL_ORDERS = "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA"
REMOVAL_SHIPMENTS = "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA"
REVERSED = "reimbursement_reversed"
REMOVAL_LOST = "removal_lost"
# A lost-unit payment is reversed when Amazon finds the unit: not owed (FORMATS.md 2.8).
FOUND_REASONS = {"Lost_Warehouse", "Lost_Inbound", "Lost_Outbound"}
REFUND_NOT_RETURNED = "refund_not_returned"
RETURNED_DAMAGED = "returned_damaged_not_reimbursed"
SWITCHEROO = "switcheroo"
# Reimbursement reasons (FORMATS.md 2.8): the customer-return family pays a refunded unit
# that did not come back; a returned unit Amazon damaged is also paid as a warehouse damage.
CUSTOMER_RETURN = {"CustomerReturn", "CustomerServiceIssue", "Customer_Return"}
RETURNED_UNIT = CUSTOMER_RETURN | {"Damaged_Warehouse"}
REVERSAL = "Reimbursement_Reversal"
# Amazon's own verdict on a returned unit it damaged (warehouse or carrier); the customer's
# reason counts only when the row has no disposition.
AMAZON_DISPOSITIONS = {"DAMAGED", "WAREHOUSE_DAMAGED", "CARRIER_DAMAGED"}
AMAZON_REASONS = {"DAMAGED_BY_FC", "DAMAGED_BY_CARRIER"}

# (claim type, store, order id, SKU, units, opens_on, closes_on, status)
Row = tuple[str, str, str, str, int, date, date, str]
Key = tuple[str, str, str]  # store, order id, SKU


@dataclass
class Refunded:
    first_day: date
    units: dict[str, int] = field(default_factory=dict)  # per adjustment id
    fba: bool = False


@dataclass
class Returned:
    day: date
    quantity: int
    disposition: str
    reason: str


@dataclass(frozen=True)
class Rule:
    effective_from: date
    wait_days: int
    window_days: int


def _rules() -> dict[str, list[Rule]]:
    text = resources.files("aftersales.amazon").joinpath("data/claim_rules.json").read_text()
    rules: dict[str, list[Rule]] = defaultdict(list)
    for item in json.loads(text)["rules"]:
        # Every demo marketplace falls back to the default rules: none other exists yet.
        assert item["applies_to"] == "default", item["id"]
        rules[item["claim_type"]].append(
            Rule(date.fromisoformat(item["effective_from"]), item["wait_days"], item["window_days"])
        )
    return rules


def _rule(rules: dict[str, list[Rule]], claim_type: str, day: date) -> Rule | None:
    started = [rule for rule in rules[claim_type] if rule.effective_from <= day]
    return max(started, key=lambda rule: rule.effective_from) if started else None


def _reimbursed(lines: list[tuple[str, str, int]], reasons: set[str]) -> int:
    """Net units paid for one of ``reasons``, reversals of those subtracted."""
    total = sum(
        quantity
        for reason, original, quantity in lines
        if reason in reasons or (reason == REVERSAL and original in reasons)
    )
    return max(total, 0)


def _status(rule: Rule, day: date, missing: int, as_of: date) -> tuple[date, date, str] | None:
    """Opens, closes and the status of a new claim; None when no claim is made (nothing
    owed, or the wait has not passed)."""
    opens_on = day + timedelta(days=rule.wait_days)
    closes_on = day + timedelta(days=rule.window_days)
    if missing <= 0 or as_of < opens_on:
        return None
    return opens_on, closes_on, "expired" if as_of > closes_on else "candidate"


@dataclass
class Paid:
    row: int  # position in the file, for the re-payment shares
    day: date
    reimbursement_id: str
    reason: str
    original_id: str
    original_type: str
    quantity: int
    amount: Decimal


def _expected(directory: Path, files: list[ManifestFile], as_of: date) -> set[Row]:
    refunds: dict[Key, Refunded] = {}
    returns: dict[Key, list[Returned]] = defaultdict(list)
    paid: dict[Key, list[tuple[str, str, int]]] = defaultdict(list)
    every_paid: dict[Key, list[Paid]] = defaultdict(list)
    removal_detail: dict[Key, list[dict[str, str]]] = defaultdict(list)
    removal_parcels: dict[Key, list[dict[str, str]]] = defaultdict(list)
    for entry in files:
        for row in _rows(directory, entry):
            if entry.report_type == SETTLEMENT:
                if row["transaction-type"] != "Refund" or not row["order-id"] or not row["sku"]:
                    continue
                key = (entry.store, row["order-id"], row["sku"])
                day = date.fromisoformat(row["posted-date-time"][:10])
                found = refunds.setdefault(key, Refunded(first_day=day))
                found.first_day = min(found.first_day, day)
                adjustment = row["adjustment-id"]
                quantity = abs(int(row["quantity-purchased"] or 1)) or 1
                found.units[adjustment] = max(found.units.get(adjustment, 0), quantity)
                found.fba = found.fba or row["fulfillment-id"] == "AFN"
            elif entry.report_type == RETURNS:
                if not row["order-id"] or not row["sku"]:
                    continue
                returns[(entry.store, row["order-id"], row["sku"])].append(
                    Returned(
                        day=date.fromisoformat(row["return-date"][:10]),
                        quantity=int(row["quantity"]),
                        disposition=row["detailed-disposition"].strip().upper(),
                        reason=row["reason"].strip().upper(),
                    )
                )
            elif entry.report_type == REIMBURSEMENTS:
                total = row["quantity-reimbursed-total"]
                quantity = (
                    int(total)
                    if total
                    else int(row["quantity-reimbursed-cash"] or 0)
                    + int(row["quantity-reimbursed-inventory"] or 0)
                )
                key = (entry.store, row["amazon-order-id"], row["sku"])
                every_paid[key].append(
                    Paid(
                        row=len(every_paid[key]),
                        day=date.fromisoformat(row["approval-date"][:10]),
                        reimbursement_id=row["reimbursement-id"],
                        reason=row["reason"],
                        original_id=row["original-reimbursement-id"],
                        original_type=row["original-reimbursement-type"],
                        quantity=quantity,
                        amount=Decimal(row["amount-total"] or 0),
                    )
                )
                if row["amazon-order-id"]:
                    paid[key].append((row["reason"], row["original-reimbursement-type"], quantity))
            elif entry.report_type == REMOVAL_ORDERS:
                removal_detail[(entry.store, row["order-id"], row["sku"])].append(row)
            elif entry.report_type == REMOVAL_SHIPMENTS:
                removal_parcels[(entry.store, row["order-id"], row["sku"])].append(row)
    rules = _rules()
    expected: set[Row] = set()

    # Refunded, not returned: an FBA refund whose units did not come back (by the window's
    # close) and were not paid for, once the wait after the first refund day has passed.
    for key, refund in refunds.items():
        rule = _rule(rules, REFUND_NOT_RETURNED, refund.first_day)
        if rule is None or not refund.fba:
            continue
        closes_on = refund.first_day + timedelta(days=rule.window_days)
        back = sum(line.quantity for line in returns.get(key, []) if line.day <= closes_on)
        not_returned = max(sum(refund.units.values()) - back, 0)
        missing = not_returned - _reimbursed(paid.get(key, []), CUSTOMER_RETURN)
        if not_returned and (found := _status(rule, refund.first_day, missing, as_of)):
            expected.add((REFUND_NOT_RETURNED, *key, not_returned, *found))

    # Read from the returns report: a unit the warehouse or the carrier damaged (counted from
    # the first such return), and a switcheroo (counted from the refund, else the return).
    for key, lines in returns.items():
        damaged = [
            line
            for line in lines
            if line.reason != "SWITCHEROO"
            and (
                line.disposition in AMAZON_DISPOSITIONS
                if line.disposition
                else line.reason in AMAZON_REASONS
            )
        ]
        switched = [line for line in lines if line.reason == "SWITCHEROO"]
        for claim_type, qualifying in ((RETURNED_DAMAGED, damaged), (SWITCHEROO, switched)):
            if not qualifying:
                continue
            day = min(line.day for line in qualifying)
            if claim_type == SWITCHEROO and key in refunds:
                day = refunds[key].first_day
            rule = _rule(rules, claim_type, day)
            if rule is None:
                continue
            units = sum(abs(line.quantity) or 1 for line in qualifying)
            missing = units - _reimbursed(paid.get(key, []), RETURNED_UNIT)
            if found := _status(rule, day, missing, as_of):
                expected.add((claim_type, *key, units, *found))
    expected |= _expected_reversals(rules, returns, every_paid, expected, as_of)
    expected |= _expected_removals(rules, removal_detail, removal_parcels, as_of)
    return expected


def _expected_reversals(
    rules: dict[str, list[Rule]],
    returns: dict[Key, list[Returned]],
    every_paid: dict[Key, list[Paid]],
    customer_claims: set[Row],
    as_of: date,
) -> set[Row]:
    """A reversal not paid again, unless a customer-unit claim of the order and SKU stands
    for it, the customer's unit came back, or Amazon found the lost unit (then only a
    reversal larger than the original payment is owed)."""
    covered = {(row[1], row[2], row[3]) for row in customer_claims}
    expected: set[Row] = set()
    for key, lines in every_paid.items():
        reversed_ids = {line.original_id for line in lines if line.reason == REVERSAL}
        taken: dict[int, int] = {}
        for reversal in sorted(
            (line for line in lines if line.reason == REVERSAL),
            key=lambda line: (line.day, line.reimbursement_id),
        ):
            rule = _rule(rules, REVERSED, reversal.day)
            if rule is None or (key[1] and key in covered):
                continue
            units = abs(reversal.quantity) or 1
            returned = reversal.original_type in CUSTOMER_RETURN and bool(returns.get(key))
            if returned or reversal.original_type in FOUND_REASONS:
                original = next(
                    (
                        line
                        for line in lines
                        if line.reimbursement_id == reversal.original_id and line.reason != REVERSAL
                    ),
                    None,
                )
                excess = 0
                if original is not None:
                    excess = max(units - original.quantity, 0) or (
                        1 if abs(reversal.amount) > abs(original.amount) else 0
                    )
                missing = excess
            else:
                repaid = 0
                for line in lines:
                    if (
                        line.reason != reversal.original_type
                        or line.day < reversal.day
                        or line.reimbursement_id in reversed_ids
                        or line.quantity <= 0
                        or repaid >= units
                    ):
                        continue
                    share = min(line.quantity - taken.get(line.row, 0), units - repaid)
                    if share > 0:
                        taken[line.row] = taken.get(line.row, 0) + share
                        repaid += share
                missing = units - repaid
            if found := _status(rule, reversal.day, missing, as_of):
                expected.add((REVERSED, *key, max(missing, 1), *found))
    return expected


def _expected_removals(
    rules: dict[str, list[Rule]],
    detail: dict[Key, list[dict[str, str]]],
    parcels: dict[Key, list[dict[str, str]]],
    as_of: date,
) -> set[Row]:
    """Removal units shipped without a parcel, or unaccounted for on a completed order,
    counted from the last parcel (else the order's last update)."""
    expected: set[Row] = set()
    for key, rows in detail.items():

        def total(column: str, rows: list[dict[str, str]] = rows) -> int:
            return sum(int(row[column] or 0) for row in rows)

        shipped_parcels = sum(int(row["shipped-quantity"] or 0) for row in parcels.get(key, []))
        lost = max(total("shipped-quantity") - shipped_parcels, 0)
        if rows[-1]["order-status"].strip().lower() == "completed":
            lost += max(
                total("requested-quantity")
                - total("cancelled-quantity")
                - total("disposed-quantity")
                - total("shipped-quantity")
                - total("in-process-quantity"),
                0,
            )
        ship_days = [
            date.fromisoformat(row["shipment-date"][:10])
            for row in parcels.get(key, [])
            if row["shipment-date"]
        ]
        updated = [row["last-updated-date"][:10] for row in rows if row["last-updated-date"]]
        day = (
            max(ship_days)
            if ship_days
            else date.fromisoformat(max(updated) if updated else rows[0]["request-date"][:10])
        )
        rule = _rule(rules, REMOVAL_LOST, day)
        if rule is not None and (found := _status(rule, day, lost, as_of)):
            expected.add((REMOVAL_LOST, *key, lost, *found))
    return expected


def test_claims_match_the_raw_reports(session: Session, tmp_path: Path) -> None:
    manifest = generate(tmp_path, end_date=END, seed=7)
    stores = {
        spec.name: store_service.add_store(
            session, name=spec.name, region=spec.region, merchant_id=spec.merchant_id
        )
        for spec in manifest.stores
    }
    files = [
        entry
        for entry in manifest.files
        if entry.report_type
        in (SETTLEMENT, RETURNS, REIMBURSEMENTS, REMOVAL_ORDERS, REMOVAL_SHIPMENTS)
    ]
    for entry in files:
        import_service.import_file(
            session,
            path=tmp_path / entry.path,
            options=import_service.ImportOptions(
                store=entry.store, marketplace=entry.marketplace, report_type=entry.report_type
            ),
        )
    for store in stores.values():
        claims_service.detect(session, store_id=store.id, as_of=END)
        claims_service.reconcile(session, store_id=store.id)

    names = {store.id: name for name, store in stores.items()}
    found = {
        (
            claim.claim_type,
            names[claim.store_id],
            claim.amazon_order_id,
            claim.sku,
            claim.units,
            claim.opens_on,
            claim.closes_on,
            claim.status,
        )
        for claim in session.execute(select(Claim)).scalars()
        if claim.store_id in names
    }
    expected = _expected(tmp_path, files, END)
    counts = Counter((row[0], row[7]) for row in expected)
    # The demo data exercises every claim type its reports can make (its removal reports
    # agree with each other, so no removal claim is expected from them).
    assert {claim_type for claim_type, _status in counts} == {
        REFUND_NOT_RETURNED,
        RETURNED_DAMAGED,
        SWITCHEROO,
        REVERSED,
    }, counts
    assert sorted(found - expected) == [], "detected, not expected"
    assert sorted(expected - found) == [], "expected, not detected"
