"""Signing in and out, the session cookie, CSRF, rate limiting and API tokens."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.accounts import passwords
from tests.web.conftest import (
    PASSWORD,
    Seller,
    api_token,
    csrf_of,
    new_client,
    post_form,
    sign_in,
)


def test_pages_ask_to_sign_in_and_come_back_after(client: TestClient, seller_a: Seller) -> None:
    response = client.get("/returns?q=ABC", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/returns%3Fq%3DABC"

    token = csrf_of(client, "/login?next=/returns%3Fq%3DABC")
    response = client.post(
        "/login",
        data={
            "email": "OWNER@alpha.test ",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/returns?q=ABC",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/returns?q=ABC"


def test_wrong_password_is_refused_without_saying_which_part(
    client: TestClient, seller_a: Seller
) -> None:
    token = csrf_of(client)
    wrong = client.post(
        "/login",
        data={"email": seller_a.owner.email, "password": "nope-nope-nope", "csrf_token": token},
    )
    unknown = client.post(
        "/login", data={"email": "nobody@alpha.test", "password": PASSWORD, "csrf_token": token}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong e-mail or password." in wrong.text
    assert "Wrong e-mail or password." in unknown.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_ins_are_rate_limited_per_email(client: TestClient, seller_a: Seller) -> None:
    token = csrf_of(client)
    for _attempt in range(5):
        response = client.post(
            "/login",
            data={"email": seller_a.owner.email, "password": "wrong-password", "csrf_token": token},
        )
        assert response.status_code == 401
    # Even the right password is refused while the limit holds.
    blocked = client.post(
        "/login", data={"email": seller_a.owner.email, "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429
    assert "too many failed sign-ins" in blocked.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_flags(app: FastAPI, seller_a: Seller) -> None:
    plain = new_client(app)
    plain.get("/login")
    cookie = plain.get("/login").headers.get("set-cookie") or ""
    login = plain.post(
        "/login",
        data={"email": seller_a.owner.email, "password": PASSWORD, "csrf_token": csrf_of(plain)},
        follow_redirects=False,
    )
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie

    secure = new_client(app, base_url="https://testserver")
    secure.get("/login")
    login = secure.post(
        "/login",
        data={"email": seller_a.owner.email, "password": PASSWORD, "csrf_token": csrf_of(secure)},
        follow_redirects=False,
    )
    assert "Secure" in login.headers["set-cookie"]


def test_tampered_cookie_is_ignored(client: TestClient, seller_a: Seller) -> None:
    sign_in(client, seller_a.owner.email)
    value = client.cookies["aftersales_session"]
    client.cookies.set(
        "aftersales_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    )
    assert client.get("/", follow_redirects=False).status_code == 303


def test_state_changes_need_the_csrf_token(signed_in: TestClient) -> None:
    missing = signed_in.post("/settings/tokens", data={"name": "script"})
    assert missing.status_code == 403
    forged = signed_in.post("/settings/tokens", data={"name": "script", "csrf_token": "forged"})
    assert forged.status_code == 403
    header = signed_in.post(
        "/settings/tokens",
        data={"name": "script"},
        headers={"X-CSRF-Token": csrf_of(signed_in, "/settings")},
    )
    assert header.status_code == 200
    assert "Copy this token now" in header.text


def test_sign_out_ends_the_session(signed_in: TestClient) -> None:
    response = post_form(signed_in, "/logout", {})
    assert response.status_code == 200
    assert signed_in.get("/", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_site(client: TestClient, seller_a: Seller) -> None:
    token = csrf_of(client)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client.cookies.clear()
        token = csrf_of(client)
        response = client.post(
            "/login",
            data={
                "email": seller_a.owner.email,
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_api_needs_a_valid_token(client: TestClient, db: Session, seller_a: Seller) -> None:
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthorized"
    assert (
        client.get("/api/v1/me", headers={"Authorization": "Bearer as_not-a-token"}).status_code
        == 401
    )

    plain = api_token(db, seller_a.owner)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200
    assert me.json()["email"] == "owner@alpha.test"
    assert [s["name"] for s in me.json()["stores"]] == ["alpha-na"]
    # The session cookie of a signed-in browser does not authenticate the API.
    sign_in(client, seller_a.owner.email)
    assert client.get("/api/v1/me").status_code == 401


def test_tokens_are_created_shown_once_and_revoked_in_settings(signed_in: TestClient) -> None:
    created = post_form(signed_in, "/settings/tokens", {"name": "weekly export"})
    plain = created.text.split('<code id="new-token">')[1].split("</code>")[0]
    assert plain.startswith("as_")
    assert (
        signed_in.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    )
    again = signed_in.get("/settings")
    assert plain not in again.text
    assert plain[:10] in again.text

    token_id = again.text.split("/settings/tokens/")[1].split("/revoke")[0]
    post_form(signed_in, f"/settings/tokens/{token_id}/revoke", {})
    assert (
        signed_in.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    )


def test_passwords_are_argon2_hashes(db: Session, seller_a: Seller) -> None:
    assert seller_a.owner.password_hash is not None
    assert seller_a.owner.password_hash.startswith("$argon2id$")
    assert passwords.verify(seller_a.owner.password_hash, PASSWORD)
    assert not passwords.verify(seller_a.owner.password_hash, PASSWORD + "x")
