"""An inbound plan's lifecycle: which status changes are allowed, and when it may be edited."""

from __future__ import annotations

from aftersales.exceptions import Conflict
from aftersales.kit.i18n import N_
from aftersales.models import PlanStatus

TRANSITIONS: frozenset[tuple[PlanStatus, PlanStatus]] = frozenset(
    {
        # The files went to Seller Central.
        (PlanStatus.DRAFT, PlanStatus.EXPORTED),
        # Back to editing (e.g. Seller Central refused the file).
        (PlanStatus.EXPORTED, PlanStatus.DRAFT),
        (PlanStatus.DRAFT, PlanStatus.ARCHIVED),
        (PlanStatus.EXPORTED, PlanStatus.ARCHIVED),
        # Handed to the carrier (with the day it left): its units date the inbound stock.
        (PlanStatus.EXPORTED, PlanStatus.SHIPPED),
        # Marked shipped by mistake.
        (PlanStatus.SHIPPED, PlanStatus.EXPORTED),
        # Received at Amazon, or given up.
        (PlanStatus.SHIPPED, PlanStatus.ARCHIVED),
    }
)

STATUS_LABELS: dict[PlanStatus, str] = {
    PlanStatus.DRAFT: N_("Draft"),
    PlanStatus.EXPORTED: N_("Exported"),
    PlanStatus.SHIPPED: N_("Shipped"),
    PlanStatus.ARCHIVED: N_("Archived"),
}


class PlanNotEditable(Conflict):
    code = "inbound_plan_not_editable"


class TransitionNotAllowed(Conflict):
    code = "inbound_plan_transition_not_allowed"


def allowed(current: PlanStatus) -> list[PlanStatus]:
    return [target for target in PlanStatus if (current, target) in TRANSITIONS]


def can_change(current: PlanStatus, target: PlanStatus) -> bool:
    return (current, target) in TRANSITIONS


def ensure_can_change(current: PlanStatus, target: PlanStatus) -> None:
    if not can_change(current, target):
        raise TransitionNotAllowed(
            N_("an inbound plan cannot go from %(current)s to %(target)s"),
            current=current.value,
            target=target.value,
            field="status",
        )


def can_edit(current: PlanStatus) -> bool:
    return current == PlanStatus.DRAFT


def ensure_can_edit(current: PlanStatus) -> None:
    if not can_edit(current):
        raise PlanNotEditable(
            N_("this plan is %(status)s: set it back to draft to change it"),
            status=current.value,
        )
