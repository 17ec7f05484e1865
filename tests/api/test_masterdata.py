"""Master data through the API: create, read, list, change, deactivate; audit and idempotency."""

from __future__ import annotations

import uuid

from takt.masterdata.tables import Site
from takt.platform.tables import AuditEntry, IdempotencyRecord


async def test_site_create_read_update_deactivate_round_trip(client, as_role):
    h = as_role("planner")
    created = await client.post("/api/v1/sites", json={
        "code": "plant2", "name": "Second plant", "time_zone": "Asia/Shanghai"}, headers=h)
    assert created.status_code == 201
    assert created.json()["code"] == "PLANT2"
    assert created.json()["version"] == 1
    read = await client.get("/api/v1/sites/plant2", headers=as_role("operator"))
    assert read.json()["time_zone"] == "Asia/Shanghai"
    changed = await client.patch("/api/v1/sites/PLANT2", json={"name": "Plant two"}, headers=h)
    assert changed.json()["name"] == "Plant two" and changed.json()["version"] == 2
    gone = await client.delete("/api/v1/sites/PLANT2", headers=h)
    assert gone.status_code == 200 and gone.json()["active"] is False
    active = await client.get("/api/v1/sites", params={"active": "true"}, headers=h)
    assert "PLANT2" not in [s["code"] for s in active.json()["data"]]


async def test_list_pages_filter_and_count(client, as_role):
    h = as_role("operator")
    page = await client.get("/api/v1/workstations", params={"limit": 3, "line": "L1"}, headers=h)
    body = page.json()
    assert len(body["data"]) == 3
    assert body["total"] >= 6
    assert {ws["line"] for ws in body["data"]} == {"L1"}
    second = await client.get("/api/v1/workstations",
                              params={"limit": 3, "offset": 3, "line": "L1"}, headers=h)
    assert not {w["code"] for w in second.json()["data"]} & {w["code"] for w in body["data"]}


async def test_every_line_has_its_line_side_wip_location(client, as_role):
    h = as_role("planner")
    await client.post("/api/v1/lines", json={"code": "L9", "name": "Line 9", "area": "ASSY"},
                      headers=h)
    line = (await client.get("/api/v1/lines/L9", headers=h)).json()
    assert line["wip_location"] == "WIP-L9"
    location = (await client.get("/api/v1/locations/WIP-L9", headers=h)).json()
    assert location["kind"] == "line_side" and location["line"] == "L9"
    assert location["warehouse"] == "WIP-PLANT1"


async def test_route_with_operations_and_bom_lines_tied_to_operations(client, as_role):
    h = as_role("planner")
    route = (await client.get("/api/v1/routes/RT-PUMP-100", headers=h)).json()
    assert 4 <= len(route["operations"]) <= 7
    assert sum(op["needs_inspection"] for op in route["operations"]) == 1
    bom = (await client.get("/api/v1/boms/BOM-PUMP-100", headers=h)).json()
    seqs = {op["seq"] for op in route["operations"]}
    assert all(line["operation_seq"] in seqs for line in bom["lines"])


async def test_bad_input_is_a_clear_4xx_and_nothing_is_written(client, as_role):
    h = as_role("planner")
    before = await Site.count()
    bad_tz = await client.post("/api/v1/sites", json={
        "code": "X1", "name": "X", "time_zone": "Mars/Olympus"}, headers=h)
    assert bad_tz.status_code == 422
    assert "IANA time zone" in bad_tz.json()["detail"]
    unknown_ref = await client.post("/api/v1/workstations", json={
        "code": "WS-X", "name": "X", "line": "NOPE"}, headers=h)
    assert unknown_ref.status_code == 422
    assert unknown_ref.json()["detail"] == "There is no line with code NOPE."
    duplicate = await client.post("/api/v1/sites", json={"code": "plant1", "name": "Dup"},
                                  headers=h)
    assert duplicate.status_code == 409
    bad_qty = await client.post("/api/v1/boms", json={
        "code": "BOM-X", "name": "X", "item": "FG-FAN-200",
        "lines": [{"component": "RM-SCREW-M3X8", "quantity": "-1"}]}, headers=h)
    # Quantities are decimal strings the schema cannot bound: the service refuses (422).
    assert (bad_qty.status_code, bad_qty.json()["code"]) == (422, "invalid.quantity")
    wrong_field = await client.post("/api/v1/sites", json={"code": "X2", "name": "X",
                                                           "colour": "red"}, headers=h)
    assert wrong_field.status_code == 400
    assert wrong_field.headers["content-type"].startswith("application/problem+json")
    assert await Site.count() == before
    assert (await client.get("/api/v1/boms/BOM-X", headers=h)).status_code == 404


async def test_route_operation_needs_exactly_one_place(client, as_role):
    response = await client.post("/api/v1/routes", json={
        "code": "RT-X", "name": "X", "operations": [
            {"seq": 10, "name": "Nowhere"}]}, headers=as_role("planner"))
    assert response.status_code == 422
    assert response.json()["code"] == "route.operation_place"


async def test_every_change_writes_an_audit_row_with_before_and_after(client, as_role):
    h = as_role("planner")
    await client.post("/api/v1/parties", json={"code": "SUP-NEW", "name": "New supplier",
                                               "kind": "supplier"}, headers=h)
    await client.patch("/api/v1/parties/SUP-NEW", json={"phone": "+49 30 1234"}, headers=h)
    await client.delete("/api/v1/parties/SUP-NEW", headers=h)
    rows = await AuditEntry.select().where(AuditEntry.entity_code == "SUP-NEW").order_by(
        AuditEntry.id).output(load_json=True)
    assert [r["action"] for r in rows] == ["party.create", "party.update", "party.deactivate"]
    assert all(r["username"] == "planner" for r in rows)
    assert rows[1]["before"]["phone"] == "" and rows[1]["after"]["phone"] == "+49 30 1234"


async def test_replayed_idempotency_key_returns_the_first_answer_and_changes_nothing(
        client, as_role):
    key = str(uuid.uuid4())
    h = as_role("planner", **{"Idempotency-Key": key})
    body = {"code": "SUP-IDEM", "name": "Once only", "kind": "supplier"}
    first = await client.post("/api/v1/parties", json=body, headers=h)
    again = await client.post("/api/v1/parties", json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    audits = await AuditEntry.count().where(AuditEntry.entity_code == "SUP-IDEM")
    assert audits == 1
    assert await IdempotencyRecord.count().where(IdempotencyRecord.idempotency_key == key) == 1


async def test_idempotency_key_reused_for_another_body_is_422(client, as_role):
    h = as_role("planner", **{"Idempotency-Key": "key-reuse-1"})
    await client.post("/api/v1/parties", json={"code": "SUP-A", "name": "A",
                                               "kind": "supplier"}, headers=h)
    reused = await client.post("/api/v1/parties", json={"code": "SUP-B", "name": "B",
                                                        "kind": "supplier"}, headers=h)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency.key_reused"
    assert (await client.get("/api/v1/parties/SUP-B", headers=h)).status_code == 404


async def test_a_rejected_command_does_not_burn_its_key(client, as_role):
    h = as_role("planner", **{"Idempotency-Key": "key-after-error"})
    body = {"code": "WS-Y", "name": "Y", "line": "L1"}
    bad = await client.post("/api/v1/workstations", json={**body, "line": "NOPE"}, headers=h)
    assert bad.status_code == 422
    # the failed transaction rolled its claim back, so the key is free for the corrected command
    good = await client.post("/api/v1/workstations", json=body,
                             headers=as_role("planner", **{"Idempotency-Key": "key-after-error"}))
    assert good.status_code == 201


async def test_same_key_from_two_users_are_two_commands(client, as_role):
    key = {"Idempotency-Key": "shared-key"}
    a = await client.post("/api/v1/reason-codes", json={"code": "SCR-A", "name": "A",
                                                        "kind": "scrap"},
                          headers=as_role("planner", **key))
    b = await client.post("/api/v1/reason-codes", json={"code": "SCR-B", "name": "B",
                                                        "kind": "scrap"},
                          headers=as_role("supervisor", **key))
    assert a.status_code == b.status_code == 201


async def test_users_admin_creates_operator_with_badge(client, as_role):
    h = as_role("admin")
    created = await client.post("/api/v1/users", json={
        "username": "Wang.Li", "password": "secret-pass", "roles": ["operator", "inspector"],
        "display_name": "Wang Li", "badge": "b-2001", "pin": "4321"}, headers=h)
    assert created.status_code == 201
    assert created.json()["roles"] == ["inspector", "operator"]
    assert created.json()["badge"] == "B-2001"
    signed_in = await client.post("/api/v1/auth/badge", json={"badge": "B-2001", "pin": "4321"})
    assert signed_in.json()["user"]["username"] == "wang.li"
    taken = await client.post("/api/v1/users", json={
        "username": "other", "password": "secret-pass", "roles": ["operator"],
        "badge": "B-2001", "pin": "1111"}, headers=h)
    assert taken.status_code == 409
    bad_role = await client.post("/api/v1/users", json={
        "username": "xy", "password": "secret-pass", "roles": ["boss"]}, headers=h)
    assert bad_role.status_code == 422 and "boss" in bad_role.json()["detail"]


async def test_a_deactivated_record_refuses_changes_until_reactivated(client, as_role):
    h = as_role("maintainer")
    await client.delete("/api/v1/equipment/EQ-LATHE-201", headers=as_role("admin"))
    refused = await client.patch("/api/v1/equipment/EQ-LATHE-201",
                                 json={"status": "down", "reason_code": "DT-BREAKDOWN"},
                                 headers=h)
    assert refused.status_code == 409
    assert refused.json()["code"] == "record.inactive"
    assert "reactivate" in refused.json()["detail"]
    back = await client.patch("/api/v1/equipment/EQ-LATHE-201", json={"active": True}, headers=h)
    assert back.status_code == 200
    changed = await client.patch("/api/v1/equipment/EQ-LATHE-201",
                                 json={"status": "down", "reason_code": "DT-BREAKDOWN"},
                                 headers=h)
    assert changed.json()["status"] == "down"


async def test_a_maintainer_may_set_equipment_status_from_a_scan(client, as_role):
    scan = await client.get("/api/v1/scan", params={"code": "EQ-LATHE-201"},
                            headers=as_role("maintainer"))
    assert "set_status" in scan.json()["actions"]
    operator = await client.get("/api/v1/scan", params={"code": "EQ-LATHE-201"},
                                headers=as_role("operator"))
    assert "set_status" not in operator.json()["actions"]
