"""Request dependencies: the unit of work, who is asking, what they may see, CSRF.

HTML pages authenticate with the session cookie (and need a CSRF token on every
state-changing request); the JSON API authenticates with personal access tokens only, so a
browser's cookies can never act through it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access, StoreAccess
from aftersales.alerts import service as alerts_service
from aftersales.amazon import marketplaces
from aftersales.db.session import unit_of_work
from aftersales.exceptions import AppError, Forbidden, InvalidInput, Unauthorized
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.models import User
from aftersales.worker import after_commit

log = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
F = TypeVar("F", bound=Callable[..., Any])
# Ids are 64-bit integers in both databases: anything larger is a 422, not a driver error.
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


def reads_only(endpoint: F) -> F:
    """Mark a POST route that changes only the session cookie, never the database: its
    unit of work is read-only, so it never waits for SQLite's write lock."""
    endpoint.aftersales_reads_only = True  # type: ignore[attr-defined]
    return endpoint


def _session(request: Request) -> Iterator[Session]:
    # GET pages and API reads never write: they run in read-only units of work.
    endpoint = request.scope.get("endpoint")
    write = request.method in UNSAFE_METHODS and not getattr(
        endpoint, "aftersales_reads_only", False
    )
    with unit_of_work(write=write) as session:
        yield session


# "function" scope: the transaction commits before the response leaves, so a client never
# sees a success that was then rolled back.
DbSession = Annotated[Session, Depends(_session, scope="function")]


# --- CSRF ----------------------------------------------------------------------------------------


class CsrfFailed(Forbidden):
    code = "csrf_failed"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """Every state-changing page request carries the session's token (form field or header)."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfFailed(
            N_("the form expired or came from another site; reload the page and retry")
        )


# --- who is asking --------------------------------------------------------------------------


class SignInRequired(Unauthorized):
    code = "sign_in_required"


def _page_user(request: Request, session: DbSession) -> User:
    user_id = request.session.get("uid")
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        request.session.pop("uid", None)
        raise SignInRequired(N_("sign in to continue"))
    return user


PageUser = Annotated[User, Depends(_page_user)]

_bearer = HTTPBearer(auto_error=False, description="A personal access token from Settings.")


def _api_user(
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise Unauthorized(N_("send a personal access token: Authorization: Bearer <token>"))
    found = account_service.user_for_token(session, plain=credentials.credentials)
    if found is None:
        raise Unauthorized(N_("the access token is unknown or revoked"))
    user, token = found
    if account_service.token_needs_touch(token):
        token_id = token.id
        after_commit(session, lambda: _touch_token(token_id))
    return user


def _touch_token(token_id: int) -> None:
    """Best effort: a busy database must not fail the request that used the token."""
    try:
        with unit_of_work() as session:
            account_service.touch_token(session, token_id=token_id)
    except Exception:
        log.warning("could not record the use of API token %s", token_id, exc_info=True)


ApiUser = Annotated[User, Depends(_api_user)]


def _page_access(session: DbSession, user: PageUser) -> Access:
    return account_service.access_for(session, user=user)


def _api_access(session: DbSession, user: ApiUser) -> Access:
    return account_service.access_for(session, user=user)


PageAccess = Annotated[Access, Depends(_page_access)]
ApiAccess = Annotated[Access, Depends(_api_access)]


# --- what they look at --------------------------------------------------------------------


def marketplace_ids(codes: list[str]) -> tuple[str, ...]:
    ids: list[str] = []
    for code in codes:
        found = marketplaces.resolve(code)
        if found is None:
            raise InvalidInput(N_("unknown marketplace %(code)s"), code=code, field="marketplace")
        ids.append(found.id)
    return tuple(ids)


def _api_scope(
    access: ApiAccess,
    store_id: Annotated[
        list[int] | None, Query(description="Limit to these stores (default: all of yours).")
    ] = None,
    marketplace: Annotated[
        list[str] | None, Query(description="Marketplace codes such as US, DE, JP (default: all).")
    ] = None,
) -> Scope:
    return access.scope(
        store_ids=tuple(store_id or ()), marketplace_ids=marketplace_ids(marketplace or [])
    )


ApiScope = Annotated[Scope, Depends(_api_scope)]


@dataclass
class Selection:
    """The store and marketplace switcher's state for one page."""

    scope: Scope
    store_id: int | None  # None: all my stores
    marketplace: str | None  # a code; None: all marketplaces
    stores: list[StoreAccess]
    marketplaces: list[tuple[str, str]]  # (code, domain) offered for the selected stores


def _selection(request: Request, access: PageAccess) -> Selection:
    stores = sorted(access.stores.values(), key=lambda s: s.name)
    if not stores:
        raise Forbidden(N_("you are not a member of any store yet; ask an owner to invite you"))
    chosen = request.session.get("store")
    store_id = chosen if isinstance(chosen, int) and chosen in access.stores else None
    regions = {access.stores[store_id].region} if store_id else {s.region for s in stores}
    offered = [(m.code, m.domain) for m in marketplaces.all_marketplaces() if m.region in regions]
    code = request.session.get("marketplace")
    market = code if isinstance(code, str) and code in {c for c, _ in offered} else None
    scope = access.scope(
        store_ids=(store_id,) if store_id else (),
        marketplace_ids=marketplace_ids([market]) if market else (),
    )
    return Selection(scope, store_id, market, stores, offered)


PageSelection = Annotated[Selection, Depends(_selection)]


# --- page context -----------------------------------------------------------------------------

NAVIGATION: list[tuple[str, str, Permission]] = [
    ("dashboard", N_("Dashboard"), Permission.VIEW),
    ("returns", N_("Returns"), Permission.VIEW),
    ("returns/explorer", N_("Returns explorer"), Permission.VIEW),
    ("disposition", N_("Unsellable stock"), Permission.VIEW),
    ("orders", N_("Orders"), Permission.VIEW),
    ("claims", N_("Claims"), Permission.VIEW),
    ("replenishment", N_("Replenishment"), Permission.VIEW),
    ("inbound-plans", N_("Inbound plans"), Permission.VIEW),
    ("imports", N_("Imports"), Permission.VIEW),
    ("settings", N_("Settings"), Permission.VIEW),
]


@dataclass(frozen=True)
class Viewer:
    """What templates show of the signed-in user: plain values, still readable when an error
    has rolled back the request's transaction (which expires ORM objects)."""

    id: int
    email: str
    display_name: str | None


@dataclass
class Page:
    user: User
    access: Access
    selection: Selection
    extra: dict[str, Any] = field(default_factory=dict)

    def can(self, permission: Permission) -> bool:
        return any(self.access.can(sid, permission) for sid in self.selection.scope.store_ids)


def _page(
    request: Request,
    session: DbSession,
    user: PageUser,
    access: PageAccess,
    selection: PageSelection,
) -> Page:
    page = Page(user=user, access=access, selection=selection)
    request.state.page_context = {
        "page": page,
        "user": Viewer(user.id, user.email, user.display_name),
        "selection": selection,
        "csrf_token": csrf_token(request),
        "navigation": NAVIGATION,
        "flashes": request.session.pop("flash", []),
        "Permission": Permission,
        # The bell in the top bar: one COUNT over the selected stores.
        "unread_alerts": alerts_service.unread_count(session, scope=selection.scope),
    }
    return page


PageContext = Annotated[Page, Depends(_page)]


def flash(request: Request, message: str, level: str = "info") -> None:
    request.session.setdefault("flash", []).append({"level": level, "text": message})


def public_page_context(request: Request) -> None:
    """Context for pages without sign-in (sign-in, invitation)."""
    request.state.page_context = {
        "csrf_token": csrf_token(request),
        "flashes": request.session.pop("flash", []),
    }


ModelT = TypeVar("ModelT", bound=BaseModel)


def validated(model: type[ModelT], values: dict[str, Any]) -> ModelT:
    """Build a schema from query values; a bad value is a 422 naming the field."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field_name = ".".join(str(part) for part in first.get("loc", ()))
        raise InvalidInput(
            N_("%(field)s: %(problem)s"), field=field_name, problem=first.get("msg", "")
        ) from error


def error_payload(error: AppError) -> dict[str, Any]:
    payload: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.details:
        payload["details"] = {k: v for k, v in error.details.items() if _jsonable(v)}
    return payload


def _jsonable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | type(None) | list | dict)
