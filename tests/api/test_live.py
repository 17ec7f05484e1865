"""Live updates over ``/api/v1/live``: signed-in connections only, topics checked, and every
event published after a command commits reaches the connections that follow its topic.

The app runs under a real uvicorn server in the test's event loop, so the channels backend
(memory, or Redis on the scale-out leg) is the one the app started, as in production.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from takt.platform.auth import make_jwt_auth
from takt.platform.commands import Actor, UnitOfWork, execute
from takt.settings import get_settings


@pytest.fixture
async def server(app) -> AsyncIterator[str]:
    """The app served on a free port of 127.0.0.1; yields ``host:port``."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="on", log_level="warning")
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    while not instance.started:  # noqa: ASYNC110 - uvicorn offers no start event
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.02)
    port = instance.servers[0].sockets[0].getsockname()[1]
    yield f"127.0.0.1:{port}"
    instance.should_exit = True
    await task


def _cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"takt_token={token}"}


async def _next(ws: ClientConnection, wait: float = 10) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), wait))


async def _nothing_within(ws: ClientConnection, seconds: float) -> bool:
    try:
        await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return True
    return False


async def test_connections_without_a_valid_sign_in_are_refused(server):
    for headers in ({}, _cookie("forged.token.value")):
        with pytest.raises(InvalidStatus) as refused:
            async with connect(f"ws://{server}/api/v1/live", additional_headers=headers):
                raise AssertionError("a connection without a valid sign-in was accepted")
        assert refused.value.response.status_code == 403


async def test_the_server_says_hello_with_the_signed_in_user(server, tokens, template_db):
    async with connect(f"ws://{server}/api/v1/live",
                       additional_headers=_cookie(tokens["supervisor"])) as ws:
        hello = await _next(ws)
    assert hello["type"] == "hello"
    assert hello["user"]["id"] == template_db["supervisor"]
    assert hello["user"]["username"] == "supervisor"
    assert hello["user"]["roles"] == ["supervisor"]
    # Scripts that cannot set a cookie pass the token in the query string.
    async with connect(f"ws://{server}/api/v1/live?token={tokens['operator']}") as ws:
        assert (await _next(ws))["user"]["username"] == "operator"


async def test_an_event_published_after_a_command_commits_reaches_followers(server, tokens,
                                                                             as_role):
    async with connect(f"ws://{server}/api/v1/live",
                       additional_headers=_cookie(tokens["supervisor"])) as ws:
        await _next(ws)
        await ws.send(json.dumps({"subscribe": ["line:L1", "andon"]}))
        assert await _next(ws) == {"type": "subscribed", "topics": ["andon", "line:L1"]}
        async with httpx.AsyncClient(base_url=f"http://{server}") as http:
            changed = await http.patch(
                "/api/v1/lines/L1", json={"name": "Assembly line 1 (north)"},
                headers=as_role("planner", **{"Idempotency-Key": str(uuid.uuid4())}))
            assert changed.status_code == 200, changed.text
            message = await _next(ws)
            assert message["topic"] == "line:L1"
            assert message["event"]["type"] == "line.updated"
            assert message["event"]["id"] == "L1" and message["event"]["version"] == 2

            # A line nobody follows here: nothing arrives.
            other = await http.patch("/api/v1/lines/L2", json={"name": "Machining 2"},
                                     headers=as_role("planner"))
            assert other.status_code == 200
            assert await _nothing_within(ws, 0.5)

            await ws.send(json.dumps({"unsubscribe": ["line:L1"]}))
            assert await _next(ws) == {"type": "subscribed", "topics": ["andon"]}
            await http.patch("/api/v1/lines/L1", json={"name": "Assembly line 1"},
                             headers=as_role("planner"))
            assert await _nothing_within(ws, 0.5)


async def test_events_of_service_commands_reach_andon_and_own_user_topics(server, tokens,
                                                                          template_db):
    me = template_db["maintainer"]
    async with connect(f"ws://{server}/api/v1/live",
                       additional_headers=_cookie(tokens["maintainer"])) as ws:
        await _next(ws)
        await ws.send(json.dumps({"subscribe": [f"user:{me}", "andon", "equipment:EQ-1"]}))
        assert (await _next(ws))["type"] == "subscribed"

        async def call(uow: UnitOfWork) -> None:
            uow.emit("andon.raised", "A-1", "andon", f"user:{me}", "line:L1", version=1)

        await execute(Actor.system(), call)
        received = {(await _next(ws))["topic"], (await _next(ws))["topic"]}
        assert received == {"andon", f"user:{me}"}


async def test_topics_outside_the_allowed_forms_get_an_error_and_change_nothing(
        server, tokens, template_db):
    someone_else = template_db["operator"]
    async with connect(f"ws://{server}/api/v1/live",
                       additional_headers=_cookie(tokens["supervisor"])) as ws:
        await _next(ws)
        for message, words in [
            ({"subscribe": [f"user:{someone_else}"]}, "your own user topic"),
            ({"subscribe": ["line:L1", "kitchen"]}, "Unknown topic 'kitchen'"),
            ({"subscribe": ["line:"]}, "Unknown topic"),
            ({"subscribe": "line:L1"}, "list of topics"),
            ({"shout": True}, "subscribe"),
        ]:
            await ws.send(json.dumps(message))
            answer = await _next(ws)
            assert answer["type"] == "error" and words in answer["message"], answer
        await ws.send("not json")
        assert (await _next(ws))["type"] == "error"
        # The connection is still good, and the refused requests followed nothing.
        await ws.send(json.dumps({"subscribe": ["wo:WO-2026-00001"]}))
        assert await _next(ws) == {"type": "subscribed", "topics": ["wo:WO-2026-00001"]}


async def test_the_connection_ends_when_the_sign_in_expires(server, template_db):
    jwt_auth = make_jwt_auth(get_settings())
    token = jwt_auth.create_token(identifier=str(template_db["operator"]),
                                  token_expiration=timedelta(seconds=2))
    async with connect(f"ws://{server}/api/v1/live", additional_headers=_cookie(token)) as ws:
        await _next(ws)
        expired = await _next(ws, wait=10)
        assert expired["type"] == "error" and "expired" in expired["message"]
        with pytest.raises(ConnectionClosed) as closed:
            await _next(ws)
    assert closed.value.rcvd.code == 4401


async def test_a_board_follows_topics_given_in_the_query_string(server, tokens, as_role):
    async with connect(f"ws://{server}/ws?topics=line:L2,equipment:EQ-VMC-202",
                       additional_headers=_cookie(tokens["supervisor"])) as ws:
        assert (await _next(ws))["type"] == "hello"
        assert await _next(ws) == {"type": "subscribed",
                                   "topics": ["equipment:EQ-VMC-202", "line:L2"]}
        async with httpx.AsyncClient(base_url=f"http://{server}") as http:
            changed = await http.patch("/api/v1/equipment/EQ-VMC-202",
                                       json={"status": "down", "reason_code": "DT-BREAKDOWN"},
                                       headers=as_role("maintainer"))
            assert changed.status_code == 200, changed.text
        # An equipment change reaches the board of its line too.
        topics = {(await _next(ws))["topic"], (await _next(ws))["topic"]}
        assert topics == {"equipment:EQ-VMC-202", "line:L2"}
