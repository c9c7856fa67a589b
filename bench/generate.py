"""Deterministic generators of realistic Amazon report files, cached under bench/.cache/."""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from aftersales.demo.columns import ALL_ORDERS_HEADER, FBA_RETURNS_HEADER

#: Bump when the content of a generated file changes, so stale caches are not reused.
FORMAT_VERSION = 1

CACHE_DIR = Path(__file__).resolve().parent / ".cache"

RETURNS_HEADER: tuple[str, ...] = FBA_RETURNS_HEADER

ORDERS_HEADER: tuple[str, ...] = ALL_ORDERS_HEADER

# Reports cover the year before this instant (fixed, so files are reproducible).
_PERIOD_END = int(datetime(2026, 5, 31, tzinfo=UTC).timestamp())
_PERIOD_SECONDS = 365 * 24 * 3600

_UPPER_DIGITS = string.ascii_uppercase + string.digits
_BASE36 = string.digits + string.ascii_uppercase

_FULFILLMENT_CENTERS = (
    "LEX1", "PHX6", "ONT8", "BFI4", "MDW2", "SDF8", "TPA1", "CLT2", "DFW7", "EWR4",
    "MKE1", "IND9", "RIC2", "SMF3", "AVP1", "FTW1", "GYR1", "JAX3", "MEM1", "OAK4",
)  # fmt: skip
_DISPOSITIONS = ("SELLABLE", "CUSTOMER_DAMAGED", "DEFECTIVE", "DAMAGED", "CARRIER_DAMAGED")
_DISPOSITION_WEIGHTS = (60, 15, 12, 8, 5)
_REASONS = (
    "UNWANTED_ITEM", "DEFECTIVE", "NOT_AS_DESCRIBED", "APPAREL_TOO_SMALL", "APPAREL_TOO_LARGE",
    "ORDERED_WRONG_ITEM", "FOUND_BETTER_PRICE", "DAMAGED_BY_CARRIER", "MISSING_PARTS",
    "QUALITY_UNACCEPTABLE", "NO_REASON_GIVEN", "SWITCHEROO", "UNDELIVERABLE_UNKNOWN",
    "EXTRA_ITEM", "APPAREL_STYLE", "NEVER_ARRIVED",
)  # fmt: skip
_REASON_WEIGHTS = (25, 14, 12, 8, 7, 7, 5, 5, 4, 4, 3, 1, 1, 1, 2, 1)
_COMMENTS = (
    "Item arrived damaged",
    "Did not fit",
    "Changed my mind",
    "Wrong color",
    "Ordered by mistake",
    "Quality not as expected",
    "Stopped working after 2 days",
    "Box was open, parts missing",
    "Too small for my needs",
    "Found it cheaper elsewhere",
    "Not what the picture showed",
    "Arrived too late, no longer needed",
    "Smells strange",
    "Doesn't match the description",
    "Received the wrong size",
    "Battery would not charge",
    "gift, recipient didn't want it",
    "zipper broke on first use",
)

_BRANDS = (
    "Acme", "Northpeak", "Luma", "Brightline", "Kitchenary", "Homestead Co.", "Zentro",
    "Vantage", "Olive & Oak", "PurePaws", "Trailwise", "Sunnyside", "Coreflex", "Mira",
)  # fmt: skip
_ADJECTIVES = (
    "Premium", "Stainless Steel", "Heavy Duty", "Portable", "Waterproof", "Organic",
    "Rechargeable", "Non-Stick", "Adjustable", "Foldable", "Ergonomic", "Wireless",
    "Large", "Compact", "Ultra Soft", "Bamboo", "Insulated", "Magnetic",
)  # fmt: skip
_NOUNS = (
    "Water Bottle", "Frying Pan", "Yoga Mat", "Desk Lamp", "Dog Leash", "Phone Stand",
    "Cutting Board", "Throw Blanket", "Backpack", "Bluetooth Speaker", "Garden Hose",
    "Shower Caddy", "Storage Bins", "Coffee Grinder", "Running Shorts", "Hoodie",
    "Cable Organizer", "Ice Cube Tray", "Pillow Covers", "Tool Set",
)  # fmt: skip
_SUFFIXES = (
    "", "", "", ", 2 Pack", ", Black", ", Set of 4", " - Gray", ", 32 oz", ", Large",
    ' 12" x 18"', ", BPA Free", " for Men & Women", ", Medium",
)  # fmt: skip

_SHIP_SERVICE_LEVELS = ("Standard", "Expedited", "SecondDay", "NextDay", "FreeEconomy")
_SHIP_SERVICE_WEIGHTS = (70, 12, 10, 3, 5)
_CITIES = (
    ("NEW YORK", "NY", "100"), ("BROOKLYN", "NY", "112"), ("LOS ANGELES", "CA", "900"),
    ("SAN DIEGO", "CA", "921"), ("SAN JOSE", "CA", "951"), ("CHICAGO", "IL", "606"),
    ("HOUSTON", "TX", "770"), ("AUSTIN", "TX", "787"), ("DALLAS", "TX", "752"),
    ("PHOENIX", "AZ", "850"), ("PHILADELPHIA", "PA", "191"), ("PITTSBURGH", "PA", "152"),
    ("SEATTLE", "WA", "981"), ("PORTLAND", "OR", "972"), ("DENVER", "CO", "802"),
    ("BOSTON", "MA", "021"), ("MIAMI", "FL", "331"), ("ORLANDO", "FL", "328"),
    ("ATLANTA", "GA", "303"), ("CHARLOTTE", "NC", "282"), ("COLUMBUS", "OH", "432"),
    ("DETROIT", "MI", "482"), ("MINNEAPOLIS", "MN", "554"), ("NASHVILLE", "TN", "372"),
    ("LAS VEGAS", "NV", "891"), ("SALT LAKE CITY", "UT", "841"), ("KANSAS CITY", "MO", "641"),
    ("ST. LOUIS", "MO", "631"), ("NEW ORLEANS", "LA", "701"), ("COEUR D'ALENE", "ID", "838"),
)  # fmt: skip
_PROMOTIONS = (
    "Core Free Shipping Promotion 10291",
    "US Core Free Shipping Promotion A1B2C3D4E5F6G7",
    "Subscribe and Save 5 Percent Off",
    "PLM-8X3K2 Lightning Deal",
    "Core Free Shipping Promotion 10291,Coupon 15 Percent Off",
)


def _product_name(rng: random.Random) -> str:
    """Return a product title of 20 to 60 characters."""
    while True:
        adjectives = rng.choice(_ADJECTIVES)
        if rng.random() < 0.5:
            adjectives += " " + rng.choice(_ADJECTIVES)
        name = f"{rng.choice(_BRANDS)} {adjectives} {rng.choice(_NOUNS)}"
        name += rng.choice(_SUFFIXES)
        if 20 <= len(name) <= 60:
            return name


def _sku(rng: random.Random) -> str:
    """Return a seller SKU such as `KC-7F2K-9QZ1`."""
    prefix = "".join(rng.choices(string.ascii_uppercase, k=2))
    middle = "".join(rng.choices(_UPPER_DIGITS, k=4))
    return f"{prefix}-{middle}-{''.join(rng.choices(_UPPER_DIGITS, k=4))}"


def _catalog(rng: random.Random, size: int) -> list[tuple[str, str, str, str]]:
    """Return `size` distinct (sku, asin, fnsku, product-name) tuples."""
    seen: set[str] = set()
    items: list[tuple[str, str, str, str]] = []
    while len(items) < size:
        sku = _sku(rng)
        if sku in seen:
            continue
        seen.add(sku)
        asin = "B0" + "".join(rng.choices(_UPPER_DIGITS, k=8))
        fnsku = "X00" + "".join(rng.choices(_UPPER_DIGITS, k=7))
        items.append((sku, asin, fnsku, _product_name(rng)))
    return items


def _order_id(rng: random.Random) -> str:
    """Return an Amazon order id such as `114-2962899-5762619`."""
    return f"1{rng.randrange(11, 15)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"


def _base36(value: int, width: int) -> str:
    """Encode `value` in upper-case base 36, left-padded to `width` characters."""
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 36)
        chars.append(_BASE36[digit])
    return "".join(reversed(chars))


def _iso(ts: int) -> str:
    """Format a Unix timestamp as `2026-05-12T09:59:13+00:00`."""
    return datetime.fromtimestamp(ts, tz=UTC).isoformat()


def _returns_lines(
    rows: int, seed: int, *, period_end: int = _PERIOD_END, catalog_seed: int | None = None
) -> Iterator[str]:
    """Yield the header and `rows` data lines of a customer-returns report, oldest first.

    With `catalog_seed`, the SKUs are the first 2,000 of the all-orders catalog of that
    seed (the most sold items return most), so returns and orders of a store match.
    """
    rng = random.Random(seed)
    catalog = _catalog(rng if catalog_seed is None else random.Random(catalog_seed), 2000)
    yield "\t".join(RETURNS_HEADER) + "\n"
    # License plates are unique: an affine bijection of the row number modulo 36**9.
    lpn_space = 36**9
    lpn_step = 2_654_435_761  # prime, hence coprime with 36
    lpn_offset = rng.randrange(lpn_space)
    start = period_end - _PERIOD_SECONDS
    gap = _PERIOD_SECONDS / max(rows, 1)
    n_items = len(catalog)
    for i in range(rows):
        clock = start + (i + rng.random()) * gap  # increasing, inside the period
        sku, asin, fnsku, name = catalog[
            int(n_items * rng.random() ** 2)
        ]  # popular items return more
        comment = rng.choice(_COMMENTS) if rng.random() < 0.2 else ""
        yield (
            f"{_iso(int(clock))}\t{_order_id(rng)}\t{sku}\t{asin}\t{fnsku}\t{name}\t1\t"
            f"{rng.choice(_FULFILLMENT_CENTERS)}\t"
            f"{rng.choices(_DISPOSITIONS, _DISPOSITION_WEIGHTS)[0]}\t"
            f"{rng.choices(_REASONS, _REASON_WEIGHTS)[0]}\t"
            "Unit returned to inventory\t"
            f"LPN{_base36((i * lpn_step + lpn_offset) % lpn_space, 9)}\t{comment}\n"
        )


def _money(value: float) -> str:
    """Format an amount with two decimals."""
    return f"{value:.2f}"


def _orders_lines(
    rows: int,
    seed: int,
    *,
    period_end: int = _PERIOD_END,
    catalog_seed: int | None = None,
    sales_channel: str = "Amazon.com",
    currency: str = "USD",
    country: str = "US",
) -> Iterator[str]:
    """Yield the header and `rows` lines of an all-orders report, oldest order first."""
    rng = random.Random(seed)
    catalog = _catalog(rng if catalog_seed is None else random.Random(catalog_seed), 5000)
    prices = [
        round(rng.choice((4.99, 9.99, 14.99, 19.99, 24.99, 39.99)) + rng.randrange(0, 40), 2)
        for _ in catalog
    ]
    yield "\t".join(ORDERS_HEADER) + "\n"
    start = period_end - _PERIOD_SECONDS
    gap = _PERIOD_SECONDS / max(rows, 1)
    n_items = len(catalog)
    emitted = 0
    while emitted < rows:
        purchased = int(start + (emitted + rng.random()) * gap)  # increasing, inside the period
        order_id = _order_id(rng)
        status_roll = rng.random()
        if status_roll < 0.93:
            order_status, item_status = "Shipped", "Shipped"
            updated = purchased + rng.randrange(3600, 5 * 86400)
        elif status_roll < 0.96:
            order_status, item_status = "Cancelled", "Cancelled"
            updated = purchased + rng.randrange(60, 86400)
        elif status_roll < 0.98:
            order_status, item_status = "Pending", "Unshipped"
            updated = purchased + rng.randrange(60, 3600)
        else:
            order_status, item_status = "Shipping", "Unshipped"
            updated = purchased + rng.randrange(3600, 86400)
        channel = "Amazon" if rng.random() < 0.8 else "Merchant"
        merchant_order_id = order_id if channel == "Merchant" and rng.random() < 0.5 else ""
        service = rng.choices(_SHIP_SERVICE_LEVELS, _SHIP_SERVICE_WEIGHTS)[0]
        city, state, zip3 = rng.choice(_CITIES)
        postal = f"{zip3}{rng.randrange(100):02d}"
        if rng.random() < 0.4:
            postal += f"-{rng.randrange(10000):04d}"
        business = rng.random() < 0.05
        po_number = f"PO-{rng.randrange(10**6):06d}" if business and rng.random() < 0.5 else ""
        designation = "BusinessPrice" if business and rng.random() < 0.3 else ""
        promotion = rng.choice(_PROMOTIONS) if rng.random() < 0.15 else ""
        tax_rate = rng.choice((0.0, 0.06, 0.0625, 0.07, 0.0725, 0.08, 0.0825, 0.0875, 0.1))
        roll = rng.random()
        n_lines = 1 if roll < 0.75 else 2 if roll < 0.93 else 3
        picked: list[int] = []
        while len(picked) < n_lines:
            index = int(n_items * rng.random() ** 1.5)
            if index not in picked:
                picked.append(index)
        head = (
            f"{order_id}\t{merchant_order_id}\t{_iso(purchased)}\t{_iso(updated)}\t{order_status}\t"
            f"{channel}\t{sales_channel}\t\t{service}\t"
        )
        tail = (
            f"{city}\t{state}\t{postal}\t{country}\t{promotion}\t\t{'true' if business else 'false'}\t"
            f"{po_number}\t{designation}\tfalse\n"
        )
        for index in picked:
            if emitted == rows:
                break
            sku, asin, _fnsku, name = catalog[index]
            quantity = rng.choices((1, 2, 3), (85, 11, 4))[0]
            item_price = prices[index] * quantity
            shipping = 0.0 if channel == "Amazon" or rng.random() < 0.6 else 5.99
            gift_wrap = 3.99 if rng.random() < 0.01 else 0.0
            discount = -round(item_price * 0.1, 2) if promotion and rng.random() < 0.5 else 0.0
            ship_discount = -shipping if promotion and shipping else 0.0
            yield (
                f"{head}{name}\t{sku}\t{asin}\t{item_status}\t{quantity}\t{currency}\t"
                f"{_money(item_price)}\t{_money(item_price * tax_rate)}\t"
                f"{_money(shipping)}\t{_money(shipping * tax_rate)}\t"
                f"{_money(gift_wrap)}\t{_money(gift_wrap * tax_rate)}\t"
                f"{_money(discount)}\t{_money(ship_discount)}\t{tail}"
            )
            emitted += 1


def _write_cached(path: Path, lines: Iterator[str]) -> Path:
    """Write `lines` to `path` atomically (through a temporary file) unless it already exists."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    chunk: list[str] = []
    with tmp.open("w", encoding="utf-8", newline="") as out:
        for line in lines:
            chunk.append(line)
            if len(chunk) >= 20_000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    tmp.replace(path)
    return path


def returns_file(rows: int, seed: int = 20260531) -> Path:
    """Path of a cached GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA file of `rows` rows."""
    path = CACHE_DIR / f"fba-returns-v{FORMAT_VERSION}-s{seed}-{rows}.tsv"
    return _write_cached(path, _returns_lines(rows, seed))


def orders_file(rows: int, seed: int = 20260531) -> Path:
    """Path of a cached GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL file of `rows` rows."""
    path = CACHE_DIR / f"all-orders-v{FORMAT_VERSION}-s{seed}-{rows}.tsv"
    return _write_cached(path, _orders_lines(rows, seed))


# --------------------------------------------------------------- web benchmark (bench/web.py)

MYI_HEADER: tuple[str, ...] = (
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price",
    "mfn-listing-exists",
    "mfn-fulfillable-quantity",
    "afn-listing-exists",
    "afn-warehouse-quantity",
    "afn-fulfillable-quantity",
    "afn-unsellable-quantity",
    "afn-reserved-quantity",
    "afn-total-quantity",
    "per-unit-volume",
    "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity",
    "afn-inbound-receiving-quantity",
    "afn-researching-quantity",
    "afn-reserved-future-supply",
    "afn-future-supply-buyable",
)


def _end_of(day: date) -> int:
    """Unix time of the midnight (UTC) that ends `day`."""
    return int(datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC).timestamp())


def _myi_lines(skus: int, seed: int, catalog_seed: int) -> Iterator[str]:
    """Yield a Manage FBA Inventory report of the `skus` best-selling SKUs of a catalog."""
    rng = random.Random(seed)
    catalog = _catalog(random.Random(catalog_seed), 5000)[:skus]
    yield "\t".join(MYI_HEADER) + "\n"
    for rank, (sku, asin, fnsku, name) in enumerate(catalog):
        # Stock follows sales (popular SKUs first); a few are out of stock or overstocked.
        level = 3000 / (1 + rank) ** 0.8
        roll = rng.random()
        fulfillable = 0 if roll < 0.04 else int(level * rng.uniform(0.2, 3.0 if roll < 0.9 else 12))
        unsellable = rng.choice((0, 0, 0, 1, 2, 5))
        reserved = int(fulfillable * rng.uniform(0, 0.1))
        working, shipped, receiving = (
            int(level * rng.uniform(0, 1)) if rng.random() < 0.3 else 0 for _ in range(3)
        )
        warehouse = fulfillable + unsellable + reserved
        yield (
            f"{sku}\t{fnsku}\t{asin}\t{name}\tNew\t{_money(rng.uniform(8, 80))}\tNo\t\tYes\t"
            f"{warehouse}\t{fulfillable}\t{unsellable}\t{reserved}\t"
            f"{warehouse + working + shipped + receiving}\t{rng.uniform(0.01, 1.5):.2f}\t"
            f"{working}\t{shipped}\t{receiving}\t0\t0\t0\n"
        )


def web_returns_file(rows: int, *, market: str, seed: int, catalog_seed: int, end: date) -> Path:
    """FBA customer returns of one marketplace of a store, a year ending on `end`."""
    name = f"web-returns-v{FORMAT_VERSION}-{market}-s{seed}-c{catalog_seed}-{end}-{rows}.tsv"
    lines = _returns_lines(rows, seed, period_end=_end_of(end), catalog_seed=catalog_seed)
    return _write_cached(CACHE_DIR / "web" / name, lines)


def web_orders_file(
    rows: int,
    *,
    market: str,
    sales_channel: str,
    currency: str,
    country: str,
    seed: int,
    catalog_seed: int,
    end: date,
) -> Path:
    """All-orders lines of one marketplace of a store, a year ending on `end`."""
    name = f"web-orders-v{FORMAT_VERSION}-{market}-s{seed}-c{catalog_seed}-{end}-{rows}.tsv"
    lines = _orders_lines(
        rows,
        seed,
        period_end=_end_of(end),
        catalog_seed=catalog_seed,
        sales_channel=sales_channel,
        currency=currency,
        country=country,
    )
    return _write_cached(CACHE_DIR / "web" / name, lines)


def web_inventory_file(skus: int, *, market: str, day: date, catalog_seed: int) -> Path:
    """A Manage FBA Inventory snapshot of one marketplace of a store on `day`."""
    name = f"web-myi-v{FORMAT_VERSION}-{market}-c{catalog_seed}-{day}-{skus}.tsv"
    seed = catalog_seed * 1_000_003 + day.toordinal()
    return _write_cached(CACHE_DIR / "web" / name, _myi_lines(skus, seed, catalog_seed))


GENERATORS: dict[str, Callable[[int], Path]] = {"returns": returns_file, "orders": orders_file}


def main(argv: list[str] | None = None) -> int:
    """Generate (or find in the cache) one report file and print its path."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=sorted(GENERATORS))
    parser.add_argument("rows", type=int)
    args = parser.parse_args(argv)
    print(GENERATORS[args.kind](args.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
