"""Schema tests of the JSON API: schemathesis generates requests from the OpenAPI document
and every answer must be a documented, non-500 response.

Runs on SQLite with a seeded store (returns, orders, an import) and a real token, so the
generated requests reach the services, not only the authentication check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from aftersales.accounts import service as account_service
from aftersales.app import create_app
from aftersales.config import get_settings
from aftersales.db import migrate
from aftersales.db.session import get_engine, unit_of_work
from aftersales.stores import service as store_service
from aftersales.worker import get_huey
from tests.conftest import run_import

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app on a seeded SQLite file, configured as in production (no test overrides)."""
    folder: Path = tmp_path_factory.mktemp("schema")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("AFTERSALES_DATA_DIR", str(folder / "var"))
    monkeypatch.setenv("AFTERSALES_DATABASE_URL", f"sqlite:///{folder / 'api.db'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    migrate.ensure_schema()
    huey = get_huey()
    huey.immediate = True
    with unit_of_work() as session:
        store = store_service.add_store(session, name="schema-na", region="NA")
        run_import(session, "fba_returns_us.txt", store=store.name)
        run_import(session, "all_orders_us_ca.txt", store=store.name)
        user = account_service.create_user(session, email="api@schema.test", password="x" * 12)
        account_service.add_user_to_store(
            session, email=user.email, store_name=store.name, role="owner", password=None
        )
        _token, TOKEN["value"] = account_service.create_token(session, user=user, name="schema")
    try:
        yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app())
    finally:
        huey.immediate = False
        get_engine().dispose()
        monkeypatch.undo()
        get_settings.cache_clear()
        get_engine.cache_clear()


def test_api_never_answers_500(api_schema: Any) -> None:
    """Every operation, 25 generated requests each, authenticated as the store's owner."""
    headers = {"Authorization": f"Bearer {TOKEN['value']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15, [op.label for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def never_500(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
            )
            case.validate_response(response, checks=[not_a_server_error])

        never_500()
