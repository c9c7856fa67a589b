"""Imports page: drag-and-drop upload, per-file progress and summary, history, rejected lines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response, StreamingResponse

from aftersales.accounts.roles import Permission
from aftersales.amazon import marketplaces
from aftersales.amazon.reports import supported_report_types
from aftersales.imports import jobs
from aftersales.imports.tasks import run_import_job
from aftersales.web.deps import MAX_ID, DbSession, ObjectId, PageContext
from aftersales.web.templating import render
from aftersales.worker import after_commit

router = APIRouter()


@router.get("/imports", name="imports")
def imports_page(request: Request, session: DbSession, page: PageContext) -> Response:
    scope = page.selection.scope
    import_stores = [
        s for s in page.selection.stores if page.access.can(s.store_id, Permission.IMPORT)
    ]
    if page.selection.store_id:
        import_stores = [s for s in import_stores if s.store_id == page.selection.store_id]
    return render(
        request,
        "imports/page.html",
        {
            "active": "imports",
            "jobs": jobs.list_jobs(session, scope=scope, limit=50),
            "batches": jobs.list_batches(session, scope=scope, limit=100),
            "import_stores": import_stores,
            "report_types": supported_report_types(),
            "marketplaces": marketplaces.all_marketplaces(),
            "progress": jobs.progress,
        },
    )


@router.post("/imports/upload", name="upload")
def upload(
    request: Request,
    session: DbSession,
    page: PageContext,
    file: Annotated[UploadFile, File()],
    store_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    marketplace: Annotated[str, Form(max_length=10)] = "",
    report_type: Annotated[str, Form(max_length=80)] = "",
    skip_bad_rows: Annotated[bool, Form()] = False,
) -> Response:
    """One file per request (the page sends each dropped file on its own, with progress)."""
    page.access.require(store_id, Permission.IMPORT)
    upload = jobs.save_upload(file.file, file_name=file.filename or "report.txt")
    try:
        job = jobs.create_job(
            session,
            access=page.access,
            store_id=store_id,
            upload=upload,
            marketplace=marketplace or None,
            report_type=report_type or None,
            skip_bad_rows=skip_bad_rows,
        )
    except BaseException:
        jobs.discard_upload(upload)
        raise
    job_id = job.id
    after_commit(session, lambda: run_import_job(job_id))
    return render(request, "imports/job.html", {"job": job, "progress": jobs.progress}, status=202)


@router.get("/imports/jobs/{job_id}", name="import_job")
def job_card(request: Request, session: DbSession, page: PageContext, job_id: ObjectId) -> Response:
    job = jobs.get_job(session, scope=page.access.scope(), job_id=job_id)
    return render(request, "imports/job.html", {"job": job, "progress": jobs.progress})


@router.get("/imports/jobs/{job_id}/rejected.csv", name="job_rejected")
def job_rejected(session: DbSession, page: PageContext, job_id: ObjectId) -> Response:
    rows = list(jobs.job_rejected_rows(session, scope=page.access.scope(), job_id=job_id))
    return _csv(rows, f"import-{job_id}-rejected.csv")


@router.get("/imports/batches/{batch_id}/rejected.csv", name="batch_rejected")
def batch_rejected(session: DbSession, page: PageContext, batch_id: ObjectId) -> Response:
    rows = list(jobs.batch_rejected_rows(session, scope=page.access.scope(), batch_id=batch_id))
    return _csv(rows, f"batch-{batch_id}-rejected.csv")


def _csv(chunks: list[bytes], name: str) -> StreamingResponse:
    return StreamingResponse(
        iter(chunks),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
