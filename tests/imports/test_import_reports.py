"""Every supported report imports from a real-format sample, and a second import changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.models import (
    FbaReturn,
    ImportBatch,
    InventorySnapshot,
    Order,
    OrderItem,
    Product,
    Refund,
    Reimbursement,
    RemovalOrder,
    RemovalShipment,
    SellerFeedback,
    SellerReturn,
    Store,
)
from tests.conftest import run_import

# file, marketplace option, report type, rows, inserted, skipped
SAMPLES = [
    ("fba_returns_us.txt", "US", "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", 4, 4, 0),
    ("fba_returns_jp_cp932.txt", "JP", "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA", 2, 2, 0),
    (
        "all_orders_us_ca.txt.gz",
        None,
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        5,
        5,
        0,
    ),
    ("reimbursements_us_cp1252.txt", "US", "GET_FBA_REIMBURSEMENTS_DATA", 3, 3, 0),
    ("myi_inventory_us.txt", "US", "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", 2, 2, 0),
    ("afn_inventory.txt", "US", "GET_AFN_INVENTORY_DATA", 2, 2, 0),
    ("inventory_planning.txt", None, "GET_FBA_INVENTORY_PLANNING_DATA", 2, 2, 0),
    ("restock_de_quoted.txt", None, "GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT", 1, 1, 0),
    ("removal_orders.txt", "US", "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA", 2, 2, 0),
    (
        "removal_shipments_helpnames.txt",
        "US",
        "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA",
        1,
        1,
        0,
    ),
    ("seller_returns.txt", "US", "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", 1, 1, 0),
    ("feedback_us.txt", None, "GET_SELLER_FEEDBACK_DATA", 2, 2, 0),
    ("feedback_de.txt", None, "GET_SELLER_FEEDBACK_DATA", 1, 1, 0),
    ("feedback_jp.txt", None, "GET_SELLER_FEEDBACK_DATA", 1, 1, 0),
    ("settlement_v2.txt", None, "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", 6, 4, 2),
    ("settlement_v1.txt", None, "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE", 4, 2, 2),
]


@pytest.mark.parametrize(
    ("name", "marketplace", "report_type", "rows", "inserted", "skipped"),
    SAMPLES,
    ids=[s[0] for s in SAMPLES],
)
def test_sample_imports_then_reimport_changes_nothing(
    session: Session,
    store: Store,
    name: str,
    marketplace: str | None,
    report_type: str,
    rows: int,
    inserted: int,
    skipped: int,
) -> None:
    first = run_import(session, name, marketplace=marketplace, snapshot_date=date(2026, 11, 20))
    assert (first.report_type, first.rows, first.inserted, first.skipped) == (
        report_type,
        rows,
        inserted,
        skipped,
    )
    assert (first.updated, first.rejected, first.errors) == (0, 0, [])
    second = run_import(session, name, marketplace=marketplace, snapshot_date=date(2026, 11, 20))
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, inserted)
    assert session.scalar(select(func.count()).select_from(ImportBatch)) == 2


def test_returns_are_typed_and_normalised(session: Session, store: Store) -> None:
    run_import(session, "fba_returns_us.txt", marketplace="US")
    rows = {r.license_plate_number: r for r in session.scalars(select(FbaReturn))}
    pacific = rows["LPNBBBBBBBBB"]
    assert pacific.return_date == datetime(2026, 5, 14, 18, 30, tzinfo=UTC)
    assert pacific.marketplace_id == "ATVPDKIKX0DER"
    assert rows["LPNAAAAAAAAA"].customer_comments == 'stopped heating after 2 days, "useless"'
    assert rows["LPNAAAAAAAAA"].quantity == 1
    assert rows["LPNNC5N165ZVR"].customer_comments is None
    skus = set(session.scalars(select(Product.sku).where(Product.store_id == store.id)))
    assert skus == {"LM-KT-0042-BLK", "LM-KT-0043-RED", "LM-AP-0001-M"}


def test_encodings_are_decoded_not_garbled(session: Session, store: Store) -> None:
    jp = run_import(session, "fba_returns_jp_cp932.txt", marketplace="JP")
    cp1252 = run_import(session, "reimbursements_us_cp1252.txt", marketplace="US")
    assert (jp.encoding, cp1252.encoding) == ("cp932", "cp1252")
    names = set(session.scalars(select(FbaReturn.product_name).where(FbaReturn.sku.like("SK-JP%"))))
    assert "ステンレス製 電気ケトル 1.0L" in names
    comment = session.scalar(
        select(FbaReturn.customer_comments).where(FbaReturn.license_plate_number == "LPNJPJPJPJP1")
    )
    assert comment == "箱が破損していました"
    titles = set(session.scalars(select(Reimbursement.product_name)))
    assert "Digital kitchen scale® Café edition" in titles


def test_gzip_and_bom_files_hold_the_same_rows(session: Session, store: Store) -> None:
    plain = run_import(session, "all_orders_us_ca.txt")
    packed = run_import(session, "all_orders_us_ca.txt.gz")
    assert plain.encoding == "utf-8-sig"
    assert (plain.inserted, packed.inserted, packed.unchanged) == (5, 0, 5)


def test_orders_split_into_orders_and_items_with_marketplace_from_row(
    session: Session, store: Store
) -> None:
    run_import(session, "all_orders_us_ca.txt.gz", marketplace="DE")
    orders = {o.amazon_order_id: o for o in session.scalars(select(Order))}
    assert len(orders) == 4
    assert orders["702-0000000-1111111"].marketplace_id == "A2EUQ1WTGCTBG2"  # Amazon.ca, not DE
    assert orders["114-2962899-5762619"].marketplace_id == "ATVPDKIKX0DER"
    items = session.scalars(
        select(OrderItem).where(OrderItem.amazon_order_id == "114-1111111-2222222")
    ).all()
    assert sorted((i.sku, i.quantity, i.item_price) for i in items) == [
        ("LM-KT-0042-BLK", 1, Decimal("25.99")),
        ("LM-KT-0043-RED", 2, Decimal("59.98")),
    ]
    cancelled = session.scalars(
        select(OrderItem).where(OrderItem.amazon_order_id == "702-0000000-1111111")
    ).one()
    assert (cancelled.quantity, cancelled.item_status, cancelled.item_price) == (0, None, None)


def test_returns_without_marketplace_take_it_from_their_order(
    session: Session, store: Store
) -> None:
    run_import(session, "fba_returns_us.txt")
    assert (
        session.scalar(
            select(func.count()).select_from(FbaReturn).where(FbaReturn.marketplace_id.is_(None))
        )
        == 4
    )
    run_import(session, "all_orders_us_ca.txt.gz")
    matched = session.scalars(
        select(FbaReturn.marketplace_id).where(FbaReturn.amazon_order_id == "114-1111111-2222222")
    ).one()
    assert matched == "ATVPDKIKX0DER"
    again = run_import(session, "fba_returns_us.txt")
    assert (again.updated, again.unchanged) == (0, 4)


def test_reordered_and_extra_columns(session: Session, store: Store) -> None:
    result = run_import(session, "fba_returns_reordered_extra.txt", marketplace="US")
    assert result.inserted == 2
    row = session.scalars(
        select(FbaReturn).where(FbaReturn.license_plate_number == "LPNAAAAAAAAA")
    ).one()
    assert (row.amazon_order_id, row.sku, row.fulfillment_center_id, row.reason) == (
        "114-1111111-2222222",
        "LM-KT-0043-RED",
        "PHX6",
        "DEFECTIVE",
    )
    assert row.extra == {"grade": "Gold", "internal-note": "x1"}


def test_reimbursement_money_and_reversal(session: Session, store: Store) -> None:
    run_import(session, "reimbursements_us_cp1252.txt", marketplace="US")
    rows = {r.reimbursement_id: r for r in session.scalars(select(Reimbursement))}
    assert rows["12345678902"].amount_total == Decimal("44.20")
    reversal = rows["12345678903"]
    assert (reversal.amount_total, reversal.quantity_reimbursed_cash) == (Decimal("-22.10"), -1)
    assert reversal.original_reimbursement_id == "12345678902"


def test_settlement_keeps_refund_lines_only(session: Session, store: Store) -> None:
    run_import(session, "settlement_v2.txt")
    refunds = session.scalars(select(Refund).order_by(Refund.amount)).all()
    assert [(r.amount_type, r.amount_description, r.amount) for r in refunds] == [
        ("ItemPrice", "Principal", Decimal("-29.99")),
        ("ItemPrice", "Tax", Decimal("-1.20")),
        ("ItemFees", "RefundCommission", Decimal("-0.90")),
        ("ItemFees", "Commission", Decimal("4.50")),
    ]
    assert {(r.currency, r.marketplace_id, r.amazon_order_id) for r in refunds} == {
        ("USD", "ATVPDKIKX0DER", "114-1111111-2222222")
    }
    run_import(session, "settlement_v1.txt")
    v1 = session.scalars(
        select(Refund).where(Refund.settlement_id == "12345678901").order_by(Refund.amount)
    ).all()
    assert [(r.amount_type, r.amount, r.posted_date) for r in v1] == [
        ("ItemPrice", Decimal("-19.99"), datetime(2023, 1, 5, 10, tzinfo=UTC)),
        ("ItemFees", Decimal("0.64"), datetime(2023, 1, 5, 10, tzinfo=UTC)),
    ]


def test_feedback_dates_follow_the_marketplace(session: Session, store: Store) -> None:
    for name in ("feedback_us.txt", "feedback_de.txt", "feedback_jp.txt"):
        run_import(session, name)
    rows = {f.amazon_order_id: f for f in session.scalars(select(SellerFeedback))}
    assert rows["114-1111111-2222222"].feedback_date == date(2026, 9, 3)  # 9/3/26 read as US m/d/y
    german = rows["302-1234567-1234567"]
    assert (german.feedback_date, german.marketplace_id, german.comments) == (
        date(2026, 10, 20),
        "A1PA6795UKMFR9",
        "Ware kam beschädigt an, sehr ärgerlich",
    )
    assert rows["503-1234567-7654321"].feedback_date == date(2026, 10, 20)


def test_ambiguous_short_dates_need_a_marketplace(session: Session, store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "feedback.txt"
    path.write_text(
        "Date\tRating\tComments\tYour Response\tOrder ID\tRater Email\n3/4/26\t1\tbad\t\t114-1\t\n"
    )
    from aftersales.imports.service import ImportRejected

    with pytest.raises(ImportRejected, match="pass --marketplace"):
        run_import(session, path)
    session.rollback()
    result = run_import(session, path, marketplace="UK")
    assert result.inserted == 1
    assert session.scalar(select(SellerFeedback.feedback_date)) == date(2026, 4, 3)


def test_inventory_buckets_per_source(session: Session, store: Store) -> None:
    run_import(session, "myi_inventory_us.txt", marketplace="US", snapshot_date=date(2026, 11, 20))
    run_import(session, "afn_inventory.txt", marketplace="US", snapshot_date=date(2026, 11, 20))
    run_import(session, "inventory_planning.txt")
    run_import(session, "restock_de_quoted.txt")
    rows = session.scalars(
        select(InventorySnapshot).where(InventorySnapshot.sku == "LM-KT-0042-BLK")
    ).all()
    by_source = {
        (r.source, r.marketplace_id, r.condition if r.source == "afn" else None): r for r in rows
    }
    myi = by_source[("myi", "ATVPDKIKX0DER", None)]
    assert (myi.fulfillable, myi.unfulfillable, myi.reserved, myi.inbound_shipped, myi.total) == (
        120,
        4,
        6,
        20,
        150,
    )
    assert myi.snapshot_date == date(2026, 11, 20)
    planning_ca = by_source[("planning", "A2EUQ1WTGCTBG2", None)]
    assert planning_ca.fulfillable == 15
    restock = by_source[("restock", "A1PA6795UKMFR9", None)]
    assert (restock.fulfillable, restock.reserved, restock.inbound_shipped) == (40, 10, 10)
    afn = [r for r in rows if r.source == "afn"]
    assert {(r.fulfillable, r.unfulfillable) for r in afn} == {(None, 4), (120, None)}


def test_undated_snapshot_reuses_the_first_import_date(session: Session, store: Store) -> None:
    first = run_import(
        session, "myi_inventory_us.txt", marketplace="US", snapshot_date=date(2026, 1, 2)
    )
    again = run_import(session, "myi_inventory_us.txt", marketplace="US")
    assert (first.inserted, again.inserted, again.unchanged) == (2, 0, 2)
    assert set(session.scalars(select(InventorySnapshot.snapshot_date))) == {date(2026, 1, 2)}


def test_removals_and_seller_returns(session: Session, store: Store) -> None:
    run_import(session, "removal_orders.txt", marketplace="US")
    run_import(session, "removal_shipments_helpnames.txt", marketplace="US")
    run_import(session, "seller_returns.txt", marketplace="US")
    order = session.scalars(select(RemovalOrder).where(RemovalOrder.order_id == "RMV-0001")).one()
    assert (order.shipped_quantity, order.removal_fee, order.currency) == (
        3,
        Decimal("3.42"),
        "USD",
    )
    shipment = session.scalars(select(RemovalShipment)).one()
    assert (shipment.shipped_quantity, shipment.carrier, shipment.request_date) == (
        3,
        "UPS",
        datetime(2026, 6, 1, 10, tzinfo=UTC),
    )
    fbm = session.scalars(select(SellerReturn)).one()
    assert (fbm.a_to_z_claim, fbm.is_prime, fbm.in_policy, fbm.label_cost) == (
        False,
        True,
        True,
        Decimal("6.50"),
    )
