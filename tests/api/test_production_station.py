"""The workstation's view of an operation: its scan-to-consume components with what was
consumed of each so far, and whether its output is reported by scanning serials there."""

from __future__ import annotations

from tests.api.inventory import move, receive
from tests.api.production import command, key, released
from tests.api.test_serials import _up_to_the_output_step


async def _station(client, as_role, op_id: int) -> dict:
    response = await client.get(f"/api/v1/operations/{op_id}/station",
                                headers=as_role("operator"))
    assert response.status_code == 200, response.text
    return response.json()


async def test_scanned_consumption_counts_against_the_components_requirement(client, as_role):
    wo = await released(client, as_role, "FG-SENS-300", 5)
    op = wo["operations"][0]
    before = await _station(client, as_role, op["id"])
    assert [(c["item_code"], c["required"], c["per_unit"], c["consumed"])
            for c in before["components"]] == [("RM-PCB-S300", "5", "1", "0")]
    lot = (await receive(client, as_role, item_code="RM-PCB-S300", quantity="10",
                         location_code="RM-A-01-02"))["lot_code"]
    assert (await command(client, as_role, "inspector",
                          f"/api/v1/lots/{lot}/release")).status_code == 200
    issued = await move(client, as_role, kind="issue", item_code="RM-PCB-S300", lot_code=lot,
                        from_location_code="RM-A-01-02", to_location_code="WIP-L1",
                        quantity="5", work_order_code=wo["code"])
    assert issued.status_code == 201, issued.text
    for quantity in (2, None):
        body = {"lot_code": lot} | ({"quantity": quantity} if quantity else {})
        consumed = await command(client, as_role, "operator",
                                 f"/api/v1/operations/{op['id']}/consume", body)
        assert consumed.status_code == 201, consumed.text
    after = await _station(client, as_role, op["id"])
    assert after["components"][0]["consumed"] == "3"
    # A step without scanned components lists none; the sensor's first step is no serial step.
    assert after["serial_step"] is False and after["serial_tracked"] is True
    assert (await _station(client, as_role, wo["operations"][1]["id"]))["components"] == []


async def test_the_last_output_step_of_a_serial_tracked_order_counts_its_serials(client,
                                                                               as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 3)
    generated = await client.post(f"/api/v1/work-orders/{wo['code']}/serials",
                                  json={"count": 3}, headers=as_role("planner", **key()))
    assert generated.status_code == 201, generated.text
    serial = generated.json()["generated"][0]["code"]
    last = await _up_to_the_output_step(client, as_role, wo, 3)
    view = await _station(client, as_role, last["id"])
    assert (view["serial_step"], view["serials_generated"], view["serials_reported"]) == (
        True, 3, 0)
    scanned = await command(client, as_role, "operator",
                            f"/api/v1/operations/{last['id']}/serials", {"serial": serial})
    assert scanned.status_code == 201, scanned.text
    assert (await _station(client, as_role, last["id"]))["serials_reported"] == 1


async def test_an_unknown_operation_has_no_station_view(client, as_role):
    response = await client.get("/api/v1/operations/999999/station", headers=as_role("operator"))
    assert response.status_code == 404
    assert response.json()["code"] == "operation.not_found"
