"""Reimbursement claims: detect them from imported reports, reconcile them with
reimbursements, move them through their lifecycle, list them by money and urgency."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import claim_rules
from aftersales.amazon.marketplaces import by_id as marketplace_by_id
from aftersales.claims import calc, state
from aftersales.claims import repository as claim_repository
from aftersales.claims.calc import Assessment, Outcome
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
NEW_STATUS = {Outcome.OPEN: ClaimStatus.CANDIDATE, Outcome.WINDOW_CLOSED: ClaimStatus.EXPIRED}
# Claim types read from the FBA customer returns report.
RETURNED_TYPES = (ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED, ClaimType.SWITCHEROO)
# What the pages call each claim type (translated where shown).
TYPE_LABELS: dict[str, str] = {
    ClaimType.REFUND_NOT_RETURNED: N_("Refunded, not returned"),
    ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED: N_("Returned damaged by Amazon, not reimbursed"),
    ClaimType.SWITCHEROO: N_("Different item returned (switcheroo)"),
}
# What the claim's date column means for each type.
DATE_LABELS: dict[str, str] = {
    ClaimType.REFUND_NOT_RETURNED: N_("Refund date"),
    ClaimType.RETURNED_DAMAGED_NOT_REIMBURSED: N_("Return date"),
    ClaimType.SWITCHEROO: N_("Refund or return date"),
}


class ClaimNotFound(NotFound):
    code = "claim_not_found"


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return _now().date()


# --- detection -------------------------------------------------------------------------------


def _refund_out(line: calc.RefundLine) -> dict[str, Any]:
    return {
        "refund_row_id": line.id,
        "adjustment_id": line.adjustment_id,
        "posted": line.posted.isoformat() if line.posted else None,
        "quantity": line.quantity,
        "amount_type": line.amount_type,
        "amount_description": line.amount_description,
        "amount": str(line.amount),
        "currency": line.currency,
    }


def _reimbursement_out(line: calc.ReimbursementLine) -> dict[str, Any]:
    return {
        "reimbursement_row_id": line.id,
        "reimbursement_id": line.reimbursement_id,
        "approval_date": line.approval_date.isoformat(),
        "reason": line.reason,
        "original_type": line.original_type,
        "quantity": line.quantity,
        "amount": str(line.amount) if line.amount is not None else None,
        "currency": line.currency,
    }


def _rule_out(rule: claim_rules.ClaimRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "effective_from": rule.version,
        "wait_days": rule.wait_days,
        "window_days": rule.window_days,
        "valuation": str(rule.valuation),
        "source": rule.source,
    }


def _evidence(
    *,
    order_id: str,
    channel: str | None,
    refunds: list[calc.RefundLine],
    returns: list[calc.ReturnLine],
    reimbursements: list[calc.ReimbursementLine],
    assessment: Assessment,
    rule: claim_rules.ClaimRule,
    as_of: date,
) -> dict[str, Any]:
    return {
        "order": {"amazon_order_id": order_id, "fulfillment_channel": channel},
        "refunds": [_refund_out(line) for line in refunds],
        "returns": [
            {
                "return_row_id": line.id,
                "return_date": line.return_date.isoformat(),
                "quantity": line.quantity,
                "disposition": line.disposition,
                "license_plate_number": line.license_plate_number,
            }
            for line in returns
        ],
        "reimbursements": [_reimbursement_out(line) for line in reimbursements],
        "units": {
            "refunded": assessment.units_refunded,
            "returned": assessment.units_returned,
            "reimbursed": assessment.units_reimbursed,
        },
        "dates": {
            "refunded_on": assessment.refunded_on.isoformat(),
            "opens_on": assessment.opens_on.isoformat(),
            "closes_on": assessment.closes_on.isoformat(),
            "detected_as_of": as_of.isoformat(),
        },
        "rule": _rule_out(rule),
    }


def detect(session: Session, *, store_id: int, as_of: date) -> DetectResult:
    """Create or refresh the claims of a store, every claim type, as seen on ``as_of``.

    Idempotent: one claim per claim type, order and SKU. Only candidates are refreshed; a
    filed or closed claim is never changed here (reconcile() handles reimbursements and
    reversals).
    """
    result = DetectResult()
    groups = claim_repository.refunds_by_order_sku(session, store_id=store_id)
    existing = {
        (claim.claim_type, claim.amazon_order_id, claim.sku): claim
        for claim in claim_repository.claims_of_store(session, store_id=store_id)
    }
    _detect_refund_not_returned(
        session, store_id=store_id, as_of=as_of, groups=groups, existing=existing, result=result
    )
    _detect_returned(
        session, store_id=store_id, as_of=as_of, groups=groups, existing=existing, result=result
    )
    session.flush()
    return result


def _detect_refund_not_returned(
    session: Session,
    *,
    store_id: int,
    as_of: date,
    groups: dict[tuple[str, str], tuple[str | None, list[calc.RefundLine]]],
    existing: dict[tuple[str, str, str], Claim],
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
        evidence = _evidence(
            order_id=order_id,
            channel=channels.get(order_id),
            refunds=refunds,
            returns=returns.get(key, []),
            reimbursements=paid.get(key, []),
            assessment=assessment,
            rule=rule,
            as_of=as_of,
        )
        _save(
            session,
            claim=existing.get((claim_type.value, order_id, sku)),
            key=(store_id, marketplace_id, claim_type, order_id, sku),
            outcome=assessment.outcome,
            closes_on=assessment.closes_on,
            fields=_assessed(assessment, rule, evidence, now),
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
    existing: dict[tuple[str, str, str], Claim],
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
            fields = _returned_fields(
                assessment,
                rule,
                _returned_evidence(
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
            _save(
                session,
                claim=existing.get((claim_type.value, order_id, sku)),
                key=(store_id, market, claim_type, order_id, sku),
                outcome=assessment.outcome,
                closes_on=assessment.closes_on,
                fields=fields,
                as_of=as_of,
                now=now,
                result=result,
            )


def _save(
    session: Session,
    *,
    claim: Claim | None,
    key: tuple[int, str | None, ClaimType, str, str],
    outcome: Outcome,
    closes_on: date,
    fields: dict[str, Any],
    as_of: date,
    now: datetime,
    result: DetectResult,
) -> None:
    """Create the claim when it is claimable (or already expired), else refresh a candidate
    and expire it once its window closed; filed and closed claims are left alone."""
    store_id, marketplace_id, claim_type, order_id, sku = key
    if claim is None:
        status = NEW_STATUS.get(outcome)
        if status is None:
            return
        claim = Claim(
            store_id=store_id,
            marketplace_id=marketplace_id,
            claim_type=claim_type.value,
            amazon_order_id=order_id,
            sku=sku,
            status=status.value,
            created_at=now,
            **fields,
        )
        session.add(claim)
        session.flush()
        state.record_creation(session, claim, note=f"detected as of {as_of.isoformat()}")
        result.created += 1
        return
    if claim.status != ClaimStatus.CANDIDATE:
        return
    if outcome in (Outcome.OPEN, Outcome.WINDOW_CLOSED, Outcome.WAITING):
        for name, value in fields.items():
            setattr(claim, name, value)
        result.updated += 1
    if outcome is Outcome.WINDOW_CLOSED and state.can_expire(claim):
        state.expire(session, claim, user_id=None, note=f"window closed on {closes_on.isoformat()}")
        result.expired += 1


def _returned_evidence(
    *,
    order_id: str,
    refunds: list[calc.RefundLine],
    returns: list[calc.ReturnLine],
    reimbursements: list[calc.ReimbursementLine],
    assessment: calc.ReturnedAssessment,
    rule: claim_rules.ClaimRule,
    as_of: date,
) -> dict[str, Any]:
    return {
        "order": {"amazon_order_id": order_id},
        "refunds": [_refund_out(line) for line in refunds],
        "returns": [
            {
                "return_row_id": line.id,
                "return_date": line.return_date.isoformat(),
                "quantity": line.quantity,
                "disposition": line.disposition,
                "reason": line.reason,
                "license_plate_number": line.license_plate_number,
            }
            for line in returns
        ],
        "reimbursements": [_reimbursement_out(line) for line in reimbursements],
        "units": {
            "claimed": assessment.units_claimed,
            "reimbursed": assessment.units_reimbursed,
            "refunded": calc.units_refunded(refunds),
        },
        "dates": {
            "event_day": assessment.event_day.isoformat(),
            "returned_on": returns[0].return_date.date().isoformat() if returns else None,
            "refunded_on": (day.isoformat() if (day := calc.refund_day(refunds)) else None),
            "opens_on": assessment.opens_on.isoformat(),
            "closes_on": assessment.closes_on.isoformat(),
            "detected_as_of": as_of.isoformat(),
        },
        "rule": _rule_out(rule),
    }


def _returned_fields(
    assessment: calc.ReturnedAssessment,
    rule: claim_rules.ClaimRule,
    evidence: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "units": assessment.units_claimed,
        "estimated_value": assessment.estimated_value,
        "currency": assessment.currency,
        "refunded_on": assessment.event_day,
        "opens_on": assessment.opens_on,
        "closes_on": assessment.closes_on,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "updated_at": now,
    }


def _assessed(
    assessment: Assessment, rule: claim_rules.ClaimRule, evidence: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "units": assessment.units_refunded - assessment.units_returned,
        "estimated_value": assessment.estimated_value,
        "currency": assessment.currency,
        "refunded_on": assessment.refunded_on,
        "opens_on": assessment.opens_on,
        "closes_on": assessment.closes_on,
        "evidence": evidence,
        "rule_id": rule.id,
        "rule_version": rule.version,
        "updated_at": now,
    }


def reconcile(session: Session, *, store_id: int) -> DetectResult:
    """Close claims Amazon has paid for; reopen reimbursed ones whose payment was reversed."""
    result = DetectResult()
    claims = claim_repository.claims_of_store(session, store_id=store_id)
    paid = claim_repository.reimbursements_by_order_sku(
        session, store_id=store_id, order_ids=[claim.amazon_order_id for claim in claims]
    )
    for claim in claims:
        lines = paid.get((claim.amazon_order_id, claim.sku), [])
        reimbursed = calc.units_reimbursed(lines, calc.reimbursement_reasons(claim.claim_type))
        ids = ", ".join(sorted({line.reimbursement_id for line in lines}))
        if reimbursed >= claim.units and state.can_mark_reimbursed(claim):
            state.mark_reimbursed(session, claim, user_id=None, note=f"reimbursements: {ids}")
            result.reimbursed += 1
        elif (
            claim.status == ClaimStatus.REIMBURSED
            and reimbursed < claim.units
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
    return ClaimDetail(
        **base.model_dump(),
        evidence=claim.evidence,
        events=[
            ClaimEventOut(
                from_status=event.from_status,
                to_status=event.to_status,
                user_id=event.user_id,
                at=event.at,
                note=event.note,
            )
            for event in events
        ],
        allowed=[state.TRANSITIONS[verb][1].value for verb in state.allowed_verbs(claim)],
        case_text=case_text(claim),
    )


def case_text(claim: Claim) -> str:
    """A case for Seller Support, in English (the language cases are handled in)."""
    if claim.claim_type in RETURNED_TYPES:
        return _returned_case_text(claim)
    evidence = claim.evidence or {}
    market = marketplace_by_id(claim.marketplace_id) if claim.marketplace_id else None
    refunds = evidence.get("refunds", [])
    adjustments = sorted({str(r["adjustment_id"]) for r in refunds if r.get("adjustment_id")})
    units = evidence.get("units", {})
    returns = evidence.get("returns", [])
    value = f"{claim.estimated_value:.2f} {claim.currency or ''}".strip()
    lines = [
        "Hello Seller Support,",
        "",
        "The customer of the FBA order below was refunded, but the unit has not been "
        "returned to an Amazon fulfillment center within the waiting period after the "
        "refund, and we have not received a reimbursement for it. Please reimburse us.",
        "",
        f"Order ID: {claim.amazon_order_id}",
        f"SKU: {claim.sku}",
        f"Marketplace: {market.domain if market else claim.marketplace_id or 'unknown'}",
        f"Refund date: {claim.refunded_on.isoformat()}",
        f"Refund adjustment ID(s): {', '.join(adjustments) or 'see the settlement report'}",
        f"Units refunded: {units.get('refunded', claim.units)}",
        f"Units returned to a fulfillment center: {units.get('returned', 0)}",
        f"Units to reimburse: {claim.units}",
        f"Estimated value: {value}",
        "",
        f"The FBA customer returns report shows {len(returns)} return(s) for this order and "
        "SKU, and the reimbursements report shows no reimbursement covering these units.",
        f"Per the FBA customer return reimbursement policy, this claim may be filed from "
        f"{claim.opens_on.isoformat()} until {claim.closes_on.isoformat()}.",
        "",
        "Thank you.",
    ]
    return "\n".join(lines)


def _returned_case_text(claim: Claim) -> str:
    """The case of a damaged or switched returned unit: the return rows with their LPNs."""
    evidence = claim.evidence or {}
    market = marketplace_by_id(claim.marketplace_id) if claim.marketplace_id else None
    returns = evidence.get("returns", [])
    dates = evidence.get("dates", {})
    value = f"{claim.estimated_value:.2f} {claim.currency or ''}".strip()
    if claim.claim_type == ClaimType.SWITCHEROO:
        summary = (
            "The customer of the FBA order below returned a different item from the one we "
            "sold (return reason SWITCHEROO in the FBA customer returns report). The customer "
            "was refunded, our unit did not come back, and we have not received a "
            "reimbursement for it. Please investigate and reimburse us."
        )
        window = "the FBA customer return reimbursement policy"
    else:
        summary = (
            "A unit of the FBA order below was returned and the fulfillment center's "
            "disposition shows it was damaged in Amazon's fulfillment center or by the "
            "carrier, so Amazon is responsible for it. We have not received a reimbursement "
            "for it. Please reimburse us."
        )
        window = "the FBA damaged inventory reimbursement policy"
    lines = [
        "Hello Seller Support,",
        "",
        summary,
        "",
        f"Order ID: {claim.amazon_order_id}",
        f"SKU: {claim.sku}",
        f"Marketplace: {market.domain if market else claim.marketplace_id or 'unknown'}",
    ]
    if dates.get("refunded_on"):
        lines.append(f"Refund date: {dates['refunded_on']}")
    lines += [
        f"Units to reimburse: {claim.units}",
        f"Estimated value: {value}",
        "",
        "Returned units (FBA customer returns report):",
    ]
    for row in returns:
        lines.append(
            f"- LPN {row.get('license_plate_number') or 'not given'}, "
            f"returned {str(row.get('return_date', ''))[:10]}, "
            f"quantity {row.get('quantity')}, "
            f"disposition {row.get('disposition') or 'not given'}, "
            f"reason {row.get('reason') or 'not given'}"
        )
    lines += [
        "",
        "The reimbursements report shows no reimbursement covering these units.",
        f"Per {window}, this claim may be filed from "
        f"{claim.opens_on.isoformat()} until {claim.closes_on.isoformat()}.",
        "",
        "Thank you.",
    ]
    return "\n".join(lines)
