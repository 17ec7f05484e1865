"""Passwords and PINs are stored as argon2id; a PBKDF2 hash from before still signs in, and the
sign-in replaces it."""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser

from takt.platform.tables import User


async def _stored(username: str) -> dict[str, str]:
    row = await User.select(User.password, User.pin_hash).where(
        User.username == username).first()
    assert row is not None
    return row


async def _admin_login(client, username: str, password: str):  # type: ignore[no-untyped-def]
    await client.get("/admin/")
    csrf = {"X-CSRFToken": client.cookies.get("csrftoken") or ""}
    return await client.post("/admin/public/login/", headers=csrf,
                             json={"username": username, "password": password})


async def test_a_new_users_password_and_pin_are_argon2id(client, as_role):
    created = await client.post("/api/v1/users", headers=as_role("admin", **{
        "Idempotency-Key": "new-user-hashes"}), json={
        "username": "newop", "password": "night-shift-7", "roles": ["operator"],
        "badge": "B-7777", "pin": "4321"})
    assert created.status_code == 201, created.text
    stored = await _stored("newop")
    assert stored["password"].startswith("$argon2id$")
    assert stored["pin_hash"].startswith("$argon2id$")
    assert "night-shift-7" not in stored["password"] and "4321" not in stored["pin_hash"]
    login = await client.post("/api/v1/auth/login",
                              json={"username": "newop", "password": "night-shift-7"})
    assert login.status_code == 200
    badge = await client.post("/api/v1/auth/badge", json={"badge": "B-7777", "pin": "4321"})
    assert badge.status_code == 200


async def test_an_old_pbkdf2_password_signs_in_once_more_and_is_then_argon2id(client):
    old = BaseUser.hash_password("takt-demo")
    await User.update({User.password: old}).where(User.username == "planner")
    wrong = await client.post("/api/v1/auth/login",
                              json={"username": "planner", "password": "takt-dem0"})
    assert wrong.status_code == 401
    assert (await _stored("planner"))["password"] == old
    first = await client.post("/api/v1/auth/login",
                              json={"username": "planner", "password": "takt-demo"})
    assert first.status_code == 200
    assert (await _stored("planner"))["password"].startswith("$argon2id$")
    again = await client.post("/api/v1/auth/login",
                              json={"username": "planner", "password": "takt-demo"})
    assert again.status_code == 200


async def test_an_old_pbkdf2_pin_signs_in_once_more_and_is_then_argon2id(client):
    await User.update({User.pin_hash: BaseUser.hash_password("1234")}).where(
        User.badge == "B-1001")
    first = await client.post("/api/v1/auth/badge", json={"badge": "B-1001", "pin": "1234"})
    assert first.status_code == 200, first.text
    row = await User.select(User.pin_hash).where(User.badge == "B-1001").first()
    assert row is not None and row["pin_hash"].startswith("$argon2id$")
    again = await client.post("/api/v1/auth/badge", json={"badge": "B-1001", "pin": "1234"})
    assert again.status_code == 200


async def test_the_back_office_signs_in_on_argon2id_and_on_an_old_pbkdf2_password(client):
    assert (await _stored("admin"))["password"].startswith("$argon2id$")
    assert (await _admin_login(client, "admin", "takt-demo")).status_code == 200
    assert (await client.get("/admin/api/tables/")).status_code == 200
    client.cookies.clear()
    await User.update({User.password: BaseUser.hash_password("takt-demo")}).where(
        User.username == "planner")
    assert (await _admin_login(client, "planner", "takt-dem0")).status_code == 401
    assert (await _admin_login(client, "planner", "takt-demo")).status_code == 200
    assert (await _stored("planner"))["password"].startswith("$argon2id$")
    # Reading the user back as an object (as the back office does) leaves the hash alone.
    user = await User.objects().where(User.username == "planner").first()
    assert user is not None and user.password == (await _stored("planner"))["password"]
