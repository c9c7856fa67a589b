"""The vendored createInboundPlan schema: where it comes from, and that it accepts Amazon's
own example and refuses what Amazon would refuse, naming the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aftersales.exceptions import InvalidInput
from aftersales.inbound import formats

# The request example of the model's sandbox (createInboundPlan 202 response).
AMAZON_EXAMPLE: dict[str, Any] = {
    "name": "FBA (03/20/2024, 12:01 PM)",
    "sourceAddress": {
        "name": "name",
        "companyName": "Acme",
        "addressLine1": "123 example street",
        "addressLine2": "Unit 102",
        "city": "Toronto",
        "countryCode": "CA",
        "stateOrProvinceCode": "ON",
        "postalCode": "M1M1M1",
        "phoneNumber": "1234567890",
        "email": "email@email.com",
    },
    "destinationMarketplaces": ["A2EUQ1WTGCTBG2"],
    "items": [
        {
            "msku": "msku",
            "prepOwner": "AMAZON",
            "labelOwner": "AMAZON",
            "quantity": 2,
            "expiration": "2024-01-01",
            "manufacturingLotCode": "lotCode",
        }
    ],
}


def test_the_schema_names_its_source_and_commit() -> None:
    schema = formats.create_inbound_plan_schema()
    source = schema["x-source"]
    assert source["repository"] == "amzn/selling-partner-api-models"
    assert source["path"].endswith("fulfillmentInbound_2024-03-20.json")
    assert len(source["commit"]) == 40
    assert schema["effective"] == "2024-03-20"
    assert formats.item_limits() == (10000, 2000)


def test_amazons_example_is_valid() -> None:
    assert formats.schema_problems(AMAZON_EXAMPLE) == []
    formats.validate_create_inbound_plan(AMAZON_EXAMPLE)


def _broken(change: Any) -> dict[str, Any]:
    body = copy.deepcopy(AMAZON_EXAMPLE)
    change(body)
    return body


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        # Undocumented in the guides but required by the model (python-amazon-sp-api #3778).
        (lambda b: b["sourceAddress"].pop("phoneNumber"), "sourceAddress.phoneNumber", "required"),
        (lambda b: b["sourceAddress"].pop("postalCode"), "sourceAddress.postalCode", "required"),
        (
            lambda b: b["sourceAddress"].update(countryCode="cn"),
            "sourceAddress.countryCode",
            "does not match",
        ),
        (
            lambda b: b["items"][0].update(labelOwner="WAREHOUSE"),
            "items[0].labelOwner",
            "is not one of",
        ),
        (lambda b: b["items"][0].update(prepOwner="seller"), "items[0].prepOwner", "is not one of"),
        (lambda b: b["items"][0].update(quantity=10001), "items[0].quantity", "maximum of 10000"),
        (lambda b: b["items"][0].update(quantity=0), "items[0].quantity", "minimum of 1"),
        (lambda b: b["items"][0].update(msku="X" * 41), "items[0].msku", "too long"),
        (
            lambda b: b["items"][0].update(expiration="2024-13-01"),
            "items[0].expiration",
            "does not match",
        ),
        (
            lambda b: b.update(destinationMarketplaces=["A", "B"]),
            "destinationMarketplaces",
            "too long",
        ),
        (lambda b: b.update(items=[]), "items", "should be non-empty"),
        (lambda b: b.pop("sourceAddress"), "sourceAddress", "required"),
    ],
)
def test_invalid_bodies_name_the_field(change: Any, field: str, words: str) -> None:
    body = _broken(change)
    problems = formats.schema_problems(body)
    assert problems, "the schema accepted a body Amazon refuses"
    assert problems[0][0] == field
    assert words in problems[0][1]
    with pytest.raises(InvalidInput) as raised:
        formats.validate_create_inbound_plan(body)
    assert raised.value.details["field"] == field
    assert field in raised.value.message
