"""JSON API for alerts: the list, marking read, checking now, rules and notification channels."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from aftersales.alerts import service as alerts_service
from aftersales.alerts import tasks as alert_tasks
from aftersales.alerts.schemas import (
    Alert,
    AlertList,
    AlertRule,
    AlertRuleUpdate,
    ChannelTest,
    CheckResult,
    NotificationChannel,
    NotificationChannelCreate,
    NotificationChannelUpdate,
)
from aftersales.web.deps import ApiAccess, ApiScope, DbSession, ObjectId
from aftersales.worker import after_commit

router = APIRouter(tags=["alerts"])


@router.get("/alerts", response_model=AlertList)
def list_alerts(
    session: DbSession, scope: ApiScope, unread: Annotated[bool, Query()] = False
) -> AlertList:
    return alerts_service.list_alerts(session, scope=scope, unread_only=unread)


@router.post("/alerts/check", response_model=CheckResult)
def check_alerts(
    session: DbSession,
    access: ApiAccess,
    store_id: Annotated[
        list[int] | None, Query(description="Stores to evaluate (default: all you manage).")
    ] = None,
) -> CheckResult:
    result, alert_ids = alerts_service.check_now(
        session, access=access, store_ids=tuple(store_id or ())
    )
    if alert_ids:
        after_commit(session, lambda: alert_tasks.deliver_task(alert_ids))
    return result


@router.post("/alerts/{alert_id}/read", response_model=Alert)
def mark_read(session: DbSession, access: ApiAccess, alert_id: ObjectId) -> Alert:
    return alerts_service.mark_read(session, access=access, alert_id=alert_id)


@router.post("/alerts/{alert_id}/retry", response_model=Alert)
def retry_alert(session: DbSession, access: ApiAccess, alert_id: ObjectId) -> Alert:
    """Send the alert again now to each channel where every attempt so far has failed."""
    return alerts_service.retry_alert(session, access=access, alert_id=alert_id)


@router.get("/alert-rules", response_model=list[AlertRule])
def list_rules(session: DbSession, scope: ApiScope) -> list[AlertRule]:
    return alerts_service.list_rules(session, scope=scope)


@router.put("/alert-rules/{store_id}/{kind}", response_model=AlertRule)
def update_rule(
    session: DbSession,
    access: ApiAccess,
    store_id: ObjectId,
    kind: str,
    body: Annotated[AlertRuleUpdate | None, Body()] = None,
) -> AlertRule:
    update = body or AlertRuleUpdate()
    return alerts_service.update_rule(
        session,
        access=access,
        store_id=store_id,
        kind=kind,
        enabled=update.enabled,
        params=update.params,
    )


@router.get("/notification-channels", response_model=list[NotificationChannel])
def list_channels(session: DbSession, scope: ApiScope) -> list[NotificationChannel]:
    return alerts_service.list_channels(session, scope=scope)


@router.post("/notification-channels", response_model=NotificationChannel, status_code=201)
def create_channel(
    session: DbSession, access: ApiAccess, body: NotificationChannelCreate
) -> NotificationChannel:
    return alerts_service.create_channel(
        session,
        access=access,
        store_id=body.store_id,
        kind=body.kind.value,
        target=body.target,
        enabled=body.enabled,
        language=body.language,
    )


@router.patch("/notification-channels/{channel_id}", response_model=NotificationChannel)
def update_channel(
    session: DbSession,
    access: ApiAccess,
    channel_id: ObjectId,
    body: Annotated[NotificationChannelUpdate | None, Body()] = None,
) -> NotificationChannel:
    update = body or NotificationChannelUpdate()
    return alerts_service.update_channel(
        session,
        access=access,
        channel_id=channel_id,
        target=update.target,
        enabled=update.enabled,
        language=update.language,
    )


@router.delete("/notification-channels/{channel_id}", status_code=204)
def delete_channel(session: DbSession, access: ApiAccess, channel_id: ObjectId) -> Response:
    alerts_service.delete_channel(session, access=access, channel_id=channel_id)
    return Response(status_code=204)


@router.post("/notification-channels/{channel_id}/test", response_model=ChannelTest)
def test_channel(session: DbSession, access: ApiAccess, channel_id: ObjectId) -> ChannelTest:
    return alerts_service.test_channel(session, access=access, channel_id=channel_id)
