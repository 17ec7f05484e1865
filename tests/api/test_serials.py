"""Serial numbers: a range per work order (never more than it may make), labels that scan back
to the serial, output reported by scanning each serial at the step that counts output (once,
never twice, idempotent by key), and a trace by serial that reaches the component lots."""

from __future__ import annotations

import asyncio
import io
import uuid
from decimal import Decimal

import msgspec
import zxingcpp
from PIL import Image

from takt.inventory.tables import SerialNumber
from takt.platform.commands import Actor, run_command
from takt.platform.errors import Conflict
from takt.platform.tables import AuditEntry
from takt.production import serials as production_serials
from takt.production.tables import Operation, WorkReport
from tests.api.inventory import at, move, receive, verify
from tests.api.production import (
    command,
    key,
    operation,
    order,
    released,
    report,
    report_passing_on,
)
from tests.api.test_production_race import released_order

URL = "HTTP://TAKT.TEST:8000/S"
WIP = "WIP-L1"


async def _generate(client, as_role, wo_code: str, count, role: str = "planner"):
    return await client.post(f"/api/v1/work-orders/{wo_code}/serials", json={"count": count},
                             headers=as_role(role, **key()))


async def _serials(client, as_role, wo_code: str, count: int) -> list[str]:
    response = await _generate(client, as_role, wo_code, count)
    assert response.status_code == 201, response.text
    return [serial["code"] for serial in response.json()["generated"]]


async def _scan_serial(client, as_role, op_id: int, serial: str, role: str = "operator",
                       headers: dict[str, str] | None = None):
    return await client.post(f"/api/v1/operations/{op_id}/serials", json={"serial": serial},
                             headers=as_role(role, **(headers or key())))


async def _reports(client, as_role, op_id: int) -> list[dict]:
    response = await client.get(f"/api/v1/operations/{op_id}/reports",
                                headers=as_role("operator"))
    assert response.status_code == 200, response.text
    return response.json()


async def _up_to_the_output_step(client, as_role, wo: dict, good) -> dict:
    """Report ``good`` on every step before the last output-counting one (releasing what an
    in-process inspection holds); return that last output step."""
    output_seq = max(op["seq"] for op in wo["operations"] if op["counts_output"])
    for op in wo["operations"]:
        if op["seq"] == output_seq:
            return op
        await report_passing_on(client, as_role, op["id"], good)
    raise AssertionError("the route has no output-counting step")


async def test_a_range_never_passes_the_orders_quantity_plus_overrun(client, as_role):
    # FG-PUMP-100 allows 2.5 % overrun: 40 pumps may have 41 serials.
    wo = await released(client, as_role, "FG-PUMP-100", 40)
    first = await _generate(client, as_role, wo["code"], 40)
    assert first.status_code == 201, first.text
    body = first.json()
    codes = [serial["code"] for serial in body["generated"]]
    assert (body["total"], body["limit"], body["remaining"]) == (40, 41, 1)
    assert len(set(codes)) == 40 and all(code.startswith("SN-") for code in codes)
    assert {s["status"] for s in body["generated"]} == {"generated"}
    assert {s["item_code"] for s in body["generated"]} == {"FG-PUMP-100"}

    too_many = await _generate(client, as_role, wo["code"], 2, role="supervisor")
    assert too_many.status_code == 409, too_many.text
    problem = too_many.json()
    assert problem["code"] == "serial.limit" and problem["remaining"] == 1
    assert "at most 41 serials" in problem["detail"] and "1 more" in problem["detail"]

    last = await _generate(client, as_role, wo["code"], 1, role="supervisor")
    assert last.status_code == 201, last.text
    assert last.json()["remaining"] == 0
    assert (await _generate(client, as_role, wo["code"], 1)).status_code == 409
    listed = await client.get(f"/api/v1/work-orders/{wo['code']}/serials",
                              headers=as_role("operator"))
    assert listed.status_code == 200, listed.text
    assert [s["code"] for s in listed.json()] == codes + [last.json()["generated"][0]["code"]]

    # Another order's serials continue the numbering: a serial code is never handed out twice.
    other = await released(client, as_role, "FG-SENS-300", 2)
    others = await _serials(client, as_role, other["code"], 2)
    assert not set(others) & set(codes) and others[0] > codes[-1]


async def test_only_serial_tracked_items_in_open_orders_get_serials(client, as_role):
    fans = await released(client, as_role, "FG-FAN-200", 5)
    refused = await _generate(client, as_role, fans["code"], 1)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "serial.not_tracked"
    assert "FG-FAN-200 is not serial-tracked" in refused.json()["detail"]
    zero = await _generate(client, as_role, fans["code"], 0)
    assert zero.status_code == 400, zero.text
    missing = await _generate(client, as_role, "WO-1999-99999", 1)
    assert missing.status_code == 404, missing.text
    sensors = await released(client, as_role, "FG-SENS-300", 2)
    cancelled = await command(client, as_role, "planner",
                              f"/api/v1/work-orders/{sensors['code']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    closed = await _generate(client, as_role, sensors["code"], 1)
    assert closed.status_code == 409 and closed.json()["code"] == "work_order.not_open"
    listed = await client.get(f"/api/v1/work-orders/{sensors['code']}/serials",
                              headers=as_role("planner"))
    assert listed.json() == []


async def test_a_serial_label_decodes_and_scans_back_to_the_serial(client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 3)
    serial = (await _serials(client, as_role, wo["code"], 1))[0]
    png = await client.get(f"/api/v1/labels/SN/{serial}", headers=as_role("operator"))
    assert png.status_code == 200, png.text
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert len(decoded) == 1 and decoded[0].format == zxingcpp.BarcodeFormat.QRCode
    assert decoded[0].text == f"{URL}/SN/{serial}"

    scanned = await client.get("/api/v1/scan", params={"code": decoded[0].text},
                               headers=as_role("operator"))
    assert scanned.status_code == 200, scanned.text
    found = scanned.json()
    assert (found["kind"], found["code"], found["status"]) == ("SN", serial, "generated")
    assert found["title"] == "Flow sensor S300"
    assert found["actions"] == ["view_serial", "report_output", "print_label"]
    inspector = await client.get("/api/v1/scan", params={"code": serial.lower()},
                                 headers=as_role("inspector"))
    assert inspector.json()["kind"] == "SN" and inspector.json()["actions"] == ["view_serial"]

    zpl = await client.get(f"/api/v1/work-orders/{wo['code']}/serials/labels",
                           params={"format": "zpl"}, headers=as_role("planner"))
    assert zpl.status_code == 200, zpl.text
    assert serial in zpl.text and "FG-SENS-300" in zpl.text and wo["code"] in zpl.text
    pdf = await client.get(f"/api/v1/work-orders/{wo['code']}/serials/labels",
                           headers=as_role("planner"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_scanning_a_serial_reports_one_good_unit_and_produces_the_serial(client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 3)
    serials = await _serials(client, as_role, wo["code"], 3)
    output_op = await _up_to_the_output_step(client, as_role, wo, 3)
    before = await operation(client, as_role, output_op["id"])

    response = await _scan_serial(client, as_role, output_op["id"], serials[0])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["report"]["good"] == "1" and body["report"]["kind"] == "report"
    assert serials[0] in body["report"]["note"]
    serial = body["serial"]
    assert serial["status"] == "produced" and serial["operation_code"] == output_op["code"]
    assert serial["operation_id"] == output_op["id"] and serial["produced_by"] == "operator"
    assert serial["lot_code"] is not None and serial["produced_at"] is not None
    after = await operation(client, as_role, output_op["id"])
    assert Decimal(after["good"]) == Decimal(before["good"]) + 1
    assert Decimal((await order(client, as_role, wo["code"]))["good"]) == 1

    read = await client.get(f"/api/v1/serials/{serials[0].lower()}", headers=as_role("planner"))
    assert read.status_code == 200, read.text
    assert read.json() == serial
    assert read.json()["work_order_code"] == wo["code"]
    lot = await client.get(f"/api/v1/lots/{serial['lot_code']}", headers=as_role("planner"))
    assert lot.json()["work_order_code"] == wo["code"] and lot.json()["origin"] == "production"

    # Scanned again (a new command, a new key): refused, and nothing is written.
    reports = await _reports(client, as_role, output_op["id"])
    again = await _scan_serial(client, as_role, output_op["id"], serials[0], role="supervisor")
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "serial.already_produced"
    assert f"Serial {serials[0]} was already produced at operation {output_op['code']}" in \
        again.json()["detail"]
    assert await _reports(client, as_role, output_op["id"]) == reports
    assert (await operation(client, as_role, output_op["id"]))["good"] == after["good"]
    assert (await client.get(f"/api/v1/serials/{serials[0]}",
                             headers=as_role("planner"))).json() == serial

    # The scan now offers the trace and no more reporting; plain quantity reports stay allowed.
    scanned = await client.get("/api/v1/scan", params={"code": serials[0]},
                               headers=as_role("operator"))
    assert scanned.json()["status"] == "produced"
    assert scanned.json()["actions"] == ["view_serial", "trace", "print_label"]
    assert (await report(client, as_role, output_op["id"], good=1)).status_code == 201
    assert (await _scan_serial(client, as_role, output_op["id"], serials[1])).status_code == 201
    # The order is complete now (3 reported); the third serial finds nothing left to report.
    full = await _scan_serial(client, as_role, output_op["id"], serials[2])
    assert full.status_code == 409, full.text
    assert (await client.get(f"/api/v1/serials/{serials[2]}",
                             headers=as_role("planner"))).json()["status"] == "generated"
    assert await verify() == []


async def test_a_serial_is_refused_on_another_order_and_before_the_output_step(client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 2)
    other = await released(client, as_role, "FG-SENS-300", 2)
    mine = (await _serials(client, as_role, wo["code"], 1))[0]
    theirs = (await _serials(client, as_role, other["code"], 1))[0]
    output_op = await _up_to_the_output_step(client, as_role, wo, 2)
    reports = await _reports(client, as_role, output_op["id"])

    foreign = await _scan_serial(client, as_role, output_op["id"], theirs)
    assert foreign.status_code == 409, foreign.text
    assert foreign.json()["code"] == "serial.other_work_order"
    assert f"belongs to work order {other['code']}, not to {wo['code']}" in \
        foreign.json()["detail"]
    first_op = wo["operations"][0]
    early = await _scan_serial(client, as_role, first_op["id"], mine)
    assert early.status_code == 409, early.text
    assert early.json()["code"] == "serial.not_output_step"
    assert output_op["code"] in early.json()["detail"]
    unknown = await _scan_serial(client, as_role, output_op["id"], "SN-1999-000001")
    assert unknown.status_code == 422 and unknown.json()["code"] == "reference.unknown"
    assert (await _scan_serial(client, as_role, 999999, mine)).status_code == 404

    assert await _reports(client, as_role, output_op["id"]) == reports
    for code in (mine, theirs):
        serial = (await client.get(f"/api/v1/serials/{code}", headers=as_role("planner"))).json()
        assert serial["status"] == "generated" and serial["operation_code"] is None
    assert (await client.get("/api/v1/serials/SN-1999-000001",
                             headers=as_role("planner"))).status_code == 404


async def test_a_replayed_key_returns_the_first_answer_and_reports_once(client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 2)
    serial = (await _serials(client, as_role, wo["code"], 1))[0]
    output_op = await _up_to_the_output_step(client, as_role, wo, 2)
    same_key = key()
    first = await _scan_serial(client, as_role, output_op["id"], serial, headers=same_key)
    assert first.status_code == 201, first.text
    replay = await _scan_serial(client, as_role, output_op["id"], serial, headers=same_key)
    assert replay.status_code == 201, replay.text
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == first.json()
    assert len(await _reports(client, as_role, output_op["id"])) == 1
    assert (await operation(client, as_role, output_op["id"]))["good"] == "1"


async def test_trace_by_serial_is_its_output_lots_trace_with_the_serial_on_top(client, as_role):
    # Two pumps; op 10 backflushes grease from the line, so its lot goes into the output lot.
    wo = await released(client, as_role, "FG-PUMP-100", 2)
    grease = (await receive(client, as_role, item_code="RM-GREASE", quantity="1",
                            location_code="RM-A-02-01", supplier_lot="TRACE-1"))["lot_code"]
    issued = await move(client, as_role, kind="issue", item_code="RM-GREASE", lot_code=grease,
                        from_location_code="RM-A-02-01", to_location_code=WIP, quantity="0.5",
                        work_order_code=wo["code"])
    assert issued.status_code == 201, issued.text
    serials = await _serials(client, as_role, wo["code"], 2)
    not_yet = await client.get(f"/api/v1/serials/{serials[0]}/trace", headers=as_role("planner"))
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "serial.no_lot"

    output_op = await _up_to_the_output_step(client, as_role, wo, 2)
    assert output_op["seq"] == 60  # label and pack; leak test (40) held and was released
    scanned = await _scan_serial(client, as_role, output_op["id"], serials[0])
    assert scanned.status_code == 201, scanned.text
    lot_code = scanned.json()["serial"]["lot_code"]

    traced = await client.get(f"/api/v1/serials/{serials[0]}/trace", headers=as_role("planner"))
    assert traced.status_code == 200, traced.text
    tree = traced.json()
    assert tree["serial"]["code"] == serials[0] and tree["direction"] == "backward"
    by_lot = await client.get(f"/api/v1/lots/{lot_code}/trace", headers=as_role("planner"))
    assert tree["trace"] == by_lot.json()
    assert tree["trace"]["lot_code"] == lot_code
    assert grease in [child["lot_code"] for child in tree["trace"]["children"]]
    forward = await client.get(f"/api/v1/serials/{serials[0]}/trace",
                               params={"direction": "forward"}, headers=as_role("planner"))
    assert forward.status_code == 200 and forward.json()["trace"]["children"] == []
    bad = await client.get(f"/api/v1/serials/{serials[0]}/trace",
                           params={"direction": "sideways"}, headers=as_role("planner"))
    assert bad.status_code == 400
    assert await verify() == []


async def _void(client, as_role, report_id: int):
    return await command(client, as_role, "supervisor", f"/api/v1/reports/{report_id}/void",
                         {"reason": "the unit was not finished"})


async def test_voiding_a_serials_report_makes_the_serial_reportable_again(client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 2)
    serials = await _serials(client, as_role, wo["code"], 2)
    output_op = await _up_to_the_output_step(client, as_role, wo, 2)
    scanned = await _scan_serial(client, as_role, output_op["id"], serials[0])
    assert scanned.status_code == 201, scanned.text
    generated = (await client.get(f"/api/v1/serials/{serials[1]}",
                                  headers=as_role("planner"))).json()

    voided = await _void(client, as_role, scanned.json()["report"]["id"])
    assert voided.status_code == 200, voided.text
    # Back as it was before the scan: generated, in no lot, at no operation, by nobody.
    serial = (await client.get(f"/api/v1/serials/{serials[0]}",
                               headers=as_role("planner"))).json()
    assert (serial["status"], serial["lot_code"], serial["operation_id"],
            serial["operation_code"], serial["produced_at"], serial["produced_by"]) == (
        "generated", None, None, None, None, None)
    assert {k: v for k, v in serial.items() if k != "code"} == {
        k: v for k, v in generated.items() if k != "code"}
    trace = await client.get(f"/api/v1/serials/{serials[0]}/trace", headers=as_role("planner"))
    assert trace.status_code == 409 and trace.json()["code"] == "serial.no_lot"
    assert "not been produced yet" in trace.json()["detail"]
    audit = await AuditEntry.select(AuditEntry.before, AuditEntry.after).where(
        AuditEntry.action == "serial.unproduce", AuditEntry.entity_code == serials[0]).first()
    audit = {name: msgspec.json.decode(value) if isinstance(value, str) else value
             for name, value in audit.items()}
    assert audit["before"]["status"] == "produced"
    assert audit["after"] == {"status": "generated", "void": voided.json()["id"]}
    assert Decimal((await order(client, as_role, wo["code"]))["good"]) == 0

    # The label offers reporting again, and scanning it reports the unit once more.
    offered = await client.get("/api/v1/scan", params={"code": serials[0]},
                               headers=as_role("operator"))
    assert "report_output" in offered.json()["actions"]
    again = await _scan_serial(client, as_role, output_op["id"], serials[0])
    assert again.status_code == 201, again.text
    assert again.json()["serial"]["status"] == "produced"
    assert Decimal((await order(client, as_role, wo["code"]))["good"]) == 1
    # A plain quantity report voided leaves the serials alone.
    plain = await report(client, as_role, output_op["id"], good=1)
    assert (await _void(client, as_role, plain.json()["id"])).status_code == 200
    assert (await client.get(f"/api/v1/serials/{serials[0]}",
                             headers=as_role("planner"))).json()["status"] == "produced"
    assert await verify() == []


async def test_a_serial_produced_before_reports_were_recorded_is_found_by_its_note(client,
                                                                                    as_role):
    wo = await released(client, as_role, "FG-SENS-300", 1)
    serial = (await _serials(client, as_role, wo["code"], 1))[0]
    output_op = await _up_to_the_output_step(client, as_role, wo, 1)
    scanned = await _scan_serial(client, as_role, output_op["id"], serial)
    assert scanned.status_code == 201, scanned.text
    await SerialNumber.update({SerialNumber.work_report_id: None}).where(
        SerialNumber.code == serial)
    assert (await _void(client, as_role, scanned.json()["report"]["id"])).status_code == 200
    assert (await client.get(f"/api/v1/serials/{serial}",
                             headers=as_role("planner"))).json()["status"] == "generated"


async def test_two_scans_of_one_serial_at_once_report_one_unit(service_db):
    # Each in its own transaction: the second waits for the order (SQLite: the writer lock;
    # PostgreSQL: the row lock report_work takes) and is refused, its report rolled back.
    wo = await released_order("FG-SENS-300", 2)
    actor = Actor(user_id=service_db["operator"], username="operator",
                  roles=frozenset({"operator"}))
    planner = Actor(user_id=service_db["planner"], username="planner",
                    roles=frozenset({"planner"}))
    generated = await run_command(
        planner, lambda uow: production_serials.generate_for_work_order(
            uow, wo.code, production_serials.SerialsIn(count=1)),
        idempotency_key=str(uuid.uuid4()), fingerprint="generate", status_code=201)
    serial = msgspec.json.decode(generated.body)["generated"][0]["code"]
    from takt.production import reporting
    from takt.production import schemas as s
    for op in wo.operations[:-1]:
        await run_command(actor, lambda uow, op_id=op.id: reporting.report_work(
            uow, op_id, s.ReportIn(good=Decimal(2))), idempotency_key=None,
            fingerprint="plain", status_code=201)
    output_id = wo.operations[-1].id

    async def scan() -> str:
        data = production_serials.SerialReportIn(serial=serial)
        try:
            await run_command(actor, lambda uow: production_serials.report_by_serial(
                uow, output_id, data), idempotency_key=str(uuid.uuid4()),
                fingerprint=f"scan-{uuid.uuid4()}", status_code=201)
        except Conflict as exc:
            return exc.code
        return "reported"

    outcomes = await asyncio.gather(scan(), scan(), scan())
    assert sorted(outcomes) == ["reported", "serial.already_produced",
                                "serial.already_produced"]
    op = await Operation.select(Operation.good).where(Operation.id == output_id).first()
    rows = await WorkReport.select(WorkReport.good).where(WorkReport.operation == output_id)
    assert Decimal(str(op["good"])) == 1 and len(rows) == 1


async def test_a_shipment_of_a_serial_tracked_item_names_each_unit_and_ships_it_once(
        client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 3)
    serials = await _serials(client, as_role, wo["code"], 3)
    output_op = await _up_to_the_output_step(client, as_role, wo, 3)
    for code in serials[:2]:
        assert (await _scan_serial(client, as_role, output_op["id"], code)).status_code == 201
    lot_code = (await client.get(f"/api/v1/serials/{serials[0]}",
                                 headers=as_role("planner"))).json()["lot_code"]
    lot = (await client.get(f"/api/v1/lots/{lot_code}", headers=as_role("planner"))).json()
    put_away = await move(client, as_role, kind="finished_goods", item_code="FG-SENS-300",
                          lot_code=lot_code, from_location_code=lot["stock"][0]["location_code"],
                          to_location_code="FG-01-01", quantity="2")
    assert put_away.status_code == 201, put_away.text

    async def ship(*codes: str, quantity: int = 2, item: str = "FG-SENS-300"):
        line = {"item_code": item, "lot_code": lot_code, "from_location_code": "FG-01-01",
                "quantity": quantity, "serials": list(codes)}
        return await client.post("/api/v1/shipments", headers=as_role("operator", **key()),
                                 json={"customer_order_ref": "PO-SN-1", "lines": [line]})

    def status(code: str):
        return client.get(f"/api/v1/serials/{code}", headers=as_role("planner"))

    # One serial a unit, each produced into the lot shipped; anything else ships nothing.
    short = await ship(serials[0])
    assert short.status_code == 422 and short.json()["code"] == "shipment.serials_mismatch"
    assert "scan one serial per unit (2 PCS to ship, 1 serial named)" in short.json()["detail"]
    twice = await ship(serials[0], serials[0].lower())
    assert twice.status_code == 422 and twice.json()["code"] == "shipment.serial_twice"
    unmade = await ship(serials[0], serials[2])
    assert unmade.status_code == 409 and unmade.json()["code"] == "serial.not_shippable"
    assert f"serial {serials[2]} is not produced yet" in unmade.json()["detail"]
    assert (await status(serials[0])).json()["status"] == "produced"
    assert await at(client, as_role, "FG-01-01", lot_code) == 2

    shipped = await ship(serials[1], serials[0])
    assert shipped.status_code == 201, shipped.text
    assert shipped.json()["lines"][0]["serials"] == sorted(serials[:2])
    read = await client.get(f"/api/v1/shipments/{shipped.json()['code']}",
                            headers=as_role("planner"))
    assert read.json()["lines"][0]["serials"] == sorted(serials[:2])
    assert [(await status(code)).json()["status"] for code in serials] == [
        "shipped", "shipped", "generated"]
    assert await at(client, as_role, "FG-01-01", lot_code) == 0

    # A unit that left cannot be produced again, and an item without serials names none.
    again = await _scan_serial(client, as_role, output_op["id"], serials[0])
    assert again.status_code == 409 and "already shipped" in again.json()["detail"]
    fans = await client.post("/api/v1/shipments", headers=as_role("operator", **key()), json={
        "customer_order_ref": "PO-SN-2", "lines": [{
            "item_code": "FG-FAN-200", "from_location_code": "FG-01-01", "quantity": 1,
            "serials": [serials[2]]}]})
    assert fans.status_code == 422, fans.text
    assert fans.json()["code"] == "shipment.serials_not_tracked"
    assert await verify() == []
