"""Replenishment pages: what to act on first, one listing with every number explained and its
projection (with an inline lead-time edit), and a backtest comparing two rule sets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from aftersales.accounts.roles import Permission
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_, format_date, format_number
from aftersales.kit.i18n import gettext as _
from aftersales.kit.scope import Scope
from aftersales.replenishment import explain, inbound_status, results_service
from aftersales.replenishment.calc import (
    BAND_LABELS,
    MODE_LABELS,
    WINDOWS,
    Arrival,
    Band,
    LeadTime,
    ShippingMode,
)
from aftersales.replenishment.results_repository import ResultFilter
from aftersales.replenishment.results_service import RuleSetChoice
from aftersales.replenishment.schemas import LeadTimeOverride
from aftersales.web.deps import DbSession, PageContext, flash, marketplace_ids, validated
from aftersales.web.exports import ExportFormat, export_response
from aftersales.web.templating import render

router = APIRouter()

ROWS_PER_PAGE = 50
LEAD_FIELDS: tuple[tuple[str, str], ...] = (
    ("stocking_days", N_("Stocking / production days")),
    ("qc_days", N_("QC days")),
    ("sea_days", N_("Sea transit days")),
    ("air_days", N_("Air transit days")),
    ("express_days", N_("Express transit days")),
    ("receiving_days", N_("FBA receiving days")),
    ("transfer_days", N_("3PL → FBA days")),
    ("safety_days", N_("Safety days")),
    ("cycle_days", N_("Replenishment cycle days")),
)
SOURCE_LABELS = {
    "inbound": N_("inbound shipment"),
    "returns": N_("expected returns"),
    "transfer": N_("3PL transfer"),
    "send": N_("send to FBA"),
    "buy": N_("purchase"),
    "purchase_order": N_("open purchase order"),
}


def _arrival_label(arrival: Arrival) -> str:
    if arrival.source == "inbound" and arrival.status in inbound_status.STATUS_LABELS:
        return _(inbound_status.STATUS_LABELS[arrival.status])
    return _(SOURCE_LABELS.get(arrival.source, arrival.source))


def _arrival_basis(arrival: Arrival, lead: LeadTime, as_of: date) -> str:
    if arrival.source != "inbound" or arrival.status is None or arrival.since is None:
        return ""
    mode = ShippingMode(arrival.mode) if arrival.mode else lead.mode
    return inbound_status.basis(
        arrival.status,
        arrival.since,
        mode=mode.value,
        transit=lead.transit(mode),
        receiving=lead.receiving_days,
        as_of=as_of,
        shipment=arrival.shipment,
    )


def _today() -> date:
    return datetime.now(UTC).date()


def _store_names(page: PageContext) -> dict[int, str]:
    return {store.store_id: store.name for store in page.selection.stores}


def _scope(page: PageContext, store_id: int | None) -> Scope:
    """The switcher's scope, or one store asked for by id (404 when not the viewer's)."""
    if store_id is None:
        return page.selection.scope
    return page.access.scope(
        store_ids=(store_id,), marketplace_ids=page.selection.scope.marketplace_ids
    )


StoreQuery = Annotated[int | None, Query(ge=1)]
MarketplaceQuery = Annotated[list[str] | None, Query(max_length=20)]
SkuQuery = Annotated[str, Query(max_length=80)]


def _result_filter(
    page: PageContext,
    store_id: StoreQuery = None,
    marketplace: MarketplaceQuery = None,
    band: Annotated[list[str] | None, Query(max_length=20)] = None,
    sku: SkuQuery = "",
) -> ResultFilter:
    """The list's filters (query parameters), shared by the page and its export."""
    return ResultFilter(
        scope=_scope(page, store_id),
        store_id=store_id,
        marketplace_ids=marketplace_ids([m for m in marketplace or [] if m]),
        bands=results_service.parse_bands([b for b in band or [] if b]),
        sku_prefix=sku.strip(),
    )


Results = Annotated[ResultFilter, Depends(_result_filter)]


def _chosen_marketplaces(request: Request) -> list[str]:
    return request.query_params.getlist("marketplace")


@router.get("/replenishment", name="replenishment")
def replenishment_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    filters: Results,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    result = results_service.list_results(
        session,
        filters=filters,
        store_names=_store_names(page),
        offset=(page_number - 1) * ROWS_PER_PAGE,
        limit=ROWS_PER_PAGE,
    )
    return render(
        request,
        "replenishment/index.html",
        {
            "active": "replenishment",
            "result": result,
            "filters": filters,
            "chosen_marketplaces": _chosen_marketplaces(request),
            "page_number": page_number,
            "pages": max(1, -(-result.total // ROWS_PER_PAGE)),
            "band_labels": BAND_LABELS,
            "bands": list(Band),
            "plan_stores": [
                s for s in page.selection.stores if page.access.can(s.store_id, Permission.PLAN)
            ],
        },
    )


@router.get("/replenishment/export.{fmt}", name="replenishment_export")
def replenishment_export(page: PageContext, fmt: ExportFormat, filters: Results) -> Response:
    names = _store_names(page)
    return export_response(
        columns=results_service.EXPORT_COLUMNS,
        rows=lambda s: results_service.iter_results(s, filters=filters, store_names=names),
        stem="replenishment",
        fmt=fmt,
    )


def _inbound_filter(
    page: PageContext,
    store_id: StoreQuery = None,
    marketplace: MarketplaceQuery = None,
    status: Annotated[list[str] | None, Query(max_length=20)] = None,
    sku: SkuQuery = "",
) -> inbound_status.InboundFilter:
    """The inbound list's filters (query parameters), shared by the page and its export."""
    return inbound_status.InboundFilter(
        scope=_scope(page, store_id),
        store_id=store_id,
        marketplace_ids=marketplace_ids([m for m in marketplace or [] if m]),
        statuses=inbound_status.parse_statuses([s for s in status or [] if s]),
        sku_prefix=sku.strip(),
    )


InboundLots = Annotated[inbound_status.InboundFilter, Depends(_inbound_filter)]


@router.get("/replenishment/inbound", name="replenishment_inbound")
def inbound_page(
    request: Request, session: DbSession, page: PageContext, filters: InboundLots
) -> Response:
    # The cards count every status; the table shows the chosen ones.
    every = inbound_status.inbound_lots(
        session,
        filters=replace(filters, statuses=()),
        store_names=_store_names(page),
        as_of=_today(),
    )
    lots = [lot for lot in every if not filters.statuses or lot.status in filters.statuses]
    return render(
        request,
        "replenishment/inbound.html",
        {
            "active": "replenishment",
            "lots": lots,
            "totals": inbound_status.totals(every),
            "filters": filters,
            "chosen_marketplaces": _chosen_marketplaces(request),
            "status_labels": inbound_status.STATUS_LABELS,
        },
    )


@router.get("/replenishment/inbound/export.{fmt}", name="replenishment_inbound_export")
def inbound_export(page: PageContext, fmt: ExportFormat, filters: InboundLots) -> Response:
    names, today = _store_names(page), _today()
    return export_response(
        columns=inbound_status.EXPORT_COLUMNS,
        rows=lambda s: inbound_status.inbound_lots(
            s, filters=filters, store_names=names, as_of=today
        ),
        stem="inbound",
        fmt=fmt,
    )


@router.post("/replenishment/recompute", name="replenishment_recompute")
def recompute(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[int, Form(ge=1)],
) -> Response:
    summary = results_service.recompute(
        session, access=page.access, store_id=store_id, as_of=_today()
    )
    flash(
        request,
        _(
            "Recomputed %(listings)s listings as of %(day)s.",
            listings=format_number(summary.listings),
            day=format_date(summary.as_of),
        ),
        "success",
    )
    return RedirectResponse("/replenishment", status_code=303)


# --- one listing --------------------------------------------------------------------------------


def _detail(
    session: DbSession, page: PageContext, sku: str, marketplace: str, store_id: int | None
) -> results_service.ListingDetail:
    chosen = marketplace or page.selection.marketplace or ""
    return results_service.listing(
        session,
        access=page.access,
        scope=_scope(page, store_id),
        store_id=store_id,
        marketplace=chosen,
        sku=sku,
        as_of=_today(),
    )


def _chart(detail: results_service.ListingDetail) -> dict[str, Any]:
    return {
        "days": [day.day.isoformat() for day in detail.projection],
        "scheduled": [round(day.end, 1) for day in detail.projection],
        "planned": [round(day.end, 1) for day in detail.planned],
        "demand": [round(day.demand, 2) for day in detail.projection],
        "arrivals": [
            {
                "day": arrival.day.isoformat(),
                "quantity": arrival.quantity,
                "label": _arrival_label(arrival),
                "planned": planned,
            }
            for planned, arrivals in (
                (False, detail.recommendation.arrivals),
                (True, detail.planned_arrivals),
            )
            for arrival in arrivals
        ],
        "stockout": detail.recommendation.stockout_date.isoformat()
        if detail.recommendation.stockout_date
        else None,
        "labels": {
            "scheduled": _("FBA stock with scheduled arrivals"),
            "planned": _("FBA stock if the recommendation is followed today"),
            "units": _("Units"),
            "stockout": _("Stock-out"),
        },
    }


@router.get("/replenishment/sku/{sku:path}", name="replenishment_sku")
def sku_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    sku: str,
    marketplace: Annotated[str, Query(max_length=20)] = "",
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    detail = _detail(session, page, sku, marketplace, store_id)
    return render(
        request,
        "replenishment/sku.html",
        {
            "active": "replenishment",
            "detail": detail,
            "rec": detail.recommendation,
            "out_of_stock": explain.out_of_stock_ranges(detail.recommendation.velocity),
            "chart": _chart(detail),
            "band_labels": BAND_LABELS,
            "mode_labels": MODE_LABELS,
            "modes": list(ShippingMode),
            "lead_fields": LEAD_FIELDS,
            "source_labels": SOURCE_LABELS,
            "arrival_rows": [
                {
                    "arrival": arrival,
                    "label": _arrival_label(arrival),
                    "basis": _arrival_basis(
                        arrival, detail.recommendation.lead, detail.recommendation.as_of
                    ),
                }
                for arrival in detail.recommendation.arrivals
            ],
        },
    )


async def _form(request: Request) -> FormData:
    return await request.form()


def _lead_override(form: FormData) -> LeadTimeOverride:
    values: dict[str, Any] = {}
    for name, _label in LEAD_FIELDS:
        raw = form.get(name)
        text = raw.strip() if isinstance(raw, str) else ""
        if text and not text.isdigit():
            raise InvalidInput(N_("%(field)s: not a number"), field=name)
        values[name] = int(text) if text else None
    mode = form.get("shipping_mode")
    values["shipping_mode"] = mode if isinstance(mode, str) and mode else None
    return validated(LeadTimeOverride, values)


@router.post("/replenishment/sku/{sku:path}/lead-time", name="replenishment_sku_lead_time")
def save_lead_time(
    request: Request,
    session: DbSession,
    page: PageContext,
    sku: str,
    form: Annotated[FormData, Depends(_form)],
    marketplace: Annotated[str, Query(max_length=20)] = "",
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    before = _detail(session, page, sku, marketplace, store_id)
    lead = _lead_override(form)
    results_service.save_lead_time(
        session, access=page.access, store_id=before.store_id, sku=sku, lead=lead
    )
    results_service.recompute(session, access=page.access, store_id=before.store_id, as_of=_today())
    after = _detail(session, page, sku, before.marketplace_code, before.store_id)
    old, new = before.recommendation, after.recommendation
    flash(
        request,
        _(
            "Lead time saved. Buy %(buy_before)s → %(buy_after)s; send %(send_before)s → "
            "%(send_after)s; ship by %(ship_before)s → %(ship_after)s; purchase by "
            "%(purchase_before)s → %(purchase_after)s.",
            buy_before=format_number(old.buy),
            buy_after=format_number(new.buy),
            send_before=format_number(old.send_default),
            send_after=format_number(new.send_default),
            ship_before=format_date(old.ship_by[old.mode]),
            ship_after=format_date(new.ship_by[new.mode]),
            purchase_before=format_date(old.purchase_by),
            purchase_after=format_date(new.purchase_by),
        ),
        "success",
    )
    return RedirectResponse(
        f"/replenishment/sku/{sku}?marketplace={after.marketplace_code}&store_id={after.store_id}",
        status_code=303,
    )


# --- backtest ----------------------------------------------------------------------------------


def _weights(raw: dict[str, str], prefix: str) -> tuple[tuple[int, float], ...]:
    weights = []
    for days in WINDOWS:
        text = raw.get(f"{prefix}_w{days}", "").strip()
        if not text:
            continue
        try:
            weight = float(text)
        except ValueError as error:
            raise InvalidInput(N_("%(field)s: not a number"), field=f"{prefix}_w{days}") from error
        if weight < 0 or weight > 1000:
            raise InvalidInput(N_("%(field)s: between 0 and 1000"), field=f"{prefix}_w{days}")
        weights.append((days, weight))
    return tuple(weights)


def _safety(raw: dict[str, str], prefix: str) -> int | None:
    text = raw.get(f"{prefix}_safety", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 730:
        raise InvalidInput(N_("%(field)s: a number of days up to 730"), field=f"{prefix}_safety")
    return int(text)


def _day(raw: dict[str, str], name: str, default: date) -> date:
    text = raw.get(name, "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(N_("%(field)s: not a date (YYYY-MM-DD)"), field=name) from error


DEFAULT_CHOICES = {
    "a_name": N_("Default: 0.5 × 7 + 0.3 × 14 + 0.2 × 30 days"),
    "a_w7": "0.5",
    "a_w14": "0.3",
    "a_w30": "0.2",
    "b_name": N_("Slow: 30 days only, 7 more safety days"),
    "b_w30": "1",
    "b_safety": "21",
}


@router.get("/replenishment/backtest", name="replenishment_backtest")
def backtest_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    raw = {key: value for key, value in request.query_params.items() if len(value) <= 100}
    stores = page.selection.stores
    chosen = store_id or page.selection.store_id or (stores[0].store_id if stores else None)
    if chosen is not None:
        page.access.require(chosen, Permission.VIEW)
    today = _today()
    start = _day(raw, "start", today - timedelta(days=90))
    end = _day(raw, "end", today)
    form = {
        **{k: _(v) if k.endswith("_name") else v for k, v in DEFAULT_CHOICES.items()},
        **({} if "run" not in raw else {k: v for k, v in raw.items() if k[:2] in ("a_", "b_")}),
    }
    comparison = None
    if "run" in raw and chosen is not None:
        storage_text = raw.get("storage_per_unit", "").strip()
        try:
            storage = Decimal(storage_text) if storage_text else None
        except InvalidOperation as error:
            raise InvalidInput(N_("%(field)s: not a number"), field="storage_per_unit") from error
        choices = tuple(
            RuleSetChoice(
                name=(raw.get(f"{prefix}_name") or prefix.upper())[:80],
                weights=_weights(raw, prefix),
                safety_days=_safety(raw, prefix),
            )
            for prefix in ("a", "b")
        )
        comparison = results_service.compare(
            session,
            access=page.access,
            store_id=chosen,
            choices=(choices[0], choices[1]),
            start=start,
            end=end,
            storage_per_unit=storage,
        )
    return render(
        request,
        "replenishment/backtest.html",
        {
            "active": "replenishment",
            "stores": stores,
            "chosen_store": chosen,
            "start": start,
            "end": end,
            "form": form,
            "storage_per_unit": raw.get("storage_per_unit", ""),
            "windows": WINDOWS,
            "comparison": comparison,
        },
    )
