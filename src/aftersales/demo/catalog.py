"""Demo stores, categories and the SKU catalog with its per-marketplace listings."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from aftersales.demo.ids import IdFactory
from aftersales.demo.markets import MARKETPLACES, Marketplace
from aftersales.demo.names import COLOURS, PRODUCT_TYPES, SCENTS, SIZES, ProductType, Variant


@dataclass(frozen=True)
class Category:
    """A product category: its return behaviour, seasonality and planning group name."""

    code: str
    sku_code: str
    product_group: str
    variant_kind: str
    return_rate: tuple[float, float]
    q4_boost: float
    reasons: dict[str, float]


_COMMON_TAIL = {
    "NO_REASON_GIVEN": 6.0,
    "MISSED_ESTIMATED_DELIVERY": 2.5,
    "DAMAGED_BY_FC": 2.5,
    "DAMAGED_BY_CARRIER": 4.0,
    "UNDELIVERABLE_REFUSED": 1.5,
    "UNDELIVERABLE_UNKNOWN": 1.0,
    "NEVER_ARRIVED": 0.6,
    "UNAUTHORIZED_PURCHASE": 0.8,
    "EXTRA_ITEM": 0.6,
    "SWITCHEROO": 0.7,
    "MISORDERED": 2.0,
}

CATEGORIES: dict[str, Category] = {
    "kitchen": Category(
        "kitchen",
        "KT",
        "Kitchen",
        "colour",
        (0.02, 0.04),
        1.3,
        {
            "UNWANTED_ITEM": 18,
            "DEFECTIVE": 13,
            "NOT_AS_DESCRIBED": 10,
            "QUALITY_UNACCEPTABLE": 10,
            "ORDERED_WRONG_ITEM": 8,
            "FOUND_BETTER_PRICE": 6,
            "MISSING_PARTS": 5,
            **_COMMON_TAIL,
        },
    ),
    "home": Category(
        "home",
        "HM",
        "Home",
        "colour",
        (0.04, 0.07),
        1.2,
        {
            "UNWANTED_ITEM": 18,
            "NOT_AS_DESCRIBED": 14,
            "DEFECTIVE": 9,
            "QUALITY_UNACCEPTABLE": 10,
            "ORDERED_WRONG_ITEM": 8,
            "FOUND_BETTER_PRICE": 6,
            "MISSING_PARTS": 4,
            **_COMMON_TAIL,
        },
    ),
    "electronics": Category(
        "electronics",
        "EL",
        "Wireless",
        "colour",
        (0.06, 0.10),
        1.4,
        {
            "DEFECTIVE": 22,
            "NOT_COMPATIBLE": 16,
            "PART_NOT_COMPATIBLE": 5,
            "QUALITY_UNACCEPTABLE": 8,
            "UNWANTED_ITEM": 12,
            "NOT_AS_DESCRIBED": 7,
            "ORDERED_WRONG_ITEM": 7,
            "MISSING_PARTS": 4,
            "FOUND_BETTER_PRICE": 4,
            **_COMMON_TAIL,
            "SWITCHEROO": 1.2,
        },
    ),
    "apparel": Category(
        "apparel",
        "AP",
        "Apparel",
        "size",
        (0.11, 0.15),
        1.2,
        {
            "APPAREL_TOO_SMALL": 26,
            "APPAREL_TOO_LARGE": 18,
            "APPAREL_STYLE": 14,
            "POOR_FIT": 6,
            "DID_NOT_LIKE_FABRIC": 7,
            "UNWANTED_ITEM": 9,
            "NOT_AS_DESCRIBED": 5,
            "QUALITY_UNACCEPTABLE": 5,
            "ORDERED_WRONG_ITEM": 4,
            "DEFECTIVE": 2,
            "NO_REASON_GIVEN": 3,
            "MISSED_ESTIMATED_DELIVERY": 1,
            "SWITCHEROO": 0.3,
        },
    ),
    "beauty": Category(
        "beauty",
        "BT",
        "Beauty",
        "scent",
        (0.02, 0.04),
        1.3,
        {
            "UNWANTED_ITEM": 22,
            "NOT_AS_DESCRIBED": 12,
            "QUALITY_UNACCEPTABLE": 14,
            "DEFECTIVE": 12,
            "ORDERED_WRONG_ITEM": 8,
            "FOUND_BETTER_PRICE": 5,
            "MISSING_PARTS": 2,
            **_COMMON_TAIL,
        },
    ),
    "toys": Category(
        "toys",
        "TY",
        "Toy",
        "colour",
        (0.04, 0.06),
        2.2,
        {
            "UNWANTED_ITEM": 20,
            "DEFECTIVE": 14,
            "MISSING_PARTS": 10,
            "NOT_AS_DESCRIBED": 10,
            "QUALITY_UNACCEPTABLE": 9,
            "ORDERED_WRONG_ITEM": 7,
            "FOUND_BETTER_PRICE": 5,
            **_COMMON_TAIL,
            "UNAUTHORIZED_PURCHASE": 3.0,
        },
    ),
}


@dataclass(frozen=True)
class StoreSpec:
    """How one demo store is shaped before its catalog is drawn."""

    name: str
    region: str
    marketplaces: tuple[str, ...]
    sku_prefix: str
    brand: str
    categories: dict[str, int]
    encoding: str
    newline: str
    fbm_count: int


STORE_SPECS: tuple[StoreSpec, ...] = (
    StoreSpec(
        "lumen-na",
        "NA",
        ("US", "CA"),
        "LM",
        "Lumen",
        {"kitchen": 45, "home": 30, "electronics": 45},
        "utf-8",
        "\n",
        12,
    ),
    StoreSpec(
        "lumen-eu",
        "EU",
        ("UK", "DE"),
        "LE",
        "Lumen",
        {"kitchen": 30, "home": 20, "apparel": 32, "beauty": 14, "electronics": 24},
        "cp1252",
        "\r\n",
        0,
    ),
    StoreSpec(
        "sakura-jp",
        "FE",
        ("JP",),
        "SK",
        "さくら工房",
        {"beauty": 25, "toys": 25, "kitchen": 20, "apparel": 24, "electronics": 21},
        "cp932",
        "\n",
        0,
    ),
)


@dataclass
class Product:
    """A seller SKU with its Amazon identifiers and physical facts."""

    sku: str
    asin: str
    fnsku: str
    category: Category
    product_type: ProductType
    colour: Variant
    size: str
    price_usd: float
    weight_kg: float
    fbm: bool = False

    @property
    def volume_cubic_feet(self) -> float:
        return round(0.02 + self.weight_kg * 0.11, 4)


@dataclass
class Listing:
    """A product offered in one marketplace, with its demand and availability plan."""

    store: str
    marketplace: Marketplace
    product: Product
    title: str
    price: int
    daily_rate: float
    return_rate: float
    launch: date
    stockouts: list[tuple[date, date]] = field(default_factory=list)
    defect_since: date | None = None

    @property
    def sku(self) -> str:
        return self.product.sku

    @property
    def fbm(self) -> bool:
        return self.product.fbm

    def available(self, day: date) -> bool:
        if day < self.launch:
            return False
        return not any(start <= day <= end for start, end in self.stockouts)

    def fba_fee(self) -> int:
        """FBA fulfilment fee per unit in hundredths of the marketplace currency."""
        usd = 3.06 + 1.25 * self.product.weight_kg
        return _local_amount(usd * self.marketplace.price_factor, self.marketplace.is_yen)


@dataclass
class Store:
    """One seller account in one Amazon region."""

    spec: StoreSpec
    merchant_id: str
    marketplaces: tuple[Marketplace, ...]
    products: list[Product]
    listings: list[Listing]

    @property
    def name(self) -> str:
        return self.spec.name


def _local_amount(value: float, yen: bool) -> int:
    if yen:
        return round(value) * 100
    return round(value * 100)


def local_price(price_usd: float, marketplace: Marketplace) -> int:
    """List price in hundredths of the local currency, with the usual charm endings."""
    value = price_usd * marketplace.price_factor
    if marketplace.is_yen:
        return (max(1, math.ceil(value / 100)) * 100 - 20) * 100
    return max(1, math.floor(value)) * 100 + 99


def _title(spec: StoreSpec, product: Product, marketplace: Marketplace) -> str:
    kind = product.category.variant_kind
    names = product.product_type
    colour = product.colour
    if marketplace.language == "ja":
        size = f" {product.size}サイズ" if kind == "size" else ""
        return f"【{spec.brand}】{names.japanese} {colour.japanese}{size}"
    brand = spec.brand
    if marketplace.code in {"US", "CA"} and product.category.code in {"kitchen", "home"}:
        brand = f"{spec.brand}®"
    if marketplace.language == "de":
        size = f", Größe {product.size}" if kind == "size" else ""
        return f"{brand} {names.german}, {colour.german}{size}"
    word = colour.us if marketplace.code in {"US", "CA"} else colour.uk
    size = f", {product.size}" if kind == "size" else ""
    return f"{brand} {names.english}, {word}{size}"


def _variants(category: Category, rng: random.Random, wanted: int) -> list[tuple[Variant, str]]:
    if category.variant_kind == "size":
        colours = rng.sample(COLOURS, 2)
        return [(colour, size) for colour in colours for size in SIZES][:wanted]
    pool = SCENTS if category.variant_kind == "scent" else COLOURS
    return [(variant, "") for variant in rng.sample(pool, min(wanted, len(pool)))]


def _products(spec: StoreSpec, rng: random.Random, ids: IdFactory) -> list[Product]:
    products: list[Product] = []
    numbers = iter(rng.sample(range(11, 1000), 200))
    for code, count in spec.categories.items():
        category = CATEGORIES[code]
        types = list(PRODUCT_TYPES[code])
        rng.shuffle(types)
        per_type = math.ceil(count / len(types))
        made = 0
        for index, product_type in enumerate(types):
            remaining_types = len(types) - index
            wanted = min(per_type + rng.randint(-1, 1), count - made)
            wanted = max(wanted, math.ceil((count - made) / remaining_types))
            number = next(numbers)
            for colour, size in _variants(category, rng, wanted):
                suffix = colour.code + (f"-{size}" if size else "")
                products.append(
                    Product(
                        sku=f"{spec.sku_prefix}-{category.sku_code}-{number:04d}-{suffix}",
                        asin=ids.asin(),
                        fnsku=ids.fnsku(),
                        category=category,
                        product_type=product_type,
                        colour=colour,
                        size=size,
                        price_usd=round(product_type.price_usd * rng.uniform(0.9, 1.15), 2),
                        weight_kg=product_type.weight_kg,
                    )
                )
                made += 1
            if made >= count:
                break
    return products


def _markets_for(spec: StoreSpec, product: Product, rng: random.Random) -> tuple[str, ...]:
    if len(spec.marketplaces) == 1:
        return spec.marketplaces
    first, second = spec.marketplaces
    draw = rng.random()
    if spec.region == "NA":
        return (first, second) if draw < 0.4 and not product.fbm else (first,)
    if draw < 0.35:
        return (first,)
    if draw < 0.6:
        return (second,)
    return (first, second)


def _stockouts(rng: random.Random, start: date, end: date) -> list[tuple[date, date]]:
    draw = rng.random()
    if draw < 0.06:
        length = rng.randint(7, 28)
        begin = end - timedelta(days=rng.randint(0, length - 1))
        return [(begin, end + timedelta(days=30))]
    if draw < 0.24:
        length = rng.randint(7, 28)
        begin = start + timedelta(days=rng.randint(20, (end - start).days - length - 5))
        return [(begin, begin + timedelta(days=length - 1))]
    return []


def build_stores(seed: int, start: date, end: date) -> list[Store]:
    """Draw the three demo stores with their products and marketplace listings."""
    stores: list[Store] = []
    for spec in STORE_SPECS:
        rng = random.Random(f"{seed}:catalog:{spec.name}")
        ids = IdFactory(random.Random(f"{seed}:catalog-ids:{spec.name}"))
        products = _products(spec, rng, ids)
        fbm_pool = [p for p in products if p.category.code in {"kitchen", "home"}]
        for product in rng.sample(fbm_pool, spec.fbm_count):
            product.fbm = True
        listings: list[Listing] = []
        for product in products:
            for code in _markets_for(spec, product, rng):
                marketplace = MARKETPLACES[code]
                rate = 0.2 * 40 ** (rng.random() ** 3) * marketplace.demand_factor
                launch = start
                if rng.random() < 0.08:
                    launch = start + timedelta(days=rng.randint(30, (end - start).days - 60))
                low, high = product.category.return_rate
                listings.append(
                    Listing(
                        store=spec.name,
                        marketplace=marketplace,
                        product=product,
                        title=_title(spec, product, marketplace),
                        price=local_price(product.price_usd, marketplace),
                        daily_rate=min(8.0, max(0.2, rate)),
                        return_rate=rng.uniform(low, high),
                        launch=launch,
                        stockouts=[] if product.fbm else _stockouts(rng, start, end),
                    )
                )
        _mark_defects(spec, listings, rng, start, end)
        stores.append(
            Store(
                spec=spec,
                merchant_id=ids.merchant_id(),
                marketplaces=tuple(MARKETPLACES[code] for code in spec.marketplaces),
                products=products,
                listings=listings,
            )
        )
    return stores


_DEFECT_PLAN: dict[str, tuple[tuple[str, str], ...]] = {
    "lumen-na": (("US", "electronics"), ("US", "kitchen")),
    "lumen-eu": (("DE", "electronics"),),
    "sakura-jp": (("JP", "beauty"),),
}


def _mark_defects(
    spec: StoreSpec, listings: list[Listing], rng: random.Random, start: date, end: date
) -> None:
    for market, category in _DEFECT_PLAN[spec.name]:
        candidates = [
            listing
            for listing in listings
            if listing.marketplace.code == market
            and listing.product.category.code == category
            and not listing.fbm
            and listing.defect_since is None
            and listing.launch == start
        ]
        candidates.sort(key=lambda listing: listing.daily_rate, reverse=True)
        chosen = candidates[rng.randint(0, 2)]
        chosen.defect_since = end - timedelta(days=rng.randint(42, 48))
        chosen.stockouts = []
        chosen.daily_rate = max(chosen.daily_rate, 3.0)
