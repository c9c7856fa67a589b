"""The returns explorer: returned and shipped units of a scope grouped by SKU, ASIN, FC,
reason, disposition, responsibility, marketplace, category, week or month, with return
rates over the period and the 30 and 90 days up to its end; each SKU against its own
previous period and year; the reason mix of a SKU or of the filtered returns against its
category's.

Every sum is computed by the database (explorer_repository); Python merges one row per
group or per day. Inputs and categories: explorer_filters; the reason mix: explorer_mix.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.amazon.return_reasons import RESPONSIBLE_LABELS, Responsible
from aftersales.imports import service as import_service
from aftersales.kit.cache import VersionedCache
from aftersales.kit.i18n import N_, current_locale, gettext
from aftersales.kit.pagination import PageRequest, SortRequest
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column
from aftersales.returns_analytics import explorer_calc as calc
from aftersales.returns_analytics import explorer_filters, reason_service
from aftersales.returns_analytics import explorer_repository as repository
from aftersales.returns_analytics.explorer_filters import as_date, category_map, where_of, window
from aftersales.returns_analytics.explorer_repository import ResultRow, Where, Window
from aftersales.returns_analytics.explorer_schemas import (
    NO_CATEGORY,
    ExplorerBucket,
    ExplorerFilters,
    ExplorerPage,
    ExplorerRow,
    ExplorerTotals,
    ExplorerWindow,
    GroupBy,
    Interval,
    Period,
    SkuHistory,
)

WINDOW_DAYS = (30, 90)
HISTORY_DAYS = 365
BREAKDOWN_GROUPS = 20
# Longer periods get a monthly trend unless one is asked for.
WEEKLY_UP_TO_DAYS = 183

SORT_KEYS = (
    "key",
    "label",
    "units_returned",
    "units_shipped",
    "return_rate",
    "return_rate_30_days",
    "return_rate_90_days",
    "change",
)
TIME_GROUPS = (GroupBy.WEEK, GroupBy.MONTH)
# Groupings whose shipped units are their own; the others divide by every shipped unit.
SHIPPED_BY_GROUP = {
    GroupBy.SKU: "sku",
    GroupBy.ASIN: "asin",
    GroupBy.MARKETPLACE: "marketplace",
    GroupBy.CATEGORY: "category",
}
RETURN_KEY = {
    GroupBy.SKU: "sku",
    GroupBy.ASIN: "asin",
    GroupBy.FC: "fc",
    GroupBy.REASON: "reason",
    GroupBy.DISPOSITION: "disposition",
    GroupBy.MARKETPLACE: "marketplace",
}

GROUP_LABELS: dict[GroupBy, str] = {
    GroupBy.SKU: N_("SKU"),
    GroupBy.ASIN: N_("ASIN"),
    GroupBy.FC: N_("Fulfilment centre"),
    GroupBy.REASON: N_("Reason"),
    GroupBy.DISPOSITION: N_("Disposition"),
    GroupBy.RESPONSIBILITY: N_("Responsible"),
    GroupBy.MARKETPLACE: N_("Marketplace"),
    GroupBy.CATEGORY: N_("Category"),
    GroupBy.WEEK: N_("Week"),
    GroupBy.MONTH: N_("Month"),
}

EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("group_by", N_("Grouped by")),
    Column("key", N_("Group")),
    Column("label", N_("Description")),
    Column("units_returned", N_("Units returned")),
    Column("units_shipped", N_("Units shipped")),
    Column("return_rate", N_("Return rate")),
    Column("units_returned_30_days", N_("Units returned, 30 days")),
    Column("return_rate_30_days", N_("Return rate, 30 days")),
    Column("units_returned_90_days", N_("Units returned, 90 days")),
    Column("return_rate_90_days", N_("Return rate, 90 days")),
    Column("previous_return_rate", N_("Return rate, previous period")),
    Column("return_rate_365_days", N_("Return rate, 365 days")),
    Column("materially_higher", N_("Materially higher than its history")),
)


def default_sort(group_by: GroupBy) -> str:
    return "key" if group_by in TIME_GROUPS else "-units_returned"


def parse_sort(raw: str | None, *, group_by: GroupBy) -> SortRequest:
    return SortRequest.parse(raw, allowed=SORT_KEYS, default=default_sort(group_by))


def interval_of(period: Period, group_by: GroupBy, asked: Interval | None) -> Interval:
    if group_by == GroupBy.WEEK:
        return Interval.WEEK
    if group_by == GroupBy.MONTH:
        return Interval.MONTH
    if asked is not None:
        return asked
    return Interval.WEEK if period.days <= WEEKLY_UP_TO_DAYS else Interval.MONTH


# --- figures -------------------------------------------------------------------------------


def _daily(rows: Sequence[ResultRow], name: str) -> dict[date, int]:
    days: dict[date, int] = defaultdict(int)
    for row in rows:
        days[as_date(row.day)] += int(getattr(row, name) or 0)
    return days


@dataclasses.dataclass(frozen=True)
class _Figures:
    period: Period
    returned: dict[date, int]
    shipped: dict[date, int]

    def window(self, days: int) -> ExplorerWindow:
        last = self.period.date_to
        first = last - timedelta(days=days - 1)
        units_returned = calc.sum_days(self.returned, first=first, last=last)
        units_shipped = calc.sum_days(self.shipped, first=first, last=last)
        return ExplorerWindow(
            days=days,
            start=first,
            end=last,
            units_returned=units_returned,
            units_shipped=units_shipped,
            return_rate=calc.rate(units_returned, units_shipped),
        )

    def totals(self) -> ExplorerTotals:
        first, last = self.period.date_from, self.period.date_to
        units_returned = calc.sum_days(self.returned, first=first, last=last)
        units_shipped = calc.sum_days(self.shipped, first=first, last=last)
        return ExplorerTotals(
            units_returned=units_returned,
            units_shipped=units_shipped,
            return_rate=calc.rate(units_returned, units_shipped),
            windows=[self.window(days) for days in WINDOW_DAYS],
        )

    def buckets(self, interval: Interval) -> list[calc.Bucket]:
        return calc.buckets(
            self.returned,
            self.shipped,
            first=self.period.date_from,
            last=self.period.date_to,
            interval="week" if interval == Interval.WEEK else "month",
        )


def _figures(session: Session, *, where: Where, period: Period) -> _Figures:
    """Returned and shipped units per day over the period and the 90 days up to its end."""
    longest = max(WINDOW_DAYS)
    first = min(period.date_from, period.date_to - timedelta(days=longest - 1))
    span = [window("units", first, period.date_to)]
    returned = repository.returned(session, where=where, keys=["day"], windows=span)
    shipped = repository.shipped(session, where=where, keys=["day"], windows=span)
    return _Figures(period, _daily(returned, "units"), _daily(shipped, "units"))


def _label(group_by: GroupBy, key: str | None, codes: dict[str, str]) -> str:
    if group_by == GroupBy.REASON:
        return vocabulary.reason_label(key) or gettext(N_("no reason given"))
    if group_by == GroupBy.DISPOSITION:
        return vocabulary.disposition_label(key) or gettext(N_("not given"))
    if group_by == GroupBy.RESPONSIBILITY:
        return gettext(RESPONSIBLE_LABELS[Responsible(key or Responsible.UNKNOWN)])
    if group_by == GroupBy.CATEGORY:
        return key if key is not None else gettext(NO_CATEGORY)
    if group_by == GroupBy.MARKETPLACE:
        return codes.get(key, key) if key else gettext(N_("not given"))
    return key if key is not None else gettext(N_("not given"))


def _key_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _time_rows(figures: _Figures, group_by: GroupBy) -> list[ExplorerRow]:
    interval = Interval.WEEK if group_by == GroupBy.WEEK else Interval.MONTH
    return [
        ExplorerRow(
            key=bucket.start.isoformat(),
            label=(
                bucket.start.isoformat()
                if interval == Interval.WEEK
                else bucket.start.strftime("%Y-%m")
            ),
            units_returned=bucket.returned,
            units_shipped=bucket.shipped,
            return_rate=calc.rate(bucket.returned, bucket.shipped),
            units_returned_30_days=None,
            return_rate_30_days=None,
            units_returned_90_days=None,
            return_rate_90_days=None,
        )
        for bucket in figures.buckets(interval)
        if bucket.returned or bucket.shipped
    ]


Sums = dict[str, int]


def _history(returned: Sums, shipped: Sums, *, period: Period, row: ExplorerRow) -> SkuHistory:
    previous = calc.rate(returned["previous"], shipped["previous"])
    rate_365 = calc.rate(returned["days_365"], shipped["days_365"])
    higher = calc.higher_than(
        row.return_rate,
        {"previous": previous, "90_days": row.return_rate_90_days, "365_days": rate_365},
        units=row.units_returned,
    )
    return SkuHistory(
        previous_start=period.date_from - timedelta(days=period.days),
        previous_end=period.date_from - timedelta(days=1),
        previous_units_returned=returned["previous"],
        previous_units_shipped=shipped["previous"],
        previous_return_rate=previous,
        return_rate_365_days=rate_365,
        higher_than=higher,
        materially_higher=bool(higher),
    )


def _windows_of(period: Period) -> list[Window]:
    last = period.date_to
    return [
        window("period", period.date_from, last),
        window("days_30", last - timedelta(days=29), last),
        window("days_90", last - timedelta(days=89), last),
    ]


def _history_windows(period: Period) -> list[Window]:
    last = period.date_to
    return [
        window(
            "previous",
            period.date_from - timedelta(days=period.days),
            period.date_from - timedelta(days=1),
        ),
        window("days_365", last - timedelta(days=HISTORY_DAYS - 1), last),
    ]


def _with_history(
    session: Session, *, where: Where, period: Period, rows: list[ExplorerRow], every: bool
) -> list[ExplorerRow]:
    """SKU rows with their previous period and 365 days. Reading a year is what costs:
    a page asks for its own SKUs only; ``every`` (exports, sorting by the change) reads
    all of them at once."""
    if not rows:
        return rows
    scoped = where if every else dataclasses.replace(where, skus=tuple(r.key or "" for r in rows))
    windows = _history_windows(period)
    returned = _returned_sums(session, where=scoped, group_by=GroupBy.SKU, windows=windows)
    shipped = _shipped_sums(session, where=scoped, group_by=GroupBy.SKU, windows=windows)
    nothing: Sums = {w.name: 0 for w in windows}
    return [
        row.model_copy(
            update={
                "history": _history(
                    returned.get(row.key, nothing),
                    shipped.get(row.key, nothing),
                    period=period,
                    row=row,
                )
            }
        )
        for row in rows
    ]


def _summed(
    rows: Sequence[ResultRow], names: Sequence[str], key_of: Callable[[ResultRow], str | None]
) -> dict[str | None, Sums]:
    """Window sums of the rows added up per the key each row maps to."""
    sums: dict[str | None, Sums] = defaultdict(lambda: dict.fromkeys(names, 0))
    for row in rows:
        bucket = sums[key_of(row)]
        for name in names:
            bucket[name] += int(getattr(row, name) or 0)
    return sums


def _returned_sums(
    session: Session, *, where: Where, group_by: GroupBy, windows: Sequence[Window]
) -> dict[str | None, Sums]:
    names = [w.name for w in windows]
    if group_by == GroupBy.RESPONSIBILITY:
        rules = reason_service.rules_for(session, store_ids=where.scope.store_ids)
        rows = repository.returned(
            session, where=where, keys=["store_id", "reason"], windows=windows
        )
        return _summed(
            rows,
            names,
            lambda row: (
                reason_service.rule_of(rules.get(row.store_id, {}), row.reason).responsible.value
            ),
        )
    if group_by == GroupBy.CATEGORY:
        categories = category_map(session, scope=where.scope)
        rows = repository.returned(session, where=where, keys=["store_id", "sku"], windows=windows)
        return _summed(rows, names, lambda row: categories.of(row.store_id, row.sku))
    key_name = RETURN_KEY[group_by]
    rows = repository.returned(session, where=where, keys=[key_name], windows=windows)
    return _summed(rows, names, lambda row: _key_text(getattr(row, key_name)))


def _shipped_sums(
    session: Session, *, where: Where, group_by: GroupBy, windows: Sequence[Window]
) -> dict[str | None, Sums]:
    names = [w.name for w in windows]
    if group_by == GroupBy.CATEGORY:
        # Daily sales are read in (store, day) order and sorted to be grouped: the fewer the
        # keys, the cheaper (SQLite, a year of 1.5M order lines: by SKU alone, as SKU rows
        # are, about 60 % of the time by store, marketplace and SKU takes).
        categories = category_map(session, scope=where.scope)
        if len(where.scope.store_ids) == 1:
            [store_id] = where.scope.store_ids
            rows = repository.shipped(session, where=where, keys=["sku"], windows=windows)
            return _summed(rows, names, lambda row: categories.of(store_id, row.sku))
        rows = repository.shipped(session, where=where, keys=["sku", "store_id"], windows=windows)
        return _summed(rows, names, lambda row: categories.of(row.store_id, row.sku))
    key_name = SHIPPED_BY_GROUP[group_by]
    rows = repository.shipped(session, where=where, keys=[key_name], windows=windows)
    return _summed(rows, names, lambda row: _key_text(getattr(row, key_name)))


def _group_rows(
    session: Session, *, where: Where, period: Period, group_by: GroupBy, figures: _Figures
) -> list[ExplorerRow]:
    if group_by in TIME_GROUPS:
        return _time_rows(figures, group_by)
    windows = _windows_of(period)
    names = [w.name for w in windows]
    returned = _returned_sums(session, where=where, group_by=group_by, windows=windows)
    by_group = group_by in SHIPPED_BY_GROUP
    if by_group:
        shipped = _shipped_sums(session, where=where, group_by=group_by, windows=windows)
    else:
        # Shipped units have no such attribute: every group is divided by all of them.
        every: Sums = {
            "period": figures.totals().units_shipped,
            "days_30": figures.window(30).units_shipped,
            "days_90": figures.window(90).units_shipped,
        }
        shipped = defaultdict(lambda: every)
    nothing: Sums = dict.fromkeys(names, 0)
    codes = (
        repository.marketplace_codes(session, ids=[k for k in returned if k is not None])
        if group_by == GroupBy.MARKETPLACE
        else {}
    )
    rows = []
    for key, sums in returned.items():
        if not sums["period"]:
            continue
        out = shipped.get(key, nothing) if by_group else shipped[key]
        rows.append(
            ExplorerRow(
                key=key,
                label=_label(group_by, key, codes),
                units_returned=sums["period"],
                units_shipped=out["period"] if by_group else None,
                return_rate=calc.rate(sums["period"], out["period"]),
                units_returned_30_days=sums["days_30"],
                return_rate_30_days=calc.rate(sums["days_30"], out["days_30"]),
                units_returned_90_days=sums["days_90"],
                return_rate_90_days=calc.rate(sums["days_90"], out["days_90"]),
            )
        )
    return rows


def _sort_value(row: ExplorerRow, key: str) -> Any:
    if key == "change":
        if row.history is None or row.return_rate is None:
            return None
        if row.history.previous_return_rate is None:
            return None
        return row.return_rate - row.history.previous_return_rate
    if key == "label":
        return row.label.casefold()
    if key == "key":
        return row.key
    return getattr(row, key)


def _sorted(rows: list[ExplorerRow], sort: SortRequest) -> list[ExplorerRow]:
    """Sorted by the key, missing values last either way, then by label."""
    known = [row for row in rows if _sort_value(row, sort.key) is not None]
    missing = [row for row in rows if _sort_value(row, sort.key) is None]
    known.sort(key=lambda row: row.label.casefold())
    known.sort(key=lambda row: _sort_value(row, sort.key), reverse=sort.descending)
    missing.sort(key=lambda row: row.label.casefold())
    return known + missing


def _breakdown(rows: list[ExplorerRow], group_by: GroupBy) -> list[ExplorerRow]:
    if group_by in TIME_GROUPS:
        return sorted(rows, key=lambda row: row.key or "")
    ranked = sorted(rows, key=lambda row: (-row.units_returned, row.label.casefold()))
    return ranked[:BREAKDOWN_GROUPS]


@dataclasses.dataclass(frozen=True)
class _Computed:
    where: Where
    figures: _Figures
    # Unsorted, every group.
    rows: list[ExplorerRow]


# Figures are the same for everyone looking at the same stores, filters and period until the
# next import (or a change of the reason map): sorting, paging and exporting reuse them.
# Few entries: a SKU grouping holds a row per SKU.
_results: VersionedCache[_Computed] = VersionedCache(max_entries=8)


def _compute(
    session: Session, *, scope: Scope, filters: ExplorerFilters, period: Period, group_by: GroupBy
) -> _Computed:
    where = where_of(session, scope=scope, filters=filters)
    figures = _figures(session, where=where, period=period)
    rows = _group_rows(session, where=where, period=period, group_by=group_by, figures=figures)
    return _Computed(where, figures, rows)


def _computed(
    session: Session, *, scope: Scope, filters: ExplorerFilters, period: Period, group_by: GroupBy
) -> _Computed:
    version = import_service.data_version(session, store_ids=scope.store_ids)
    rules = reason_service.rules_for(session, store_ids=scope.store_ids)
    reason_map = tuple(
        sorted((store_id, tuple(sorted(r.items()))) for store_id, r in rules.items())
    )
    key = (
        scope.store_ids,
        scope.marketplace_ids,
        filters,
        period.date_from,
        period.date_to,
        group_by,
        version,
        reason_map,
        current_locale(),
    )
    return _results.get_or_compute(
        key,
        lambda: _compute(session, scope=scope, filters=filters, period=period, group_by=group_by),
    )


def explore(
    session: Session,
    *,
    scope: Scope,
    filters: ExplorerFilters,
    period: Period,
    group_by: GroupBy,
    interval: Interval | None,
    sort: SortRequest,
    page: PageRequest,
) -> ExplorerPage:
    """One page of groups, with the totals, trend and breakdown of every group."""
    computed = _computed(session, scope=scope, filters=filters, period=period, group_by=group_by)
    figures = computed.figures
    rows = list(computed.rows)
    if group_by == GroupBy.SKU and sort.key == "change":
        rows = _with_history(session, where=computed.where, period=period, rows=rows, every=True)
    rows = _sorted(rows, sort)
    items = rows[page.offset : page.offset + page.page_size]
    if group_by == GroupBy.SKU and sort.key != "change":
        items = _with_history(session, where=computed.where, period=period, rows=items, every=False)
    chosen = interval_of(period, group_by, interval)
    return ExplorerPage(
        period=period,
        group_by=group_by,
        interval=chosen,
        shipped_by_group=group_by in SHIPPED_BY_GROUP or group_by in TIME_GROUPS,
        totals=figures.totals(),
        trend=[
            ExplorerBucket(
                start=bucket.start,
                end=bucket.end,
                units_returned=bucket.returned,
                units_shipped=bucket.shipped,
                return_rate=calc.rate(bucket.returned, bucket.shipped),
            )
            for bucket in figures.buckets(chosen)
        ],
        breakdown=_breakdown(rows, group_by),
        items=items,
        total=len(rows),
        page=page.page,
        page_size=page.page_size,
        sort=("-" if sort.descending else "") + sort.key,
    )


def export_rows(
    session: Session,
    *,
    scope: Scope,
    filters: ExplorerFilters,
    period: Period,
    group_by: GroupBy,
    sort: SortRequest,
) -> Iterator[dict[str, Any]]:
    """Every group of the filter in the table's order, flat, for CSV and Excel."""
    computed = _computed(session, scope=scope, filters=filters, period=period, group_by=group_by)
    rows = list(computed.rows)
    if group_by == GroupBy.SKU:
        rows = _with_history(session, where=computed.where, period=period, rows=rows, every=True)
    for row in _sorted(rows, sort):
        yield {
            **row.model_dump(exclude={"history"}),
            "group_by": group_by.value,
            "previous_return_rate": row.history.previous_return_rate if row.history else None,
            "return_rate_365_days": row.history.return_rate_365_days if row.history else None,
            "materially_higher": row.history.materially_higher if row.history else None,
        }


def export_source(
    *,
    scope: Scope,
    filters: ExplorerFilters,
    period: Period,
    group_by: GroupBy,
    sort: SortRequest,
) -> Callable[[Session], Iterator[dict[str, Any]]]:
    return lambda session: export_rows(
        session, scope=scope, filters=filters, period=period, group_by=group_by, sort=sort
    )


def clear_cache() -> None:
    explorer_filters.clear_cache()
    _results.clear()
