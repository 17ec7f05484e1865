"""Small events fanned out to boards after a transaction commits.

An event is ``{type, id, version, at}`` on topics such as ``line:{id}`` or ``andon``. Boards
re-fetch what changed. Publishing never breaks a request: the data is already committed, and a
lost event only means a board refreshes on its next poll or reconnect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["Event", "Publisher", "publish", "set_publisher"]

log = logging.getLogger("takt.events")

Publisher = Callable[[dict[str, Any], list[str]], None]


@dataclass(frozen=True)
class Event:
    """What changed, for subscribers to re-fetch."""

    type: str
    id: str
    topics: tuple[str, ...]
    version: int | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def message(self) -> dict[str, Any]:
        """The JSON message sent on every topic."""
        return {"type": self.type, "id": self.id, "version": self.version,
                "at": self.at.isoformat()}


_publisher: Publisher | None = None


def set_publisher(publisher: Publisher | None) -> None:
    """Install the function that fans out (the channels plugin's ``publish`` at start-up)."""
    global _publisher
    _publisher = publisher


def publish(events: Iterable[Event]) -> int:
    """Publish committed events; return how many went out. Errors are logged, never raised."""
    sent = 0
    if _publisher is None:
        return sent
    for event in events:
        try:
            _publisher(event.message(), list(event.topics))
            sent += 1
        except Exception:  # a publish error must never undo or fail a committed command
            log.exception("could not publish event %s %s", event.type, event.id)
    return sent
