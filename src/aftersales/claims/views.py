"""Claims pages: the queue with totals, one claim with evidence and case text, status forms,
removal orders with the receipt form, and the inbound check's coverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from aftersales.claims import inbound as inbound_service
from aftersales.claims import removals as removals_service
from aftersales.claims import service as claims_service
from aftersales.claims.removals import ReceiptOutcome, RemovalReceipt
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.i18n import gettext as _
from aftersales.models import ClaimStatus, ClaimType
from aftersales.web.deps import DbSession, ObjectId, PageContext, flash, validated
from aftersales.web.templating import render

router = APIRouter()


@router.get("/claims", name="claims")
def claims_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    status: Annotated[ClaimStatus | None, Query()] = None,
    sort: Annotated[str, Query(max_length=20)] = "priority",
    claim_type: Annotated[ClaimType | None, Query()] = None,
) -> Response:
    result = claims_service.list_claims(
        session, scope=page.selection.scope, status=status, sort=sort, claim_type=claim_type
    )
    return render(
        request,
        "claims/list.html",
        {
            "active": "claims",
            "result": result,
            "status": status,
            "statuses": list(ClaimStatus),
            "claim_type": claim_type,
            "claim_types": list(claims_service.TYPE_LABELS.items()),
        },
    )


@router.post("/claims/find", name="claims_find")
def find_claims(request: Request, session: DbSession, page: PageContext) -> Response:
    chosen = (page.selection.store_id,) if page.selection.store_id else ()
    found = claims_service.find_claims(session, access=page.access, store_ids=chosen)
    flash(
        request,
        _(
            "%(created)s new claims, %(reimbursed)s reimbursed, %(expired)s expired.",
            created=found.created,
            reimbursed=found.reimbursed,
            expired=found.expired,
        ),
        "success",
    )
    return RedirectResponse("/claims", status_code=303)


REMOVALS_PER_PAGE = 50


@router.get("/claims/removals", name="claims_removals")
def removals_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    q: Annotated[str, Query(max_length=80)] = "",
    number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    rows = removals_service.removal_rows(session, scope=page.selection.scope, limit=None)
    wanted = q.strip().casefold()
    if wanted:
        rows = [
            row
            for row in rows
            if row.order_id.casefold().startswith(wanted) or row.sku.casefold().startswith(wanted)
        ]
    start = (number - 1) * REMOVALS_PER_PAGE
    return render(
        request,
        "claims/removals.html",
        {
            "active": "claims",
            "rows": rows[start : start + REMOVALS_PER_PAGE],
            "total": len(rows),
            "page_number": number,
            "pages": max(1, -(-len(rows) // REMOVALS_PER_PAGE)),
            "q": q.strip(),
            "outcomes": list(ReceiptOutcome),
        },
    )


@router.post("/claims/removals/receipt", name="claims_removal_receipt")
def record_removal_receipt(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[str, Form(max_length=20)] = "",
    removal_order_id: Annotated[str, Form(max_length=60)] = "",
    sku: Annotated[str, Form(max_length=80)] = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    on: Annotated[str, Form(max_length=20)] = "",
    units: Annotated[str, Form(max_length=12)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not store_id.isdigit():
        raise InvalidInput(N_("choose a store"), field="store_id")
    count = units.strip()
    if count and not count.isdigit():
        raise InvalidInput(N_("%(field)s: not a number"), field="units")
    body = validated(
        RemovalReceipt,
        {
            "store_id": int(store_id),
            "removal_order_id": removal_order_id,
            "sku": sku,
            "outcome": outcome,
            "on": on,
            "units": int(count) if count else None,
            "note": note or None,
        },
    )
    claim_id = removals_service.record_receipt(session, access=page.access, body=body)
    flash(request, _("Removal claim created."), "success")
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)


@router.get("/claims/inbound", name="claims_inbound")
def inbound_page(request: Request, session: DbSession, page: PageContext) -> Response:
    rows = inbound_service.coverage(session, scope=page.selection.scope)
    return render(request, "claims/inbound.html", {"active": "claims", "rows": rows})


@router.get("/claims/{claim_id}", name="claim_detail")
def claim_detail(
    request: Request, session: DbSession, page: PageContext, claim_id: ObjectId
) -> Response:
    claim = claims_service.get_claim(session, scope=page.access.scope(), claim_id=claim_id)
    return render(request, "claims/detail.html", {"active": "claims", "claim": claim})


@router.post("/claims/{claim_id}/status", name="claim_status")
def claim_status(
    request: Request,
    session: DbSession,
    page: PageContext,
    claim_id: ObjectId,
    status: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    claims_service.change_status(
        session, access=page.access, claim_id=claim_id, status=status, note=note or None
    )
    flash(request, _("Claim updated."), "success")
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)
