"""Idempotency keys: a replayed command returns its first response and changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from takt.platform.errors import Invalid
from takt.platform.i18n import Message
from takt.platform.sql import Statement
from takt.platform.tables import IdempotencyRecord

__all__ = ["StoredResponse", "check_key", "find", "request_hash", "save_step"]

MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class StoredResponse:
    """The response first given for a key."""

    status_code: int
    body: bytes


def request_hash(method: str, path: str, body: bytes) -> str:
    """Fingerprint of a command: the same key with another fingerprint is a reuse."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _scope_key(user_id: int | None, key: str) -> str:
    return f"{user_id or 0}:{key}"


def check_key(key: str) -> str:
    """Validate the header value."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Invalid(
            Message("The Idempotency-Key header must be 1 to {max_key_length} characters long.",
                    max_key_length=MAX_KEY_LENGTH),
            code="idempotency.key_invalid",
        )
    return key


async def find(user_id: int | None, key: str, fingerprint: str) -> StoredResponse | None:
    """The stored response for this user's key, or ``None`` when the key is new.

    Raises:
        Invalid: the key was used before for a different command (code ``idempotency.key_reused``).
    """
    row = await IdempotencyRecord.select().where(
        IdempotencyRecord.scope_key == _scope_key(user_id, key)
    ).first()
    if row is None:
        return None
    if row["request_hash"] != fingerprint:
        raise Invalid(
            Message("This Idempotency-Key was already used for a different request; send a new "
                    "key for a new command."),
            code="idempotency.key_reused",
        )
    return StoredResponse(status_code=row["status_code"], body=row["response_body"].encode())


_SAVE = Statement("""
    INSERT INTO takt_idempotency (scope_key, user_id, idempotency_key, request_hash, status_code,
                                  response_body, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
""")


def save_step(user_id: int | None, key: str, fingerprint: str, status_code: int, body: bytes
              ) -> tuple[Statement, tuple[Any, ...]]:
    """The write keeping the answer given for this user's key, among the command's last
    writes. The key is unique: when the same key committed first (a replay or a twin), it
    fails with a unique violation and the command rolls back."""
    return _SAVE, (_scope_key(user_id, key), user_id, key, fingerprint, status_code,
                   body.decode(), datetime.now(UTC))
