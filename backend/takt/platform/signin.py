"""Signing in (password, badge + PIN) and the signed-in user, without HTTP.

The token, its middleware and the role guards that read what is here live in
:mod:`takt.platform.auth`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from piccolo.columns import Column

from takt.platform.commands import Actor
from takt.platform.errors import Unauthorized
from takt.platform.i18n import Message
from takt.platform.passwords import check_secret, hash_secret, needs_rehash
from takt.platform.roles import parse_roles
from takt.platform.tables import User

__all__ = [
    "USER_CACHE_SECONDS",
    "AuthUser",
    "FailureStore",
    "authenticate_badge",
    "authenticate_password",
    "forget_user",
    "signed_in_user",
]


class FailureStore(Protocol):
    """Where wrong PINs are counted: shared by every worker in scale-out mode (a Litestar
    store, or anything with the same three calls)."""

    async def get(self, key: str) -> bytes | None:
        """The value under ``key``, if any."""

    async def set(self, key: str, value: str | bytes,
                  expires_in: int | timedelta | None = None) -> None:
        """Keep ``value`` under ``key`` for ``expires_in`` seconds."""

    async def delete(self, key: str) -> None:
        """Forget ``key``."""


BADGE_MAX_FAILURES = 5
BADGE_LOCK_SECONDS = 300
WRONG_CREDENTIALS = Message("The user name or password is wrong.")
WRONG_BADGE = Message("The badge or PIN is wrong.")


@dataclass(frozen=True)
class AuthUser:
    """The signed-in user as requests see it."""

    id: int
    username: str
    display_name: str
    roles: frozenset[str]

    @property
    def actor(self) -> Actor:
        """This user as the actor of commands."""
        return Actor(user_id=self.id, username=self.username, roles=self.roles)


def _naive_utc_now() -> datetime:
    # Piccolo's BaseUser.last_login is a Timestamp without time zone; it holds UTC.
    return datetime.now(UTC).replace(tzinfo=None)


def _auth_user(row: dict[str, Any]) -> AuthUser:
    return AuthUser(id=row["id"], username=row["username"],
                    display_name=row["display_name"] or row["username"],
                    roles=parse_roles(row["roles"]))


async def authenticate_password(username: str, password: str) -> AuthUser:
    """Check a user name and password.

    Raises:
        Unauthorized: wrong name or password, or the account is deactivated.
    """
    row = await User.select().where(User.username == username.strip().lower()).first()
    if not await check_secret(password, row["password"] if row else None) or row is None:
        raise Unauthorized(WRONG_CREDENTIALS, code="auth.invalid_credentials")
    if not row["active"]:
        raise Unauthorized(Message("This account is deactivated; ask an administrator."),
                           code="auth.inactive")
    await _signed_in(row["id"], User.password, password, row["password"])
    return _auth_user(row)


async def _signed_in(user_id: int, column: Column, secret: str, stored: str) -> None:
    values: dict[Column | str, Any] = {User.last_login: _naive_utc_now()}
    if needs_rehash(stored):
        # The one moment the secret is known: a hash from before becomes argon2id.
        values[column] = await asyncio.to_thread(hash_secret, secret)
    await User.update(values).where(User.id == user_id)


async def authenticate_badge(badge: str, pin: str, store: FailureStore) -> AuthUser:
    """Check a scanned badge and its PIN. After five wrong PINs the badge is locked for five
    minutes, so a four-digit PIN cannot be guessed on a lost handheld.

    Raises:
        Unauthorized: unknown badge, wrong PIN, locked badge or deactivated account.
    """
    lock_key = f"badge-failures:{badge}"
    failures = int((await store.get(lock_key)) or 0)
    if failures >= BADGE_MAX_FAILURES:
        raise Unauthorized(Message("This badge is locked for five minutes after too many wrong "
                                   "PINs."),
                           code="auth.badge_locked")
    row = await User.select().where(User.badge == badge).first()
    if not await check_secret(pin, row["pin_hash"] if row else None) or row is None:
        await store.set(lock_key, str(failures + 1), expires_in=BADGE_LOCK_SECONDS)
        raise Unauthorized(WRONG_BADGE, code="auth.invalid_badge")
    if not row["active"]:
        raise Unauthorized(Message("This account is deactivated; ask an administrator."),
                           code="auth.inactive")
    await store.delete(lock_key)
    await _signed_in(row["id"], User.pin_hash, pin, row["pin_hash"])
    return _auth_user(row)


USER_CACHE_SECONDS = 5.0
"""How long a worker trusts what it read of a signed-in user (roles, active). Every request
needs them and they rarely change; a change made through another worker takes effect within
this time, one made through this worker at once (:func:`forget_user`)."""
_USER_CACHE_LIMIT = 10_000
_user_cache: dict[int, tuple[float, AuthUser | None]] = {}


def forget_user(user_id: int) -> None:
    """Drop what this worker remembers of a user (after their roles or status changed)."""
    _user_cache.pop(user_id, None)


async def signed_in_user(user_id: int) -> AuthUser | None:
    """The user a checked token names, or None once they are deactivated or gone (read at most
    once every :data:`USER_CACHE_SECONDS` per worker)."""
    now = time.monotonic()
    cached = _user_cache.get(user_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    row = await User.select(User.id, User.username, User.display_name, User.roles,
                            User.active).where(User.id == user_id).first()
    user = _auth_user(row) if row is not None and row["active"] else None
    if len(_user_cache) >= _USER_CACHE_LIMIT:
        _user_cache.clear()
    _user_cache[user_id] = (now + USER_CACHE_SECONDS, user)
    return user
