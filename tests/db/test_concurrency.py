"""Two units of work writing at once on SQLite: the second waits for the first, never fails."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select

from aftersales.db import migrate
from aftersales.db.session import make_engine, unit_of_work
from aftersales.models import Store
from aftersales.stores import service as store_service


def test_a_writer_that_read_first_is_not_refused_when_another_commits(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'concurrent.db'}")
    migrate.upgrade(engine)
    first_has_read = threading.Event()
    second_done = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with unit_of_work(engine) as session:
                session.execute(select(func.count()).select_from(Store)).scalar_one()
                first_has_read.set()
                # With a deferred BEGIN the second writer commits here, and this write then
                # fails at once with "database is locked". With BEGIN IMMEDIATE the second
                # writer is still waiting for the lock, so this wait simply times out.
                second_done.wait(timeout=1)
                store_service.add_store(session, name="first", region="NA")
        except BaseException as error:
            errors.append(error)

    def second() -> None:
        try:
            first_has_read.wait(timeout=5)
            with unit_of_work(engine) as session:
                store_service.add_store(session, name="second", region="EU")
            second_done.set()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with unit_of_work(engine, write=False) as session:
        names = {store.name for store in store_service.list_stores(session)}
    assert names == {"first", "second"}
    engine.dispose()


def test_read_only_units_do_not_take_the_write_lock(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'readers.db'}")
    migrate.upgrade(engine)
    with unit_of_work(engine) as writer:
        store_service.add_store(writer, name="held", region="NA")
        # The write lock is held here; a page view must still read (the last committed state).
        with unit_of_work(engine, write=False) as reader:
            assert store_service.list_stores(reader) == []
    engine.dispose()
