"""Returns analytics pages: a SKU's return profile, and the reason map in Settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from aftersales.accounts.roles import Permission
from aftersales.amazon.return_reasons import (
    ACTION_LABELS,
    RESPONSIBLE_LABELS,
    ReasonAction,
    Responsible,
)
from aftersales.kit.i18n import gettext as _
from aftersales.returns_analytics import reason_service
from aftersales.returns_analytics import service as analytics_service
from aftersales.web.deps import DbSession, ObjectId, PageAccess, PageContext, flash
from aftersales.web.templating import render

router = APIRouter()


def _visible_store(access: PageAccess, store_id: ObjectId) -> int:
    # Before the form is read: another store's URL is a 404 whatever the form holds.
    access.role_in(store_id)
    return store_id


VisibleStore = Annotated[int, Depends(_visible_store)]


@router.get("/returns/sku/{sku:path}", name="sku_profile")
def sku_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    sku: str,
    as_of: Annotated[date | None, Query()] = None,
) -> Response:
    profile = analytics_service.sku_profile(
        session,
        scope=page.selection.scope,
        sku=sku,
        as_of=as_of or datetime.now(UTC).date(),
    )
    return render(request, "returns_analytics/sku.html", {"active": "returns", "profile": profile})


@router.get("/settings/return-reasons", name="return_reasons")
def reasons_page(request: Request, session: DbSession, page: PageContext) -> Response:
    maps = reason_service.maps_for(session, access=page.access)
    return render(
        request,
        "returns_analytics/reasons.html",
        {
            "active": "settings",
            "maps": maps,
            "can_edit": {m.store_id: page.access.can(m.store_id, Permission.MANAGE) for m in maps},
            "responsible_choices": [(r.value, RESPONSIBLE_LABELS[r]) for r in Responsible],
            "action_choices": [(a.value, ACTION_LABELS[a]) for a in ReasonAction],
        },
    )


@router.post("/settings/return-reasons/{store_id}/{reason_code}", name="set_return_reason")
def set_reason(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: VisibleStore,
    reason_code: str,
    responsible: Annotated[str, Form(max_length=20)] = "",
    action: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    entry = reason_service.set_override(
        session,
        access=page.access,
        store_id=store_id,
        reason_code=reason_code,
        responsible=responsible,
        action=action,
    )
    flash(request, _("%(code)s now follows this store's own rule.", code=entry.code), "success")
    return RedirectResponse(f"/settings/return-reasons#store-{store_id}", status_code=303)


@router.post("/settings/return-reasons/{store_id}/{reason_code}/reset", name="reset_return_reason")
def reset_reason(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: VisibleStore,
    reason_code: str,
) -> Response:
    entry = reason_service.clear_override(
        session, access=page.access, store_id=store_id, reason_code=reason_code
    )
    flash(request, _("%(code)s is back to the default rule.", code=entry.code), "success")
    return RedirectResponse(f"/settings/return-reasons#store-{store_id}", status_code=303)
