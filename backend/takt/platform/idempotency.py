"""Idempotency keys: a replayed command returns its first response and changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from takt.platform.errors import Invalid
from takt.platform.sql import Statement
from takt.platform.tables import IdempotencyRecord

__all__ = ["StoredResponse", "check_key", "claim", "find", "request_hash", "store_response"]

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
            f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} characters long.",
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
            "This Idempotency-Key was already used for a different request; "
            "send a new key for a new command.",
            code="idempotency.key_reused",
        )
    return StoredResponse(status_code=row["status_code"], body=row["response_body"].encode())


_CLAIM = Statement("""
    INSERT INTO takt_idempotency (scope_key, user_id, idempotency_key, request_hash, status_code,
                                  response_body, created_at)
    VALUES ($1, $2, $3, $4, 0, '', $5)
""")
_STORE = Statement("""
    UPDATE takt_idempotency SET status_code = $2, response_body = $3 WHERE scope_key = $1
""")


async def claim(user_id: int | None, key: str, fingerprint: str) -> None:
    """Claim the key inside the command's transaction (a unique row; a racing twin waits on it
    and then fails with a unique violation, after which it replays the stored answer)."""
    await _CLAIM.execute(_scope_key(user_id, key), user_id, key, fingerprint, datetime.now(UTC))


async def store_response(user_id: int | None, key: str, status_code: int, body: bytes) -> None:
    """Keep the response given, in the same transaction as the command's effect."""
    await _STORE.execute(_scope_key(user_id, key), status_code, body.decode())
