"""The `aftersales` console script: loads the command line with the garbage collector paused
(importing the libraries allocates many objects and no garbage), then freezes what was
loaded so later collections skip it, as the web server does.

When the command is done, the process leaves without the interpreter's teardown: with the
libraries loaded it takes about 0.3 s (more after a command that held big frames) and
does nothing a finished command needs. What does matter is done first: output flushed,
logging shut down, threads finished, database connections closed (on SQLite the last
close checkpoints the write-ahead log)."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading


def main() -> None:
    # First, while no SQLite connection can be open: reads in threads then run side by side.
    from aftersales.db.sqlite_memory import disable_statistics

    disable_statistics()
    gc.disable()
    try:
        from aftersales.cli import main as run
    finally:
        gc.enable()
    gc.freeze()
    try:
        run()
    except SystemExit as stop:
        leave(stop.code)
    leave(0)


def leave(code: object) -> None:
    """Exit with ``code`` as SystemExit would (None: 0; text: printed, 1), skipping teardown."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    # What the interpreter does first when it exits: tell thread pools left open to stop,
    # then wait for every non-daemon thread (joining them alone waits forever on an idle
    # pool's workers). Private, but the very function the interpreter calls.
    threading._shutdown()  # type: ignore[attr-defined]
    from aftersales.db.session import dispose_engines

    dispose_engines()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            # A closed pipe (`aftersales export … | head`): what could be written was.
            status = status or 1
    if sys.getprofile() is not None or sys.gettrace() is not None:
        # A profiler or coverage watches the process: it writes its report at exit.
        raise SystemExit(status)
    os._exit(status)
