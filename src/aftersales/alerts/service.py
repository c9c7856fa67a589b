"""Alerts: evaluate a store's rules (idempotent per condition and day), list and read alerts,
edit rules and channels, deliver alerts to the store's channels."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.alerts import calc, channels, rules
from aftersales.alerts import repository as alert_repository
from aftersales.alerts.schemas import Alert as AlertOut
from aftersales.alerts.schemas import (
    AlertDeliveryOut,
    AlertList,
    ChannelTest,
    CheckResult,
)
from aftersales.alerts.schemas import AlertRule as AlertRuleOut
from aftersales.alerts.schemas import NotificationChannel as ChannelOut
from aftersales.amazon import marketplaces
from aftersales.claims import service as claims_service
from aftersales.exceptions import InvalidInput, NotFound
from aftersales.kit.i18n import LOCALES, N_, localize, use_locale
from aftersales.kit.i18n import gettext as _
from aftersales.kit.scope import Scope
from aftersales.models import (
    Alert,
    AlertDelivery,
    AlertRule,
    AlertRuleKind,
    ChannelKind,
    ClaimStatus,
    DeliveryStatus,
    NotificationChannel,
)

log = logging.getLogger(__name__)
LIST_LIMIT = 200


class AlertNotFound(NotFound):
    code = "alert_not_found"


class ChannelNotFound(NotFound):
    code = "channel_not_found"


def _now() -> datetime:
    return datetime.now(UTC)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# --- rules ---------------------------------------------------------------------------------------


def ensure_rules(session: Session, *, store_id: int) -> dict[AlertRuleKind, AlertRule]:
    """The store's rules, the missing ones created from the defaults (first use)."""
    found = {
        AlertRuleKind(rule.kind): rule
        for rule in alert_repository.rules_of(session, store_ids=[store_id])
        if rule.kind in set(AlertRuleKind)
    }
    for kind, default in rules.defaults().items():
        if kind not in found:
            rule = AlertRule(
                store_id=store_id,
                kind=kind.value,
                enabled=default.enabled,
                params=dict(default.params),
                updated_at=_now(),
            )
            session.add(rule)
            found[kind] = rule
    session.flush()
    return found


def list_rules(session: Session, *, scope: Scope) -> list[AlertRuleOut]:
    """Every rule of the stores; a rule never saved shows its default (nothing is written)."""
    saved = {
        (rule.store_id, rule.kind): rule
        for rule in alert_repository.rules_of(session, store_ids=scope.store_ids)
    }
    items: list[AlertRuleOut] = []
    for store_id in scope.store_ids:
        for kind, default in rules.defaults().items():
            rule = saved.get((store_id, kind.value))
            items.append(
                AlertRuleOut(
                    store_id=store_id,
                    kind=kind,
                    enabled=rule.enabled if rule else default.enabled,
                    params={**default.params, **(rule.params if rule else {})},
                    saved=rule is not None,
                    updated_at=rule.updated_at if rule else None,
                )
            )
    return items


def update_rule(
    session: Session,
    *,
    access: Access,
    store_id: int,
    kind: str,
    enabled: bool,
    params: dict[str, Any],
) -> AlertRuleOut:
    """Save a rule's thresholds and switch (404 outside the user's stores, 403 without
    MANAGE, 422 on an unknown rule or a bad threshold)."""
    access.require(store_id, Permission.MANAGE)
    if kind not in set(AlertRuleKind):
        raise InvalidInput(N_("unknown alert rule %(kind)s"), kind=kind, field="kind")
    rule_kind = AlertRuleKind(kind)
    cleaned = rules.clean_params(rule_kind, params)
    rule = ensure_rules(session, store_id=store_id)[rule_kind]
    rule.enabled = enabled
    rule.params = cleaned
    rule.updated_at = _now()
    session.flush()
    return next(
        item
        for item in list_rules(session, scope=Scope(store_ids=(store_id,)))
        if item.kind is rule_kind
    )


# --- evaluation ----------------------------------------------------------------------------------


def _findings(
    session: Session, *, store_id: int, kind: AlertRuleKind, params: dict[str, Any], as_of: date
) -> list[calc.Finding]:
    end = _start(as_of + timedelta(days=1))
    found: list[calc.Finding | None] = []
    if kind is AlertRuleKind.SKU_RETURN_RATE:
        recent_start = end - timedelta(days=int(params["recent_days"]))
        baseline_start = recent_start - timedelta(days=int(params["baseline_days"]))
        recent = alert_repository.returned_by_sku(
            session, store_id=store_id, start=recent_start, end=end
        )
        skus = [sku for sku, units in recent.items() if units >= int(params["min_units"])]
        recent_shipped = alert_repository.shipped_by_sku(
            session, store_id=store_id, start=recent_start, end=end, skus=skus
        )
        baseline = alert_repository.returned_by_sku(
            session, store_id=store_id, start=baseline_start, end=recent_start
        )
        baseline_shipped = alert_repository.shipped_by_sku(
            session, store_id=store_id, start=baseline_start, end=recent_start, skus=skus
        )
        for sku in sorted(skus):
            found.append(
                calc.sku_return_rate(
                    sku=sku,
                    recent_returned=recent[sku],
                    recent_shipped=recent_shipped.get(sku, 0),
                    baseline_returned=baseline.get(sku, 0),
                    baseline_shipped=baseline_shipped.get(sku, 0),
                    params=params,
                    as_of=as_of,
                )
            )
    elif kind is AlertRuleKind.UNSELLABLE_PER_DAY:
        start = end - timedelta(days=int(params["lookback_days"]))
        daily = alert_repository.unsellable_by_day(session, store_id=store_id, start=start, end=end)
        for day in sorted(daily):
            found.append(calc.unsellable_day(day=day, units=daily[day], params=params))
    elif kind is AlertRuleKind.REASON_CLUSTER:
        start = end - timedelta(days=int(params["days"]))
        units = alert_repository.reason_units_by_sku(
            session, store_id=store_id, reason=str(params["reason"]), start=start, end=end
        )
        for sku in sorted(units):
            found.append(calc.reason_cluster(sku=sku, units=units[sku], params=params, as_of=as_of))
    else:
        claims = claims_service.list_claims(
            session,
            scope=Scope(store_ids=(store_id,)),
            status=ClaimStatus.CANDIDATE,
            sort="closes_on",
            as_of=as_of,
        )
        found.append(
            calc.claims_expiring(
                claims=[
                    calc.ExpiringClaim(
                        claim_id=claim.id,
                        amazon_order_id=claim.amazon_order_id,
                        sku=claim.sku,
                        days_left=claim.days_left,
                        estimated_value=claim.estimated_value,
                        currency=claim.currency,
                    )
                    for claim in claims.items
                ],
                params=params,
                as_of=as_of,
            )
        )
    return [finding for finding in found if finding is not None]


REPLENISHMENT_KINDS = (AlertRuleKind.REPLENISH_ORDER_NOW, AlertRuleKind.STOCKOUT_SOON)


def _replenishment_findings(
    session: Session,
    *,
    store_id: int,
    rule: AlertRule,
    params: dict[str, Any],
    as_of: date,
) -> list[calc.Finding]:
    """Listings newly in the rule's condition since the last evaluation, from the store's
    last replenishment run; the rule keeps what it saw in its state."""
    listings = [
        calc.Listing(
            marketplace=(
                found.code if (found := marketplaces.by_id(row["marketplace_id"])) else "?"
            ),
            sku=row["sku"],
            band=row["band"],
            stockout_date=row["stockout_date"],
            ship_by=row["ship_by"],
            send_quantity=int(row["send_quantity"]),
            buy_quantity=int(row["buy_quantity"]),
        )
        for row in alert_repository.replenishment_listings(session, store_id=store_id)
    ]
    previous = set((rule.state or {}).get("listings", []))
    finding, now = calc.replenishment_news(
        order_now=rule.kind == AlertRuleKind.REPLENISH_ORDER_NOW.value,
        listings=listings,
        previous=previous,
        params=params,
        as_of=as_of,
    )
    if now != previous or rule.state is None:
        rule.state = {"listings": sorted(now), "as_of": as_of.isoformat()}
    return [finding] if finding else []


def evaluate(session: Session, *, store_id: int, as_of: date) -> list[Alert]:
    """Raise the alerts of the store's enabled rules as seen on ``as_of``; a condition
    already raised (same rule, same key) is not raised again."""
    created: list[Alert] = []
    now = _now()
    for kind, rule in ensure_rules(session, store_id=store_id).items():
        if not rule.enabled:
            continue
        params = rules.clean_params(kind, rule.params)
        seen = alert_repository.existing_keys(session, store_id=store_id, kind=kind.value)
        if kind in REPLENISHMENT_KINDS:
            findings = _replenishment_findings(
                session, store_id=store_id, rule=rule, params=params, as_of=as_of
            )
        else:
            findings = _findings(session, store_id=store_id, kind=kind, params=params, as_of=as_of)
        for finding in findings:
            if finding.key in seen:
                continue
            seen.add(finding.key)
            alert = Alert(
                store_id=store_id,
                kind=kind.value,
                key=finding.key[:300],
                title=finding.title[:300],
                body=finding.body,
                text=finding.text(),
                facts=finding.facts,
                created_at=now,
                read_at=None,
            )
            session.add(alert)
            created.append(alert)
    session.flush()
    return created


def check_now(
    session: Session, *, access: Access, store_ids: tuple[int, ...], as_of: date | None = None
) -> tuple[CheckResult, list[int]]:
    """Evaluate the given stores (all the user manages when empty); returns the new alerts'
    ids for delivery after commit."""
    for store_id in store_ids:
        access.require(store_id, Permission.MANAGE)
    chosen = store_ids or access.store_ids_with(Permission.MANAGE)
    ids: list[int] = []
    for store_id in chosen:
        ids.extend(
            alert.id for alert in evaluate(session, store_id=store_id, as_of=as_of or _now().date())
        )
    return CheckResult(created=len(ids)), ids


# --- delivery ------------------------------------------------------------------------------------


def alert_text(alert: Alert) -> tuple[str, str]:
    """The alert's title and body in the current language (English for alerts raised before
    their templates were kept)."""
    text = alert.text
    if not text:
        return alert.title, alert.body
    title_template, title_params = text["title"]
    title = localize(title_template, title_params)
    body = "\n".join(localize(template, params) for template, params in text["lines"])
    return title, body


def _attempt(session: Session, *, alert: Alert, channel: NotificationChannel) -> AlertDelivery:
    status, error = DeliveryStatus.SENT, None
    with use_locale(channel.language):
        title, body = alert_text(alert)
    try:
        channels.send(ChannelKind(channel.kind), channel.target, title=title, body=body)
    except channels.SendFailed as failure:
        status, error = DeliveryStatus.FAILED, str(failure)
        log.warning("alert %s to channel %s failed: %s", alert.id, channel.id, failure)
    delivery = AlertDelivery(
        alert_id=alert.id,
        channel_id=channel.id,
        status=status.value,
        error=error,
        attempted_at=_now(),
    )
    session.add(delivery)
    return delivery


def deliver(session: Session, *, alert_ids: list[int]) -> list[AlertDelivery]:
    """Send each alert to every enabled channel of its store; a failing channel is recorded
    and does not stop the others."""
    alerts = alert_repository.alerts_by_ids(session, alert_ids=alert_ids)
    targets = alert_repository.channels_of(
        session, store_ids=sorted({alert.store_id for alert in alerts}), enabled_only=True
    )
    deliveries = [
        _attempt(session, alert=alert, channel=channel)
        for alert in alerts
        for channel in targets
        if channel.store_id == alert.store_id
    ]
    session.flush()
    return deliveries


def retry_failed(
    session: Session, *, now: datetime | None = None, alert_ids: list[int] | None = None
) -> list[AlertDelivery]:
    """Try again each (alert, channel) whose attempts have all failed, once its wait is over
    (``alert_defaults.json`` "delivery"); with ``alert_ids``, those alerts now, waits ignored
    but not the number of attempts."""
    policy = rules.retry_policy()
    now = now or _now()
    due: list[tuple[int, int]] = []
    for alert_id, channel_id, attempts, last in alert_repository.failing_deliveries(
        session, since=now - policy.give_up_after, alert_ids=alert_ids
    ):
        next_at = policy.next_attempt(attempts=attempts, last=last)
        if next_at is not None and (alert_ids is not None or next_at <= now):
            due.append((alert_id, channel_id))
    if not due:
        return []
    alerts = {
        a.id: a for a in alert_repository.alerts_by_ids(session, alert_ids=[a for a, _ in due])
    }
    targets = {
        c.id: c
        for c in alert_repository.channels_of(
            session, store_ids=sorted({a.store_id for a in alerts.values()}), enabled_only=True
        )
    }
    deliveries = [
        _attempt(session, alert=alerts[alert_id], channel=targets[channel_id])
        for alert_id, channel_id in due
        if alert_id in alerts and channel_id in targets
    ]
    session.flush()
    return deliveries


def retry_alert(session: Session, *, access: Access, alert_id: int) -> AlertOut:
    """Send an alert again now to the channels where every attempt failed (404 outside the
    user's stores, 403 without MANAGE)."""
    alert = alert_repository.alert_by_id(
        session, store_ids=access.scope().store_ids, alert_id=alert_id
    )
    if alert is None:
        raise AlertNotFound(N_("no alert with id %(id)s"), id=alert_id)
    access.require(alert.store_id, Permission.MANAGE)
    retry_failed(session, alert_ids=[alert.id])
    deliveries = alert_repository.deliveries_of(session, alert_ids=[alert.id])
    return _out(alert, access.stores[alert.store_id].name, deliveries)


# --- reading alerts ------------------------------------------------------------------------------


def _deliveries_out(alert: Alert, deliveries: list[AlertDelivery]) -> list[AlertDeliveryOut]:
    """One line per channel: its latest attempt, how many there were, and when the next
    retry is due while every attempt has failed."""
    policy = rules.retry_policy()
    by_channel: dict[int, list[AlertDelivery]] = {}
    for delivery in deliveries:
        if delivery.alert_id == alert.id:
            by_channel.setdefault(delivery.channel_id, []).append(delivery)
    out: list[AlertDeliveryOut] = []
    for channel_id, attempts in by_channel.items():
        attempts.sort(key=lambda d: (d.attempted_at, d.id))
        latest = attempts[-1]
        failing = all(d.status == DeliveryStatus.FAILED.value for d in attempts)
        retry_at = (
            policy.next_attempt(attempts=len(attempts), last=latest.attempted_at)
            if failing and alert.created_at >= _now() - policy.give_up_after
            else None
        )
        out.append(
            AlertDeliveryOut(
                channel_id=channel_id,
                status=latest.status,
                error=latest.error,
                attempted_at=latest.attempted_at,
                attempts=len(attempts),
                next_retry_at=retry_at,
            )
        )
    return out


def _out(alert: Alert, store_name: str, deliveries: list[AlertDelivery]) -> AlertOut:
    title, body = alert_text(alert)
    return AlertOut(
        id=alert.id,
        store_id=alert.store_id,
        store_name=store_name,
        kind=AlertRuleKind(alert.kind),
        key=alert.key,
        title=title,
        body=body,
        facts=alert.facts,
        created_at=alert.created_at,
        read_at=alert.read_at,
        deliveries=_deliveries_out(alert, deliveries),
    )


def list_alerts(session: Session, *, scope: Scope, unread_only: bool = False) -> AlertList:
    found = alert_repository.alerts_in(
        session, store_ids=scope.store_ids, unread_only=unread_only, limit=LIST_LIMIT
    )
    deliveries = alert_repository.deliveries_of(
        session, alert_ids=[alert.id for alert, _name in found]
    )
    return AlertList(
        items=[_out(alert, name, deliveries) for alert, name in found],
        unread=unread_count(session, scope=scope),
    )


def unread_count(session: Session, *, scope: Scope) -> int:
    return alert_repository.unread_count(session, store_ids=scope.store_ids)


def mark_read(session: Session, *, access: Access, alert_id: int) -> AlertOut:
    """Mark one alert read for the whole store (404 outside the user's stores)."""
    scope = access.scope()
    alert = alert_repository.alert_by_id(session, store_ids=scope.store_ids, alert_id=alert_id)
    if alert is None:
        raise AlertNotFound(N_("no alert with id %(id)s"), id=alert_id)
    if alert.read_at is None:
        alert.read_at = _now()
        session.flush()
    name = access.stores[alert.store_id].name
    deliveries = alert_repository.deliveries_of(session, alert_ids=[alert.id])
    return _out(alert, name, deliveries)


def mark_all_read(session: Session, *, scope: Scope) -> int:
    return alert_repository.mark_all_read(session, store_ids=scope.store_ids, at=_now())


# --- channels ------------------------------------------------------------------------------------


def _channel_out(channel: NotificationChannel) -> ChannelOut:
    return ChannelOut(
        id=channel.id,
        store_id=channel.store_id,
        kind=ChannelKind(channel.kind),
        target=channel.target,
        enabled=channel.enabled,
        language=channel.language,
        created_at=channel.created_at,
    )


def list_channels(session: Session, *, scope: Scope) -> list[ChannelOut]:
    return [
        _channel_out(channel)
        for channel in alert_repository.channels_of(session, store_ids=scope.store_ids)
    ]


def _clean_target(kind: ChannelKind, target: str) -> str:
    target = target.strip()
    if kind is ChannelKind.EMAIL:
        local, _at, domain = target.partition("@")
        if not local or "." not in domain or any(c.isspace() for c in target):
            raise InvalidInput(N_("not an e-mail address"), field="target")
        return target
    parsed = urlparse(target)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput(N_("a webhook needs an http:// or https:// URL"), field="target")
    return target


def _clean_language(language: str) -> str:
    if language not in LOCALES:
        raise InvalidInput(N_("unknown language %(language)s"), language=language, field="language")
    return language


def create_channel(
    session: Session,
    *,
    access: Access,
    store_id: int,
    kind: str,
    target: str,
    enabled: bool,
    language: str = "en",
) -> ChannelOut:
    access.require(store_id, Permission.MANAGE)
    if kind not in set(ChannelKind):
        raise InvalidInput(N_("unknown channel kind %(kind)s"), kind=kind, field="kind")
    channel_kind = ChannelKind(kind)
    channel = NotificationChannel(
        store_id=store_id,
        kind=channel_kind.value,
        target=_clean_target(channel_kind, target),
        enabled=enabled,
        language=_clean_language(language),
        created_at=_now(),
    )
    session.add(channel)
    session.flush()
    return _channel_out(channel)


def _find_channel(session: Session, *, access: Access, channel_id: int) -> NotificationChannel:
    channel = alert_repository.channel_by_id(
        session, store_ids=access.scope().store_ids, channel_id=channel_id
    )
    if channel is None:
        raise ChannelNotFound(N_("no notification channel with id %(id)s"), id=channel_id)
    access.require(channel.store_id, Permission.MANAGE)
    return channel


def update_channel(
    session: Session,
    *,
    access: Access,
    channel_id: int,
    target: str | None = None,
    enabled: bool | None = None,
    language: str | None = None,
) -> ChannelOut:
    """Change a channel's address or URL, switch it on or off, or change its language (its
    kind stays: a different kind is a new channel)."""
    channel = _find_channel(session, access=access, channel_id=channel_id)
    if target is not None:
        channel.target = _clean_target(ChannelKind(channel.kind), target)
    if language is not None:
        channel.language = _clean_language(language)
    if enabled is not None:
        channel.enabled = enabled
    session.flush()
    return _channel_out(channel)


def delete_channel(session: Session, *, access: Access, channel_id: int) -> None:
    session.delete(_find_channel(session, access=access, channel_id=channel_id))
    session.flush()


def test_channel(session: Session, *, access: Access, channel_id: int) -> ChannelTest:
    """Send a test message to the channel now and say how it went (nothing is stored)."""
    channel = _find_channel(session, access=access, channel_id=channel_id)
    with use_locale(channel.language):
        title = _("Test message")
        body = _("This channel receives the alerts of your store from aftersales.")
    try:
        channels.send(ChannelKind(channel.kind), channel.target, title=title, body=body)
    except channels.SendFailed as failure:
        return ChannelTest(status=DeliveryStatus.FAILED.value, error=str(failure))
    return ChannelTest(status=DeliveryStatus.SENT.value, error=None)
