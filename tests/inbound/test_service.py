"""Inbound plan rules: creation with case-pack rounding, every validation branch with the
field it names, the recommendations path, editing, the lifecycle, and inbound stock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.accounts.service import Access
from aftersales.exceptions import AppError, Forbidden, InvalidInput, NotFound
from aftersales.inbound import addresses as address_service
from aftersales.inbound import recommendations as recommendation_service
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import (
    Address,
    FromRecommendations,
    InboundPlanCreate,
    InboundPlanItemCreate,
    InboundPlanItemUpdate,
    InboundPlanUpdate,
)
from aftersales.inbound.state import PlanNotEditable, TransitionNotAllowed
from aftersales.models import (
    InboundPlanEvent,
    InventorySnapshot,
    Owner,
    PlanStatus,
    ShippingMode,
    Store,
)
from tests.inbound.builders import SHENZHEN, TODAY, US, add_product, add_result
from tests.web.conftest import make_store, make_user


def _create(
    session: Session, access: Access, store: Store, *lines: InboundPlanItemCreate, **extra: object
) -> object:
    data = {"store_id": store.id, "marketplace": "US", "ship_from": SHENZHEN, "items": list(lines)}
    data.update(extra)
    return inbound_service.create_plan(
        session, access=access, data=InboundPlanCreate.model_validate(data), today=TODAY
    )


def _field(error: pytest.ExceptionInfo[AppError]) -> object:
    return error.value.details.get("field")


def test_quantities_round_up_to_case_packs_and_fill_the_boxes(
    session: Session, store: Store, access: Access
) -> None:
    add_product(session, store, "MUG-RED", case_pack=50, title="Red mug")
    add_product(session, store, "LOOSE-1")
    plan = inbound_service.create_plan(
        session,
        access=access,
        data=InboundPlanCreate(
            store_id=store.id,
            marketplace="US",
            ship_from=SHENZHEN,
            items=[
                InboundPlanItemCreate(sku="MUG-RED", quantity=898),
                InboundPlanItemCreate(sku="LOOSE-1", quantity=7),
            ],
        ),
        today=TODAY,
    )
    mug, loose = plan.items[1], plan.items[0]
    assert (mug.sku, mug.requested_quantity, mug.quantity) == ("MUG-RED", 898, 900)
    assert (mug.units_per_box, mug.boxes) == (50, 18)
    assert mug.rounding == "898 → 900: rounded up to whole case packs of 50"
    assert mug.title == "Red mug"
    assert (loose.quantity, loose.units_per_box, loose.boxes, loose.rounding) == (
        7,
        None,
        None,
        None,
    )
    assert plan.totals.units == 907
    assert plan.totals.boxes == 18
    assert plan.status == PlanStatus.DRAFT
    assert plan.marketplace_id == US
    # US templates measure boxes in inches and pounds.
    assert (plan.length_unit, plan.weight_unit) == ("in", "lb")
    assert plan.problems == []
    assert plan.created_by == "planner-owner@acme.test"
    events = session.query(InboundPlanEvent).filter_by(plan_id=plan.id).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, "draft")]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"sku": "NOT-MINE", "quantity": 5}, "sku"),
        ({"sku": "BOX-24", "quantity": 0}, "quantity"),
        ({"sku": "BOX-24", "quantity": 10001}, "quantity"),
        # 2 boxes of 24 are 48 units, not 50.
        ({"sku": "BOX-24", "quantity": 50, "units_per_box": 24, "boxes": 2}, "quantity"),
        ({"sku": "BOX-24", "quantity": 48, "boxes": 2}, "units_per_box"),
        # Amazon stopped prepping in the US on 2026-01-01.
        ({"sku": "BOX-24", "quantity": 48, "prep_owner": "AMAZON"}, "prep_owner"),
        ({"sku": "BOX-24", "quantity": 48, "label_owner": "AMAZON"}, "label_owner"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(
    session: Session, store: Store, access: Access, line: dict[str, object], field: str
) -> None:
    add_product(session, store, "BOX-24", case_pack=24)
    with pytest.raises(InvalidInput) as raised:
        _create(session, access, store, InboundPlanItemCreate.model_validate(line))
    assert _field(raised) == field


def test_amazon_prep_is_still_allowed_outside_the_us(session: Session, access: Access) -> None:
    eu = make_store(session, "acme-eu", region="EU")
    user = make_user(session, "planner-owner@acme.test", eu)
    access = account_service.access_for(session, user=user)
    add_product(session, eu, "DE-1")
    plan = _create(
        session,
        access,
        eu,
        InboundPlanItemCreate(sku="DE-1", quantity=5, prep_owner=Owner.AMAZON),
        marketplace="DE",
    )
    assert plan.items[0].prep_owner == Owner.AMAZON  # type: ignore[attr-defined]
    assert (plan.length_unit, plan.weight_unit) == ("cm", "kg")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("address", "field"),
    [
        ({**SHENZHEN.model_dump(), "phone": ""}, "ship_from.phone"),
        ({**SHENZHEN.model_dump(), "line1": " "}, "ship_from.line1"),
        ({**SHENZHEN.model_dump(), "country_code": "ZZ"}, "ship_from.country_code"),
        ({**SHENZHEN.model_dump(), "email": "not-an-address"}, "ship_from.email"),
    ],
)
def test_incomplete_or_invalid_addresses_are_refused(
    session: Session, store: Store, access: Access, address: dict[str, str], field: str
) -> None:
    add_product(session, store, "A")
    with pytest.raises(InvalidInput) as raised:
        _create(
            session, access, store, InboundPlanItemCreate(sku="A", quantity=1), ship_from=address
        )
    assert _field(raised) == field


def test_a_plan_without_address_is_a_draft_that_cannot_be_exported(
    session: Session, store: Store, access: Access
) -> None:
    add_product(session, store, "A")
    plan = _create(
        session, access, store, InboundPlanItemCreate(sku="A", quantity=3), ship_from=None
    )
    fields = [note.field for note in plan.problems]  # type: ignore[attr-defined]
    assert fields == [
        "ship_from.name",
        "ship_from.line1",
        "ship_from.city",
        "ship_from.postal_code",
        "ship_from.country_code",
        "ship_from.phone",
    ]
    with pytest.raises(InvalidInput):
        inbound_service.change_status(
            session,
            access=access,
            plan_id=plan.id,
            status=PlanStatus.EXPORTED,
            today=TODAY,  # type: ignore[attr-defined]
        )


def test_other_refusals(session: Session, store: Store, access: Access) -> None:
    add_product(session, store, "A")
    with pytest.raises(InvalidInput) as raised:
        _create(
            session,
            access,
            store,
            InboundPlanItemCreate(sku="A", quantity=1),
            InboundPlanItemCreate(sku="A", quantity=2),
        )
    assert _field(raised) == "items"
    # A European marketplace is not in a North American store's region.
    with pytest.raises(InvalidInput) as raised:
        _create(
            session, access, store, InboundPlanItemCreate(sku="A", quantity=1), marketplace="DE"
        )
    assert _field(raised) == "marketplace"
    with pytest.raises(InvalidInput):
        _create(
            session, access, store, InboundPlanItemCreate(sku="A", quantity=1), marketplace="XX"
        )


def test_from_recommendations_keeps_the_numbers_it_came_from(
    session: Session, store: Store, access: Access
) -> None:
    add_product(session, store, "MUG-RED", case_pack=50)
    add_product(session, store, "MUG-BLUE", case_pack=12)
    add_product(session, store, "IN-3PL")
    add_product(session, store, "IDLE")
    # 898 units in the local warehouse to send.
    add_result(session, store, "MUG-RED", send=898, ship_by=date(2026, 12, 1))
    # Nothing held: FBA lacks 30 units by sea, 20 by air.
    add_result(
        session,
        store,
        "MUG-BLUE",
        send=0,
        need={"sea": 30, "air": 20, "express": 15},
        ship_by=date(2026, 11, 28),
    )
    # 40 units to move from the overseas 3PL.
    add_result(
        session, store, "IN-3PL", send=0, transfer=40, need={"sea": 55, "air": 50, "express": 45}
    )
    add_result(session, store, "IDLE", send=0, band="healthy")
    lines = recommendation_service.recommended_lines(
        session, access=access, store_id=store.id, marketplace="US"
    )
    # Most urgent first; SKUs FBA does not need are left out.
    assert [(line.sku, line.from_stock, line.fba_need, line.quantity) for line in lines] == [
        ("MUG-BLUE", 0, 30, 36),
        ("MUG-RED", 898, 898, 900),
        ("IN-3PL", 40, 55, 40),
    ]
    assert lines[0].rounding == "30 → 36: rounded up to whole case packs of 12"
    assert lines[0].basis.startswith("FBA need")
    assert lines[1].basis == "from local and 3PL stock"
    by_air = recommendation_service.recommended_lines(
        session, access=access, store_id=store.id, marketplace="US", shipping_mode=ShippingMode.AIR
    )
    assert [(line.sku, line.quantity) for line in by_air] == [
        ("MUG-BLUE", 24),
        ("MUG-RED", 900),
        ("IN-3PL", 40),
    ]
    plan = recommendation_service.create_from_recommendations(
        session,
        access=access,
        data=FromRecommendations(store_id=store.id, marketplace="US", shipping_mode="air"),
        today=TODAY,
    )
    assert plan.shipping_mode == "air"
    by_sku = {item.sku: item for item in plan.items}
    assert by_sku["MUG-RED"].quantity == 900
    assert (by_sku["MUG-BLUE"].quantity, by_sku["MUG-BLUE"].boxes) == (24, 2)
    snapshot = by_sku["MUG-RED"].recommendation
    assert snapshot is not None
    assert (snapshot["send_quantity"], snapshot["proposed"], snapshot["mode"]) == (898, 898, "air")
    assert snapshot["velocity"] == 38.4
    assert snapshot["ship_by"] == "2026-12-01"
    assert by_sku["MUG-BLUE"].recommendation["fba_need"] == 20  # type: ignore[index]
    # Only some SKUs; and a SKU FBA does not need is refused.
    chosen = recommendation_service.create_from_recommendations(
        session,
        access=access,
        data=FromRecommendations(store_id=store.id, marketplace="US", skus=["MUG-RED"]),
        today=TODAY,
    )
    assert [item.sku for item in chosen.items] == ["MUG-RED"]
    with pytest.raises(InvalidInput) as raised:
        recommendation_service.create_from_recommendations(
            session,
            access=access,
            data=FromRecommendations(store_id=store.id, marketplace="US", skus=["IDLE"]),
            today=TODAY,
        )
    assert _field(raised) == "skus"


def test_editing_lines_and_header(session: Session, store: Store, access: Access) -> None:
    add_product(session, store, "MUG-RED", case_pack=50)
    add_product(session, store, "LOOSE-1")
    plan = _create(session, access, store, InboundPlanItemCreate(sku="MUG-RED", quantity=100))
    item_id = plan.items[0].id  # type: ignore[attr-defined]
    # A new quantity keeps the units per box: 150 units are 3 boxes of 50.
    edited = inbound_service.update_item(
        session,
        access=access,
        plan_id=plan.id,
        item_id=item_id,  # type: ignore[attr-defined]
        update=InboundPlanItemUpdate(quantity=150, box_weight=Decimal("12.5")),
        today=TODAY,
    )
    item = edited.items[0]
    assert (item.quantity, item.units_per_box, item.boxes) == (150, 50, 3)
    assert item.total_weight == Decimal("37.5")
    assert edited.totals.weight == Decimal("37.5")
    # 160 is not whole boxes of 50.
    with pytest.raises(InvalidInput) as raised:
        inbound_service.update_item(
            session,
            access=access,
            plan_id=plan.id,
            item_id=item_id,  # type: ignore[attr-defined]
            update=InboundPlanItemUpdate(quantity=160),
            today=TODAY,
        )
    assert _field(raised) == "quantity"
    # Loose units: clear the boxes.
    loose = inbound_service.update_item(
        session,
        access=access,
        plan_id=plan.id,
        item_id=item_id,  # type: ignore[attr-defined]
        update=InboundPlanItemUpdate(quantity=160, units_per_box=None, boxes=None),
        today=TODAY,
    )
    assert (loose.items[0].quantity, loose.items[0].boxes) == (160, None)
    added = inbound_service.add_item(
        session,
        access=access,
        plan_id=plan.id,
        data=InboundPlanItemCreate(sku="LOOSE-1", quantity=4),
        today=TODAY,  # type: ignore[attr-defined]
    )
    assert [i.sku for i in added.items] == ["LOOSE-1", "MUG-RED"]
    with pytest.raises(AppError) as twice:
        inbound_service.add_item(
            session,
            access=access,
            plan_id=plan.id,
            data=InboundPlanItemCreate(sku="LOOSE-1", quantity=4),
            today=TODAY,  # type: ignore[attr-defined]
        )
    assert twice.value.code == "sku_already_in_plan"
    removed = inbound_service.remove_item(
        session,
        access=access,
        plan_id=plan.id,
        item_id=added.items[0].id,
        today=TODAY,  # type: ignore[attr-defined]
    )
    assert [i.sku for i in removed.items] == ["MUG-RED"]
    renamed = inbound_service.update_plan(
        session,
        access=access,
        plan_id=plan.id,  # type: ignore[attr-defined]
        update=InboundPlanUpdate(
            name="Dec sea",
            shipping_mode="express",
            ship_from=Address(**{**SHENZHEN.model_dump(), "country_code": "hk"}),
        ),
        today=TODAY,
    )
    assert (renamed.name, renamed.shipping_mode, renamed.ship_from.country_code) == (
        "Dec sea",
        "express",
        "HK",
    )


def test_lifecycle(session: Session, store: Store, access: Access) -> None:
    add_product(session, store, "A")
    plan = _create(session, access, store, InboundPlanItemCreate(sku="A", quantity=3))
    plan_id = plan.id  # type: ignore[attr-defined]
    assert plan.allowed == [PlanStatus.EXPORTED, PlanStatus.ARCHIVED]  # type: ignore[attr-defined]
    exported = inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.EXPORTED, today=TODAY
    )
    assert exported.editable is False
    with pytest.raises(PlanNotEditable):
        inbound_service.update_plan(
            session, access=access, plan_id=plan_id, update=InboundPlanUpdate(name="x"), today=TODAY
        )
    inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.DRAFT, today=TODAY
    )
    inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.ARCHIVED, today=TODAY
    )
    with pytest.raises(TransitionNotAllowed):
        inbound_service.change_status(
            session, access=access, plan_id=plan_id, status=PlanStatus.DRAFT, today=TODAY
        )
    events = (
        session.query(InboundPlanEvent)
        .filter_by(plan_id=plan_id)
        .order_by(InboundPlanEvent.id)
        .all()
    )
    assert [e.to_status for e in events] == ["draft", "exported", "draft", "archived"]


def test_a_shipped_plan_keeps_the_day_it_left(
    session: Session, store: Store, access: Access
) -> None:
    add_product(session, store, "A")
    plan = _create(session, access, store, InboundPlanItemCreate(sku="A", quantity=3))
    plan_id = plan.id  # type: ignore[attr-defined]
    with pytest.raises(TransitionNotAllowed):  # a draft has not even been exported
        inbound_service.change_status(
            session, access=access, plan_id=plan_id, status=PlanStatus.SHIPPED, today=TODAY
        )
    exported = inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.EXPORTED, today=TODAY
    )
    assert PlanStatus.SHIPPED in exported.allowed
    with pytest.raises(InvalidInput) as future:
        inbound_service.change_status(
            session,
            access=access,
            plan_id=plan_id,
            status=PlanStatus.SHIPPED,
            today=TODAY,
            shipped_on=date(2026, 12, 25),
        )
    assert _field(future) == "shipped_on"
    shipped = inbound_service.change_status(
        session,
        access=access,
        plan_id=plan_id,
        status=PlanStatus.SHIPPED,
        today=TODAY,
        shipped_on=date(2026, 11, 2),
        shipment_id=" fba15k7z3n1q ",
    )
    assert (shipped.status, shipped.shipped_on, shipped.shipment_id) == (
        PlanStatus.SHIPPED,
        date(2026, 11, 2),
        "FBA15K7Z3N1Q",
    )
    assert shipped.editable is False
    assert shipped.allowed == [PlanStatus.EXPORTED, PlanStatus.ARCHIVED]
    # Marked shipped by mistake: back to exported forgets the day and the ID.
    back = inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.EXPORTED, today=TODAY
    )
    assert (back.shipped_on, back.shipment_id) == (None, None)
    # Without a day: today.
    again = inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.SHIPPED, today=TODAY
    )
    assert (again.shipped_on, again.shipment_id) == (TODAY, None)
    archived = inbound_service.change_status(
        session, access=access, plan_id=plan_id, status=PlanStatus.ARCHIVED, today=TODAY
    )
    assert archived.shipped_on == TODAY  # kept as history


def test_roles_and_other_stores(session: Session, store: Store, access: Access) -> None:
    add_product(session, store, "A")
    plan = _create(session, access, store, InboundPlanItemCreate(sku="A", quantity=3))
    plan_id = plan.id  # type: ignore[attr-defined]
    viewer = make_user(session, "viewer@acme.test", store, role="viewer")
    viewer_access = account_service.access_for(session, user=viewer)
    seen = inbound_service.get_plan(session, access=viewer_access, plan_id=plan_id, today=TODAY)
    assert seen.editable is False
    assert seen.allowed == []
    with pytest.raises(Forbidden):
        inbound_service.update_plan(
            session,
            access=viewer_access,
            plan_id=plan_id,
            update=InboundPlanUpdate(name="x"),
            today=TODAY,
        )
    planner = make_user(session, "planner@acme.test", store, role="planner")
    planner_access = account_service.access_for(session, user=planner)
    assert (
        inbound_service.update_plan(
            session,
            access=planner_access,
            plan_id=plan_id,
            update=InboundPlanUpdate(name="ok"),
            today=TODAY,
        ).name
        == "ok"
    )
    stranger = make_user(session, "stranger@else.test", make_store(session, "else-na"))
    stranger_access = account_service.access_for(session, user=stranger)
    with pytest.raises(NotFound):
        inbound_service.get_plan(session, access=stranger_access, plan_id=plan_id, today=TODAY)


def test_saved_addresses_are_reused_per_store(
    session: Session, store: Store, access: Access
) -> None:
    row = address_service.save_address(
        session, access=access, store_id=store.id, label="Shenzhen warehouse", address=SHENZHEN
    )
    # Saving again under the same name replaces it.
    again = address_service.save_address(
        session,
        access=access,
        store_id=store.id,
        label="Shenzhen warehouse",
        address=Address(**{**SHENZHEN.model_dump(), "phone": "123"}),
    )
    assert again.id == row.id
    assert again.ship_from_phone == "123"
    with pytest.raises(InvalidInput) as raised:
        address_service.save_address(
            session, access=access, store_id=store.id, label="half", address=Address(name="x")
        )
    assert _field(raised) == "ship_from.line1"
    add_product(session, store, "A")
    plan = _create(
        session,
        access,
        store,
        InboundPlanItemCreate(sku="A", quantity=3),
        ship_from=None,
        ship_from_address_id=row.id,
    )
    assert plan.ship_from.phone == "123"  # type: ignore[attr-defined]
    assert plan.problems == []  # type: ignore[attr-defined]


def _snapshot(
    session: Session, store: Store, *, source: str, day: str, sku: str, **values: int
) -> None:
    session.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"{source}|{US}|{day}|{sku}",
            source=source,
            snapshot_date=date.fromisoformat(day),
            sku=sku,
            **values,
        )
    )
    session.flush()


def test_inbound_stock_of_the_plans_skus_from_the_latest_report(
    session: Session, store: Store, access: Access
) -> None:
    add_product(session, store, "A")
    add_product(session, store, "B")
    _snapshot(
        session, store, source="myi", day="2026-11-20", sku="A", inbound_working=9, fulfillable=1
    )
    _snapshot(
        session,
        store,
        source="myi",
        day="2026-11-25",
        sku="A",
        inbound_working=40,
        inbound_shipped=120,
        inbound_receiving=12,
        fulfillable=300,
    )
    # Same day, a less complete report: the MYI one wins; a newer AFN report gives no
    # inbound units, so the MYI one still tells them.
    _snapshot(session, store, source="afn", day="2026-11-25", sku="A", fulfillable=299)
    _snapshot(session, store, source="afn", day="2026-11-26", sku="A", fulfillable=298)
    # B is in AFN reports only: that is what there is.
    _snapshot(session, store, source="afn", day="2026-11-26", sku="B", fulfillable=7)
    _snapshot(session, store, source="myi", day="2026-11-25", sku="OTHER", inbound_working=5)
    plan = _create(
        session,
        access,
        store,
        InboundPlanItemCreate(sku="A", quantity=3),
        InboundPlanItemCreate(sku="B", quantity=3),
    )
    stock, other = plan.inbound_stock  # type: ignore[attr-defined]
    assert (stock.sku, stock.source, stock.snapshot_date) == ("A", "myi", date(2026, 11, 25))
    assert (stock.working, stock.shipped, stock.receiving, stock.fulfillable) == (40, 120, 12, 300)
    assert (other.sku, other.source, other.working, other.fulfillable) == ("B", "afn", None, 7)
