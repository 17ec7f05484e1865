"""Taps that change what others rely on say why: a lot's release keeps the inspector's note
in its audit row and the lot's status history, and a machine goes down only with a downtime
reason code, kept in the audit row."""

from __future__ import annotations

from takt.platform.tables import AuditEntry
from tests.api.inventory import key, receive


async def _pending_lot(client, as_role) -> str:
    receipt = await receive(client, as_role, item_code="RM-HOUS-P100", quantity=12,
                            location_code="RM-DOCK", supplier_code="SUP-ALUCAST",
                            supplier_lot="CONF-1")
    return receipt["lot_code"]


async def test_a_release_keeps_the_inspectors_note_in_the_lots_history(client, as_role):
    lot = await _pending_lot(client, as_role)
    blocked = await client.post(f"/api/v1/lots/{lot}/block",
                                json={"reason_code": "HOLD-QA", "note": "burrs on 3 of 5"},
                                headers=as_role("inspector", **key()))
    assert blocked.status_code == 200, blocked.text
    # The screen shows the reason's name, not its code.
    assert blocked.json()["hold_reason_name"] == "Quality hold"
    assert blocked.json()["history"][-1]["reason_name"] == "Quality hold"
    released = await client.post(f"/api/v1/lots/{lot}/release",
                                 json={"note": "  reworked and measured, all good  "},
                                 headers=as_role("supervisor", **key()))
    assert released.status_code == 200, released.text
    body = released.json()
    # The lot itself no longer holds anything: the why of the release is in its history.
    assert (body["quality_status"], body["hold_reason"], body["hold_note"]) == (
        "released", "", "")
    history = [(h["action"], h["status"], h["by"], h["reason_code"], h["note"])
               for h in body["history"]]
    assert history == [
        ("create", "pending", "operator", "", ""),
        ("block", "blocked", "inspector", "HOLD-QA", "burrs on 3 of 5"),
        ("release", "released", "supervisor", "", "reworked and measured, all good"),
    ]
    read = (await client.get(f"/api/v1/lots/{lot}", headers=as_role("operator"))).json()
    assert [{**h, "at": None} for h in read["history"]] == [
        {**h, "at": None} for h in body["history"]]
    audit = await AuditEntry.select(AuditEntry.after).where(
        AuditEntry.entity_code == lot, AuditEntry.action == "lot.release").output(
        load_json=True).first()
    assert audit["after"]["hold_note"] == "reworked and measured, all good"


async def test_a_release_without_a_note_still_works_and_a_long_note_is_refused(client, as_role):
    lot = await _pending_lot(client, as_role)
    too_long = await client.post(f"/api/v1/lots/{lot}/release", json={"note": "x" * 501},
                                 headers=as_role("inspector", **key()))
    assert too_long.status_code == 400
    assert (await client.get(f"/api/v1/lots/{lot}", headers=as_role("inspector"))
            ).json()["quality_status"] == "pending"
    plain = await client.post(f"/api/v1/lots/{lot}/release",
                              headers=as_role("inspector", **key()))
    assert plain.status_code == 200
    assert plain.json()["history"][-1]["note"] == ""


async def test_setting_a_machine_down_needs_a_downtime_reason(client, as_role):
    path = "/api/v1/equipment/EQ-LATHE-201"
    maintainer = as_role("maintainer")
    bare = await client.patch(path, json={"status": "down"}, headers=maintainer)
    assert (bare.status_code, bare.json()["code"], bare.json()["field"]) == (
        422, "equipment.down_reason_required", "reason_code")
    assert bare.json()["detail"] == (
        "Say why EQ-LATHE-201 is down: choose a downtime reason code.")
    chinese = await client.patch(path, json={"status": "down"},
                                 headers={**maintainer, "Accept-Language": "zh-CN"})
    assert chinese.json()["detail"] == "请说明 EQ-LATHE-201 停机的原因：请选择停机原因代码。"
    scrap_reason = await client.patch(path, json={"status": "down", "reason_code": "SCR-DIM"},
                                      headers=maintainer)
    assert (scrap_reason.status_code, scrap_reason.json()["code"]) == (422, "reason.wrong_kind")
    assert (await client.get(path, headers=maintainer)).json()["status"] == "in_service"

    down = await client.patch(path, json={"status": "down", "reason_code": "dt-breakdown",
                                          "note": "spindle bearing noise"}, headers=maintainer)
    assert down.status_code == 200, down.text
    assert down.json()["status"] == "down" and "reason_code" not in down.json()
    audit = await AuditEntry.select(AuditEntry.before, AuditEntry.after).where(
        AuditEntry.entity_code == "EQ-LATHE-201", AuditEntry.action == "equipment.update",
    ).order_by(AuditEntry.id, ascending=False).output(load_json=True).first()
    assert audit["before"]["status"] == "in_service"
    assert (audit["after"]["status"], audit["after"]["reason_code"], audit["after"]["note"]) == (
        "down", "DT-BREAKDOWN", "spindle bearing noise")

    # Already down, or back in service: no reason is asked.
    again = await client.patch(path, json={"status": "down", "model": "NLX 2500"},
                               headers=maintainer)
    assert again.status_code == 200
    back = await client.patch(path, json={"status": "in_service"}, headers=maintainer)
    assert back.json()["status"] == "in_service"


async def test_a_refusal_by_role_names_the_roles_in_the_readers_language(client, as_role):
    lot = await _pending_lot(client, as_role)
    path = f"/api/v1/lots/{lot}/release"
    english = await client.post(path, headers=as_role("operator", **key()))
    assert english.status_code == 403
    assert english.json()["detail"] == (
        "This needs one of the roles inspector, supervisor; you have operator.")
    chinese = await client.post(path, headers=as_role("operator", **key(),
                                                      **{"Accept-Language": "zh-CN"}))
    assert chinese.json()["detail"] == (
        "此操作需要以下角色之一：检验员、车间主管；您的角色：操作工。")
