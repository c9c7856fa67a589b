"""Detection of the claims read from the reimbursements and removal reports, the removal
receipts a seller records by hand, and the expiry of recorded claims."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from aftersales.amazon import claim_rules
from aftersales.amazon.marketplaces import by_id as marketplace_by_id
from aftersales.claims import calc, persist, removal_calc, reversal_calc, state
from aftersales.claims import repository as claim_repository
from aftersales.claims.evidence import rule_out
from aftersales.claims.schemas import DetectResult
from aftersales.kit.i18n import N_
from aftersales.models import Claim, ClaimStatus, ClaimType

# Claims that already stand for a customer-return unit: a reversal of its payment reopens
# them (service.reconcile), so no separate reversal claim is made for the same order and SKU.
CUSTOMER_UNIT_TYPES = frozenset(
    {
        ClaimType.REFUND_NOT_RETURNED.value,
        ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED.value,
        ClaimType.SWITCHEROO.value,
    }
)
# Claims created from what the seller recorded, not re-detected from reports.
RECORDED_TYPES = frozenset({ClaimType.REMOVAL_DAMAGED.value})


def _now() -> datetime:
    return datetime.now(UTC)


def _fields(
    *,
    units: int,
    value: Decimal,
    currency: str | None,
    event_day: date,
    opens_on: date,
    closes_on: date,
    evidence: dict[str, Any],
    rule: claim_rules.ClaimRule,
    now: datetime,
) -> dict[str, Any]:
    return {
        "units": units,
        "estimated_value": value,
        "currency": currency,
        "refunded_on": event_day,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "updated_at": now,
    }


# --- reimbursement reversed ------------------------------------------------------------------


def _reimbursement_out(item: reversal_calc.StoreReimbursement) -> dict[str, Any]:
    line = item.line
    return {
        "reimbursement_row_id": line.id,
        "reimbursement_id": line.reimbursement_id,
        "original_reimbursement_id": item.original_id,
        "approval_date": line.approval_date.isoformat(),
        "order_id": item.order_id or None,
        "sku": item.sku or None,
        "reason": line.reason,
        "original_type": line.original_type,
        "quantity": line.quantity,
        "amount": str(line.amount) if line.amount is not None else None,
        "currency": line.currency,
    }


def detect_reversals(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    existing: dict[persist.ClaimKey, Claim],
    result: DetectResult,
) -> None:
    """A reversal Amazon did not pay again (reversal_calc has the rules)."""
    rows = claim_repository.store_reimbursements(session, store_id=store_id)
    if not rows:
        return
    market_of = {item.line.id: market for market, item in rows}
    items = [item for _market, item in rows]
    rules = {
        item.line.id: claim_rules.rule_for(
            ClaimType.REIMBURSEMENT_REVERSED,
            marketplace_id=market_of[item.line.id],
            on=item.line.approval_date.date(),
        )
        for item in items
        if reversal_calc.is_reversal(item)
    }
    returned = claim_repository.returned_keys(
        session, store_id=store_id, order_ids=[item.order_id for item in items]
    )
    # Read again: this detection run may just have created the customer-unit claims.
    session.flush()
    covered = {
        (claim.amazon_order_id, claim.sku)
        for claim in claim_repository.claims_of_store(session, store_id=store_id)
        if claim.claim_type in CUSTOMER_UNIT_TYPES
    }
    now = _now()
    for found in reversal_calc.assess_reversals(
        items, returned_keys=returned, rule_for=rules, as_of=as_of
    ):
        reversal = found.reversal
        if reversal.order_id and (reversal.order_id, reversal.sku) in covered:
            continue
        rule = rules[reversal.line.id]
        assert rule is not None
        evidence = {
            "reversal": _reimbursement_out(reversal)
            | {"original_reimbursement_id": reversal.original_id},
            "repayments": [_reimbursement_out(item) for item in found.repayments],
            "units": {
                "reversed": found.units_reversed,
                "repaid": found.units_repaid,
                "missing": found.units_missing,
            },
            "customer_unit_returned": found.returned,
            "explained_by_amazon": found.explained,
            "dates": {
                "reversed_on": reversal.line.approval_date.date().isoformat(),
                "opens_on": found.opens_on.isoformat(),
                "closes_on": found.closes_on.isoformat(),
                "detected_as_of": as_of.isoformat(),
            },
            "rule": rule_out(rule),
        }
        item = persist.Found(
            store_id=store_id,
            marketplace_id=market_of[reversal.line.id],
            claim_type=ClaimType.REIMBURSEMENT_REVERSED,
            order_id=reversal.order_id,
            sku=reversal.sku,
            reference=reversal.original_id or reversal.line.reimbursement_id,
            outcome=found.outcome,
            closes_on=found.closes_on,
            fields=_fields(
                units=max(found.units_missing, 1),
                value=found.estimated_value,
                currency=reversal.line.currency,
                event_day=reversal.line.approval_date.date(),
                opens_on=found.opens_on,
                closes_on=found.closes_on,
                evidence=evidence,
                rule=rule,
                now=now,
            ),
        )
        persist.save(
            session, found=item, claim=existing.get(item.key), as_of=as_of, now=now, result=result
        )


def repaid_reversals(session: Session, *, store_id: int) -> set[persist.ClaimKey]:
    """Keys of the reversal claims whose units Amazon paid again (for reconciliation)."""
    rows = [item for _m, item in claim_repository.store_reimbursements(session, store_id=store_id)]
    rule = claim_rules.ClaimRule(
        id="reconcile",
        claim_type=ClaimType.REIMBURSEMENT_REVERSED.value,
        applies_to="default",
        effective_from=date.min,
        wait_days=0,
        window_days=0,
        valuation=claim_rules.Valuation.REVERSED_AMOUNT,
        source="",
    )  # only the re-payments are read here, not the window
    found = reversal_calc.assess_reversals(
        rows,
        returned_keys=set(),
        rule_for={item.line.id: rule for item in rows if reversal_calc.is_reversal(item)},
        as_of=date.min,
    )
    return {
        (
            ClaimType.REIMBURSEMENT_REVERSED.value,
            item.reversal.order_id,
            item.reversal.sku,
            item.reversal.original_id or item.reversal.line.reimbursement_id,
        )
        for item in found
        if item.units_repaid >= item.units_reversed
    }


# --- removal lost / damaged ------------------------------------------------------------------


def unit_value(
    session: Session,
    *,
    store_id: int,
    sku: str,
    marketplace_id: str | None,
    rule: claim_rules.ClaimRule,
) -> tuple[Decimal | None, str | None, str]:
    """Per-unit value under the rule, its currency and where it came from."""
    market = marketplace_by_id(marketplace_id) if marketplace_id else None
    currency = market.currency if market else None
    if rule.valuation is claim_rules.Valuation.MANUFACTURING_COST:
        cost = claim_repository.unit_costs(session, store_id=store_id).get(sku)
        if cost is None:
            return None, currency, N_("unit cost not in the catalog")
        if cost[1] and currency and cost[1] != currency:
            return None, currency, N_("unit cost in another currency than the marketplace's")
        return cost[0], cost[1] or currency, N_("catalog unit cost (manufacturing cost)")
    price = claim_repository.sale_prices(session, store_id=store_id).get(
        (sku, marketplace_id or "")
    )
    if price is None:
        return None, currency, N_("no catalog price for the marketplace")
    return price[0], price[1], N_("catalog sale price")


def parcels_out(parcels: list[removal_calc.Parcel]) -> list[dict[str, Any]]:
    return [
        {
            "shipment_row_id": parcel.row_id,
            "shipped_on": parcel.shipped_on.isoformat() if parcel.shipped_on else None,
            "quantity": parcel.quantity,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
        }
        for parcel in parcels
    ]


def order_out(line: removal_calc.RemovalLine, in_parcels: int) -> dict[str, Any]:
    return {
        "removal_order_row_ids": list(line.row_ids),
        "order_id": line.order_id,
        "order_type": line.order_type,
        "status": line.status,
        "request_date": line.request_date.isoformat(),
        "last_updated": line.last_updated.isoformat() if line.last_updated else None,
        "requested": line.requested,
        "cancelled": line.cancelled,
        "disposed": line.disposed,
        "shipped": line.shipped,
        "in_process": line.in_process,
        "in_parcels": in_parcels,
        "unaccounted": removal_calc.unaccounted(line),
    }


def detect_removals_lost(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    existing: dict[persist.ClaimKey, Claim],
    result: DetectResult,
) -> None:
    """Removal units the reports show as lost (removal_calc says which)."""
    lines = claim_repository.removal_lines(session, store_id=store_id)
    if not lines:
        return
    parcels = claim_repository.removal_parcels(session, store_id=store_id)
    now = _now()
    for (order_id, sku), (marketplace_id, _fee_currency, line) in lines.items():
        shipped = parcels.get((order_id, sku), [])
        day = removal_calc.event_day(line, shipped)
        rule = claim_rules.rule_for(ClaimType.REMOVAL_LOST, marketplace_id=marketplace_id, on=day)
        if rule is None:
            continue
        found = removal_calc.assess_lost(line, shipped, rule=rule, as_of=as_of)
        if found.outcome is None:
            continue
        claim = existing.get((ClaimType.REMOVAL_LOST.value, order_id, sku, ""))
        if claim is not None and (claim.evidence or {}).get("recorded"):
            continue  # recorded by the seller: kept as they recorded it
        per_unit, currency, valued_by = unit_value(
            session, store_id=store_id, sku=sku, marketplace_id=marketplace_id, rule=rule
        )
        evidence = {
            "removal_order": order_out(line, found.units_in_parcels),
            "parcels": parcels_out(shipped),
            "units": {
                "unaccounted": found.units_unaccounted,
                "without_parcel": found.units_without_parcel,
                "lost": found.units_lost,
            },
            "valuation": {
                "per_unit": str(per_unit) if per_unit is not None else None,
                "basis": valued_by,
            },
            "dates": {
                "shipped_on": day.isoformat(),
                "opens_on": found.opens_on.isoformat(),
                "closes_on": found.closes_on.isoformat(),
                "detected_as_of": as_of.isoformat(),
            },
            "rule": rule_out(rule),
        }
        item = persist.Found(
            store_id=store_id,
            marketplace_id=marketplace_id,
            claim_type=ClaimType.REMOVAL_LOST,
            order_id=order_id,
            sku=sku,
            outcome=found.outcome,
            closes_on=found.closes_on,
            fields=_fields(
                units=found.units_lost,
                value=removal_calc.worth(found.units_lost, per_unit),
                currency=currency,
                event_day=day,
                opens_on=found.opens_on,
                closes_on=found.closes_on,
                evidence=evidence,
                rule=rule,
                now=now,
            ),
        )
        persist.save(session, found=item, claim=claim, as_of=as_of, now=now, result=result)


def expire_recorded(session: Session, *, store_id: int, as_of: date, result: DetectResult) -> None:
    """Recorded claims are not re-detected: expire their candidates once the window closed."""
    for claim in claim_repository.claims_of_store(session, store_id=store_id):
        recorded = claim.claim_type in RECORDED_TYPES or (claim.evidence or {}).get("recorded")
        if (
            recorded
            and claim.status == ClaimStatus.CANDIDATE
            and as_of > claim.closes_on
            and state.can_expire(claim)
        ):
            state.expire(
                session, claim, user_id=None, note=f"window closed on {claim.closes_on.isoformat()}"
            )
            result.expired += 1


def removal_units_paid(lines: list[calc.ReimbursementLine]) -> int:
    """Units paid for a removal order and SKU: every reimbursement the report files under the
    removal order id (its reason vocabulary for removals is not documented, FORMATS.md 2.8),
    net of reversals."""
    return max(sum(line.quantity for line in lines), 0)
