"""The OpenAPI document states the rules the server enforces, and the bugs the fuzz run found stay
fixed (tests/fuzz runs schemathesis over the whole API)."""

from __future__ import annotations

import pytest

from takt.platform.fields import MAX_ID


@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/users/admin",
                                  "/api/v1/push/subscriptions", "/api/v1/push/test"])
async def test_options_on_a_guarded_controller_answers_its_methods(client, path):
    response = await client.options(path)
    assert response.status_code == 204
    assert "OPTIONS" in response.headers["allow"]


@pytest.mark.parametrize("url, field", [
    ("/api/v1/areas?offset=30380364029188582585747134003139313664", "offset"),
    ("/api/v1/lots?limit=501", "limit"),
    (f"/api/v1/operations/{MAX_ID + 1}/reports", "op_id"),
    ("/api/v1/operations/101715470689408691208192/reports", "op_id"),
])
async def test_numbers_beyond_their_bounds_are_refused_naming_the_field(client, as_role, url,
                                                                        field):
    response = await client.get(url, headers=as_role("admin"))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "request.invalid"
    assert body["errors"][0]["field"] == field


async def test_the_document_states_bounds_problem_answers_and_closed_bodies(client):
    document = (await client.get("/schema/openapi.json")).json()
    listing = document["paths"]["/api/v1/areas"]["get"]
    bounds = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert bounds["offset"]["maximum"] == MAX_ID and bounds["limit"]["maximum"] == 500
    problem = listing["responses"]["400"]["content"]["application/problem+json"]["schema"]
    assert problem["$ref"].endswith("/Problem")
    assert {"401", "403", "404"} <= set(listing["responses"])
    work_order = document["components"]["schemas"]["WorkOrderIn"]
    assert work_order["additionalProperties"] is False
    assert "pattern" in work_order["properties"]["quantity"]
    logout = document["paths"]["/api/v1/auth/logout"]["post"]["responses"]["204"]
    assert "content" not in logout


async def test_a_line_code_leaves_room_for_its_wip_location(client, as_role):
    # The line-side WIP location is WIP-<line code>; a 64-character line code made it too long
    # for its column (a 500 on PostgreSQL).
    response = await client.post("/api/v1/lines", headers=as_role("admin"), json={
        "code": "L" * 61, "name": "Too long", "area": "MACH"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "code"


async def test_a_nul_character_in_text_is_refused_on_postgresql_not_a_500(client, as_role):
    from tests.conftest import ON_POSTGRES

    response = await client.post("/api/v1/lines", headers=as_role("admin"), json={
        "code": "L-NUL", "name": "Press\x00line", "area": "MACH"})
    if ON_POSTGRES:  # PostgreSQL text cannot hold U+0000; SQLite keeps it as sent
        assert response.status_code == 400
        assert response.json()["code"] == "request.nul_character"
        listed = await client.get("/api/v1/lines?q=L-NUL", headers=as_role("admin"))
        assert listed.json()["total"] == 0
    else:
        assert response.status_code == 201
