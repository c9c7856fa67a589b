"""The bell, the alerts page, Settings > Alerts, the JSON API and who may change what."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from aftersales.alerts import service as alerts_service
from aftersales.claims import service as claims_service
from aftersales.kit.scope import Scope
from aftersales.models import Alert
from tests.claims.builders import add_refund
from tests.returns.builders import add_return
from tests.web.conftest import Seller, api_token, csrf_of, make_user, sign_in


def _alert(db: Session, seller: Seller) -> Alert:
    add_refund(db, seller.store, on=date(2026, 1, 5), order_id="111-0000001-0000001")
    claims_service.detect(db, store_id=seller.store.id, as_of=date(2026, 3, 20))
    [alert] = alerts_service.evaluate(db, store_id=seller.store.id, as_of=date(2026, 5, 1))
    db.flush()
    return alert


def _bell(html: str) -> str:
    found = re.search(r'class="bell[^"]*" href="/alerts" data-unread="(\d+)"', html)
    assert found, "no bell in the top bar"
    return found.group(1)


def test_bell_counts_unread_and_reading_clears_it(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    assert _bell(signed_in.get("/").text) == "0"
    alert = _alert(db, seller_a)

    page = signed_in.get("/alerts")
    assert _bell(page.text) == "1"
    assert alert.title in page.text

    response = signed_in.post(
        f"/alerts/{alert.id}/read", data={"csrf_token": csrf_of(signed_in, "/alerts")}
    )
    assert response.status_code == 200
    assert _bell(response.text) == "0"
    assert 'data-read="yes"' in response.text


def test_check_now_raises_alerts_and_sends_them(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    # Three defective returns of one SKU this morning: the default reason-cluster rule fires.
    morning = datetime.now(UTC).replace(hour=0, minute=0, second=1, microsecond=0)
    for _ in range(3):
        add_return(db, seller_a.store, when=morning, sku="BROKEN", reason="DEFECTIVE")
    response = signed_in.post("/alerts/check", data={"csrf_token": csrf_of(signed_in, "/alerts")})
    assert response.status_code == 200
    assert "BROKEN" in response.text
    assert _bell(response.text) != "0"
    again = signed_in.post("/alerts/check", data={"csrf_token": csrf_of(signed_in, "/alerts")})
    assert "0 new alerts" in again.text


def test_settings_page_edits_rules_and_channels(signed_in: TestClient, seller_a: Seller) -> None:
    page = signed_in.get("/settings/alerts")
    assert page.status_code == 200
    assert f"/settings/alerts/rules/{seller_a.store.id}/reason_cluster" in page.text
    csrf = csrf_of(signed_in, "/settings/alerts")
    saved = signed_in.post(
        f"/settings/alerts/rules/{seller_a.store.id}/reason_cluster",
        data={
            "csrf_token": csrf,
            "enabled": "on",
            "min_units": "4",
            "days": "5",
            "reason": "defective",
        },
    )
    assert saved.status_code == 200
    assert 'name="min_units" value="4"' in saved.text
    added = signed_in.post(
        "/settings/alerts/channels",
        data={
            "csrf_token": csrf,
            "store_id": str(seller_a.store.id),
            "kind": "slack",
            "target": "https://hooks.slack.test/T000/B000",
        },
    )
    assert "https://hooks.slack.test/T000/B000" in added.text
    bad = signed_in.post(
        "/settings/alerts/channels",
        data={
            "csrf_token": csrf,
            "store_id": str(seller_a.store.id),
            "kind": "slack",
            "target": "file:///etc/passwd",
        },
        headers={"referer": "http://testserver/settings/alerts"},
    )
    # A failed form goes back to the page with the reason.
    assert "http:// or https://" in bad.text
    assert "file:///etc/passwd" not in bad.text


def test_api_lists_reads_and_edits(client: TestClient, db: Session, seller_a: Seller) -> None:
    alert = _alert(db, seller_a)
    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}

    listed = client.get("/api/v1/alerts", params={"unread": "true"}, headers=headers).json()
    assert listed["unread"] == 1
    assert [item["id"] for item in listed["items"]] == [alert.id]
    read = client.post(f"/api/v1/alerts/{alert.id}/read", headers=headers)
    assert read.status_code == 200
    assert read.json()["read_at"]
    assert (
        client.get("/api/v1/alerts", params={"unread": "true"}, headers=headers).json()["items"]
        == []
    )

    rules = client.get("/api/v1/alert-rules", headers=headers).json()
    assert {rule["kind"] for rule in rules} == {
        "sku_return_rate",
        "unsellable_per_day",
        "reason_cluster",
        "claims_expiring",
        "replenish_order_now",
        "stockout_soon",
    }
    put = client.put(
        f"/api/v1/alert-rules/{seller_a.store.id}/sku_return_rate",
        json={"enabled": True, "params": {"multiple": 3, "min_units": 8}},
        headers=headers,
    )
    assert put.status_code == 200
    assert put.json()["params"]["multiple"] == 3.0
    assert put.json()["saved"] is True
    assert (
        client.put(
            f"/api/v1/alert-rules/{seller_a.store.id}/sku_return_rate",
            json={"params": {"bogus": 1}},
            headers=headers,
        ).status_code
        == 422
    )

    created = client.post(
        "/api/v1/notification-channels",
        json={
            "store_id": seller_a.store.id,
            "kind": "dingtalk",
            "target": "https://oapi.dingtalk.test/robot/send?access_token=x",
        },
        headers=headers,
    )
    assert created.status_code == 201
    channel_id = created.json()["id"]
    assert [
        c["id"] for c in client.get("/api/v1/notification-channels", headers=headers).json()
    ] == [channel_id]
    assert (
        client.delete(f"/api/v1/notification-channels/{channel_id}", headers=headers).status_code
        == 204
    )
    assert client.get("/api/v1/notification-channels", headers=headers).json() == []


def test_viewer_sees_alerts_but_cannot_edit(
    client: TestClient, db: Session, seller_a: Seller
) -> None:
    viewer = make_user(db, "viewer@alpha.test", seller_a.store, role="viewer")
    alert = _alert(db, seller_a)
    headers = {"Authorization": f"Bearer {api_token(db, viewer)}"}

    assert client.get("/api/v1/alerts", headers=headers).status_code == 200
    assert (
        client.put(
            f"/api/v1/alert-rules/{seller_a.store.id}/reason_cluster",
            json={"enabled": False},
            headers=headers,
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/notification-channels",
            json={"store_id": seller_a.store.id, "kind": "slack", "target": "https://x.test/h"},
            headers=headers,
        ).status_code
        == 403
    )
    assert client.post("/api/v1/alerts/check", headers=headers).json() == {"created": 0}
    # Reading is not editing: a viewer may mark an alert read.
    assert client.post(f"/api/v1/alerts/{alert.id}/read", headers=headers).status_code == 200

    sign_in(client, viewer.email)
    page = client.get("/alerts")
    assert "Check now" not in page.text
    settings = client.get("/settings/alerts")
    assert "/settings/alerts/rules/" not in settings.text
    refused = client.post(
        f"/settings/alerts/rules/{seller_a.store.id}/reason_cluster",
        data={"csrf_token": csrf_of(client, "/alerts"), "enabled": "on"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 403


def test_another_stores_alerts_stay_hidden(
    signed_in: TestClient, db: Session, seller_b: Seller
) -> None:
    alert = _alert(db, seller_b)
    assert _bell(signed_in.get("/").text) == "0"
    assert alert.title not in signed_in.get("/alerts").text
    response = signed_in.post(
        f"/alerts/{alert.id}/read",
        data={"csrf_token": csrf_of(signed_in, "/alerts")},
        follow_redirects=False,
    )
    assert response.status_code == 404


def test_channels_are_edited_on_the_page_and_in_the_api(
    signed_in: TestClient, client: TestClient, db: Session, seller_a: Seller
) -> None:
    csrf = csrf_of(signed_in, "/settings/alerts")
    signed_in.post(
        "/settings/alerts/channels",
        data={
            "csrf_token": csrf,
            "store_id": str(seller_a.store.id),
            "kind": "wecom",
            "target": "https://qyapi.weixin.test/cgi-bin/webhook/send?key=1",
            "language": "zh_CN",
        },
    )
    [channel] = alerts_service.list_channels(db, scope=Scope(store_ids=(seller_a.store.id,)))
    assert channel.language == "zh_CN"
    edited = signed_in.post(
        f"/settings/alerts/channels/{channel.id}",
        data={
            "csrf_token": csrf,
            "target": "https://qyapi.weixin.test/cgi-bin/webhook/send?key=2",
            "language": "en",
        },
    )
    assert edited.status_code == 200
    assert "key=2" in edited.text
    assert "key=1" not in edited.text
    [channel] = alerts_service.list_channels(db, scope=Scope(store_ids=(seller_a.store.id,)))
    assert (channel.language, channel.enabled) == ("en", False)  # the box was left unticked

    headers = {"Authorization": f"Bearer {api_token(db, seller_a.owner)}"}
    patched = client.patch(
        f"/api/v1/notification-channels/{channel.id}",
        json={"enabled": True, "language": "zh_CN"},
        headers=headers,
    )
    assert patched.status_code == 200
    assert (patched.json()["enabled"], patched.json()["language"]) == (True, "zh_CN")
    assert patched.json()["target"].endswith("key=2")
    refused = client.patch(
        f"/api/v1/notification-channels/{channel.id}", json={"language": "xx"}, headers=headers
    )
    assert refused.status_code == 422
    assert client.post(f"/api/v1/alerts/{10**9}/retry", headers=headers).status_code == 404


def test_alerts_page_speaks_the_readers_language(
    signed_in: TestClient, db: Session, seller_a: Seller
) -> None:
    alert = _alert(db, seller_a)
    assert alert.title in signed_in.get("/alerts").text
    signed_in.post(
        "/language",
        data={"locale": "zh_CN", "next": "/alerts", "csrf_token": csrf_of(signed_in, "/alerts")},
    )
    page = signed_in.get("/alerts").text
    assert alert.title not in page
    assert "天内到期的索赔" in page
    assert "111-0000001-0000001" in page
