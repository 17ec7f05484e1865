"""The append-only audit log: who changed what, when, with the record before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from piccolo.utils.encoding import dump_json

from takt.platform.sql import Statement
from takt.platform.tables import AuditEntry

if TYPE_CHECKING:
    from takt.platform.commands import Actor

__all__ = ["audit_step", "record_audits"]


def audit_step(
    actor: Actor | None,
    action: str,
    entity: str,
    entity_code: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> tuple[Statement, tuple[Any, ...]]:
    """The statement writing one audit row, to run together with a command's other writes
    (:func:`takt.platform.sql.run_together`)."""
    return _INSERT_AUDIT, (
        datetime.now(UTC), actor.user_id if actor else None,
        actor.username if actor else "system", action, entity, entity_code,
        None if before is None else dump_json(before),
        None if after is None else dump_json(after), idempotency_key)


_INSERT_AUDIT = Statement("""
    INSERT INTO takt_audit (at, user_id, username, action, entity, entity_code, before, after,
                            idempotency_key)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
""")
"""Every command writes at least one audit row: prebuilt rather than built per call."""


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
