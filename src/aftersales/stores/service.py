"""Create and find stores; pick the store an import goes to."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from aftersales.amazon.marketplaces import Region
from aftersales.exceptions import Conflict, InvalidInput, NotFound
from aftersales.kit.i18n import N_
from aftersales.models import Store
from aftersales.stores import repository as store_repository

DEFAULT_STORE = "default"


class StoreNotFound(NotFound):
    code = "store_not_found"


class StoreExists(Conflict):
    code = "store_exists"


class StoreAmbiguous(InvalidInput):
    code = "store_ambiguous"


def add_store(session: Session, *, name: str, region: str, merchant_id: str | None = None) -> Store:
    name = name.strip()
    if not name:
        raise InvalidInput(N_("a store needs a name"))
    try:
        parsed_region = Region(region.strip().upper())
    except ValueError as error:
        raise InvalidInput(
            N_("unknown region %(region)r: use NA, EU or FE"), region=region
        ) from error
    if store_repository.by_name(session, name):
        raise StoreExists(N_("a store named %(name)r already exists"), name=name)
    store = Store(
        name=name, region=parsed_region.value, merchant_id=merchant_id, created_at=datetime.now(UTC)
    )
    return store_repository.add(session, store)


def get_store(session: Session, *, name: str) -> Store:
    store = store_repository.by_name(session, name)
    if store is None:
        raise StoreNotFound(
            N_("no store named %(name)r; create it with `aftersales stores add`"), name=name
        )
    return store


def list_stores(session: Session) -> list[Store]:
    return store_repository.all_stores(session)


def store_for_import(session: Session, *, name: str | None, region_hint: Region | None) -> Store:
    """The named store; else the only one; else, on an empty database, a store named `default`."""
    if name:
        return get_store(session, name=name)
    stores = store_repository.all_stores(session)
    if len(stores) == 1:
        return stores[0]
    if not stores:
        return add_store(session, name=DEFAULT_STORE, region=(region_hint or Region.NA).value)
    raise StoreAmbiguous(
        f"there are {len(stores)} stores ({', '.join(s.name for s in stores)}): pass --store NAME"
    )
