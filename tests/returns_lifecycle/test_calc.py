"""The stage a unit is at, derived from its dated facts, and first-in-first-out removals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.returns_analytics.lifecycle_calc import (
    RemovalLine,
    RemovalMatch,
    Stage,
    UnitFacts,
    UnsellableUnit,
    match_removals,
    stage_of,
    steps_of,
)


def day(number: int) -> datetime:
    return datetime(2026, 3, number, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("facts", "stage"),
    [
        (UnitFacts(shipped_at=day(1)), Stage.SHIPPED),
        (UnitFacts(shipped_at=day(1), refunded_at=day(3)), Stage.REFUNDED),
        (UnitFacts(refunded_at=day(3), received_at=day(9), sellable=True), Stage.RESTOCKED),
        (UnitFacts(refunded_at=day(3), received_at=day(9), sellable=False), Stage.RECEIVED),
        # An unknown disposition code is not called restocked.
        (UnitFacts(received_at=day(9), sellable=None), Stage.RECEIVED),
        (UnitFacts(refunded_at=day(3), reimbursed_at=day(20)), Stage.REIMBURSED),
        (
            UnitFacts(received_at=day(9), sellable=False, removal_ordered_at=day(12)),
            Stage.REMOVAL_ORDERED,
        ),
        (
            UnitFacts(removal_ordered_at=day(12), removal_shipped_at=day(15)),
            Stage.REMOVED,
        ),
        (UnitFacts(removal_ordered_at=day(12), disposed_at=day(14)), Stage.DISPOSED),
    ],
)
def test_stage_is_the_last_step_the_reports_show(facts: UnitFacts, stage: Stage) -> None:
    assert stage_of(facts) is stage


def test_steps_are_listed_in_lifecycle_order_with_their_dates() -> None:
    facts = UnitFacts(
        shipped_at=day(1),
        refunded_at=day(3),
        received_at=day(9),
        sellable=False,
        removal_ordered_at=day(12),
        removal_shipped_at=day(15),
    )
    assert steps_of(facts) == [
        (Stage.SHIPPED, day(1)),
        (Stage.REFUNDED, day(3)),
        (Stage.RECEIVED, day(9)),
        (Stage.REMOVAL_ORDERED, day(12)),
        (Stage.REMOVED, day(15)),
    ]


def _line(id: int, when: int, requested: int, **kw: object) -> RemovalLine:
    values: dict[str, object] = {
        "order_type": "Return",
        "status": "Completed",
        "cancelled": 0,
        "shipped": 0,
        "disposed": 0,
    }
    values.update(kw)
    return RemovalLine(id=id, requested_at=day(when), requested=requested, **values)  # type: ignore[arg-type]


def _taken(matches: dict[int, list[RemovalMatch | None]], return_id: int) -> RemovalMatch:
    match = matches[return_id][0]
    assert match is not None, return_id
    return match


def test_removals_take_the_oldest_units_received_before_them() -> None:
    units = [
        UnsellableUnit(return_id=3, received_at=day(10)),
        UnsellableUnit(return_id=1, received_at=day(2)),
        UnsellableUnit(return_id=2, received_at=day(5)),
    ]
    matches = match_removals(
        units, [_line(7, when=6, requested=3, shipped=1), _line(8, when=20, requested=1)]
    )
    # Line 7 (day 6) can only take units received by then: returns 1 and 2, oldest first.
    assert (_taken(matches, 1).removal_id, _taken(matches, 1).shipped) == (7, True)
    assert (_taken(matches, 2).removal_id, _taken(matches, 2).shipped) == (7, False)
    assert _taken(matches, 3).removal_id == 8


def test_cancelled_lines_and_disposals() -> None:
    units = [UnsellableUnit(return_id=1, received_at=day(2))]
    assert match_removals(units, [_line(7, 6, 1, status="Cancelled")]) == {1: [None]}
    assert match_removals(units, [_line(7, 6, 2, cancelled=2)]) == {1: [None]}
    disposal = _taken(match_removals(units, [_line(7, 6, 1, order_type="Disposal", disposed=1)]), 1)
    assert (disposal.disposed, disposal.shipped) == (True, False)
