"""A SKU's return profile on crafted rows: exact rates, reasons with responsibility,
dispositions, comments, weekly trend; scope isolation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from aftersales.exceptions import NotFound
from aftersales.kit.scope import Scope
from aftersales.models import Store
from aftersales.returns_analytics import service as analytics_service
from aftersales.stores import service as store_service
from tests.orders.builders import US, Line, add_order
from tests.returns.builders import add_return
from tests.returns_analytics.builders import AS_OF, SKU, build_profile


@pytest.fixture
def other(session: Session) -> Store:
    return store_service.add_store(session, name="other-na", region="NA")


def test_rates_compare_the_last_30_and_90_days_with_the_90_before(
    session: Session, store: Store, other: Store
) -> None:
    build_profile(session, store)
    # Another store's rows of the same SKU never count.
    add_return(session, other, when="2026-05-30T10:00:00", sku=SKU, quantity=5)
    add_order(session, other, order_id="X-1", when="2026-05-30T10:00:00", lines=[Line(SKU, 50)])

    profile = analytics_service.sku_profile(
        session, scope=Scope(store_ids=(store.id,)), sku=SKU, as_of=AS_OF
    )

    thirty, ninety = profile.windows
    assert (thirty.days, thirty.start, thirty.end) == (30, date(2026, 5, 2), AS_OF)
    assert (thirty.units_returned, thirty.units_shipped, thirty.return_rate) == (3, 6, 0.5)
    assert (ninety.units_returned, ninety.units_shipped) == (5, 12)
    assert ninety.return_rate == pytest.approx(5 / 12)
    previous = profile.previous
    assert (previous.start, previous.end) == (date(2025, 12, 3), date(2026, 3, 2))
    assert (previous.units_returned, previous.units_shipped, previous.return_rate) == (2, 10, 0.2)
    assert profile.product_name == "Pour-over kettle"


def test_reasons_carry_responsibility_and_unknown_codes_are_kept(
    session: Session, store: Store
) -> None:
    build_profile(session, store)
    profile = analytics_service.sku_profile(
        session, scope=Scope(store_ids=(store.id,)), sku=SKU, as_of=AS_OF
    )
    reasons = {r.reason: r for r in profile.reasons}
    assert set(reasons) == {"DEFECTIVE", "NOT_AS_DESCRIBED", "WEIRD_NEW_CODE", None}
    defective = reasons["DEFECTIVE"]
    assert (defective.units, defective.share) == (2, 0.4)
    assert (defective.responsible, defective.action) == ("product_quality", "check_quality")
    assert profile.reasons[0].reason == "DEFECTIVE"
    listing = reasons["NOT_AS_DESCRIBED"]
    assert (listing.responsible, listing.action) == ("seller_listing", "fix_listing")
    unknown = reasons["WEIRD_NEW_CODE"]
    assert (unknown.units, unknown.responsible, unknown.action, unknown.known) == (
        1,
        "unknown",
        "nothing",
        False,
    )
    assert unknown.label == "WEIRD_NEW_CODE"
    blank = reasons[None]
    assert (blank.responsible, blank.known) == ("unknown", True)
    assert {d.disposition: d.units for d in profile.dispositions} == {
        "DEFECTIVE": 2,
        "SELLABLE": 2,
        "CUSTOMER_DAMAGED": 1,
    }


def test_comments_newest_first_and_weekly_trend(session: Session, store: Store) -> None:
    build_profile(session, store)
    profile = analytics_service.sku_profile(
        session, scope=Scope(store_ids=(store.id,)), sku=SKU, as_of=AS_OF
    )
    assert [c.comment for c in profile.comments] == ["stopped working", "colour differs"]
    first = profile.comments[0]
    assert (first.reason, first.license_plate_number) == ("DEFECTIVE", "ALPN1")
    assert len(profile.trend) == 26
    last = profile.trend[-1]
    assert (last.start, last.end, last.units_returned, last.units_shipped) == (
        date(2026, 5, 25),
        AS_OF,
        1,
        4,
    )
    assert profile.trend[0].start == date(2025, 12, 1)
    assert sum(w.units_returned for w in profile.trend) == 7
    assert sum(w.units_shipped for w in profile.trend) == 22


def test_marketplace_filter_and_unknown_sku(session: Session, store: Store, other: Store) -> None:
    build_profile(session, store)
    us_only = analytics_service.sku_profile(
        session, scope=Scope(store_ids=(store.id,), marketplace_ids=(US,)), sku=SKU, as_of=AS_OF
    )
    assert us_only.windows[0].units_shipped == 4
    add_return(session, other, when="2026-05-30T10:00:00", sku="ONLY-OTHER")
    with pytest.raises(NotFound):
        analytics_service.sku_profile(
            session, scope=Scope(store_ids=(store.id,)), sku="ONLY-OTHER", as_of=AS_OF
        )
