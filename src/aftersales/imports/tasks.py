"""Background jobs of the imports domain (named ``imports.<verb>``; they carry ids)."""

from __future__ import annotations

from aftersales.imports import jobs
from aftersales.worker import get_huey

huey = get_huey()


@huey.task(name="imports.run")  # type: ignore[untyped-decorator]
def run_import_job(job_id: int) -> None:
    jobs.run_job(job_id)
