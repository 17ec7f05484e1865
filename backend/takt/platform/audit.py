"""The append-only audit log: who changed what, when, with the record before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from takt.platform.tables import AuditEntry

if TYPE_CHECKING:
    from takt.platform.commands import Actor

__all__ = ["record_audit", "record_audits"]


async def record_audit(
    actor: Actor | None,
    action: str,
    entity: str,
    entity_code: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> None:
    """Write one audit row in the current transaction."""
    await AuditEntry.insert(
        AuditEntry(
            user_id=actor.user_id if actor else None,
            username=actor.username if actor else "system",
            action=action,
            entity=entity,
            entity_code=entity_code,
            before=before,
            after=after,
            idempotency_key=idempotency_key,
        )
    )


async def record_audits(
    actor: Actor | None,
    entries: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]],
    *,
    idempotency_key: str | None = None,
    chunk: int = 500,
) -> None:
    """Write many audit rows ``(action, entity, entity_code, before, after)`` in few
    statements (a bulk import changes a thousand records in one command)."""
    rows = [AuditEntry(user_id=actor.user_id if actor else None,
                       username=actor.username if actor else "system",
                       action=action, entity=entity, entity_code=code, before=before,
                       after=after, idempotency_key=idempotency_key)
            for action, entity, code, before, after in entries]
    for start in range(0, len(rows), chunk):
        await AuditEntry.insert(*rows[start:start + chunk])
