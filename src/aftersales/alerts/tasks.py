"""Background jobs of the alerts domain: hourly evaluation of every store, and delivery of
new alerts to the stores' channels (named ``alerts.<verb>``; they carry ids)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from huey import crontab

from aftersales.alerts import repository as alert_repository
from aftersales.alerts import service as alerts_service
from aftersales.db.session import unit_of_work
from aftersales.worker import get_huey

huey = get_huey()
log = logging.getLogger(__name__)


def evaluate_all() -> int:
    """Evaluate every store (one unit of work each), then deliver what was raised."""
    with unit_of_work(write=False) as session:
        store_ids = alert_repository.store_ids(session)
    created = 0
    for store_id in store_ids:
        with unit_of_work() as session:
            alerts = alerts_service.evaluate(
                session, store_id=store_id, as_of=datetime.now(UTC).date()
            )
            ids = [alert.id for alert in alerts]
        created += len(ids)
        if ids:
            deliver_alerts(ids)
    log.info("alerts.evaluate: %s new alerts in %s stores", created, len(store_ids))
    return created


def deliver_alerts(alert_ids: list[int]) -> None:
    with unit_of_work() as session:
        alerts_service.deliver(session, alert_ids=alert_ids)


def retry_deliveries() -> int:
    """Try failed deliveries again whose wait is over (alert_defaults.json "delivery")."""
    with unit_of_work() as session:
        retried = alerts_service.retry_failed(session)
        sent = sum(1 for d in retried if d.status == "sent")
    if retried:
        log.info("alerts.retry: %s deliveries retried, %s sent", len(retried), sent)
    return len(retried)


@huey.periodic_task(crontab(minute="*/5"), name="alerts.retry")  # type: ignore[untyped-decorator]
def retry_task() -> None:
    retry_deliveries()


@huey.periodic_task(crontab(minute="7"), name="alerts.evaluate")  # type: ignore[untyped-decorator]
def evaluate_task() -> None:
    evaluate_all()


@huey.task(name="alerts.deliver")  # type: ignore[untyped-decorator]
def deliver_task(alert_ids: list[int]) -> None:
    deliver_alerts(alert_ids)
