"""The pure inbound arithmetic: case-pack rounding, box checks, address checks, the
createInboundPlan body and the upload sheet's grid, with hand-computed expectations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftersales.inbound import calc, formats


@pytest.mark.parametrize(
    ("requested", "case_pack", "quantity", "boxes"),
    [
        (898, 50, 900, 18),  # 898 / 50 = 17.96 → 18 packs
        (900, 50, 900, 18),  # already whole
        (1, 24, 24, 1),
        (37, None, 37, None),  # no case pack: as asked
        (37, 1, 37, None),  # a pack of one is loose units
    ],
)
def test_round_up_to_whole_case_packs(
    requested: int, case_pack: int | None, quantity: int, boxes: int | None
) -> None:
    rounded = calc.round_to_case_pack(requested, case_pack)
    assert (rounded.quantity, rounded.boxes) == (quantity, boxes)
    assert rounded.changed is (quantity != requested)


def test_rounding_note_says_what_moved_and_why() -> None:
    note = calc.rounding_note(898, 900, 50)
    assert note is not None
    assert note.message % note.params == "898 → 900: rounded up to whole case packs of 50"
    assert calc.rounding_note(900, 900, 50) is None
    by_hand = calc.rounding_note(898, 905, 50)
    assert by_hand is not None
    assert by_hand.message % by_hand.params == "898 → 905: changed by hand"


def _fields(problems: list[calc.Problem]) -> list[str]:
    return [problem.field for problem in problems]


def test_box_checks() -> None:
    ok = calc.box_problems(quantity=900, units_per_box=50, boxes=18, max_quantity=10000)
    assert ok == []
    assert calc.box_problems(quantity=37, units_per_box=None, boxes=None, max_quantity=10000) == []
    assert _fields(
        calc.box_problems(quantity=0, units_per_box=None, boxes=None, max_quantity=10)
    ) == ["quantity"]
    too_many = calc.box_problems(quantity=11, units_per_box=None, boxes=None, max_quantity=10)
    assert too_many[0].params == {"limit": 10}
    # Boxes without units per box and the other way round.
    assert _fields(
        calc.box_problems(quantity=50, units_per_box=None, boxes=1, max_quantity=99)
    ) == ["units_per_box"]
    assert _fields(
        calc.box_problems(quantity=50, units_per_box=50, boxes=None, max_quantity=99)
    ) == ["boxes"]
    # 2 boxes of 50 are 100 units, not 90.
    [mismatch] = calc.box_problems(quantity=90, units_per_box=50, boxes=2, max_quantity=999)
    assert mismatch.field == "quantity"
    assert mismatch.params["total"] == 100


def test_address_checks_name_each_field() -> None:
    complete = calc.Address(
        name="Li Wei",
        line1="88 Keyuan Road",
        city="Shenzhen",
        postal_code="518057",
        country_code="CN",
        phone="+86 755 1234 5678",
    )
    assert calc.address_problems(complete) == []
    missing = calc.Address(name="Li Wei", line1="88 Keyuan Road", country_code="CN")
    assert _fields(calc.address_problems(missing)) == [
        "ship_from.city",
        "ship_from.postal_code",
        "ship_from.phone",
    ]
    bad_country = calc.Address(**{**vars_of(complete), "country_code": "XX"})
    [problem] = calc.address_problems(bad_country)
    assert problem.field == "ship_from.country_code"
    assert problem.params == {"code": "XX"}
    # EU is a grouping, not a country.
    assert calc.address_problems(calc.Address(**{**vars_of(complete), "country_code": "EU"}))


def vars_of(address: calc.Address) -> dict[str, str]:
    return {name: getattr(address, name) for name in address.__slots__}


def test_amazon_prep_and_label_refused_in_the_us_from_2026() -> None:
    line = calc.Line(sku="A", quantity=10, label_owner="AMAZON", prep_owner="SELLER")
    end = formats.amazon_services_end("US")
    assert end == date(2026, 1, 1)
    before = calc.owner_problems(
        line, marketplace_code="US", services_end=end, today=date(2025, 12, 31)
    )
    assert before == []
    [after] = calc.owner_problems(
        line, marketplace_code="US", services_end=end, today=date(2026, 1, 1)
    )
    assert after.field == "label_owner"
    assert formats.amazon_services_end("DE") is None


ADDRESS = calc.Address(
    name="Li Wei",
    company="Acme",
    line1="88 Keyuan Road",
    city="Shenzhen",
    postal_code="518057",
    country_code="CN",
    phone="+86 755 1234 5678",
)


def test_create_inbound_plan_body_leaves_out_empty_optional_fields() -> None:
    body = calc.create_inbound_plan_body(
        name="November sea",
        marketplace_id="ATVPDKIKX0DER",
        address=ADDRESS,
        lines=[
            calc.Line(
                sku="A-1",
                quantity=900,
                label_owner="SELLER",
                prep_owner="NONE",
                units_per_box=50,
                boxes=18,
                expiration=date(2027, 3, 1),
            ),
            calc.Line(sku="B-2", quantity=7, label_owner="NONE", prep_owner="SELLER"),
        ],
    )
    assert body == {
        "name": "November sea",
        "destinationMarketplaces": ["ATVPDKIKX0DER"],
        "sourceAddress": {
            "name": "Li Wei",
            "companyName": "Acme",
            "addressLine1": "88 Keyuan Road",
            "city": "Shenzhen",
            "postalCode": "518057",
            "countryCode": "CN",
            "phoneNumber": "+86 755 1234 5678",
        },
        "items": [
            {
                "msku": "A-1",
                "quantity": 900,
                "labelOwner": "SELLER",
                "prepOwner": "NONE",
                "expiration": "2027-03-01",
            },
            {"msku": "B-2", "quantity": 7, "labelOwner": "NONE", "prepOwner": "SELLER"},
        ],
    }
    assert formats.schema_problems(body) == []


def test_manifest_grid_follows_the_template_layout() -> None:
    layout = formats.manifest_layout()
    grid = calc.manifest_grid(
        layout,
        lines=[
            calc.Line(
                sku="A-1",
                quantity=900,
                label_owner="SELLER",
                prep_owner="NONE",
                units_per_box=50,
                boxes=18,
                box_length=Decimal("60"),
                box_width=Decimal("40"),
                box_height=Decimal("35"),
                box_weight=Decimal("12.5"),
                expiration=date(2027, 3, 1),
            ),
            calc.Line(
                sku="B-2",
                quantity=7,
                label_owner="SELLER",
                prep_owner="SELLER",
                box_weight=Decimal("3"),
            ),
        ],
        length_unit="cm",
        weight_unit="kg",
        default_prep_owner="SELLER",
        default_label_owner="SELLER",
    )
    assert grid[0][0] == "Please review the Example tab before you complete this sheet"
    assert grid[2][:2] == ["Default prep owner", "Seller"]
    assert grid[3][:2] == ["Default labeling owner", "Seller"]
    assert grid[7] == [
        "Merchant SKU",
        "Quantity",
        "Prep owner",
        "Labeling owner",
        "Expiration date (MM/DD/YYYY)",
        "Units per box",
        "Number of boxes",
        "Box length (cm)",
        "Box width (cm)",
        "Box height (cm)",
        "Box weight (kg)",
    ]
    # NONE is written as Seller: the template offers Seller and Amazon only.
    assert grid[8] == [
        "A-1",
        900,
        "Seller",
        "Seller",
        "03/01/2027",
        50,
        18,
        Decimal("60"),
        Decimal("40"),
        Decimal("35"),
        Decimal("12.5"),
    ]
    # Loose units: the case-pack columns stay empty (even a box weight).
    assert grid[9] == ["B-2", 7, "Seller", "Seller", None, None, None, None, None, None, None]
    assert len(grid) == 10
