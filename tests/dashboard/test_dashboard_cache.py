"""The dashboard is computed once per scope, day and data version; an import refreshes it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from aftersales.dashboard import service as dashboard_service
from aftersales.kit.scope import Scope
from aftersales.models import Store
from tests.conftest import run_import

AS_OF = date(2026, 5, 20)


def test_cached_until_the_next_import(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = Scope(store_ids=(store.id,))
    computed: list[int] = []
    real = dashboard_service.compute_dashboard

    def counting(session: Session, *, scope: Scope, as_of: date) -> object:
        computed.append(1)
        return real(session, scope=scope, as_of=as_of)

    monkeypatch.setattr(dashboard_service, "compute_dashboard", counting)
    empty = dashboard_service.get_dashboard(session, scope=scope, as_of=AS_OF)
    again = dashboard_service.get_dashboard(session, scope=scope, as_of=AS_OF)
    assert again is empty
    assert len(computed) == 1
    assert empty.windows[1].units_returned == 0

    run_import(session, "fba_returns_us.txt", store=store.name)
    fresh = dashboard_service.get_dashboard(session, scope=scope, as_of=AS_OF)
    assert len(computed) == 2
    assert fresh.windows[1].units_returned == 4
    # Another day or another marketplace is another dashboard.
    dashboard_service.get_dashboard(session, scope=scope, as_of=date(2026, 5, 21))
    dashboard_service.get_dashboard(
        session,
        scope=Scope(store_ids=(store.id,), marketplace_ids=("A2EUQ1WTGCTBG2",)),
        as_of=AS_OF,
    )
    assert len(computed) == 4
