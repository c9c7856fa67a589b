"""One SKU's return profile in a scope: return rates over 30 and 90 days against its own
previous 90, reasons with who is responsible, dispositions, buyer comments, weekly trend."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.amazon.return_reasons import (
    ACTION_LABELS,
    RESPONSIBLE_LABELS,
    ReasonAction,
    Responsible,
)
from aftersales.exceptions import NotFound
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.scope import Scope
from aftersales.returns_analytics import reason_service
from aftersales.returns_analytics import repository as analytics_repository
from aftersales.returns_analytics.schemas import (
    BuyerComment,
    SkuDisposition,
    SkuProfile,
    SkuReason,
    SkuWeek,
    SkuWindow,
)

WINDOWS_DAYS = (30, 90)
BREAKDOWN_DAYS = 90
TREND_WEEKS = 26
COMMENTS = 20
# Daily figures cover the trend, which also spans the last 90 days and the 90 before.
HISTORY_DAYS = max(TREND_WEEKS * 7, 2 * max(WINDOWS_DAYS))


class SkuNotFound(NotFound):
    code = "sku_not_found"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _rate(returned: int, shipped: int) -> float | None:
    return returned / shipped if shipped else None


def _window(
    returned: dict[date, int], shipped: dict[date, int], *, first: date, last: date
) -> tuple[int, int]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return sum(returned.get(d, 0) for d in days), sum(shipped.get(d, 0) for d in days)


def _sku_window(
    returned: dict[date, int], shipped: dict[date, int], *, days: int, last: date
) -> SkuWindow:
    first = last - timedelta(days=days - 1)
    units_returned, units_shipped = _window(returned, shipped, first=first, last=last)
    return SkuWindow(
        days=days,
        start=first,
        end=last,
        units_returned=units_returned,
        units_shipped=units_shipped,
        return_rate=_rate(units_returned, units_shipped),
    )


def _trend(returned: dict[date, int], shipped: dict[date, int], *, as_of: date) -> list[SkuWeek]:
    weeks: list[SkuWeek] = []
    for index in range(TREND_WEEKS - 1, -1, -1):
        last = as_of - timedelta(days=7 * index)
        first = last - timedelta(days=6)
        units_returned, units_shipped = _window(returned, shipped, first=first, last=last)
        weeks.append(
            SkuWeek(
                start=first,
                end=last,
                units_shipped=units_shipped,
                units_returned=units_returned,
                return_rate=_rate(units_returned, units_shipped),
            )
        )
    return weeks


def _reasons(
    session: Session, *, scope: Scope, sku: str, start: datetime, end: datetime
) -> list[SkuReason]:
    rules = reason_service.rules_for(session, store_ids=scope.store_ids)
    # Stores may answer differently for the same code: one line per code and answer.
    units: dict[tuple[str | None, Responsible, ReasonAction], int] = defaultdict(int)
    known: dict[tuple[str | None, Responsible, ReasonAction], bool] = {}
    for row in analytics_repository.reasons(session, scope=scope, sku=sku, start=start, end=end):
        rule = reason_service.rule_of(rules.get(row.store_id, {}), row.reason)
        key = (row.reason, rule.responsible, rule.action)
        units[key] += int(row.units or 0)
        known[key] = rule.known
    total = sum(units.values())
    found = [
        SkuReason(
            reason=reason,
            label=vocabulary.reason_label(reason) or gettext(N_("no reason given")),
            units=count,
            share=count / total if total else 0.0,
            responsible=responsible,
            responsible_label=gettext(RESPONSIBLE_LABELS[responsible]),
            action=action,
            action_label=gettext(ACTION_LABELS[action]),
            known=known[(reason, responsible, action)],
        )
        for (reason, responsible, action), count in units.items()
    ]
    return sorted(found, key=lambda item: (-item.units, item.reason or ""))


def _dispositions(
    session: Session, *, scope: Scope, sku: str, start: datetime, end: datetime
) -> list[SkuDisposition]:
    rows = analytics_repository.dispositions(session, scope=scope, sku=sku, start=start, end=end)
    total = sum(int(row.units or 0) for row in rows)
    found = [
        SkuDisposition(
            disposition=row.disposition,
            label=vocabulary.disposition_label(row.disposition) or gettext(N_("not given")),
            units=int(row.units or 0),
            share=int(row.units or 0) / total if total else 0.0,
            sellable=vocabulary.is_sellable(row.disposition),
        )
        for row in rows
    ]
    return sorted(found, key=lambda item: (-item.units, item.disposition or ""))


def sku_profile(session: Session, *, scope: Scope, sku: str, as_of: date) -> SkuProfile:
    """The SKU's figures in the scope up to and including ``as_of`` (UTC days); 404 when
    the scope has no return and no order line of it (another store's SKU looks the same)."""
    if not analytics_repository.sku_exists(session, scope=scope, sku=sku):
        raise SkuNotFound(N_("no returns or orders of SKU %(sku)s"), sku=sku)
    end = _start_of(as_of + timedelta(days=1))
    history_start = _start_of(as_of - timedelta(days=HISTORY_DAYS - 1))
    returned = analytics_repository.daily_returned(
        session, scope=scope, sku=sku, start=history_start, end=end
    )
    shipped = analytics_repository.daily_shipped(
        session, scope=scope, sku=sku, start=history_start, end=end
    )
    longest = max(WINDOWS_DAYS)
    breakdown_start = _start_of(as_of - timedelta(days=BREAKDOWN_DAYS - 1))
    return SkuProfile(
        sku=sku,
        product_name=analytics_repository.product_name(session, scope=scope, sku=sku),
        as_of=as_of,
        windows=[_sku_window(returned, shipped, days=days, last=as_of) for days in WINDOWS_DAYS],
        previous=_sku_window(returned, shipped, days=longest, last=as_of - timedelta(days=longest)),
        breakdown_days=BREAKDOWN_DAYS,
        reasons=_reasons(session, scope=scope, sku=sku, start=breakdown_start, end=end),
        dispositions=_dispositions(session, scope=scope, sku=sku, start=breakdown_start, end=end),
        comments=[
            BuyerComment(
                return_date=row.return_date,
                store_name=row.store_name,
                marketplace_code=row.marketplace_code,
                reason=row.reason,
                reason_label=vocabulary.reason_label(row.reason),
                license_plate_number=row.license_plate_number,
                comment=row.comment,
            )
            for row in analytics_repository.comments(
                session, scope=scope, sku=sku, end=end, limit=COMMENTS
            )
        ],
        trend=_trend(returned, shipped, as_of=as_of),
    )
