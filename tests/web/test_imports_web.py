"""Uploading reports in the browser and through the API: job, progress, summary, errors."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.config import get_settings
from aftersales.imports import jobs
from aftersales.models import FbaReturn, ImportJob
from tests.conftest import DATA
from tests.web.conftest import Seller, api_token, csrf_of, make_user, sign_in


def _upload(client: TestClient, seller: Seller, name: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/imports/upload",
        data={"store_id": str(seller.store.id), "csrf_token": csrf_of(client, "/imports"), **form},
        files={"file": (name, (DATA / name).read_bytes(), "text/plain")},
        headers={"HX-Request": "true"},
    )


def _count(db: Session, seller: Seller) -> int:
    return int(
        db.execute(
            select(func.count()).select_from(FbaReturn).where(FbaReturn.store_id == seller.store.id)
        ).scalar_one()
    )


def test_uploaded_report_is_imported_and_summarised(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    response = _upload(signed_in, seller_a, "fba_returns_us.txt")
    assert response.status_code == 202
    job_id = int(response.text.split('id="job-')[1].split('"')[0])
    # The job ran after the request committed; its card now shows the summary.
    card = signed_in.get(f"/imports/jobs/{job_id}")
    assert 'data-status="done"' in card.text
    assert 'data-count="inserted">4<' in card.text
    assert _count(db, seller_a) == 4
    page = signed_in.get("/imports")
    assert "fba_returns_us.txt" in page.text
    assert "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA" in page.text

    again = _upload(signed_in, seller_a, "fba_returns_us.txt")
    job_id = int(again.text.split('id="job-')[1].split('"')[0])
    card = signed_in.get(f"/imports/jobs/{job_id}")
    assert 'data-count="unchanged">4<' in card.text
    assert _count(db, seller_a) == 4


def test_bad_file_is_rejected_with_lines_and_writes_nothing(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    response = _upload(signed_in, seller_a, "fba_returns_bad_rows.txt")
    job_id = int(response.text.split('id="job-')[1].split('"')[0])
    card = signed_in.get(f"/imports/jobs/{job_id}")
    assert 'data-status="rejected"' in card.text
    assert "nothing was written" in card.text
    assert _count(db, seller_a) == 0

    download = signed_in.get(f"/imports/jobs/{job_id}/rejected.csv")
    assert download.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows, "the rejected lines are listed"
    source = (DATA / "fba_returns_bad_rows.txt").read_text("utf-8").splitlines()
    for row in rows:
        assert row["message"]
        line = int(row["line"])
        if line:
            assert row["original_line"] == source[line - 1]


def test_skipped_rows_can_be_downloaded_from_history(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    response = _upload(signed_in, seller_a, "fba_returns_bad_rows.txt", skip_bad_rows="true")
    job_id = int(response.text.split('id="job-')[1].split('"')[0])
    job = db.get(ImportJob, job_id)
    db.refresh(job)
    assert job is not None
    assert job.status == "done"
    assert job.batch_id
    assert job.result
    assert job.result["rejected"] > 0
    history = signed_in.get("/imports")
    assert f"/imports/batches/{job.batch_id}/rejected.csv" in history.text
    rows = list(
        csv.DictReader(
            io.StringIO(
                signed_in.get(f"/imports/batches/{job.batch_id}/rejected.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert len(rows) == job.result["rejected"]


def test_viewer_cannot_upload(client: TestClient, db: Session, seller_a: Seller) -> None:
    make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    sign_in(client, "viewer@alpha.test")
    page = client.get("/imports")
    assert page.status_code == 200
    assert 'id="upload-form"' not in page.text
    response = _upload(client, seller_a, "fba_returns_us.txt")
    assert response.status_code == 403
    assert _count(db, seller_a) == 0


def test_api_upload_and_follow_the_job(client: TestClient, db: Session, seller_a: Seller) -> None:
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    response = client.post(
        "/api/v1/imports",
        data={"store_id": str(seller_a.store.id)},
        files={"file": ("returns.txt", (DATA / "fba_returns_us.txt").read_bytes(), "text/plain")},
        headers=headers,
    )
    assert response.status_code == 202, response.text
    job = client.get(f"/api/v1/imports/jobs/{response.json()['id']}", headers=headers).json()
    assert job["status"] == "done"
    assert (job["rows"], job["inserted"], job["rejected"]) == (4, 4, 0)
    assert job["bytes_done"] == job["size_bytes"]
    batches = client.get("/api/v1/imports/batches", headers=headers).json()
    assert batches[0]["id"] == job["batch_id"]
    assert batches[0]["file_name"] == "returns.txt"

    empty = client.post(
        "/api/v1/imports",
        data={"store_id": str(seller_a.store.id)},
        files={"file": ("empty.txt", b"", "text/plain")},
        headers=headers,
    )
    assert empty.status_code == 422
    assert empty.json()["code"] == "empty_upload"
    assert empty.json()["message"] == "empty.txt is empty"
    unknown = client.post(
        "/api/v1/imports",
        data={"store_id": str(seller_a.store.id), "marketplace": "XX"},
        files={"file": ("r.txt", b"x", "text/plain")},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "invalid_input"


def test_import_errors_are_shown_in_the_readers_language(
    signed_in: TestClient, seller_a: Seller
) -> None:
    response = _upload(signed_in, seller_a, "fba_returns_bad_rows.txt")
    job_id = int(response.text.split('id="job-')[1].split('"')[0])
    english = signed_in.get(f"/imports/jobs/{job_id}")
    assert "not a whole number" in english.text
    signed_in.post(
        "/language",
        data={"locale": "zh_CN", "next": "/imports", "csrf_token": csrf_of(signed_in, "/imports")},
    )
    chinese = signed_in.get(f"/imports/jobs/{job_id}")
    assert "不是整数" in chinese.text
    assert "not a whole number" not in chinese.text
    download = signed_in.get(f"/imports/jobs/{job_id}/rejected.csv").content.decode("utf-8-sig")
    assert "不是整数" in download


def test_uploads_are_deleted_after_the_keep_days(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    old = _upload(signed_in, seller_a, "fba_returns_bad_rows.txt")
    old_id = int(old.text.split('id="job-')[1].split('"')[0])
    recent = _upload(signed_in, seller_a, "fba_returns_us.txt")
    recent_id = int(recent.text.split('id="job-')[1].split('"')[0])
    db.expire_all()
    old_job, recent_job = db.get(ImportJob, old_id), db.get(ImportJob, recent_id)
    assert old_job is not None
    assert recent_job is not None
    assert old_job.finished_at is not None
    old_file = get_settings().upload_dir / old_job.stored_name
    recent_file = get_settings().upload_dir / recent_job.stored_name
    assert old_file.exists()
    assert recent_file.exists()
    now = old_job.finished_at + timedelta(days=get_settings().upload_keep_days, minutes=1)
    recent_job.finished_at = now - timedelta(days=1)
    db.flush()

    assert jobs.purge_uploads(db, now=now) == 1
    assert not old_file.parent.exists()
    assert recent_file.exists()
    assert jobs.purge_uploads(db, now=now) == 0
    # What was imported stays; the rejected lines are still listed, without their text.
    download = signed_in.get(f"/imports/jobs/{old_id}/rejected.csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows
    assert all(row["original_line"] == "" for row in rows)
