"""Ship-from addresses: a plan's own copy and the addresses a store saves for reuse, cleaned
and checked against what createInboundPlan requires."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.inbound import calc
from aftersales.inbound import repository as inbound_repository
from aftersales.inbound.schemas import Address
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.models import InboundPlan, ShipFromAddress


class AddressNotFound(NotFound):
    code = "ship_from_address_not_found"


LABEL_LENGTH = 80
# Schema field → column of a plan or a saved address.
ADDRESS_COLUMNS = {
    "name": "ship_from_name",
    "company": "ship_from_company",
    "line1": "ship_from_line1",
    "line2": "ship_from_line2",
    "city": "ship_from_city",
    "state": "ship_from_state",
    "postal_code": "ship_from_postal_code",
    "country_code": "ship_from_country_code",
    "phone": "ship_from_phone",
    "email": "ship_from_email",
}


def raise_problem(problem: calc.Problem) -> None:
    raise InvalidInput(problem.message, field=problem.field, **problem.params)


def address_of(row: InboundPlan | ShipFromAddress) -> calc.Address:
    return calc.Address(**{key: getattr(row, column) for key, column in ADDRESS_COLUMNS.items()})


def address_out(row: InboundPlan | ShipFromAddress) -> Address:
    address = address_of(row)
    return Address(**{key: getattr(address, key) for key in ADDRESS_COLUMNS})


def set_address(row: InboundPlan | ShipFromAddress, address: calc.Address) -> None:
    for key, column in ADDRESS_COLUMNS.items():
        setattr(row, column, getattr(address, key))


def checked(address: Address, *, allow_empty: bool) -> calc.Address:
    """The address trimmed (country code in capitals); a plan may have none yet, anything
    else must be complete and valid (a 422 naming the first field that is not)."""
    values = {key: value.strip() for key, value in address.model_dump().items()}
    values["country_code"] = values["country_code"].upper()
    cleaned = calc.Address(**values)
    if allow_empty and cleaned.empty:
        return cleaned
    for problem in calc.address_problems(cleaned):
        raise_problem(problem)
    return cleaned


def list_addresses(session: Session, *, scope: Scope) -> list[tuple[ShipFromAddress, Address]]:
    return [
        (row, address_out(row))
        for row in inbound_repository.addresses(session, store_ids=scope.store_ids)
    ]


def save_address(
    session: Session, *, access: Access, store_id: int, label: str, address: Address
) -> ShipFromAddress:
    """Save (or replace, by label) a ship-from address of the store for reuse."""
    access.require(store_id, Permission.PLAN)
    label = label.strip()
    if not label or len(label) > LABEL_LENGTH:
        raise InvalidInput(
            N_("give the address a name of at most %(limit)s characters"),
            limit=LABEL_LENGTH,
            field="label",
        )
    cleaned = checked(address, allow_empty=False)
    row = inbound_repository.address_by_label(session, store_id=store_id, label=label)
    if row is None:
        row = ShipFromAddress(store_id=store_id, label=label, created_at=datetime.now(UTC))
        session.add(row)
    set_address(row, cleaned)
    session.flush()
    return row


def address_row(session: Session, *, access: Access, address_id: int) -> ShipFromAddress:
    """A saved address of one of the user's stores (404 otherwise)."""
    row = inbound_repository.address_in(
        session, store_ids=tuple(access.stores), address_id=address_id
    )
    if row is None:
        raise AddressNotFound(N_("no such ship-from address"))
    return row


def delete_address(session: Session, *, access: Access, address_id: int) -> None:
    row = address_row(session, access=access, address_id=address_id)
    access.require(row.store_id, Permission.PLAN)
    session.delete(row)
    session.flush()
