"""Pure evaluation of the alert rules on plain numbers: each returns the findings to raise.

A finding's ``key`` names the condition and the day it was seen, so re-evaluating the same
day finds the same keys and raises nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from aftersales.kit.i18n import N_, Message


@dataclass(frozen=True)
class Finding:
    """A condition to raise. ``title`` and ``lines`` remember their catalog templates, so
    the alert is shown (and sent) in the reader's language; their English text is stored too."""

    key: str
    title: Message
    lines: tuple[Message, ...]
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return "\n".join(self.lines)

    def text(self) -> dict[str, Any]:
        """The templates and values, as stored with the alert (``alerts.text``)."""
        return {
            "title": [self.title.template, self.title.params],
            "lines": [[line.template, line.params] for line in self.lines],
        }


def _percent(value: float) -> str:
    return f"{value:.1%}"


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
        title=Message(
            N_("Return rate of %(sku)s is %(rate)s (baseline %(baseline)s)"),
            sku=sku,
            rate=_percent(recent),
            baseline=_percent(baseline),
        ),
        lines=(
            Message(
                N_(
                    "%(sku)s: %(returned)s of %(shipped)s units returned in the last "
                    "%(days)s days (%(rate)s), against %(baseline)s over the %(baseline_days)s "
                    "days before (%(baseline_returned)s of %(baseline_shipped)s)."
                ),
                sku=sku,
                returned=recent_returned,
                shipped=recent_shipped,
                days=params["recent_days"],
                rate=_percent(recent),
                baseline=_percent(baseline),
                baseline_days=params["baseline_days"],
                baseline_returned=baseline_returned,
                baseline_shipped=baseline_shipped,
            ),
            Message(
                N_("Threshold: %(multiple)s× the baseline and at least %(min_units)s units."),
                multiple=params["multiple"],
                min_units=params["min_units"],
            ),
        ),
        facts=facts,
    )


def unsellable_day(*, day: date, units: int, params: dict[str, Any]) -> Finding | None:
    """More than ``max_units`` unsellable units returned on ``day``."""
    if units <= int(params["max_units"]):
        return None
    return Finding(
        key=day.isoformat(),
        title=Message(
            N_("%(units)s unsellable units returned on %(day)s"), units=units, day=day.isoformat()
        ),
        lines=(
            Message(
                N_(
                    "%(units)s returned units were graded unsellable on %(day)s "
                    "(threshold: more than %(max_units)s a day)."
                ),
                units=units,
                day=day.isoformat(),
                max_units=params["max_units"],
            ),
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
        title=Message(
            N_("%(units)s units of %(sku)s returned as %(reason)s in %(days)s days"),
            units=units,
            sku=sku,
            reason=reason,
            days=params["days"],
        ),
        lines=(
            Message(
                N_(
                    "%(sku)s: %(units)s units returned with reason %(reason)s in the %(days)s "
                    "days to %(as_of)s (threshold: %(min_units)s units)."
                ),
                sku=sku,
                units=units,
                reason=reason,
                days=params["days"],
                as_of=as_of.isoformat(),
                min_units=params["min_units"],
            ),
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
        Message(
            N_("- %(order)s %(sku)s: %(value)s, %(days_left)s days left"),
            order=claim.amazon_order_id,
            sku=claim.sku,
            value=f"{claim.estimated_value:.2f} {claim.currency or ''}".strip(),
            days_left=claim.days_left,
        )
        for claim in soon
    ]
    return Finding(
        key=as_of.isoformat(),
        title=Message(
            N_("Claims expiring within %(days)s days: %(count)s (%(money)s)"),
            count=len(soon),
            days=days,
            money=money,
        ),
        lines=(Message(N_("Claims to file before their window closes:")), *lines),
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


@dataclass(frozen=True)
class Listing:
    """A listing as the last replenishment run left it."""

    marketplace: str
    sku: str
    band: str
    stockout_date: date | None
    ship_by: date | None
    send_quantity: int
    buy_quantity: int

    @property
    def key(self) -> str:
        return f"{self.marketplace}|{self.sku}"


# How many listings an alert names; the facts keep them all.
LISTED = 20


def _listing_line(listing: Listing) -> Message:
    return Message(
        N_(
            "- %(marketplace)s %(sku)s: runs out %(stockout)s, ship by %(ship_by)s, "
            "send %(send)s, buy %(buy)s"
        ),
        marketplace=listing.marketplace,
        sku=listing.sku,
        stockout=listing.stockout_date.isoformat() if listing.stockout_date else "—",
        ship_by=listing.ship_by.isoformat() if listing.ship_by else "—",
        send=listing.send_quantity,
        buy=listing.buy_quantity,
    )


def replenishment_news(
    *,
    order_now: bool,
    listings: list[Listing],
    previous: set[str],
    params: dict[str, Any],
    as_of: date,
) -> tuple[Finding | None, set[str]]:
    """Listings that entered the condition since the last evaluation (``previous``: the keys
    in it then), and the keys in it now. ``order_now``: the "order now" band (out of stock
    counts as well); else a projected FBA stock-out within ``days`` days."""
    if order_now:
        matching = [item for item in listings if item.band in ("order_now", "out_of_stock")]
    else:
        horizon = as_of + timedelta(days=int(params["days"]))
        matching = [
            item
            for item in listings
            if item.stockout_date is not None
            and item.stockout_date <= horizon
            and item.band != "out_of_stock"
        ]
    now = {item.key for item in matching}
    new = sorted(
        (item for item in matching if item.key not in previous),
        key=lambda item: (item.stockout_date or date.max, item.key),
    )
    if not new:
        return None, now
    shown = [_listing_line(item) for item in new[:LISTED]]
    if len(new) > LISTED:
        shown.append(Message(N_("… and %(count)s more"), count=len(new) - LISTED))
    if order_now:
        title = Message(
            N_("%(count)s listings to reorder now (%(total)s in all)"),
            count=len(new),
            total=len(matching),
        )
        intro = Message(N_("New in the “order now” band since the last check:"))
    else:
        title = Message(
            N_("%(count)s listings projected to run out within %(days)s days"),
            count=len(new),
            days=params["days"],
        )
        intro = Message(N_("Newly projected to run out of FBA stock:"))
    finding = Finding(
        key=f"{as_of.isoformat()}|{len(now)}|{new[0].key}",
        title=title,
        lines=(intro, *shown),
        facts={
            "listings": [
                {
                    "marketplace": item.marketplace,
                    "sku": item.sku,
                    "band": item.band,
                    "stockout_date": item.stockout_date.isoformat() if item.stockout_date else None,
                    "ship_by": item.ship_by.isoformat() if item.ship_by else None,
                    "send_quantity": item.send_quantity,
                    "buy_quantity": item.buy_quantity,
                }
                for item in new
            ],
            "in_state": len(now),
            "as_of": as_of.isoformat(),
            "params": dict(params),
        },
    )
    return finding, now
