"""Users, memberships, invitations, API tokens and sign-in: the rules; callers commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from aftersales.accounts import passwords
from aftersales.accounts import repository as account_repository
from aftersales.accounts.roles import ROLE_LABELS, Permission, allows
from aftersales.config import get_settings
from aftersales.exceptions import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from aftersales.kit.i18n import N_, Message
from aftersales.kit.scope import Scope
from aftersales.models import ApiToken, Invitation, LoginAttempt, Membership, Role, Store, User
from aftersales.stores import service as store_service

TOKEN_PREFIX = "as_"
INVITATION_DAYS = 7


class UserExists(Conflict):
    code = "user_exists"


class StoreNotVisible(NotFound):
    """Also raised for stores that exist but the user is not a member of: never confirm them."""

    code = "store_not_found"


class LastOwner(Conflict):
    code = "last_owner"


class InvitationInvalid(NotFound):
    code = "invitation_invalid"


class TooManySignIns(TooManyRequests):
    code = "too_many_sign_ins"


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    text = email.strip().lower()
    local, _, domain = text.partition("@")
    if not local or "." not in domain or " " in text or len(text) > 254:
        raise InvalidInput(N_("%(email)s is not an e-mail address"), email=email, field="email")
    return text


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError as error:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput(
            N_("unknown role '%(role)s'; choose one of %(choices)s"),
            role=role,
            choices=choices,
            field="role",
        ) from error


@dataclass(frozen=True)
class StoreAccess:
    store_id: int
    name: str
    region: str
    role: Role


@dataclass(frozen=True)
class Access:
    """Who is asking and what they may see: built once per request from the memberships."""

    user_id: int
    email: str
    stores: dict[int, StoreAccess] = field(default_factory=dict)

    def role_in(self, store_id: int) -> Role:
        access = self.stores.get(store_id)
        if access is None:
            raise StoreNotVisible(N_("no such store"))
        return access.role

    def require(self, store_id: int, permission: Permission) -> StoreAccess:
        """The store if the user may do ``permission`` there; 404 when not a member, else 403."""
        role = self.role_in(store_id)
        if not allows(role, permission):
            raise Forbidden(
                N_("your role (%(role)s) may not do this in this store"),
                role=Message(ROLE_LABELS[role]),
            )
        return self.stores[store_id]

    def can(self, store_id: int, permission: Permission) -> bool:
        access = self.stores.get(store_id)
        return access is not None and allows(access.role, permission)

    def store_ids_with(self, permission: Permission) -> tuple[int, ...]:
        return tuple(sid for sid, a in self.stores.items() if allows(a.role, permission))

    def scope(
        self,
        *,
        store_ids: tuple[int, ...] = (),
        marketplace_ids: tuple[str, ...] = (),
        permission: Permission = Permission.VIEW,
    ) -> Scope:
        """A Scope over the requested stores (all of the user's by default), checked."""
        for store_id in store_ids:
            self.require(store_id, permission)
        chosen = store_ids or self.store_ids_with(permission)
        if not chosen:
            raise StoreNotVisible(N_("you are not a member of any store yet"))
        return Scope(store_ids=tuple(sorted(chosen)), marketplace_ids=marketplace_ids)


def access_for(session: Session, *, user: User) -> Access:
    stores = {
        store.id: StoreAccess(store.id, store.name, store.region, Role(membership.role))
        for membership, store in account_repository.memberships_of(session, user.id)
    }
    return Access(user_id=user.id, email=user.email, stores=stores)


# --- users -------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str | None = None,
    locale: str | None = None,
) -> User:
    address = normalize_email(email)
    if account_repository.user_by_email(session, address):
        raise UserExists(N_("a user with e-mail %(email)s already exists"), email=address)
    user = User(
        email=address,
        display_name=(display_name or "").strip() or None,
        password_hash=passwords.hash_password(password),
        locale=locale,
        is_active=True,
        created_at=_now(),
    )
    account_repository.add(session, user)
    return user


def get_user(session: Session, *, user_id: int) -> User:
    user = account_repository.user_by_id(session, user_id)
    if user is None or not user.is_active:
        raise NotFound(N_("no such user"))
    return user


def set_locale(session: Session, *, user: User, locale: str) -> None:
    user.locale = locale
    session.flush()


def add_user_to_store(
    session: Session, *, email: str, store_name: str, role: str, password: str | None
) -> tuple[User, bool]:
    """The CLI's `users add`: create the user if new (password required) and make them a member.

    Returns the user and whether they were created.
    """
    store = store_service.get_store(session, name=store_name)
    parsed_role = parse_role(role)
    user = account_repository.user_by_email(session, normalize_email(email))
    created = user is None
    if user is None:
        if not password:
            raise InvalidInput(N_("a new user needs a password"), field="password")
        user = create_user(session, email=email, password=password)
    elif password:
        user.password_hash = passwords.hash_password(password)
    _put_member(session, store_id=store.id, user_id=user.id, role=parsed_role)
    return user, created


def _put_member(session: Session, *, store_id: int, user_id: int, role: Role) -> Membership:
    existing = account_repository.membership(session, store_id=store_id, user_id=user_id)
    if existing is not None:
        if existing.role == Role.OWNER and role != Role.OWNER:
            _ensure_other_owner(session, store_id=store_id)
        existing.role = role.value
        session.flush()
        return existing
    membership = Membership(user_id=user_id, store_id=store_id, role=role.value, created_at=_now())
    account_repository.add(session, membership)
    return membership


def _ensure_other_owner(session: Session, *, store_id: int) -> None:
    if account_repository.count_role(session, store_id=store_id, role=Role.OWNER.value) <= 1:
        raise LastOwner(N_("a store keeps at least one owner; make someone else owner first"))


# --- sign-in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInCheck:
    """What checking a sign-in found; ``record_sign_in`` writes it down."""

    email: str
    client: str
    user_id: int | None
    succeeded: bool
    new_hash: str | None = None  # the password re-hashed with current parameters


def check_sign_in(session: Session, *, email: str, password: str, client: str) -> SignInCheck:
    """Reads only: the rate limit, then the password (argon2 takes a while, so the
    caller runs this outside any write transaction and records the outcome after).

    Raises TooManySignIns, before checking the password, once the limit is reached.
    """
    settings = get_settings()
    since = _now() - timedelta(minutes=settings.login_window_minutes)
    address = email.strip().lower()[:254]
    client = client[:64]
    by_email = account_repository.failures_since(session, email=address, client=None, since=since)
    by_client = account_repository.failures_since(session, email=None, client=client, since=since)
    if by_email >= settings.login_max_failures or by_client >= 4 * settings.login_max_failures:
        raise TooManySignIns(
            N_("too many failed sign-ins; try again in %(minutes)s minutes"),
            minutes=settings.login_window_minutes,
        )
    user = account_repository.user_by_email(session, address)
    ok = passwords.verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        return SignInCheck(address, client, None, False)
    rehash = None
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        rehash = passwords.hash_password(password)
    return SignInCheck(address, client, user.id, True, rehash)


def record_sign_in(session: Session, *, check: SignInCheck) -> User | None:
    """Write the attempt (it counts for the rate limit); the user when it succeeded."""
    now = _now()
    account_repository.add(
        session,
        LoginAttempt(
            email=check.email, client=check.client, succeeded=check.succeeded, attempted_at=now
        ),
    )
    account_repository.forget_attempts_before(session, now - timedelta(days=1))
    if not check.succeeded or check.user_id is None:
        return None
    user = account_repository.user_by_id(session, check.user_id)
    if user is None:
        return None
    if check.new_hash:
        user.password_hash = check.new_hash
    user.last_login_at = now
    session.flush()
    return user


# --- members and invitations ----------------------------------------------------------


@dataclass(frozen=True)
class Member:
    user_id: int
    email: str
    display_name: str | None
    role: Role
    since: datetime


def list_members(session: Session, *, access: Access, store_id: int) -> list[Member]:
    access.require(store_id, Permission.VIEW)
    return [
        Member(user.id, user.email, user.display_name, Role(m.role), m.created_at)
        for m, user in account_repository.members_of(session, store_id)
    ]


def change_role(
    session: Session, *, access: Access, store_id: int, user_id: int, role: str
) -> Membership:
    access.require(store_id, Permission.ADMIN)
    membership = account_repository.membership(session, store_id=store_id, user_id=user_id)
    if membership is None:
        raise NotFound(N_("no such member"))
    return _put_member(session, store_id=store_id, user_id=user_id, role=parse_role(role))


def remove_member(session: Session, *, access: Access, store_id: int, user_id: int) -> None:
    access.require(store_id, Permission.ADMIN)
    membership = account_repository.membership(session, store_id=store_id, user_id=user_id)
    if membership is None:
        raise NotFound(N_("no such member"))
    if membership.role == Role.OWNER:
        _ensure_other_owner(session, store_id=store_id)
    account_repository.delete_membership(session, membership)


@dataclass(frozen=True)
class InviteOutcome:
    """Either an existing user was added at once, or a link (shown once) was created."""

    email: str
    added: bool
    token: str | None = None
    invitation: Invitation | None = None


def invite(
    session: Session, *, access: Access, store_id: int, email: str, role: str
) -> InviteOutcome:
    access.require(store_id, Permission.ADMIN)
    address = normalize_email(email)
    parsed_role = parse_role(role)
    user = account_repository.user_by_email(session, address)
    if user is not None:
        if account_repository.membership(session, store_id=store_id, user_id=user.id):
            raise Conflict(N_("%(email)s is already a member of this store"), email=address)
        _put_member(session, store_id=store_id, user_id=user.id, role=parsed_role)
        return InviteOutcome(email=address, added=True)
    token = secrets.token_urlsafe(32)
    now = _now()
    invitation = Invitation(
        store_id=store_id,
        email=address,
        role=parsed_role.value,
        token_hash=_digest(token),
        invited_by_id=access.user_id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    account_repository.add(session, invitation)
    return InviteOutcome(email=address, added=False, token=token, invitation=invitation)


def list_invitations(session: Session, *, access: Access, store_id: int) -> list[Invitation]:
    access.require(store_id, Permission.ADMIN)
    return account_repository.open_invitations(session, store_id, _now())


def revoke_invitation(
    session: Session, *, access: Access, store_id: int, invitation_id: int
) -> None:
    access.require(store_id, Permission.ADMIN)
    invitation = account_repository.invitation_in_store(
        session, store_id=store_id, invitation_id=invitation_id
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise NotFound(N_("no such open invitation"))
    invitation.revoked_at = _now()
    session.flush()


def open_invitation(session: Session, *, token: str) -> tuple[Invitation, Store]:
    invitation = account_repository.invitation_by_hash(session, _digest(token))
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.revoked_at is not None
        or invitation.expires_at <= _now()
    ):
        raise InvitationInvalid(N_("this invitation link is not valid any more; ask for a new one"))
    store = session.get(Store, invitation.store_id)
    assert store is not None  # the FK cascades: an invitation never outlives its store
    return invitation, store


def accept_invitation(
    session: Session, *, token: str, password: str, display_name: str | None = None
) -> User:
    invitation, _store = open_invitation(session, token=token)
    user = account_repository.user_by_email(session, invitation.email)
    if user is None:
        user = create_user(
            session, email=invitation.email, password=password, display_name=display_name
        )
    elif not passwords.verify(user.password_hash, password):
        raise InvalidInput(
            N_("this e-mail already has an account: enter its password"), field="password"
        )
    _put_member(session, store_id=invitation.store_id, user_id=user.id, role=Role(invitation.role))
    invitation.accepted_at = _now()
    session.flush()
    return user


# --- API tokens ----------------------------------------------------------------------------


def create_token(session: Session, *, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal access token; the plain text is returned once and never stored."""
    label = name.strip()
    if not label or len(label) > 120:
        raise InvalidInput(N_("a token needs a name of 1 to 120 characters"), field="name")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=label,
        token_hash=_digest(plain),
        prefix=plain[:10],
        created_at=_now(),
    )
    account_repository.add(session, token)
    return token, plain


def list_tokens(session: Session, *, user: User) -> list[ApiToken]:
    return account_repository.tokens_of(session, user.id)


def revoke_token(session: Session, *, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound(N_("no such token"))
    token.revoked_at = _now()
    session.flush()


def user_for_token(session: Session, *, plain: str) -> tuple[User, ApiToken] | None:
    """The active user a token belongs to, and the token; None when unknown or revoked.

    Reads only: recording when the token was last used is ``touch_token``, run after the
    request so that reading the API never waits for (or blocks) a writer.
    """
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = account_repository.token_by_hash(session, _digest(plain))
    if token is None or token.revoked_at is not None:
        return None
    user = account_repository.user_by_id(session, token.user_id)
    if user is None or not user.is_active:
        return None
    return user, token


def token_needs_touch(token: ApiToken) -> bool:
    # At most once a minute: a busy script should not turn every read into a write.
    return token.last_used_at is None or _now() - token.last_used_at > timedelta(minutes=1)


def touch_token(session: Session, *, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is not None:
        token.last_used_at = _now()
        session.flush()


def find_user(session: Session, *, email: str) -> User | None:
    return account_repository.user_by_email(session, normalize_email(email))


def list_users_with_roles(session: Session) -> list[tuple[str, str | None, str, datetime | None]]:
    rows = []
    for user in account_repository.all_users(session):
        roles = ", ".join(
            f"{store.name}: {membership.role}"
            for membership, store in account_repository.memberships_of(session, user.id)
        )
        rows.append((user.email, user.display_name, roles, user.last_login_at))
    return rows
