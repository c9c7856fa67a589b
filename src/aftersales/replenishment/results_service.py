"""What the replenishment pages show: the stored results to act on first, band counts, one
listing with every number explained and its projection, and two rule sets backtested on
the store's own history. Transports call these; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column
from aftersales.models import ReplenishmentResult
from aftersales.replenishment import (
    backtest,
    backtest_service,
    calc,
    inputs,
    results_repository,
    settings_service,
)
from aftersales.replenishment import repository as run_repository
from aftersales.replenishment import service as replenishment_service
from aftersales.replenishment.calc import BAND_LABELS, BAND_ORDER, Band
from aftersales.replenishment.recommend import planned_arrivals
from aftersales.replenishment.results_repository import ResultFilter
from aftersales.replenishment.schemas import LeadTimeOverride, SkuSettingsValues

PROJECTION_DAYS = calc.PROJECTION_DAYS


@dataclass(frozen=True)
class ResultRow:
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    sku: str
    band: Band
    velocity: float
    fba_stock: int
    inbound_stock: int
    other_stock: int
    days_of_supply_fba: float | None
    days_of_supply_inbound: float | None
    days_of_supply_all: float | None
    stockout_date: date | None
    ship_by: date | None
    purchase_by: date | None
    send_quantity: int
    transfer_quantity: int
    buy_quantity: int
    cap_applied: bool

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]


@dataclass(frozen=True)
class ResultPage:
    rows: list[ResultRow]
    total: int
    counts: list[tuple[Band, int]]  # every band, in the order to act on them
    runs: list[tuple[str, date]]  # (store name, as of) of each store's latest run


EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("store_name", N_("Store")),
    Column("marketplace_code", N_("Marketplace")),
    Column("sku", N_("SKU")),
    Column("band_label", N_("Status")),
    Column("velocity", N_("Average daily sales")),
    Column("fba_stock", N_("FBA stock")),
    Column("inbound_stock", N_("Inbound")),
    Column("other_stock", N_("Local, 3PL and on order")),
    Column("days_of_supply_fba", N_("Days of supply (FBA)")),
    Column("days_of_supply_inbound", N_("Days of supply (FBA + inbound)")),
    Column("days_of_supply_all", N_("Days of supply (all stock)")),
    Column("stockout_date", N_("Stock-out date")),
    Column("ship_by", N_("Ship by")),
    Column("purchase_by", N_("Purchase by")),
    Column("send_quantity", N_("Send to FBA")),
    Column("transfer_quantity", N_("Move from 3PL")),
    Column("buy_quantity", N_("Buy")),
    Column("cap_applied", N_("Capped by restock limit")),
)


def _row(result: ReplenishmentResult, store_names: dict[int, str]) -> ResultRow:
    market = marketplaces.by_id(result.marketplace_id)
    return ResultRow(
        store_id=result.store_id,
        store_name=store_names.get(result.store_id, str(result.store_id)),
        marketplace_id=result.marketplace_id,
        marketplace_code=market.code if market else result.marketplace_id,
        sku=result.sku,
        band=Band(result.band),
        velocity=result.velocity,
        fba_stock=result.fba_stock,
        inbound_stock=result.inbound_stock,
        other_stock=result.other_stock,
        days_of_supply_fba=result.days_of_supply_fba,
        days_of_supply_inbound=result.days_of_supply_inbound,
        days_of_supply_all=result.days_of_supply_all,
        stockout_date=result.stockout_date,
        ship_by=result.ship_by,
        purchase_by=result.purchase_by,
        send_quantity=result.send_quantity,
        transfer_quantity=result.transfer_quantity,
        buy_quantity=result.buy_quantity,
        cap_applied=bool(result.cap_applied),
    )


def parse_bands(values: Sequence[str]) -> tuple[str, ...]:
    known = {band.value for band in Band}
    for value in values:
        if value not in known:
            raise InvalidInput(N_("unknown status %(band)s"), band=value, field="band")
    return tuple(values)


def list_results(
    session: Session,
    *,
    filters: ResultFilter,
    store_names: dict[int, str],
    offset: int,
    limit: int,
) -> ResultPage:
    rows = [
        _row(result, store_names)
        for result in results_repository.page(session, filters=filters, offset=offset, limit=limit)
    ]
    counted = band_counts(session, filters=replace(filters, bands=()))
    runs = []
    for store_id in sorted(filters.scope.store_ids, key=lambda s: store_names.get(s, "")):
        if filters.store_id is not None and store_id != filters.store_id:
            continue
        latest = run_repository.latest_run(session, store_id=store_id)
        if latest is not None:
            runs.append((store_names.get(store_id, str(store_id)), latest.as_of))
    return ResultPage(
        rows=rows,
        # The filter's rows are those of its bands among the counts without a band filter.
        total=sum(
            number for band, number in counted if not filters.bands or band.value in filters.bands
        ),
        counts=counted,
        runs=runs,
    )


def iter_results(
    session: Session, *, filters: ResultFilter, store_names: dict[int, str]
) -> Iterator[ResultRow]:
    for result in results_repository.iterate(session, filters=filters):
        yield _row(result, store_names)


def band_counts(session: Session, *, filters: ResultFilter) -> list[tuple[Band, int]]:
    counted = results_repository.band_counts(session, filters=filters)
    return [(band, counted.get(band.value, 0)) for band in BAND_ORDER]


def dashboard_counts(session: Session, *, scope: Scope) -> list[tuple[Band, int]] | None:
    """Band counts of the stored results in scope; None when nothing has been computed."""
    counts = band_counts(session, filters=ResultFilter(scope=scope))
    return counts if any(number for _, number in counts) else None


def recompute(
    session: Session, *, access: Access, store_id: int, as_of: date
) -> replenishment_service.RunSummary:
    access.require(store_id, Permission.PLAN)
    return replenishment_service.run(session, store_id=store_id, as_of=as_of)


# --- one listing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingDetail:
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    sku: str
    recommendation: calc.Recommendation
    projection: list[calc.ProjectionDay]  # with the scheduled arrivals only
    planned: list[calc.ProjectionDay]  # if the recommendation is followed today
    planned_arrivals: tuple[calc.Arrival, ...]
    lead: LeadTimeOverride  # the product's own lead-time parts (empty: the marketplace's)
    can_plan: bool


def _listing_store(
    session: Session, *, scope: Scope, store_id: int | None, marketplace_id: str, sku: str
) -> list[int]:
    filters = ResultFilter(
        scope=scope, store_id=store_id, marketplace_ids=(marketplace_id,), sku=sku
    )
    found = results_repository.stores_with(session, filters=filters)
    if found:
        return found
    stores = scope.store_ids if store_id is None else (store_id,)
    return [s for s in stores if s in scope.store_ids]


def listing(
    session: Session,
    *,
    access: Access,
    scope: Scope,
    store_id: int | None,
    marketplace: str,
    sku: str,
    as_of: date,
) -> ListingDetail:
    if not marketplace:
        # No marketplace asked for: the SKU's listing to act on first, if one was computed.
        computed = results_repository.listings_of_sku(
            session, filters=ResultFilter(scope=scope, store_id=store_id, sku=sku)
        )
        if not computed:
            raise replenishment_service.ListingNotFound(N_("no such listing"))
        store_id, marketplace = computed[0]
    market = marketplaces.resolve(marketplace)
    if market is None or (scope.marketplace_ids and market.id not in scope.marketplace_ids):
        raise replenishment_service.ListingNotFound(N_("no such listing"))
    candidates = _listing_store(
        session, scope=scope, store_id=store_id, marketplace_id=market.id, sku=sku
    )
    if not candidates:
        raise replenishment_service.ListingNotFound(N_("no such listing"))
    last_error: replenishment_service.ListingNotFound | None = None
    for candidate in candidates:
        try:
            found = replenishment_service.explain(
                session,
                scope=scope,
                store_id=candidate,
                marketplace_id=market.id,
                sku=sku,
                as_of=as_of,
            )
        except replenishment_service.ListingNotFound as error:
            last_error = error
            continue
        planned = planned_arrivals(found)
        start = found.stock.fba_on_hand
        own = settings_service.sku_settings_of(session, store_id=candidate, skus=[sku]).get(sku)
        return ListingDetail(
            store_id=candidate,
            store_name=access.stores[candidate].name if candidate in access.stores else "",
            marketplace_id=market.id,
            marketplace_code=market.code,
            sku=sku,
            recommendation=found,
            projection=calc.project(
                as_of=as_of,
                start=start,
                daily=found.velocity.daily,
                arrivals=found.arrivals,
                promotions=found.promotions,
                days=PROJECTION_DAYS,
            ),
            planned=calc.project(
                as_of=as_of,
                start=start,
                daily=found.velocity.daily,
                arrivals=found.arrivals + planned,
                promotions=found.promotions,
                days=PROJECTION_DAYS,
            ),
            planned_arrivals=planned,
            lead=own.lead_time if own is not None else LeadTimeOverride(),
            can_plan=access.can(candidate, Permission.PLAN),
        )
    raise last_error or replenishment_service.ListingNotFound(N_("no such listing"))


def save_lead_time(
    session: Session, *, access: Access, store_id: int, sku: str, lead: LeadTimeOverride
) -> None:
    """Replace the product's own lead-time parts, keeping its other settings."""
    access.require(store_id, Permission.PLAN)
    current = settings_service.sku_settings_of(session, store_id=store_id, skus=[sku]).get(sku)
    values = (current or SkuSettingsValues()).model_copy(update={"lead_time": lead})
    settings_service.update_sku_settings(
        session, access=access, store_id=store_id, sku=sku, values=values
    )


# --- backtest ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSetChoice:
    """A rule set as the backtest page asks for it: window weights and safety days, the
    rest (lead times, case packs) as each listing has them."""

    name: str
    weights: tuple[tuple[int, float], ...]
    safety_days: int | None
    exclude_out_of_stock: bool = True


@dataclass(frozen=True)
class ComparisonRow:
    sku: str
    marketplace: str
    first: backtest.SkuOutcome
    second: backtest.SkuOutcome


@dataclass(frozen=True)
class Comparison:
    first: backtest.BacktestResult
    second: backtest.BacktestResult
    rows: list[ComparisonRow]


def _rule_set(choice: RuleSetChoice) -> backtest.RuleSet:
    try:
        rule = calc.VelocityRule(
            name=choice.name,
            weights=tuple((days, weight) for days, weight in choice.weights if weight > 0),
            exclude_out_of_stock=choice.exclude_out_of_stock,
        )
    except calc.InvalidRule as error:
        raise InvalidInput(
            N_("%(name)s: %(problem)s"), name=choice.name, problem=error.message, field="weights"
        ) from error
    return backtest.RuleSet(name=choice.name, rule=rule, safety_days=choice.safety_days)


def compare(
    session: Session,
    *,
    access: Access,
    store_id: int,
    choices: tuple[RuleSetChoice, RuleSetChoice],
    start: date,
    end: date,
    storage_per_unit: Decimal | None,
) -> Comparison:
    access.require(store_id, Permission.VIEW)
    if end <= start:
        raise InvalidInput(N_("the end must come after the start"), field="end")
    if (end - start).days > 730:
        raise InvalidInput(N_("replay at most two years at a time"), field="start")
    rule_sets = [_rule_set(choice) for choice in choices]
    # A year back: the velocity of a listing out of stock for every window comes from its
    # last in-stock days (``replenishment.velocity``).
    history = max(
        max(rule_set.rule.longest_window, calc.LAST_IN_STOCK_LOOKBACK_DAYS)
        for rule_set in rule_sets
    )
    plan = replenishment_service.plan_of(session, store_id)
    listings = []
    for item in backtest_service.series(
        session, store_id=store_id, start=start, end=end, history_days=history
    ):
        market = marketplaces.resolve(item.marketplace)
        lead = inputs.lead_of(plan.lead(market.id, item.sku)) if market else None
        listings.append(replace(item, lead=lead))
    pricing = backtest.StoragePricing(default_monthly_per_unit=storage_per_unit)
    first, second = (
        backtest.backtest(listings, rule_set, start=start, end=end, storage=pricing)
        for rule_set in rule_sets
    )
    rows = [
        ComparisonRow(a.sku, a.marketplace, a, b)
        for a, b in zip(first.outcomes, second.outcomes, strict=True)
    ]
    return Comparison(first, second, rows)
