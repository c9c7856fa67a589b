"""The explorer's pure arithmetic: rates, weeks and months cut to a period, a rate against
its baselines, and a reason mix against the category's, checked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from aftersales.returns_analytics import explorer_calc as calc


def test_rate_without_shipped_units_is_none() -> None:
    assert calc.rate(3, 12) == 0.25
    assert calc.rate(3, 0) is None
    assert calc.rate(0, 5) == 0.0


def test_weeks_start_on_monday_and_are_cut_to_the_period() -> None:
    returned = {
        date(2026, 5, 2): 1,
        date(2026, 5, 4): 2,
        date(2026, 5, 10): 3,
        date(2026, 5, 12): 4,
    }
    shipped = {date(2026, 5, 1): 100, date(2026, 5, 3): 10, date(2026, 5, 11): 20}
    weeks = calc.buckets(
        returned, shipped, first=date(2026, 5, 2), last=date(2026, 5, 12), interval="week"
    )
    assert [(b.start, b.end, b.returned, b.shipped) for b in weeks] == [
        (date(2026, 5, 2), date(2026, 5, 3), 1, 10),
        (date(2026, 5, 4), date(2026, 5, 10), 5, 0),
        (date(2026, 5, 11), date(2026, 5, 12), 4, 20),
    ]


def test_months_cover_their_days_including_february() -> None:
    returned = {date(2028, 2, 29): 2, date(2028, 3, 1): 1}
    months = calc.buckets(
        returned, {}, first=date(2028, 1, 15), last=date(2028, 3, 1), interval="month"
    )
    assert [(b.start, b.end, b.returned) for b in months] == [
        (date(2028, 1, 15), date(2028, 1, 31), 0),
        (date(2028, 2, 1), date(2028, 2, 29), 2),
        (date(2028, 3, 1), date(2028, 3, 1), 1),
    ]
    assert calc.bucket_start(date(2026, 12, 31), "month") == date(2026, 12, 1)
    assert calc.bucket_start(date(2026, 5, 31), "week") == date(2026, 5, 25)


def test_materially_higher_needs_ratio_points_and_units() -> None:
    # 6 % against 3 %: twice as high and 3 points above.
    assert calc.materially_higher(0.06, 0.03, units=3)
    # 1.4 times: not enough.
    assert not calc.materially_higher(0.07, 0.05, units=10)
    # 1.5 times but only 1.5 points above.
    assert not calc.materially_higher(0.045, 0.03, units=10)
    # Two returned units are too few to say.
    assert not calc.materially_higher(0.5, 0.1, units=2)
    assert not calc.materially_higher(0.5, None, units=10)
    assert not calc.materially_higher(None, 0.1, units=10)
    assert calc.higher_than(0.3, {"previous": 0.1, "90_days": 0.25, "365_days": 0.15}, units=5) == [
        "previous",
        "365_days",
    ]


def test_mix_shares_and_over_represented_reasons() -> None:
    lines = calc.mix(
        {"DEFECTIVE": 3, "UNWANTED_ITEM": 1},
        {"DEFECTIVE": 3, "UNWANTED_ITEM": 5, None: 2},
    )
    by_key = {line.key: line for line in lines}
    assert [line.key for line in lines] == ["DEFECTIVE", "UNWANTED_ITEM", None]
    assert by_key["DEFECTIVE"].share == 0.75
    assert by_key["DEFECTIVE"].category_share == pytest.approx(0.3)
    assert by_key["DEFECTIVE"].over_represented
    assert by_key["UNWANTED_ITEM"].category_share == 0.5
    assert not by_key["UNWANTED_ITEM"].over_represented
    # A reason only the category has: share 0, never over-represented.
    assert (by_key[None].units, by_key[None].share, by_key[None].over_represented) == (
        0,
        0.0,
        False,
    )


def test_mix_of_nothing_is_empty_shares() -> None:
    [line] = calc.mix({}, {"DEFECTIVE": 4})
    assert (line.share, line.category_share, line.over_represented) == (0.0, 1.0, False)
    assert calc.mix({}, {}) == []
