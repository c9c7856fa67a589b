"""The fast paths of the importer: block parsing, row hashes, insert-first and look-up-first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from aftersales.amazon.decode import (
    LINE_COLUMN,
    FileFacts,
    ReportFileError,
    ReportReader,
    field_column,
    sniff,
)
from aftersales.config import get_settings
from aftersales.db import migrate
from aftersales.db.session import make_engine
from aftersales.imports import repository as import_repository
from aftersales.imports.service import ImportRejected
from aftersales.models import FbaReturn, Store
from aftersales.stores import service as store_service
from tests.conftest import DATA, run_import

HEADER = "a\tb\tc"


def _read(path: Path, size: int = 100) -> tuple[list[tuple[int, ...]], list[tuple[int, str]]]:
    reader = ReportReader(path, sniff(path))
    rows: list[tuple[int, ...]] = []
    broken: list[tuple[int, str]] = []
    try:
        for chunk in reader.chunks(size):
            names = [LINE_COLUMN, *(field_column(i) for i in range(len(reader.header)))]
            rows += chunk.frame.select(names).rows()
            broken += chunk.broken
    finally:
        reader.close()
    return rows, broken


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_line_ends_blank_short_and_surplus_lines(tmp_path: Path, end: str) -> None:
    body = [HEADER, "1\t2\t3", "", "4\t5", "6\t7\t8\t\t", "9\t10\t11\t12", "x\ty\tz"]
    path = tmp_path / "plain.txt"
    path.write_bytes(end.join(body).encode() + end.encode())
    rows, broken = _read(path)
    assert rows == [
        (2, "1", "2", "3"),
        (4, "4", "5", ""),
        (5, "6", "7", "8"),
        (7, "x", "y", "z"),
    ]
    assert broken == [(6, "line has 4 fields but the header has 3")]


def test_clean_blocks_and_chunks_keep_line_numbers(tmp_path: Path) -> None:
    lines = [f"{n}\tv{n}\t" for n in range(2, 502)]
    path = tmp_path / "clean.txt"
    path.write_text("\n".join([HEADER, *lines]))  # no line end after the last line
    rows, broken = _read(path, size=7)
    assert broken == []
    assert rows == [(n, str(n), f"v{n}", "") for n in range(2, 502)]


def test_broken_lines_travel_with_the_next_good_row(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_text("\n".join([HEADER, "1\t2\t3", "bad\t\t\tx", "4\t5\t6", "bad\t\t\ty", ""]))
    reader = ReportReader(path, sniff(path))
    chunks = [(c.frame.get_column(LINE_COLUMN).to_list(), c.broken) for c in reader.chunks(1)]
    reader.close()
    assert [(lines, [b[0] for b in broken]) for lines, broken in chunks] == [
        ([2], []),
        ([4], [3]),
        ([], [5]),
    ]


def test_undecodable_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"a\tb\n1\t2\n3\t\xff4\n")
    facts = FileFacts(sniff(path).sha256, False, "utf-8")
    with pytest.raises(ReportFileError, match="is not valid utf-8") as raised:
        ReportReader(path, facts)  # the first block is decoded with the header
    assert raised.value.line == 3
    big = tmp_path / "late.txt"
    big.write_bytes(b"a\tb\n" + b"1\t2\n" * 400_000 + b"3\t\xff4\n")
    reader = ReportReader(big, facts)
    with pytest.raises(ReportFileError, match="is not valid utf-8") as raised:
        list(reader.chunks(1000))
    reader.close()
    assert raised.value.line == 400_002


def _returns_file(tmp_path: Path, extra: list[str]) -> Path:
    lines = (DATA / "fba_returns_us.txt").read_text().splitlines()
    path = tmp_path / "returns.txt"
    path.write_text("\n".join(lines + extra) + "\n")
    return path


def _changed(line: str, status: str) -> str:
    fields = line.split("\t")
    fields[10] = status
    return "\t".join(fields)


@pytest.mark.parametrize("chunk_rows", [2, 100_000])
def test_a_later_chunk_updating_an_earlier_row(
    session: Session, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    monkeypatch.setattr(get_settings(), "import_chunk_rows", chunk_rows)
    first_line = (DATA / "fba_returns_us.txt").read_text().splitlines()[1]
    path = _returns_file(tmp_path, [_changed(first_line, "Changed later")])
    result = run_import(session, path, marketplace="US")
    if chunk_rows == 2:  # the changed copy lands in a later chunk: an update
        assert (result.inserted, result.updated, result.duplicates) == (4, 1, 0)
    else:  # same chunk: the last one wins
        assert (result.inserted, result.updated, result.duplicates) == (4, 0, 1)
    assert session.scalar(select(FbaReturn.status).where(FbaReturn.id.is_not(None)).limit(1))
    statuses = session.scalars(select(FbaReturn.status)).all()
    assert "Changed later" in statuses


@pytest.mark.parametrize("chunk_rows", [1, 3, 100_000])
def test_reimport_mixing_new_changed_and_unchanged_rows(
    session: Session, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    monkeypatch.setattr(get_settings(), "import_chunk_rows", chunk_rows)
    run_import(session, "fba_returns_us.txt", marketplace="US")
    lines = (DATA / "fba_returns_us.txt").read_text().splitlines()
    new_row = lines[1].replace("LPN", "LPNNEW", 1) if "LPN" in lines[1] else None
    assert new_row is not None
    body = [lines[0], _changed(lines[1], "Reimbursed"), lines[2], new_row, lines[3], lines[4]]
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(body) + "\n")
    result = run_import(session, path, marketplace="US")
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 3)
    assert session.scalar(select(func.count()).select_from(FbaReturn)) == 5
    again = run_import(session, path, marketplace="US")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)


def test_rows_without_a_hash_are_compared_and_get_one(session: Session, store: Store) -> None:
    run_import(session, "fba_returns_us.txt", marketplace="US")
    hashes = dict(session.execute(select(FbaReturn.id, FbaReturn.row_hash)).all())
    assert None not in hashes.values()
    session.execute(update(FbaReturn).values(row_hash=None))
    again = run_import(session, "fba_returns_us.txt", marketplace="US")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    session.expire_all()
    assert dict(session.execute(select(FbaReturn.id, FbaReturn.row_hash)).all()) == hashes
    # A wrong hash on a changed row: still an update, with the right hash afterwards.
    session.execute(update(FbaReturn).values(row_hash=1, status="edited"))
    third = run_import(session, "fba_returns_us.txt", marketplace="US")
    assert (third.updated, third.unchanged) == (4, 0)
    session.expire_all()
    assert dict(session.execute(select(FbaReturn.id, FbaReturn.row_hash)).all()) == hashes


def test_rejected_file_after_written_chunks_leaves_nothing(
    session: Session, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "import_chunk_rows", 1)
    lines = (DATA / "fba_returns_us.txt").read_text().splitlines()
    path = _returns_file(tmp_path, [lines[1].replace("\t1\t", "\tone\t", 1)])
    with pytest.raises(ImportRejected) as rejected:
        run_import(session, path, marketplace="US")
    assert [(e.line, e.column) for e in rejected.value.result.errors] == [(6, "quantity")]


def _return_line(number: int, status: str = "Unit returned to inventory") -> str:
    fields = (DATA / "fba_returns_us.txt").read_text().splitlines()[1].split("\t")
    fields[10] = status
    fields[11] = f"LPNTEST{number:05d}"
    return "\t".join(fields)


@pytest.mark.parametrize("window", [True, False], ids=["id-window", "lookup-per-row"])
def test_reimport_across_chunks_counts_each_row_once(
    session: Session,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    window: bool,
) -> None:
    header = (DATA / "fba_returns_us.txt").read_text().splitlines()[0]
    first = tmp_path / "first.txt"
    first.write_text("\n".join([header, *(_return_line(n) for n in range(9))]) + "\n")
    run_import(session, first, marketplace="US")

    monkeypatch.setattr(get_settings(), "import_chunk_rows", 3)
    monkeypatch.setattr(import_repository, "WINDOW_SPREAD", 2 if window else 0)
    scans: list[tuple[int, int]] = []
    original = import_repository.Upserter._stored_pairs

    def spy(self: import_repository.Upserter, cursor: Any, store_id: int, *ids: int) -> Any:
        scans.append(ids)
        return original(self, cursor, store_id, *ids)

    monkeypatch.setattr(import_repository.Upserter, "_stored_pairs", spy)
    again = tmp_path / "again.txt"
    body = [
        *(_return_line(0), _return_line(1, "Reimbursed"), _return_line(100)),  # chunk 1
        *(_return_line(2), _return_line(101), _return_line(3, "Reimbursed")),  # chunk 2
        # Keys written by earlier chunks: one back to its old values, one changed again.
        *(_return_line(1), _return_line(100, "Repackaged"), _return_line(4)),  # chunk 3
        *(_return_line(101), _return_line(5)),  # chunk 4: unchanged, as chunk 2 wrote it
    ]
    again.write_text("\n".join([header, *body]) + "\n")
    result = run_import(session, again, marketplace="US")

    assert (result.rows, result.inserted, result.updated, result.unchanged) == (11, 2, 4, 5)
    if session.get_bind().dialect.name == "sqlite":
        assert bool(scans) == window
    statuses = {
        lpn: status
        for lpn, status in session.execute(select(FbaReturn.license_plate_number, FbaReturn.status))
    }
    assert len(statuses) == 11
    assert statuses["LPNTEST00001"] == "Unit returned to inventory"
    assert statuses["LPNTEST00003"] == "Reimbursed"
    assert statuses["LPNTEST00100"] == "Repackaged"
    assert statuses["LPNTEST00101"] == "Unit returned to inventory"
    unchanged = {f"LPNTEST{n:05d}" for n in (0, 2, 4, 5, 6, 7, 8)}
    assert {statuses[lpn] for lpn in unchanged} == {"Unit returned to inventory"}
    hashes = session.execute(select(func.count()).where(FbaReturn.row_hash.is_(None))).scalar()
    assert hashes == 0


def test_in_memory_sqlite_writes_on_the_importing_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # Its one connection refuses other threads (check_same_thread).
    engine = make_engine("sqlite://")
    migrate.upgrade(engine)
    monkeypatch.setattr(get_settings(), "import_chunk_rows", 2)
    with Session(engine) as session:
        store_service.add_store(session, name="acme-na", region="NA")
        first = run_import(session, "fba_returns_us.txt", marketplace="US")
        again = run_import(session, "fba_returns_us.txt", marketplace="US")
    engine.dispose()
    assert (first.inserted, again.unchanged) == (4, 4)


def test_a_failed_write_stops_the_import_and_the_writes_after_it(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "import_chunk_rows", 1)
    written: list[int] = []
    original = import_repository.Upserter.write

    def write(self: import_repository.Upserter, frame: Any, store_id: int) -> tuple[int, int]:
        if self.table.name == FbaReturn.__tablename__:
            written.append(frame.height)
            if len(written) == 2:
                raise RuntimeError("disk full")
        return original(self, frame, store_id)

    monkeypatch.setattr(import_repository.Upserter, "write", write)
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(session, "fba_returns_us.txt", marketplace="US")
    assert written == [1, 1]  # the chunks queued behind the failed one were not written
