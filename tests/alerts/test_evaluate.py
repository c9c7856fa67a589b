"""Each alert rule on crafted rows, thresholds edited per store, no duplicate alerts."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.alerts import service as alerts_service
from aftersales.claims import service as claims_service
from aftersales.exceptions import Forbidden, InvalidInput
from aftersales.kit.scope import Scope
from aftersales.models import Alert, AlertRuleKind, Store
from tests.claims.builders import add_refund
from tests.orders.builders import Line, add_order
from tests.returns.builders import add_return
from tests.web.conftest import make_user

AS_OF = date(2026, 6, 30)
_orders = itertools.count(1)


def _alerts(session: Session, store: Store, kind: AlertRuleKind) -> list[Alert]:
    return list(
        session.execute(
            select(Alert).where(Alert.store_id == store.id, Alert.kind == kind.value)
        ).scalars()
    )


def _ship(session: Session, store: Store, sku: str, units: int, when: str) -> None:
    add_order(
        session,
        store,
        order_id=f"111-{next(_orders):07d}-0000001",
        when=when,
        lines=[Line(sku, quantity=units)],
    )


def _returns(session: Session, store: Store, sku: str, units: int, when: str, **extra: str) -> None:
    for _ in range(units):
        add_return(session, store, when=when, sku=sku, **extra)  # type: ignore[arg-type]


def test_sku_return_rate_above_its_baseline(session: Session, store: Store) -> None:
    # HOT: 2% over the baseline, 25% in the last 14 days.
    _ship(session, store, "HOT", 100, "2026-04-15T10:00:00")
    _returns(session, store, "HOT", 2, "2026-04-25T10:00:00")
    _ship(session, store, "HOT", 20, "2026-06-20T10:00:00")
    _returns(session, store, "HOT", 5, "2026-06-25T10:00:00")
    # CALM: 10% before and after; FEW: a high rate on too few units.
    _ship(session, store, "CALM", 100, "2026-04-15T10:00:00")
    _returns(session, store, "CALM", 10, "2026-04-25T10:00:00")
    _ship(session, store, "CALM", 50, "2026-06-20T10:00:00")
    _returns(session, store, "CALM", 5, "2026-06-25T10:00:00")
    _ship(session, store, "FEW", 100, "2026-04-15T10:00:00")
    _ship(session, store, "FEW", 4, "2026-06-20T10:00:00")
    _returns(session, store, "FEW", 2, "2026-06-25T10:00:00")

    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)

    [alert] = _alerts(session, store, AlertRuleKind.SKU_RETURN_RATE)
    assert alert.facts["sku"] == "HOT"
    assert (alert.facts["recent_returned"], alert.facts["recent_shipped"]) == (5, 20)
    assert (alert.facts["baseline_returned"], alert.facts["baseline_shipped"]) == (2, 100)
    assert "25.0%" in alert.title


def test_unsellable_units_above_the_daily_threshold(session: Session, store: Store) -> None:
    _returns(session, store, "A", 11, "2026-06-29T08:00:00", disposition="CUSTOMER_DAMAGED")
    _returns(session, store, "B", 10, "2026-06-28T08:00:00", disposition="DEFECTIVE")
    _returns(session, store, "C", 30, "2026-06-28T09:00:00", disposition="SELLABLE")

    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)

    [alert] = _alerts(session, store, AlertRuleKind.UNSELLABLE_PER_DAY)
    assert alert.facts["day"] == "2026-06-29"
    assert alert.facts["units"] == 11


def test_reason_cluster_within_the_window(session: Session, store: Store) -> None:
    _returns(session, store, "BROKEN", 3, "2026-06-26T08:00:00", reason="DEFECTIVE")
    _returns(session, store, "TWICE", 2, "2026-06-27T08:00:00", reason="DEFECTIVE")
    _returns(session, store, "OLD", 3, "2026-06-10T08:00:00", reason="DEFECTIVE")
    _returns(session, store, "OTHER", 5, "2026-06-27T08:00:00", reason="UNWANTED_ITEM")

    alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)

    [alert] = _alerts(session, store, AlertRuleKind.REASON_CLUSTER)
    assert (alert.facts["sku"], alert.facts["units"]) == ("BROKEN", 3)


def test_claims_expiring_within_seven_days(session: Session, store: Store) -> None:
    # Refunded 2026-01-05: the claim may be filed until 2026-05-05.
    add_refund(session, store, on=date(2026, 1, 5), order_id="111-0000001-0000001")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    assert alerts_service.evaluate(session, store_id=store.id, as_of=date(2026, 4, 1)) == []

    [alert] = alerts_service.evaluate(session, store_id=store.id, as_of=date(2026, 5, 1))

    assert alert.kind == AlertRuleKind.CLAIMS_EXPIRING
    assert alert.facts["claims"][0]["days_left"] == 4
    assert "111-0000001-0000001" in alert.body


def test_re_evaluation_raises_nothing_twice(session: Session, store: Store) -> None:
    _returns(session, store, "BROKEN", 3, "2026-06-26T08:00:00", reason="DEFECTIVE")
    _returns(session, store, "A", 11, "2026-06-29T08:00:00", disposition="CUSTOMER_DAMAGED")
    first = alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)
    assert len(first) == 2
    assert alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF) == []
    # The next day the cluster still holds (a new day's alert); the unsellable day does not
    # raise again.
    next_day = alerts_service.evaluate(session, store_id=store.id, as_of=date(2026, 7, 1))
    assert [alert.kind for alert in next_day] == [AlertRuleKind.REASON_CLUSTER]


def test_thresholds_and_switches_are_per_store(session: Session, store: Store) -> None:
    owner = make_user(session, "owner@acme.test", store)
    viewer = make_user(session, "viewer@acme.test", store, role="viewer")
    access = account_service.access_for(session, user=owner)
    _returns(session, store, "TWICE", 2, "2026-06-27T08:00:00", reason="DEFECTIVE")
    _returns(session, store, "A", 11, "2026-06-29T08:00:00", disposition="CUSTOMER_DAMAGED")

    alerts_service.update_rule(
        session,
        access=access,
        store_id=store.id,
        kind="reason_cluster",
        enabled=True,
        params={"min_units": 2},
    )
    alerts_service.update_rule(
        session,
        access=access,
        store_id=store.id,
        kind="unsellable_per_day",
        enabled=False,
        params={},
    )
    created = alerts_service.evaluate(session, store_id=store.id, as_of=AS_OF)

    assert [(a.kind, a.facts["sku"]) for a in created] == [("reason_cluster", "TWICE")]
    rules = {r.kind: r for r in alerts_service.list_rules(session, scope=Scope((store.id,)))}
    assert rules[AlertRuleKind.REASON_CLUSTER].params["min_units"] == 2
    assert rules[AlertRuleKind.UNSELLABLE_PER_DAY].enabled is False
    with pytest.raises(InvalidInput):
        alerts_service.update_rule(
            session,
            access=access,
            store_id=store.id,
            kind="reason_cluster",
            enabled=True,
            params={"min_units": 0},
        )
    with pytest.raises(Forbidden):
        alerts_service.update_rule(
            session,
            access=account_service.access_for(session, user=viewer),
            store_id=store.id,
            kind="reason_cluster",
            enabled=True,
            params={},
        )
