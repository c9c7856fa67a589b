"""Reimbursement claims: detect them from imported reports, reconcile them with
reimbursements, move them through their lifecycle, list them by money and urgency."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import claim_rules
from aftersales.claims import calc, detectors, inbound, persist, state
from aftersales.claims import evidence as claim_evidence
from aftersales.claims import repository as claim_repository
from aftersales.claims.case_text import case_text
from aftersales.claims.schemas import (
    Claim as ClaimOut,
)
from aftersales.claims.schemas import (
    ClaimDetail,
    ClaimEventOut,
    ClaimList,
    ClaimTotals,
    DetectResult,
    MoneyTotal,
)
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.models import Claim, ClaimStatus, ClaimType

ACTIVE = frozenset({ClaimStatus.CANDIDATE, ClaimStatus.FILED})
EXPIRING_DAYS = 7
SORTS = ("priority", "value", "closes_on", "created")
# Claim types read from the FBA customer returns report.
RETURNED_TYPES = (ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED, ClaimType.SWITCHEROO)
# What the pages call each claim type (translated where shown).
TYPE_LABELS: dict[str, str] = {
    ClaimType.REFUND_NOT_RETURNED: N_("Refunded, not returned"),
    ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED: N_("Returned damaged by Amazon, not reimbursed"),
    ClaimType.SWITCHEROO: N_("Different item returned (switcheroo)"),
    ClaimType.REIMBURSEMENT_REVERSED: N_("Reimbursement reversed, not paid again"),
    ClaimType.REMOVAL_LOST: N_("Removal shipment lost"),
    ClaimType.REMOVAL_DAMAGED: N_("Removal shipment received damaged or incomplete"),
    ClaimType.INBOUND_MISSING: N_("Inbound units missing"),
}
# What the claim's date column means for each type.
DATE_LABELS: dict[str, str] = {
    ClaimType.REFUND_NOT_RETURNED: N_("Refund date"),
    ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED: N_("Return date"),
    ClaimType.SWITCHEROO: N_("Refund or return date"),
    ClaimType.REIMBURSEMENT_REVERSED: N_("Reversal date"),
    ClaimType.REMOVAL_LOST: N_("Ship date"),
    ClaimType.REMOVAL_DAMAGED: N_("Delivery date"),
    ClaimType.INBOUND_MISSING: N_("Delivery date (estimated)"),
}


class ClaimNotFound(NotFound):
    code = "claim_not_found"


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return _now().date()


# --- detection -------------------------------------------------------------------------------


def detect(session: Session, *, store_id: int, as_of: date) -> DetectResult:
    """Create or refresh the claims of a store, every claim type, as seen on ``as_of``.

    Idempotent: one claim per claim type, order and SKU. Only candidates are refreshed; a
    filed or closed claim is never changed here (reconcile() handles reimbursements and
    reversals).
    """
    result = DetectResult()
    groups = claim_repository.refunds_by_order_sku(session, store_id=store_id)
    existing = {
        persist.key_of(claim): claim
        for claim in claim_repository.claims_of_store(session, store_id=store_id)
    }
    _detect_refund_not_returned(
        session, store_id=store_id, as_of=as_of, groups=groups, existing=existing, result=result
    )
    _detect_returned(
        session, store_id=store_id, as_of=as_of, groups=groups, existing=existing, result=result
    )
    detectors.detect_reversals(
        session, store_id=store_id, as_of=as_of, existing=existing, result=result
    )
    detectors.detect_removals_lost(
        session, store_id=store_id, as_of=as_of, existing=existing, result=result
    )
    inbound.detect_inbound_missing(
        session, store_id=store_id, as_of=as_of, existing=existing, result=result
    )
    detectors.expire_recorded(session, store_id=store_id, as_of=as_of, result=result)
    session.flush()
    return result


def _detect_refund_not_returned(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    groups: dict[tuple[str, str], tuple[str | None, list[calc.RefundLine]]],
    existing: dict[persist.ClaimKey, Claim],
    result: DetectResult,
) -> None:
    """Refunded, not returned: a refunded FBA unit not back at an FC after the wait."""
    claim_type = ClaimType.REFUND_NOT_RETURNED
    order_ids = [order_id for order_id, _sku in groups]
    channels = claim_repository.order_channels(session, store_id=store_id, order_ids=order_ids)
    returns = claim_repository.returns_by_order_sku(session, store_id=store_id, order_ids=order_ids)
    paid = claim_repository.reimbursements_by_order_sku(
        session, store_id=store_id, order_ids=order_ids
    )
    now = _now()
    for (order_id, sku), (marketplace_id, refunds) in groups.items():
        refunded_on = calc.refund_day(refunds)
        if refunded_on is None:
            continue
        rule = claim_rules.rule_for(claim_type, marketplace_id=marketplace_id, on=refunded_on)
        if rule is None:
            continue
        key = (order_id, sku)
        assessment = calc.assess(
            refunds=refunds,
            order_channel=channels.get(order_id),
            returns=returns.get(key, []),
            reimbursements=paid.get(key, []),
            rule=rule,
            refunded_on=refunded_on,
            as_of=as_of,
        )
        facts = claim_evidence.evidence(
            order_id=order_id,
            channel=channels.get(order_id),
            refunds=refunds,
            returns=returns.get(key, []),
            reimbursements=paid.get(key, []),
            assessment=assessment,
            rule=rule,
            as_of=as_of,
        )
        found = persist.Found(
            store_id=store_id,
            marketplace_id=marketplace_id,
            claim_type=claim_type,
            order_id=order_id,
            sku=sku,
            outcome=assessment.outcome,
            closes_on=assessment.closes_on,
            fields=claim_evidence.assessed(assessment, rule, facts, now),
        )
        persist.save(
            session,
            found=found,
            claim=existing.get(found.key),
            as_of=as_of,
            now=now,
            result=result,
        )


def _detect_returned(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    groups: dict[tuple[str, str], tuple[str | None, list[calc.RefundLine]]],
    existing: dict[persist.ClaimKey, Claim],
    result: DetectResult,
) -> None:
    """Claims read from the FBA customer returns report: a unit the warehouse or the carrier
    damaged, and a switcheroo, each not reimbursed once the rule's wait has passed."""
    candidates = claim_repository.claimable_returns(session, store_id=store_id)
    if not candidates:
        return
    paid = claim_repository.reimbursements_by_order_sku(
        session, store_id=store_id, order_ids=[order_id for order_id, _sku in candidates]
    )
    now = _now()
    for (order_id, sku), (marketplace_id, returns) in candidates.items():
        refund_market, refunds = groups.get((order_id, sku), (None, []))
        market = marketplace_id or refund_market
        for claim_type in RETURNED_TYPES:
            qualifying = calc.qualifying_returns(claim_type, returns)
            if not qualifying:
                continue
            event_day = calc.returned_event_day(claim_type, qualifying, refunds)
            rule = claim_rules.rule_for(claim_type, marketplace_id=market, on=event_day)
            if rule is None:
                continue
            reimbursements = paid.get((order_id, sku), [])
            assessment = calc.assess_returned(
                claim_type=claim_type,
                qualifying=qualifying,
                refunds=refunds,
                reimbursements=reimbursements,
                rule=rule,
                event_day=event_day,
                as_of=as_of,
            )
            fields = claim_evidence.returned_fields(
                assessment,
                rule,
                claim_evidence.returned_evidence(
                    order_id=order_id,
                    refunds=refunds,
                    returns=qualifying,
                    reimbursements=reimbursements,
                    assessment=assessment,
                    rule=rule,
                    as_of=as_of,
                ),
                now,
            )
            found = persist.Found(
                store_id=store_id,
                marketplace_id=market,
                claim_type=claim_type,
                order_id=order_id,
                sku=sku,
                outcome=assessment.outcome,
                closes_on=assessment.closes_on,
                fields=fields,
            )
            persist.save(
                session,
                found=found,
                claim=existing.get(found.key),
                as_of=as_of,
                now=now,
                result=result,
            )


def _paid_in_full(
    claim: Claim,
    paid: dict[tuple[str, str], list[calc.ReimbursementLine]],
    inbound_paid: dict[str, list[calc.ReimbursementLine]],
    repaid: set[persist.ClaimKey],
) -> tuple[bool, list[calc.ReimbursementLine]]:
    """Whether the reimbursements report shows the claim paid, and the lines it read."""
    if claim.claim_type == ClaimType.REIMBURSEMENT_REVERSED:
        return persist.key_of(claim) in repaid, []
    if claim.claim_type == ClaimType.INBOUND_MISSING:
        lines = inbound_paid.get(claim.sku, [])
        since = date.fromisoformat(
            (claim.evidence or {}).get("check", {}).get("before_day", claim.refunded_on.isoformat())
        )
        return inbound.inbound_paid(lines, since=since) >= claim.units, lines
    lines = paid.get((claim.amazon_order_id, claim.sku), [])
    if claim.claim_type in (ClaimType.REMOVAL_LOST, ClaimType.REMOVAL_DAMAGED):
        return detectors.removal_units_paid(lines) >= claim.units, lines
    reimbursed = calc.units_reimbursed(lines, calc.reimbursement_reasons(claim.claim_type))
    return reimbursed >= claim.units, lines


def reconcile(session: Session, *, store_id: int) -> DetectResult:
    """Close claims Amazon has paid for; reopen reimbursed ones whose payment was reversed."""
    result = DetectResult()
    claims = claim_repository.claims_of_store(session, store_id=store_id)
    paid = claim_repository.reimbursements_by_order_sku(
        session,
        store_id=store_id,
        order_ids=[claim.amazon_order_id for claim in claims if claim.amazon_order_id],
    )
    inbound_lines = (
        claim_repository.reimbursements_of_skus(
            session, store_id=store_id, reasons=inbound.INBOUND_REASONS
        )
        if any(claim.claim_type == ClaimType.INBOUND_MISSING for claim in claims)
        else {}
    )
    repaid = (
        detectors.repaid_reversals(session, store_id=store_id)
        if any(claim.claim_type == ClaimType.REIMBURSEMENT_REVERSED for claim in claims)
        else set()
    )
    for claim in claims:
        done, lines = _paid_in_full(claim, paid, inbound_lines, repaid)
        ids = ", ".join(sorted({line.reimbursement_id for line in lines}))
        if done and state.can_mark_reimbursed(claim):
            state.mark_reimbursed(session, claim, user_id=None, note=f"reimbursements: {ids}")
            result.reimbursed += 1
        elif (
            claim.status == ClaimStatus.REIMBURSED
            and not done
            and any(line.reason == calc.REVERSAL_REASON for line in lines)
        ):
            state.reopen(session, claim, user_id=None, note=f"reversed: {ids}")
            result.reopened += 1
    session.flush()
    return result


def find_claims(
    session: Session, *, access: Access, store_ids: tuple[int, ...], as_of: date | None = None
) -> DetectResult:
    """Detect and reconcile for the given stores (all the user manages when empty)."""
    for store_id in store_ids:
        access.require(store_id, Permission.MANAGE)
    chosen = store_ids or access.store_ids_with(Permission.MANAGE)
    total = DetectResult()
    for store_id in chosen:
        found = detect(session, store_id=store_id, as_of=as_of or _today())
        closed = reconcile(session, store_id=store_id)
        total.created += found.created
        total.updated += found.updated
        total.expired += found.expired
        total.reimbursed += closed.reimbursed
        total.reopened += closed.reopened
    return total


# --- lifecycle -------------------------------------------------------------------------------


def change_status(
    session: Session,
    *,
    access: Access,
    claim_id: int,
    status: str | None,
    note: str | None = None,
) -> ClaimDetail:
    """Move a claim to ``status`` (404 outside the user's stores, 403 without MANAGE, 409
    when the lifecycle does not allow it)."""
    claim, _name = _find(session, scope=access.scope(), claim_id=claim_id)
    access.require(claim.store_id, Permission.MANAGE)
    # Checked after the lookup: another store's claim answers 404 whatever the body says.
    verb = state.BY_TARGET.get(ClaimStatus(status)) if status in set(ClaimStatus) else None
    if verb is None:
        raise InvalidInput(
            N_("a claim cannot be set to %(status)s"), status=str(status), field="status"
        )
    state.apply(session, claim, verb, user_id=access.user_id, note=note or None)
    session.flush()
    return get_claim(session, scope=access.scope(), claim_id=claim_id)


# --- reading ---------------------------------------------------------------------------------


def _find(session: Session, *, scope: Scope, claim_id: int) -> tuple[Claim, str]:
    found = claim_repository.by_id(session, scope=scope, claim_id=claim_id)
    if found is None:
        # Same answer for "does not exist" and "belongs to another store".
        raise ClaimNotFound(N_("no claim with id %(id)s"), id=claim_id)
    return found


def _out(claim: Claim, store_name: str, today: date) -> ClaimOut:
    return ClaimOut(
        id=claim.id,
        store_id=claim.store_id,
        store_name=store_name,
        marketplace_id=claim.marketplace_id,
        claim_type=claim.claim_type,
        type_label=TYPE_LABELS.get(claim.claim_type, claim.claim_type),
        date_label=DATE_LABELS.get(claim.claim_type, N_("Refund date")),
        amazon_order_id=claim.amazon_order_id,
        sku=claim.sku,
        reference=claim.reference or "",
        units=claim.units,
        estimated_value=claim.estimated_value,
        currency=claim.currency,
        refunded_on=claim.refunded_on,
        opens_on=claim.opens_on,
        closes_on=claim.closes_on,
        days_left=(claim.closes_on - today).days,
        status=ClaimStatus(claim.status),
        rule_id=claim.rule_id,
        rule_version=claim.rule_version,
        created_at=claim.created_at,
        updated_at=claim.updated_at,
    )


def _priority(claim: ClaimOut) -> tuple[int, Decimal]:
    """Open money first, weighted by how soon its window closes."""
    if claim.status not in ACTIVE:
        return (1, -claim.estimated_value)
    return (0, -(claim.estimated_value / max(claim.days_left, 1)))


def list_claims(
    session: Session,
    *,
    scope: Scope,
    status: ClaimStatus | None = None,
    sort: str = "priority",
    as_of: date | None = None,
    claim_type: ClaimType | None = None,
) -> ClaimList:
    if sort not in SORTS:
        raise InvalidInput(N_("cannot sort claims by %(key)s"), key=sort, field="sort")
    today = as_of or _today()
    items = [
        _out(claim, name, today)
        for claim, name in claim_repository.in_scope(
            session,
            scope=scope,
            status=status.value if status else None,
            claim_type=claim_type.value if claim_type else None,
        )
    ]
    if sort == "priority":
        items.sort(key=_priority)
    elif sort == "value":
        items.sort(key=lambda item: -item.estimated_value)
    elif sort == "closes_on":
        items.sort(key=lambda item: item.closes_on)
    else:
        items.sort(key=lambda item: item.created_at, reverse=True)
    recoverable: dict[str | None, Decimal] = defaultdict(Decimal)
    expiring: dict[str | None, Decimal] = defaultdict(Decimal)
    # Totals cover the whole scope, whatever the status and type filters show.
    every = (
        items
        if status is None and claim_type is None
        else [
            _out(claim, name, today)
            for claim, name in claim_repository.in_scope(session, scope=scope, status=None)
        ]
    )
    for item in every:
        if item.status in ACTIVE:
            recoverable[item.currency] += item.estimated_value
        if item.status == ClaimStatus.CANDIDATE and 0 <= item.days_left <= EXPIRING_DAYS:
            expiring[item.currency] += item.estimated_value
    return ClaimList(
        items=items,
        totals=ClaimTotals(
            recoverable=[
                MoneyTotal(currency=c, amount=a)
                for c, a in sorted(recoverable.items(), key=lambda pair: pair[0] or "")
            ],
            expiring_7_days=[
                MoneyTotal(currency=c, amount=a)
                for c, a in sorted(expiring.items(), key=lambda pair: pair[0] or "")
            ],
        ),
    )


def get_claim(
    session: Session, *, scope: Scope, claim_id: int, as_of: date | None = None
) -> ClaimDetail:
    claim, name = _find(session, scope=scope, claim_id=claim_id)
    base = _out(claim, name, as_of or _today())
    events = claim_repository.events_of(session, claim_id=claim.id)
    emails = claim_repository.user_emails(
        session, user_ids=[event.user_id for event in events if event.user_id is not None]
    )
    return ClaimDetail(
        **base.model_dump(),
        evidence=claim.evidence,
        events=[
            ClaimEventOut(
                from_status=event.from_status,
                to_status=event.to_status,
                user_id=event.user_id,
                user_email=emails.get(event.user_id) if event.user_id else None,
                at=event.at,
                note=event.note,
            )
            for event in events
        ],
        allowed=[state.TRANSITIONS[verb][1].value for verb in state.allowed_verbs(claim)],
        case_text=case_text(claim),
    )
