"""The returns explorer's inputs: the period, each SKU's category (from its newest
inventory planning row), and the filters turned into the repository's ``Where``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from aftersales.amazon.return_reasons import Responsible
from aftersales.exceptions import InvalidInput
from aftersales.imports import service as import_service
from aftersales.kit.cache import VersionedCache
from aftersales.kit.i18n import N_
from aftersales.kit.query import day_start
from aftersales.kit.scope import Scope
from aftersales.models import FbaReturn
from aftersales.returns import repository as return_repository
from aftersales.returns_analytics import explorer_repository as repository
from aftersales.returns_analytics import reason_service
from aftersales.returns_analytics.explorer_repository import SkuLists, Where, Window
from aftersales.returns_analytics.explorer_schemas import NO_CATEGORY, ExplorerFilters, Period

DEFAULT_DAYS = 90
PRESET_DAYS = (30, 90, 365)
# Three years: the previous period of a SKU then reaches six years back.
MAX_DAYS = 1096


def today() -> date:
    return datetime.now(UTC).date()


def window(name: str, first: date, last: date) -> Window:
    """The UTC days [first, last] as a repository window."""
    return Window(name, day_start(first), day_start(last + timedelta(days=1)))


def as_date(value: Any) -> date:
    """A day column's value: ``date`` (PostgreSQL) or ISO text (SQLite)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def period_of(
    *, date_from: date | None, date_to: date | None, days: int | None, today: date
) -> Period:
    """The period asked for: ``days`` (a preset) up to ``date_to`` wins over ``date_from``;
    by default the 90 days up to today."""
    last = date_to or today
    if days is not None:
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(N_("a period is 1 to %(max)s days long"), max=MAX_DAYS, field="days")
        first = last - timedelta(days=days - 1)
    else:
        first = date_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(N_("the start date is after the end date"), field="date_from")
    length = (last - first).days + 1
    if length > MAX_DAYS:
        raise InvalidInput(
            N_("a period is 1 to %(max)s days long"), max=MAX_DAYS, field="date_from"
        )
    if first.year < 2000 or last.year > 9000:
        raise InvalidInput(N_("the dates must be between 2000 and 9000"), field="date_from")
    return Period(date_from=first, date_to=last, days=length)


def _reasons_by_store(
    session: Session, *, scope: Scope, responsibility: Responsible
) -> dict[int, tuple[tuple[str, ...], bool]]:
    """Per store, the reason codes present in its returns that its map (defaults and
    overrides) gives to ``responsibility``, and whether returns without a reason count."""
    rules = reason_service.rules_for(session, store_ids=scope.store_ids)
    found: dict[int, tuple[tuple[str, ...], bool]] = {}
    for store_id in scope.store_ids:
        overrides = rules.get(store_id, {})
        present = return_repository.distinct_values(
            session, scope=Scope(store_ids=(store_id,)), column=FbaReturn.reason
        )
        codes = tuple(
            code
            for code in present
            if reason_service.rule_of(overrides, code).responsible == responsibility
        )
        without = reason_service.rule_of(overrides, None).responsible == responsibility
        found[store_id] = (codes, without)
    return found


@dataclasses.dataclass(frozen=True)
class CategoryMap:
    """Each (store, SKU)'s product group, from its newest planning row with one."""

    by_sku: dict[tuple[int, str], str]
    # (snapshot date, row id) of the row each category came from.
    seen: dict[tuple[int, str], tuple[date, int]]

    def of(self, store_id: int, sku: str) -> str | None:
        return self.by_sku.get((store_id, sku))

    def names(self) -> list[str]:
        return sorted(set(self.by_sku.values()), key=str.casefold)

    def newest_of_sku(self, sku: str) -> str | None:
        """Over the stores: the category of the newest row naming one."""
        found = [(seen, key) for key, seen in self.seen.items() if key[1] == sku]
        return self.by_sku[max(found)[1]] if found else None

    def sku_lists(self, scope: Scope, wanted: set[str | None]) -> SkuLists:
        """Per store of the scope: the SKUs whose category is wanted (None: without one),
        as an IN list, or, when None is wanted, as the NOT IN list of the others."""
        lists: SkuLists = {}
        for store_id in scope.store_ids:
            skus = [(sku, name) for (store, sku), name in self.by_sku.items() if store == store_id]
            if None in wanted:
                lists[store_id] = (tuple(sorted(s for s, n in skus if n not in wanted)), True)
            else:
                lists[store_id] = (tuple(sorted(s for s, n in skus if n in wanted)), False)
        return lists


# The map changes only with an import: cached per stores and data version.
_category_cache: VersionedCache[CategoryMap] = VersionedCache(max_entries=64)


def category_map(session: Session, *, scope: Scope) -> CategoryMap:
    version = import_service.data_version(session, store_ids=scope.store_ids)

    def compute() -> CategoryMap:
        rows = repository.category_rows(session, scope=scope)
        return CategoryMap(
            by_sku={(row.store_id, row.sku): str(row.category) for row in rows},
            seen={(row.store_id, row.sku): (as_date(row.snapshot_date), row.id) for row in rows},
        )

    return _category_cache.get_or_compute((scope.store_ids, version), compute)


def clear_cache() -> None:
    _category_cache.clear()


def where_of(session: Session, *, scope: Scope, filters: ExplorerFilters) -> Where:
    skus_by_store: SkuLists | None = None
    if filters.category is not None:
        wanted = None if filters.category == NO_CATEGORY else filters.category
        skus_by_store = category_map(session, scope=scope).sku_lists(scope, {wanted})
    return Where(
        scope=scope,
        q=filters.q,
        fc=filters.fc.upper() if filters.fc else None,
        reason=filters.reason,
        disposition=filters.disposition,
        reasons_by_store=(
            _reasons_by_store(session, scope=scope, responsibility=filters.responsibility)
            if filters.responsibility is not None
            else None
        ),
        skus_by_store=skus_by_store,
    )
