"""The inputs a run keeps beside each result (``replenishment_results.explanation``): the
velocity windows, the rule and shipping mode, the stock buckets, the lead time parts, the
constraints, the quantities to send by mode and the restock cap.

A run writes 100,000 of them at once, so they are kept as a JSON array of values in fixed
orders, about 150 bytes, not as an object naming every field (about 665 bytes): on SQLite
the bytes written and checkpointed were most of a run's write. ``decode`` gives the named
form back; results of runs before this form (the object itself, or version 2) are read as
they are.

    [3, windows, rule, mode, [stock…], [lead…], [constraints…], [send…], [send_need…], [cap…]]

``windows`` is the velocity's own JSON: {"7": [in-stock days, days, units], …}; each
window's average is its units over its in-stock days (none without one), which ``decode``
adds back in front: {"7": [average, in-stock days, days, units], …}. Version 2 stored the
average itself (every digit of it: a fifth of the bytes).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import polars as pl

from aftersales.replenishment.calc import ShippingMode, VelocityResult
from aftersales.replenishment.inputs import LEAD_COLUMNS

VERSION = 3
# Version 2 stored each window's average too; its windows are read as they are.
WITH_AVERAGES = 2
STOCK = (
    "fba_fulfillable",
    "fba_reserved",
    "inbound_working",
    "inbound_shipped",
    "inbound_receiving",
    "local",
    "overseas",
    "on_order",
    "expected_returns",
)
LEAD = LEAD_COLUMNS
CONSTRAINTS = ("case_pack", "moq", "restock_limit", "storage_type")
MODES = tuple(mode.value for mode in ShippingMode)
CAP = ("before", "after")
_CAP_COLUMNS = ("cap_before", "cap_after")  # the run's result columns of CAP


def number(expression: pl.Expr) -> pl.Expr:
    """A number as JSON text, written by Polars as the shortest text that reads back the same
    value (as json.dumps writes it, but for exponents: 1e-6 for 1e-06); null, NaN and
    infinities as null. Building the JSON text this way took a quarter of the time of
    Polars' struct.json_encode."""
    return (
        pl.when(expression.is_finite()).then(expression.cast(pl.String)).otherwise(pl.lit("null"))
    )


def windows(days: Sequence[int]) -> pl.Expr:
    """The velocity windows' JSON, {"7": [in-stock days, days, units], …}, from a velocity
    frame's ``in_stock_<days>``, ``span_<days>`` and ``units_<days>`` (the days as integers,
    the units as a float, as ``json.dumps`` writes the scalar path's)."""
    parts = []
    for length in days:
        values = [
            pl.col(f"in_stock_{length}").cast(pl.Int64).cast(pl.String),
            pl.col(f"span_{length}").cast(pl.Int64).cast(pl.String),
            number(pl.col(f"units_{length}").cast(pl.Float64)),
        ]
        parts.append(pl.concat_str([pl.lit(f'"{length}":'), *_joined(values)]))
    return pl.concat_str([pl.lit("{"), pl.concat_str(parts, separator=","), pl.lit("}")])


def windows_of(result: VelocityResult) -> str:
    """The same JSON as ``windows``, of one listing's velocity computed by ``calc``."""

    def finite(value: float) -> float | None:
        return value if math.isfinite(value) else None

    return json.dumps(
        {
            str(window.days): [window.in_stock_days, window.span_days, finite(float(window.units))]
            for window in result.windows
        },
        separators=(",", ":"),
    )


def _with_averages(windows: Any) -> Any:
    """Stored windows with each one's average in front: units / in-stock days (None
    without an in-stock day), the very division the velocity made."""
    if not isinstance(windows, dict):
        return windows
    named = {}
    for days, (in_stock, span, units) in windows.items():
        average = units / in_stock if in_stock and units is not None else None
        named[days] = [average, in_stock, span, units]
    return named


def _text(expression: pl.Expr) -> pl.Expr:
    """A string as a JSON value (escaped; null as null): encoded inside a one-field object
    ``{"v":…}`` whose wrapping is cut off."""
    return pl.struct(expression.alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")


def _joined(parts: list[pl.Expr]) -> list[pl.Expr]:
    joined: list[pl.Expr] = [pl.lit("[")]
    for position, part in enumerate(parts):
        if position:
            joined.append(pl.lit(","))
        joined.append(part)
    return [*joined, pl.lit("]")]


def _numbers(columns: tuple[str, ...] | list[str], *, zero_for_null: bool = False) -> pl.Expr:
    values = [pl.col(name).fill_null(0) if zero_for_null else pl.col(name) for name in columns]
    return pl.concat_str(_joined([number(value) for value in values]))


def encode() -> pl.Expr:
    """The stored form, from a run's result columns: ``windows`` (JSON text), ``rule``,
    ``mode``, the STOCK and LEAD columns, CONSTRAINTS, ``send_<mode>``,
    ``send_need_<mode>``, ``cap_before`` and ``cap_after``."""
    constraints = _joined(
        [number(pl.col(name)) for name in CONSTRAINTS[:-1]] + [_text(pl.col(CONSTRAINTS[-1]))]
    )
    parts = [
        pl.lit(str(VERSION)),
        pl.col("windows").fill_null("null"),
        _text(pl.col("rule")),
        _text(pl.col("mode")),
        _numbers(STOCK, zero_for_null=True),
        _numbers(LEAD),
        pl.concat_str(constraints),
        _numbers([f"send_{mode}" for mode in MODES]),
        _numbers([f"send_need_{mode}" for mode in MODES]),
        _numbers(_CAP_COLUMNS),
    ]
    return pl.concat_str(_joined(parts))


def decode(value: str | list[Any] | dict[str, Any] | None) -> dict[str, Any]:
    """The named form: {"windows", "rule", "mode", "stock": {…}, "lead": {…},
    "constraints": {…}, "send": {mode: …}, "send_need": {mode: …}, "cap": {"before",
    "after"}}; {} for anything else (nothing stored, an unknown form)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if isinstance(value, dict):
        return value  # a run before the compact form
    if not isinstance(value, list) or len(value) != 10 or value[0] not in (VERSION, WITH_AVERAGES):
        return {}
    version, windows, rule, mode, stock, lead, constraints, send, send_need, cap = value
    return {
        "windows": _with_averages(windows) if version == VERSION else windows,
        "rule": rule,
        "mode": mode,
        "stock": dict(zip(STOCK, stock, strict=True)),
        "lead": dict(zip(LEAD, lead, strict=True)),
        "constraints": dict(zip(CONSTRAINTS, constraints, strict=True)),
        "send": dict(zip(MODES, send, strict=True)),
        "send_need": dict(zip(MODES, send_need, strict=True)),
        "cap": dict(zip(CAP, cap, strict=True)),
    }
