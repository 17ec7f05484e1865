"""Lots: release and block by inspectors and supervisors, guarded transitions, lists, trace,
the LOT label and what scanning it offers."""

from __future__ import annotations

import io
from decimal import Decimal

import zxingcpp
from PIL import Image

from takt.inventory.ledger import create_lot, link_lots, post_movement
from takt.inventory.tables import Lot
from takt.masterdata.tables import Item, Location
from takt.platform.commands import Actor, execute
from takt.platform.tables import AuditEntry
from tests.api.inventory import key, move, receive


async def _pending(client, as_role) -> dict:
    return await receive(client, as_role, item_code="RM-HOUS-P100", quantity=30,
                         location_code="RM-DOCK", supplier_code="SUP-ALUCAST",
                         supplier_lot="AC-T-1")


async def _command(client, as_role, role: str, path: str, body=None):
    return await client.post(path, json=body, headers=as_role(role, **key()))


async def test_release_and_block_follow_the_quality_status_and_are_audited(client, as_role):
    lot = (await _pending(client, as_role))["lot_code"]
    block_path, release_path = f"/api/v1/lots/{lot}/block", f"/api/v1/lots/{lot}/release"
    no_reason = await _command(client, as_role, "inspector", block_path, {})
    assert (no_reason.status_code, no_reason.json()["code"]) == (
        422, "lot.block_reason_required")
    wrong_kind = await _command(client, as_role, "inspector", block_path,
                                {"reason_code": "SCR-DIM"})
    assert wrong_kind.json()["code"] == "reason.wrong_kind"
    blocked = await _command(client, as_role, "inspector", block_path,
                             {"note": "porosity on the flange"})
    assert blocked.status_code == 200
    assert (blocked.json()["quality_status"], blocked.json()["hold_note"]) == (
        "blocked", "porosity on the flange")
    twice = await _command(client, as_role, "supervisor", block_path, {"note": "again"})
    assert (twice.status_code, twice.json()["code"], twice.json()["quality_status"]) == (
        409, "lot.bad_status", "blocked")
    assert "already blocked" in twice.json()["detail"]
    released = await _command(client, as_role, "supervisor", release_path)
    assert released.status_code == 200
    assert (released.json()["quality_status"], released.json()["hold_note"]) == ("released", "")
    again = await _command(client, as_role, "inspector", release_path)
    assert (again.status_code, again.json()["code"]) == (409, "lot.bad_status")
    assert "already released" in again.json()["detail"]
    actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action).where(
        AuditEntry.entity_code == lot).order_by(AuditEntry.id)]
    assert actions == ["lot.create", "lot.block", "lot.release"]
    lot_row = await Lot.select(Lot.version).where(Lot.code == lot).first()
    assert lot_row["version"] == 3


async def test_only_inspectors_and_supervisors_release_or_block(client, as_role):
    lot = (await _pending(client, as_role))["lot_code"]
    for role in ("operator", "planner", "maintainer", "admin"):
        response = await _command(client, as_role, role, f"/api/v1/lots/{lot}/release")
        assert response.status_code == 403, role
        response = await _command(client, as_role, role, f"/api/v1/lots/{lot}/block",
                                  {"note": "x"})
        assert response.status_code == 403, role
    missing = await _command(client, as_role, "inspector", "/api/v1/lots/LOT-1999-00001/release")
    assert (missing.status_code, missing.json()["code"]) == (404, "lot.not_found")


async def test_the_inspectors_worklist_is_the_pending_lots(client, as_role):
    mine = (await _pending(client, as_role))["lot_code"]
    page = (await client.get("/api/v1/lots", params={"quality_status": "pending"},
                             headers=as_role("inspector"))).json()
    codes = [row["code"] for row in page["data"]]
    assert codes[0] == mine and page["total"] == len(codes) >= 2  # the demo has one too
    assert {row["quality_status"] for row in page["data"]} == {"pending"}
    by_supplier_lot = (await client.get("/api/v1/lots", params={"q": "AC-T-1"},
                                        headers=as_role("inspector"))).json()
    assert [row["code"] for row in by_supplier_lot["data"]] == [mine]


async def test_lot_label_prints_and_scans_back_with_actions_by_state_and_role(client, as_role):
    lot = (await _pending(client, as_role))["lot_code"]
    png = await client.get(f"/api/v1/labels/LOT/{lot}", headers=as_role("operator"))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [d.text for d in decoded] == [f"HTTP://TAKT.TEST:8000/S/LOT/{lot}"]
    zpl = (await client.get(f"/api/v1/labels/lot/{lot}", params={"format": "zpl"},
                            headers=as_role("supervisor"))).text
    assert "RM-HOUS-P100" in zpl and "30 PCS" in zpl and "AC-T-1" in zpl
    assert "Awaiting inspection" in zpl  # the status in words, not "pending"

    async def scan(role: str, text: str) -> dict:
        response = await client.get("/api/v1/scan", params={"code": text},
                                    headers=as_role(role))
        assert response.status_code == 200, response.text
        return response.json()

    pending = await scan("inspector", decoded[0].text)
    assert (pending["kind"], pending["code"], pending["status"]) == ("LOT", lot, "pending")
    assert pending["actions"] == ["view_lot", "trace", "release", "block"]
    operator = await scan("operator", lot.lower())  # a bare code finds the lot too
    assert operator["kind"] == "LOT"
    assert "issue_to_line" not in operator["actions"] and "return" in operator["actions"]
    await _command(client, as_role, "inspector", f"/api/v1/lots/{lot}/release")
    released = await scan("operator", decoded[0].text)
    assert released["actions"] == ["view_lot", "trace", "issue_to_line", "return", "transfer",
                                   "scrap", "print_label"]
    assert (await scan("supervisor", decoded[0].text))["actions"] == [
        "view_lot", "trace", "block", "issue_to_line", "return", "transfer", "scrap",
        "print_label"]


async def test_a_supplier_label_names_the_received_lot_before_the_item(client, as_role):
    text = "(01)09506000131016(10)AC-T-1"
    before = (await client.get("/api/v1/scan", params={"code": text},
                               headers=as_role("operator"))).json()
    assert before["kind"] == "ITEM"  # nothing of that batch received yet
    lot = (await _pending(client, as_role))["lot_code"]
    after = (await client.get("/api/v1/scan", params={"code": text},
                              headers=as_role("operator"))).json()
    assert (after["kind"], after["code"], after["gs1"]["batch"]) == ("LOT", lot, "AC-T-1")
    other_batch = (await client.get("/api/v1/scan", params={"code": "(01)09506000131016(10)Z"},
                                    headers=as_role("operator"))).json()
    assert other_batch["kind"] == "ITEM"


async def test_a_received_lot_traces_to_itself_with_its_receipt(client, as_role):
    body = await _pending(client, as_role)
    tree = (await client.get(f"/api/v1/lots/{body['lot_code']}/trace",
                             headers=as_role("planner"))).json()
    assert (tree["lot_code"], tree["item_code"], tree["supplier_code"], tree["supplier_lot"],
            tree["children"], tree["quantity"]) == (
        body["lot_code"], "RM-HOUS-P100", "SUP-ALUCAST", "AC-T-1", [], None)
    assert tree["receipt"]["code"] == body["code"] and tree["receipt"]["quantity"] == "30"
    bad = await client.get(f"/api/v1/lots/{body['lot_code']}/trace",
                           params={"direction": "sideways"}, headers=as_role("planner"))
    assert bad.status_code == 400


async def test_trace_backward_from_a_finished_lot_and_forward_from_a_supplier_lot(
        client, as_role):
    """Production will record genealogy with create_lot, post_movement and link_lots; here
    the same calls stand in for a work order that consumed two component lots."""
    housing = (await _pending(client, as_role))["lot_code"]
    await _command(client, as_role, "inspector", f"/api/v1/lots/{housing}/release")
    grease = (await receive(client, as_role, item_code="RM-GREASE", quantity=2,
                            location_code="RM-A-02-01", supplier_lot="LX-G"))["lot_code"]
    for lot, item, frm in ((housing, "RM-HOUS-P100", "RM-DOCK"),
                           (grease, "RM-GREASE", "RM-A-02-01")):
        response = await move(client, as_role, kind="issue", item_code=item, lot_code=lot,
                              from_location_code=frm, to_location_code="WIP-L1",
                              quantity=2, work_order_code="WO-2026-00099")
        assert response.status_code == 201, response.text
    ids = {row["code"]: row["id"] for row in await Lot.select(Lot.id, Lot.code)}
    items = {row["code"]: row["id"] for row in await Item.select(Item.id, Item.code)}
    wip = (await Location.select(Location.id).where(Location.code == "WIP-L1").first())["id"]

    async def produce(uow):
        made = await create_lot(uow, item_id=items["FG-PUMP-100"], origin="production",
                                work_order_code="WO-2026-00099", quantity=Decimal(2))
        await post_movement(uow, "produce", item_id=items["FG-PUMP-100"], lot_id=made.id,
                            quantity=Decimal(2), to_location_id=wip,
                            document_type="work_order", document_code="WO-2026-00099")
        for code, item, used in ((housing, "RM-HOUS-P100", "2"), (grease, "RM-GREASE", "0.1")):
            await post_movement(uow, "consume", item_id=items[item], lot_id=ids[code],
                                quantity=Decimal(used), from_location_id=wip,
                                document_type="work_order", document_code="WO-2026-00099")
            await link_lots(uow, parent_lot_id=ids[code], child_lot_id=made.id,
                            quantity=Decimal(used), document_type="work_order",
                            document_code="WO-2026-00099")
        return made.code

    finished = await execute(Actor.system(), produce)
    back = (await client.get(f"/api/v1/lots/{finished}/trace",
                             params={"direction": "backward"},
                             headers=as_role("supervisor"))).json()
    assert (back["item_code"], back["work_order_code"], back["origin"]) == (
        "FG-PUMP-100", "WO-2026-00099", "production")
    assert sorted((c["lot_code"], c["item_code"], c["quantity"], c["link"],
                   c["document_code"], c["receipt"] is not None) for c in back["children"]) \
        == sorted([(housing, "RM-HOUS-P100", "2", "consume", "WO-2026-00099", True),
                   (grease, "RM-GREASE", "0.1", "consume", "WO-2026-00099", True)])
    forward = (await client.get(f"/api/v1/lots/{housing}/trace",
                                params={"direction": "forward"},
                                headers=as_role("supervisor"))).json()
    assert [(c["lot_code"], c["item_code"], c["quantity"]) for c in forward["children"]] == [
        (finished, "FG-PUMP-100", "2")]
    assert forward["children"][0]["children"] == []
