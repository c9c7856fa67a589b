"""Net recovery of each disposition option for one lot of units, with the arithmetic shown.

Pure functions: the service looks up fees, prices and costs and passes them in as numbers;
an input it could not find is None here, and every option that needs it says so instead
of guessing. Amounts are in the lot's currency. The unit cost is already spent whatever we
do, so options are ranked by the money they bring back (or cost); the unit cost is shown
next to each result and is itself the value of a unit shipped back to the origin country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from aftersales.kit.i18n import N_

CENT = Decimal("0.01")


class Option(StrEnum):
    RESELL = "resell"
    RELABEL = "relabel"
    GRADE_AND_RESELL = "grade_and_resell"
    LIQUIDATE = "liquidate"
    DISPOSE = "dispose"
    REMOVE_TO_OWN_ADDRESS = "remove_to_own_address"
    REMOVE_TO_WAREHOUSE = "remove_to_warehouse"
    SHIP_TO_ORIGIN = "ship_to_origin"


OPTION_LABELS: dict[Option, str] = {
    Option.RESELL: N_("Resell as is"),
    Option.RELABEL: N_("Relabel and resell"),
    Option.GRADE_AND_RESELL: N_("Grade & Resell"),
    Option.LIQUIDATE: N_("Liquidate"),
    Option.DISPOSE: N_("Dispose"),
    Option.REMOVE_TO_OWN_ADDRESS: N_("Remove to own address, relabel, send back"),
    Option.REMOVE_TO_WAREHOUSE: N_("Remove to third-party warehouse, relabel, re-inbound"),
    Option.SHIP_TO_ORIGIN: N_("Remove and ship back to the origin country"),
}

# Options that are a removal order in Seller Central, and its RemovalDisposition value.
REMOVAL_DISPOSITION: dict[Option, str] = {
    Option.DISPOSE: "Disposal",
    Option.REMOVE_TO_OWN_ADDRESS: "Return",
    Option.REMOVE_TO_WAREHOUSE: "Return",
    Option.SHIP_TO_ORIGIN: "Return",
}


@dataclass(frozen=True)
class Lot:
    """What we know of one SKU's units in one marketplace, per unit unless named otherwise."""

    sku: str
    marketplace_code: str
    currency: str
    units: int
    sellable: bool
    sale_price: Decimal | None
    unit_cost: Decimal | None
    unit_weight_kg: Decimal | None
    referral_rate: Decimal | None  # share of the sale price
    fulfillment_fee: Decimal | None


@dataclass(frozen=True)
class Costs:
    """The store's own costs per unit or kg, already in the lot's currency (None: unknown)."""

    relabel_per_unit: Decimal | None = None
    warehouse_handling_per_unit: Decimal | None = None
    freight_own_to_amazon_per_kg: Decimal | None = None
    freight_warehouse_to_amazon_per_kg: Decimal | None = None
    origin_shipping_per_kg: Decimal | None = None
    resellable_share: Decimal | None = None  # of removed unsellable units, after inspection


@dataclass(frozen=True)
class Policy:
    """Amazon's per-unit fees and programme terms in force for the lot (None: unknown)."""

    removal_fee: Decimal | None = None
    disposal_fee: Decimal | None = None
    fee_source: str | None = None
    liquidation_share: Decimal | None = None
    liquidation_charges_removal_fee: bool = True
    liquidation_source: str | None = None
    grade_and_resell_fee: Decimal | None = None
    grade_and_resell_share: Decimal | None = None
    grade_and_resell_source: str | None = None


@dataclass(frozen=True)
class Line:
    """One line of arithmetic: a translatable label with its values, and a signed amount
    per unit (None: the input is unknown)."""

    label: str
    amount: Decimal | None
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OptionResult:
    option: Option
    per_unit: Decimal | None
    per_lot: Decimal | None
    lines: tuple[Line, ...]
    missing: tuple[str, ...]  # translatable names of the unknown inputs
    versus_unit_cost: Decimal | None  # per unit: recovery minus unit cost

    @property
    def known(self) -> bool:
        return self.per_unit is not None


@dataclass(frozen=True)
class Decision:
    options: tuple[OptionResult, ...]
    best: Option | None
    # Options left out of the ranking, with what they lack (option, missing inputs).
    not_ranked: tuple[tuple[Option, tuple[str, ...]], ...]


class _Sum:
    """Collects lines and the inputs that were missing while building one option."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.missing: list[str] = []
        self.total = Decimal(0)

    def add(
        self, label: str, amount: Decimal | None, missing: str | None = None, **params: object
    ) -> None:
        text = {key: _text(value) for key, value in params.items()}
        self.lines.append(Line(label, None if amount is None else _cents(amount), text))
        if amount is None:
            if missing and missing not in self.missing:
                self.missing.append(missing)
        else:
            self.total += amount

    def need(self, value: Decimal | None, name: str) -> Decimal | None:
        if value is None and name not in self.missing:
            self.missing.append(name)
        return value


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _product(*values: Decimal | None) -> Decimal | None:
    result = Decimal(1)
    for value in values:
        if value is None:
            return None
        result *= value
    return result


SALE_PRICE = N_("sale price")
UNIT_COST = N_("unit cost")
UNIT_WEIGHT = N_("unit weight")
REFERRAL_RATE = N_("referral fee rate")
FULFILLMENT_FEE = N_("fulfilment fee")
REMOVAL_FEE = N_("removal fee")
DISPOSAL_FEE = N_("disposal fee")
RELABEL_COST = N_("relabel cost")
HANDLING_COST = N_("warehouse handling cost")
FREIGHT_OWN = N_("freight from own address to Amazon")
FREIGHT_WAREHOUSE = N_("freight from the warehouse to Amazon")
ORIGIN_SHIPPING = N_("shipping to the origin country")
RESELLABLE_SHARE = N_("resellable share after inspection")
LIQUIDATION_SHARE = N_("liquidation recovery share")
GRADE_FEE = N_("Grade & Resell fee")
GRADE_SHARE = N_("Grade & Resell price share")


def _selling_fees(total: _Sum, lot: Lot, price: Decimal | None) -> None:
    total.add(
        N_("Referral fee: %(rate)s × %(price)s"),
        -price * lot.referral_rate if price is not None and lot.referral_rate is not None else None,
        REFERRAL_RATE if lot.referral_rate is None else None,
        rate=lot.referral_rate if lot.referral_rate is not None else "?",
        price=_cents(price) if price is not None else "?",
    )
    total.add(
        N_("Fulfilment fee"),
        -lot.fulfillment_fee if lot.fulfillment_fee is not None else None,
        FULFILLMENT_FEE,
    )


def _resell(lot: Lot, costs: Costs, *, relabel: bool) -> _Sum:
    total = _Sum()
    total.add(N_("Sale price"), lot.sale_price, SALE_PRICE)
    _selling_fees(total, lot, lot.sale_price)
    if relabel:
        total.add(
            N_("Relabel"),
            -costs.relabel_per_unit if costs.relabel_per_unit is not None else None,
            RELABEL_COST,
        )
    return total


def _grade_and_resell(lot: Lot, policy: Policy) -> _Sum:
    total = _Sum()
    used_price = _product(lot.sale_price, policy.grade_and_resell_share)
    total.need(lot.sale_price, SALE_PRICE)
    total.add(
        N_("Used price: %(share)s × new price %(price)s"),
        used_price,
        GRADE_SHARE if policy.grade_and_resell_share is None else None,
        share=policy.grade_and_resell_share if policy.grade_and_resell_share is not None else "?",
        price=_cents(lot.sale_price) if lot.sale_price is not None else "?",
    )
    _selling_fees(total, lot, used_price)
    total.add(
        N_("Grade & Resell processing fee"),
        -policy.grade_and_resell_fee if policy.grade_and_resell_fee is not None else None,
        GRADE_FEE,
    )
    return total


def _liquidate(lot: Lot, policy: Policy) -> _Sum:
    total = _Sum()
    total.need(lot.sale_price, SALE_PRICE)
    total.add(
        N_("Liquidation proceeds: %(share)s × %(price)s"),
        _product(lot.sale_price, policy.liquidation_share),
        LIQUIDATION_SHARE if policy.liquidation_share is None else None,
        share=policy.liquidation_share if policy.liquidation_share is not None else "?",
        price=_cents(lot.sale_price) if lot.sale_price is not None else "?",
    )
    if policy.liquidation_charges_removal_fee:
        total.add(
            N_("Removal fee"),
            -policy.removal_fee if policy.removal_fee is not None else None,
            REMOVAL_FEE,
        )
    return total


def _dispose(policy: Policy) -> _Sum:
    total = _Sum()
    total.add(
        N_("Disposal fee"),
        -policy.disposal_fee if policy.disposal_fee is not None else None,
        DISPOSAL_FEE,
    )
    return total


def _removal_leg(total: _Sum, lot: Lot, costs: Costs, policy: Policy, *, warehouse: bool) -> None:
    total.add(
        N_("Removal fee"),
        -policy.removal_fee if policy.removal_fee is not None else None,
        REMOVAL_FEE,
    )
    if warehouse:
        total.add(
            N_("Warehouse handling"),
            -costs.warehouse_handling_per_unit
            if costs.warehouse_handling_per_unit is not None
            else None,
            HANDLING_COST,
        )


def _share(lot: Lot, costs: Costs) -> Decimal | None:
    # A sellable unit needs no inspection: all of it can be sold again.
    return Decimal(1) if lot.sellable else costs.resellable_share


def _remove_and_resell(lot: Lot, costs: Costs, policy: Policy, *, warehouse: bool) -> _Sum:
    total = _Sum()
    _removal_leg(total, lot, costs, policy, warehouse=warehouse)
    share = total.need(_share(lot, costs), RESELLABLE_SHARE)
    rate = (
        costs.freight_warehouse_to_amazon_per_kg
        if warehouse
        else costs.freight_own_to_amazon_per_kg
    )
    freight_name = FREIGHT_WAREHOUSE if warehouse else FREIGHT_OWN
    total.need(lot.unit_weight_kg, UNIT_WEIGHT)
    total.need(rate, freight_name)
    total.need(costs.relabel_per_unit, RELABEL_COST)
    relabel = _product(share, costs.relabel_per_unit)
    total.add(
        N_("Relabel the resellable units: %(share)s × %(cost)s"),
        -relabel if relabel is not None else None,
        share=share if share is not None else "?",
        cost=costs.relabel_per_unit if costs.relabel_per_unit is not None else "?",
    )
    freight = _product(share, lot.unit_weight_kg, rate)
    total.add(
        N_("Freight back to Amazon: %(share)s × %(weight)s kg × %(rate)s per kg"),
        -freight if freight is not None else None,
        share=share if share is not None else "?",
        weight=lot.unit_weight_kg if lot.unit_weight_kg is not None else "?",
        rate=rate if rate is not None else "?",
    )
    net_sale = None
    price, rate_of_price, fee = lot.sale_price, lot.referral_rate, lot.fulfillment_fee
    if price is not None and rate_of_price is not None and fee is not None:
        net_sale = price - price * rate_of_price - fee
    for value, name in (
        (lot.sale_price, SALE_PRICE),
        (lot.referral_rate, REFERRAL_RATE),
        (lot.fulfillment_fee, FULFILLMENT_FEE),
    ):
        total.need(value, name)
    total.add(
        N_("Resale: %(share)s × (price %(price)s − referral %(rate)s − fulfilment %(fee)s)"),
        _product(share, net_sale),
        share=share if share is not None else "?",
        price=_cents(lot.sale_price) if lot.sale_price is not None else "?",
        rate=lot.referral_rate if lot.referral_rate is not None else "?",
        fee=_cents(lot.fulfillment_fee) if lot.fulfillment_fee is not None else "?",
    )
    return total


def _ship_to_origin(lot: Lot, costs: Costs, policy: Policy) -> _Sum:
    total = _Sum()
    _removal_leg(total, lot, costs, policy, warehouse=True)
    total.need(lot.unit_weight_kg, UNIT_WEIGHT)
    shipping = _product(lot.unit_weight_kg, costs.origin_shipping_per_kg)
    total.add(
        N_("Shipping to the origin country: %(weight)s kg × %(rate)s per kg"),
        -shipping if shipping is not None else None,
        ORIGIN_SHIPPING if costs.origin_shipping_per_kg is None else None,
        weight=lot.unit_weight_kg if lot.unit_weight_kg is not None else "?",
        rate=costs.origin_shipping_per_kg if costs.origin_shipping_per_kg is not None else "?",
    )
    share = total.need(_share(lot, costs), RESELLABLE_SHARE)
    total.need(lot.unit_cost, UNIT_COST)
    total.add(
        N_("Value back home: %(share)s × unit cost %(cost)s"),
        _product(share, lot.unit_cost),
        share=share if share is not None else "?",
        cost=_cents(lot.unit_cost) if lot.unit_cost is not None else "?",
    )
    return total


def available_options(lot: Lot) -> tuple[Option, ...]:
    if lot.sellable:
        return (
            Option.RESELL,
            Option.RELABEL,
            Option.LIQUIDATE,
            Option.DISPOSE,
            Option.REMOVE_TO_OWN_ADDRESS,
            Option.REMOVE_TO_WAREHOUSE,
            Option.SHIP_TO_ORIGIN,
        )
    return (
        Option.GRADE_AND_RESELL,
        Option.LIQUIDATE,
        Option.DISPOSE,
        Option.REMOVE_TO_OWN_ADDRESS,
        Option.REMOVE_TO_WAREHOUSE,
        Option.SHIP_TO_ORIGIN,
    )


def _build(option: Option, lot: Lot, costs: Costs, policy: Policy) -> _Sum:
    match option:
        case Option.RESELL:
            return _resell(lot, costs, relabel=False)
        case Option.RELABEL:
            return _resell(lot, costs, relabel=True)
        case Option.GRADE_AND_RESELL:
            return _grade_and_resell(lot, policy)
        case Option.LIQUIDATE:
            return _liquidate(lot, policy)
        case Option.DISPOSE:
            return _dispose(policy)
        case Option.REMOVE_TO_OWN_ADDRESS:
            return _remove_and_resell(lot, costs, policy, warehouse=False)
        case Option.REMOVE_TO_WAREHOUSE:
            return _remove_and_resell(lot, costs, policy, warehouse=True)
        case Option.SHIP_TO_ORIGIN:
            return _ship_to_origin(lot, costs, policy)


def evaluate(option: Option, lot: Lot, costs: Costs, policy: Policy) -> OptionResult:
    total = _build(option, lot, costs, policy)
    per_unit = None if total.missing else _cents(total.total)
    versus = None
    lines = list(total.lines)
    if per_unit is not None:
        lines.append(Line(N_("Net recovery per unit"), per_unit))
        lines.append(
            Line(
                N_("Per lot: %(units)s units × %(amount)s"),
                _cents(per_unit * lot.units),
                {"units": str(lot.units), "amount": _text(per_unit)},
            )
        )
    if lot.unit_cost is None:
        lines.append(Line(N_("Unit cost unknown: the loss against cost cannot be shown"), None))
    elif per_unit is not None:
        versus = _cents(per_unit - lot.unit_cost)
        lines.append(
            Line(
                N_("Against the unit cost %(cost)s"), versus, {"cost": _text(_cents(lot.unit_cost))}
            )
        )
    return OptionResult(
        option=option,
        per_unit=per_unit,
        per_lot=_cents(per_unit * lot.units) if per_unit is not None else None,
        lines=tuple(lines),
        missing=tuple(total.missing),
        versus_unit_cost=versus,
    )


def decide(lot: Lot, costs: Costs, policy: Policy) -> Decision:
    """Every option open to the lot, and the one that recovers the most per unit among
    those whose inputs are all known (on a tie, the earlier, simpler option)."""
    results = tuple(evaluate(option, lot, costs, policy) for option in available_options(lot))
    ranked = [result for result in results if result.per_unit is not None]
    best = max(ranked, key=lambda r: r.per_unit or Decimal(0), default=None)
    # max() keeps the first of equal values: the option order is the tie-break.
    return Decision(
        options=results,
        best=best.option if best else None,
        not_ranked=tuple((r.option, r.missing) for r in results if r.per_unit is None),
    )
