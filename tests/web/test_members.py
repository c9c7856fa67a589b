"""Owners invite, re-role and remove members; other roles may not; a store keeps an owner."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.models import Role
from tests.web.conftest import PASSWORD, Seller, csrf_of, make_user, new_client, post_form, sign_in


def _role_of(db: Session, email: str, seller: Seller) -> Role | None:
    user = account_service.find_user(db, email=email)
    if user is None:
        return None
    access = account_service.access_for(db, user=user)
    store = access.stores.get(seller.store.id)
    return store.role if store else None


def test_invitation_link_creates_the_account_and_membership(
    app: FastAPI, signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    page = post_form(
        signed_in,
        f"/settings/stores/{seller_a.store.id}/invitations",
        {"email": "New.Agent@alpha.test", "role": "agent"},
    )
    link = re.search(r'<code class="invite-link">([^<]+)</code>', page.text)
    assert link, page.text[:1000]
    path = link.group(1).replace("http://testserver", "")

    invitee = new_client(app)
    shown = invitee.get(path)
    assert "new.agent@alpha.test" in shown.text
    token = csrf_of(invitee, path)
    short = invitee.post(path, data={"password": "short", "csrf_token": token})
    assert "at least 10 characters" in short.text
    accepted = invitee.post(
        path,
        data={"password": PASSWORD, "display_name": "Ann", "csrf_token": csrf_of(invitee, path)},
    )
    assert accepted.status_code == 200
    assert "Welcome" in accepted.text
    assert _role_of(db, "new.agent@alpha.test", seller_a) == Role.AGENT
    # The link works once.
    assert new_client(app).get(path).status_code == 404


def test_existing_user_is_added_at_once_and_role_changed(
    signed_in: TestClient, db: Session, seller_a: Seller, seller_b: Seller
) -> None:
    page = post_form(
        signed_in,
        f"/settings/stores/{seller_a.store.id}/invitations",
        {"email": "owner@bravo.test", "role": "planner"},
    )
    assert "owner@bravo.test was added to the store." in page.text
    assert _role_of(db, "owner@bravo.test", seller_a) == Role.PLANNER
    user = account_service.find_user(db, email="owner@bravo.test")
    assert user is not None
    post_form(
        signed_in,
        f"/settings/stores/{seller_a.store.id}/members/{user.id}/role",
        {"role": "manager"},
    )
    assert _role_of(db, "owner@bravo.test", seller_a) == Role.MANAGER
    post_form(signed_in, f"/settings/stores/{seller_a.store.id}/members/{user.id}/remove", {})
    assert _role_of(db, "owner@bravo.test", seller_a) is None


def test_the_last_owner_cannot_leave_or_be_demoted(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    page = post_form(
        signed_in,
        f"/settings/stores/{seller_a.store.id}/members/{seller_a.owner.id}/role",
        {"role": "viewer"},
    )
    assert "a store keeps at least one owner" in page.text
    assert _role_of(db, seller_a.owner.email, seller_a) == Role.OWNER
    page = post_form(
        signed_in, f"/settings/stores/{seller_a.store.id}/members/{seller_a.owner.id}/remove", {}
    )
    assert "a store keeps at least one owner" in page.text
    assert _role_of(db, seller_a.owner.email, seller_a) == Role.OWNER


def test_only_owners_manage_members(client: TestClient, db: Session, seller_a: Seller) -> None:
    manager = make_user(db, "manager@alpha.test", seller_a.store, role="manager")
    sign_in(client, manager.email)
    settings = client.get("/settings")
    assert "Invite someone" not in settings.text
    response = client.post(
        f"/settings/stores/{seller_a.store.id}/invitations",
        data={"email": "x@alpha.test", "role": "owner", "csrf_token": csrf_of(client, "/settings")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "may not do this in this store" in page.text
    assert account_service.find_user(db, email="x@alpha.test") is None
    assert (
        account_service.list_invitations(
            db,
            access=account_service.access_for(db, user=seller_a.owner),
            store_id=seller_a.store.id,
        )
        == []
    )


def test_users_add_cli(cli_database: str) -> None:
    from typer.testing import CliRunner

    from aftersales.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["stores", "add", "cli-store", "--region", "EU"]).exit_code == 0
    result = runner.invoke(
        app, ["users", "add", "Cli@Example.com", "--store", "cli-store", "--role", "planner"]
    )
    assert result.exit_code == 0, result.output
    assert "cli@example.com created and added to cli-store as planner" in result.output
    assert "password: " in result.output
    bad = runner.invoke(
        app, ["users", "add", "cli@example.com", "--store", "cli-store", "--role", "boss"]
    )
    assert bad.exit_code == 2
    assert "unknown role 'boss'" in bad.output
    missing = runner.invoke(
        app, ["users", "add", "cli@example.com", "--store", "nope", "--role", "viewer"]
    )
    assert missing.exit_code == 2
    listed = runner.invoke(app, ["users", "list"])
    assert "cli-store: planner" in listed.output
