"""Pages for signing in and out, invitations, the language and store switchers, and Settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from aftersales.accounts import service as account_service
from aftersales.accounts.roles import PERMISSION_LABELS, PERMISSIONS, ROLE_LABELS, Permission
from aftersales.db.session import unit_of_work
from aftersales.kit import i18n
from aftersales.kit.i18n import gettext as _
from aftersales.models import Role
from aftersales.web.deps import (
    DbSession,
    ObjectId,
    PageAccess,
    PageContext,
    flash,
    public_page_context,
    reads_only,
)
from aftersales.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: an attacker's link must not bounce a fresh sign-in to their site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/login", name="login")
def login_page(request: Request, next: str | None = None) -> Response:
    if isinstance(request.session.get("uid"), int):
        return RedirectResponse(_safe_next(next), status_code=303)
    public_page_context(request)
    return render(request, "login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    public_page_context(request)
    target = _safe_next(next)
    # Two units of work: the password check reads only, so a slow argon2 verification never
    # holds the database's write lock; the attempt is then recorded in a short write.
    try:
        with unit_of_work(write=False) as session:
            check = account_service.check_sign_in(
                session, email=email, password=password, client=_client(request)
            )
    except account_service.TooManySignIns as error:
        context = {"next": target, "email": email, "error": error.localized()}
        return render(request, "login.html", context, status=429)
    with unit_of_work() as session:
        user = account_service.record_sign_in(session, check=check)
        user_id, locale = (user.id, user.locale) if user else (None, None)
    if user_id is None:
        context = {"next": target, "email": email, "error": _("Wrong e-mail or password.")}
        return render(request, "login.html", context, status=401)
    # A new session on sign-in: nothing from before (a planted cookie) carries over.
    request.session.clear()
    request.session["uid"] = user_id
    if locale:
        request.session["locale"] = locale
    return RedirectResponse(target, status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale
    return RedirectResponse("/login", status_code=303)


@router.post("/language", name="language")
def choose_language(
    request: Request,
    session: DbSession,
    locale: Annotated[str, Form(max_length=10)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    chosen = i18n.normalize(locale)
    request.session["locale"] = chosen
    user_id = request.session.get("uid")
    if isinstance(user_id, int):
        user = account_service.get_user(session, user_id=user_id)
        account_service.set_locale(session, user=user, locale=chosen)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/scope", name="scope")
@reads_only
def choose_scope(
    request: Request,
    access: PageAccess,
    store: Annotated[str, Form(max_length=20)] = "all",
    marketplace: Annotated[str, Form(max_length=10)] = "all",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if store == "all":
        request.session.pop("store", None)
    else:
        try:
            store_id = int(store)
        except ValueError:
            store_id = -1
        access.role_in(store_id)  # 404 for a store the user is not a member of
        request.session["store"] = store_id
    if marketplace == "all":
        request.session.pop("marketplace", None)
    else:
        request.session["marketplace"] = marketplace.upper()
    return RedirectResponse(_safe_next(next), status_code=303)


@router.get("/invite/{token}", name="invitation")
def invitation_page(request: Request, session: DbSession, token: str) -> Response:
    public_page_context(request)
    invitation, store = account_service.open_invitation(session, token=token)
    return render(
        request,
        "invitation.html",
        {"invitation": invitation, "store": store, "token": token, "role_labels": ROLE_LABELS},
    )


@router.post("/invite/{token}")
def accept_invitation(
    request: Request,
    session: DbSession,
    token: str,
    password: Annotated[str, Form(max_length=1024)],
    display_name: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    user = account_service.accept_invitation(
        session, token=token, password=password, display_name=display_name or None
    )
    request.session.clear()
    request.session["uid"] = user.id
    flash(request, _("Welcome! You are now a member of the store."), "success")
    return RedirectResponse("/", status_code=303)


# --- Settings -----------------------------------------------------------------------------------


@router.get("/settings", name="settings")
def settings_page(request: Request, session: DbSession, page: PageContext) -> Response:
    stores = []
    for store in page.selection.stores:
        admin = page.access.can(store.store_id, Permission.ADMIN)
        stores.append(
            {
                "store": store,
                "admin": admin,
                "members": account_service.list_members(
                    session, access=page.access, store_id=store.store_id
                ),
                "invitations": (
                    account_service.list_invitations(
                        session, access=page.access, store_id=store.store_id
                    )
                    if admin
                    else []
                ),
            }
        )
    new_token = request.session.pop("new_token", None)
    invite_link = request.session.pop("invite_link", None)
    return render(
        request,
        "settings.html",
        {
            "active": "settings",
            "stores": stores,
            "tokens": account_service.list_tokens(session, user=page.user),
            "new_token": new_token,
            "invite_link": invite_link,
            "roles": list(Role),
            "role_labels": ROLE_LABELS,
            "permissions": PERMISSIONS,
            "all_permissions": list(Permission),
            "permission_labels": PERMISSION_LABELS,
        },
    )


@router.post("/settings/tokens", name="create_token")
def create_token(
    request: Request,
    session: DbSession,
    page: PageContext,
    name: Annotated[str, Form(max_length=120)],
) -> Response:
    _token, plain = account_service.create_token(session, user=page.user, name=name)
    request.session["new_token"] = plain
    return RedirectResponse("/settings#tokens", status_code=303)


@router.post("/settings/tokens/{token_id}/revoke", name="revoke_token")
def revoke_token(
    request: Request, session: DbSession, page: PageContext, token_id: ObjectId
) -> Response:
    account_service.revoke_token(session, user=page.user, token_id=token_id)
    flash(request, _("Token revoked."), "success")
    return RedirectResponse("/settings#tokens", status_code=303)


@router.post("/settings/stores/{store_id}/invitations", name="invite")
def invite(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: ObjectId,
    email: Annotated[str, Form(max_length=254)],
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    outcome = account_service.invite(
        session, access=page.access, store_id=store_id, email=email, role=role
    )
    if outcome.added:
        flash(request, _("%(email)s was added to the store.", email=outcome.email), "success")
    else:
        link = str(request.url_for("invitation", token=outcome.token))
        request.session["invite_link"] = {"email": outcome.email, "link": link}
    return RedirectResponse(f"/settings#store-{store_id}", status_code=303)


@router.post("/settings/stores/{store_id}/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: ObjectId,
    invitation_id: ObjectId,
) -> Response:
    account_service.revoke_invitation(
        session, access=page.access, store_id=store_id, invitation_id=invitation_id
    )
    flash(request, _("Invitation withdrawn."), "success")
    return RedirectResponse(f"/settings#store-{store_id}", status_code=303)


@router.post("/settings/stores/{store_id}/members/{user_id}/role")
def change_role(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: ObjectId,
    user_id: ObjectId,
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    account_service.change_role(
        session, access=page.access, store_id=store_id, user_id=user_id, role=role
    )
    flash(request, _("Role changed."), "success")
    return RedirectResponse(f"/settings#store-{store_id}", status_code=303)


@router.post("/settings/stores/{store_id}/members/{user_id}/remove")
def remove_member(
    request: Request, session: DbSession, page: PageContext, store_id: ObjectId, user_id: ObjectId
) -> Response:
    account_service.remove_member(session, access=page.access, store_id=store_id, user_id=user_id)
    flash(request, _("Member removed."), "success")
    if user_id == page.user.id:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/settings#store-{store_id}", status_code=303)
