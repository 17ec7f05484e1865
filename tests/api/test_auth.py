"""Sign-in by password and badge, tokens as cookie and bearer, and the rate limit."""

from __future__ import annotations

import dataclasses

from litestar.testing import AsyncTestClient

from takt.settings import get_settings


async def test_password_sign_in_sets_cookie_and_returns_token_and_roles(client):
    response = await client.post("/api/v1/auth/login",
                                 json={"username": "planner", "password": "takt-demo"})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "planner"
    assert body["user"]["roles"] == ["planner"]
    assert body["access_token"]
    set_cookie = response.headers["set-cookie"]
    assert "takt_token=" in set_cookie and "HttpOnly" in set_cookie
    # The cookie alone signs the browser in.
    me = await client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "planner"


async def test_bearer_token_signs_a_script_in(client):
    login = await client.post("/api/v1/auth/login",
                              json={"username": "admin", "password": "takt-demo"})
    token = login.json()["access_token"]
    client.cookies.clear()
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["roles"] == ["admin"]


async def test_wrong_password_is_a_401_problem_not_a_500(client):
    response = await client.post("/api/v1/auth/login",
                                 json={"username": "planner", "password": "wrong-one"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "auth.invalid_credentials"
    assert body["detail"] == "The user name or password is wrong."
    assert "set-cookie" not in response.headers


async def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = await client.post("/api/v1/auth/login",
                                 json={"username": "nobody", "password": "takt-demo"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_credentials"


async def test_malformed_sign_in_body_is_a_400_with_a_sentence(client):
    response = await client.post("/api/v1/auth/login", json={"username": "planner"})
    assert response.status_code == 400
    assert "password" in response.json()["detail"]


async def test_deactivated_user_cannot_sign_in(client, as_role):
    patched = await client.patch("/api/v1/users/planner", json={"active": False},
                                 headers=as_role("admin"))
    assert patched.status_code == 200
    response = await client.post("/api/v1/auth/login",
                                 json={"username": "planner", "password": "takt-demo"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.inactive"
    # and a token issued before no longer works
    assert (await client.get("/api/v1/me", headers=as_role("planner"))).status_code == 401


async def test_badge_sign_in_with_scanned_label_and_pin(client):
    response = await client.post("/api/v1/auth/badge", json={
        "badge": "HTTP://TAKT.TEST:8000/S/U/B-1001", "pin": "1234"})
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "operator"
    bare = await client.post("/api/v1/auth/badge", json={"badge": "b-1001", "pin": "1234"})
    assert bare.status_code == 200


async def test_wrong_pin_is_refused_and_five_failures_lock_the_badge(client):
    for _ in range(5):
        wrong = await client.post("/api/v1/auth/badge", json={"badge": "B-1002", "pin": "9999"})
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "auth.invalid_badge"
    locked = await client.post("/api/v1/auth/badge", json={"badge": "B-1002", "pin": "1234"})
    assert locked.status_code == 401
    assert locked.json()["code"] == "auth.badge_locked"


async def test_a_non_badge_label_is_not_a_badge(client):
    response = await client.post("/api/v1/auth/badge", json={
        "badge": "HTTP://TAKT.TEST:8000/S/WS/WS-101", "pin": "1234"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.not_a_badge"


async def test_sign_out_forgets_the_cookie(client):
    await client.post("/api/v1/auth/login", json={"username": "admin", "password": "takt-demo"})
    out = await client.post("/api/v1/auth/logout")
    assert out.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_sign_in_attempts_are_rate_limited(fresh_db):
    from takt.app import create_app

    settings = dataclasses.replace(get_settings(), login_rate_limit_per_minute=3)
    async with AsyncTestClient(app=create_app(settings)) as limited:
        codes = [(await limited.post("/api/v1/auth/login",
                                     json={"username": "x", "password": "y"})).status_code
                 for _ in range(4)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


async def test_requests_without_a_token_are_401_and_with_a_forged_token_too(client):
    assert (await client.get("/api/v1/sites")).status_code == 401
    forged = await client.get("/api/v1/sites", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401
    assert forged.json()["code"] == "auth.unauthorized"
