"""Background jobs of the imports domain (named ``imports.<verb>``; they carry ids)."""

from __future__ import annotations

from datetime import UTC, datetime

from huey import crontab

from aftersales.db.session import unit_of_work
from aftersales.imports import jobs
from aftersales.worker import get_huey

huey = get_huey()


@huey.task(name="imports.run")  # type: ignore[untyped-decorator]
def run_import_job(job_id: int) -> None:
    jobs.run_job(job_id)


@huey.periodic_task(crontab(minute="41", hour="3"), name="imports.purge_uploads")  # type: ignore[untyped-decorator]
def purge_uploads() -> None:
    """Daily: delete the uploaded files kept longer than AFTERSALES_UPLOAD_KEEP_DAYS."""
    with unit_of_work() as session:
        jobs.purge_uploads(session, now=datetime.now(UTC))
