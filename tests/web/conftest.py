"""Web fixtures: the real app on the test's rolled-back connection, jobs run at once,
builders for stores, users and signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.app import create_app
from aftersales.config import get_settings
from aftersales.db.session import override_sessions
from aftersales.models import Store, User
from aftersales.stores import service as store_service
from aftersales.worker import get_huey

PASSWORD = "correct horse battery staple"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web_db(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], Session]]:
    """Every unit of work (requests, jobs) runs in savepoints of one connection, rolled back."""
    monkeypatch.setenv("AFTERSALES_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    connection = engine.connect()
    transaction = connection.begin()

    def factory() -> Session:
        return Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    override_sessions(factory)
    huey = get_huey()
    huey.immediate = True
    try:
        yield factory
    finally:
        huey.immediate = False
        override_sessions(None)
        transaction.rollback()
        connection.close()
        get_settings.cache_clear()


@pytest.fixture
def db(web_db: Callable[[], Session]) -> Iterator[Session]:
    """A session for arranging data; flushed rows are visible to the app (same connection)."""
    session = web_db()
    yield session
    session.close()


@pytest.fixture
def app(web_db: Callable[[], Session]) -> FastAPI:
    return create_app()


def new_client(app: FastAPI, base_url: str = "http://testserver") -> TestClient:
    return TestClient(app, base_url=base_url, raise_server_exceptions=False, follow_redirects=True)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return new_client(app)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = CSRF_FIELD.search(client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_of(client)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"}
    )
    assert response.status_code == 200, response.text[:500]
    # Signed in (not the sign-in form again), and the session's user key never in the page
    # as a key (quoted, or before = or :); a random CSRF token may hold the letters "uid".
    assert 'action="/login"' not in response.text
    assert re.search(r"[\"']uid[\"']|uid\s*[=:]", response.text) is None


def post_form(
    client: TestClient, path: str, data: dict[str, str], page: str = "/settings"
) -> object:
    return client.post(path, data={**data, "csrf_token": csrf_of(client, page)})


@dataclass
class Seller:
    store: Store
    owner: User


def make_store(db: Session, name: str, region: str = "NA") -> Store:
    return store_service.add_store(db, name=name, region=region, merchant_id=f"M-{name}")


def make_user(db: Session, email: str, store: Store | None = None, role: str = "owner") -> User:
    user = account_service.find_user(db, email=email)
    if user is None:
        user = account_service.create_user(db, email=email, password=PASSWORD)
    if store is not None:
        account_service.add_user_to_store(
            db, email=email, store_name=store.name, role=role, password=None
        )
    db.flush()
    return user


@pytest.fixture
def seller_a(db: Session) -> Seller:
    store = make_store(db, "alpha-na")
    return Seller(store, make_user(db, "owner@alpha.test", store))


@pytest.fixture
def seller_b(db: Session) -> Seller:
    store = make_store(db, "bravo-na")
    return Seller(store, make_user(db, "owner@bravo.test", store))


@pytest.fixture
def signed_in(client: TestClient, seller_a: Seller) -> TestClient:
    sign_in(client, seller_a.owner.email)
    return client


def api_token(db: Session, user: User, name: str = "tests") -> str:
    _token, plain = account_service.create_token(db, user=user, name=name)
    db.flush()
    return plain
