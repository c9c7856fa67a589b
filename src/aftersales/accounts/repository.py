"""SQL for users, memberships, tokens, invitations and sign-in attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from aftersales.models import ApiToken, Invitation, LoginAttempt, Membership, Store, User


def user_by_email(session: Session, email: str) -> User | None:
    return session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def memberships_of(session: Session, user_id: int) -> list[tuple[Membership, Store]]:
    statement = (
        select(Membership, Store)
        .join(Store, Store.id == Membership.store_id)
        .where(Membership.user_id == user_id)
        .order_by(Store.name)
    )
    return [(membership, store) for membership, store in session.execute(statement)]


def membership(session: Session, *, store_id: int, user_id: int) -> Membership | None:
    return session.execute(
        select(Membership).where(Membership.store_id == store_id, Membership.user_id == user_id)
    ).scalar_one_or_none()


def members_of(session: Session, store_id: int) -> list[tuple[Membership, User]]:
    statement = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.store_id == store_id)
        .order_by(User.email)
    )
    return [(membership, user) for membership, user in session.execute(statement)]


def count_role(session: Session, *, store_id: int, role: str) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Membership)
            .where(Membership.store_id == store_id, Membership.role == role)
        ).scalar_one()
    )


def delete_membership(session: Session, membership: Membership) -> None:
    session.delete(membership)
    session.flush()


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    return list(
        session.execute(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())
        ).scalars()
    )


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.execute(
        select(ApiToken).where(ApiToken.token_hash == token_hash)
    ).scalar_one_or_none()


def invitation_by_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.execute(
        select(Invitation).where(Invitation.token_hash == token_hash)
    ).scalar_one_or_none()


def open_invitations(session: Session, store_id: int, now: datetime) -> list[Invitation]:
    return list(
        session.execute(
            select(Invitation)
            .where(
                Invitation.store_id == store_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at.desc())
        ).scalars()
    )


def invitation_in_store(
    session: Session, *, store_id: int, invitation_id: int
) -> Invitation | None:
    return session.execute(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.store_id == store_id)
    ).scalar_one_or_none()


def failures_since(
    session: Session, *, email: str | None, client: str | None, since: datetime
) -> int:
    statement = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since)
    )
    if email is not None:
        statement = statement.where(LoginAttempt.email == email)
    if client is not None:
        statement = statement.where(LoginAttempt.client == client)
    return int(session.execute(statement).scalar_one())


def forget_attempts_before(session: Session, before: datetime) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))


def all_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.email)).scalars())
