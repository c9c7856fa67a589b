"""Pure decisions of a returned unit's lifecycle: its current stage from the dated facts,
and which removal order took which unsellable unit (first in, first out). No database here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from aftersales.kit.i18n import N_

DISPOSAL = "disposal"
CANCELLED = "cancelled"


class Stage(StrEnum):
    """How far a unit got, in the order the steps happen."""

    SHIPPED = "shipped"
    REFUNDED = "refunded"
    RECEIVED = "received"
    RESTOCKED = "restocked"
    REIMBURSED = "reimbursed"
    REMOVAL_ORDERED = "removal_ordered"
    REMOVED = "removed"
    DISPOSED = "disposed"


STAGE_LABELS: dict[Stage, str] = {
    Stage.SHIPPED: N_("Shipped"),
    Stage.REFUNDED: N_("Refunded, not received"),
    Stage.RECEIVED: N_("Received unsellable"),
    Stage.RESTOCKED: N_("Restocked"),
    Stage.REIMBURSED: N_("Reimbursed"),
    Stage.REMOVAL_ORDERED: N_("Removal ordered"),
    Stage.REMOVED: N_("Removal shipped"),
    Stage.DISPOSED: N_("Disposed"),
}


@dataclass(frozen=True)
class UnitFacts:
    """The dates a unit's reports give; None where no report says so (yet)."""

    shipped_at: datetime | None = None
    refunded_at: datetime | None = None
    received_at: datetime | None = None
    # True: the FC put it back into sellable stock; False: unsellable; None: unknown code.
    sellable: bool | None = None
    reimbursed_at: datetime | None = None
    removal_ordered_at: datetime | None = None
    removal_shipped_at: datetime | None = None
    disposed_at: datetime | None = None


def stage_of(facts: UnitFacts) -> Stage:
    """The last step the unit reached: the end of a removal, then the removal order, then
    a reimbursement, then what the FC did with it, then the refund, else shipped."""
    if facts.removal_shipped_at is not None:
        return Stage.REMOVED
    if facts.disposed_at is not None:
        return Stage.DISPOSED
    if facts.removal_ordered_at is not None:
        return Stage.REMOVAL_ORDERED
    if facts.reimbursed_at is not None:
        return Stage.REIMBURSED
    if facts.received_at is not None:
        return Stage.RESTOCKED if facts.sellable else Stage.RECEIVED
    if facts.refunded_at is not None:
        return Stage.REFUNDED
    return Stage.SHIPPED


def steps_of(facts: UnitFacts) -> list[tuple[Stage, datetime]]:
    """The steps that happened, each with its date, in lifecycle order."""
    received = Stage.RESTOCKED if facts.sellable else Stage.RECEIVED
    candidates: list[tuple[Stage, datetime | None]] = [
        (Stage.SHIPPED, facts.shipped_at),
        (Stage.REFUNDED, facts.refunded_at),
        (received, facts.received_at),
        (Stage.REIMBURSED, facts.reimbursed_at),
        (Stage.REMOVAL_ORDERED, facts.removal_ordered_at),
        (Stage.REMOVED, facts.removal_shipped_at),
        (Stage.DISPOSED, facts.disposed_at),
    ]
    return [(stage, at) for stage, at in candidates if at is not None]


@dataclass(frozen=True)
class UnsellableUnit:
    """One unsellable unit received at an FC (a return row's quantity is split in units)."""

    return_id: int
    received_at: datetime


@dataclass(frozen=True)
class RemovalLine:
    """One removal order line of the same store and SKU as the units it may take."""

    id: int
    requested_at: datetime
    order_type: str | None
    status: str | None
    requested: int
    cancelled: int
    shipped: int
    disposed: int

    @property
    def capacity(self) -> int:
        if (self.status or "").strip().lower() == CANCELLED:
            return 0
        return max(self.requested - self.cancelled, 0)


@dataclass(frozen=True)
class RemovalMatch:
    """What happened to one unsellable unit: the removal line that took it, and whether
    that line has shipped or disposed of this unit yet."""

    removal_id: int
    shipped: bool
    disposed: bool


def match_removals(
    units: Sequence[UnsellableUnit], removals: Sequence[RemovalLine]
) -> dict[int, list[RemovalMatch | None]]:
    """Unsellable units of one store and SKU matched to its removal order lines.

    Amazon's removal reports name a SKU, never a customer order or licence plate, so a unit
    is matched first in, first out: removal lines in request order each take the oldest
    units still unmatched that were received on or before the request, up to the line's
    requested minus cancelled quantity. Within a line, the first ``shipped`` units taken
    count as shipped, the next ``disposed`` as disposed, the rest as still in process.

    Returns, per return id, one entry per unit of that return (None: no removal took it).
    """
    ordered_units = sorted(units, key=lambda unit: (unit.received_at, unit.return_id))
    taken: list[RemovalMatch | None] = [None] * len(ordered_units)
    for line in sorted(removals, key=lambda line: (line.requested_at, line.id)):
        room = line.capacity
        position = 0
        for index, unit in enumerate(ordered_units):
            if room == 0:
                break
            if taken[index] is not None or unit.received_at > line.requested_at:
                continue
            is_disposal = (line.order_type or "").strip().lower() == DISPOSAL
            shipped = not is_disposal and position < line.shipped
            disposed = not shipped and position < line.shipped + line.disposed
            taken[index] = RemovalMatch(removal_id=line.id, shipped=shipped, disposed=disposed)
            position += 1
            room -= 1
    matches: dict[int, list[RemovalMatch | None]] = {}
    for unit, match in zip(ordered_units, taken, strict=True):
        matches.setdefault(unit.return_id, []).append(match)
    return matches


def days_between(earlier: datetime, later: datetime) -> int:
    return max((later.date() - earlier.date()).days, 0)
