"""Pure arithmetic of the returns explorer: return rates, weeks and months, a SKU's period
against its own past, and a reason mix against its category's. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

# A rate is "materially higher" than a baseline when it is at least this many times the
# baseline and at least this many points above it, with enough returned units that one
# unlucky return does not raise a flag. Analysis thresholds of ours, not Amazon policy.
MATERIAL_RATIO = 1.5
MATERIAL_POINTS = 0.02
MATERIAL_MIN_UNITS = 3
# A reason is over-represented when its share of the subject's units is at least this
# many times the category's share and this many points above it.
MIX_RATIO = 1.5
MIX_POINTS = 0.05

Baseline = Literal["previous", "90_days", "365_days"]
IntervalName = Literal["week", "month"]


def rate(returned: int, shipped: int) -> float | None:
    """Returned ÷ shipped units; None without shipped units (no rate, not 0 % or ∞)."""
    return returned / shipped if shipped else None


def materially_higher(current: float | None, baseline: float | None, *, units: int) -> bool:
    if current is None or baseline is None or units < MATERIAL_MIN_UNITS:
        return False
    return current >= baseline * MATERIAL_RATIO and current - baseline >= MATERIAL_POINTS


def higher_than(
    current: float | None, baselines: Mapping[Baseline, float | None], *, units: int
) -> list[Baseline]:
    """The baselines ``current`` is materially above, in the order given."""
    return [
        name
        for name, baseline in baselines.items()
        if materially_higher(current, baseline, units=units)
    ]


def bucket_start(day: date, interval: IntervalName) -> date:
    """The Monday of the day's week, or the first of its month."""
    if interval == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _bucket_end(start: date, interval: IntervalName) -> date:
    if interval == "week":
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Bucket:
    start: date
    end: date
    returned: int
    shipped: int


def buckets(
    returned: Mapping[date, int],
    shipped: Mapping[date, int],
    *,
    first: date,
    last: date,
    interval: IntervalName,
) -> list[Bucket]:
    """Every week or month touching [first, last], cut to it, with the units of its days
    (days outside the period are ignored), empty ones included."""
    found: list[Bucket] = []
    start = bucket_start(first, interval)
    while start <= last:
        end = _bucket_end(start, interval)
        cut_start, cut_end = max(start, first), min(end, last)
        found.append(
            Bucket(
                start=cut_start,
                end=cut_end,
                returned=_sum_days(returned, cut_start, cut_end),
                shipped=_sum_days(shipped, cut_start, cut_end),
            )
        )
        start = end + timedelta(days=1)
    return found


def _sum_days(units: Mapping[date, int], first: date, last: date) -> int:
    return sum(count for day, count in units.items() if first <= day <= last)


def sum_days(units: Mapping[date, int], *, first: date, last: date) -> int:
    """Units of the days in [first, last]."""
    return _sum_days(units, first, last)


@dataclass(frozen=True, slots=True)
class MixLine:
    key: str | None
    units: int
    share: float
    category_units: int
    category_share: float
    over_represented: bool


def over_represented(share: float, category_share: float) -> bool:
    return share - category_share >= MIX_POINTS and share >= category_share * MIX_RATIO


def mix(subject: Mapping[str | None, int], category: Mapping[str | None, int]) -> list[MixLine]:
    """Each reason's share of the subject's units and of the category's, the subject's
    largest first; reasons only the category has are listed too (share 0)."""
    subject_total = sum(subject.values())
    category_total = sum(category.values())
    keys: Iterable[str | None] = set(subject) | set(category)
    lines = []
    for key in keys:
        units, category_units = subject.get(key, 0), category.get(key, 0)
        share = units / subject_total if subject_total else 0.0
        category_share = category_units / category_total if category_total else 0.0
        lines.append(
            MixLine(
                key=key,
                units=units,
                share=share,
                category_units=category_units,
                category_share=category_share,
                over_represented=units > 0 and over_represented(share, category_share),
            )
        )
    return sorted(lines, key=lambda line: (-line.units, -line.category_units, line.key or "~"))
