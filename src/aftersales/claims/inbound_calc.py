"""Pure heuristic behind "inbound units missing" claims, and its limits.

The reports this version imports carry no inbound shipment (no FBA shipment id, no
shipped-vs-received per shipment). What they do carry is, per SKU and snapshot date, the
inbound pipeline (``inbound_shipped`` + ``inbound_receiving``, from the MYI / planning
reports) and the stock on hand (fulfillable + unfulfillable + reserved + researching). The
heuristic compares, between two consecutive snapshots a → b of one report:

    left the pipeline  = in_transit(a) − in_transit(b)                 (when positive)
    arrived            = on_hand(b) − on_hand(a) + units sold in (a, b] + units removed in (a, b]
    missing            = left the pipeline − arrived                    (when positive)

Units sold are FBA order lines purchased in (a, b] (not cancelled); units removed are the
removal orders' shipped and disposed units updated in (a, b]. Customer returns received in
(a, b] are not subtracted: they make "arrived" larger, so the heuristic under-reports rather
than invents a loss. A shipment created and shipped inside (a, b] hides units the same way.

The check is made only where the data allows it; otherwise the SKU is reported as
"insufficient" with the reason, never guessed:

- no snapshot carries the inbound buckets, or the on-hand buckets are missing;
- the two snapshots around the drop are more than ``MAX_GAP_DAYS`` apart;
- the orders import does not reach the end of the interval (no order of the marketplace
  purchased on or after b), so sales in (a, b] are unknown.

The delivery day the window counts from is taken as a's date when units were already in
receiving at a (they were delivered by then), else b's date. No database here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import pairwise

from aftersales.kit.i18n import N_

# Daily or weekly snapshots are needed: over a longer gap sales and new shipments blur it.
MAX_GAP_DAYS = 7


class Coverage(StrEnum):
    CHECKED = "checked"
    INSUFFICIENT = "insufficient"


NO_INBOUND_BUCKETS = N_(
    "no snapshot carries the inbound buckets (import the MYI or planning report)"
)
NO_ON_HAND = N_("the snapshots around the drop lack the on-hand buckets")
GAP_TOO_LONG = N_("the snapshots around the drop are %(days)s days apart (at most %(limit)s)")
NO_SALES = N_("the orders import does not reach %(day)s: sales in the interval are unknown")


@dataclass(frozen=True)
class Snapshot:
    row_id: int
    day: date
    inbound_shipped: int | None
    inbound_receiving: int | None
    fulfillable: int | None
    unfulfillable: int | None
    reserved: int | None
    researching: int | None

    @property
    def has_inbound(self) -> bool:
        return self.inbound_shipped is not None or self.inbound_receiving is not None

    @property
    def in_transit(self) -> int:
        return (self.inbound_shipped or 0) + (self.inbound_receiving or 0)

    @property
    def on_hand(self) -> int | None:
        if self.fulfillable is None:
            return None
        return (
            self.fulfillable
            + (self.unfulfillable or 0)
            + (self.reserved or 0)
            + (self.researching or 0)
        )


@dataclass(frozen=True)
class Shortfall:
    """Units that left the inbound pipeline between two snapshots without arriving."""

    before: Snapshot
    after: Snapshot
    left_pipeline: int
    stock_change: int
    sold: int
    removed: int
    missing: int
    delivered_on: date


@dataclass(frozen=True)
class Problem:
    """Why one drop of the pipeline could not be checked."""

    day: date
    reason: str  # a translatable message id
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InboundCheck:
    coverage: Coverage
    drops: int  # drops of the inbound pipeline seen
    shortfalls: tuple[Shortfall, ...]
    problems: tuple[Problem, ...]


def check(
    snapshots: list[Snapshot],
    *,
    sold_between: dict[tuple[date, date], int],
    removed_between: dict[tuple[date, date], int],
    orders_until: date | None,
) -> InboundCheck:
    """Check every drop of the inbound pipeline of one SKU's snapshot series (one report).

    ``sold_between`` / ``removed_between``: units per interval (a, b] of consecutive
    snapshots; ``orders_until``: the last purchase day of the marketplace's imported orders."""
    series = sorted((s for s in snapshots if s.has_inbound), key=lambda s: s.day)
    if not series:
        return InboundCheck(Coverage.INSUFFICIENT, 0, (), (Problem(date.min, NO_INBOUND_BUCKETS),))
    shortfalls: list[Shortfall] = []
    problems: list[Problem] = []
    drops = 0
    for before, after in pairwise(series):
        left = before.in_transit - after.in_transit
        if left <= 0:
            continue
        drops += 1
        gap = (after.day - before.day).days
        if gap > MAX_GAP_DAYS:
            problems.append(
                Problem(after.day, GAP_TOO_LONG, {"days": str(gap), "limit": str(MAX_GAP_DAYS)})
            )
            continue
        if before.on_hand is None or after.on_hand is None:
            problems.append(Problem(after.day, NO_ON_HAND))
            continue
        if orders_until is None or orders_until < after.day:
            problems.append(Problem(after.day, NO_SALES, {"day": after.day.isoformat()}))
            continue
        interval = (before.day, after.day)
        sold = sold_between.get(interval, 0)
        removed = removed_between.get(interval, 0)
        change = after.on_hand - before.on_hand
        missing = left - (change + sold + removed)
        if missing > 0:
            shortfalls.append(
                Shortfall(
                    before=before,
                    after=after,
                    left_pipeline=left,
                    stock_change=change,
                    sold=sold,
                    removed=removed,
                    missing=min(missing, left),
                    delivered_on=before.day if (before.inbound_receiving or 0) > 0 else after.day,
                )
            )
    coverage = Coverage.INSUFFICIENT if problems else Coverage.CHECKED
    return InboundCheck(coverage, drops, tuple(shortfalls), tuple(problems))
