"""JSON API: who am I, my stores, a store's members."""

from __future__ import annotations

from fastapi import APIRouter

from aftersales.accounts import service as account_service
from aftersales.accounts.schemas import MemberOut, MeOut, StoreOut
from aftersales.web.deps import ApiAccess, ApiUser, DbSession, ObjectId

router = APIRouter(tags=["accounts"])


def _stores(access: account_service.Access) -> list[StoreOut]:
    return [
        StoreOut(id=s.store_id, name=s.name, region=s.region, role=s.role)
        for s in sorted(access.stores.values(), key=lambda s: s.name)
    ]


@router.get("/me", response_model=MeOut)
def me(user: ApiUser, access: ApiAccess) -> MeOut:
    return MeOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        locale=user.locale,
        stores=_stores(access),
    )


@router.get("/stores", response_model=list[StoreOut])
def stores(access: ApiAccess) -> list[StoreOut]:
    return _stores(access)


@router.get("/stores/{store_id}", response_model=StoreOut)
def store(access: ApiAccess, store_id: ObjectId) -> StoreOut:
    found = access.stores.get(store_id)
    if found is None:
        raise account_service.StoreNotVisible("no such store")
    return StoreOut(id=found.store_id, name=found.name, region=found.region, role=found.role)


@router.get("/stores/{store_id}/members", response_model=list[MemberOut])
def members(session: DbSession, access: ApiAccess, store_id: ObjectId) -> list[MemberOut]:
    return [
        MemberOut(
            user_id=m.user_id,
            email=m.email,
            display_name=m.display_name,
            role=m.role,
            since=m.since,
        )
        for m in account_service.list_members(session, access=access, store_id=store_id)
    ]
