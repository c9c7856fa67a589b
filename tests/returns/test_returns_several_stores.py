"""Pages over several stores are merged from each store's own sorted rows, in exact order."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aftersales.kit.pagination import PageRequest
from aftersales.kit.scope import Scope
from aftersales.models import Store
from aftersales.returns import service as returns_service
from aftersales.returns.schemas import ReturnFilters
from aftersales.stores import service as store_service
from tests.returns.builders import add_return


@pytest.mark.parametrize(
    "sort", ["-return_date", "return_date", "sku", "-quantity", "reason", "-disposition"]
)
def test_every_page_matches_one_sort_of_all_rows(session: Session, store: Store, sort: str) -> None:
    other = store_service.add_store(session, name="second-eu", region="EU")
    reasons = ["DEFECTIVE", None, "UNWANTED_ITEM", "SWITCHEROO"]
    dispositions = ["SELLABLE", "DEFECTIVE", None]
    for number in range(23):
        owner = store if number % 3 else other
        add_return(
            session,
            owner,
            when=f"2026-05-{1 + number % 17:02d}T{number % 24:02d}:00:00",
            sku=f"SKU-{(number * 7) % 11:02d}",
            quantity=1 + number % 4,
            reason=reasons[number % 4],
            disposition=dispositions[number % 3],
        )
    session.flush()
    scope = Scope(store_ids=(store.id, other.id))
    sort_request = returns_service.parse_sort(sort)
    expected = [
        row.id
        for row in returns_service.iter_returns(
            session, scope=scope, filters=ReturnFilters(), sort=sort_request
        )
    ]
    assert len(expected) == 23
    pages: list[int] = []
    for number in range(1, 6):
        page = returns_service.list_returns(
            session,
            scope=scope,
            filters=ReturnFilters(),
            sort=sort_request,
            page=PageRequest(page=number, page_size=5),
        )
        pages.extend(row.id for row in page.items)
        assert page.total == 23
    assert pages == expected
    assert {row.store_name for row in page.items} <= {store.name, other.name}
