"""Planning settings: the store's lead times per marketplace, velocity rule, restock limits
and thresholds, and per-product overrides (lead-time parts, rule, case pack, MOQ)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.i18n import N_
from aftersales.models import ReplenishmentResult, ReplenishmentSettings, ReplenishmentSkuSettings
from aftersales.replenishment.schemas import (
    PlanningSettings,
    PlanningSettingsValues,
    SkuSettings,
    SkuSettingsValues,
)


class SkuSettingsNotFound(NotFound):
    code = "sku_settings_not_found"


def _now() -> datetime:
    return datetime.now(UTC)


def default_store(access: Access, store_id: int | None, permission: Permission) -> int:
    """The store a request means: the one asked for, else the only one the user may plan."""
    if store_id is not None:
        access.require(store_id, permission)
        return store_id
    allowed = access.store_ids_with(permission)
    if len(allowed) == 1:
        return allowed[0]
    if not allowed:
        access.require(next(iter(access.stores), 0), permission)
    raise InvalidInput(N_("choose a store (store_id)"), field="store_id")


def _check_marketplaces(values: PlanningSettingsValues) -> PlanningSettingsValues:
    """Marketplace codes resolved and written as codes (US, DE…), unknown ones refused."""
    lead_times = {}
    for code, lead_time in values.marketplace_lead_times.items():
        found = marketplaces.resolve(code)
        if found is None:
            raise InvalidInput(
                N_("marketplace_lead_times: unknown marketplace %(code)s"),
                code=code,
                field="marketplace_lead_times",
            )
        lead_times[found.code] = lead_time
    limits = []
    seen: set[tuple[str, str]] = set()
    for limit in values.restock_limits:
        found = marketplaces.resolve(limit.marketplace)
        if found is None:
            raise InvalidInput(
                N_("restock_limits: unknown marketplace %(code)s"),
                code=limit.marketplace,
                field="restock_limits",
            )
        key = (found.code, limit.storage_type.strip().lower())
        if key in seen:
            raise InvalidInput(
                N_("restock_limits: %(marketplace)s %(storage)s is listed twice"),
                marketplace=key[0],
                storage=key[1],
                field="restock_limits",
            )
        seen.add(key)
        limits.append(limit.model_copy(update={"marketplace": key[0], "storage_type": key[1]}))
    return values.model_copy(
        update={"marketplace_lead_times": lead_times, "restock_limits": limits}
    )


def settings_values(session: Session, *, store_id: int) -> PlanningSettingsValues:
    """The store's settings without a permission check (for runs and jobs)."""
    row = _row(session, store_id)
    return PlanningSettingsValues.model_validate(row.values) if row else PlanningSettingsValues()


def _row(session: Session, store_id: int) -> ReplenishmentSettings | None:
    return session.scalars(
        select(ReplenishmentSettings).where(ReplenishmentSettings.store_id == store_id)
    ).one_or_none()


def get_settings(session: Session, *, access: Access, store_id: int) -> PlanningSettings:
    access.require(store_id, Permission.VIEW)
    row = _row(session, store_id)
    return PlanningSettings(
        store_id=store_id,
        values=PlanningSettingsValues.model_validate(row.values)
        if row
        else PlanningSettingsValues(),
        updated_at=row.updated_at if row else None,
    )


def update_settings(
    session: Session, *, access: Access, store_id: int, values: PlanningSettingsValues
) -> PlanningSettings:
    access.require(store_id, Permission.PLAN)
    document = _check_marketplaces(values).model_dump(mode="json")
    row = _row(session, store_id)
    if row is None:
        row = ReplenishmentSettings(store_id=store_id, values=document, updated_at=_now())
        session.add(row)
    else:
        row.values = document
        row.updated_at = _now()
    row.updated_by_id = access.user_id
    session.flush()
    return get_settings(session, access=access, store_id=store_id)


# --- per-product overrides ------------------------------------------------------------------------


def sku_settings_of(
    session: Session, *, store_id: int, skus: Sequence[str] | None = None
) -> dict[str, SkuSettingsValues]:
    """The store's product overrides by SKU (for runs; no permission check)."""
    statement = select(ReplenishmentSkuSettings).where(
        ReplenishmentSkuSettings.store_id == store_id
    )
    if skus is not None:
        statement = statement.where(ReplenishmentSkuSettings.sku.in_(list(skus)))
    return {
        row.sku: SkuSettingsValues.model_validate(row.values) for row in session.scalars(statement)
    }


def _sku_row(session: Session, store_id: int, sku: str) -> ReplenishmentSkuSettings | None:
    return session.scalars(
        select(ReplenishmentSkuSettings).where(
            ReplenishmentSkuSettings.store_id == store_id, ReplenishmentSkuSettings.sku == sku
        )
    ).one_or_none()


def list_sku_settings(session: Session, *, access: Access, store_id: int) -> list[SkuSettings]:
    access.require(store_id, Permission.VIEW)
    rows = session.scalars(
        select(ReplenishmentSkuSettings)
        .where(ReplenishmentSkuSettings.store_id == store_id)
        .order_by(ReplenishmentSkuSettings.sku)
    )
    return [
        SkuSettings(
            store_id=store_id,
            sku=row.sku,
            values=SkuSettingsValues.model_validate(row.values),
            updated_at=row.updated_at,
        )
        for row in rows
    ]


def get_sku_settings(session: Session, *, access: Access, store_id: int, sku: str) -> SkuSettings:
    """A product's overrides (empty until saved)."""
    access.require(store_id, Permission.VIEW)
    row = _sku_row(session, store_id, sku)
    return SkuSettings(
        store_id=store_id,
        sku=sku,
        values=SkuSettingsValues.model_validate(row.values) if row else SkuSettingsValues(),
        updated_at=row.updated_at if row else None,
    )


def update_sku_settings(
    session: Session, *, access: Access, store_id: int, sku: str, values: SkuSettingsValues
) -> SkuSettings:
    access.require(store_id, Permission.PLAN)
    sku = sku.strip()
    if not sku or len(sku) > 80:
        raise InvalidInput(N_("sku: 1 to 80 characters"), field="sku")
    document = values.model_dump(mode="json", exclude_none=True)
    row = _sku_row(session, store_id, sku)
    if row is None:
        row = ReplenishmentSkuSettings(
            store_id=store_id, sku=sku, values=document, updated_at=_now()
        )
        session.add(row)
    else:
        row.values = document
        row.updated_at = _now()
    session.flush()
    return get_sku_settings(session, access=access, store_id=store_id, sku=sku)


def delete_sku_settings(session: Session, *, access: Access, store_id: int, sku: str) -> None:
    access.require(store_id, Permission.PLAN)
    row = _sku_row(session, store_id, sku)
    if row is None:
        raise SkuSettingsNotFound(N_("%(sku)s has no own settings"), sku=sku)
    session.delete(row)
    session.flush()


def planned_marketplace_codes(session: Session, *, store_id: int) -> list[str]:
    """Codes of the marketplaces of the store's listings in its last replenishment run."""
    ids = session.execute(
        select(ReplenishmentResult.marketplace_id)
        .where(ReplenishmentResult.store_id == store_id)
        .distinct()
    ).scalars()
    return sorted(found.code for found in map(marketplaces.by_id, ids) if found is not None)
