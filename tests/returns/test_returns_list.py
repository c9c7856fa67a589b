"""The returns list: filters, sorting, pagination, scope isolation, detail and dropdowns."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.pagination import PageRequest, SortRequest
from aftersales.kit.scope import Scope
from aftersales.models import Store
from aftersales.returns import service as return_service
from aftersales.returns.schemas import ReturnFilters
from aftersales.stores import service as store_service
from tests.conftest import run_import
from tests.returns.builders import CA, US, add_return

NEWEST_FIRST = return_service.parse_sort(None)


@pytest.fixture
def other_store(session: Session) -> Store:
    return store_service.add_store(session, name="rival-eu", region="EU")


@pytest.fixture
def returns(session: Session, store: Store) -> dict[str, int]:
    rows = {
        "scale_may_1": add_return(
            session,
            store,
            when="2026-05-01T08:00:00",
            sku="lm-kt-0042",
            asin="B00TZ73MUY",
            fnsku="X001ABCDEF",
            order_id="114-2962899-5762619",
            lpn="LPNNC5N165ZVR",
            reason="DEFECTIVE",
            disposition="DEFECTIVE",
        ),
        "kettle_may_2": add_return(
            session,
            store,
            when="2026-05-02T23:59:59",
            sku="LM-KT-0043",
            quantity=2,
            reason="UNWANTED_ITEM",
            disposition="SELLABLE",
        ),
        "shirt_may_3": add_return(
            session,
            store,
            when="2026-05-03T00:00:00",
            sku="LM-AP-0001",
            reason="APPAREL_TOO_SMALL",
            disposition="CUSTOMER_DAMAGED",
            marketplace_id=CA,
        ),
        "kettle_may_3": add_return(
            session,
            store,
            when="2026-05-03T00:00:00",
            sku="LM-KT-0043",
            reason=None,
            disposition=None,
        ),
    }
    return {name: row.id for name, row in rows.items()}


def ids(page_items: list[object]) -> list[int]:
    return [item.id for item in page_items]  # type: ignore[attr-defined]


def test_list_newest_first_with_store_and_marketplace(
    session: Session, store: Store, returns: dict[str, int]
) -> None:
    page = return_service.list_returns(
        session,
        scope=Scope((store.id,)),
        filters=ReturnFilters(),
        sort=NEWEST_FIRST,
        page=PageRequest(),
    )
    # Equal dates fall back to the id, in the same direction.
    assert ids(page.items) == [
        returns["kettle_may_3"],
        returns["shirt_may_3"],
        returns["kettle_may_2"],
        returns["scale_may_1"],
    ]
    assert (page.total, page.total_exact, page.page, page.page_size) == (4, True, 1, 50)
    shirt = page.items[1]
    assert (shirt.store_name, shirt.marketplace_code, shirt.marketplace_id) == ("acme-na", "CA", CA)
    assert shirt.reason_label == "Apparel: too small"
    assert (shirt.disposition, shirt.disposition_label, shirt.sellable) == (
        "CUSTOMER_DAMAGED",
        "Damaged by customer",
        False,
    )
    unknown = page.items[0]
    assert (unknown.reason, unknown.reason_label, unknown.sellable) == (None, None, None)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ReturnFilters(date_from="2026-05-02", date_to="2026-05-02"), ["kettle_may_2"]),
        (
            ReturnFilters(date_from="2026-05-03"),
            ["kettle_may_3", "shirt_may_3"],
        ),
        (ReturnFilters(date_to="2026-05-01"), ["scale_may_1"]),
        (ReturnFilters(q="lm-kt-0043"), ["kettle_may_3", "kettle_may_2"]),
        (ReturnFilters(q="lm-kt-004"), ["kettle_may_3", "kettle_may_2", "scale_may_1"]),
        (ReturnFilters(q="lm-kt-0042"), ["scale_may_1"]),
        (ReturnFilters(q="b00tz73"), ["scale_may_1"]),
        (ReturnFilters(q="X001ABCDEF"), ["scale_may_1"]),
        (ReturnFilters(q=" 114-2962899 "), ["scale_may_1"]),
        (ReturnFilters(q="lpnnc5n"), ["scale_may_1"]),
        (ReturnFilters(q="5762619"), []),
        (ReturnFilters(q="LM-KT-0043%"), []),
        (ReturnFilters(reason="UNWANTED_ITEM"), ["kettle_may_2"]),
        (ReturnFilters(disposition="CUSTOMER_DAMAGED"), ["shirt_may_3"]),
        (
            ReturnFilters(q="", reason=" "),
            ["kettle_may_3", "shirt_may_3", "kettle_may_2", "scale_may_1"],
        ),
        (
            ReturnFilters(date_from="2026-05-02", q="LM-KT", disposition="SELLABLE"),
            ["kettle_may_2"],
        ),
    ],
)
def test_filters(
    session: Session,
    store: Store,
    returns: dict[str, int],
    filters: ReturnFilters,
    expected: list[str],
) -> None:
    page = return_service.list_returns(
        session, scope=Scope((store.id,)), filters=filters, sort=NEWEST_FIRST, page=PageRequest()
    )
    assert ids(page.items) == [returns[name] for name in expected]
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("return_date", ["scale_may_1", "kettle_may_2", "shirt_may_3", "kettle_may_3"]),
        # Byte order (the test databases use the C collation): lower case after upper.
        ("sku", ["shirt_may_3", "kettle_may_2", "kettle_may_3", "scale_may_1"]),
        ("-sku", ["scale_may_1", "kettle_may_3", "kettle_may_2", "shirt_may_3"]),
        ("-quantity", ["kettle_may_2", "kettle_may_3", "shirt_may_3", "scale_may_1"]),
        # Missing values sort last in both directions, on every backend.
        ("reason", ["shirt_may_3", "scale_may_1", "kettle_may_2", "kettle_may_3"]),
        ("-reason", ["kettle_may_2", "scale_may_1", "shirt_may_3", "kettle_may_3"]),
        ("disposition", ["shirt_may_3", "scale_may_1", "kettle_may_2", "kettle_may_3"]),
    ],
)
def test_sorting(
    session: Session, store: Store, returns: dict[str, int], sort: str, expected: list[str]
) -> None:
    page = return_service.list_returns(
        session,
        scope=Scope((store.id,)),
        filters=ReturnFilters(),
        sort=return_service.parse_sort(sort),
        page=PageRequest(),
    )
    assert ids(page.items) == [returns[name] for name in expected]


def test_unknown_sort_key_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        return_service.parse_sort("customer_comments")


def test_inverted_date_range_is_rejected(session: Session, store: Store) -> None:
    with pytest.raises(InvalidInput):
        return_service.list_returns(
            session,
            scope=Scope((store.id,)),
            filters=ReturnFilters(date_from="2026-05-03", date_to="2026-05-01"),
            sort=NEWEST_FIRST,
            page=PageRequest(),
        )


def test_pagination(session: Session, store: Store, returns: dict[str, int]) -> None:
    scope = Scope((store.id,))
    pages = [
        return_service.list_returns(
            session,
            scope=scope,
            filters=ReturnFilters(),
            sort=SortRequest("return_date"),
            page=PageRequest(page=number, page_size=3),
        )
        for number in (1, 2, 3)
    ]
    assert ids(pages[0].items) == [
        returns[n] for n in ("scale_may_1", "kettle_may_2", "shirt_may_3")
    ]
    assert ids(pages[1].items) == [returns["kettle_may_3"]]
    assert ids(pages[2].items) == []
    assert [(p.total, p.total_exact, p.page) for p in pages] == [
        (4, True, 1),
        (4, True, 2),
        (4, True, 3),
    ]


def test_count_stops_at_the_cap(
    session: Session, store: Store, returns: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(return_service, "COUNT_CAP", 2)
    page = return_service.list_returns(
        session,
        scope=Scope((store.id,)),
        filters=ReturnFilters(),
        sort=NEWEST_FIRST,
        page=PageRequest(page_size=1),
    )
    assert (len(page.items), page.total, page.total_exact) == (1, 2, False)


def test_other_stores_never_appear(
    session: Session, store: Store, other_store: Store, returns: dict[str, int]
) -> None:
    theirs = add_return(session, other_store, when="2026-05-02T10:00:00", sku="LM-KT-0043")
    mine = Scope((store.id,))
    listed = return_service.list_returns(
        session, scope=mine, filters=ReturnFilters(q="LM-KT"), sort=NEWEST_FIRST, page=PageRequest()
    )
    assert theirs.id not in ids(listed.items)
    assert theirs.id not in [
        row.id
        for row in return_service.iter_returns(
            session, scope=mine, filters=ReturnFilters(), sort=NEWEST_FIRST
        )
    ]
    with pytest.raises(NotFound):
        return_service.get_return(session, scope=mine, return_id=theirs.id)
    assert (
        return_service.get_return(
            session, scope=Scope((other_store.id,)), return_id=theirs.id
        ).store_name
        == "rival-eu"
    )
    both = return_service.list_returns(
        session,
        scope=Scope((store.id, other_store.id)),
        filters=ReturnFilters(),
        sort=NEWEST_FIRST,
        page=PageRequest(),
    )
    assert both.total == 5


def test_marketplace_scope(session: Session, store: Store, returns: dict[str, int]) -> None:
    canada = Scope((store.id,), (CA,))
    page = return_service.list_returns(
        session, scope=canada, filters=ReturnFilters(), sort=NEWEST_FIRST, page=PageRequest()
    )
    assert ids(page.items) == [returns["shirt_may_3"]]
    with pytest.raises(NotFound):
        return_service.get_return(session, scope=canada, return_id=returns["scale_may_1"])
    assert return_service.filter_options(session, scope=Scope((store.id,), (US,))).reasons == [
        option
        for option in return_service.filter_options(session, scope=Scope((store.id,))).reasons
        if option.value != "APPAREL_TOO_SMALL"
    ]


def test_get_return(session: Session, store: Store, returns: dict[str, int]) -> None:
    row = return_service.get_return(
        session, scope=Scope((store.id,)), return_id=returns["scale_may_1"]
    )
    assert (row.sku, row.license_plate_number, row.amazon_order_id) == (
        "lm-kt-0042",
        "LPNNC5N165ZVR",
        "114-2962899-5762619",
    )
    with pytest.raises(NotFound):
        return_service.get_return(session, scope=Scope((store.id,)), return_id=10**9)


def test_filter_options_are_the_codes_present(
    session: Session, store: Store, other_store: Store, returns: dict[str, int]
) -> None:
    add_return(session, other_store, when="2026-05-02T10:00:00", reason="SWITCHEROO")
    options = return_service.filter_options(session, scope=Scope((store.id,)))
    assert [(o.value, o.label) for o in options.reasons] == [
        ("APPAREL_TOO_SMALL", "Apparel: too small"),
        ("DEFECTIVE", "Defective or does not work"),
        ("UNWANTED_ITEM", "No longer wanted"),
    ]
    assert [o.value for o in options.dispositions] == [
        "CUSTOMER_DAMAGED",
        "DEFECTIVE",
        "SELLABLE",
    ]


def test_imported_report_is_listed(session: Session, store: Store) -> None:
    run_import(session, "fba_returns_us.txt", store="acme-na", marketplace="US")
    page = return_service.list_returns(
        session,
        scope=Scope((store.id,)),
        filters=ReturnFilters(q="LM-KT-0042-BLK"),
        sort=NEWEST_FIRST,
        page=PageRequest(),
    )
    assert [(row.reason, row.disposition, row.marketplace_code) for row in page.items] == [
        ("DAMAGED_BY_FC", "DAMAGED", "US"),
        ("UNWANTED_ITEM", "SELLABLE", "US"),
    ]
    assert page.items[0].reason_label == "Damaged at the fulfilment centre"
