"""End to end over the demo data: the claims detect() and reconcile() make equal the ones
derived here straight from the raw settlement, FBA returns and reimbursements files, with the
rule numbers read from claim_rules.json (never from the claims code)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
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


def _expected(directory: Path, files: list[ManifestFile], as_of: date) -> set[Row]:
    refunds: dict[Key, Refunded] = {}
    returns: dict[Key, list[Returned]] = defaultdict(list)
    paid: dict[Key, list[tuple[str, str, int]]] = defaultdict(list)
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
            elif entry.report_type == REIMBURSEMENTS and row["amazon-order-id"]:
                total = row["quantity-reimbursed-total"]
                quantity = (
                    int(total)
                    if total
                    else int(row["quantity-reimbursed-cash"] or 0)
                    + int(row["quantity-reimbursed-inventory"] or 0)
                )
                paid[(entry.store, row["amazon-order-id"], row["sku"])].append(
                    (row["reason"], row["original-reimbursement-type"], quantity)
                )
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
        if entry.report_type in (SETTLEMENT, RETURNS, REIMBURSEMENTS)
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
    # The demo data exercises every claim type.
    assert {claim_type for claim_type, _status in counts} == {
        REFUND_NOT_RETURNED,
        RETURNED_DAMAGED,
        SWITCHEROO,
    }, counts
    assert sorted(found - expected) == [], "detected, not expected"
    assert sorted(expected - found) == [], "expected, not detected"
