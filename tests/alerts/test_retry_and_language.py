"""Failed deliveries are tried again on the policy's schedule (then left failed), channels are
edited, and each channel gets its alerts in its own language (a real local HTTP receiver)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.accounts.service import Access
from aftersales.alerts import rules
from aftersales.alerts import service as alerts_service
from aftersales.alerts.schemas import NotificationChannel
from aftersales.claims import service as claims_service
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.i18n import use_locale
from aftersales.models import Alert, AlertDelivery, Store
from aftersales.stores import service as store_service
from tests.claims.builders import add_refund
from tests.web.conftest import make_user


@dataclass
class _Receiver:
    base: str
    # Status code per path; a path not listed answers 200 "ok".
    status: dict[str, int] = field(default_factory=dict)
    received: list[tuple[str, Any]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    state = _Receiver(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.received.append((self.path, json.loads(self.rfile.read(length))))
            code = state.status.get(self.path, 200)
            body = b"ok" if code == 200 else b"down"
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _owner(session: Session, store: Store) -> Access:
    owner = make_user(session, "owner@acme.test", store)
    return account_service.access_for(session, user=owner)


def _channel(
    session: Session, access: Access, store: Store, kind: str, target: str, language: str = "en"
) -> NotificationChannel:
    return alerts_service.create_channel(
        session,
        access=access,
        store_id=store.id,
        kind=kind,
        target=target,
        enabled=True,
        language=language,
    )


def _alert(session: Session, store: Store) -> Alert:
    add_refund(session, store, on=date(2026, 1, 5), order_id="111-0000001-0000001")
    claims_service.detect(session, store_id=store.id, as_of=date(2026, 3, 20))
    [alert] = alerts_service.evaluate(session, store_id=store.id, as_of=date(2026, 5, 1))
    return alert


def _attempts(session: Session, alert: Alert, channel_id: int) -> list[AlertDelivery]:
    session.expire_all()
    return sorted(
        (
            d
            for d in session.query(AlertDelivery).filter_by(alert_id=alert.id).all()
            if d.channel_id == channel_id
        ),
        key=lambda d: d.id,
    )


def test_a_failed_delivery_is_retried_on_schedule_until_it_goes_through(
    session: Session, store: Store, receiver: _Receiver
) -> None:
    access = _owner(session, store)
    flaky = _channel(session, access, store, "slack", f"{receiver.base}/flaky")
    fine = _channel(session, access, store, "slack", f"{receiver.base}/fine")
    receiver.status["/flaky"] = 503
    alert = _alert(session, store)
    alerts_service.deliver(session, alert_ids=[alert.id])
    [first] = _attempts(session, alert, flaky.id)
    assert first.status == "failed"
    assert "503" in (first.error or "")
    policy = rules.retry_policy()
    wait = policy.retry_after[0]

    # Before the first wait is over nothing is sent; the channel that worked is left alone.
    assert alerts_service.retry_failed(session, now=first.attempted_at + wait / 2) == []
    retried = alerts_service.retry_failed(session, now=first.attempted_at + wait)
    assert [(d.channel_id, d.status) for d in retried] == [(flaky.id, "failed")]

    # The receiver recovers: the next retry, after the second wait, goes through.
    receiver.status["/flaky"] = 200
    second = _attempts(session, alert, flaky.id)[-1]
    assert alerts_service.retry_failed(session, now=second.attempted_at + wait) == []
    sent = alerts_service.retry_failed(session, now=second.attempted_at + policy.retry_after[1])
    assert [(d.channel_id, d.status) for d in sent] == [(flaky.id, "sent")]
    assert alerts_service.retry_failed(session, now=datetime.now(UTC) + timedelta(days=1)) == []
    assert len(_attempts(session, alert, fine.id)) == 1
    paths = [path for path, _ in receiver.received]
    assert paths.count("/flaky") == 3
    assert paths.count("/fine") == 1

    listed = alerts_service.list_alerts(session, scope=access.scope()).items[0]
    by_channel = {d.channel_id: d for d in listed.deliveries}
    assert (by_channel[flaky.id].status, by_channel[flaky.id].attempts) == ("sent", 3)
    assert by_channel[flaky.id].next_retry_at is None


def test_retries_stop_after_the_last_wait_and_for_old_alerts(
    session: Session, store: Store, receiver: _Receiver
) -> None:
    access = _owner(session, store)
    down = _channel(session, access, store, "wecom", f"{receiver.base}/down")
    receiver.status["/down"] = 500
    alert = _alert(session, store)
    alerts_service.deliver(session, alert_ids=[alert.id])
    policy = rules.retry_policy()
    for _ in policy.retry_after:
        last = _attempts(session, alert, down.id)[-1]
        listed = alerts_service.list_alerts(session, scope=access.scope()).items[0]
        assert listed.deliveries[0].next_retry_at is not None
        [again] = alerts_service.retry_failed(session, now=last.attempted_at + timedelta(days=1))
        assert again.status == "failed"
    assert len(_attempts(session, alert, down.id)) == policy.max_attempts
    assert alerts_service.retry_failed(session, now=datetime.now(UTC) + timedelta(hours=1)) == []
    listed = alerts_service.list_alerts(session, scope=access.scope()).items[0]
    assert listed.deliveries[0].next_retry_at is None

    # An alert older than the give-up window is not retried, even with attempts left.
    other = _alert_raised_long_ago(session, store, policy.give_up_after)
    alerts_service.deliver(session, alert_ids=[other.id])
    later = datetime.now(UTC) + timedelta(hours=1)
    assert [d.alert_id for d in alerts_service.retry_failed(session, now=later)] == []


def _alert_raised_long_ago(session: Session, store: Store, give_up: timedelta) -> Alert:
    alert = Alert(
        store_id=store.id,
        kind="unsellable_per_day",
        key="old",
        title="old",
        body="old",
        text=None,
        facts={},
        created_at=datetime.now(UTC) - give_up - timedelta(days=1),
        read_at=None,
    )
    session.add(alert)
    session.flush()
    return alert


def test_retry_now_ignores_the_wait_but_not_other_stores(
    session: Session, store: Store, receiver: _Receiver
) -> None:
    access = _owner(session, store)
    channel = _channel(session, access, store, "dingtalk", f"{receiver.base}/later")
    receiver.status["/later"] = 502
    alert = _alert(session, store)
    alerts_service.deliver(session, alert_ids=[alert.id])
    receiver.status["/later"] = 200

    out = alerts_service.retry_alert(session, access=access, alert_id=alert.id)

    assert [(d.channel_id, d.status, d.attempts) for d in out.deliveries] == [
        (channel.id, "sent", 2)
    ]
    stranger_store = store_service.add_store(session, name="other-eu", region="EU")
    stranger = account_service.access_for(
        session, user=make_user(session, "x@other.test", stranger_store)
    )
    with pytest.raises(NotFound):
        alerts_service.retry_alert(session, access=stranger, alert_id=alert.id)


def test_each_channel_gets_the_alert_in_its_language(
    session: Session, store: Store, receiver: _Receiver
) -> None:
    access = _owner(session, store)
    english = _channel(session, access, store, "slack", f"{receiver.base}/en")
    chinese = _channel(session, access, store, "dingtalk", f"{receiver.base}/zh", "zh_CN")
    assert (english.language, chinese.language) == ("en", "zh_CN")
    alert = _alert(session, store)
    alerts_service.deliver(session, alert_ids=[alert.id])

    bodies = dict(receiver.received)
    assert bodies["/en"]["text"] == f"{alert.title}\n{alert.body}"
    zh_text = bodies["/zh"]["text"]["content"]
    with use_locale("zh_CN"):
        title, body = alerts_service.alert_text(alert)
    assert zh_text == f"{title}\n{body}"
    assert "111-0000001-0000001" in zh_text
    assert zh_text != bodies["/en"]["text"]
    assert "索赔" in zh_text  # "claims" in the zh_CN catalog

    # The list shows the reader's language too.
    with use_locale("zh_CN"):
        listed = alerts_service.list_alerts(session, scope=access.scope()).items[0]
    assert listed.title == title


def test_channels_are_edited_and_checked(
    session: Session, store: Store, receiver: _Receiver
) -> None:
    access = _owner(session, store)
    channel = _channel(session, access, store, "email", "ops@seller.test")
    changed = alerts_service.update_channel(
        session,
        access=access,
        channel_id=channel.id,
        target=" team@seller.test ",
        enabled=False,
        language="zh_CN",
    )
    assert (changed.target, changed.enabled, changed.language) == (
        "team@seller.test",
        False,
        "zh_CN",
    )
    with pytest.raises(InvalidInput):
        alerts_service.update_channel(
            session, access=access, channel_id=channel.id, target="not an address"
        )
    with pytest.raises(InvalidInput):
        alerts_service.update_channel(session, access=access, channel_id=channel.id, language="fr")
    with pytest.raises(InvalidInput):
        alerts_service.create_channel(
            session,
            access=access,
            store_id=store.id,
            kind="slack",
            target=f"{receiver.base}/x",
            enabled=True,
            language="klingon",
        )
    [listed] = alerts_service.list_channels(session, scope=access.scope())
    assert (listed.target, listed.enabled, listed.language) == ("team@seller.test", False, "zh_CN")
