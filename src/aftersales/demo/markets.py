"""The five demo marketplaces (US, CA, UK, DE, JP) and the facts that shape their reports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Marketplace:
    """Facts about one Amazon marketplace that shape its reports."""

    code: str
    marketplace_id: str
    domain: str
    sales_channel: str
    currency: str
    language: str
    comment_dialect: str
    tax_included: bool
    price_factor: float
    demand_factor: float
    utc_offset_hours: int
    order_prefixes: tuple[str, ...]
    fulfillment_centers: tuple[str, ...]
    outbound_carriers: tuple[str, ...]
    removal_carrier: str
    commission_basis_points: int
    feedback_header: tuple[str, ...]
    feedback_date_format: str
    relay_domain: str
    volume_unit: str

    @property
    def is_yen(self) -> bool:
        return self.currency == "JPY"


ENGLISH_FEEDBACK = ("Date", "Rating", "Comments", "Your Response", "Order ID", "Rater Email")
GERMAN_FEEDBACK = (
    "Datum",
    "Bewertung",
    "Kommentare",
    "Ihre Antwort",
    "Bestellnummer",
    "E-Mail-Adresse des Bewerters",
)
JAPANESE_FEEDBACK = ("日付", "評価", "コメント", "回答", "注文番号", "評価者のEメール")

MARKETPLACES: dict[str, Marketplace] = {
    "US": Marketplace(
        code="US",
        marketplace_id="ATVPDKIKX0DER",
        domain="amazon.com",
        sales_channel="Amazon.com",
        currency="USD",
        language="en",
        comment_dialect="en",
        tax_included=False,
        price_factor=1.0,
        demand_factor=1.15,
        utc_offset_hours=-5,
        order_prefixes=("111", "112", "113", "114"),
        fulfillment_centers=("LEX1", "PHX6", "ONT8", "SDF8", "MDW2", "TPA1"),
        outbound_carriers=("AMZN_US", "AMZN_US", "UPS", "USPS"),
        removal_carrier="UPS",
        commission_basis_points=1500,
        feedback_header=ENGLISH_FEEDBACK,
        feedback_date_format="%m/%d/%y",
        relay_domain="marketplace.amazon.com",
        volume_unit="cubic feet",
    ),
    "CA": Marketplace(
        code="CA",
        marketplace_id="A2EUQ1WTGCTBG2",
        domain="amazon.ca",
        sales_channel="Amazon.ca",
        currency="CAD",
        language="en",
        comment_dialect="en",
        tax_included=False,
        price_factor=1.35,
        demand_factor=0.5,
        utc_offset_hours=-5,
        order_prefixes=("701", "702"),
        fulfillment_centers=("YYZ4", "YYZ7", "YVR2"),
        outbound_carriers=("AMZN_CA", "CANADA_POST"),
        removal_carrier="UPS",
        commission_basis_points=1500,
        feedback_header=ENGLISH_FEEDBACK,
        feedback_date_format="%d/%m/%y",
        relay_domain="marketplace.amazon.ca",
        volume_unit="cubic feet",
    ),
    "UK": Marketplace(
        code="UK",
        marketplace_id="A1F83G8C2ARO7P",
        domain="amazon.co.uk",
        sales_channel="Amazon.co.uk",
        currency="GBP",
        language="en",
        comment_dialect="uk",
        tax_included=True,
        price_factor=0.85,
        demand_factor=0.8,
        utc_offset_hours=0,
        order_prefixes=("202", "203", "204", "206"),
        fulfillment_centers=("LTN1", "BHX4", "MAN1", "EUK5"),
        outbound_carriers=("AMZN_UK", "ROYAL_MAIL", "DPD"),
        removal_carrier="DHL",
        commission_basis_points=1530,
        feedback_header=ENGLISH_FEEDBACK,
        feedback_date_format="%d/%m/%y",
        relay_domain="marketplace.amazon.co.uk",
        volume_unit="cubic feet",
    ),
    "DE": Marketplace(
        code="DE",
        marketplace_id="A1PA6795UKMFR9",
        domain="amazon.de",
        sales_channel="Amazon.de",
        currency="EUR",
        language="de",
        comment_dialect="de",
        tax_included=True,
        price_factor=0.95,
        demand_factor=0.9,
        utc_offset_hours=1,
        order_prefixes=("302", "303", "304", "305", "306"),
        fulfillment_centers=("FRA3", "DTM2", "LEJ1", "MUC3"),
        outbound_carriers=("DHL", "DHL", "AMZN_DE", "DPD"),
        removal_carrier="DHL",
        commission_basis_points=1500,
        feedback_header=GERMAN_FEEDBACK,
        feedback_date_format="%d.%m.%y",
        relay_domain="marketplace.amazon.de",
        volume_unit="cubic meters",
    ),
    "JP": Marketplace(
        code="JP",
        marketplace_id="A1VC38T7YXB528",
        domain="amazon.co.jp",
        sales_channel="Amazon.co.jp",
        currency="JPY",
        language="ja",
        comment_dialect="ja",
        tax_included=True,
        price_factor=150.0,
        demand_factor=0.9,
        utc_offset_hours=9,
        order_prefixes=("503", "506"),
        fulfillment_centers=("NRT1", "NRT5", "KIX2", "FSZ1"),
        outbound_carriers=("AMZN_JP", "YAMATO", "JAPAN_POST"),
        removal_carrier="YAMATO",
        commission_basis_points=1000,
        feedback_header=JAPANESE_FEEDBACK,
        feedback_date_format="%y/%m/%d",
        relay_domain="marketplace.amazon.co.jp",
        volume_unit="cubic meters",
    ),
}
