"""JSON API for reimbursement claims: the queue, one claim, status changes, detection,
removal receipts and the inbound check's coverage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from aftersales.claims import inbound as inbound_service
from aftersales.claims import removals as removals_service
from aftersales.claims import service as claims_service
from aftersales.claims.inbound import InboundCoverage
from aftersales.claims.removals import RemovalReceipt, RemovalRow
from aftersales.claims.schemas import ClaimDetail, ClaimList, ClaimStatusUpdate, DetectResult
from aftersales.models import ClaimStatus, ClaimType
from aftersales.web.deps import ApiAccess, ApiScope, DbSession, ObjectId

router = APIRouter(prefix="/claims", tags=["claims"])


@router.get("", response_model=ClaimList)
def list_claims(
    session: DbSession,
    scope: ApiScope,
    status: Annotated[ClaimStatus | None, Query()] = None,
    sort: Annotated[
        str, Query(max_length=20, description="priority (default), value, closes_on, created")
    ] = "priority",
    claim_type: Annotated[ClaimType | None, Query()] = None,
) -> ClaimList:
    return claims_service.list_claims(
        session, scope=scope, status=status, sort=sort, claim_type=claim_type
    )


@router.post("/detect", response_model=DetectResult)
def detect(
    session: DbSession,
    access: ApiAccess,
    store_id: Annotated[
        list[int] | None, Query(description="Stores to scan (default: all you manage).")
    ] = None,
) -> DetectResult:
    return claims_service.find_claims(session, access=access, store_ids=tuple(store_id or ()))


@router.get("/removals", response_model=list[RemovalRow])
def list_removals(session: DbSession, scope: ApiScope) -> list[RemovalRow]:
    """Removal order lines with their parcels and claims (newest first, at most 500)."""
    return removals_service.removal_rows(session, scope=scope)


@router.post("/removal-receipts", response_model=ClaimDetail, status_code=201)
def record_removal_receipt(
    session: DbSession, access: ApiAccess, body: Annotated[RemovalReceipt, Body()]
) -> ClaimDetail:
    """Record a removal shipment received damaged / incomplete, or never received: the
    removal claim it calls for is created (the removal reports carry no delivery status)."""
    claim_id = removals_service.record_receipt(session, access=access, body=body)
    return claims_service.get_claim(session, scope=access.scope(), claim_id=claim_id)


@router.get("/inbound-coverage", response_model=list[InboundCoverage])
def inbound_coverage(session: DbSession, scope: ApiScope) -> list[InboundCoverage]:
    """Per SKU: whether the inventory data allowed the inbound-missing check, and why not."""
    return inbound_service.coverage(session, scope=scope)


@router.get("/{claim_id}", response_model=ClaimDetail)
def get_claim(session: DbSession, scope: ApiScope, claim_id: ObjectId) -> ClaimDetail:
    return claims_service.get_claim(session, scope=scope, claim_id=claim_id)


@router.post("/{claim_id}/status", response_model=ClaimDetail)
def change_status(
    session: DbSession,
    access: ApiAccess,
    claim_id: ObjectId,
    body: Annotated[ClaimStatusUpdate | None, Body()] = None,
) -> ClaimDetail:
    return claims_service.change_status(
        session,
        access=access,
        claim_id=claim_id,
        status=body.status if body else None,
        note=body.note if body else None,
    )
