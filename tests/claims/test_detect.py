"""Detection, reconciliation and lifecycle of "refunded, not returned" claims."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.claims import service as claims_service
from aftersales.claims import state
from aftersales.models import Claim, ClaimEvent, ClaimStatus, Store
from tests.claims.builders import add_refund, add_reimbursement
from tests.returns.builders import add_return

REFUNDED = date(2026, 1, 5)  # rule 2025-03-10: opens 2026-03-06, closes 2026-05-05
ORDER = "111-0000001-0000001"


def _claims(session: Session, store: Store) -> list[Claim]:
    return list(session.execute(select(Claim).where(Claim.store_id == store.id)).scalars())


def test_candidate_with_dates_from_the_rule_and_idempotent(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 21))
    [claim] = _claims(session, store)
    assert claim.status == ClaimStatus.CANDIDATE
    assert (claim.opens_on, claim.closes_on) == (date(2026, 3, 6), date(2026, 5, 5))
    assert str(claim.estimated_value) in ("21.25", "21.2500")  # 25.00 minus referral fee


def test_no_claim_before_waiting_period_or_when_returned(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_refund(session, store, on=REFUNDED, order_id="111-0000002-0000002")
    add_return(
        session, store, when=datetime(2026, 2, 1, tzinfo=UTC), order_id="111-0000002-0000002"
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 20))
    assert _claims(session, store) == []
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    assert [c.amazon_order_id for c in _claims(session, store)] == [ORDER]


def test_reimbursed_then_reversed_then_expired(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    add_reimbursement(session, store, on=date(2026, 3, 25), order_id=ORDER)
    claims_service.reconcile(session, store_id=store.id)
    [claim] = _claims(session, store)
    assert claim.status == ClaimStatus.REIMBURSED
    add_reimbursement(
        session,
        store,
        on=date(2026, 4, 1),
        order_id=ORDER,
        reason="Reimbursement_Reversal",
        quantity=-1,
        original_type="CustomerReturn",
    )
    claims_service.reconcile(session, store_id=store.id)
    assert claim.status == ClaimStatus.CANDIDATE
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 5, 6))
    assert claim.status == ClaimStatus.EXPIRED
    events = session.execute(
        select(ClaimEvent.to_status).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id)
    ).scalars()
    assert list(events) == ["candidate", "reimbursed", "candidate", "expired"]


def test_already_reimbursed_refund_gets_no_claim(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_reimbursement(session, store, on=date(2026, 3, 1), order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    assert _claims(session, store) == []


def test_illegal_transition_is_a_409(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    [claim] = _claims(session, store)
    state.file(session, claim, user_id=None)
    with pytest.raises(state.ClaimTransitionNotAllowed) as error:
        state.file(session, claim, user_id=None)
    assert error.value.status_code == 409
