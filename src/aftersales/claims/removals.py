"""Removal orders as the claims pages show them, and the receipts a seller records by hand:
"received damaged or incomplete" (a removal_damaged claim, 30 days from delivery) and "never
received" (a removal_lost claim, 15-75 days from the ship date). The removal reports carry
no delivery status (FORMATS.md 2.9, 2.10), so only the seller can tell these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import claim_rules
from aftersales.claims import detectors, persist, removal_calc
from aftersales.claims import repository as claim_repository
from aftersales.claims.calc import Outcome
from aftersales.claims.evidence import rule_out
from aftersales.claims.schemas import DetectResult
from aftersales.exceptions import Conflict, InvalidInput, NotFound
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.models import ClaimType

MAX_ROWS = 500


class ReceiptOutcome(StrEnum):
    DAMAGED = "damaged"  # received damaged, different or incomplete
    LOST = "lost"  # never received


RECEIPT_TYPES = {
    ReceiptOutcome.DAMAGED: ClaimType.REMOVAL_DAMAGED,
    ReceiptOutcome.LOST: ClaimType.REMOVAL_LOST,
}
RECEIPT_WORDS = {
    ReceiptOutcome.DAMAGED: N_("received damaged or incomplete"),
    ReceiptOutcome.LOST: N_("never received"),
}


class RemovalReceipt(BaseModel):
    store_id: int = Field(ge=1)
    removal_order_id: str = Field(min_length=1, max_length=60)
    sku: str = Field(min_length=1, max_length=80)
    outcome: ReceiptOutcome
    on: date = Field(description="Delivery day (damaged) or the day you found it missing (lost)")
    units: int | None = Field(default=None, ge=1, description="Default: every shipped unit")
    note: str | None = Field(default=None, max_length=2000)


class RemovalRow(BaseModel):
    store_id: int
    store_name: str
    marketplace_id: str | None
    order_id: str
    sku: str
    order_type: str | None
    status: str | None
    request_date: datetime
    requested: int
    shipped: int
    in_parcels: int
    last_shipped_on: date | None
    parcels: list[dict[str, Any]]
    claim_ids: list[int]


class RemovalClaimNotFound(NotFound):
    code = "removal_order_not_found"


class ClaimExists(Conflict):
    code = "claim_exists"


def _today() -> date:
    return datetime.now(UTC).date()


def removal_rows(
    session: Session, *, scope: Scope, limit: int | None = MAX_ROWS
) -> list[RemovalRow]:
    """Removal order lines of the scope (newest first, at most ``limit``; None: all, for a
    page that pages them itself) with their parcels and the claims made for them."""
    names = claim_repository.removal_store_names(session, scope=scope)
    stores = sorted(names)
    rows: list[RemovalRow] = []
    for store_id in stores:
        lines = claim_repository.removal_lines(session, store_id=store_id)
        parcels = claim_repository.removal_parcels(session, store_id=store_id)
        claims: dict[tuple[str, str], list[int]] = {}
        for claim in claim_repository.claims_of_store(session, store_id=store_id):
            if claim.claim_type in (ClaimType.REMOVAL_LOST, ClaimType.REMOVAL_DAMAGED):
                claims.setdefault((claim.amazon_order_id, claim.sku), []).append(claim.id)
        for (order_id, sku), (marketplace_id, _currency, line) in lines.items():
            if scope.marketplace_ids and marketplace_id not in scope.marketplace_ids:
                continue
            shipped = parcels.get((order_id, sku), [])
            days = [parcel.shipped_on for parcel in shipped if parcel.shipped_on]
            rows.append(
                RemovalRow(
                    store_id=store_id,
                    store_name=names[store_id],
                    marketplace_id=marketplace_id,
                    order_id=order_id,
                    sku=sku,
                    order_type=line.order_type,
                    status=line.status,
                    request_date=line.request_date,
                    requested=line.requested,
                    shipped=line.shipped,
                    in_parcels=sum(parcel.quantity for parcel in shipped),
                    last_shipped_on=max(days).date() if days else None,
                    parcels=detectors.parcels_out(shipped),
                    claim_ids=claims.get((order_id, sku), []),
                )
            )
    rows.sort(key=lambda row: (row.request_date, row.order_id, row.sku), reverse=True)
    return rows if limit is None else rows[:limit]


def record_receipt(
    session: Session, *, access: Access, body: RemovalReceipt, today: date | None = None
) -> int:
    """Create the removal claim the seller's record calls for; returns its id (404 outside
    their stores or for an unknown removal order and SKU, 403 without MANAGE, 409 when the
    claim exists, 422 for a date, unit count or closed window that does not fit)."""
    access.require(body.store_id, Permission.MANAGE)
    day = today or _today()
    found = claim_repository.removal_lines(
        session, store_id=body.store_id, order_id=body.removal_order_id
    ).get((body.removal_order_id, body.sku))
    if found is None:
        raise RemovalClaimNotFound(
            N_("no removal order %(order)s with SKU %(sku)s"),
            order=body.removal_order_id,
            sku=body.sku,
        )
    marketplace_id, _currency, line = found
    parcels = claim_repository.removal_parcels(
        session, store_id=body.store_id, order_id=body.removal_order_id
    ).get((body.removal_order_id, body.sku), [])
    if body.on > day or body.on < line.request_date.date():
        raise InvalidInput(
            N_("the date must be between the removal request (%(start)s) and today"),
            start=line.request_date.date().isoformat(),
            field="on",
        )
    shipped = max(line.shipped, sum(parcel.quantity for parcel in parcels))
    if shipped <= 0:
        raise InvalidInput(N_("no unit of this removal order was shipped"), field="sku")
    units = body.units or shipped
    if units > shipped:
        raise InvalidInput(
            N_("%(units)s units recorded, %(shipped)s were shipped"),
            units=units,
            shipped=shipped,
            field="units",
        )
    claim_type = RECEIPT_TYPES[body.outcome]
    event = (
        body.on if body.outcome is ReceiptOutcome.DAMAGED else removal_calc.event_day(line, parcels)
    )
    rule = claim_rules.rule_for(claim_type, marketplace_id=marketplace_id, on=event)
    if rule is None:
        raise InvalidInput(
            N_("no claim rule for %(type)s on %(day)s"),
            type=str(claim_type),
            day=event.isoformat(),
            field="on",
        )
    opens_on, closes_on = rule.opens_on(event), rule.closes_on(event)
    if day > closes_on:
        raise InvalidInput(
            N_("the claim window closed on %(day)s"), day=closes_on.isoformat(), field="on"
        )
    key = (claim_type.value, body.removal_order_id, body.sku, "")
    existing = {
        persist.key_of(claim): claim
        for claim in claim_repository.claims_of_store(session, store_id=body.store_id)
    }
    if key in existing:
        raise ClaimExists(
            N_("claim %(id)s already covers this removal order and SKU"), id=existing[key].id
        )
    per_unit, currency, valued_by = detectors.unit_value(
        session, store_id=body.store_id, sku=body.sku, marketplace_id=marketplace_id, rule=rule
    )
    now = datetime.now(UTC)
    evidence = {
        "removal_order": detectors.order_out(line, sum(p.quantity for p in parcels)),
        "parcels": detectors.parcels_out(parcels),
        "recorded": {
            "what": RECEIPT_WORDS[body.outcome],
            "on": body.on.isoformat(),
            "units": units,
            "note": body.note,
            "by": access.email,
            "at": now.isoformat(),
        },
        "units": {"affected": units, "shipped": shipped},
        "valuation": {
            "per_unit": str(per_unit) if per_unit is not None else None,
            "basis": valued_by,
        },
        "dates": {
            "event_day": event.isoformat(),
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
        },
        "rule": rule_out(rule),
    }
    claim = persist.save(
        session,
        found=persist.Found(
            store_id=body.store_id,
            marketplace_id=marketplace_id,
            claim_type=claim_type,
            order_id=body.removal_order_id,
            sku=body.sku,
            outcome=Outcome.OPEN,
            closes_on=closes_on,
            fields={
                "units": units,
                "estimated_value": removal_calc.worth(units, per_unit),
                "currency": currency,
                "refunded_on": event,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "evidence": evidence,
                "rule_id": rule.id,
                "rule_version": rule.version,
                "updated_at": now,
            },
        ),
        claim=None,
        as_of=day,
        now=now,
        result=DetectResult(),
        user_id=access.user_id,
        note=f"recorded: {RECEIPT_WORDS[body.outcome]} on {body.on.isoformat()}",
    )
    assert claim is not None
    session.flush()
    return claim.id
