"""Returns exports: every matching row streamed to CSV (Excel-readable UTF-8) and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy.orm import Session

from aftersales.kit import i18n
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column, iter_csv, write_xlsx
from aftersales.models import Store
from aftersales.returns import service as return_service
from aftersales.returns.schemas import ReturnFilters
from tests.returns.builders import add_return
from tests.returns.xlsx_reading import EMPTY, read_cells

NEWEST_FIRST = return_service.parse_sort(None)


@pytest.fixture
def two_returns(session: Session, store: Store) -> None:
    add_return(
        session,
        store,
        when="2026-05-01T08:30:00",
        sku="LM-KT-0042",
        quantity=3,
        reason="DEFECTIVE",
        disposition="DEFECTIVE",
        product_name="电子秤, 5kg",
        lpn="LPN1",
        order_id="114-0000001-0000001",
    )
    add_return(session, store, when="2026-05-02T09:00:00", sku="LM-KT-0043", lpn="LPN2")


def test_csv_export(session: Session, store: Store, two_returns: None) -> None:
    rows = return_service.iter_returns(
        session, scope=Scope((store.id,)), filters=ReturnFilters(), sort=NEWEST_FIRST
    )
    data = b"".join(iter_csv(return_service.EXPORT_COLUMNS, rows))
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:5] == ["Return date", "Store", "Marketplace", "Order ID", "SKU"]
    assert len(table) == 3
    record = dict(zip(table[0], table[2], strict=True))
    assert record["Return date"] == "2026-05-01T08:30:00+00:00"
    assert record["Product"] == "电子秤, 5kg"
    assert record["Quantity"] == "3"
    assert record["Reason (description)"] == "Defective or does not work"
    assert record["LPN"] == "LPN1"
    assert record["Customer comments"] == ""


def test_csv_header_is_translated_when_written(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogs = {"zh_CN": {"Quantity": "数量"}}
    monkeypatch.setattr(i18n, "_catalog", lambda locale: catalogs.get(locale, {}))
    columns = [Column("sku", "SKU"), Column("quantity", "Quantity")]
    with i18n.use_locale("zh_CN"):
        data = b"".join(iter_csv(columns, [{"sku": "A", "quantity": 1}]))
    assert data.decode("utf-8-sig").splitlines() == ["SKU,数量", "A,1"]


def test_csv_streams_in_chunks() -> None:
    rows = ({"sku": f"SKU-{n:06d}", "note": "x" * 100} for n in range(3000))
    chunks = list(iter_csv([Column("sku", "SKU"), Column("note", "Note")], rows))
    assert len(chunks) > 3
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 3001


def test_xlsx_export(session: Session, store: Store, two_returns: None) -> None:
    rows = return_service.iter_returns(
        session, scope=Scope((store.id,)), filters=ReturnFilters(), sort=NEWEST_FIRST
    )
    target = io.BytesIO()
    write_xlsx(return_service.EXPORT_COLUMNS, rows, target)
    cells = read_cells(target.getvalue())
    header = [text for _kind, _style, text in cells[0]]
    assert header[:5] == ["Return date", "Store", "Marketplace", "Order ID", "SKU"]
    assert len(cells) == 3
    oldest = dict(zip(header, cells[2], strict=False))
    kind, style, serial = oldest["Return date"]
    # A real date: a number with a date format, 2026-05-01 08:30 as an Excel serial.
    assert (kind, style is not None) == ("", True)
    excel_epoch = date(1899, 12, 30)
    assert float(serial or 0) == pytest.approx((date(2026, 5, 1) - excel_epoch).days + 8.5 / 24)
    assert oldest["Quantity"] == ("", None, "3")
    assert oldest["Product"] == ("inlineStr", None, "电子秤, 5kg")


def test_xlsx_dates_and_missing_values() -> None:
    target = io.BytesIO()
    write_xlsx(
        [Column("day", "Day"), Column("rate", "Rate"), Column("note", "Note")],
        [{"day": date(2026, 5, 2), "rate": None, "note": "ok"}],
        target,
    )
    cells = read_cells(target.getvalue())
    serial = str((date(2026, 5, 2) - date(1899, 12, 30)).days)
    day, rate, note = cells[1]
    # A number with a (date) number format, no value for None, text as text.
    assert (day[0], day[1] is not None, day[2]) == ("", True, serial)
    assert (rate, note) == (EMPTY, ("inlineStr", None, "ok"))
