"""Disposition decisions: unsellable stock per listing, each lot's options ranked by net
recovery with the arithmetic, the store's cost settings, and the removal plan file."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import disposition_fees, marketplaces
from aftersales.amazon.disposition_fees import FeeKind
from aftersales.disposition import calc
from aftersales.disposition import repository as disposition_repository
from aftersales.disposition.schemas import (
    Decision,
    DispositionList,
    DispositionSettings,
    DispositionSettingsValues,
    LineOut,
    Lot,
    OptionOut,
    RemovalAddress,
    RemovalPlanLot,
)
from aftersales.exceptions import Forbidden, InvalidInput, NotFound
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.scope import Scope
from aftersales.models import DispositionDecision
from aftersales.models import DispositionSettings as SettingsRow
from aftersales.models.inventory import source_rank


class LotNotFound(NotFound):
    code = "lot_not_found"


def _now() -> datetime:
    return datetime.now(UTC)


# Roles that decide what happens to unsellable stock: MANAGE (owner, manager) or PLAN
# (planner); viewers and agents only read.
DECIDE_PERMISSIONS = (Permission.MANAGE, Permission.PLAN)


def can_decide(access: Access, store_id: int) -> bool:
    return any(access.can(store_id, permission) for permission in DECIDE_PERMISSIONS)


def ensure_can_decide(access: Access, store_id: int) -> None:
    """404 outside the user's stores, 403 for a role that may not decide."""
    access.require(store_id, Permission.VIEW)
    if not can_decide(access, store_id):
        raise Forbidden(N_("your role may not decide dispositions in this store"))


# --- settings --------------------------------------------------------------------------------


def get_settings(session: Session, *, access: Access, store_id: int) -> DispositionSettings:
    """The store's settings (defaults until saved); 404 outside the user's stores, 403
    without MANAGE."""
    access.require(store_id, Permission.MANAGE)
    row = disposition_repository.settings_for(session, store_id=store_id)
    if row is None:
        return DispositionSettings(
            store_id=store_id, values=DispositionSettingsValues(), updated_at=None
        )
    return DispositionSettings(
        store_id=store_id,
        values=DispositionSettingsValues.model_validate(row.values),
        updated_at=row.updated_at,
    )


def update_settings(
    session: Session, *, access: Access, store_id: int, values: DispositionSettingsValues
) -> DispositionSettings:
    access.require(store_id, Permission.MANAGE)
    row = disposition_repository.settings_for(session, store_id=store_id)
    document = values.model_dump(mode="json")
    if row is None:
        row = SettingsRow(store_id=store_id, values=document, updated_at=_now())
        session.add(row)
    else:
        row.values = document
        row.updated_at = _now()
    row.updated_by_id = access.user_id
    session.flush()
    return get_settings(session, access=access, store_id=store_id)


def default_store(access: Access, store_id: int | None) -> int:
    """The store a settings request means: the one asked for, else the only one the user
    manages."""
    if store_id is not None:
        access.require(store_id, Permission.MANAGE)
        return store_id
    managed = access.store_ids_with(Permission.MANAGE)
    if len(managed) == 1:
        return managed[0]
    if not managed:
        access.require(next(iter(access.stores), 0), Permission.MANAGE)
    raise InvalidInput(N_("choose a store (store_id)"), field="store_id")


# --- unsellable stock ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsellableLot:
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    sku: str
    fnsku: str | None
    units: int
    snapshot_date: date
    source: str


def unsellable_stock(session: Session, *, scope: Scope, as_of: date) -> list[UnsellableLot]:
    """Unfulfillable units per store, marketplace and SKU in the latest snapshot on or before
    ``as_of`` (on a tie of dates, the most complete report); listings with none are left out."""
    listings: dict[tuple[int, str, str], list[disposition_repository.ResultRow]] = defaultdict(list)
    for row in disposition_repository.latest_snapshots(session, scope=scope, as_of=as_of):
        listings[(row.store_id, row.marketplace_id, row.sku)].append(row)
    lots = []
    for rows in listings.values():
        newest = max(row.snapshot_date for row in rows)
        source = min(
            (row.source for row in rows if row.snapshot_date == newest),
            key=lambda name: (source_rank(name), name),
        )
        chosen = [r for r in rows if r.snapshot_date == newest and r.source == source]
        units = sum(row.unfulfillable or 0 for row in chosen)
        if units <= 0:
            continue
        first = chosen[0]
        lots.append(
            UnsellableLot(
                store_id=first.store_id,
                store_name=first.store_name,
                marketplace_id=first.marketplace_id,
                marketplace_code=first.marketplace_code,
                sku=first.sku,
                fnsku=next((row.fnsku for row in chosen if row.fnsku), None),
                units=units,
                snapshot_date=newest,
                source=source,
            )
        )
    lots.sort(key=lambda lot: (lot.store_name, lot.marketplace_code, lot.sku))
    return lots


# --- recommendations -------------------------------------------------------------------------


@dataclass
class _Catalog:
    unit_cost: dict[tuple[int, str], tuple[Decimal, str | None]]
    price: dict[tuple[int, str, str], tuple[Decimal, str]]


def _catalog(session: Session, store_ids: Sequence[int]) -> _Catalog:
    costs = {
        (product.store_id, product.sku): (product.unit_cost, product.cost_currency)
        for product in disposition_repository.products(session, store_ids=store_ids)
        if product.unit_cost is not None
    }
    prices = {
        (row.store_id, row.sku, row.marketplace_id): (row.price, row.currency)
        for row in disposition_repository.prices(session, store_ids=store_ids)
    }
    return _Catalog(costs, prices)


def _settings_by_store(
    session: Session, store_ids: Sequence[int]
) -> dict[int, DispositionSettingsValues]:
    found = {
        row.store_id: DispositionSettingsValues.model_validate(row.values)
        for row in disposition_repository.settings_of(session, store_ids=store_ids)
    }
    return {sid: found.get(sid, DispositionSettingsValues()) for sid in store_ids}


def _lot(
    stock: UnsellableLot,
    settings: DispositionSettingsValues,
    catalog: _Catalog,
    as_of: date,
) -> Lot:
    market = marketplaces.by_id(stock.marketplace_id)
    currency = market.currency if market else settings.currency
    notes: list[str] = []
    same_currency = settings.currency == currency
    if not same_currency:
        notes.append(
            gettext(
                "store costs are in %(settings)s, this marketplace sells in %(currency)s: "
                "costs not converted",
                settings=settings.currency,
                currency=currency,
            )
        )
    override = settings.skus.get(stock.sku) if same_currency else None

    unit_cost: Decimal | None = None
    catalog_cost = catalog.unit_cost.get((stock.store_id, stock.sku))
    if catalog_cost is not None and catalog_cost[1] not in (None, currency):
        notes.append(
            gettext(
                "unit cost is recorded in %(cost_currency)s: not converted",
                cost_currency=str(catalog_cost[1]),
            )
        )
    elif catalog_cost is not None:
        unit_cost = catalog_cost[0]
    if unit_cost is None and override and override.unit_cost is not None:
        unit_cost = override.unit_cost
    if unit_cost is None:
        notes.append(gettext("unit cost unknown"))

    sale_price: Decimal | None = None
    catalog_price = catalog.price.get((stock.store_id, stock.sku, stock.marketplace_id))
    if catalog_price is not None and catalog_price[1] == currency:
        sale_price = catalog_price[0]
    elif override and override.sale_price is not None:
        sale_price = override.sale_price
    if sale_price is None:
        notes.append(gettext("sale price unknown"))

    weight = override.unit_weight_kg if override and override.unit_weight_kg else None
    if weight is None:
        weight = settings.default_unit_weight_kg
        if weight is not None:
            notes.append(gettext("weight: store default %(kg)s kg", kg=str(weight)))
    tier = (override.size_tier if override else None) or settings.default_size_tier

    fee_table = disposition_fees.fee_table_for(stock.marketplace_code, on=as_of)
    if fee_table is None:
        notes.append(
            gettext(
                "no removal fee table for %(marketplace)s on this date",
                marketplace=stock.marketplace_code,
            )
        )
    elif fee_table.currency != currency:
        fee_table = None
    removal_fee = disposal_fee = None
    if fee_table is not None and weight is not None:
        removal_fee = fee_table.fee(FeeKind.REMOVAL, tier, weight)
        disposal_fee = fee_table.fee(FeeKind.DISPOSAL, tier, weight)

    liquidation = disposition_fees.liquidation_for(stock.marketplace_code, on=as_of)
    grading = disposition_fees.grade_and_resell_for(stock.marketplace_code, on=as_of)
    grading_fee = None
    if grading is not None and grading.currency == currency:
        grading_fee = grading.processing_fee.get(tier)
    policy = calc.Policy(
        removal_fee=removal_fee,
        disposal_fee=disposal_fee,
        fee_source=fee_table.source if fee_table else None,
        liquidation_share=settings.liquidation_share
        if settings.liquidation_share is not None
        else (liquidation.recovery_share if liquidation else None),
        liquidation_charges_removal_fee=liquidation.charges_removal_fee if liquidation else True,
        liquidation_source=liquidation.source if liquidation else None,
        grade_and_resell_fee=grading_fee,
        grade_and_resell_share=settings.grade_and_resell_share
        if settings.grade_and_resell_share is not None
        else (grading.resale_share if grading else None),
        grade_and_resell_source=grading.source if grading else None,
    )
    own = settings if same_currency else DispositionSettingsValues(currency=currency)
    costs = calc.Costs(
        relabel_per_unit=own.relabel_per_unit,
        warehouse_handling_per_unit=own.warehouse_handling_per_unit,
        freight_own_to_amazon_per_kg=own.freight_own_to_amazon_per_kg,
        freight_warehouse_to_amazon_per_kg=own.freight_warehouse_to_amazon_per_kg,
        origin_shipping_per_kg=own.origin_shipping_per_kg,
        resellable_share=own.resellable_share,
    )
    facts = calc.Lot(
        sku=stock.sku,
        marketplace_code=stock.marketplace_code,
        currency=currency,
        units=stock.units,
        sellable=False,
        sale_price=sale_price,
        unit_cost=unit_cost,
        unit_weight_kg=weight,
        referral_rate=settings.referral_rate,
        fulfillment_fee=(override.fulfillment_fee if override else None)
        or own.fulfillment_fee_per_unit,
    )
    decision = calc.decide(facts, costs, policy)
    best = next((r for r in decision.options if r.option == decision.best), None)
    return Lot(
        id=f"{stock.store_id}:{stock.marketplace_id}:{stock.sku}",
        store_id=stock.store_id,
        store_name=stock.store_name,
        marketplace_id=stock.marketplace_id,
        marketplace_code=stock.marketplace_code,
        sku=stock.sku,
        fnsku=stock.fnsku,
        units=stock.units,
        sellable=False,
        snapshot_date=stock.snapshot_date,
        source=stock.source,
        currency=currency,
        sale_price=sale_price,
        unit_cost=unit_cost,
        unit_weight_kg=weight,
        size_tier=tier,
        fee_table=fee_table.id if fee_table else None,
        notes=notes,
        best=decision.best,
        best_label=gettext(calc.OPTION_LABELS[decision.best]) if decision.best else None,
        best_per_unit=best.per_unit if best else None,
        best_per_lot=best.per_lot if best else None,
        removable=decision.best in calc.REMOVAL_DISPOSITION,
        not_ranked=[
            gettext(
                "%(option)s not ranked: %(missing)s unknown",
                option=gettext(calc.OPTION_LABELS[option]),
                missing=", ".join(gettext(name) for name in missing),
            )
            for option, missing in decision.not_ranked
        ],
        options=[_option_out(result) for result in decision.options],
    )


def _option_out(result: calc.OptionResult) -> OptionOut:
    return OptionOut(
        option=result.option,
        label=gettext(calc.OPTION_LABELS[result.option]),
        per_unit=result.per_unit,
        per_lot=result.per_lot,
        versus_unit_cost=result.versus_unit_cost,
        missing=[gettext(name) for name in result.missing],
        lines=[
            LineOut(text=gettext(line.label, **line.params), amount=line.amount)
            for line in result.lines
        ],
    )


def decision_out(
    row: DispositionDecision, store_name: str, marketplace_code: str, email: str | None
) -> Decision:
    option = calc.Option(row.option)
    return Decision(
        id=row.id,
        store_id=row.store_id,
        store_name=store_name,
        marketplace_id=row.marketplace_id,
        marketplace_code=marketplace_code,
        sku=row.sku,
        fnsku=row.fnsku,
        option=option,
        option_label=gettext(calc.OPTION_LABELS[option]),
        units=row.units,
        note=row.note,
        removal=option in calc.REMOVAL_DISPOSITION,
        lot_units=row.lot_units,
        snapshot_date=row.snapshot_date,
        currency=row.currency,
        best_option=calc.Option(row.best_option) if row.best_option else None,
        per_unit=row.per_unit,
        per_lot=row.per_lot,
        fee_table=row.fee_table,
        fee_table_effective=row.fee_table_effective,
        arithmetic=row.arithmetic,
        decided_by=email,
        decided_at=row.decided_at,
    )


def recommendations(session: Session, *, scope: Scope, as_of: date) -> DispositionList:
    """Every lot of unsellable units with its options, the best one and its recorded
    decision."""
    stock = unsellable_stock(session, scope=scope, as_of=as_of)
    settings = _settings_by_store(session, scope.store_ids)
    catalog = _catalog(session, scope.store_ids)
    lots = [_lot(item, settings[item.store_id], catalog, as_of) for item in stock]
    if lots:
        recorded = {
            (row.store_id, row.marketplace_id, row.sku): decision_out(row, name, code, email)
            for row, name, code, email in disposition_repository.decisions(
                session, scope=scope, latest_only=True
            )
        }
        for lot in lots:
            lot.decision = recorded.get((lot.store_id, lot.marketplace_id, lot.sku))
    return DispositionList(as_of=as_of, lots=lots)


# --- removal plan ----------------------------------------------------------------------------

# Seller Central "Create removal order" bulk upload (the Removal Request flat-file template):
# our reading of its column labels (the template's "Data Definitions" sheet), in order. The
# template asks for a tab-delimited text file; the Address* fields are left empty for a
# Disposal. Neither FORMATS.md nor ANCHORS.md documents this file: verify against the
# template downloaded from your Seller Central before the first upload.
REMOVAL_UPLOAD_COLUMNS = (
    "MerchantRemovalOrderID",
    "RemovalDisposition",
    "AddressName",
    "AddressFieldOne",
    "AddressFieldTwo",
    "AddressFieldThree",
    "AddressCity",
    "AddressCountryCode",
    "AddressStateOrRegion",
    "AddressPostalCode",
    "ContactPhoneNumber",
    "ShippingNotes",
    "MerchantSKU",
    "SellableQuantity",
    "UnsellableQuantity",
)


def parse_lot_ids(ids: Sequence[str]) -> list[RemovalPlanLot]:
    """The page's checkbox values ("store_id:marketplace_id:sku") as plan lines."""
    lots = []
    for value in ids:
        parts = value.split(":", 2)
        if len(parts) != 3 or not parts[0].isdigit():
            raise InvalidInput(N_("unknown lot %(lot)s"), lot=value, field="lot")
        lots.append(RemovalPlanLot(store_id=int(parts[0]), marketplace=parts[1], sku=parts[2]))
    return lots


def removal_plan_csv(
    session: Session, *, access: Access, lots: Sequence[RemovalPlanLot], as_of: date
) -> str:
    """The removal order upload file for the chosen lots (a deciding role in their store;
    all lots of one store and marketplace; each lot's option must be a removal or a
    disposal). A lot without an explicit option and units takes its recorded decision's,
    else the best option and every unit."""
    if not lots:
        raise InvalidInput(N_("choose at least one lot"), field="lots")
    store_ids = {lot.store_id for lot in lots}
    for store_id in store_ids:
        ensure_can_decide(access, store_id)
    markets = {marketplaces.resolve(lot.marketplace) for lot in lots}
    if None in markets:
        raise InvalidInput(N_("unknown marketplace"), field="marketplace")
    if len(store_ids) > 1 or len(markets) > 1:
        raise InvalidInput(
            N_("a removal order file holds one store and one marketplace; choose lots of one"),
            field="lots",
        )
    store_id = next(iter(store_ids))
    market = next(iter(markets))
    assert market is not None
    scope = Scope(store_ids=(store_id,), marketplace_ids=(market.id,))
    found = {lot.sku: lot for lot in recommendations(session, scope=scope, as_of=as_of).lots}
    settings = _settings_by_store(session, [store_id])[store_id]
    stamp = as_of.strftime("%Y%m%d")
    rows: list[list[str]] = []
    for chosen in sorted(lots, key=lambda lot: lot.sku):
        lot = found.get(chosen.sku)
        if lot is None:
            raise LotNotFound(N_("no unsellable units of %(sku)s"), sku=chosen.sku)
        decided = lot.decision
        option = chosen.option or (decided.option if decided else None) or lot.best
        units = chosen.units or (decided.units if decided and decided.option == option else None)
        units = units or lot.units
        if units > lot.units:
            raise InvalidInput(
                N_("%(sku)s: %(units)s units chosen, the lot has %(available)s"),
                sku=chosen.sku,
                units=units,
                available=lot.units,
                field="units",
            )
        disposition = calc.REMOVAL_DISPOSITION.get(option) if option else None
        if disposition is None:
            raise InvalidInput(
                N_("%(sku)s: the chosen option is not a removal order"),
                sku=chosen.sku,
                field="option",
            )
        address = RemovalAddress()
        if option == calc.Option.REMOVE_TO_OWN_ADDRESS:
            address = settings.own_address
        elif option in (calc.Option.REMOVE_TO_WAREHOUSE, calc.Option.SHIP_TO_ORIGIN):
            address = settings.warehouse_address
        if disposition == "Return" and not address.complete:
            raise InvalidInput(
                N_("%(sku)s: set the removal address in the disposition settings first"),
                sku=chosen.sku,
                field="address",
            )
        suffix = {"Disposal": "D", "Return": "R"}[disposition]
        kind = "OWN" if option == calc.Option.REMOVE_TO_OWN_ADDRESS else "WH"
        order_id = f"DSP-{stamp}-{suffix}" + ("" if disposition == "Disposal" else f"-{kind}")
        rows.append(
            [
                order_id,
                disposition,
                address.name,
                address.line1,
                address.line2,
                "",
                address.city,
                address.country_code,
                address.state_or_region,
                address.postal_code,
                address.phone,
                "",
                lot.sku,
                "0",
                str(units),
            ]
        )
    # Lines of one order must be contiguous (the template groups by MerchantRemovalOrderID).
    rows.sort(key=lambda row: (row[0], row[12]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(REMOVAL_UPLOAD_COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()
