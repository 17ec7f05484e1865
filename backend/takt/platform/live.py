"""Live updates over a websocket: boards and handhelds follow topics and re-fetch what changed.

``/api/v1/live`` takes the same sign-in as the HTTP API (the ``takt_token`` cookie, a bearer
header, or ``?token=`` for scripts). The server greets with ``{"type": "hello", "user": ...}``;
the client sends ``{"subscribe": ["line:L1", "wo:WO-2026-00001"]}`` or ``{"unsubscribe": [...]}``
and gets ``{"type": "subscribed", "topics": [...every topic it now follows...]}``. Every event
published through :mod:`takt.platform.events` on a followed topic arrives as
``{"topic": ..., "event": {"type", "id", "version", "at"}}``. Mistakes get
``{"type": "error", "message": ...}`` and change nothing.

Fan-out is Litestar's channels plugin (memory in one process, Redis across workers); each
followed topic is one channels subscriber whose events this connection forwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.channels.subscriber import Subscriber
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect
from litestar.params import FromQuery

from takt import __version__
from takt.platform.auth import READ
from takt.platform.signin import AuthUser

__all__ = ["BOARD_PATH", "LIVE_PATH", "MAX_TOPICS", "live", "topic_error"]

LIVE_PATH = "/api/v1/live"
BOARD_PATH = "/ws"
"""The same endpoint where topics come in the query string: ``/ws?topics=line:L1,wo:...``."""
MAX_TOPICS = 200
"""Topics one connection may follow at once."""

SESSION_EXPIRED = 4401
"""Close code when the sign-in behind the connection expires (4000 + HTTP 401, as Litestar
closes a refused connection)."""

_RECORD_TOPIC = re.compile(
    r"^(line|workstation|wo|op|lot|location|item|equipment):[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_TOPIC_FORMS = ("line:<code>, workstation:<code>, wo:<code>, op:<code>, lot:<code>, "
                "location:<code>, item:<code>, equipment:<code>, andon or user:<your id>")


def topic_error(topic: Any, user: AuthUser) -> str | None:
    """Why ``user`` may not follow ``topic``, or ``None`` when they may."""
    if not isinstance(topic, str):
        return f"A topic is text such as line:L1, not {json.dumps(topic)}."
    if topic == "andon" or _RECORD_TOPIC.match(topic):
        return None
    if topic.startswith("user:"):
        if topic == f"user:{user.id}":
            return None
        return f"You may follow only your own user topic, user:{user.id}."
    return f"Unknown topic {topic!r}; topics are {_TOPIC_FORMS}."


class _Connection:
    """One live connection: its followed topics and the tasks forwarding their events."""

    def __init__(self, socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin,
                 user: AuthUser) -> None:
        self.socket = socket
        self.channels = channels
        self.user = user
        self.followed: dict[str, tuple[Subscriber, asyncio.Task[None]]] = {}
        self._send_lock = asyncio.Lock()

    async def send(self, text: str) -> None:
        # Forwarders and the reply loop share one socket; frames must not interleave.
        async with self._send_lock:
            await self.socket.send_text(text)

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.send(json.dumps(message))

    async def _forward(self, topic: str, subscriber: Subscriber) -> None:
        prefix = '{"topic":' + json.dumps(topic) + ',"event":'
        try:
            async for event in subscriber.iter_events():
                await self.send(prefix + event.decode() + "}")
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the socket closed; the receive loop ends the connection

    async def follow(self, topics: list[str]) -> None:
        for topic in topics:
            if topic in self.followed:
                continue
            subscriber = await self.channels.subscribe([topic])
            task = asyncio.create_task(self._forward(topic, subscriber))
            self.followed[topic] = (subscriber, task)

    async def unfollow(self, topics: list[str]) -> None:
        for topic in topics:
            entry = self.followed.pop(topic, None)
            if entry is None:
                continue
            subscriber, task = entry
            await self.channels.unsubscribe(subscriber, [topic])
            try:
                await asyncio.wait_for(task, timeout=1)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def handle(self, text: str) -> None:
        """Answer one client message."""
        try:
            message = json.loads(text)
        except ValueError:
            await self.error('Send JSON such as {"subscribe": ["line:L1"]}.')
            return
        if not isinstance(message, dict) or not message.keys() <= {"subscribe", "unsubscribe",
                                                                    "ping"} or not message:
            await self.error('Send {"subscribe": [topics]} or {"unsubscribe": [topics]}.')
            return
        if "ping" in message:
            await self.send_json({"type": "pong", "ping": message["ping"]})
            if message.keys() == {"ping"}:
                return
        wanted = message.get("subscribe", [])
        dropped = message.get("unsubscribe", [])
        if not isinstance(wanted, list) or not isinstance(dropped, list):
            await self.error("subscribe and unsubscribe take a list of topics.")
            return
        problems = [problem for topic in wanted if (problem := topic_error(topic, self.user))]
        if problems:
            await self.error(problems[0], topics=[t for t in wanted
                                                  if topic_error(t, self.user)])
            return
        new = [topic for topic in dict.fromkeys(wanted) if topic not in self.followed]
        if len(self.followed) + len(new) > MAX_TOPICS:
            await self.error(f"One connection may follow at most {MAX_TOPICS} topics.")
            return
        await self.unfollow([t for t in dropped if isinstance(t, str)])
        await self.follow(new)
        await self.send_json({"type": "subscribed", "topics": sorted(self.followed)})

    async def error(self, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "message": message, **extra})

    async def close(self) -> None:
        await self.unfollow(list(self.followed))


def _seconds_left(socket: WebSocket[Any, Any, Any]) -> float | None:
    expires: datetime | None = getattr(socket.auth, "exp", None)
    if expires is None:
        return None
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return max((expires - datetime.now(UTC)).total_seconds(), 0.0)


@websocket([LIVE_PATH, BOARD_PATH], guards=[READ],
           summary="Live updates of followed topics")
async def live(socket: WebSocket[Any, Any, Any],
               channels: NamedDependency[ChannelsPlugin],
               topics: FromQuery[str | None] = None) -> None:
    """Forward events on the topics the client follows until it leaves or its sign-in ends.

    ``topics`` (comma-separated, e.g. ``/ws?topics=line:L1,wo:WO-2026-00001``) follows them
    from the start, for boards and scripts that never send a message."""
    user = socket.user
    assert isinstance(user, AuthUser)
    await socket.accept()
    connection = _Connection(socket, channels, user)
    try:
        await connection.send_json({
            "type": "hello", "version": __version__,
            "user": {"id": user.id, "username": user.username,
                     "display_name": user.display_name, "roles": sorted(user.roles)},
        })
        if topics:
            await connection.handle(json.dumps(
                {"subscribe": [t.strip() for t in topics.split(",") if t.strip()]}))
        while True:
            try:
                async with asyncio.timeout(_seconds_left(socket)):
                    text = await socket.receive_text()
            except TimeoutError:
                await connection.error("Your sign-in has expired; sign in again.")
                await socket.close(code=SESSION_EXPIRED, reason="sign-in expired")
                return
            await connection.handle(text)
    except WebSocketDisconnect:
        return
    finally:
        await connection.close()
