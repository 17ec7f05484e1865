"""Running a command: one transaction holding the idempotency claim, the effect, the audit
rows and the stored response; events go out only after it commits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from takt.platform import db, events, idempotency
from takt.platform.audit import record_audit, record_audits
from takt.platform.errors import Conflict

__all__ = ["Actor", "CommandResult", "UnitOfWork", "execute", "run_command"]

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who runs a command (a signed-in user, or ``system`` for the seed and jobs)."""

    user_id: int | None
    username: str
    roles: frozenset[str] = frozenset()

    @classmethod
    def system(cls) -> Actor:
        """The actor of work Takt does by itself (seeding, scheduled jobs)."""
        return cls(user_id=None, username="system", roles=frozenset({"admin"}))


@dataclass
class UnitOfWork:
    """What a service may do besides its own queries: audit, emit events."""

    actor: Actor
    idempotency_key: str | None = None
    events: list[events.Event] = field(default_factory=list)

    def emit(self, type_: str, id_: str, *topics: str, version: int | None = None) -> None:
        """Queue an event, published after the transaction commits."""
        self.events.append(events.Event(type=type_, id=id_, topics=topics, version=version))

    async def audit(
        self,
        action: str,
        entity: str,
        entity_code: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Write the audit row of a state change, in this transaction."""
        await record_audit(self.actor, action, entity, entity_code, before=before, after=after,
                           idempotency_key=self.idempotency_key)

    async def audit_many(
        self,
        entries: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]],
    ) -> None:
        """Write the audit rows ``(action, entity, entity_code, before, after)`` of many state
        changes of one command, in this transaction."""
        await record_audits(self.actor, entries, idempotency_key=self.idempotency_key)


async def execute(actor: Actor, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction without an idempotency key (CLI, seed, jobs)."""
    uow = UnitOfWork(actor=actor)
    async with db.transaction():
        result = await work(uow)
    events.publish(uow.events)
    return result


@dataclass(frozen=True)
class CommandResult:
    """The encoded answer of a command, and whether it is a replay of an earlier one."""

    status_code: int
    body: bytes
    replayed: bool = False


def _encode(result: Any) -> bytes:
    return msgspec.json.encode(result)


async def run_command(
    actor: Actor,
    work: Callable[[UnitOfWork], Awaitable[Any]],
    *,
    idempotency_key: str | None,
    fingerprint: str,
    status_code: int = 200,
) -> CommandResult:
    """Run a command sent over HTTP, exactly once per ``Idempotency-Key``.

    Without a key the command simply runs. With a key, a replay returns the stored answer and
    changes nothing, and a key reused for another request is refused (422).
    """
    key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
    # No look-up first: the claim is the transaction's first statement, so a replayed key fails
    # there at once (or waits for its twin to commit) and is answered below.
    uow = UnitOfWork(actor=actor, idempotency_key=key)
    try:
        async with db.transaction():
            if key is not None:
                await idempotency.claim(actor.user_id, key, fingerprint)
            body = _encode(await work(uow))
            if key is not None:
                await idempotency.store_response(actor.user_id, key, status_code, body)
    except Exception as exc:
        if not db.is_unique_violation(exc):
            raise
        if key is not None:
            # This key's command committed before (a replay) or while we waited (a twin):
            # answer as it did.
            stored = await idempotency.find(actor.user_id, key, fingerprint)
            if stored is not None:
                return CommandResult(stored.status_code, stored.body, replayed=True)
        raise Conflict(
            "Someone saved a record with the same code at the same moment; reload and retry.",
            code="conflict.duplicate",
        ) from exc
    events.publish(uow.events)
    return CommandResult(status_code, body)
