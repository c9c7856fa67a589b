"""Create or refresh one detected claim, the way every claim type does it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from aftersales.claims import state
from aftersales.claims.calc import Outcome
from aftersales.claims.schemas import DetectResult
from aftersales.models import Claim, ClaimStatus, ClaimType

NEW_STATUS = {Outcome.OPEN: ClaimStatus.CANDIDATE, Outcome.WINDOW_CLOSED: ClaimStatus.EXPIRED}

# (claim type, order, SKU, reference): the natural key within a store.
ClaimKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class Found:
    """What detection says about one claim."""

    store_id: int
    marketplace_id: str | None
    claim_type: ClaimType
    order_id: str
    sku: str
    outcome: Outcome
    closes_on: date
    fields: dict[str, Any]
    reference: str = ""

    @property
    def key(self) -> ClaimKey:
        return (self.claim_type.value, self.order_id, self.sku, self.reference)


def key_of(claim: Claim) -> ClaimKey:
    return (claim.claim_type, claim.amazon_order_id, claim.sku, claim.reference or "")


def save(
    session: Session,
    *,
    found: Found,
    claim: Claim | None,
    as_of: date,
    now: datetime,
    result: DetectResult,
    user_id: int | None = None,
    note: str | None = None,
) -> Claim | None:
    """Create the claim when it is claimable (or already expired), else refresh a candidate
    and expire it once its window closed; filed and closed claims are left alone."""
    if claim is None:
        status = NEW_STATUS.get(found.outcome)
        if status is None:
            return None
        claim = Claim(
            store_id=found.store_id,
            marketplace_id=found.marketplace_id,
            claim_type=found.claim_type.value,
            amazon_order_id=found.order_id,
            sku=found.sku,
            reference=found.reference,
            status=status.value,
            created_at=now,
            **found.fields,
        )
        session.add(claim)
        session.flush()
        event = state.record_creation(
            session, claim, note=note or f"detected as of {as_of.isoformat()}"
        )
        event.user_id = user_id
        result.created += 1
        return claim
    if claim.status != ClaimStatus.CANDIDATE:
        return claim
    if found.outcome in (Outcome.OPEN, Outcome.WINDOW_CLOSED, Outcome.WAITING):
        for name, value in found.fields.items():
            setattr(claim, name, value)
        result.updated += 1
    if found.outcome is Outcome.WINDOW_CLOSED and state.can_expire(claim):
        state.expire(
            session, claim, user_id=None, note=f"window closed on {found.closes_on.isoformat()}"
        )
        result.expired += 1
    return claim
