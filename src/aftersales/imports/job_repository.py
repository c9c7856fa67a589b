"""SQL for import jobs (uploads imported in the background)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import ImportBatch, ImportJob


def add(session: Session, job: ImportJob) -> ImportJob:
    session.add(job)
    session.flush()
    return job


def finished_before(session: Session, moment: datetime) -> list[ImportJob]:
    """Jobs that ended (done, rejected or failed) before ``moment``."""
    return list(
        session.execute(
            select(ImportJob)
            .where(ImportJob.finished_at.is_not(None), ImportJob.finished_at < moment)
            .order_by(ImportJob.id)
        ).scalars()
    )


def by_id(session: Session, job_id: int) -> ImportJob | None:
    return session.get(ImportJob, job_id)


def in_stores(session: Session, *, store_ids: tuple[int, ...], limit: int) -> list[ImportJob]:
    return list(
        session.execute(
            select(ImportJob)
            .where(ImportJob.store_id.in_(store_ids))
            .order_by(ImportJob.id.desc())
            .limit(limit)
        ).scalars()
    )


def batch_in_stores(
    session: Session, *, batch_id: int, store_ids: tuple[int, ...]
) -> ImportBatch | None:
    return session.execute(
        select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.store_id.in_(store_ids))
    ).scalar_one_or_none()


def batches_in_stores(
    session: Session, *, store_ids: tuple[int, ...], limit: int
) -> list[ImportBatch]:
    return list(
        session.execute(
            select(ImportBatch)
            .where(ImportBatch.store_id.in_(store_ids))
            .order_by(ImportBatch.id.desc())
            .limit(limit)
        ).scalars()
    )
