"""JSON API for returns analytics: a SKU's return profile; each store's reason map, with
overrides set and reset by managers and owners."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from aftersales.returns_analytics import reason_service
from aftersales.returns_analytics import service as analytics_service
from aftersales.returns_analytics.schemas import (
    ReasonMap,
    ReasonMapEntry,
    ReasonOverrideUpdate,
    SkuProfile,
)
from aftersales.web.deps import ApiAccess, ApiScope, DbSession, ObjectId

router = APIRouter(tags=["returns analytics"])


def _visible_store(access: ApiAccess, store_id: ObjectId) -> int:
    # Before the body is read: another store's URL is a 404 whatever the body holds.
    access.role_in(store_id)
    return store_id


VisibleStore = Annotated[int, Depends(_visible_store)]


@router.get("/returns/sku/{sku:path}", response_model=SkuProfile)
def sku_profile(
    session: DbSession,
    scope: ApiScope,
    sku: str,
    as_of: Annotated[
        date | None, Query(description="Last UTC day of the figures (default: today).")
    ] = None,
) -> SkuProfile:
    return analytics_service.sku_profile(
        session, scope=scope, sku=sku, as_of=as_of or datetime.now(UTC).date()
    )


@router.get("/return-reasons", response_model=list[ReasonMap])
def reason_maps(
    session: DbSession,
    access: ApiAccess,
    store_id: Annotated[
        list[int] | None, Query(description="Limit to these stores (default: all of yours).")
    ] = None,
) -> list[ReasonMap]:
    return reason_service.maps_for(session, access=access, store_ids=tuple(store_id or ()))


@router.put("/return-reasons/{store_id}/{reason_code}", response_model=ReasonMapEntry)
def set_reason(
    session: DbSession,
    access: ApiAccess,
    store_id: VisibleStore,
    reason_code: str,
    update: ReasonOverrideUpdate,
) -> ReasonMapEntry:
    return reason_service.set_override(
        session,
        access=access,
        store_id=store_id,
        reason_code=reason_code,
        responsible=update.responsible,
        action=update.action,
    )


@router.delete("/return-reasons/{store_id}/{reason_code}", response_model=ReasonMapEntry)
def clear_reason(
    session: DbSession, access: ApiAccess, store_id: VisibleStore, reason_code: str
) -> ReasonMapEntry:
    return reason_service.clear_override(
        session, access=access, store_id=store_id, reason_code=reason_code
    )
