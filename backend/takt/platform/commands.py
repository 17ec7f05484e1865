"""Running a command: one transaction holding the effect, the audit rows and the stored
response of its idempotency key; events go out only after it commits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from takt.platform import db, events, idempotency
from takt.platform.audit import audit_step, record_audits
from takt.platform.errors import Conflict, TaktError
from takt.platform.i18n import Message
from takt.platform.roles import ADMINS
from takt.platform.sql import Statement, run_together

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
        return cls(user_id=None, username="system", roles=ADMINS)


@dataclass
class UnitOfWork:
    """What a service may do besides its own queries: audit, emit events."""

    actor: Actor
    idempotency_key: str | None = None
    events: list[events.Event] = field(default_factory=list)
    last_writes: list[tuple[Statement, tuple[Any, ...]]] = field(default_factory=list)
    """Writes nothing in the command reads back (audit rows), sent together at its end."""

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
        """Write the audit row of a state change, in this transaction (with the command's
        last writes: one round trip for all of them)."""
        self.last_writes.append(audit_step(self.actor, action, entity, entity_code,
                                           before=before, after=after,
                                           idempotency_key=self.idempotency_key))

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
        if uow.last_writes:
            await run_together(*uow.last_writes)
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

    The key is saved with the answer among the transaction's last writes (one round trip). A
    replay (or a twin sent while the first was still running, which waits on the first one's
    row locks) runs until that write or a refusal, rolls back, and is answered with what is
    stored. So ``work`` must have no effect outside the transaction; what must happen after
    it (events, push) is queued on the unit of work and sent after commit.
    """
    key = idempotency.check_key(idempotency_key) if idempotency_key is not None else None
    uow = UnitOfWork(actor=actor, idempotency_key=key)
    try:
        async with db.transaction():
            body = _encode(await work(uow))
            if key is not None:
                uow.last_writes.append(
                    idempotency.save_step(actor.user_id, key, fingerprint, status_code, body))
            if uow.last_writes:
                await run_together(*uow.last_writes)
    except Exception as exc:
        duplicate = db.is_unique_violation(exc)
        if key is not None and (duplicate or isinstance(exc, TaktError)):
            # This key's command committed before (a replay) or meanwhile (a twin): answer
            # as it did. A key reused for another request raises here (422).
            stored = await idempotency.find(actor.user_id, key, fingerprint)
            if stored is not None:
                return CommandResult(stored.status_code, stored.body, replayed=True)
        if not duplicate:
            raise
        raise Conflict(
            Message("Someone saved a record with the same code at the same moment; reload and "
                    "retry."),
            code="conflict.duplicate",
        ) from exc
    events.publish(uow.events)
    return CommandResult(status_code, body)
