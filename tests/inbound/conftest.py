"""Fixtures for inbound plans: a store owner and the owner's access; the web fixtures."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.accounts.service import Access
from aftersales.models import Store, User
from tests.web.conftest import (  # noqa: F401
    app,
    client,
    db,
    make_user,
    seller_a,
    seller_b,
    signed_in,
    web_db,
)


@pytest.fixture
def owner(session: Session, store: Store) -> User:
    return make_user(session, "planner-owner@acme.test", store)


@pytest.fixture
def access(session: Session, owner: User) -> Access:
    return account_service.access_for(session, user=owner)
