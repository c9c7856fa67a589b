"""Inbound units missing: detection over the inventory snapshots (the heuristic and its
limits are in inbound_calc), and the per-SKU coverage the inbound page shows, so a SKU the
data cannot check says so instead of being silently skipped."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from aftersales.amazon import claim_rules
from aftersales.claims import detectors, inbound_calc, persist, removal_calc
from aftersales.claims import repository as claim_repository
from aftersales.claims.calc import Outcome, ReimbursementLine
from aftersales.claims.evidence import rule_out
from aftersales.claims.schemas import DetectResult
from aftersales.kit.i18n import gettext
from aftersales.kit.scope import Scope
from aftersales.models import Claim, ClaimType

Interval = tuple[date, date]


class InboundCoverage(BaseModel):
    store_id: int
    marketplace_id: str
    sku: str
    source: str
    coverage: inbound_calc.Coverage
    drops: int
    shortfalls: int
    problems: list[str]  # translated


def _between(
    events: list[tuple[date, int]], series: list[inbound_calc.Snapshot]
) -> dict[Interval, int]:
    days = sorted({snapshot.day for snapshot in series})
    totals: dict[Interval, int] = defaultdict(int)
    for before, after in pairwise(days):
        totals[(before, after)] = sum(q for day, q in events if before < day <= after)
    return totals


def _checks(
    session: Session, *, store_id: int, marketplaces: tuple[str, ...] = ()
) -> list[tuple[str, str, str, list[inbound_calc.Snapshot], inbound_calc.InboundCheck]]:
    series = claim_repository.inbound_series(
        session, store_id=store_id, scope_marketplaces=marketplaces
    )
    if not series:
        return []
    days = [snapshot.day for snapshots in series.values() for snapshot in snapshots]
    sales = claim_repository.fba_sales(
        session, store_id=store_id, skus=[k[1] for k in series], since=min(days), until=max(days)
    )
    removed = claim_repository.removed_units(session, store_id=store_id)
    until = claim_repository.orders_until(session, store_id=store_id)
    found = []
    for (marketplace_id, sku, source), snapshots in sorted(series.items()):
        result = inbound_calc.check(
            snapshots,
            sold_between=_between(sales.get((marketplace_id, sku), []), snapshots),
            removed_between=_between(removed.get((marketplace_id, sku), []), snapshots),
            orders_until=until.get(marketplace_id),
        )
        found.append((marketplace_id, sku, source, snapshots, result))
    return found


def _check_out(source: str, shortfall: inbound_calc.Shortfall) -> dict[str, Any]:
    return {
        "source": source,
        "before_day": shortfall.before.day.isoformat(),
        "after_day": shortfall.after.day.isoformat(),
        "before_row_id": shortfall.before.row_id,
        "after_row_id": shortfall.after.row_id,
        "in_transit_before": shortfall.before.in_transit,
        "in_transit_after": shortfall.after.in_transit,
        "on_hand_before": shortfall.before.on_hand,
        "on_hand_after": shortfall.after.on_hand,
        "left_pipeline": shortfall.left_pipeline,
        "stock_change": shortfall.stock_change,
        "sold": shortfall.sold,
        "removed": shortfall.removed,
        "missing": shortfall.missing,
        "heuristic": "missing = left pipeline - (stock change + sold + removed)",
    }


def detect_inbound_missing(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    existing: dict[persist.ClaimKey, Claim],
    result: DetectResult,
) -> None:
    now = datetime.now(UTC)
    paid = claim_repository.reimbursements_of_skus(
        session, store_id=store_id, reasons=INBOUND_REASONS
    )
    for marketplace_id, sku, source, _snapshots, check in _checks(session, store_id=store_id):
        for shortfall in check.shortfalls:
            day = shortfall.delivered_on
            rule = claim_rules.rule_for(
                ClaimType.INBOUND_MISSING, marketplace_id=marketplace_id, on=day
            )
            if rule is None:
                continue
            opens_on, closes_on = rule.opens_on(day), rule.closes_on(day)
            reimbursed = inbound_paid(paid.get(sku, []), since=shortfall.before.day)
            missing = max(shortfall.missing - reimbursed, 0)
            if missing == 0:
                continue
            outcome = (
                Outcome.WAITING
                if as_of < opens_on
                else Outcome.WINDOW_CLOSED
                if as_of > closes_on
                else Outcome.OPEN
            )
            per_unit, currency, valued_by = detectors.unit_value(
                session, store_id=store_id, sku=sku, marketplace_id=marketplace_id, rule=rule
            )
            evidence = {
                "check": _check_out(source, shortfall),
                "units": {"missing": shortfall.missing, "reimbursed": reimbursed},
                "valuation": {
                    "per_unit": str(per_unit) if per_unit is not None else None,
                    "basis": valued_by,
                },
                "dates": {
                    "delivered_on": day.isoformat(),
                    "opens_on": opens_on.isoformat(),
                    "closes_on": closes_on.isoformat(),
                    "detected_as_of": as_of.isoformat(),
                },
                "rule": rule_out(rule),
            }
            item = persist.Found(
                store_id=store_id,
                marketplace_id=marketplace_id,
                claim_type=ClaimType.INBOUND_MISSING,
                order_id="",
                sku=sku,
                reference=shortfall.after.day.isoformat(),
                outcome=outcome,
                closes_on=closes_on,
                fields={
                    "units": missing,
                    "estimated_value": removal_calc.worth(missing, per_unit),
                    "currency": currency,
                    "refunded_on": day,
                    "opens_on": opens_on,
                    "closes_on": closes_on,
                    "evidence": evidence,
                    "rule_id": rule.id,
                    "rule_version": rule.version,
                    "updated_at": now,
                },
            )
            persist.save(
                session,
                found=item,
                claim=existing.get(item.key),
                as_of=as_of,
                now=now,
                result=result,
            )


# Reimbursement reasons that pay inbound losses (FORMATS.md 2.8, seen in code [I]).
INBOUND_REASONS = frozenset({"Lost_Inbound", "Damaged_Inbound"})


def inbound_paid(lines: list[ReimbursementLine], *, since: date) -> int:
    """Units of the SKU Amazon paid as inbound losses from ``since`` on, net of reversals."""
    return max(sum(line.quantity for line in lines if line.approval_date.date() >= since), 0)


def coverage(session: Session, *, scope: Scope) -> list[InboundCoverage]:
    """Per store, marketplace, SKU and report: whether the inbound check could run."""
    rows = []
    for store_id in scope.store_ids:
        for marketplace_id, sku, source, _snapshots, check in _checks(
            session, store_id=store_id, marketplaces=scope.marketplace_ids
        ):
            if check.drops == 0 and check.coverage is inbound_calc.Coverage.CHECKED:
                continue  # nothing arrived in the period: nothing to check
            rows.append(
                InboundCoverage(
                    store_id=store_id,
                    marketplace_id=marketplace_id,
                    sku=sku,
                    source=source,
                    coverage=check.coverage,
                    drops=check.drops,
                    shortfalls=len(check.shortfalls),
                    problems=[
                        (f"{problem.day.isoformat()}: " if problem.day != date.min else "")
                        + gettext(problem.reason, **problem.params)
                        for problem in check.problems
                    ],
                )
            )
    return rows
