"""Hashes of passwords and badge PINs.

New hashes are argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile: 64 MiB,
3 passes, 4 lanes). Before, Takt stored Piccolo's PBKDF2-SHA256 (600,000 rounds): those still
verify, and a sign-in replaces them (:func:`needs_rehash`). Argon2id needs its memory for every
guess, which takes the edge off a graphics card working through a stolen table, and it costs
this server less CPU per sign-in than the PBKDF2 it replaces.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from piccolo.apps.user.tables import BaseUser

__all__ = ["check_secret", "hash_secret", "is_hash", "needs_rehash", "verify_secret"]

_hasher = PasswordHasher()
_ARGON2 = "$argon2"
_PBKDF2 = "pbkdf2_sha256$"


def is_hash(text: str) -> bool:
    """Whether ``text`` is a stored hash (argon2 or Piccolo's PBKDF2), not a secret."""
    return text.startswith((_ARGON2, _PBKDF2))


def hash_secret(secret: str) -> str:
    """The argon2id hash to store for a password or PIN."""
    return _hasher.hash(secret)


@lru_cache(maxsize=1)
def _stand_in() -> str:
    return _hasher.hash("no such user")


def verify_secret(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` matches its stored hash (argon2, or PBKDF2 from before)."""
    if not stored:
        # Verify anyway, so an unknown user takes as long as a known one.
        with contextlib.suppress(VerificationError):
            _hasher.verify(_stand_in(), secret)
        return False
    if stored.startswith(_PBKDF2):
        try:
            _, iterations, salt, _ = BaseUser.split_stored_password(stored)
            candidate = BaseUser.hash_password(secret, salt, int(iterations))
        except ValueError:
            return False
        return hmac.compare_digest(candidate, stored)
    try:
        return _hasher.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


async def check_secret(secret: str, stored: str | None) -> bool:
    """:func:`verify_secret` in a worker thread: a tenth of a second of hashing (which releases
    the GIL) would otherwise stall every scan this worker serves meanwhile."""
    return await asyncio.to_thread(verify_secret, secret, stored)


def needs_rehash(stored: str) -> bool:
    """Whether a hash that just verified should be replaced: PBKDF2 from before, or argon2
    with weaker parameters than today's."""
    return not stored.startswith(_ARGON2) or _hasher.check_needs_rehash(stored)
