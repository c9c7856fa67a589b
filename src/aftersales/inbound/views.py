"""Inbound plan pages: the list with saved ship-from addresses, a new plan from the
recommendations, the plan editor (lines edited in place with HTMX), and the downloads."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from aftersales.accounts.roles import Permission
from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.inbound import addresses as address_service
from aftersales.inbound import endpoints
from aftersales.inbound import exports as inbound_exports
from aftersales.inbound import recommendations as recommendation_service
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import (
    Address,
    FromRecommendations,
    InboundPlanCreate,
    InboundPlanItemCreate,
    InboundPlanItemUpdate,
    InboundPlanUpdate,
    StatusChange,
)
from aftersales.inbound.state import STATUS_LABELS
from aftersales.kit.i18n import N_
from aftersales.kit.i18n import gettext as _
from aftersales.models import Owner, PlanStatus, ShippingMode
from aftersales.replenishment.calc import BAND_LABELS
from aftersales.web.deps import DbSession, ObjectId, PageContext, flash, validated
from aftersales.web.exports import ExportFormat
from aftersales.web.templating import render

router = APIRouter()

ADDRESS_FIELDS = (
    ("name", N_("Contact name")),
    ("company", N_("Company")),
    ("line1", N_("Address line 1")),
    ("line2", N_("Address line 2")),
    ("city", N_("City")),
    ("state", N_("State or province code")),
    ("postal_code", N_("Postal code")),
    ("country_code", N_("Country code")),
    ("phone", N_("Phone")),
    ("email", N_("E-mail")),
)
MODE_LABELS = {
    ShippingMode.SEA: N_("Sea"),
    ShippingMode.AIR: N_("Air"),
    ShippingMode.EXPRESS: N_("Express"),
}
LINE_NUMBERS = ("quantity", "units_per_box", "boxes")
LINE_MEASURES = ("box_length", "box_width", "box_height", "box_weight")


def _today() -> date:
    return datetime.now(UTC).date()


async def _form(request: Request) -> FormData:
    # Read in the event loop, so the route itself can run in a worker thread.
    return await request.form()


PageForm = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else None


def _int(form: FormData, name: str) -> int | None:
    value = _text(form, name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise InvalidInput(N_("%(field)s: not a whole number"), field=name) from error


def _decimal(form: FormData, name: str) -> Decimal | None:
    value = _text(form, name)
    if not value:
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation as error:
        raise InvalidInput(N_("%(field)s: not a number"), field=name) from error


def _address(form: FormData, prefix: str = "ship_from.") -> Address | None:
    values = {name: _text(form, prefix + name) for name, _label in ADDRESS_FIELDS}
    if all(value is None for value in values.values()):
        return None
    return validated(Address, {k: v or "" for k, v in values.items()})


def _mode(value: str | None) -> ShippingMode:
    try:
        return ShippingMode(value or ShippingMode.SEA.value)
    except ValueError as error:
        raise InvalidInput(
            N_("unknown shipping mode %(mode)s"), mode=value, field="shipping_mode"
        ) from error


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _planning_stores(page: PageContext) -> list[Any]:
    return [s for s in page.selection.stores if page.access.can(s.store_id, Permission.PLAN)]


def _context(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "active": "inbound-plans",
        "status_labels": STATUS_LABELS,
        "mode_labels": MODE_LABELS,
        "owners": list(Owner),
        "address_fields": ADDRESS_FIELDS,
        **extra,
    }


# --- list, saved addresses -------------------------------------------------------------------


@router.get("/inbound-plans", name="inbound_plans")
def plans_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    status: Annotated[PlanStatus | None, Query()] = None,
) -> Response:
    scope = page.selection.scope
    return render(
        request,
        "inbound/list.html",
        _context(
            {
                "plans": inbound_service.list_plans(session, scope=scope, status=status),
                "status": status,
                "statuses": list(PlanStatus),
                "addresses": address_service.list_addresses(session, scope=scope),
                "stores": _planning_stores(page),
            }
        ),
    )


@router.post("/inbound-plans/addresses", name="inbound_address_save")
def save_address(
    request: Request, session: DbSession, page: PageContext, form: PageForm
) -> Response:
    store_id = inbound_service.default_store(page.access, _int(form, "store_id"))
    address_service.save_address(
        session,
        access=page.access,
        store_id=store_id,
        label=_text(form, "label") or "",
        address=_address(form, "address.") or Address(),
    )
    flash(request, _("Ship-from address saved."), "success")
    return RedirectResponse("/inbound-plans", status_code=303)


@router.post("/inbound-plans/addresses/{address_id}/delete", name="inbound_address_delete")
def delete_address(
    request: Request, session: DbSession, page: PageContext, address_id: ObjectId
) -> Response:
    address_service.delete_address(session, access=page.access, address_id=address_id)
    flash(request, _("Ship-from address deleted."), "success")
    return RedirectResponse("/inbound-plans", status_code=303)


# --- a new plan ------------------------------------------------------------------------------


@router.get("/inbound-plans/new", name="inbound_plan_new")
def new_plan_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[int | None, Query(ge=1)] = None,
    marketplace: Annotated[str | None, Query(max_length=20)] = None,
    shipping_mode: Annotated[ShippingMode, Query()] = ShippingMode.SEA,
) -> Response:
    stores = _planning_stores(page)
    wanted = store_id or page.selection.store_id or (stores[0].store_id if stores else None)
    chosen = inbound_service.default_store(page.access, wanted)
    region = page.access.stores[chosen].region
    offered = [m for m in marketplaces.all_marketplaces() if m.region == region]
    market = marketplace or page.selection.marketplace
    lines = (
        recommendation_service.recommended_lines(
            session,
            access=page.access,
            store_id=chosen,
            marketplace=market,
            shipping_mode=shipping_mode,
        )
        if market
        else []
    )
    addresses = [
        (row, address)
        for row, address in address_service.list_addresses(
            session, scope=page.access.scope(store_ids=(chosen,))
        )
    ]
    return render(
        request,
        "inbound/new.html",
        _context(
            {
                "stores": stores,
                "store_id": chosen,
                "offered": offered,
                "marketplace": market,
                "shipping_mode": shipping_mode,
                "modes": list(ShippingMode),
                "lines": lines,
                "band_labels": {band.value: label for band, label in BAND_LABELS.items()},
                "addresses": addresses,
            }
        ),
    )


def _manual_lines(text: str) -> list[InboundPlanItemCreate]:
    """ "SKU quantity" per line (tab, comma, semicolon or spaces between), as pasted from a sheet."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.replace("\t", " ").replace(",", " ").replace(";", " ").split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[1].isdigit():
            raise InvalidInput(
                N_("line %(line)s: write a SKU and a whole quantity, e.g. ABC-123 40"),
                line=number,
                field="lines",
            )
        lines.append(validated(InboundPlanItemCreate, {"sku": parts[0], "quantity": int(parts[1])}))
    return lines


@router.post("/inbound-plans/new", name="inbound_plan_create")
def create_plan(
    request: Request,
    session: DbSession,
    page: PageContext,
    form: PageForm,
) -> Response:
    store_id = _int(form, "store_id")
    marketplace = _text(form, "marketplace") or ""
    mode = _mode(_text(form, "shipping_mode"))
    name = _text(form, "name") or None
    address_id = _int(form, "ship_from_address_id")
    skus = [value for value in form.getlist("sku") if isinstance(value, str) and value]
    manual = _manual_lines(_text(form, "lines") or "")
    today = _today()
    if skus:
        plan = recommendation_service.create_from_recommendations(
            session,
            access=page.access,
            data=validated(
                FromRecommendations,
                {
                    "store_id": store_id,
                    "marketplace": marketplace,
                    "shipping_mode": mode,
                    "name": name,
                    "ship_from_address_id": address_id,
                    "skus": skus,
                },
            ),
            today=today,
        )
        for line in manual:
            inbound_service.add_item(
                session, access=page.access, plan_id=plan.id, data=line, today=today
            )
    elif manual:
        plan = inbound_service.create_plan(
            session,
            access=page.access,
            data=validated(
                InboundPlanCreate,
                {
                    "store_id": store_id,
                    "marketplace": marketplace,
                    "shipping_mode": mode,
                    "name": name,
                    "ship_from_address_id": address_id,
                    "items": manual,
                },
            ),
            today=today,
        )
    else:
        raise InvalidInput(N_("choose recommended SKUs or write SKUs and quantities"), field="sku")
    flash(request, _("Draft inbound plan created."), "success")
    return RedirectResponse(f"/inbound-plans/{plan.id}", status_code=303)


# --- one plan --------------------------------------------------------------------------------


def _plan_page(request: Request, session: DbSession, page: PageContext, plan_id: int) -> Response:
    plan = inbound_service.get_plan(session, access=page.access, plan_id=plan_id, today=_today())
    addresses = address_service.list_addresses(
        session, scope=page.access.scope(store_ids=(plan.store_id,))
    )
    template = "inbound/items.html" if _is_htmx(request) else "inbound/detail.html"
    return render(
        request,
        template,
        _context(
            {
                "plan": plan,
                "addresses": addresses,
                "modes": list(ShippingMode),
                "today": _today(),
            }
        ),
    )


def _back(request: Request, plan_id: int, message: str) -> Response:
    if _is_htmx(request):
        return RedirectResponse(f"/inbound-plans/{plan_id}", status_code=303)
    flash(request, message, "success")
    return RedirectResponse(f"/inbound-plans/{plan_id}", status_code=303)


@router.get("/inbound-plans/{plan_id}", name="inbound_plan")
def plan_page(
    request: Request, session: DbSession, page: PageContext, plan_id: ObjectId
) -> Response:
    return _plan_page(request, session, page, plan_id)


@router.post("/inbound-plans/{plan_id}", name="inbound_plan_save")
def save_plan(
    request: Request, session: DbSession, page: PageContext, plan_id: ObjectId, form: PageForm
) -> Response:
    store_id = inbound_service.store_of_plan(session, access=page.access, plan_id=plan_id)
    address = _address(form)
    saved_id = _int(form, "ship_from_address_id")
    if saved_id:
        # A saved address of the plan's own store replaces what the form holds.
        saved = dict(
            address_service.list_addresses(session, scope=page.access.scope(store_ids=(store_id,)))
        )
        chosen = next((value for row, value in saved.items() if row.id == saved_id), None)
        if chosen is None:
            raise address_service.AddressNotFound(N_("no such ship-from address"))
        address = chosen
    update = validated(
        InboundPlanUpdate,
        {
            "name": _text(form, "name") or None,
            "shipping_mode": _text(form, "shipping_mode") or None,
            "ship_from": address.model_dump() if address else None,
        },
    )
    plan = inbound_service.update_plan(
        session, access=page.access, plan_id=plan_id, update=update, today=_today()
    )
    label = _text(form, "save_as")
    if label and address is not None:
        address_service.save_address(
            session, access=page.access, store_id=plan.store_id, label=label, address=address
        )
    return _back(request, plan_id, _("Plan saved."))


def _line_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in LINE_NUMBERS:
        if name in form:
            values[name] = _int(form, name)
    for name in LINE_MEASURES:
        if name in form:
            values[name] = _decimal(form, name)
    for name in ("label_owner", "prep_owner"):
        if _text(form, name):
            values[name] = _text(form, name)
    if "expiration" in form:
        values["expiration"] = _text(form, "expiration") or None
    return values


@router.post("/inbound-plans/{plan_id}/items", name="inbound_item_add")
def add_item(
    request: Request, session: DbSession, page: PageContext, plan_id: ObjectId, form: PageForm
) -> Response:
    inbound_service.visible_plan(session, access=page.access, plan_id=plan_id)
    values = _line_values(form)
    values["sku"] = _text(form, "sku") or ""
    data = validated(InboundPlanItemCreate, {k: v for k, v in values.items() if v is not None})
    inbound_service.add_item(
        session, access=page.access, plan_id=plan_id, data=data, today=_today()
    )
    if _is_htmx(request):
        return _plan_page(request, session, page, plan_id)
    return _back(request, plan_id, _("SKU added."))


@router.post("/inbound-plans/{plan_id}/items/{item_id}", name="inbound_item_save")
def save_item(
    request: Request,
    session: DbSession,
    page: PageContext,
    plan_id: ObjectId,
    item_id: ObjectId,
    form: PageForm,
) -> Response:
    inbound_service.visible_item(session, access=page.access, plan_id=plan_id, item_id=item_id)
    update = validated(InboundPlanItemUpdate, _line_values(form))
    inbound_service.update_item(
        session, access=page.access, plan_id=plan_id, item_id=item_id, update=update, today=_today()
    )
    if _is_htmx(request):
        return _plan_page(request, session, page, plan_id)
    return _back(request, plan_id, _("Line saved."))


@router.post("/inbound-plans/{plan_id}/items/{item_id}/remove", name="inbound_item_remove")
def remove_item(
    request: Request, session: DbSession, page: PageContext, plan_id: ObjectId, item_id: ObjectId
) -> Response:
    inbound_service.remove_item(
        session, access=page.access, plan_id=plan_id, item_id=item_id, today=_today()
    )
    if _is_htmx(request):
        return _plan_page(request, session, page, plan_id)
    return _back(request, plan_id, _("SKU removed."))


@router.post("/inbound-plans/{plan_id}/status", name="inbound_plan_status")
def change_status(
    request: Request,
    session: DbSession,
    page: PageContext,
    plan_id: ObjectId,
    status: Annotated[str, Form(max_length=10)] = "",
    shipped_on: Annotated[str, Form(max_length=10)] = "",
    shipment_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    inbound_service.visible_plan(session, access=page.access, plan_id=plan_id)
    try:
        target = PlanStatus(status)
    except ValueError as error:
        raise InvalidInput(
            N_("unknown status %(status)s"), status=status, field="status"
        ) from error
    change = validated(
        StatusChange,
        {
            "status": target,
            "shipped_on": shipped_on.strip() or None,
            "shipment_id": shipment_id.strip() or None,
        },
    )
    inbound_service.change_status(
        session,
        access=page.access,
        plan_id=plan_id,
        status=change.status,
        today=_today(),
        shipped_on=change.shipped_on,
        shipment_id=change.shipment_id,
    )
    flash(request, _("Plan status changed."), "success")
    return RedirectResponse(f"/inbound-plans/{plan_id}", status_code=303)


@router.post("/inbound-plans/{plan_id}/delete", name="inbound_plan_delete")
def delete_plan(
    request: Request, session: DbSession, page: PageContext, plan_id: ObjectId
) -> Response:
    inbound_service.delete_plan(session, access=page.access, plan_id=plan_id)
    flash(request, _("Plan deleted."), "success")
    return RedirectResponse("/inbound-plans", status_code=303)


# --- downloads -------------------------------------------------------------------------------


@router.get("/inbound-plans/{plan_id}/manifest.xlsx", name="inbound_manifest_xlsx")
def manifest_xlsx(session: DbSession, page: PageContext, plan_id: ObjectId) -> Response:
    return endpoints.manifest_response(session, page.access, plan_id, extension="xlsx")


@router.get("/inbound-plans/{plan_id}/manifest.tsv", name="inbound_manifest_tsv")
def manifest_tsv(session: DbSession, page: PageContext, plan_id: ObjectId) -> Response:
    return endpoints.manifest_response(session, page.access, plan_id, extension="tsv")


@router.get("/inbound-plans/{plan_id}/packing-list.csv", name="inbound_packing_csv")
def packing_csv(session: DbSession, page: PageContext, plan_id: ObjectId) -> Response:
    return endpoints.packing_response(session, page.access, plan_id, ExportFormat.CSV)


@router.get("/inbound-plans/{plan_id}/packing-list.xlsx", name="inbound_packing_xlsx")
def packing_xlsx(session: DbSession, page: PageContext, plan_id: ObjectId) -> Response:
    return endpoints.packing_response(session, page.access, plan_id, ExportFormat.XLSX)


@router.get(
    "/inbound-plans/{plan_id}/create-inbound-plan-request.json", name="inbound_request_json"
)
def request_json(session: DbSession, page: PageContext, plan_id: ObjectId) -> Response:
    body = inbound_exports.create_inbound_plan_request(
        session, access=page.access, plan_id=plan_id, today=_today()
    )
    return endpoints.attachment(
        json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"),
        name=f"create-inbound-plan-{plan_id}.json",
        media_type="application/json",
    )
