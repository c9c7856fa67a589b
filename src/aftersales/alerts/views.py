"""Alert pages: the list behind the bell, and Settings > Alerts (rules and channels)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from aftersales.accounts.roles import Permission
from aftersales.alerts import rules
from aftersales.alerts import service as alerts_service
from aftersales.alerts import tasks as alert_tasks
from aftersales.kit.i18n import LOCALES
from aftersales.kit.i18n import gettext as _
from aftersales.models import ChannelKind
from aftersales.web.deps import DbSession, ObjectId, PageContext, flash
from aftersales.web.templating import render
from aftersales.worker import after_commit

router = APIRouter()

Threshold = Annotated[str | None, Form(max_length=60)]


@router.get("/alerts", name="alerts")
def alerts_page(
    request: Request,
    session: DbSession,
    page: PageContext,
    unread: Annotated[bool, Query()] = False,
) -> Response:
    result = alerts_service.list_alerts(session, scope=page.selection.scope, unread_only=unread)
    return render(
        request,
        "alerts/list.html",
        {"active": "alerts", "result": result, "unread_only": unread, "labels": rules.RULE_LABELS},
    )


@router.post("/alerts/check", name="alerts_check")
def check_now(request: Request, session: DbSession, page: PageContext) -> Response:
    chosen = (page.selection.store_id,) if page.selection.store_id else ()
    result, alert_ids = alerts_service.check_now(session, access=page.access, store_ids=chosen)
    if alert_ids:
        after_commit(session, lambda: alert_tasks.deliver_task(alert_ids))
    flash(request, _("%(count)s new alerts.", count=result.created), "success")
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/read-all", name="alerts_read_all")
def read_all(request: Request, session: DbSession, page: PageContext) -> Response:
    alerts_service.mark_all_read(session, scope=page.selection.scope)
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{alert_id}/retry", name="alert_retry")
def retry(request: Request, session: DbSession, page: PageContext, alert_id: ObjectId) -> Response:
    alert = alerts_service.retry_alert(session, access=page.access, alert_id=alert_id)
    failed = [d for d in alert.deliveries if d.status != "sent"]
    if failed:
        flash(
            request, _("Sent again; %(count)s channels still failing.", count=len(failed)), "error"
        )
    else:
        flash(request, _("Sent again to every channel."), "success")
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{alert_id}/read", name="alert_read")
def mark_read(
    request: Request, session: DbSession, page: PageContext, alert_id: ObjectId
) -> Response:
    alerts_service.mark_read(session, access=page.access, alert_id=alert_id)
    return RedirectResponse("/alerts", status_code=303)


@router.get("/settings/alerts", name="alert_settings")
def settings_page(request: Request, session: DbSession, page: PageContext) -> Response:
    scope = page.selection.scope
    names = {store.store_id: store.name for store in page.selection.stores}
    return render(
        request,
        "alerts/settings.html",
        {
            "active": "settings",
            "rules": alerts_service.list_rules(session, scope=scope),
            "channels": alerts_service.list_channels(session, scope=scope),
            "store_names": names,
            "managed": [sid for sid in scope.store_ids if page.access.can(sid, Permission.MANAGE)],
            "rule_labels": rules.RULE_LABELS,
            "param_labels": rules.PARAM_LABELS,
            "channel_kinds": list(ChannelKind),
            "languages": LOCALES,
        },
    )


@router.post("/settings/alerts/rules/{store_id}/{kind}", name="alert_rule_update")
def update_rule(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: ObjectId,
    kind: str,
    enabled: Annotated[str | None, Form(max_length=10)] = None,
    multiple: Threshold = None,
    recent_days: Threshold = None,
    baseline_days: Threshold = None,
    min_units: Threshold = None,
    max_units: Threshold = None,
    lookback_days: Threshold = None,
    days: Threshold = None,
    reason: Threshold = None,
) -> Response:
    given = {
        "multiple": multiple,
        "recent_days": recent_days,
        "baseline_days": baseline_days,
        "min_units": min_units,
        "max_units": max_units,
        "lookback_days": lookback_days,
        "days": days,
        "reason": reason,
    }
    alerts_service.update_rule(
        session,
        access=page.access,
        store_id=store_id,
        kind=kind,
        enabled=enabled is not None,
        params={name: value for name, value in given.items() if value not in (None, "")},
    )
    flash(request, _("Alert rule saved."), "success")
    return RedirectResponse("/settings/alerts", status_code=303)


@router.post("/settings/alerts/channels", name="alert_channel_create")
def create_channel(
    request: Request,
    session: DbSession,
    page: PageContext,
    store_id: Annotated[int, Form(ge=1)],
    kind: Annotated[str, Form(max_length=20)],
    target: Annotated[str, Form(max_length=1000)],
    language: Annotated[str, Form(max_length=10)] = "en",
) -> Response:
    alerts_service.create_channel(
        session,
        access=page.access,
        store_id=store_id,
        kind=kind,
        target=target,
        enabled=True,
        language=language,
    )
    flash(request, _("Notification channel added."), "success")
    return RedirectResponse("/settings/alerts", status_code=303)


@router.post("/settings/alerts/channels/{channel_id}", name="alert_channel_update")
def update_channel(
    request: Request,
    session: DbSession,
    page: PageContext,
    channel_id: ObjectId,
    target: Annotated[str | None, Form(max_length=1000)] = None,
    language: Annotated[str | None, Form(max_length=10)] = None,
    enabled: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    alerts_service.update_channel(
        session,
        access=page.access,
        channel_id=channel_id,
        target=target,
        language=language,
        enabled=enabled is not None,
    )
    flash(request, _("Notification channel saved."), "success")
    return RedirectResponse("/settings/alerts", status_code=303)


@router.post("/settings/alerts/channels/{channel_id}/delete", name="alert_channel_delete")
def delete_channel(
    request: Request, session: DbSession, page: PageContext, channel_id: ObjectId
) -> Response:
    alerts_service.delete_channel(session, access=page.access, channel_id=channel_id)
    flash(request, _("Notification channel removed."), "success")
    return RedirectResponse("/settings/alerts", status_code=303)


@router.post("/settings/alerts/channels/{channel_id}/test", name="alert_channel_test")
def test_channel(
    request: Request, session: DbSession, page: PageContext, channel_id: ObjectId
) -> Response:
    result = alerts_service.test_channel(session, access=page.access, channel_id=channel_id)
    if result.error:
        flash(request, _("The test message failed: %(error)s", error=result.error), "error")
    else:
        flash(request, _("Test message sent."), "success")
    return RedirectResponse("/settings/alerts", status_code=303)
