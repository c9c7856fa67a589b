"""Replenishment alerts: listings newly in "order now", or newly projected to run out within
N days, from the store's last replenishment run; each listing is announced once per entry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aftersales.alerts import calc
from aftersales.alerts import service as alerts_service
from aftersales.models import (
    Alert,
    AlertRuleKind,
    ReplenishmentResult,
    ReplenishmentRun,
    Store,
)

AS_OF = date(2026, 11, 26)
US = "ATVPDKIKX0DER"
DE = "A1PA6795UKMFR9"


def _run(session: Session, store: Store, listings: list[tuple[str, str, str, int | None]]) -> None:
    """Replace the store's results: (marketplace id, sku, band, days to stock-out)."""
    session.execute(delete(ReplenishmentResult).where(ReplenishmentResult.store_id == store.id))
    run = ReplenishmentRun(
        store_id=store.id,
        as_of=AS_OF,
        started_at=datetime.now(UTC),
        finished_at=datetime.now(UTC),
        rules={},
        listings=len(listings),
        counts={},
    )
    session.add(run)
    session.flush()
    for marketplace_id, sku, band, days in listings:
        stockout = AS_OF + timedelta(days=days) if days is not None else None
        session.add(
            ReplenishmentResult(
                run_id=run.id,
                store_id=store.id,
                marketplace_id=marketplace_id,
                sku=sku,
                velocity=2.0,
                fba_stock=10,
                inbound_stock=0,
                other_stock=0,
                days_of_supply_fba=days,
                days_of_supply_inbound=days,
                days_of_supply_all=days,
                stockout_date=stockout,
                ship_by=stockout - timedelta(days=20) if stockout else None,
                purchase_by=None,
                send_quantity=100,
                buy_quantity=300,
                transfer_quantity=0,
                cap_applied=False,
                band=band,
                explanation="{}",
            )
        )
    session.flush()


def _alerts(session: Session, store: Store, kind: AlertRuleKind) -> list[Alert]:
    return list(
        session.execute(
            select(Alert)
            .where(Alert.store_id == store.id, Alert.kind == kind.value)
            .order_by(Alert.id)
        ).scalars()
    )


def _skus(alert: Alert) -> list[str]:
    return [f"{item['marketplace']}|{item['sku']}" for item in alert.facts["listings"]]


def test_listings_entering_order_now_are_announced_once(session: Session, store: Store) -> None:
    _run(
        session,
        store,
        [
            (US, "A", "order_now", 30),
            (US, "B", "healthy", 90),
            (DE, "C", "out_of_stock", 0),
            (DE, "D", "order_soon", 50),
        ],
    )
    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)
    [first] = _alerts(session, store, AlertRuleKind.REPLENISH_ORDER_NOW)
    assert _skus(first) == ["DE|C", "US|A"]  # the earliest stock-out first
    assert "2 listings to reorder now" in first.title

    # Nothing new the next day: no alert. Then D enters and A leaves.
    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF + timedelta(days=1))
    assert len(_alerts(session, store, AlertRuleKind.REPLENISH_ORDER_NOW)) == 1
    _run(
        session,
        store,
        [(US, "A", "healthy", 80), (DE, "C", "out_of_stock", 0), (DE, "D", "order_now", 25)],
    )
    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF + timedelta(days=2))
    second = _alerts(session, store, AlertRuleKind.REPLENISH_ORDER_NOW)[-1]
    assert _skus(second) == ["DE|D"]
    assert second.facts["in_state"] == 2

    # A comes back into "order now": announced again, it had left.
    _run(session, store, [(US, "A", "order_now", 28), (DE, "C", "out_of_stock", 0)])
    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF + timedelta(days=3))
    third = _alerts(session, store, AlertRuleKind.REPLENISH_ORDER_NOW)[-1]
    assert _skus(third) == ["US|A"]


def test_projected_stockouts_within_the_rules_days(session: Session, store: Store) -> None:
    _run(
        session,
        store,
        [
            (US, "SOON", "order_now", 10),
            (US, "EDGE", "order_soon", 21),
            (US, "LATER", "healthy", 22),
            (US, "GONE", "out_of_stock", 0),  # already out: the other rule's business
            (US, "NEVER", "overstocked", None),
        ],
    )
    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)
    [alert] = _alerts(session, store, AlertRuleKind.STOCKOUT_SOON)
    assert _skus(alert) == ["US|SOON", "US|EDGE"]  # default: within 21 days
    assert "within 21 days" in alert.title
    assert "US SOON: runs out 2026-12-06" in alert.body


def test_a_store_without_a_run_raises_nothing() -> None:
    finding, now = calc.replenishment_news(
        order_now=True, listings=[], previous=set(), params={}, as_of=AS_OF
    )
    assert finding is None
    assert now == set()


def test_long_lists_are_cut_but_the_facts_keep_every_listing() -> None:
    listings = [
        calc.Listing("US", f"SKU-{n:02d}", "order_now", AS_OF + timedelta(days=n), None, 1, 2)
        for n in range(calc.LISTED + 5)
    ]
    finding, now = calc.replenishment_news(
        order_now=True, listings=listings, previous={"US|SKU-00"}, params={}, as_of=AS_OF
    )
    assert finding is not None
    assert len(now) == calc.LISTED + 5
    assert len(finding.facts["listings"]) == calc.LISTED + 4
    assert finding.lines[-1] == "… and 4 more"
    assert len(finding.lines) == 1 + calc.LISTED + 1
