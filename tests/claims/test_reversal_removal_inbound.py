"""Claims for reversed reimbursements, lost or damaged removals and missing inbound units:
one test per rule branch, with hand-computed dates and values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.claims import inbound, inbound_calc, removals
from aftersales.claims import service as claims_service
from aftersales.claims.removals import ReceiptOutcome, RemovalReceipt
from aftersales.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from aftersales.kit.scope import Scope
from aftersales.models import Claim, ClaimEvent, ClaimStatus, ClaimType, Store
from tests.claims.builders import (
    add_cost,
    add_parcel,
    add_refund,
    add_reimbursement,
    add_removal,
    add_returned_unit,
    add_sale,
    add_snapshot,
)
from tests.web.conftest import (  # noqa: F401  (fixtures used by name)
    Seller,
    app,
    client,
    csrf_of,
    db,
    make_user,
    seller_a,
    seller_b,
    signed_in,
    web_db,
)

ORDER = "111-0000077-0000001"
PAID = date(2026, 3, 1)
REVERSED_ON = date(2026, 4, 1)  # reversal rule: opens 2026-04-01, closes 2026-05-31
REVERSED = ClaimType.REIMBURSEMENT_REVERSED.value
LOST = ClaimType.REMOVAL_LOST.value
DAMAGED = ClaimType.REMOVAL_DAMAGED.value
MISSING = ClaimType.INBOUND_MISSING.value


def _claims(session: Session, store: Store, claim_type: str) -> list[Claim]:
    return list(
        session.execute(
            select(Claim)
            .where(Claim.store_id == store.id, Claim.claim_type == claim_type)
            .order_by(Claim.id)
        ).scalars()
    )


def _reverse(
    session: Session,
    store: Store,
    original: str,
    *,
    reason: str,
    order: str = ORDER,
    amount: str = "-21.25",
    quantity: int = -1,
) -> None:
    add_reimbursement(
        session,
        store,
        on=REVERSED_ON,
        order_id=order,
        reason="Reimbursement_Reversal",
        quantity=quantity,
        amount=amount,
        original_type=reason,
        original_id=original,
    )


# --- reimbursement reversed ------------------------------------------------------------------


def test_a_reversal_not_paid_again_is_a_candidate_worth_the_amount_reversed(
    session: Session, store: Store
) -> None:
    original = add_reimbursement(session, store, on=PAID, order_id=ORDER)
    _reverse(session, store, original, reason="CustomerReturn")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 10))
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 11))
    [claim] = _claims(session, store, REVERSED)
    assert (claim.status, claim.units, claim.reference) == ("candidate", 1, original)
    assert claim.estimated_value == Decimal("21.25")
    assert (claim.refunded_on, claim.opens_on, claim.closes_on) == (
        REVERSED_ON,
        date(2026, 4, 1),
        date(2026, 5, 31),
    )
    text = claims_service.get_claim(
        session, scope=Scope(store_ids=(store.id,)), claim_id=claim.id
    ).case_text
    assert f"Original reimbursement ID: {original}" in text
    assert "Reversal date: 2026-04-01" in text

    # Amazon pays it again: reconciliation closes the claim.
    add_reimbursement(session, store, on=date(2026, 4, 20), order_id=ORDER)
    claims_service.reconcile(session, store_id=store.id)
    assert claim.status == ClaimStatus.REIMBURSED


def test_a_repaid_reversal_makes_no_claim(session: Session, store: Store) -> None:
    original = add_reimbursement(session, store, on=PAID, order_id=ORDER)
    _reverse(session, store, original, reason="CustomerReturn")
    add_reimbursement(session, store, on=date(2026, 4, 5), order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 10))
    assert _claims(session, store, REVERSED) == []


def test_a_reversal_after_the_customer_returned_the_unit_makes_no_claim(
    session: Session, store: Store
) -> None:
    original = add_reimbursement(session, store, on=PAID, order_id=ORDER)
    add_returned_unit(
        session, store, on=date(2026, 3, 20), order_id=ORDER, disposition="SELLABLE", reason=None
    )
    _reverse(session, store, original, reason="CustomerReturn")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 10))
    assert _claims(session, store, REVERSED) == []


def test_a_found_lost_unit_is_owed_only_the_excess_of_its_reversal(
    session: Session, store: Store
) -> None:
    fair = add_reimbursement(session, store, on=PAID, order_id="", reason="Lost_Warehouse")
    _reverse(session, store, fair, reason="Lost_Warehouse", order="")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 10))
    assert _claims(session, store, REVERSED) == []
    greedy = add_reimbursement(
        session, store, on=PAID, order_id="", sku="SKU-2", reason="Lost_Warehouse", amount="10.00"
    )
    add_reimbursement(
        session,
        store,
        on=REVERSED_ON,
        order_id="",
        sku="SKU-2",
        reason="Reimbursement_Reversal",
        quantity=-1,
        amount="-14.50",
        original_type="Lost_Warehouse",
        original_id=greedy,
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 10))
    [claim] = _claims(session, store, REVERSED)
    assert (claim.sku, claim.amazon_order_id, claim.estimated_value) == (
        "SKU-2",
        "",
        Decimal("4.50"),
    )


def test_a_reversal_already_covered_by_a_refund_claim_reopens_that_one_instead(
    session: Session, store: Store
) -> None:
    add_refund(session, store, on=date(2026, 1, 5), order_id=ORDER)
    original = add_reimbursement(session, store, on=PAID, order_id=ORDER)
    _reverse(session, store, original, reason="CustomerReturn")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 10))
    assert _claims(session, store, REVERSED) == []
    [refund_claim] = _claims(session, store, ClaimType.REFUND_NOT_RETURNED.value)
    assert refund_claim.status == ClaimStatus.CANDIDATE


def test_a_reversal_past_its_window_is_expired(session: Session, store: Store) -> None:
    original = add_reimbursement(session, store, on=PAID, order_id=ORDER)
    _reverse(session, store, original, reason="Damaged_Warehouse")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 6, 1))
    [claim] = _claims(session, store, REVERSED)
    assert claim.status == ClaimStatus.EXPIRED


# --- removal lost ----------------------------------------------------------------------------


def test_unaccounted_and_parcelless_removal_units_are_lost_from_the_ship_date(
    session: Session, store: Store
) -> None:
    add_cost(session, store, cost="6.40", price="25.00")
    # Completed: 6 requested, 1 cancelled, 4 shipped per the detail: 1 unaccounted for;
    # the parcels hold 3 of the 4 shipped: 1 without a parcel. Lost: 2.
    add_removal(
        session,
        store,
        order_id="RMV-1",
        requested=6,
        cancelled=1,
        shipped=4,
        requested_on=date(2026, 3, 1),
        updated_on=date(2026, 3, 20),
    )
    add_parcel(session, store, order_id="RMV-1", quantity=2, on=date(2026, 3, 8))
    add_parcel(session, store, order_id="RMV-1", quantity=1, on=date(2026, 3, 10), tracking="T2")
    # Agrees with itself: nothing lost.
    add_removal(
        session, store, order_id="RMV-2", requested=2, shipped=2, requested_on=date(2026, 3, 1)
    )
    add_parcel(session, store, order_id="RMV-2", quantity=2, on=date(2026, 3, 9), tracking="T3")

    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 24))
    assert _claims(session, store, LOST) == []  # ship date 2026-03-10 + 15 = 2026-03-25
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 25))
    [claim] = _claims(session, store, LOST)
    assert (claim.amazon_order_id, claim.units, claim.status) == ("RMV-1", 2, "candidate")
    assert (claim.opens_on, claim.closes_on) == (date(2026, 3, 25), date(2026, 5, 24))
    # Manufacturing cost valuation (rule 2025-03-10): 2 × 6.40.
    assert claim.estimated_value == Decimal("12.80")
    assert claim.evidence["units"] == {"unaccounted": 1, "without_parcel": 1, "lost": 2}
    text = claims_service.case_text(claim)
    assert "Removal order ID: RMV-1" in text
    assert "tracking T2" in text

    # Amazon pays under the removal order id: reconciliation closes it.
    add_reimbursement(
        session, store, on=date(2026, 4, 2), order_id="RMV-1", reason="Lost_Outbound", quantity=2
    )
    claims_service.reconcile(session, store_id=store.id)
    assert claim.status == ClaimStatus.REIMBURSED


def test_a_removal_without_a_catalog_cost_is_worth_zero_and_says_why(
    session: Session, store: Store
) -> None:
    add_removal(
        session,
        store,
        order_id="RMV-3",
        requested=3,
        shipped=3,
        requested_on=date(2026, 3, 1),
        updated_on=date(2026, 3, 5),
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 4, 1))
    [claim] = _claims(session, store, LOST)
    assert (claim.units, claim.estimated_value) == (3, Decimal("0"))
    assert claim.evidence["valuation"]["basis"] == "unit cost not in the catalog"
    assert claim.refunded_on == date(2026, 3, 5)  # no parcel: the order's last update


# --- removal damaged (recorded by the seller) -----------------------------------------------


def _receipt(seller: Seller, **changes: object) -> RemovalReceipt:
    values: dict[str, object] = {
        "store_id": seller.store.id,
        "removal_order_id": "RMV-9",
        "sku": "SKU-1",
        "outcome": ReceiptOutcome.DAMAGED,
        "on": date(2026, 4, 2),
        "units": 2,
        "note": "box crushed",
    }
    values.update(changes)
    return RemovalReceipt.model_validate(values)


def test_a_recorded_damaged_removal_is_a_candidate_for_30_days(
    db: Session,  # noqa: F811
    seller_a: Seller,  # noqa: F811
    seller_b: Seller,  # noqa: F811
) -> None:
    store = seller_a.store
    add_cost(db, store, cost="5.00", price="20.00")
    add_removal(db, store, order_id="RMV-9", requested=3, shipped=3, requested_on=date(2026, 3, 1))
    add_parcel(db, store, order_id="RMV-9", quantity=3, on=date(2026, 3, 20))
    owner = account_service.access_for(db, user=seller_a.owner)
    claim_id = removals.record_receipt(
        db, access=owner, body=_receipt(seller_a), today=date(2026, 4, 3)
    )
    claim = db.get(Claim, claim_id)
    assert claim is not None
    assert (claim.claim_type, claim.status, claim.units) == (DAMAGED, "candidate", 2)
    assert (claim.opens_on, claim.closes_on) == (date(2026, 4, 2), date(2026, 5, 2))
    assert claim.estimated_value == Decimal("10.00")
    assert claim.evidence["recorded"]["by"] == seller_a.owner.email
    [event] = db.execute(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id)).scalars()
    assert event.user_id == seller_a.owner.id
    assert "box crushed" in claims_service.case_text(claim)

    with pytest.raises(Conflict):
        removals.record_receipt(db, access=owner, body=_receipt(seller_a), today=date(2026, 4, 3))
    with pytest.raises(InvalidInput, match="3 were shipped"):
        removals.record_receipt(
            db,
            access=owner,
            body=_receipt(seller_a, units=4, outcome="lost"),
            today=date(2026, 4, 3),
        )
    with pytest.raises(InvalidInput, match="window closed on 2026-05-02"):
        removals.record_receipt(
            db,
            access=owner,
            body=_receipt(seller_a, removal_order_id="RMV-9", outcome="damaged"),
            today=date(2026, 5, 3),
        )
    with pytest.raises(NotFound):
        removals.record_receipt(
            db,
            access=owner,
            body=_receipt(seller_a, removal_order_id="NOPE"),
            today=date(2026, 4, 3),
        )
    with pytest.raises(NotFound):
        removals.record_receipt(db, access=owner, body=_receipt(seller_b), today=date(2026, 4, 3))
    viewer = make_user(db, "viewer@alpha.test", store, role="viewer")
    with pytest.raises(Forbidden):
        removals.record_receipt(
            db,
            access=account_service.access_for(db, user=viewer),
            body=_receipt(seller_a, outcome="lost"),
            today=date(2026, 4, 3),
        )

    # Not re-detected from reports: expired by detection once its window closed.
    claims_service.detect(db, store_id=store.id, as_of=date(2026, 5, 3))
    db.refresh(claim)
    assert claim.status == ClaimStatus.EXPIRED


# --- inbound missing -------------------------------------------------------------------------


def _snap(
    day: str, *, shipped: int = 0, receiving: int = 0, on_hand: int | None = 50
) -> inbound_calc.Snapshot:
    return inbound_calc.Snapshot(
        row_id=1,
        day=date.fromisoformat(day),
        inbound_shipped=shipped,
        inbound_receiving=receiving,
        fulfillable=on_hand,
        unfulfillable=0,
        reserved=0,
        researching=0,
    )


def test_inbound_heuristic_counts_sales_and_removals_before_calling_units_missing() -> None:
    before = _snap("2026-03-01", receiving=100, on_hand=50)
    after = _snap("2026-03-05", receiving=0, on_hand=130)
    interval = (before.day, after.day)
    # 100 left the pipeline; arrived = (130 − 50) + 12 sold + 3 removed = 95: 5 missing.
    result = inbound_calc.check(
        [before, after],
        sold_between={interval: 12},
        removed_between={interval: 3},
        orders_until=date(2026, 3, 6),
    )
    assert result.coverage is inbound_calc.Coverage.CHECKED
    [shortfall] = result.shortfalls
    assert (shortfall.left_pipeline, shortfall.missing) == (100, 5)
    assert shortfall.delivered_on == before.day  # already receiving at the first snapshot
    whole = inbound_calc.check(
        [before, after],
        sold_between={interval: 17},
        removed_between={interval: 3},
        orders_until=date(2026, 3, 6),
    )
    assert whole.shortfalls == ()


@pytest.mark.parametrize(
    ("snapshots", "orders_until", "reason"),
    [
        (
            [_snap("2026-03-01", shipped=10), _snap("2026-03-20")],
            date(2026, 4, 1),
            inbound_calc.GAP_TOO_LONG,
        ),
        (
            [_snap("2026-03-01", shipped=10), _snap("2026-03-03")],
            date(2026, 3, 2),
            inbound_calc.NO_SALES,
        ),
        (
            [_snap("2026-03-01", shipped=10), _snap("2026-03-03", on_hand=None)],
            date(2026, 4, 1),
            inbound_calc.NO_ON_HAND,
        ),
        ([], None, inbound_calc.NO_INBOUND_BUCKETS),
    ],
)
def test_inbound_heuristic_says_when_the_data_is_insufficient(
    snapshots: list[inbound_calc.Snapshot], orders_until: date | None, reason: str
) -> None:
    result = inbound_calc.check(
        snapshots, sold_between={}, removed_between={}, orders_until=orders_until
    )
    assert result.coverage is inbound_calc.Coverage.INSUFFICIENT
    assert [problem.reason for problem in result.problems] == [reason]
    assert result.shortfalls == ()


def test_inbound_missing_claim_from_snapshots_and_sales(session: Session, store: Store) -> None:
    add_cost(session, store, cost="4.00", price="19.99")
    add_snapshot(session, store, on=date(2026, 3, 1), fulfillable=50, shipped=40)
    add_snapshot(session, store, on=date(2026, 3, 4), fulfillable=60, receiving=40)
    add_snapshot(session, store, on=date(2026, 3, 8), fulfillable=88, receiving=0)
    add_sale(session, store, on=date(2026, 3, 6), quantity=4)
    add_sale(session, store, on=date(2026, 3, 10))  # orders reach past the last snapshot
    # 3-04 → 3-08: 40 left the pipeline; arrived (88 − 60) + 4 sold = 32: 8 missing,
    # delivered by 3-04 (receiving there): opens 3-19, closes 5-03.
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    [claim] = _claims(session, store, MISSING)
    assert (claim.sku, claim.units, claim.reference, claim.status) == (
        "SKU-1",
        8,
        "2026-03-08",
        "candidate",
    )
    assert (claim.refunded_on, claim.opens_on, claim.closes_on) == (
        date(2026, 3, 4),
        date(2026, 3, 19),
        date(2026, 5, 3),
    )
    assert claim.estimated_value == Decimal("32.00")  # 8 × manufacturing cost 4.00
    assert claim.evidence["check"]["sold"] == 4
    assert "Units missing: 8" in claims_service.case_text(claim)
    # 3-01 → 3-04: shipped became receiving: nothing left the pipeline.
    coverage = inbound.coverage(session, scope=Scope(store_ids=(store.id,)))
    assert [(row.sku, row.coverage, row.drops, row.shortfalls) for row in coverage] == [
        ("SKU-1", inbound_calc.Coverage.CHECKED, 1, 1)
    ]
    add_reimbursement(
        session, store, on=date(2026, 3, 25), order_id="", reason="Lost_Inbound", quantity=8
    )
    claims_service.reconcile(session, store_id=store.id)
    assert claim.status == ClaimStatus.REIMBURSED


def test_inbound_sku_without_sales_data_is_reported_not_guessed(
    session: Session, store: Store
) -> None:
    add_snapshot(session, store, on=date(2026, 3, 1), fulfillable=50, receiving=40, sku="SKU-N")
    add_snapshot(session, store, on=date(2026, 3, 3), fulfillable=60, receiving=0, sku="SKU-N")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    assert _claims(session, store, MISSING) == []
    [row] = inbound.coverage(session, scope=Scope(store_ids=(store.id,)))
    assert row.coverage is inbound_calc.Coverage.INSUFFICIENT
    assert row.problems == [
        "2026-03-03: the orders import does not reach 2026-03-03: sales in the interval are unknown"
    ]
