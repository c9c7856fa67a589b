"""A report format: its fields, the header that identifies it, and how rows find their marketplace."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from aftersales.amazon.reports.fields import Field, normalize_header


class MarketplaceSource(StrEnum):
    """Where a row's marketplace comes from when the report carries it."""

    NONE = "none"  # only --marketplace (or the matching order) can tell
    SALES_CHANNEL = "sales-channel"  # Amazon.com, Amazon.de
    COUNTRY = "country"  # US, DE
    HEADER_LANGUAGE = "header-language"  # localized headers (seller feedback)


@dataclass(frozen=True, slots=True)
class ReportSpec:
    report_type: str
    title: str
    fields: tuple[Field, ...]
    # Canonical names that must all be in a header for it to be this report.
    signature: frozenset[str]
    # Report types with the same layout (e.g. _BY_LAST_UPDATE_ beside _BY_ORDER_DATE_).
    same_layout: tuple[str, ...] = ()
    marketplace_source: MarketplaceSource = MarketplaceSource.NONE
    marketplace_field: str | None = None
    # Only rows whose `row_filter[0]` equals one of `row_filter[1]` are imported (settlement
    # refunds); the others are counted as skipped.
    row_filter: tuple[str, frozenset[str]] | None = None
    # Undated inventory reports: the import gives every row one snapshot date.
    needs_snapshot_date: bool = False
    # Seller feedback headers are translated; columns always come in this order.
    positional: bool = False
    # Localized header aliases → marketplace code they reveal (e.g. German → DE).
    header_languages: dict[str, str] = field(default_factory=dict)

    def all_types(self) -> tuple[str, ...]:
        return (self.report_type, *self.same_layout)

    def field_for(self, header: str) -> Field | None:
        wanted = normalize_header(header)
        for item in self.fields:
            if wanted == item.name or wanted in item.aliases:
                return item
        return None

    def by_name(self, name: str) -> Field:
        return next(item for item in self.fields if item.name == name)
