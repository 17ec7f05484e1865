"""Scheduling over HTTP: run the scheduler on the open work orders, read the schedule back,
move an operation by hand. The schedule keeps route order, one operation at a time per
workstation, calendars and running operations."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from takt.platform import events
from takt.platform.tables import AuditEntry
from takt.production.tables import Operation
from takt.workforce.availability import working_windows
from takt.workforce.schemas import Shift


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _released(client, as_role, item: str, quantity: int, *, priority: int = 5,
                    due_in: timedelta | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"item_code": item, "quantity": quantity, "priority": priority}
    if due_in is not None:
        body["due_at"] = (datetime.now(UTC) + due_in).isoformat()
    created = await client.post("/api/v1/work-orders", json=body, headers=as_role("planner"))
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    released = await client.post(f"/api/v1/work-orders/{code}/release",
                                 headers=as_role("planner"))
    assert released.status_code == 200, released.text
    return (await client.get(f"/api/v1/work-orders/{code}", headers=as_role("planner"))).json()


def _check_sound(schedule: dict[str, Any], orders: list[dict[str, Any]]) -> None:
    ops = {op["id"]: op for op in schedule["operations"]}
    for order in orders:
        steps = sorted(order["operations"], key=lambda op: op["seq"])
        for earlier, later in zip(steps, steps[1:], strict=False):
            assert _at(ops[earlier["id"]]["end_at"]) <= _at(ops[later["id"]]["start_at"])
    by_station = defaultdict(list)
    for op in schedule["operations"]:
        by_station[op["workstation"]].append((_at(op["start_at"]), _at(op["end_at"])))
    for spans in by_station.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end <= start


async def test_the_scheduler_places_every_open_operation_and_the_gantt_reads_it_back(
        client, as_role):
    orders = [await _released(client, as_role, "FG-PUMP-100", 10, priority=9,
                              due_in=timedelta(days=1)),
              await _released(client, as_role, "FG-FAN-200", 5, priority=3),
              await _released(client, as_role, "FG-SENS-300", 8, due_in=timedelta(days=2))]
    draft = await client.post("/api/v1/work-orders", json={"item_code": "FG-FAN-200",
                                                           "quantity": 3},
                              headers=as_role("planner"))
    assert draft.status_code == 201

    ran = await client.post("/api/v1/schedule", json={"time_limit_s": 5},
                            headers=as_role("planner"))
    assert ran.status_code == 200, ran.text
    schedule = ran.json()
    assert schedule["solver"] == "cp-sat" and schedule["optimal"] is True
    assert schedule["total_weighted_tardiness_s"] == 0
    expected = {op["id"] for order in orders for op in order["operations"]}
    assert {op["id"] for op in schedule["operations"]} == expected
    _check_sound(schedule, orders)
    computed = _at(schedule["computed_at"])
    last_end = max(_at(op["end_at"]) for op in schedule["operations"])
    assert schedule["makespan_s"] == int((last_end - computed).total_seconds())
    fan_assembly = next(op for op in orders[1]["operations"] if op["seq"] == 30)
    placed = next(op for op in schedule["operations"] if op["id"] == fan_assembly["id"])
    assert placed["workstation"] in {"WS-101", "WS-103"}  # any ASSEMBLY workstation

    read = await client.get("/api/v1/schedule", headers=as_role("operator"))
    assert read.status_code == 200
    assert read.json() == schedule
    row = await Operation.select(Operation.scheduled_workstation.code.as_alias("ws"),
                                 Operation.scheduled_start).where(
        Operation.id == placed["id"]).first()
    assert row["ws"] == placed["workstation"]
    assert await AuditEntry.count().where(AuditEntry.action == "schedule.run") == 1


async def test_a_running_operation_stays_and_the_rest_waits_for_it(client, as_role):
    first = await _released(client, as_role, "FG-PUMP-100", 20)
    second = await _released(client, as_role, "FG-PUMP-100", 5, priority=9)
    running = next(op for op in first["operations"] if op["seq"] == 10)
    started = await client.post(f"/api/v1/operations/{running['id']}/start",
                                headers=as_role("operator"))
    assert started.status_code == 200, started.text

    ran = await client.post("/api/v1/schedule", json={"time_limit_s": 5},
                            headers=as_role("planner"))
    assert ran.status_code == 200, ran.text
    ops = {op["id"]: op for op in ran.json()["operations"]}
    fixed = ops[running["id"]]
    assert fixed["workstation"] == "WS-102" and fixed["status"] == "running"
    assert _at(fixed["start_at"]) <= _at(ran.json()["computed_at"])
    # 20 pieces x 45 s still to make, setup done.
    assert _at(fixed["end_at"]) - _at(ran.json()["computed_at"]) == timedelta(seconds=900)
    urgent_first = next(op for op in second["operations"] if op["seq"] == 10)
    assert _at(ops[urgent_first["id"]]["start_at"]) >= _at(fixed["end_at"])
    _check_sound(ran.json(), [first, second])


async def test_operations_run_only_inside_the_calendar(client, as_role):
    calendar = await client.post("/api/v1/calendars", headers=as_role("planner"), json={
        "code": "CAL-PLANT1", "name": "Two shifts", "site": "PLANT1",
        "shifts": [{"days": [0, 1, 2, 3, 4], "start": "06:00", "end": "14:00"},
                   {"days": [0, 1, 2, 3, 4], "start": "14:00", "end": "22:00"}]})
    assert calendar.status_code == 201
    orders = [await _released(client, as_role, "FG-SENS-300", 60),
              await _released(client, as_role, "SF-SHAFT-P100", 80)]
    ran = await client.post("/api/v1/schedule", json={"time_limit_s": 5},
                            headers=as_role("planner"))
    assert ran.status_code == 200, ran.text
    schedule = ran.json()
    _check_sound(schedule, orders)
    start = _at(schedule["computed_at"])
    windows = working_windows([Shift([0, 1, 2, 3, 4], "06:00", "22:00")], [],
                              "Europe/Berlin", start, start + timedelta(days=30))
    for op in schedule["operations"]:
        assert any(s <= _at(op["start_at"]) and _at(op["end_at"]) <= e for s, e in windows), op


async def test_a_late_order_is_marked_and_weighs_by_its_priority(client, as_role):
    order = await _released(client, as_role, "FG-FAN-200", 4, priority=7,
                            due_in=timedelta(hours=-1))
    ran = await client.post("/api/v1/schedule", json={"time_limit_s": 5},
                            headers=as_role("planner"))
    schedule = ran.json()
    assert all(op["late"] for op in schedule["operations"])
    due = _at(order["due_at"])
    end = max(_at(op["end_at"]) for op in schedule["operations"])
    assert schedule["total_weighted_tardiness_s"] == 7 * int((end - due).total_seconds())


async def test_the_same_idempotency_key_answers_the_same_schedule_once(client, as_role):
    await _released(client, as_role, "FG-FAN-200", 4)
    headers = as_role("planner", **{"Idempotency-Key": "4b0d6c58-2a9e-4d7e-9c55-6f1c7f2e1a01"})
    first = await client.post("/api/v1/schedule", json={"time_limit_s": 2}, headers=headers)
    again = await client.post("/api/v1/schedule", json={"time_limit_s": 2}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert await AuditEntry.count().where(AuditEntry.action == "schedule.run") == 1


async def test_a_run_tells_the_boards_of_the_lines_and_workstations_it_changed(
        client, as_role):
    await _released(client, as_role, "SF-SHAFT-P100", 4)
    sent: list[tuple[dict[str, Any], list[str]]] = []
    events.set_publisher(lambda message, topics: sent.append((message, topics)))
    ran = await client.post("/api/v1/schedule", json={"time_limit_s": 2},
                            headers=as_role("planner"))
    assert ran.status_code == 200
    [(message, topics)] = [item for item in sent if item[0]["type"] == "schedule.updated"]
    assert {"line:L2", "workstation:WS-201", "workstation:WS-203",
            "workstation:WS-204"} <= set(topics)


async def test_a_planner_moves_an_operation_to_an_eligible_workstation_only(client, as_role):
    order = await _released(client, as_role, "FG-FAN-200", 4)
    await client.post("/api/v1/schedule", json={"time_limit_s": 2}, headers=as_role("planner"))
    assembly = next(op for op in order["operations"] if op["seq"] == 30)
    fixed = next(op for op in order["operations"] if op["seq"] == 10)
    start = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)

    moved = await client.patch(f"/api/v1/operations/{assembly['id']}/schedule",
                               json={"workstation": "ws-103", "start_at": start.isoformat()},
                               headers=as_role("planner"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["workstation"] == "WS-103"
    assert _at(moved.json()["start_at"]) == start
    assert _at(moved.json()["end_at"]) == start + timedelta(seconds=5 * 60 + 4 * 60)

    wrong_type = await client.patch(f"/api/v1/operations/{assembly['id']}/schedule",
                                    json={"workstation": "WS-104",
                                          "start_at": start.isoformat()},
                                    headers=as_role("planner"))
    assert wrong_type.status_code == 422
    assert wrong_type.json()["code"] == "schedule.not_eligible"
    assert wrong_type.json()["detail"] == (
        f"WS-104 cannot run operation {assembly['code']}: it runs only on a workstation of "
        "its type (WS-101, WS-103).")
    wrong_station = await client.patch(f"/api/v1/operations/{fixed['id']}/schedule",
                                       json={"workstation": "WS-103",
                                             "start_at": start.isoformat()},
                                       headers=as_role("planner"))
    assert wrong_station.status_code == 422
    assert "it runs only on WS-101" in wrong_station.json()["detail"]

    gantt = (await client.get("/api/v1/schedule", headers=as_role("supervisor"))).json()
    assert gantt["optimal"] is False
    entry = next(op for op in gantt["operations"] if op["id"] == assembly["id"])
    assert (entry["workstation"], _at(entry["start_at"])) == ("WS-103", start)
    audit = await AuditEntry.select(AuditEntry.entity_code).where(
        AuditEntry.action == "operation.reschedule")
    assert [row["entity_code"] for row in audit] == [assembly["code"]]


async def test_a_started_operation_cannot_be_moved(client, as_role):
    order = await _released(client, as_role, "FG-FAN-200", 4)
    first = next(op for op in order["operations"] if op["seq"] == 10)
    await client.post(f"/api/v1/operations/{first['id']}/start", headers=as_role("operator"))
    moved = await client.patch(f"/api/v1/operations/{first['id']}/schedule",
                               json={"workstation": "WS-101",
                                     "start_at": datetime.now(UTC).isoformat()},
                               headers=as_role("planner"))
    assert moved.status_code == 409 and moved.json()["code"] == "operation.bad_status"
    missing = await client.patch("/api/v1/operations/999999/schedule",
                                 json={"workstation": "WS-101",
                                       "start_at": datetime.now(UTC).isoformat()},
                                 headers=as_role("planner"))
    assert missing.status_code == 404


async def test_before_any_run_the_schedule_is_empty_and_says_so(client, as_role):
    answer = await client.get("/api/v1/schedule", headers=as_role("operator"))
    assert answer.status_code == 200
    assert answer.json() == {"computed_at": None, "makespan_s": 0,
                             "total_weighted_tardiness_s": 0, "optimal": False,
                             "solver": "none", "operations": []}
    # A run needs no body; with nothing open it is empty and trivially optimal.
    ran = await client.post("/api/v1/schedule", headers=as_role("admin"))
    assert ran.status_code == 200, ran.text
    assert (ran.json()["operations"], ran.json()["optimal"]) == ([], True)
    too_long = await client.post("/api/v1/schedule", json={"time_limit_s": 3600},
                                 headers=as_role("planner"))
    assert too_long.status_code == 400 and too_long.json()["code"] == "request.invalid"
