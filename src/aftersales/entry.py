"""The `aftersales` console script: loads the command line with the garbage collector paused
(importing the libraries allocates many objects and no garbage), then freezes what was
loaded so later collections skip it, as the web server does."""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    try:
        from aftersales.cli import main as run
    finally:
        gc.enable()
    gc.freeze()
    run()
