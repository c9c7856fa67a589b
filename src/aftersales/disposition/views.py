"""Disposition pages: lots with the best option and its arithmetic, the removal plan
download, and the store's cost settings form."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from aftersales.accounts.roles import Permission
from aftersales.disposition import decisions as decisions_service
from aftersales.disposition import endpoints
from aftersales.disposition import service as disposition_service
from aftersales.disposition.calc import OPTION_LABELS, Option
from aftersales.disposition.schemas import DecisionCreate, DispositionSettingsValues
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.i18n import gettext as _
from aftersales.web.deps import DbSession, PageContext, flash, validated
from aftersales.web.exports import ExportFormat, export_response
from aftersales.web.templating import render

router = APIRouter()

AMOUNT_FIELDS = (
    "relabel_per_unit",
    "warehouse_handling_per_unit",
    "freight_own_to_amazon_per_kg",
    "freight_warehouse_to_amazon_per_kg",
    "origin_shipping_per_kg",
    "resellable_share",
    "referral_rate",
    "fulfillment_fee_per_unit",
    "default_unit_weight_kg",
    "liquidation_share",
    "grade_and_resell_share",
)
ADDRESS_FIELDS = (
    "name",
    "line1",
    "line2",
    "city",
    "state_or_region",
    "postal_code",
    "country_code",
    "phone",
)


LOTS_PER_PAGE = 50


@router.get("/disposition", name="disposition")
def disposition_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    today = datetime.now(UTC).date()
    result = disposition_service.recommendations(session, scope=page.selection.scope, as_of=today)
    # The largest lots first; a page at a time (every lot carries every option's arithmetic).
    lots = sorted(result.lots, key=lambda lot: -lot.units)
    first = (page_number - 1) * LOTS_PER_PAGE
    shown = result.model_copy(update={"lots": lots[first : first + LOTS_PER_PAGE]})
    pages = max(1, -(-len(lots) // LOTS_PER_PAGE))
    return render(
        request,
        "disposition/list.html",
        {
            "active": "disposition",
            "result": shown,
            "page_number": page_number,
            "pages": pages,
            "total_lots": len(lots),
            "option_labels": OPTION_LABELS,
            # Store and marketplace pairs with a removal decision in force (plan from decisions).
            "planned_markets": sorted(
                {
                    (f"{lot.store_id}:{lot.marketplace_id}", lot.store_name, lot.marketplace_code)
                    for lot in lots
                    if lot.decision
                    and lot.decision.removal
                    and disposition_service.can_decide(page.access, lot.store_id)
                }
            ),
            "decide_stores": [
                store.store_id
                for store in page.selection.stores
                if disposition_service.can_decide(page.access, store.store_id)
            ],
        },
    )


@router.post("/disposition/decisions", name="disposition_decide")
def record_decision(
    request: Request,
    session: DbSession,
    page: PageContext,
    lot: Annotated[str, Form(max_length=200)] = "",
    option: Annotated[str, Form(max_length=40)] = "",
    units: Annotated[str, Form(max_length=12)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    [chosen] = disposition_service.parse_lot_ids([lot])
    if option not in set(Option):
        raise InvalidInput(N_("choose an option"), field="option")
    count = units.strip()
    if count and not count.isdigit():
        raise InvalidInput(N_("%(field)s: not a number"), field="units")
    decisions_service.record_decision(
        session,
        access=page.access,
        body=validated(
            DecisionCreate,
            {
                "store_id": chosen.store_id,
                "marketplace": chosen.marketplace,
                "sku": chosen.sku,
                "option": option,
                "units": int(count) if count else None,
                "note": note or None,
            },
        ),
    )
    flash(request, _("Decision recorded for %(sku)s.", sku=chosen.sku), "success")
    return RedirectResponse("/disposition", status_code=303)


@router.get("/disposition/decisions", name="disposition_decisions")
def decisions_page(request: Request, session: DbSession, page: PageContext) -> Response:
    result = decisions_service.list_decisions(session, scope=page.selection.scope)
    return render(
        request,
        "disposition/decisions.html",
        {
            "active": "disposition",
            "result": result,
            "decide_stores": [
                store.store_id
                for store in page.selection.stores
                if disposition_service.can_decide(page.access, store.store_id)
            ],
        },
    )


@router.get("/disposition/decisions/export.{fmt}", name="disposition_decisions_export")
def decisions_export(page: PageContext, fmt: ExportFormat) -> Response:
    scope = page.selection.scope
    return export_response(
        columns=decisions_service.EXPORT_COLUMNS,
        rows=lambda s: decisions_service.iter_decisions(s, scope=scope),
        stem="disposition-decisions",
        fmt=fmt,
    )


@router.post("/disposition/decisions/removal-plan", name="disposition_decisions_plan")
def decisions_removal_plan(
    session: DbSession,
    page: PageContext,
    market: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    store, _sep, marketplace = market.partition(":")
    if not store.isdigit() or not marketplace:
        raise InvalidInput(N_("choose a store and marketplace"), field="market")
    text = decisions_service.removal_plan_from_decisions(
        session,
        access=page.access,
        store_id=int(store),
        marketplace=marketplace,
        as_of=datetime.now(UTC).date(),
    )
    return endpoints.file_response(text)


@router.post("/disposition/removal-plan", name="disposition_removal_plan")
def removal_plan(
    session: DbSession,
    page: PageContext,
    lot: Annotated[list[str] | None, Form(max_length=200)] = None,
) -> Response:
    chosen = disposition_service.parse_lot_ids(lot or [])
    text = disposition_service.removal_plan_csv(
        session, access=page.access, lots=chosen, as_of=datetime.now(UTC).date()
    )
    return endpoints.file_response(text)


def _store(page: PageContext, store_id: int | None) -> int:
    """The store asked for, else the one chosen in the switcher, else the first store the
    user manages (the page then offers the others)."""
    wanted = store_id or page.selection.store_id
    if wanted is None:
        managed = [
            s.store_id
            for s in page.selection.stores
            if page.access.can(s.store_id, Permission.MANAGE)
        ]
        wanted = managed[0] if managed else None
    return disposition_service.default_store(page.access, wanted)


async def _form(request: Request) -> FormData:
    # Read in the event loop, so the route itself can run in a worker thread.
    return await request.form()


@router.get("/settings/disposition", name="disposition_settings")
def settings_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    chosen = _store(page, store_id)
    settings = disposition_service.get_settings(session, access=page.access, store_id=chosen)
    stores = [s for s in page.selection.stores if page.access.can(s.store_id, Permission.MANAGE)]
    return render(
        request,
        "disposition/settings.html",
        {
            "active": "settings",
            "settings": settings,
            "stores": stores,
            "amount_fields": AMOUNT_FIELDS,
            "address_fields": ADDRESS_FIELDS,
        },
    )


def _decimal(name: str, value: str) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise InvalidInput(N_("%(field)s: not a number"), field=name) from error


@router.post("/settings/disposition", name="disposition_settings_save")
def save_settings(
    request: Request,
    session: DbSession,
    page: PageContext,
    form: Annotated[FormData, Depends(_form)],
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    chosen = _store(page, store_id)
    current = disposition_service.get_settings(session, access=page.access, store_id=chosen)
    values: dict[str, Any] = current.values.model_dump(mode="json")
    for name in AMOUNT_FIELDS:
        raw = form.get(name)
        if isinstance(raw, str):
            values[name] = _decimal(name, raw)
    for prefix in ("own_address", "warehouse_address"):
        for name in ADDRESS_FIELDS:
            raw = form.get(f"{prefix}.{name}")
            if isinstance(raw, str):
                values[prefix][name] = raw.strip()
    for name in ("currency", "default_size_tier"):
        raw = form.get(name)
        if isinstance(raw, str) and raw.strip():
            values[name] = raw.strip().upper() if name == "currency" else raw.strip()
    disposition_service.update_settings(
        session,
        access=page.access,
        store_id=chosen,
        values=validated(DispositionSettingsValues, values),
    )
    flash(request, _("Disposition settings saved."), "success")
    return RedirectResponse(f"/settings/disposition?store_id={chosen}", status_code=303)
