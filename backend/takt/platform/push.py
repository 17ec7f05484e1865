"""Web push: the devices that subscribed to a user's notifications, and sending to them.

A browser subscribes with Takt's VAPID public key and hands over its push service endpoint
(FCM for Chrome on Android, Mozilla's or Apple's service elsewhere) and the keys that encrypt
each message for that device. :func:`send_push` signs with the VAPID private key, encrypts
(``aes128gcm``) and posts to every endpoint of the users named; the push service wakes the
device's service worker, which shows the notification.

Sending never fails a caller: a push service that is down or slow is logged, and a subscription
the push service no longer knows (404 or 410: the app was uninstalled, the user revoked
permission) is deleted.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta

from takt.platform.commands import Actor, UnitOfWork, execute
from takt.platform.errors import Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.tables import PushSubscription

if TYPE_CHECKING:
    from py_vapid import Vapid02

    from takt.settings import Settings

__all__ = [
    "DEFAULT_TTL",
    "PushAction",
    "PushCommand",
    "PushMessage",
    "PushReport",
    "SubscriptionIn",
    "SubscriptionKeys",
    "SubscriptionOut",
    "configure",
    "list_subscriptions",
    "send_push",
    "send_test",
    "subscribe",
    "unsubscribe",
    "vapid_public_key",
]

log = logging.getLogger("takt.push")

DEFAULT_TTL = 3600
"""Seconds a push service keeps a message for a device that is offline (an hour)."""

MAX_PAYLOAD_BYTES = 3000
"""Push services accept about 4 kB after encryption; a message larger than this is refused."""

SEND_TIMEOUT_SECONDS = 10.0
PARALLEL_SENDS = 8

Urgency = Literal["very-low", "low", "normal", "high"]


class SubscriptionKeys(msgspec.Struct, forbid_unknown_fields=True):
    """The device's keys from ``PushSubscription.toJSON()`` (base64url)."""

    p256dh: Annotated[str, Meta(min_length=1, max_length=200)]
    auth: Annotated[str, Meta(min_length=1, max_length=100)]


class SubscriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A browser's push subscription (``PushSubscription.toJSON()``) and a label for the
    device, such as ``Line 1 handheld 3``."""

    endpoint: Annotated[str, Meta(min_length=1, max_length=1000)]
    keys: SubscriptionKeys
    device: Annotated[str, Meta(max_length=120)] = ""
    expiration_time: int | None = msgspec.field(default=None, name="expirationTime")


class SubscriptionOut(msgspec.Struct):
    """A subscribed device as its owner sees it (the keys stay on the server)."""

    id: int
    endpoint: str
    device: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime


class PushCommand(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The API call a notification action makes (through the outbox, with an idempotency
    key), such as acknowledging an andon call."""

    method: Literal["POST", "PATCH", "PUT", "DELETE"]
    path: Annotated[str, Meta(pattern=r"^/api/")]
    body: dict[str, Any] | None = None
    record_key: str | None = None
    """The outbox's FIFO group (e.g. ``andon:42``); default: the path."""


class PushAction(msgspec.Struct, forbid_unknown_fields=True):
    """A button on the notification."""

    action: Annotated[str, Meta(min_length=1, max_length=40)]
    title: Annotated[str, Meta(min_length=1, max_length=60)]
    command: PushCommand | None = None


class PushMessage(msgspec.Struct, forbid_unknown_fields=True):
    """What the service worker shows: title, body, the app address to open on a tap, a tag
    (a newer message with the same tag replaces the older one) and action buttons."""

    title: Annotated[str, Meta(min_length=1, max_length=120)]
    body: Annotated[str, Meta(max_length=1000)] = ""
    url: str = "/"
    tag: Annotated[str, Meta(max_length=80)] = ""
    actions: list[PushAction] = msgspec.field(default_factory=list)


class PushReport(msgspec.Struct):
    """How a send went: delivered to the push service, subscriptions removed because the push
    service no longer knows them, and failures (logged)."""

    sent: int = 0
    removed: int = 0
    failed: int = 0


TEST_MESSAGE = PushMessage(title="Takt", body="Notifications reach this device.",
                           url="/settings", tag="takt-test")


# --- VAPID keys ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    private_key: str
    subject: str


_config: _Config | None = None


def configure(settings: Settings) -> None:
    """Use these settings' VAPID key and subject (called at start-up)."""
    global _config
    _config = _Config(private_key=settings.require_vapid_private_key(),
                      subject=settings.vapid_subject)


def _current_config() -> _Config:
    if _config is not None:
        return _config
    from takt.settings import get_settings

    settings = get_settings()
    return _Config(private_key=settings.require_vapid_private_key(),
                   subject=settings.vapid_subject)


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid02:
    from py_vapid import Vapid

    if "-----BEGIN" in private_key:
        return Vapid.from_pem(private_key.encode())
    return Vapid.from_string(private_key)


@lru_cache(maxsize=4)
def vapid_public_key(private_key: str) -> str:
    """The public half of a VAPID key as browsers take it for ``applicationServerKey``:
    the uncompressed P-256 point, base64url without padding."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    point = _vapid(private_key).public_key.public_bytes(Encoding.X962,
                                                        PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


# --- subscriptions ------------------------------------------------------------------------


def _b64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""


def _check(data: SubscriptionIn) -> None:
    url = urlsplit(data.endpoint)
    if url.scheme != "https" or not url.hostname:
        raise Invalid(Message("The push endpoint must be the https:// address the browser's push "
                              "service gave."), code="push.bad_endpoint", field="endpoint")
    key = _b64url(data.keys.p256dh)
    valid_key = len(key) == 65 and key[0] == 4
    if valid_key:
        from cryptography.hazmat.primitives.asymmetric import ec

        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
        except ValueError:
            valid_key = False
    if not valid_key:
        raise Invalid(Message("keys.p256dh must be the device's P-256 public key (65 bytes, "
                              "base64url) as the browser gives it."),
                      code="push.bad_key", field="keys.p256dh")
    if len(_b64url(data.keys.auth)) != 16:
        raise Invalid(Message("keys.auth must be the 16-byte secret (base64url) the browser "
                              "gives."),
                      code="push.bad_key", field="keys.auth")


_OUT_COLUMNS = (PushSubscription.id, PushSubscription.endpoint, PushSubscription.device,
                PushSubscription.user_agent, PushSubscription.created_at,
                PushSubscription.last_seen_at)


def _out(row: dict[str, Any]) -> SubscriptionOut:
    return SubscriptionOut(id=row["id"], endpoint=row["endpoint"], device=row["device"],
                           user_agent=row["user_agent"], created_at=row["created_at"],
                           last_seen_at=row["last_seen_at"])


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    # The endpoint is a capability URL: the audit log keeps only the push service's host.
    return {"user_id": row["user"], "device": row["device"],
            "push_service": urlsplit(row["endpoint"]).hostname or ""}


async def subscribe(uow: UnitOfWork, user_id: int, data: SubscriptionIn,
                    user_agent: str = "") -> SubscriptionOut:
    """Register a device for ``user_id``'s notifications, or refresh it.

    The endpoint is the device's identity: registering it again updates its keys and label,
    and registering it as another user (the next operator on a shared handheld) moves it to
    that user. A plain refresh only notes when the device was last seen.
    """
    _check(data)
    now = datetime.now(UTC)
    values: dict[str, Any] = {"user": user_id, "endpoint": data.endpoint,
                              "p256dh": data.keys.p256dh, "auth": data.keys.auth,
                              "device": data.device.strip(), "user_agent": user_agent[:300]}
    stored = await PushSubscription.select().where(
        PushSubscription.endpoint == data.endpoint).first()
    if stored is None:
        rows = await PushSubscription.insert(
            PushSubscription(**values, created_at=now, last_seen_at=now)
        ).returning(PushSubscription.id)
        subscription_id = rows[0]["id"]
        await uow.audit("push.subscribe", "push_subscription", str(subscription_id),
                        after=_audited(values))
    else:
        subscription_id = stored["id"]
        changed = any(stored[name] != value for name, value in values.items()
                      if name != "user_agent")
        await PushSubscription.update(
            {getattr(PushSubscription, name): value for name, value in values.items()}
            | {PushSubscription.last_seen_at: now}
        ).where(PushSubscription.id == subscription_id)
        if changed:
            action = "push.move" if stored["user"] != user_id else "push.subscribe"
            await uow.audit(action, "push_subscription", str(subscription_id),
                            before=_audited(stored), after=_audited(values))
    row = await PushSubscription.select(*_OUT_COLUMNS).where(
        PushSubscription.id == subscription_id).first()
    assert row is not None
    return _out(row)


async def unsubscribe(uow: UnitOfWork, user_id: int, endpoint: str) -> None:
    """Forget one of ``user_id``'s devices.

    Raises:
        NotFound: the endpoint is not subscribed for this user.
    """
    stored = await PushSubscription.select().where(
        (PushSubscription.endpoint == endpoint) & (PushSubscription.user == user_id)).first()
    if stored is None:
        raise NotFound(Message("This device does not receive your notifications."),
                       code="push.not_subscribed")
    await PushSubscription.delete().where(PushSubscription.id == stored["id"])
    await uow.audit("push.unsubscribe", "push_subscription", str(stored["id"]),
                    before=_audited(stored))


async def list_subscriptions(user_id: int) -> list[SubscriptionOut]:
    """The devices that receive ``user_id``'s notifications, oldest first."""
    rows = await PushSubscription.select(*_OUT_COLUMNS).where(
        PushSubscription.user == user_id).order_by(PushSubscription.id)
    return [_out(row) for row in rows]


# --- sending ------------------------------------------------------------------------------


def _deliver(row: dict[str, Any], data: bytes, config: _Config, ttl: int,
             urgency: str) -> Literal["sent", "gone", "failed"]:
    """Post one encrypted message to one push service (blocking: runs in a thread)."""
    from pywebpush import WebPushException, webpush

    subscription = {"endpoint": row["endpoint"],
                    "keys": {"p256dh": row["p256dh"], "auth": row["auth"]}}
    host = urlsplit(row["endpoint"]).hostname
    try:
        webpush(subscription, data=data, vapid_private_key=_vapid(config.private_key),
                vapid_claims={"sub": config.subject}, ttl=ttl, timeout=SEND_TIMEOUT_SECONDS,
                headers={"Urgency": urgency})
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            return "gone"
        log.warning("push to %s (subscription %s) failed: %s", host, row["id"], status or exc)
        return "failed"
    except Exception as exc:  # network errors, a device key the encryption refuses
        log.warning("push to %s (subscription %s) failed: %r", host, row["id"], exc)
        return "failed"
    return "sent"


async def _remove_gone(rows: list[dict[str, Any]]) -> None:
    async def remove(uow: UnitOfWork) -> None:
        await PushSubscription.delete().where(
            PushSubscription.id.is_in([row["id"] for row in rows]))
        for row in rows:
            await uow.audit("push.expire", "push_subscription", str(row["id"]),
                            before=_audited(row))

    await execute(Actor.system(), remove)


async def send_push(user_ids: Iterable[int], payload: dict[str, Any] | PushMessage,
                    ttl: int = DEFAULT_TTL, *, urgency: Urgency = "normal") -> PushReport:
    """Send a notification to every device of the active users named. Call it after the
    command's transaction has committed.

    Args:
        user_ids: The users to notify.
        payload: ``{"title", "body", "url", "tag", "actions": [{"action", "title",
            "command": {"method", "path", "body"}}]}`` (see :class:`PushMessage`).
        ttl: Seconds the push service keeps the message for an offline device.
        urgency: ``high`` wakes a phone in battery saving at once (andon alarms).

    Returns:
        How many went out, how many dead subscriptions were removed, how many failed. Never
        raises: every problem is logged.
    """
    try:
        message = payload if isinstance(payload, PushMessage) else msgspec.convert(
            payload, PushMessage)
        data = msgspec.json.encode(message)
        if len(data) > MAX_PAYLOAD_BYTES:
            log.error("push message %r is %d bytes; the limit is %d", message.tag, len(data),
                      MAX_PAYLOAD_BYTES)
            return PushReport()
        ids = sorted(set(user_ids))
        if not ids:
            return PushReport()
        rows = await PushSubscription.select().where(
            PushSubscription.user.is_in(ids), PushSubscription.user._.active.eq(True))
        if not rows:
            return PushReport()
        config = _current_config()
        limit = asyncio.Semaphore(PARALLEL_SENDS)

        async def one(row: dict[str, Any]) -> str:
            async with limit:
                return await asyncio.to_thread(_deliver, row, data, config, ttl, urgency)

        outcomes = await asyncio.gather(*(one(row) for row in rows))
        gone = [row for row, outcome in zip(rows, outcomes, strict=True) if outcome == "gone"]
        if gone:
            await _remove_gone(gone)
        return PushReport(sent=outcomes.count("sent"), removed=len(gone),
                          failed=outcomes.count("failed"))
    except Exception:  # a notification must never break the command that caused it
        log.exception("sending push notifications failed")
        return PushReport()


async def send_test(user_id: int) -> PushReport:
    """Send a test notification to the user's own devices."""
    return await send_push([user_id], TEST_MESSAGE, ttl=60)
