"""Idempotency keys: a replayed command returns its first response and changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from takt.platform.errors import Invalid
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


async def claim(user_id: int | None, key: str, fingerprint: str) -> None:
    """Claim the key inside the command's transaction (a unique row; a racing twin waits on it
    and then fails with a unique violation, after which it replays the stored answer)."""
    await IdempotencyRecord.insert(
        IdempotencyRecord(
            scope_key=_scope_key(user_id, key),
            user_id=user_id,
            idempotency_key=key,
            request_hash=fingerprint,
            status_code=0,
            response_body="",
        )
    )


async def store_response(user_id: int | None, key: str, status_code: int, body: bytes) -> None:
    """Keep the response given, in the same transaction as the command's effect."""
    await IdempotencyRecord.update(
        {IdempotencyRecord.status_code: status_code,
         IdempotencyRecord.response_body: body.decode()}
    ).where(IdempotencyRecord.scope_key == _scope_key(user_id, key))
