"""Work order and operation labels scan and print; actions follow the record's state and the
user's roles; the workstation queue is in dispatch order; the line board shows the floor."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image

from takt.masterdata.tables import Line
from takt.platform import records
from takt.platform.scantext import LABEL_KINDS
from takt.production.dispatch import today_start
from takt.production.tables import Operation
from tests.api.production import command, create, released, report

URL = "HTTP://TAKT.TEST:8000/S"


async def _scan(client, as_role, text: str, role: str = "operator") -> dict:
    response = await client.get("/api/v1/scan", params={"code": text}, headers=as_role(role))
    assert response.status_code == 200, response.text
    return response.json()


def _decode(png: bytes) -> zxingcpp.Barcode:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0]


async def test_work_order_and_operation_labels_render_decode_and_scan_back(client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 12, due_at="2026-12-01T10:00:00Z")
    op = wo["operations"][1]
    for kind, code in (("WO", wo["code"]), ("OP", op["code"])):
        response = await client.get(f"/api/v1/labels/{kind}/{code}", headers=as_role("planner"))
        assert response.status_code == 200, response.text
        barcode = _decode(response.content)
        assert barcode.format == zxingcpp.BarcodeFormat.QRCode
        assert barcode.text == f"{URL}/{kind}/{code}"
        scanned = await _scan(client, as_role, barcode.text)
        assert (scanned["kind"], scanned["code"], scanned["id"]) == (
            kind, code, wo["operations"][1]["id"] if kind == "OP" else scanned["id"])
    zpl = await client.get(f"/api/v1/labels/WO/{wo['code']}", params={"format": "zpl"},
                           headers=as_role("planner"))
    assert "FG-PUMP-100" in zpl.text and "12 PCS" in zpl.text and "DUE 2026-12-01" in zpl.text
    op_zpl = await client.get(f"/api/v1/labels/OP/{op['code']}", params={"format": "zpl"},
                              headers=as_role("planner"))
    assert "WS-101" in op_zpl.text and wo["code"] in op_zpl.text


async def test_every_label_kind_now_has_records(client, as_role):
    # Lots arrived with inventory (the demo receives some), serials with serial tracking:
    # every kind a label can name resolves to a record.
    assert set(LABEL_KINDS) <= set(records.kinds())
    wo = await released(client, as_role)
    lot = (await client.get("/api/v1/lots", params={"limit": 1},
                            headers=as_role("supervisor"))).json()["data"][0]["code"]
    serials = await command(client, as_role, "planner",
                            f"/api/v1/work-orders/{wo['code']}/serials", {"count": 1})
    assert serials.status_code == 201, serials.text
    samples = {"WO": wo["code"], "OP": wo["operations"][0]["code"], "LOC": "RM-A-01-01",
               "WS": "WS-101", "EQ": "EQ-PRESS-102", "ITEM": "FG-PUMP-100", "U": "B-1001",
               "LOT": lot, "SN": serials.json()["generated"][0]["code"]}
    assert set(samples) == set(LABEL_KINDS)
    for kind, code in samples.items():
        response = await client.get(f"/api/v1/labels/{kind}/{code}",
                                    headers=as_role("supervisor"))
        assert response.status_code == 200, (kind, response.text)
        assert _decode(response.content).text == f"{URL}/{kind}/{code}"


async def test_bare_codes_of_orders_and_operations_resolve(client, as_role):
    wo = await released(client, as_role)
    assert (await _scan(client, as_role, wo["code"].lower()))["kind"] == "WO"
    op = await _scan(client, as_role, f" {wo['operations'][0]['code']}\r\n")
    assert (op["kind"], op["title"], op["status"]) == ("OP", "Insert sensor PCB", "ready")


async def test_work_order_actions_follow_its_state_and_the_users_roles(client, as_role):
    draft = await create(client, as_role)
    assert (await _scan(client, as_role, draft["code"], "planner"))["actions"] == [
        "view_work_order", "release", "print_label"]
    assert (await _scan(client, as_role, draft["code"]))["actions"] == ["view_work_order"]
    wo = await released(client, as_role)
    assert (await _scan(client, as_role, wo["code"]))["actions"] == [
        "view_work_order", "report_work", "pick"]
    assert (await _scan(client, as_role, wo["code"], "supervisor"))["actions"] == [
        "view_work_order", "report_work", "pick", "hold", "print_label"]
    await command(client, as_role, "planner", f"/api/v1/work-orders/{wo['code']}/hold")
    assert (await _scan(client, as_role, wo["code"], "planner"))["actions"] == [
        "view_work_order", "resume", "print_label"]
    assert (await _scan(client, as_role, wo["code"]))["actions"] == ["view_work_order"]


async def test_operation_actions_follow_its_state(client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 4)
    ops = wo["operations"]
    code = ops[0]["code"]
    assert (await _scan(client, as_role, code))["actions"] == [
        "view_operation", "start_work", "report_work", "complete"]
    assert (await _scan(client, as_role, ops[1]["code"]))["actions"] == ["view_operation"]
    await command(client, as_role, "operator", f"/api/v1/operations/{ops[0]['id']}/start")
    assert (await _scan(client, as_role, code))["actions"] == [
        "view_operation", "start_work", "report_work", "pause", "complete"]
    for op in ops[:3]:
        assert (await report(client, as_role, op["id"], good=4)).status_code == 201
    assert (await report(client, as_role, ops[3]["id"], good=2)).status_code == 201
    leak = ops[3]["code"]
    assert "release_hold" in (await _scan(client, as_role, leak, "supervisor"))["actions"]
    assert "release_hold" not in (await _scan(client, as_role, leak))["actions"]


async def test_queue_lists_open_operations_in_dispatch_order(client, as_role):
    late = await released(client, as_role, "SF-SHAFT-P100", 5, priority=2,
                          due_at="2026-01-01T00:00:00Z")
    urgent = await released(client, as_role, "SF-BODY-S300", 5, priority=9)
    scheduled = await released(client, as_role, "SF-SHAFT-P100", 3, priority=1)
    await create(client, as_role, "SF-SHAFT-P100", 3)  # a draft has no operations yet
    await Operation.update({
        Operation.scheduled_start: datetime(2026, 1, 1, tzinfo=UTC),
        Operation.scheduled_end: datetime(2026, 1, 1, 1, tzinfo=UTC),
    }).where(Operation.id == scheduled["operations"][0]["id"])
    queue = (await client.get("/api/v1/workstations/ws-201/queue",
                              headers=as_role("operator"))).json()
    assert (queue["workstation"], queue["line"], queue["total"]) == ("WS-201", "L2", 3)
    assert [row["work_order"] for row in queue["data"]] == [
        scheduled["code"], urgent["code"], late["code"]]
    first = queue["data"][0]
    assert (first["code"], first["item_code"], first["available"], first["status"]) == (
        f"{scheduled['code']}-10", "SF-SHAFT-P100", "3", "ready")
    assert queue["data"][2]["late"] is True and queue["data"][1]["late"] is False
    # Scheduled elsewhere: it leaves this queue for the other workstation's.
    await Operation.update({Operation.scheduled_workstation: (await _ws_id("WS-202"))}).where(
        Operation.id == urgent["operations"][0]["id"])
    codes = [row["work_order"] for row in (await client.get(
        "/api/v1/workstations/WS-201/queue", headers=as_role("operator"))).json()["data"]]
    assert urgent["code"] not in codes
    other = (await client.get("/api/v1/workstations/WS-202/queue",
                              headers=as_role("operator"))).json()
    assert urgent["code"] in [row["work_order"] for row in other["data"]]


async def _ws_id(code: str) -> int:
    from takt.masterdata.tables import Workstation

    return (await Workstation.select(Workstation.id).where(Workstation.code == code).first()
            )["id"]


async def test_an_operation_of_a_type_waits_in_every_queue_of_that_type(client, as_role):
    wo = await released(client, as_role, "SF-HOUS-P100", 2)  # step 20: any DEBURR station
    queue = (await client.get("/api/v1/workstations/WS-203/queue",
                              headers=as_role("operator"))).json()
    row = next(r for r in queue["data"] if r["work_order"] == wo["code"])
    assert (row["seq"], row["placed"], row["status"]) == (20, False, "pending")


async def test_the_line_board_shows_state_current_work_plan_output_and_late_orders(
        client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 20, due_at="2026-01-01T00:00:00Z")
    press = wo["operations"][0]
    await command(client, as_role, "operator", f"/api/v1/operations/{press['id']}/start")
    assert (await report(client, as_role, press["id"], good=6, scrap=1)).status_code == 201
    # Scheduled so that half its span has passed, all of it today (the board plans from the
    # start of the site's day): an hour when the day is half an hour old, less before then.
    now = datetime.now(UTC)
    site_zone = (await Line.select(Line.area.site.time_zone.as_alias("tz")).where(
        Line.code == "L1").first())["tz"]
    start = max(now - timedelta(minutes=30), today_start(now, site_zone))
    await Operation.update({Operation.scheduled_start: start,
                            Operation.scheduled_end: now + (now - start)}).where(
        Operation.id == press["id"])
    leak = await client.patch("/api/v1/equipment/EQ-LEAK-104",
                              json={"status": "down", "reason_code": "DT-BREAKDOWN"},
                              headers=as_role("maintainer"))
    assert leak.status_code == 200
    board = (await client.get("/api/v1/lines/l1/board", headers=as_role("supervisor"))).json()
    assert board["line"] == "L1"
    stations = {ws["code"]: ws for ws in board["workstations"]}
    assert list(stations) == ["WS-101", "WS-102", "WS-103", "WS-104", "WS-105", "WS-106"]
    press_station = stations["WS-102"]
    assert press_station["state"] == "running"
    current = press_station["current"]
    assert (current["code"], current["work_order"], current["good"], current["scrap"],
            current["available"], current["quantity"]) == (press["code"], wo["code"], "6", "1",
                                                          "13", "20")
    assert current["operators"] == ["operator"]
    assert (press_station["good_today"], press_station["scrap_today"]) == ("6", "1")
    # Half of the scheduled span has passed: about half of the 20 pumps should be done, in
    # whole pumps (a piece is counted, never 9.75 of them).
    assert 9 <= float(press_station["plan_good"]) <= 11
    assert "." not in press_station["plan_good"]
    assert stations["WS-104"]["state"] == "down" and stations["WS-101"]["state"] == "idle"
    assert stations["WS-101"]["plan_good"] == "0" and stations["WS-101"]["current"] is None
    assert [order["code"] for order in board["late_orders"]] == [wo["code"]]
    await command(client, as_role, "operator", f"/api/v1/operations/{press['id']}/pause")
    board = (await client.get("/api/v1/lines/L1/board", headers=as_role("supervisor"))).json()
    assert board["workstations"][1]["state"] == "paused"


@pytest.mark.parametrize("path", ["/api/v1/lines/NOPE/board", "/api/v1/workstations/NOPE/queue"])
async def test_unknown_line_or_workstation_is_a_404(client, as_role, path):
    response = await client.get(path, headers=as_role("supervisor"))
    assert response.status_code == 404 and "NOPE" in response.json()["detail"]
