"""Tables every module stands on: users, idempotency keys, the audit log, document numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    JSON,
    ForeignKey,
    Integer,
    Secret,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table
from piccolo_api.session_auth.tables import SessionsBase

from takt.platform import passwords

__all__ = [
    "AdminSession",
    "AuditEntry",
    "DocumentSequence",
    "IdempotencyRecord",
    "PushSubscription",
    "User",
]


class User(BaseUser, tablename="takt_user"):
    """A person who signs in: by password, or on a shared handheld by badge and PIN.

    ``roles`` is a comma-separated, sorted list of role names. Piccolo Admin's ``admin`` flag is
    kept in step with the roles (admins and planners may open the back office).

    Passwords are stored as argon2id (:mod:`takt.platform.passwords`). Piccolo's user knows only
    its own PBKDF2 form: it would hash an argon2 hash once more whenever a row becomes an
    object, and its sign-in (Piccolo Admin's) could not read one, so both are Takt's here.
    """

    display_name = Varchar(length=120, default="")
    roles = Varchar(length=200, default="")
    badge = Varchar(length=64, null=True, default=None, unique=True)
    pin_hash = Secret(length=255, null=True, default=None)
    locale = Varchar(length=16, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    def __init__(self, **kwargs: Any) -> None:
        password = kwargs.get("password")
        if password and not passwords.is_hash(password):
            kwargs["password"] = passwords.hash_secret(password)
        Table.__init__(self, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "password" and isinstance(value, str) and value and not passwords.is_hash(
                value):
            value = passwords.hash_secret(value)
        Table.__setattr__(self, name, value)

    @classmethod
    async def login(cls, username: str, password: str) -> int | None:
        """The user's id when the password is right (Piccolo Admin's sign-in); a PBKDF2 hash
        from before is replaced by an argon2id one."""
        row = await cls.select(cls.id, cls.password).where(cls.username == username).first()
        stored = row["password"] if row is not None else None
        if not await passwords.check_secret(password, stored) or row is None:
            return None
        values: dict[Any, Any] = {cls.last_login: datetime.now(UTC).replace(tzinfo=None)}
        if passwords.needs_rehash(row["password"]):
            values[cls.password] = passwords.hash_secret(password)
        await cls.update(values).where(cls.id == row["id"])
        return int(row["id"])


class AdminSession(SessionsBase, tablename="takt_admin_session"):
    """Sessions of Piccolo Admin (the back office at ``/admin``)."""


class IdempotencyRecord(Table, tablename="takt_idempotency"):
    """A claimed ``Idempotency-Key``: the first response is kept and replayed for the same key.

    ``scope_key`` is ``<user id>:<key>`` so one user's key never replays another user's answer.
    """

    id: Serial
    scope_key = Varchar(length=200, unique=True)
    user_id = Integer(null=True, default=None)
    idempotency_key = Varchar(length=128)
    request_hash = Varchar(length=64)
    status_code = SmallInt(default=200)
    response_body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class AuditEntry(Table, tablename="takt_audit"):
    """One row per state change: who did what to which record, with before and after."""

    id: Serial
    at = Timestamptz(default=TimestamptzNow(), index=True)
    user_id = Integer(null=True, default=None)
    username = Varchar(length=100, default="")
    action = Varchar(length=80, index=True)
    entity = Varchar(length=40, index=True)
    entity_code = Varchar(length=80, index=True)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
    idempotency_key = Varchar(length=128, null=True, default=None)


class DocumentSequence(Table, tablename="takt_document_sequence"):
    """The last number handed out per document type and year (``WO-2026-00001``)."""

    id: Serial
    sequence_key = Varchar(length=40, unique=True)
    doc_type = Varchar(length=20)
    year = Integer()
    last_value = Integer(default=0)


class PushSubscription(Table, tablename="takt_push_subscription"):
    """A device that receives web push notifications for a user (andon alarms on a phone).

    The browser's push service gives the ``endpoint`` and the keys that encrypt each message.
    One endpoint belongs to one user: a shared handheld registered by the next operator moves
    to that operator.
    """

    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    endpoint = Varchar(length=1000, unique=True)
    p256dh = Varchar(length=200)
    auth = Varchar(length=100)
    device = Varchar(length=120, default="")
    user_agent = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
