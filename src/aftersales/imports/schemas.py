"""API shapes for imports: jobs (uploads in the background) and batches (imported files)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aftersales.imports import jobs
from aftersales.models import ImportBatch, ImportJob


class RowErrorOut(BaseModel):
    line: int = Field(description="1-based line in the file; 0 for the file as a whole.")
    column: str | None
    value: str | None
    message: str = Field(description="In English.")
    message_id: str | None = Field(
        default=None, description="The message's catalog template (for translation)."
    )
    params: dict[str, str] = Field(default_factory=dict, description="Values of the template.")


class ImportJobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    file_name: str
    size_bytes: int
    status: str = Field(description="queued, running, done, rejected or failed")
    bytes_done: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    batch_id: int | None
    report_type: str | None = None
    rows: int | None = None
    inserted: int | None = None
    updated: int | None = None
    unchanged: int | None = None
    duplicates: int | None = None
    skipped: int | None = None
    rejected: int | None = None
    errors: list[RowErrorOut] = Field(default_factory=list)

    @classmethod
    def of(cls, job: ImportJob) -> ImportJobOut:
        result: dict[str, Any] = job.result or {}
        done, _total = jobs.progress(job)
        return cls(
            id=job.id,
            store_id=job.store_id,
            file_name=job.file_name,
            size_bytes=job.size_bytes,
            status=job.status,
            bytes_done=done,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            batch_id=job.batch_id,
            report_type=result.get("report_type"),
            rows=result.get("rows"),
            inserted=result.get("inserted"),
            updated=result.get("updated"),
            unchanged=result.get("unchanged"),
            duplicates=result.get("duplicates"),
            skipped=result.get("skipped"),
            rejected=result.get("rejected"),
            errors=[RowErrorOut(**e) for e in result.get("errors") or []],
        )


class ImportBatchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    store_id: int
    file_name: str
    sha256: str
    report_type: str
    encoding: str
    marketplace_id: str | None
    snapshot_date: date | None
    status: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    duplicates: int
    skipped: int
    rejected: int
    started_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, batch: ImportBatch) -> ImportBatchOut:
        return cls.model_validate(batch)
