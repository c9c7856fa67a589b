"""Background jobs of replenishment (named ``replenishment.<verb>``; they carry ids): a run
on demand, and an hourly pass that recomputes every store imported into since its last run."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from huey import crontab

from aftersales.db.session import unit_of_work
from aftersales.replenishment import repository as run_repository
from aftersales.replenishment import service as replenishment_service
from aftersales.worker import get_huey

huey = get_huey()
log = logging.getLogger(__name__)


def run_store(store_id: int) -> int:
    """Recompute one store's recommendations in its own unit of work; the listings count."""
    with unit_of_work() as session:
        summary = replenishment_service.run(
            session, store_id=store_id, as_of=datetime.now(UTC).date(), parallel_reads=True
        )
    return summary.listings


def run_stale() -> list[int]:
    """Run every store whose newest import finished after its last run started."""
    with unit_of_work(write=False) as session:
        stale = run_repository.stores_imported_since_last_run(session)
    for store_id in stale:
        run_store(store_id)
    log.info("replenishment.refresh: %s store(s) recomputed", len(stale))
    return stale


@huey.task(name="replenishment.run")  # type: ignore[untyped-decorator]
def run_task(store_id: int) -> None:
    run_store(store_id)


@huey.periodic_task(crontab(minute="23"), name="replenishment.refresh")  # type: ignore[untyped-decorator]
def refresh_task() -> None:
    run_stale()
