"""The claim lifecycle: allowed transitions, their checks, and the event each change writes."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from aftersales.exceptions import Conflict
from aftersales.kit.i18n import N_
from aftersales.models import Claim, ClaimEvent, ClaimStatus


class Transition(StrEnum):
    FILE = "file"
    MARK_REIMBURSED = "mark_reimbursed"
    REJECT = "reject"
    EXPIRE = "expire"
    REOPEN = "reopen"


# (allowed from, to) per verb. Expired claims can still be reimbursed: Amazon pays
# unreturned refunds on its own, whether or not a case was opened in time.
TRANSITIONS: dict[Transition, tuple[frozenset[ClaimStatus], ClaimStatus]] = {
    Transition.FILE: (frozenset({ClaimStatus.CANDIDATE}), ClaimStatus.FILED),
    Transition.MARK_REIMBURSED: (
        frozenset({ClaimStatus.CANDIDATE, ClaimStatus.FILED, ClaimStatus.EXPIRED}),
        ClaimStatus.REIMBURSED,
    ),
    Transition.REJECT: (
        frozenset({ClaimStatus.CANDIDATE, ClaimStatus.FILED}),
        ClaimStatus.REJECTED,
    ),
    Transition.EXPIRE: (frozenset({ClaimStatus.CANDIDATE}), ClaimStatus.EXPIRED),
    Transition.REOPEN: (
        frozenset({ClaimStatus.REIMBURSED, ClaimStatus.REJECTED, ClaimStatus.EXPIRED}),
        ClaimStatus.CANDIDATE,
    ),
}

# The verb that leads to a target status, for "set the status to X" requests.
BY_TARGET: dict[ClaimStatus, Transition] = {
    target: verb for verb, (_sources, target) in TRANSITIONS.items()
}


class ClaimTransitionNotAllowed(Conflict):
    code = "claim_transition_not_allowed"


def _now() -> datetime:
    return datetime.now(UTC)


def can(claim: Claim, verb: Transition) -> bool:
    sources, _target = TRANSITIONS[verb]
    return ClaimStatus(claim.status) in sources


def ensure_can(claim: Claim, verb: Transition) -> None:
    if not can(claim, verb):
        raise ClaimTransitionNotAllowed(
            N_("a %(status)s claim cannot be moved with “%(verb)s”"),
            status=claim.status,
            verb=str(verb),
        )


def allowed_verbs(claim: Claim) -> list[Transition]:
    """The transitions the claim's buttons offer."""
    return [verb for verb in Transition if can(claim, verb)]


def apply(
    session: Session,
    claim: Claim,
    verb: Transition,
    *,
    user_id: int | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> ClaimEvent:
    """Move the claim and log the change in the same transaction; 409 when not allowed."""
    ensure_can(claim, verb)
    moment = at or _now()
    _sources, target = TRANSITIONS[verb]
    event = ClaimEvent(
        claim_id=claim.id,
        from_status=claim.status,
        to_status=target.value,
        user_id=user_id,
        at=moment,
        note=note,
    )
    claim.status = target.value
    claim.updated_at = moment
    session.add(event)
    return event


def record_creation(session: Session, claim: Claim, *, note: str | None = None) -> ClaimEvent:
    event = ClaimEvent(
        claim_id=claim.id,
        from_status=None,
        to_status=claim.status,
        user_id=None,
        at=claim.created_at,
        note=note,
    )
    session.add(event)
    return event


# Thin named verbs, so callers read as the lifecycle does.
def can_file(claim: Claim) -> bool:
    return can(claim, Transition.FILE)


def ensure_can_file(claim: Claim) -> None:
    ensure_can(claim, Transition.FILE)


def file(session: Session, claim: Claim, *, user_id: int | None, note: str | None = None) -> None:
    apply(session, claim, Transition.FILE, user_id=user_id, note=note)


def can_mark_reimbursed(claim: Claim) -> bool:
    return can(claim, Transition.MARK_REIMBURSED)


def ensure_can_mark_reimbursed(claim: Claim) -> None:
    ensure_can(claim, Transition.MARK_REIMBURSED)


def mark_reimbursed(
    session: Session, claim: Claim, *, user_id: int | None, note: str | None = None
) -> None:
    apply(session, claim, Transition.MARK_REIMBURSED, user_id=user_id, note=note)


def can_reject(claim: Claim) -> bool:
    return can(claim, Transition.REJECT)


def ensure_can_reject(claim: Claim) -> None:
    ensure_can(claim, Transition.REJECT)


def reject(session: Session, claim: Claim, *, user_id: int | None, note: str | None = None) -> None:
    apply(session, claim, Transition.REJECT, user_id=user_id, note=note)


def can_expire(claim: Claim) -> bool:
    return can(claim, Transition.EXPIRE)


def ensure_can_expire(claim: Claim) -> None:
    ensure_can(claim, Transition.EXPIRE)


def expire(session: Session, claim: Claim, *, user_id: int | None, note: str | None = None) -> None:
    apply(session, claim, Transition.EXPIRE, user_id=user_id, note=note)


def can_reopen(claim: Claim) -> bool:
    return can(claim, Transition.REOPEN)


def ensure_can_reopen(claim: Claim) -> None:
    ensure_can(claim, Transition.REOPEN)


def reopen(session: Session, claim: Claim, *, user_id: int | None, note: str | None = None) -> None:
    apply(session, claim, Transition.REOPEN, user_id=user_id, note=note)
