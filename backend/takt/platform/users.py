"""Users and their roles: the service behind ``/api/v1/users`` and ``takt user create``."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.passwords import hash_secret
from takt.platform.records import Record, register_kind
from takt.platform.roles import (
    ADMIN,
    ALL_ROLES,
    BACK_OFFICE_ROLES,
    EVERYONE,
    parse_roles,
    roles_text,
)
from takt.platform.signin import forget_user
from takt.platform.tables import User

__all__ = ["UserIn", "UserOut", "UserPatch", "create_user", "get_user", "list_users",
           "register_badge_kind", "update_user", "user_out"]

Username = Annotated[str, Meta(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9_.\-]+$")]
Password = Annotated[str, Meta(min_length=6, max_length=128)]
Pin = Annotated[str, Meta(pattern=r"^[0-9]{4,6}$")]
Badge = Annotated[str, Meta(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


class UserOut(msgspec.Struct):
    """A user as the API shows it (never a password or PIN)."""

    id: int
    username: str
    display_name: str
    roles: list[str]
    badge: str | None
    active: bool
    email: str
    locale: str


class UserIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new user. Operators on shared handhelds get a ``badge`` and a 4-6 digit ``pin``."""

    username: Username
    password: Password
    roles: list[str]
    display_name: str = ""
    email: str = ""
    badge: Badge | None = None
    pin: Pin | None = None
    locale: str = ""


class UserPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a user; absent fields stay as they are."""

    password: Password | None = None
    roles: list[str] | None = None
    display_name: str | None = None
    email: str | None = None
    badge: Badge | None = None
    pin: Pin | None = None
    locale: str | None = None
    active: bool | None = None


def user_out(row: dict[str, Any]) -> UserOut:
    """Shape a user row for the API."""
    return UserOut(id=row["id"], username=row["username"],
                   display_name=row["display_name"] or row["username"],
                   roles=sorted(parse_roles(row["roles"])), badge=row["badge"],
                   active=row["active"], email=row["email"], locale=row["locale"])


def _check_roles(roles: list[str]) -> frozenset[str]:
    unknown = sorted(set(roles) - set(ALL_ROLES))
    if unknown:
        raise Invalid(Message("Unknown role {unknown!r}; roles are {all_roles}.",
                              unknown=unknown[0], all_roles=', '.join(ALL_ROLES)),
                      code="user.unknown_role")
    if not roles:
        raise Invalid(Message("A user needs at least one role."), code="user.no_role")
    return frozenset(roles)


def _admin_flags(roles: frozenset[str]) -> dict[str, bool]:
    # Piccolo Admin lets in users flagged admin; superusers may manage other users there.
    return {"admin": bool(roles & BACK_OFFICE_ROLES), "superuser": ADMIN in roles}


async def _user_row(username: str) -> dict[str, Any]:
    row = await User.select().where(User.username == username.lower()).first()
    if row is None:
        raise NotFound(Message("There is no user {username!r}.", username=username),
                       code="user.not_found")
    return row


async def _check_badge_free(badge: str, user_id: int | None) -> None:
    query = User.select(User.username).where(User.badge == badge)
    if user_id is not None:
        query = query.where(User.id != user_id)
    other = await query.first()
    if other:
        raise Conflict(Message("The badge {badge} already belongs to {username}.",
                               badge=badge, username=other['username']),
                       code="user.badge_taken")


async def get_user(username: str) -> UserOut:
    """One user by user name."""
    return user_out(await _user_row(username))


async def list_users(*, limit: int, offset: int, active: bool | None,
                     role: str | None) -> tuple[list[UserOut], int]:
    """A page of users, optionally only active ones or holders of a role."""
    query = User.select().order_by(User.username)
    count = User.count()
    if active is not None:
        query = query.where(User.active == active)
        count = count.where(User.active == active)
    if role:
        # Roles are stored comma-separated; no role name is part of another, so LIKE is exact.
        pattern = f"%{role}%"
        query = query.where(User.roles.like(pattern))
        count = count.where(User.roles.like(pattern))
    rows = await query.limit(limit).offset(offset)
    return [user_out(r) for r in rows], await count


async def create_user(uow: UnitOfWork, data: UserIn) -> UserOut:
    """Create a user (audited)."""
    username = data.username.lower()
    if await User.exists().where(User.username == username):
        raise Conflict(Message("The user name {username!r} is taken.", username=username),
                       code="user.exists")
    roles = _check_roles(data.roles)
    if data.badge:
        await _check_badge_free(data.badge.upper(), None)
    if data.badge and not data.pin:
        raise Invalid(Message("A badge needs a PIN of 4 to 6 digits."), code="user.pin_required")
    user = User(
        username=username,
        password=data.password,
        display_name=data.display_name or username,
        email=data.email or f"{username}@users.takt.invalid",
        roles=roles_text(roles),
        badge=data.badge.upper() if data.badge else None,
        pin_hash=hash_secret(data.pin) if data.pin else None,
        locale=data.locale,
        active=True,
        **_admin_flags(roles),
    )
    await user.save()
    out = await get_user(username)
    await uow.audit("user.create", "user", username, after=msgspec.to_builtins(out))
    return out


async def update_user(uow: UnitOfWork, username: str, patch: UserPatch) -> UserOut:
    """Change a user (audited). Setting ``active`` false signs the user out everywhere."""
    row = await _user_row(username)
    before = msgspec.to_builtins(user_out(row))
    values: dict[Any, Any] = {}
    if patch.roles is not None:
        roles = _check_roles(patch.roles)
        values[User.roles] = roles_text(roles)
        values.update({getattr(User, name): flag for name, flag in _admin_flags(roles).items()})
    if patch.password is not None:
        values[User.password] = hash_secret(patch.password)
    if patch.display_name is not None:
        values[User.display_name] = patch.display_name
    if patch.email is not None:
        values[User.email] = patch.email
    if patch.locale is not None:
        values[User.locale] = patch.locale
    if patch.active is not None:
        values[User.active] = patch.active
    if patch.badge is not None:
        await _check_badge_free(patch.badge.upper(), row["id"])
        if not row["pin_hash"] and patch.pin is None:
            raise Invalid(Message("A badge needs a PIN of 4 to 6 digits."),
                          code="user.pin_required")
        values[User.badge] = patch.badge.upper()
    if patch.pin is not None:
        values[User.pin_hash] = hash_secret(patch.pin)
    if values:
        await User.update(values).where(User.id == row["id"])
        forget_user(row["id"])
    out = await get_user(username)
    await uow.audit("user.update", "user", out.username, before=before,
                    after=msgspec.to_builtins(out))
    return out


async def _badge_record(code: str) -> Record | None:
    row = await User.select(User.id, User.badge, User.display_name, User.username, User.roles,
                            User.active).where(User.badge == code).first()
    if row is None:
        return None
    return Record("U", row["id"], row["badge"], row["display_name"] or row["username"],
                  "active" if row["active"] else "inactive",
                  {"name": row["display_name"] or row["username"], "username": row["username"],
                   "roles": ", ".join(sorted(parse_roles(row["roles"])))})


def register_badge_kind() -> None:
    """Operator badges (``/S/U/<BADGE>``): scanning one offers to switch the handheld's user."""
    register_kind("U", _badge_record, {"sign_in_as": EVERYONE})
