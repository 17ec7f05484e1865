"""Web push: client config, device subscriptions per user, and sending through a real HTTP
server standing in for the browser's push service."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02

from takt.platform import push
from takt.platform.tables import AuditEntry, PushSubscription, User
from takt.settings import get_settings


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's side of a subscription: the keys that decrypt what the push service
    delivers."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def keys(self) -> dict[str, str]:
        point = self.key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"p256dh": _b64(point), "auth": _b64(self.auth)}

    def subscription(self, device: str = "handheld 3") -> dict:
        # The shape of PushSubscription.toJSON() plus a label.
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": self.keys,
                "device": device}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                           version="aes128gcm"))


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes


class FakePushService:
    """Answers 201 like FCM, except 410 under /gone/ and 404 under /missing/."""

    def __init__(self) -> None:
        self.received: list[Delivery] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append(Delivery(self.path, dict(self.headers.items()), body))
                status = 410 if self.path.startswith("/gone/") else (
                    404 if self.path.startswith("/missing/") else 201)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                """Quiet: the test reads what the push service received, not its log."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def fake_push_service() -> Iterator[FakePushService]:
    service = FakePushService()
    try:
        yield service
    finally:
        service.close()


async def _store(user_id: int, device: Device) -> None:
    # Straight into the table: the API accepts only https endpoints, and the fake push
    # service speaks plain HTTP on 127.0.0.1.
    await PushSubscription.insert(PushSubscription(
        user=user_id, endpoint=device.endpoint, p256dh=device.keys["p256dh"],
        auth=device.keys["auth"], device="test"))


FCM = "https://fcm.googleapis.com/fcm/send/"


async def test_client_config_is_open_and_names_version_idle_sign_out_and_vapid_key(client):
    response = await client.get("/api/v1/client-config")
    assert response.status_code == 200
    body = response.json()
    assert body.keys() == {"version", "idle_signout_minutes", "scan_repeat_window_ms",
                           "report_undo_seconds", "vapid_public_key", "public_url"}
    assert body["idle_signout_minutes"] == 15
    assert body["scan_repeat_window_ms"] == 1000
    assert body["public_url"] == "http://takt.test:8000"
    key = _unb64(body["vapid_public_key"])
    assert len(key) == 65 and key[0] == 4  # what pushManager.subscribe takes
    assert (get_settings().data_dir / "vapid_private_key.pem").exists()


async def test_a_device_subscribes_refreshes_and_moves_to_the_next_operator(client, as_role):
    device = Device(FCM + "handheld-3")
    first = await client.post("/api/v1/push/subscriptions", json=device.subscription(),
                              headers=as_role("operator", **{"User-Agent": "Zebra TC52"}))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["endpoint"] == device.endpoint and body["device"] == "handheld 3"
    assert body["user_agent"] == "Zebra TC52" and "keys" not in body
    again = await client.post("/api/v1/push/subscriptions", json=device.subscription(),
                              headers=as_role("operator"))
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    mine = (await client.get("/api/v1/push/subscriptions", headers=as_role("operator"))).json()
    assert mine["total"] == 1 and mine["data"][0]["id"] == body["id"]

    moved = await client.post("/api/v1/push/subscriptions", json=device.subscription(),
                              headers=as_role("supervisor"))
    assert moved.status_code == 201 and moved.json()["id"] == body["id"]
    operator = (await client.get("/api/v1/push/subscriptions", headers=as_role("operator")))
    supervisor = (await client.get("/api/v1/push/subscriptions",
                                   headers=as_role("supervisor")))
    assert operator.json()["total"] == 0 and supervisor.json()["total"] == 1
    actions = await AuditEntry.select(AuditEntry.action).where(
        AuditEntry.entity == "push_subscription").order_by(AuditEntry.id)
    # The refresh changed nothing worth an audit row; the move did.
    assert [row["action"] for row in actions] == ["push.subscribe", "push.move"]


async def test_only_the_owner_can_unsubscribe_a_device(client, as_role):
    device = Device(FCM + "phone-1")
    await client.post("/api/v1/push/subscriptions", json=device.subscription(),
                      headers=as_role("supervisor"))
    params = {"endpoint": device.endpoint}
    other = await client.delete("/api/v1/push/subscriptions", params=params,
                                headers=as_role("operator"))
    assert other.status_code == 404 and other.json()["code"] == "push.not_subscribed"
    own = await client.delete("/api/v1/push/subscriptions", params=params,
                              headers=as_role("supervisor", **{"Idempotency-Key": "k-unsub-1"}))
    assert own.status_code == 204 and own.content == b""
    replay = await client.delete("/api/v1/push/subscriptions", params=params,
                                 headers=as_role("supervisor", **{"Idempotency-Key": "k-unsub-1"}))
    assert replay.status_code == 204 and replay.headers["Idempotent-Replayed"] == "true"
    gone = await client.delete("/api/v1/push/subscriptions", params=params,
                               headers=as_role("supervisor"))
    assert gone.status_code == 404
    assert not await PushSubscription.exists().where(
        PushSubscription.endpoint == device.endpoint)


@pytest.mark.parametrize(("change", "status", "code", "words"), [
    ({"endpoint": "http://fcm.googleapis.com/x"}, 422, "push.bad_endpoint", "https://"),
    ({"endpoint": "not a url"}, 422, "push.bad_endpoint", "https://"),
    ({"keys": {"p256dh": "AAAA", "auth": "c2VjcmV0c2VjcmV0c2VjcmV0"}}, 422, "push.bad_key",
     "P-256"),
    ({"keys": {"p256dh": None, "auth": "x"}}, 400, "request.invalid", "keys.p256dh"),
    ({"keys": None}, 400, "request.invalid", "keys"),
    ({"colour": "red"}, 400, "request.invalid", "colour"),
])
async def test_bad_subscriptions_are_4xx_problems_with_a_sentence(client, as_role, change,
                                                                   status, code, words):
    body = {**Device(FCM + "x").subscription(), **change}
    response = await client.post("/api/v1/push/subscriptions", json=body,
                                 headers=as_role("operator"))
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["code"] == code and words in problem["detail"]
    assert await PushSubscription.count() == 0


async def test_a_wrong_auth_secret_is_refused(client, as_role):
    body = Device(FCM + "x").subscription()
    body["keys"]["auth"] = _b64(b"short")
    response = await client.post("/api/v1/push/subscriptions", json=body,
                                 headers=as_role("operator"))
    assert response.status_code == 422 and "keys.auth" in response.json()["detail"]


async def test_send_push_signs_and_encrypts_for_each_device_and_drops_gone_ones(service_db):
    operator = service_db["operator"]
    with fake_push_service() as service:
        phone, old_tablet, lost = (Device(f"{service.url}/push/phone"),
                                   Device(f"{service.url}/gone/old-tablet"),
                                   Device(f"{service.url}/missing/lost"))
        for device in (phone, old_tablet, lost):
            await _store(operator, device)
        payload = {"title": "Andon: L1 material", "body": "WS-101 waits for material",
                   "url": "/andon/A-1", "tag": "andon-A-1",
                   "actions": [{"action": "ack", "title": "Acknowledge",
                                "command": {"method": "POST", "path": "/api/v1/andon/A-1/ack",
                                            "body": {}}}]}
        report = await push.send_push([operator], payload, ttl=120, urgency="high")
        assert (report.sent, report.removed, report.failed) == (1, 2, 0)
        by_path = {delivery.path: delivery for delivery in service.received}
    assert set(by_path) == {"/push/phone", "/gone/old-tablet", "/missing/lost"}
    delivery = by_path["/push/phone"]
    headers = {k.lower(): v for k, v in delivery.headers.items()}
    assert headers["ttl"] == "120" and headers["urgency"] == "high"
    assert headers["content-encoding"] == "aes128gcm"
    authorization = headers["authorization"]
    assert authorization.startswith("vapid t=") and Vapid02.verify(authorization)
    vapid_key = push.vapid_public_key(get_settings().vapid_private_key)
    assert authorization.endswith(f",k={vapid_key}")
    claims = json.loads(_unb64(authorization.split("t=", 1)[1].split(".")[1]))
    assert claims["aud"] == service.url and claims["sub"] == "mailto:admin@takt.local"
    assert phone.decrypt(delivery.body) == payload
    left = await PushSubscription.select(PushSubscription.endpoint)
    assert [row["endpoint"] for row in left] == [phone.endpoint]
    expired = await AuditEntry.count().where(AuditEntry.action == "push.expire")
    assert expired == 2


async def test_send_push_skips_inactive_users_and_never_raises(service_db):
    operator, supervisor = service_db["operator"], service_db["supervisor"]
    with fake_push_service() as service:
        await _store(operator, Device(f"{service.url}/push/a"))
        await _store(supervisor, Device(f"{service.url}/push/b"))
        await User.update({User.active: False}).where(User.id == supervisor)
        report = await push.send_push([operator, supervisor], {"title": "Hello"})
        assert (report.sent, report.removed) == (1, 0)
        assert [d.path for d in service.received] == ["/push/a"]
    # The push service is gone now: a failure is counted and logged, not raised.
    report = await push.send_push([operator], {"title": "Hello again"})
    assert (report.sent, report.failed) == (0, 1)
    assert await push.send_push([operator], {"no": "title"}) == push.PushReport()
    assert await push.send_push([], {"title": "Nobody"}) == push.PushReport()
    assert await push.send_push([operator], {"title": "x" * 100, "body": "y" * 5000}) == (
        push.PushReport())


async def test_test_notification_goes_to_the_callers_devices_only(client, as_role, tokens,
                                                                   template_db):
    with fake_push_service() as service:
        mine = Device(f"{service.url}/push/mine")
        await _store(template_db["inspector"], mine)
        await _store(template_db["maintainer"], Device(f"{service.url}/push/theirs"))
        response = await client.post("/api/v1/push/test", headers=as_role("inspector"))
        assert response.status_code == 200, response.text
        assert response.json() == {"sent": 1, "removed": 0, "failed": 0}
        assert [d.path for d in service.received] == ["/push/mine"]
        assert mine.decrypt(service.received[0].body)["title"] == "Takt"
    nobody = await client.post("/api/v1/push/test", headers=as_role("planner"))
    assert nobody.json() == {"sent": 0, "removed": 0, "failed": 0}
