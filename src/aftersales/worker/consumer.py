"""Running the job consumer: standalone (`aftersales worker`) or inside `aftersales serve`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from huey.consumer import Consumer

from aftersales.worker import get_huey


def _register_tasks() -> None:
    # Importing the task modules registers their tasks with the Huey instance.
    import aftersales.alerts.tasks
    import aftersales.imports.tasks
    import aftersales.replenishment.tasks  # noqa: F401


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer that leaves signal handling to its host (uvicorn owns SIGINT / SIGTERM)."""

    def _set_signal_handlers(self) -> None:
        return None


@contextmanager
def embedded_consumer(workers: int = 2) -> Iterator[EmbeddedConsumer]:
    _register_tasks()
    consumer = EmbeddedConsumer(get_huey(), workers=workers, worker_type="thread")
    consumer.start()
    logging.getLogger("aftersales.worker").info("job consumer started (%s threads)", workers)
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)


def run_consumer(workers: int = 2) -> None:
    """Block running the consumer until interrupted (Huey's own signal handling applies)."""
    _register_tasks()
    get_huey().create_consumer(workers=workers, worker_type="thread").run()
