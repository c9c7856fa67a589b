"""Claims read from the FBA customer returns report: a unit the warehouse or the carrier
damaged ("returned_damaged_not_reimbursed") and a different item returned ("switcheroo")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.claims import calc
from aftersales.claims import service as claims_service
from aftersales.kit.scope import Scope
from aftersales.models import Claim, ClaimEvent, ClaimStatus, ClaimType, Store
from tests.claims.builders import add_refund, add_reimbursement, add_returned_unit

REFUNDED = date(2026, 1, 5)
RETURNED = date(2026, 1, 20)  # damaged rule 2025-03-10: opens 2026-01-27, closes 2026-03-21
ORDER = "111-0000009-0000001"
DAMAGED = ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED.value
SWITCHEROO = ClaimType.SWITCHEROO.value


def _claims(session: Session, store: Store) -> list[Claim]:
    return list(
        session.execute(select(Claim).where(Claim.store_id == store.id).order_by(Claim.id))
        .scalars()
        .all()
    )


def _events(session: Session, claim: Claim) -> list[str]:
    return list(
        session.execute(
            select(ClaimEvent.to_status)
            .where(ClaimEvent.claim_id == claim.id)
            .order_by(ClaimEvent.id)
        ).scalars()
    )


def _line(disposition: str | None, reason: str | None) -> calc.ReturnLine:
    return calc.ReturnLine(
        id=1,
        return_date=datetime(2026, 1, 20, tzinfo=UTC),
        quantity=1,
        disposition=disposition,
        license_plate_number="LPN1",
        reason=reason,
    )


@pytest.mark.parametrize(
    ("disposition", "reason", "damaged", "switched"),
    [
        ("DAMAGED", "DAMAGED_BY_FC", True, False),
        ("WAREHOUSE_DAMAGED", "UNWANTED_ITEM", True, False),
        ("CARRIER_DAMAGED", "DAMAGED_BY_CARRIER", True, False),
        (None, "DAMAGED_BY_CARRIER", True, False),  # no verdict: the reason decides
        ("CUSTOMER_DAMAGED", "DAMAGED_BY_FC", False, False),  # Amazon's verdict wins
        ("DEFECTIVE", "DEFECTIVE", False, False),
        ("DISTRIBUTOR_DAMAGED", "DAMAGED_BY_CARRIER", False, False),
        ("SELLABLE", "UNWANTED_ITEM", False, False),
        ("CUSTOMER_DAMAGED", "SWITCHEROO", False, True),
        ("DAMAGED", "SWITCHEROO", False, True),  # a switched unit is not our damaged unit
    ],
)
def test_which_returns_qualify(
    disposition: str | None, reason: str, damaged: bool, switched: bool
) -> None:
    line = _line(disposition, reason)
    assert bool(calc.qualifying_returns(DAMAGED, [line])) is damaged
    assert bool(calc.qualifying_returns(SWITCHEROO, [line])) is switched


def test_damaged_by_fc_is_a_candidate_with_evidence_and_idempotent(
    session: Session, store: Store
) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_returned_unit(session, store, on=RETURNED, order_id=ORDER, lpn="LPNDAMAGED01")
    first = claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 1))
    again = claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 2))
    assert (first.created, again.created) == (1, 0)
    # The damaged unit came back: no "refunded, not returned" claim besides it.
    [claim] = _claims(session, store)
    assert claim.claim_type == DAMAGED
    assert claim.status == ClaimStatus.CANDIDATE
    assert claim.units == 1
    assert (claim.refunded_on, claim.opens_on, claim.closes_on) == (
        RETURNED,
        date(2026, 1, 27),
        date(2026, 3, 21),
    )
    assert claim.rule_id == "returned_damaged_not_reimbursed/default/2025-03-10"
    assert Decimal(claim.estimated_value) == Decimal("21.25")  # 25.00 minus referral fee
    [row] = claim.evidence["returns"]
    assert row["license_plate_number"] == "LPNDAMAGED01"
    assert (row["disposition"], row["reason"]) == ("DAMAGED", "DAMAGED_BY_FC")
    assert row["return_date"].startswith("2026-01-20")
    assert claim.evidence["dates"]["refunded_on"] == "2026-01-05"
    assert "ANCHORS.md" in claim.evidence["rule"]["source"]
    assert _events(session, claim) == ["candidate"]
    text = claims_service.case_text(claim)
    assert "LPN LPNDAMAGED01" in text
    assert "DAMAGED_BY_FC" in text
    assert ORDER in text


def test_carrier_damaged_without_refund_is_a_candidate_worth_zero(
    session: Session, store: Store
) -> None:
    add_returned_unit(
        session,
        store,
        on=RETURNED,
        order_id=ORDER,
        disposition="CARRIER_DAMAGED",
        reason="DAMAGED_BY_CARRIER",
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 1))
    [claim] = _claims(session, store)
    assert (claim.claim_type, claim.status) == (DAMAGED, ClaimStatus.CANDIDATE)
    assert claim.marketplace_id == "ATVPDKIKX0DER"
    assert Decimal(claim.estimated_value) == 0


def test_customer_damaged_or_defective_or_sellable_gets_no_claim(
    session: Session, store: Store
) -> None:
    for number, (disposition, reason) in enumerate(
        [
            ("CUSTOMER_DAMAGED", "DAMAGED_BY_CARRIER"),
            ("DEFECTIVE", "DEFECTIVE"),
            ("SELLABLE", "UNWANTED_ITEM"),
        ]
    ):
        order = f"111-000001{number}-0000001"
        add_refund(session, store, on=REFUNDED, order_id=order)
        add_returned_unit(
            session, store, on=RETURNED, order_id=order, disposition=disposition, reason=reason
        )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 15))
    assert _claims(session, store) == []


def test_no_claim_before_the_waiting_period(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_returned_unit(session, store, on=RETURNED, order_id=ORDER)
    add_returned_unit(
        session, store, on=RETURNED, order_id="111-0000009-0000002", reason="SWITCHEROO"
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 1, 26))
    assert _claims(session, store) == []


def test_already_reimbursed_gets_no_claim(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_returned_unit(session, store, on=RETURNED, order_id=ORDER)
    add_reimbursement(
        session, store, on=date(2026, 1, 24), order_id=ORDER, reason="Damaged_Warehouse"
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 1))
    assert _claims(session, store) == []


def test_reimbursed_closes_then_reversal_reopens(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_returned_unit(session, store, on=RETURNED, order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 1))
    [claim] = _claims(session, store)
    add_reimbursement(
        session, store, on=date(2026, 2, 10), order_id=ORDER, reason="Damaged_Warehouse"
    )
    closed = claims_service.reconcile(session, store_id=store.id)
    assert closed.reimbursed == 1
    assert claim.status == ClaimStatus.REIMBURSED
    add_reimbursement(
        session,
        store,
        on=date(2026, 2, 20),
        order_id=ORDER,
        reason="Reimbursement_Reversal",
        quantity=-1,
        original_type="Damaged_Warehouse",
    )
    reopened = claims_service.reconcile(session, store_id=store.id)
    assert reopened.reopened == 1
    assert claim.status == ClaimStatus.CANDIDATE
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 22))
    assert claim.status == ClaimStatus.EXPIRED
    assert _events(session, claim) == ["candidate", "reimbursed", "candidate", "expired"]


def test_customer_return_reimbursement_also_closes_a_damaged_claim(
    session: Session, store: Store
) -> None:
    add_returned_unit(session, store, on=RETURNED, order_id=ORDER)
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 2, 1))
    add_reimbursement(session, store, on=date(2026, 2, 10), order_id=ORDER)
    claims_service.reconcile(session, store_id=store.id)
    [claim] = _claims(session, store)
    assert claim.status == ClaimStatus.REIMBURSED


def test_switcheroo_is_a_candidate_counted_from_the_refund(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id=ORDER)
    add_returned_unit(
        session,
        store,
        on=RETURNED,
        order_id=ORDER,
        disposition="CUSTOMER_DAMAGED",
        reason="SWITCHEROO",
        lpn="LPNSWITCH01",
    )
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 5))
    assert _claims(session, store) == []  # the 60-day wait from the refund has not passed
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 10))
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 11))
    [claim] = _claims(session, store)
    assert (claim.claim_type, claim.status) == (SWITCHEROO, ClaimStatus.CANDIDATE)
    assert (claim.refunded_on, claim.opens_on, claim.closes_on) == (
        REFUNDED,
        date(2026, 3, 6),
        date(2026, 5, 5),
    )
    assert claim.rule_id == "switcheroo/default/2025-03-10"
    assert claim.evidence["returns"][0]["reason"] == "SWITCHEROO"
    text = claims_service.case_text(claim)
    assert "different item" in text
    assert "LPNSWITCH01" in text
    # A reimbursement of the order and SKU closes it.
    add_reimbursement(session, store, on=date(2026, 3, 15), order_id=ORDER)
    claims_service.reconcile(session, store_id=store.id)
    assert claim.status == ClaimStatus.REIMBURSED


def test_every_type_runs_and_the_list_filters_by_type(session: Session, store: Store) -> None:
    add_refund(session, store, on=REFUNDED, order_id="111-0000009-0000011")  # not returned
    add_returned_unit(session, store, on=RETURNED, order_id="111-0000009-0000012")
    add_returned_unit(
        session, store, on=RETURNED, order_id="111-0000009-0000013", reason="SWITCHEROO"
    )
    # Switcheroo without a refund counts from the return: opens 2026-03-21.
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 21))
    found = sorted(claim.claim_type for claim in _claims(session, store))
    assert found == sorted([DAMAGED, SWITCHEROO, ClaimType.REFUND_NOT_RETURNED.value])
    scope = Scope(store_ids=(store.id,), marketplace_ids=())
    every = claims_service.list_claims(session, scope=scope, as_of=date(2026, 3, 21))
    assert {item.type_label for item in every.items} == {
        claims_service.TYPE_LABELS[claim_type] for claim_type in found
    }
    only = claims_service.list_claims(
        session, scope=scope, claim_type=ClaimType.SWITCHEROO, as_of=date(2026, 3, 21)
    )
    assert [item.amazon_order_id for item in only.items] == ["111-0000009-0000013"]
    # Totals cover the whole scope whatever the filter shows.
    assert only.totals == every.totals
