"""The console script as a user runs it (a process of its own): exit codes, output through a
pipe, and a database left closed although the process skips the interpreter's teardown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA

BIN = Path(sys.executable).parent


def _buffered() -> dict[str, str]:
    """The environment with output buffered, as on a user's machine (CI may unbuffer it)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AFTERSALES_") and k != "PYTHONUNBUFFERED"
    }


def _env(tmp_path: Path) -> dict[str, str]:
    env = _buffered()
    env["AFTERSALES_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    env["AFTERSALES_LANGUAGE"] = "en"
    return env


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "aftersales"), *args],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_console_script_flushes_its_output_and_closes_the_database(tmp_path: Path) -> None:
    done = _run(
        tmp_path, "import", str(DATA / "fba_returns_us.txt"), "--marketplace", "US", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["inserted"] == 4
    # The last connection's close checkpoints the write-ahead log and removes it.
    assert (tmp_path / "cli.db").exists()
    assert not (tmp_path / "cli.db-wal").exists()
    done = _run(tmp_path, "export", "returns", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 4


def test_the_console_script_keeps_the_exit_code_of_a_failed_command(tmp_path: Path) -> None:
    done = _run(tmp_path, "import", str(DATA / "fba_returns_bad_rows.txt"), "--marketplace", "US")
    assert done.returncode == 2
    assert "line 3, column 'quantity', value 'one': not a whole number" in done.stderr
    assert _run(tmp_path, "no-such-command").returncode == 2


def _leave(code: str, before: str = "") -> subprocess.CompletedProcess[str]:
    script = f"{before}\nfrom aftersales.entry import leave\nleave({code})\nprint('not reached')"
    return subprocess.run(
        [sys.executable, "-c", script],
        env=_buffered(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_leave_exits_as_system_exit_would() -> None:
    assert _leave("None").returncode == 0
    assert _leave("3").returncode == 3
    done = _leave("'stopped: no store'")
    assert (done.returncode, done.stderr.strip(), done.stdout) == (1, "stopped: no store", "")


def test_leave_flushes_what_was_printed() -> None:
    done = _leave("0", "print('buffered', end='')")
    assert (done.returncode, done.stdout) == (0, "buffered")


def test_leave_lets_running_threads_finish() -> None:
    before = (
        "import threading, time\n"
        "import aftersales.db.session  # loaded: leave's own import takes no time\n"
        "def work():\n"
        "    time.sleep(0.5)\n"
        "    print('thread done', flush=True)\n"
        "threading.Thread(target=work).start()"
    )
    done = _leave("0", before)
    assert (done.returncode, done.stdout) == (0, "thread done\n")


def test_a_profiled_command_still_writes_its_profile(tmp_path: Path) -> None:
    profile = tmp_path / "run.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), str(BIN / "aftersales"), "--help"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0


def test_leave_stops_a_thread_pool_left_open() -> None:
    before = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "pool = ThreadPoolExecutor(1)\n"
        "print(pool.submit(lambda: 'task done').result(), flush=True)"
    )
    done = _leave("0", before)
    assert (done.returncode, done.stdout) == (0, "task done\n")
