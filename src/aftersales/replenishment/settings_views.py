"""Planning settings pages: the store's velocity rule, lead times, restock limits and
thresholds, and one product's overrides."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from aftersales.accounts.roles import Permission
from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.i18n import gettext as _
from aftersales.replenishment import settings_service
from aftersales.replenishment.schemas import (
    WINDOWS,
    PlanningSettingsValues,
    ShippingMode,
    SkuSettingsValues,
    SpikeMode,
)
from aftersales.web.deps import DbSession, PageContext, flash, validated
from aftersales.web.templating import render

router = APIRouter()

LEAD_FIELDS = (
    "stocking_days",
    "qc_days",
    "receiving_days",
    "transfer_days",
    "safety_days",
    "cycle_days",
)
TRANSIT_FIELDS = ("sea", "air", "express")
FIELD_LABELS = {
    "stocking_days": N_("Stocking / production days"),
    "qc_days": N_("QC days"),
    "receiving_days": N_("FBA receiving and put-away days"),
    "transfer_days": N_("3PL to FBA days"),
    "safety_days": N_("Safety days"),
    "cycle_days": N_("Replenishment cycle days"),
    "sea_days": N_("First-leg transit, sea"),
    "air_days": N_("First-leg transit, air"),
    "express_days": N_("First-leg transit, express"),
}
OVERRIDE_FIELDS = (
    "stocking_days",
    "qc_days",
    "sea_days",
    "air_days",
    "express_days",
    "receiving_days",
    "transfer_days",
    "safety_days",
    "cycle_days",
)


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def _store(page: PageContext, store_id: int | None, permission: Permission) -> int:
    wanted = store_id or page.selection.store_id
    if wanted is None:
        allowed = [
            s.store_id for s in page.selection.stores if page.access.can(s.store_id, permission)
        ]
        wanted = allowed[0] if allowed else None
    return settings_service.default_store(page.access, wanted, permission)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _optional(form: FormData, name: str) -> str | None:
    return _text(form, name) or None


def _lines(text: str, field: str, parts: int) -> list[list[str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        words = line.split()
        if len(words) != parts:
            raise InvalidInput(
                N_("%(field)s, line %(line)s: expected %(parts)s values separated by spaces"),
                field=field,
                line=number,
                parts=parts,
            )
        found.append(words)
    return found


def _planned_marketplaces(
    session: DbSession, store_id: int, values: PlanningSettingsValues
) -> list[str]:
    """Codes of the marketplaces the store plans for (its listings in the last run, and any
    with a lead time of its own), in the reference data's order."""
    planned = set(settings_service.planned_marketplace_codes(session, store_id=store_id))
    planned |= set(values.marketplace_lead_times)
    return [m.code for m in marketplaces.all_marketplaces() if m.code in planned]


def _lead_form(form: FormData, prefix: str) -> dict[str, Any]:
    lead: dict[str, Any] = {name: _text(form, f"{prefix}{name}") for name in LEAD_FIELDS}
    lead["transit_days"] = {mode: _text(form, f"{prefix}transit.{mode}") for mode in TRANSIT_FIELDS}
    lead["shipping_mode"] = _text(form, f"{prefix}shipping_mode")
    lead["service_level"] = _optional(form, f"{prefix}service_level")
    lead["lead_time_deviation_days"] = _optional(form, f"{prefix}lead_time_deviation_days")
    return lead


def _marketplace_leads(form: FormData, codes: list[str]) -> dict[str, dict[str, Any]]:
    """The lead times of the marketplaces ticked "own lead time" (the others follow the
    store's)."""
    return {
        code: _lead_form(form, f"mlead.{code}.")
        for code in codes
        if form.get(f"mlead.{code}.own") == "on"
    }


def _restock_text(values: PlanningSettingsValues) -> str:
    return "\n".join(
        f"{limit.marketplace} {limit.storage_type} {limit.units}" for limit in values.restock_limits
    )


def _promotions_text(promotions: list[Any]) -> str:
    return "\n".join(f"{p.start} {p.end} {p.daily_units:g}" for p in promotions)


def _velocity(form: FormData, prefix: str) -> dict[str, Any]:
    promotions = [
        {"start": start, "end": end, "daily_units": units}
        for start, end, units in _lines(_text(form, f"{prefix}promotions"), "promotions", 3)
    ]
    return {
        "weights": {str(w): _text(form, f"{prefix}weight_{w}") or "0" for w in WINDOWS},
        "exclude_out_of_stock_days": form.get(f"{prefix}exclude_out_of_stock_days") == "on",
        "spike_mode": _text(form, f"{prefix}spike_mode") or SpikeMode.NONE.value,
        "spike_value": _optional(form, f"{prefix}spike_value"),
        "promotions": promotions,
        "seasonality": form.get(f"{prefix}seasonality") == "on",
        "sellable_return_share": _text(form, f"{prefix}sellable_return_share") or "0",
    }


@router.get("/replenishment/settings", name="replenishment_settings")
def settings_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    chosen = _store(page, store_id, Permission.VIEW)
    settings = settings_service.get_settings(session, access=page.access, store_id=chosen)
    return render(
        request,
        "replenishment/settings.html",
        {
            "active": "replenishment",
            "settings": settings,
            "stores": page.selection.stores,
            "windows": WINDOWS,
            "lead_fields": LEAD_FIELDS,
            "labels": FIELD_LABELS,
            "transit_fields": TRANSIT_FIELDS,
            "modes": [mode.value for mode in ShippingMode],
            "spike_modes": [mode.value for mode in SpikeMode],
            "restock_text": _restock_text(settings.values),
            "promotions_text": _promotions_text(settings.values.velocity.promotions),
            "marketplace_codes": _planned_marketplaces(session, chosen, settings.values),
            "can_plan": page.access.can(chosen, Permission.PLAN),
            "sku_settings": settings_service.list_sku_settings(
                session, access=page.access, store_id=chosen
            ),
        },
    )


@router.post("/replenishment/settings", name="replenishment_settings_save")
def save_settings(
    request: Request,
    session: DbSession,
    page: PageContext,
    form: Form,
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    chosen = _store(page, store_id, Permission.PLAN)
    current = settings_service.get_settings(session, access=page.access, store_id=chosen).values
    values = {
        **current.model_dump(mode="json"),
        "velocity": _velocity(form, ""),
        "lead_time": _lead_form(form, "lead."),
        "marketplace_lead_times": _marketplace_leads(
            form, _planned_marketplaces(session, chosen, current)
        ),
        "restock_limits": [
            {"marketplace": market, "storage_type": storage, "units": units}
            for market, storage, units in _lines(_text(form, "restock_limits"), "restock_limits", 3)
        ],
        "overstock_days": _text(form, "overstock_days"),
        "order_soon_days": _text(form, "order_soon_days"),
    }
    settings_service.update_settings(
        session,
        access=page.access,
        store_id=chosen,
        values=validated(PlanningSettingsValues, values),
    )
    flash(request, _("Replenishment settings saved."), "success")
    return RedirectResponse(f"/replenishment/settings?store_id={chosen}", status_code=303)


@router.get("/replenishment/settings/sku", name="replenishment_sku_settings")
def sku_settings_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    sku: Annotated[str, Query(min_length=1, max_length=80)],
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    chosen = _store(page, store_id, Permission.VIEW)
    found = settings_service.get_sku_settings(session, access=page.access, store_id=chosen, sku=sku)
    velocity = found.values.velocity
    return render(
        request,
        "replenishment/settings_sku.html",
        {
            "active": "replenishment",
            "found": found,
            "override_fields": OVERRIDE_FIELDS,
            "labels": FIELD_LABELS,
            "modes": [mode.value for mode in ShippingMode],
            "spike_modes": [mode.value for mode in SpikeMode],
            "windows": WINDOWS,
            "velocity": velocity,
            "promotions_text": _promotions_text(velocity.promotions) if velocity else "",
            "can_plan": page.access.can(chosen, Permission.PLAN),
        },
    )


@router.post("/replenishment/settings/sku", name="replenishment_sku_settings_save")
def save_sku_settings(
    request: Request,
    session: DbSession,
    page: PageContext,
    form: Form,
    sku: Annotated[str, Query(min_length=1, max_length=80)],
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    chosen = _store(page, store_id, Permission.PLAN)
    if form.get("delete") == "1":
        settings_service.delete_sku_settings(session, access=page.access, store_id=chosen, sku=sku)
        flash(request, _("Own settings of %(sku)s removed.", sku=sku), "success")
        return RedirectResponse(f"/replenishment/settings?store_id={chosen}", status_code=303)
    lead = {name: _optional(form, f"lead.{name}") for name in OVERRIDE_FIELDS}
    lead["shipping_mode"] = _optional(form, "lead.shipping_mode")
    lead["service_level"] = _optional(form, "lead.service_level")
    values: dict[str, Any] = {
        "lead_time": lead,
        "velocity": _velocity(form, "velocity.") if form.get("own_velocity") == "on" else None,
        "case_pack": _optional(form, "case_pack"),
        "moq": _optional(form, "moq"),
        "storage_type": _optional(form, "storage_type"),
    }
    settings_service.update_sku_settings(
        session,
        access=page.access,
        store_id=chosen,
        sku=sku,
        values=validated(SkuSettingsValues, values),
    )
    flash(request, _("Settings of %(sku)s saved.", sku=sku), "success")
    return RedirectResponse(
        f"/replenishment/settings/sku?store_id={chosen}&sku={quote(sku)}", status_code=303
    )
