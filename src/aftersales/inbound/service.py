"""Inbound plans: create them from a list of SKUs or from the stored replenishment
recommendations (rounded to case packs, the rounding shown), edit lines, boxes, ship-from
and mode, check them against Amazon's rules, move them through their lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.amazon.marketplaces import Marketplace
from aftersales.exceptions import Conflict, InvalidInput, NotFound
from aftersales.inbound import addresses, calc, formats, state, stock
from aftersales.inbound import repository as inbound_repository
from aftersales.inbound.addresses import raise_problem
from aftersales.inbound.schemas import (
    Address,
    InboundPlanCreate,
    InboundPlanItemCreate,
    InboundPlanItemUpdate,
    InboundPlanSummary,
    InboundPlanTotals,
    InboundPlanUpdate,
    Note,
)
from aftersales.inbound.schemas import InboundPlan as PlanOut
from aftersales.inbound.schemas import InboundPlanItem as ItemOut
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.scope import Scope
from aftersales.models import (
    InboundPlan,
    InboundPlanEvent,
    InboundPlanItem,
    Owner,
    PlanStatus,
    Product,
    ShippingMode,
    User,
)


class PlanNotFound(NotFound):
    code = "inbound_plan_not_found"


class ItemNotFound(NotFound):
    code = "inbound_plan_item_not_found"


class SkuAlreadyInPlan(Conflict):
    code = "sku_already_in_plan"


def _now() -> datetime:
    return datetime.now(UTC)


def problem_text(problem: calc.Problem) -> str:
    return gettext(problem.message, **problem.params)


# --- stores, marketplaces, plans the user may see -------------------------------------------


def default_store(access: Access, store_id: int | None) -> int:
    """The store a request means: the one asked for, else the only one the user plans for."""
    if store_id is not None:
        access.require(store_id, Permission.PLAN)
        return store_id
    planning = access.store_ids_with(Permission.PLAN)
    if len(planning) == 1:
        return planning[0]
    if not planning:
        access.require(next(iter(access.stores), 0), Permission.PLAN)
    raise InvalidInput(N_("choose a store (store_id)"), field="store_id")


def marketplace_of_store(access: Access, store_id: int, value: str) -> Marketplace:
    found = marketplaces.resolve(value)
    if found is None:
        raise InvalidInput(N_("unknown marketplace %(code)s"), code=value, field="marketplace")
    region = access.stores[store_id].region
    if found.region != region:
        raise InvalidInput(
            N_("%(code)s is not a marketplace of this store's region (%(region)s)"),
            code=found.code,
            region=region,
            field="marketplace",
        )
    return found


def _plan(session: Session, access: Access, plan_id: int, *, edit: bool = False) -> InboundPlan:
    """The plan if it is in one of the user's stores (404 otherwise); with ``edit``, 403
    without PLAN and 409 unless it is a draft."""
    plan = inbound_repository.plan_in(session, store_ids=tuple(access.stores), plan_id=plan_id)
    if plan is None:
        raise PlanNotFound(N_("no such inbound plan"))
    if edit:
        access.require(plan.store_id, Permission.PLAN)
        state.ensure_can_edit(PlanStatus(plan.status))
    return plan


def visible_plan(session: Session, *, access: Access, plan_id: int) -> int:
    """The plan's id if the user may see it (for route dependencies: 404 before the body)."""
    return _plan(session, access, plan_id).id


def store_of_plan(session: Session, *, access: Access, plan_id: int) -> int:
    return _plan(session, access, plan_id).store_id


def _touch(plan: InboundPlan, access: Access) -> None:
    plan.updated_at = _now()
    plan.updated_by_id = access.user_id


# --- lines ---------------------------------------------------------------------------------


def _product(session: Session, store_id: int, sku: str) -> Product:
    product = inbound_repository.products(session, store_id=store_id, skus=[sku]).get(sku)
    if product is None:
        raise InvalidInput(
            N_("%(sku)s is not a SKU of this store (import its listings or inventory first)"),
            sku=sku,
            field="sku",
        )
    return product


@dataclass(frozen=True)
class PlanContext:
    marketplace: Marketplace
    today: date
    max_quantity: int


def plan_context(plan: InboundPlan, today: date) -> PlanContext:
    market = marketplaces.by_id(plan.marketplace_id)
    assert market is not None
    return PlanContext(market, today, formats.item_limits()[0])


def _line(item: InboundPlanItem) -> calc.Line:
    return calc.Line(
        sku=item.sku,
        quantity=item.quantity,
        label_owner=item.label_owner,
        prep_owner=item.prep_owner,
        units_per_box=item.units_per_box,
        boxes=item.boxes,
        box_length=item.box_length,
        box_width=item.box_width,
        box_height=item.box_height,
        box_weight=item.box_weight,
        expiration=item.expiration,
    )


def _line_problems(item: InboundPlanItem, context: PlanContext) -> list[calc.Problem]:
    line = _line(item)
    problems = calc.box_problems(
        quantity=item.quantity,
        units_per_box=item.units_per_box,
        boxes=item.boxes,
        max_quantity=context.max_quantity,
    )
    problems += calc.owner_problems(
        line,
        marketplace_code=context.marketplace.code,
        services_end=formats.amazon_services_end(context.marketplace.code),
        today=context.today,
    )
    limit = formats.field_limit("ItemInput", "msku")
    if len(item.sku) > limit:
        problems.append(
            calc.Problem(
                "sku",
                N_("%(sku)s: Amazon takes SKUs of at most %(limit)s characters"),
                {"sku": item.sku, "limit": limit},
            )
        )
    return problems


def _check_line(item: InboundPlanItem, context: PlanContext) -> None:
    for problem in _line_problems(item, context):
        raise_problem(problem)


def new_item(
    session: Session,
    plan: InboundPlan,
    data: InboundPlanItemCreate,
    context: PlanContext,
    recommendation: dict[str, object] | None = None,
) -> InboundPlanItem:
    product = _product(session, plan.store_id, data.sku)
    if inbound_repository.item_by_sku(session, plan_id=plan.id, sku=data.sku) is not None:
        raise SkuAlreadyInPlan(
            N_("%(sku)s is already in this plan: change its quantity instead"),
            sku=data.sku,
            field="sku",
        )
    if data.quantity < 1:
        raise InvalidInput(N_("the quantity must be at least 1"), field="quantity")
    rounded = calc.round_to_case_pack(data.quantity, product.case_pack)
    units_per_box, boxes = data.units_per_box, data.boxes
    if units_per_box is None and boxes is None and rounded.boxes is not None:
        units_per_box, boxes = rounded.case_pack, rounded.boxes
    item = InboundPlanItem(
        plan_id=plan.id,
        sku=data.sku,
        fnsku=product.fnsku,
        asin=product.asin,
        requested_quantity=data.quantity,
        case_pack=product.case_pack,
        quantity=rounded.quantity,
        units_per_box=units_per_box,
        boxes=boxes,
        box_length=data.box_length,
        box_width=data.box_width,
        box_height=data.box_height,
        box_weight=data.box_weight,
        label_owner=data.label_owner.value,
        prep_owner=data.prep_owner.value,
        expiration=data.expiration,
        recommendation=recommendation,
    )
    _check_line(item, context)
    return item


def _check_size(session: Session, plan: InboundPlan, adding: int) -> None:
    limit = formats.item_limits()[1]
    if len(inbound_repository.items(session, plan_id=plan.id)) + adding > limit:
        raise InvalidInput(
            N_("one inbound plan holds at most %(limit)s SKUs"), limit=limit, field="items"
        )


# --- plans ---------------------------------------------------------------------------------


def new_plan(
    session: Session,
    access: Access,
    *,
    store_id: int | None,
    marketplace: str,
    shipping_mode: ShippingMode,
    name: str | None,
    ship_from: Address | None,
    ship_from_address_id: int | None,
) -> InboundPlan:
    chosen = default_store(access, store_id)
    market = marketplace_of_store(access, chosen, marketplace)
    address = addresses.checked(ship_from or Address(), allow_empty=True)
    if ship_from_address_id is not None:
        saved = addresses.address_row(session, access=access, address_id=ship_from_address_id)
        if saved.store_id != chosen:
            raise addresses.AddressNotFound(N_("no such ship-from address"))
        address = addresses.address_of(saved)
    length_unit, weight_unit = formats.manifest_layout().units_for(market.code)
    now = _now()
    plan = InboundPlan(
        store_id=chosen,
        marketplace_id=market.id,
        name=(name or "").strip() or f"FBA {market.code} {now:%Y-%m-%d %H:%M}",
        status=PlanStatus.DRAFT.value,
        shipping_mode=shipping_mode.value,
        length_unit=length_unit,
        weight_unit=weight_unit,
        created_by_id=access.user_id,
        created_at=now,
        updated_by_id=access.user_id,
        updated_at=now,
    )
    addresses.set_address(plan, address)
    session.add(plan)
    session.flush()
    session.add(
        InboundPlanEvent(
            plan_id=plan.id,
            at=now,
            user_id=access.user_id,
            from_status=None,
            to_status=PlanStatus.DRAFT.value,
        )
    )
    return plan


def create_plan(
    session: Session, *, access: Access, data: InboundPlanCreate, today: date
) -> PlanOut:
    """A draft plan from (SKU, quantity) lines; each quantity rounded up to case packs."""
    plan = new_plan(
        session,
        access,
        store_id=data.store_id,
        marketplace=data.marketplace,
        shipping_mode=data.shipping_mode,
        name=data.name,
        ship_from=data.ship_from,
        ship_from_address_id=data.ship_from_address_id,
    )
    skus = [line.sku for line in data.items]
    duplicate = next((sku for sku in skus if skus.count(sku) > 1), None)
    if duplicate:
        raise InvalidInput(N_("%(sku)s is listed twice"), sku=duplicate, field="items")
    context = plan_context(plan, today)
    for line in data.items:
        session.add(new_item(session, plan, line, context))
        session.flush()
    return get_plan(session, access=access, plan_id=plan.id, today=today)


def update_plan(
    session: Session, *, access: Access, plan_id: int, update: InboundPlanUpdate, today: date
) -> PlanOut:
    plan = _plan(session, access, plan_id, edit=True)
    if update.name is not None:
        plan.name = update.name.strip() or plan.name
    if update.shipping_mode is not None:
        plan.shipping_mode = update.shipping_mode.value
    if update.ship_from is not None:
        addresses.set_address(plan, addresses.checked(update.ship_from, allow_empty=True))
    _touch(plan, access)
    session.flush()
    return get_plan(session, access=access, plan_id=plan.id, today=today)


def add_item(
    session: Session, *, access: Access, plan_id: int, data: InboundPlanItemCreate, today: date
) -> PlanOut:
    plan = _plan(session, access, plan_id, edit=True)
    _check_size(session, plan, 1)
    session.add(new_item(session, plan, data, plan_context(plan, today)))
    _touch(plan, access)
    session.flush()
    return get_plan(session, access=access, plan_id=plan.id, today=today)


def _item(session: Session, plan: InboundPlan, item_id: int) -> InboundPlanItem:
    found = inbound_repository.item(session, plan_id=plan.id, item_id=item_id)
    if found is None:
        raise ItemNotFound(N_("no such line in this plan"))
    return found


def visible_item(session: Session, *, access: Access, plan_id: int, item_id: int) -> int:
    return _item(session, _plan(session, access, plan_id), item_id).id


def update_item(
    session: Session,
    *,
    access: Access,
    plan_id: int,
    item_id: int,
    update: InboundPlanItemUpdate,
    today: date,
) -> PlanOut:
    """Change the fields sent. A new quantity is taken as given (no rounding); a case-packed
    line keeps its units per box and gets the number of boxes that makes it whole."""
    plan = _plan(session, access, plan_id, edit=True)
    item = _item(session, plan, item_id)
    sent = update.model_fields_set
    if "quantity" in sent:
        if update.quantity is None:
            raise InvalidInput(N_("the quantity must be at least 1"), field="quantity")
        item.quantity = update.quantity
        item.requested_quantity = update.quantity
        boxes_given = "boxes" in sent or "units_per_box" in sent
        if item.units_per_box and not boxes_given and update.quantity % item.units_per_box == 0:
            item.boxes = update.quantity // item.units_per_box
    for name in ("units_per_box", "boxes", "box_length", "box_width", "box_height"):
        if name in sent:
            setattr(item, name, getattr(update, name))
    for name in ("box_weight", "expiration"):
        if name in sent:
            setattr(item, name, getattr(update, name))
    for name in ("label_owner", "prep_owner"):
        value = getattr(update, name)
        if name in sent and value is not None:
            setattr(item, name, value.value)
    _check_line(item, plan_context(plan, today))
    _touch(plan, access)
    session.flush()
    return get_plan(session, access=access, plan_id=plan.id, today=today)


def remove_item(
    session: Session, *, access: Access, plan_id: int, item_id: int, today: date
) -> PlanOut:
    plan = _plan(session, access, plan_id, edit=True)
    session.delete(_item(session, plan, item_id))
    _touch(plan, access)
    session.flush()
    return get_plan(session, access=access, plan_id=plan.id, today=today)


def change_status(
    session: Session,
    *,
    access: Access,
    plan_id: int,
    status: PlanStatus,
    today: date,
    shipped_on: date | None = None,
    shipment_id: str | None = None,
) -> PlanOut:
    """Move the plan along its lifecycle (a plan is marked exported only when its files
    would pass: nothing half-ready leaves as "exported"). Marked shipped, it keeps the day
    the shipment left (today unless given; never a day still to come) and Amazon's shipment
    ID; set back to exported, it forgets both."""
    plan = _plan(session, access, plan_id)
    access.require(plan.store_id, Permission.PLAN)
    current = PlanStatus(plan.status)
    state.ensure_can_change(current, status)
    if status == PlanStatus.EXPORTED:
        ensure_ready(session, plan=plan, today=today)
    if status == PlanStatus.SHIPPED:
        left = shipped_on or today
        if left > today:
            raise InvalidInput(
                N_(
                    "the shipping day %(day)s is still to come: mark the plan shipped once it has left"
                ),
                day=left.isoformat(),
                field="shipped_on",
            )
        plan.shipped_on = left
        plan.shipment_id = (shipment_id or "").strip().upper() or None
    elif current == PlanStatus.SHIPPED and status == PlanStatus.EXPORTED:
        plan.shipped_on = None
        plan.shipment_id = None
    plan.status = status.value
    now = _now()
    session.add(
        InboundPlanEvent(
            plan_id=plan.id,
            at=now,
            user_id=access.user_id,
            from_status=current.value,
            to_status=status.value,
        )
    )
    _touch(plan, access)
    session.flush()
    return get_plan(session, access=access, plan_id=plan.id, today=today)


def delete_plan(session: Session, *, access: Access, plan_id: int) -> None:
    plan = _plan(session, access, plan_id)
    access.require(plan.store_id, Permission.PLAN)
    session.delete(plan)
    session.flush()


# --- reading -------------------------------------------------------------------------------


def problems(session: Session, *, plan: InboundPlan, today: date) -> list[calc.Problem]:
    """Everything that stops the plan's files from being accepted, each naming its field."""
    found: list[calc.Problem] = []
    items = inbound_repository.items(session, plan_id=plan.id)
    if not items:
        found.append(calc.Problem("items", N_("add at least one SKU")))
    found += calc.address_problems(addresses.address_of(plan))
    context = plan_context(plan, today)
    for item in items:
        found += _line_problems(item, context)
    return found


def ensure_ready(session: Session, *, plan: InboundPlan, today: date) -> None:
    for problem in problems(session, plan=plan, today=today):
        raise_problem(problem)


def _item_out(item: InboundPlanItem, product: Product | None) -> ItemOut:
    note = calc.rounding_note(item.requested_quantity, item.quantity, item.case_pack)
    weight = None
    if item.box_weight is not None and item.boxes:
        weight = item.box_weight * item.boxes
    return ItemOut(
        id=item.id,
        sku=item.sku,
        fnsku=item.fnsku,
        asin=item.asin,
        title=product.title if product else None,
        requested_quantity=item.requested_quantity,
        case_pack=item.case_pack,
        quantity=item.quantity,
        rounding=problem_text(note) if note else None,
        units_per_box=item.units_per_box,
        boxes=item.boxes,
        box_length=item.box_length,
        box_width=item.box_width,
        box_height=item.box_height,
        box_weight=item.box_weight,
        total_weight=weight,
        label_owner=Owner(item.label_owner),
        prep_owner=Owner(item.prep_owner),
        expiration=item.expiration,
        recommendation=item.recommendation,
    )


def get_plan(session: Session, *, access: Access, plan_id: int, today: date) -> PlanOut:
    plan = _plan(session, access, plan_id)
    items = inbound_repository.items(session, plan_id=plan.id)
    products = inbound_repository.products(
        session, store_id=plan.store_id, skus=[item.sku for item in items]
    )
    out = [_item_out(item, products.get(item.sku)) for item in items]
    boxed = [item for item in out if item.boxes]
    weights = [item.total_weight for item in boxed]
    market = marketplaces.by_id(plan.marketplace_id)
    creator = session.get(User, plan.created_by_id) if plan.created_by_id else None
    current = PlanStatus(plan.status)
    return PlanOut(
        id=plan.id,
        store_id=plan.store_id,
        store_name=inbound_repository.store_name(session, store_id=plan.store_id),
        marketplace_id=plan.marketplace_id,
        marketplace_code=market.code if market else plan.marketplace_id,
        name=plan.name,
        status=current,
        shipping_mode=ShippingMode(plan.shipping_mode),
        shipped_on=plan.shipped_on,
        shipment_id=plan.shipment_id,
        length_unit=plan.length_unit,
        weight_unit=plan.weight_unit,
        ship_from=addresses.address_out(plan),
        created_at=plan.created_at,
        created_by=creator.email if creator else None,
        updated_at=plan.updated_at,
        items=out,
        totals=InboundPlanTotals(
            skus=len(out),
            units=sum(item.quantity for item in out),
            boxes=sum(item.boxes or 0 for item in out),
            weight=(
                sum((w for w in weights if w is not None), Decimal(0))
                if boxed and all(w is not None for w in weights)
                else None
            ),
        ),
        problems=[
            Note(field=problem.field, text=problem_text(problem))
            for problem in problems(session, plan=plan, today=today)
        ],
        allowed=state.allowed(current) if access.can(plan.store_id, Permission.PLAN) else [],
        editable=state.can_edit(current) and access.can(plan.store_id, Permission.PLAN),
        inbound_stock=stock.inbound_stock(session, plan=plan, skus=[item.sku for item in items]),
    )


def list_plans(
    session: Session, *, scope: Scope, status: PlanStatus | None = None
) -> list[InboundPlanSummary]:
    summaries = []
    for row in inbound_repository.plans(
        session, scope=scope, status=status.value if status else None
    ):
        plan: InboundPlan = row[0]
        market = marketplaces.by_id(plan.marketplace_id)
        summaries.append(
            InboundPlanSummary(
                id=plan.id,
                store_id=plan.store_id,
                store_name=row.store_name,
                marketplace_code=market.code if market else plan.marketplace_id,
                name=plan.name,
                status=PlanStatus(plan.status),
                shipping_mode=ShippingMode(plan.shipping_mode),
                skus=int(row.skus),
                units=int(row.units),
                updated_at=plan.updated_at,
            )
        )
    return summaries


def plan_for_export(session: Session, *, access: Access, plan_id: int, today: date) -> InboundPlan:
    """The plan, checked: every export refuses a plan Seller Central would reject."""
    plan = _plan(session, access, plan_id)
    ensure_ready(session, plan=plan, today=today)
    return plan


def export_lines(session: Session, *, plan: InboundPlan) -> list[calc.Line]:
    return [_line(item) for item in inbound_repository.items(session, plan_id=plan.id)]


def export_address(plan: InboundPlan) -> calc.Address:
    return addresses.address_of(plan)
