"""Report type detection and column mapping from real headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from aftersales.amazon.reports import HeaderError, detect

SAMPLES = Path(__file__).parents[2].parent / "shared" / "amazon" / "samples" / "airbyte"
DATA = Path(__file__).parents[1] / "data"

AIRBYTE = {
    "GET_AFN_INVENTORY_DATA.csv": "GET_AFN_INVENTORY_DATA",
    "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL.csv": "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL",
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.csv": "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA.csv": "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA",
    "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA.csv": "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA",
    "GET_FBA_INVENTORY_PLANNING_DATA.csv": "GET_FBA_INVENTORY_PLANNING_DATA",
    "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA.csv": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
    "GET_FBA_REIMBURSEMENTS_DATA.csv": "GET_FBA_REIMBURSEMENTS_DATA",
    "GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE.csv": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE.csv": "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
    "GET_SELLER_FEEDBACK_DATA.csv": "GET_SELLER_FEEDBACK_DATA",
    "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE.csv": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
}


def _header(path: Path, encoding: str = "utf-8") -> list[str]:
    return path.read_text(encoding).splitlines()[0].split("\t")


@pytest.mark.parametrize(("sample", "expected"), sorted(AIRBYTE.items()))
def test_airbyte_headers_are_detected(sample: str, expected: str) -> None:
    if not SAMPLES.exists():
        pytest.skip("shared/amazon/samples not beside the checkout")
    assert detect(_header(SAMPLES / sample)).report_type == expected


def test_help_page_spellings_are_aliases() -> None:
    columns = detect(_header(DATA / "removal_shipments_helpnames.txt"))
    assert columns.report_type == "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA"
    assert {"request-date", "shipped-quantity"} <= set(columns.present())


def test_restock_alternative_country_header_is_mapped() -> None:
    header = [c.strip('"') for c in _header(DATA / "restock_de_quoted.txt", "cp1252")]
    columns = detect(header)
    assert columns.report_type == "GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT"
    assert columns.header_name("country") == "Country/Region Code"


def test_unknown_header_names_what_it_saw() -> None:
    with pytest.raises(HeaderError, match=r"unknown report.*colour"):
        detect(["colour", "size", "weight"])


def test_missing_required_column_is_named() -> None:
    header = _header(DATA / "fba_returns_us.txt")
    header.remove("quantity")
    with pytest.raises(HeaderError, match="required column\\(s\\) missing: quantity"):
        detect(header, "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA")


def test_translated_feedback_header_reveals_marketplace() -> None:
    columns = detect(_header(DATA / "feedback_de.txt", "cp1252"))
    assert columns.report_type == "GET_SELLER_FEEDBACK_DATA"
    assert columns.header_marketplace == "DE"


def test_unknown_translation_maps_by_position_when_type_is_given() -> None:
    columns = detect(
        ["Data", "Valutazione", "Commenti", "La tua risposta", "Numero ordine", "Email"],
        "GET_SELLER_FEEDBACK_DATA",
    )
    assert [f.name for f in columns.fields if f] == [
        "date",
        "rating",
        "comments",
        "your-response",
        "order-id",
        "rater-email",
    ]


def test_unknown_report_type_lists_supported_ones() -> None:
    with pytest.raises(HeaderError, match="supported: GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"):
        detect(["a"], "GET_SOMETHING_ELSE")
