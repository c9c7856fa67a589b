"""The inputs a run keeps beside each result, in their compact stored form: what is encoded
is decoded by name as it was (odd text, nulls, every digit of a velocity window), and the
named object of runs before that form still reads as it is."""

from __future__ import annotations

import json

import polars as pl

from aftersales.replenishment import calc
from aftersales.replenishment import stored_explanation as stored

# As a run makes them ([in-stock days, days, units]) and as they are read back, each with
# its average (units / in-stock days) in front.
WINDOWS = {"7": [7, 7, 1.0], "30": [0, 30, 0.0]}
READ_WINDOWS = {"7": [0.14285714285714285, 7, 7, 1.0], "30": [None, 0, 30, 0.0]}


def _row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "windows": json.dumps(WINDOWS),
        "rule": 'sku "A,1"',
        "mode": "air",
        **{name: position + 1 for position, name in enumerate(stored.STOCK)},
        **{name: 10 * (position + 1) for position, name in enumerate(stored.LEAD)},
        "case_pack": 12,
        "moq": 100,
        "restock_limit": None,
        "storage_type": "oversize\\中",
        "send_sea": 0,
        "send_air": 24,
        "send_express": None,
        "send_need_sea": 36,
        "send_need_air": 24,
        "send_need_express": 12,
        "cap_before": 48,
        "cap_after": 24,
    }
    row.update(changes)
    return row


def _stored(*rows: dict[str, object]) -> list[str]:
    return pl.DataFrame(list(rows)).select(stored.encode()).to_series().to_list()


def test_what_is_encoded_decodes_by_name() -> None:
    (text,) = _stored(_row())
    assert stored.decode(text) == {
        "windows": READ_WINDOWS,
        "rule": 'sku "A,1"',
        "mode": "air",
        "stock": {name: position + 1 for position, name in enumerate(stored.STOCK)},
        "lead": {name: 10 * (position + 1) for position, name in enumerate(stored.LEAD)},
        "constraints": {
            "case_pack": 12,
            "moq": 100,
            "restock_limit": None,
            "storage_type": "oversize\\中",
        },
        "send": {"sea": 0, "air": 24, "express": None},
        "send_need": {"sea": 36, "air": 24, "express": 12},
        "cap": {"before": 48, "after": 24},
    }
    # As the database's JSON column reads it back: a list.
    assert stored.decode(json.loads(text)) == stored.decode(text)


def test_missing_stock_is_zero_and_missing_windows_null() -> None:
    (text,) = _stored(_row(local=None, windows=None, rule=None))
    decoded = stored.decode(text)
    assert (decoded["stock"]["local"], decoded["windows"], decoded["rule"]) == (0, None, None)


def test_the_stored_form_is_compact() -> None:
    (text,) = _stored(_row())
    named = json.dumps(stored.decode(text), separators=(",", ":"))
    assert len(text) * 2 < len(named)


def test_earlier_runs_and_anything_else() -> None:
    (text,) = _stored(_row())
    version_2 = [2, READ_WINDOWS, *json.loads(text)[2:]]
    assert stored.decode(version_2) == stored.decode(text)
    earlier = {"windows": READ_WINDOWS, "stock": {"local": 3}, "send": {"sea": 5}}
    assert stored.decode(earlier) == earlier
    assert stored.decode(json.dumps(earlier)) == earlier
    assert stored.decode(None) == {}
    assert stored.decode("not json") == {}
    assert stored.decode([1, 2, 3]) == {}


def test_windows_read_as_the_scalar_path_writes_them() -> None:
    velocity = pl.DataFrame(
        {
            "average_7": [2.0 / 6, None, 1e-6 / 7],
            "in_stock_7": [6, 0, 7],
            "span_7": [7, 7, 7],
            "units_7": [2.0, 0.0, 1e-6],
            "average_30": [0.1, None, 12.0],
            "in_stock_30": [30, 0, 30],
            "span_30": [30, 12, 30],
            "units_30": [3.0, 0.0, 360.0],
        }
    )
    written = velocity.select(stored.windows([7, 30])).to_series().to_list()
    expected = [
        {
            str(days): [row[f"in_stock_{days}"], row[f"span_{days}"], row[f"units_{days}"]]
            for days in (7, 30)
        }
        for row in velocity.iter_rows(named=True)
    ]
    assert [json.loads(text) for text in written] == expected
    # Read back, each window's average is the velocity's to the last digit.
    for row, text in zip(velocity.iter_rows(named=True), written, strict=True):
        (decoded,) = _stored(_row(windows=text))
        averages = {days: values[0] for days, values in stored.decode(decoded)["windows"].items()}
        assert averages == {str(days): row[f"average_{days}"] for days in (7, 30)}
    # The scalar path writes the same values (Python writes 1e-06 where Polars writes 1e-6).
    for row, text in zip(velocity.iter_rows(named=True), written, strict=True):
        windows = tuple(
            calc.WindowAverage(
                days=days,
                weight=0.5,
                span_days=row[f"span_{days}"],
                in_stock_days=row[f"in_stock_{days}"],
                units=row[f"units_{days}"],
                average=row[f"average_{days}"],
            )
            for days in (7, 30)
        )
        result = calc.VelocityResult(
            daily=0.0,
            source=calc.VelocitySource.WEIGHTED,
            rule_name="store",
            windows=windows,
            weighted=0.0,
            excluded=(),
            spikes=(),
            spike_threshold=None,
            seasonality_factor=None,
            promotion=None,
            deviation=None,
        )
        assert json.loads(stored.windows_of(result)) == json.loads(text)
