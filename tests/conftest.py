"""Fixtures: a migrated database per backend (SQLite always, PostgreSQL when configured),
one rolled-back transaction per test, and builders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from aftersales.config import get_settings
from aftersales.db import migrate
from aftersales.db.session import get_engine, make_engine
from aftersales.imports import service as import_service
from aftersales.kit.i18n import DEFAULT_LOCALE, set_locale
from aftersales.models import Store
from aftersales.stores import service as store_service

DATA = Path(__file__).parent / "data"
POSTGRES_URL = os.environ.get("AFTERSALES_TEST_POSTGRES_URL", "")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL and not os.environ.get("CI"),
            reason="set AFTERSALES_TEST_POSTGRES_URL to run the suite on PostgreSQL",
        ),
    ),
]


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        if not POSTGRES_URL:
            pytest.fail("CI must set AFTERSALES_TEST_POSTGRES_URL")
        url = POSTGRES_URL
        _reset_postgres(url)
    built = make_engine(url)
    migrate.upgrade(built)
    yield built
    built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield db
    db.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def store(session: Session) -> Store:
    return store_service.add_store(session, name="acme-na", region="NA", merchant_id="A1TESTSELLER")


def run_import(
    session: Session, name: str | Path, **options: object
) -> import_service.ImportResult:
    path = name if isinstance(name, Path) else DATA / name
    return import_service.import_file(
        session,
        path=path,
        options=import_service.ImportOptions(**options),  # type: ignore[arg-type]
    )


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the CLI (which reads the environment) at a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("AFTERSALES_DATABASE_URL", url)
    # The output the tests read is English whatever the machine's LANG.
    monkeypatch.setenv("AFTERSALES_LANGUAGE", "en")
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
    set_locale(DEFAULT_LOCALE)  # a command sets it for the rest of the thread


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Rolled-back tests reuse ids, so a cached dashboard could outlive its data here (never
    in real use, where its key's import batch id is committed)."""
    from aftersales.dashboard import service as dashboard_service
    from aftersales.returns import service as returns_service
    from aftersales.returns_analytics import explorer_service

    dashboard_service.clear_cache()
    returns_service.clear_cache()
    explorer_service.clear_cache()


def planned_rows(session: Session, table: str) -> float | None:
    """PostgreSQL's row count for the planner (None: the table was never analysed)."""
    reltuples = session.execute(
        text("SELECT reltuples FROM pg_class WHERE relname = :name"), {"name": table}
    ).scalar_one()
    return None if reltuples < 0 else float(reltuples)
