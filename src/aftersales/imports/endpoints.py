"""JSON API for imports: upload a report, follow its job, list history, fetch rejected lines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import StreamingResponse

from aftersales.accounts.roles import Permission
from aftersales.imports import jobs
from aftersales.imports.schemas import ImportBatchOut, ImportJobOut
from aftersales.imports.tasks import run_import_job
from aftersales.web.deps import MAX_ID, ApiAccess, ApiScope, DbSession, ObjectId
from aftersales.worker import after_commit

router = APIRouter(prefix="/imports", tags=["imports"])


@router.post("", status_code=202, response_model=ImportJobOut)
def upload(
    session: DbSession,
    access: ApiAccess,
    file: Annotated[UploadFile, File(description="An Amazon report file (txt, csv, tsv or gz).")],
    store_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    marketplace: Annotated[str | None, Form(max_length=10)] = None,
    report_type: Annotated[str | None, Form(max_length=80)] = None,
    skip_bad_rows: Annotated[bool, Form()] = False,
) -> ImportJobOut:
    """Queue an import; poll `GET /imports/jobs/{id}` for progress and the summary."""
    access.require(store_id, Permission.IMPORT)  # before anything is written to disk
    upload = jobs.save_upload(file.file, file_name=file.filename or "report.txt")
    try:
        job = jobs.create_job(
            session,
            access=access,
            store_id=store_id,
            upload=upload,
            marketplace=marketplace,
            report_type=report_type,
            skip_bad_rows=skip_bad_rows,
        )
    except BaseException:
        jobs.discard_upload(upload)
        raise
    job_id = job.id
    after_commit(session, lambda: run_import_job(job_id))
    return ImportJobOut.of(job)


@router.get("/jobs", response_model=list[ImportJobOut])
def list_jobs(session: DbSession, scope: ApiScope) -> list[ImportJobOut]:
    return [ImportJobOut.of(job) for job in jobs.list_jobs(session, scope=scope)]


@router.get("/jobs/{job_id}", response_model=ImportJobOut)
def get_job(session: DbSession, scope: ApiScope, job_id: ObjectId) -> ImportJobOut:
    return ImportJobOut.of(jobs.get_job(session, scope=scope, job_id=job_id))


@router.get("/jobs/{job_id}/rejected.csv", response_class=StreamingResponse)
def job_rejected_rows(session: DbSession, scope: ApiScope, job_id: ObjectId) -> StreamingResponse:
    rows = list(jobs.job_rejected_rows(session, scope=scope, job_id=job_id))
    return _csv(rows, f"import-{job_id}-rejected.csv")


@router.get("/batches", response_model=list[ImportBatchOut])
def list_batches(session: DbSession, scope: ApiScope) -> list[ImportBatchOut]:
    return [ImportBatchOut.of(batch) for batch in jobs.list_batches(session, scope=scope)]


@router.get("/batches/{batch_id}", response_model=ImportBatchOut)
def get_batch(session: DbSession, scope: ApiScope, batch_id: ObjectId) -> ImportBatchOut:
    return ImportBatchOut.of(jobs.get_batch(session, scope=scope, batch_id=batch_id))


@router.get("/batches/{batch_id}/rejected.csv", response_class=StreamingResponse)
def batch_rejected_rows(
    session: DbSession, scope: ApiScope, batch_id: ObjectId
) -> StreamingResponse:
    rows = list(jobs.batch_rejected_rows(session, scope=scope, batch_id=batch_id))
    return _csv(rows, f"batch-{batch_id}-rejected.csv")


def _csv(chunks: list[bytes], name: str) -> StreamingResponse:
    return StreamingResponse(
        iter(chunks),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
