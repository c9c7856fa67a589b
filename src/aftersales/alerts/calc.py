"""Pure evaluation of the alert rules on plain numbers: each returns the findings to raise.

A finding's ``key`` names the condition and the day it was seen, so re-evaluating the same
day finds the same keys and raises nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Finding:
    key: str
    title: str
    body: str
    facts: dict[str, Any] = field(default_factory=dict)


def rate(returned: int, shipped: int) -> float | None:
    return returned / shipped if shipped > 0 else None


def sku_return_rate(
    *,
    sku: str,
    recent_returned: int,
    recent_shipped: int,
    baseline_returned: int,
    baseline_shipped: int,
    params: dict[str, Any],
    as_of: date,
) -> Finding | None:
    """Recent rate >= ``multiple`` x the baseline rate, on at least ``min_units`` returns.

    A SKU without baseline sales has no baseline to compare with: no finding.
    """
    recent = rate(recent_returned, recent_shipped)
    baseline = rate(baseline_returned, baseline_shipped)
    if recent is None or baseline is None or recent_returned < int(params["min_units"]):
        return None
    if recent < float(params["multiple"]) * baseline or recent == 0:
        return None
    facts = {
        "sku": sku,
        "recent_returned": recent_returned,
        "recent_shipped": recent_shipped,
        "recent_rate": round(recent, 4),
        "baseline_returned": baseline_returned,
        "baseline_shipped": baseline_shipped,
        "baseline_rate": round(baseline, 4),
        "as_of": as_of.isoformat(),
        "params": dict(params),
    }
    return Finding(
        key=f"{sku}|{as_of.isoformat()}",
        title=f"Return rate of {sku} is {recent:.1%} (baseline {baseline:.1%})",
        body=(
            f"{sku}: {recent_returned} of {recent_shipped} units returned in the last "
            f"{params['recent_days']} days ({recent:.1%}), against {baseline:.1%} over the "
            f"{params['baseline_days']} days before ({baseline_returned} of "
            f"{baseline_shipped}). Threshold: {params['multiple']}x the baseline and at "
            f"least {params['min_units']} units."
        ),
        facts=facts,
    )


def unsellable_day(*, day: date, units: int, params: dict[str, Any]) -> Finding | None:
    """More than ``max_units`` unsellable units returned on ``day``."""
    if units <= int(params["max_units"]):
        return None
    return Finding(
        key=day.isoformat(),
        title=f"{units} unsellable units returned on {day.isoformat()}",
        body=(
            f"{units} returned units were graded unsellable on {day.isoformat()} "
            f"(threshold: more than {params['max_units']} a day)."
        ),
        facts={"day": day.isoformat(), "units": units, "params": dict(params)},
    )


def reason_cluster(*, sku: str, units: int, params: dict[str, Any], as_of: date) -> Finding | None:
    """At least ``min_units`` units of one SKU returned for ``reason`` in ``days`` days."""
    if units < int(params["min_units"]):
        return None
    reason = str(params["reason"])
    return Finding(
        key=f"{sku}|{reason}|{as_of.isoformat()}",
        title=f"{units} units of {sku} returned as {reason} in {params['days']} days",
        body=(
            f"{sku}: {units} units returned with reason {reason} in the {params['days']} "
            f"days to {as_of.isoformat()} (threshold: {params['min_units']} units)."
        ),
        facts={
            "sku": sku,
            "reason": reason,
            "units": units,
            "as_of": as_of.isoformat(),
            "params": dict(params),
        },
    )


@dataclass(frozen=True)
class ExpiringClaim:
    claim_id: int
    amazon_order_id: str
    sku: str
    days_left: int
    estimated_value: Decimal
    currency: str | None


def claims_expiring(
    *, claims: list[ExpiringClaim], params: dict[str, Any], as_of: date
) -> Finding | None:
    """Candidate claims whose filing window closes within ``days`` days (one summary a day)."""
    days = int(params["days"])
    soon = sorted(
        (claim for claim in claims if 0 <= claim.days_left <= days), key=lambda c: c.days_left
    )
    if not soon:
        return None
    totals: dict[str, Decimal] = {}
    for claim in soon:
        currency = claim.currency or ""
        totals[currency] = totals.get(currency, Decimal(0)) + claim.estimated_value
    money = ", ".join(f"{amount:.2f} {currency}".strip() for currency, amount in totals.items())
    lines = [
        f"- {claim.amazon_order_id} {claim.sku}: {claim.estimated_value:.2f} "
        f"{claim.currency or ''}, {claim.days_left} days left".rstrip()
        for claim in soon
    ]
    return Finding(
        key=as_of.isoformat(),
        title=f"{len(soon)} claims expire within {days} days ({money})",
        body="Claims to file before their window closes:\n" + "\n".join(lines),
        facts={
            "claims": [
                {
                    "claim_id": claim.claim_id,
                    "amazon_order_id": claim.amazon_order_id,
                    "sku": claim.sku,
                    "days_left": claim.days_left,
                    "estimated_value": str(claim.estimated_value),
                    "currency": claim.currency,
                }
                for claim in soon
            ],
            "as_of": as_of.isoformat(),
            "params": dict(params),
        },
    )
