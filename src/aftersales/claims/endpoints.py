"""JSON API for reimbursement claims: the queue, one claim, status changes, detection."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from aftersales.claims import service as claims_service
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
