"""Uploaded reports imported in the background: queue, run, progress, history, rejected lines.

The web layer saves the upload, calls ``create_job`` inside the request's transaction and
enqueues ``imports.run`` after commit; the job then imports the file through the same
``import_file`` as the CLI, in its own transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.amazon.reports import supported_report_types
from aftersales.config import get_settings
from aftersales.db.session import unit_of_work
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.imports import job_repository
from aftersales.imports import service as import_service
from aftersales.kit.i18n import N_, localize_error
from aftersales.kit.scope import Scope
from aftersales.models import ImportBatch, ImportJob, ImportJobStatus, Store

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()\[\]-]+")
_COPY_BLOCK = 1 << 20


class UploadTooLarge(InvalidInput):
    code = "upload_too_large"
    status_code = 413


class EmptyUpload(InvalidInput):
    code = "empty_upload"


@dataclass(frozen=True)
class StoredUpload:
    file_name: str
    stored_name: str
    size_bytes: int


def safe_file_name(name: str) -> str:
    """The last path part with anything unusual replaced: uploads never choose where they land."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "report.txt"
    cleaned = _UNSAFE.sub("_", base).strip(". ") or "report.txt"
    return cleaned[:150]


def save_upload(source: BinaryIO, *, file_name: str) -> StoredUpload:
    """Copy an upload into ``<data_dir>/uploads/<uuid>/<name>``, refusing files over the limit.

    The directory keeps the original name, so the import batch shows what the user uploaded.
    """
    settings = get_settings()
    limit = settings.upload_max_mb * 1024 * 1024
    name = safe_file_name(file_name)
    folder = uuid.uuid4().hex
    target = settings.upload_dir / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        with target.open("wb") as handle:
            while block := source.read(_COPY_BLOCK):
                size += len(block)
                if size > limit:
                    raise UploadTooLarge(
                        N_("%(name)s is larger than the upload limit of %(limit)s MB"),
                        name=name,
                        limit=settings.upload_max_mb,
                    )
                handle.write(block)
        if size == 0:
            raise EmptyUpload(N_("%(name)s is empty"), name=name)
    except BaseException:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise
    return StoredUpload(file_name=name, stored_name=f"{folder}/{name}", size_bytes=size)


def discard_upload(upload: StoredUpload) -> None:
    shutil.rmtree((get_settings().upload_dir / upload.stored_name).parent, ignore_errors=True)


def _stored_path(job: ImportJob) -> Path:
    return get_settings().upload_dir / job.stored_name


def purge_uploads(session: Session, *, now: datetime) -> int:
    """Delete the uploaded files of the imports that finished more than ``upload_keep_days``
    ago (what was imported stays in the database; the rejected lines' download then shows
    no original text). Returns how many files were deleted."""
    cutoff = now - timedelta(days=get_settings().upload_keep_days)
    deleted = 0
    for job in job_repository.finished_before(session, cutoff):
        folder = _stored_path(job).parent
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
            deleted += 1
    if deleted:
        log.info("imports.purge_uploads", extra={"deleted": deleted})
    return deleted


def create_job(
    session: Session,
    *,
    access: Access,
    store_id: int,
    upload: StoredUpload,
    marketplace: str | None = None,
    report_type: str | None = None,
    skip_bad_rows: bool = False,
) -> ImportJob:
    access.require(store_id, Permission.IMPORT)
    # Fail now, in the request, rather than later in the job.
    if marketplace and marketplaces.resolve(marketplace) is None:
        raise InvalidInput(
            N_("unknown marketplace %(code)s"), code=marketplace, field="marketplace"
        )
    if report_type and report_type not in supported_report_types():
        raise InvalidInput(
            N_("unknown report type %(type)s"), type=report_type, field="report_type"
        )
    job = ImportJob(
        store_id=store_id,
        user_id=access.user_id,
        file_name=upload.file_name,
        stored_name=upload.stored_name,
        size_bytes=upload.size_bytes,
        options={
            "marketplace": marketplace or None,
            "report_type": report_type or None,
            "skip_bad_rows": skip_bad_rows,
        },
        status=ImportJobStatus.QUEUED.value,
        created_at=datetime.now(UTC),
    )
    return job_repository.add(session, job)


def get_job(session: Session, *, scope: Scope, job_id: int) -> ImportJob:
    job = job_repository.by_id(session, job_id)
    if job is None or job.store_id not in scope.store_ids:
        raise NotFound(N_("no such import"))
    return job


def list_jobs(session: Session, *, scope: Scope, limit: int = 50) -> list[ImportJob]:
    return job_repository.in_stores(session, store_ids=scope.store_ids, limit=limit)


def list_batches(session: Session, *, scope: Scope, limit: int = 50) -> list[ImportBatch]:
    return job_repository.batches_in_stores(session, store_ids=scope.store_ids, limit=limit)


def get_batch(session: Session, *, scope: Scope, batch_id: int) -> ImportBatch:
    batch = job_repository.batch_in_stores(session, batch_id=batch_id, store_ids=scope.store_ids)
    if batch is None:
        raise NotFound(N_("no such import batch"))
    return batch


# --- progress ----------------------------------------------------------------------------------
# Progress lives in the job queue's storage, not in the database: the import holds the
# database's write lock (SQLite) and its rows stay invisible until it commits.


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def report_progress(job_id: int, done: int, total: int) -> None:
    from aftersales.worker import get_huey

    get_huey().put(_progress_key(job_id), (done, total))


def progress(job: ImportJob) -> tuple[int, int]:
    """Bytes read so far and the file size: exact once the job has finished."""
    if job.status in (ImportJobStatus.DONE, ImportJobStatus.REJECTED, ImportJobStatus.FAILED):
        return job.size_bytes, job.size_bytes
    if job.status == ImportJobStatus.QUEUED:
        return 0, job.size_bytes
    from aftersales.worker import get_huey

    value = get_huey().get(_progress_key(job.id), peek=True)
    if isinstance(value, tuple) and len(value) == 2:
        return int(value[0]), int(value[1])
    return 0, job.size_bytes


# --- running -----------------------------------------------------------------------------------


def run_job(job_id: int) -> None:
    """Import one queued upload; three short transactions around the import's own."""
    with unit_of_work() as session:
        job = job_repository.by_id(session, job_id)
        if job is None or job.status != ImportJobStatus.QUEUED:
            return
        store = session.get(Store, job.store_id)
        if store is None:
            return
        job.status = ImportJobStatus.RUNNING.value
        job.started_at = datetime.now(UTC)
        options = import_service.ImportOptions(
            store=store.name,
            marketplace=job.options.get("marketplace"),
            report_type=job.options.get("report_type"),
            skip_bad_rows=bool(job.options.get("skip_bad_rows")),
        )
        path = _stored_path(job)
    outcome: dict[str, Any]
    status: ImportJobStatus
    batch_id: int | None = None
    try:
        with unit_of_work() as session:
            result = import_service.import_file(
                session,
                path=path,
                options=options,
                progress=lambda done, total: report_progress(job_id, done, total),
            )
        outcome, status, batch_id = result.as_dict(), ImportJobStatus.DONE, result.batch_id
    except import_service.ImportRejected as rejected:
        outcome, status = rejected.result.as_dict(), ImportJobStatus.REJECTED
    except Exception:
        log.exception("imports.run failed", extra={"job_id": job_id})
        outcome = {
            "errors": [
                {
                    "line": 0,
                    "column": None,
                    "value": None,
                    "message": f"internal error; see the server log (job {job_id})",
                }
            ]
        }
        status = ImportJobStatus.FAILED
    outcome["file"] = job.file_name
    with unit_of_work() as session:
        job = job_repository.by_id(session, job_id)
        if job is None:
            return
        job.status = status.value
        job.result = outcome
        job.batch_id = batch_id
        job.finished_at = datetime.now(UTC)


# --- rejected lines ------------------------------------------------------------------------------


def _read_lines(path: Path, wanted: set[int], encoding: str | None) -> dict[int, str]:
    """The text of the given 1-based lines of an uploaded report, decoded as it was imported."""
    import gzip

    if not wanted or not path.exists():
        return {}
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    found: dict[int, str] = {}
    with opener(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number in wanted:
                found[number] = raw.decode(encoding or "utf-8", errors="replace").rstrip("\r\n")
                if len(found) == len(wanted):
                    break
    return found


def rejected_rows_csv(
    errors: list[dict[str, Any]], *, source: Path | None, encoding: str | None
) -> Iterator[bytes]:
    """CSV (UTF-8 with BOM, for Excel) of every rejected line: where, why, and the line itself."""
    numbers = {int(e["line"]) for e in errors if e.get("line")}
    lines = _read_lines(source, numbers, encoding) if source else {}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "column", "value", "message", "original_line"])
    yield ("\ufeff" + buffer.getvalue()).encode()
    for error in errors:
        buffer.seek(0)
        buffer.truncate()
        line = error.get("line") or 0
        writer.writerow(
            [
                line,
                error.get("column") or "",
                error.get("value") or "",
                localize_error(error),
                lines.get(int(line), ""),
            ]
        )
        yield buffer.getvalue().encode()


def job_rejected_rows(session: Session, *, scope: Scope, job_id: int) -> Iterator[bytes]:
    job = get_job(session, scope=scope, job_id=job_id)
    result = job.result or {}
    return rejected_rows_csv(
        list(result.get("errors") or []), source=_stored_path(job), encoding=result.get("encoding")
    )


def batch_rejected_rows(session: Session, *, scope: Scope, batch_id: int) -> Iterator[bytes]:
    batch = get_batch(session, scope=scope, batch_id=batch_id)
    return rejected_rows_csv(list(batch.errors or []), source=None, encoding=batch.encoding)
