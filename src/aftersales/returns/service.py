"""FBA returns for lists, exports and detail pages, always limited to the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.imports import service as import_service
from aftersales.kit.cache import VersionedCache
from aftersales.kit.i18n import N_, current_locale
from aftersales.kit.pagination import PageRequest, SortRequest
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column
from aftersales.models import FbaReturn
from aftersales.returns import repository as return_repository
from aftersales.returns.repository import ResultRow
from aftersales.returns.schemas import (
    FilterOption,
    ReturnFilterOptions,
    ReturnFilters,
    ReturnPage,
    ReturnRow,
)

SORT_KEYS: tuple[str, ...] = tuple(return_repository.SORT_COLUMNS)
DEFAULT_SORT = "-return_date"
# Beyond this many matches the list says "10,000+" instead of counting every row.
COUNT_CAP = 10_000
EXPORT_CHUNK_SIZE = 2_000

EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("return_date", N_("Return date")),
    Column("store_name", N_("Store")),
    Column("marketplace_code", N_("Marketplace")),
    Column("amazon_order_id", N_("Order ID")),
    Column("sku", N_("SKU")),
    Column("asin", N_("ASIN")),
    Column("fnsku", N_("FNSKU")),
    Column("product_name", N_("Product")),
    Column("quantity", N_("Quantity")),
    Column("fulfillment_center_id", N_("Fulfilment centre")),
    Column("disposition", N_("Disposition")),
    Column("disposition_label", N_("Disposition (description)")),
    Column("reason", N_("Reason")),
    Column("reason_label", N_("Reason (description)")),
    Column("status", N_("Status")),
    Column("license_plate_number", N_("LPN")),
    Column("customer_comments", N_("Customer comments")),
)


class ReturnNotFound(NotFound):
    code = "return_not_found"


def parse_sort(raw: str | None) -> SortRequest:
    """The sort a list request asked for (``-key`` for descending); 422 when not allowed."""
    return SortRequest.parse(raw, allowed=SORT_KEYS, default=DEFAULT_SORT)


def _check(filters: ReturnFilters, sort: SortRequest) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput(N_("the start date is after the end date"), field="date_from")
    if sort.key not in SORT_KEYS:
        raise InvalidInput(N_("cannot sort returns by %(key)s"), key=sort.key, field="sort")


def _row(row: ResultRow) -> ReturnRow:
    values = row._mapping
    return ReturnRow(
        **values,
        disposition_label=vocabulary.disposition_label(values["disposition"]),
        sellable=vocabulary.is_sellable(values["disposition"]),
        reason_label=vocabulary.reason_label(values["reason"]),
    )


def list_returns(
    session: Session,
    *,
    scope: Scope,
    filters: ReturnFilters,
    sort: SortRequest,
    page: PageRequest,
) -> ReturnPage:
    _check(filters, sort)
    rows = return_repository.page_rows(
        session,
        scope=scope,
        filters=filters,
        sort=sort,
        offset=page.offset,
        limit=page.page_size,
    )
    if len(rows) < page.page_size and (rows or page.page == 1):
        # This is the last page: the total is known without counting.
        total = page.offset + len(rows)
    else:
        total = return_repository.count(session, scope=scope, filters=filters, cap=COUNT_CAP)
    return ReturnPage(
        items=[_row(row) for row in rows],
        total=min(total, COUNT_CAP),
        total_exact=total <= COUNT_CAP,
        page=page.page,
        page_size=page.page_size,
    )


def iter_returns(
    session: Session, *, scope: Scope, filters: ReturnFilters, sort: SortRequest
) -> Iterator[ReturnRow]:
    """Every matching return, fetched in chunks: for exports, consumed while the session lives."""
    _check(filters, sort)
    for row in return_repository.stream_rows(
        session, scope=scope, filters=filters, sort=sort, chunk_size=EXPORT_CHUNK_SIZE
    ):
        yield _row(row)


def get_return(session: Session, *, scope: Scope, return_id: int) -> ReturnRow:
    row = return_repository.by_id(session, scope=scope, return_id=return_id)
    if row is None:
        # Same answer for "does not exist" and "belongs to another store": no probing.
        raise ReturnNotFound(N_("no return with id %(id)s"), id=return_id)
    return _row(row)


# The codes present change only with an import: cached per scope, data version, language.
_options_cache: VersionedCache[ReturnFilterOptions] = VersionedCache(max_entries=256)


def filter_options(session: Session, *, scope: Scope) -> ReturnFilterOptions:
    """Reasons and dispositions present in the scope, labelled, for the list's dropdowns."""
    version = import_service.data_version(session, store_ids=scope.store_ids)
    key = (scope.store_ids, scope.marketplace_ids, version, current_locale())
    return _options_cache.get_or_compute(key, lambda: _filter_options(session, scope=scope))


def clear_cache() -> None:
    _options_cache.clear()


def _filter_options(session: Session, *, scope: Scope) -> ReturnFilterOptions:
    reasons = return_repository.distinct_values(session, scope=scope, column=FbaReturn.reason)
    dispositions = return_repository.distinct_values(
        session, scope=scope, column=FbaReturn.detailed_disposition
    )
    return ReturnFilterOptions(
        reasons=sorted(
            (
                FilterOption(value=code, label=vocabulary.reason_label(code) or code)
                for code in reasons
            ),
            key=lambda option: option.label.casefold(),
        ),
        dispositions=sorted(
            (
                FilterOption(value=code, label=vocabulary.disposition_label(code) or code)
                for code in dispositions
            ),
            key=lambda option: option.label.casefold(),
        ),
    )
