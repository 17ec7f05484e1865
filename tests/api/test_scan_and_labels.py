"""Scanning any label text lands on the record; every label kind renders a decodable QR."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

LABELS = [("LOC", "RM-A-01-01"), ("WS", "WS-101"), ("EQ", "EQ-LEAK-105"),
          ("ITEM", "RM-HOUS-P100"), ("U", "B-1001"), ("LOC", "WIP-L1")]


async def _first_code(client, headers, resource: str) -> str:
    return (await client.get(f"/api/v1/{resource}", params={"limit": 1},
                             headers=headers)).json()["data"][0]["code"]


@pytest.mark.parametrize(("kind", "code"), LABELS)
async def test_label_url_resolves_to_its_record(client, as_role, kind, code):
    if kind == "EQ":
        code = await _first_code(client, as_role("admin"), "equipment")
    url = f"HTTP://TAKT.TEST:8000/S/{kind}/{code}"
    response = await client.get("/api/v1/scan", params={"code": url}, headers=as_role("admin"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["kind"], body["code"]) == (kind, code)
    assert body["title"] and body["status"] and isinstance(body["id"], int)


async def test_lowercase_url_from_another_host_and_bare_codes_resolve(client, as_role):
    h = as_role("operator")
    lower = await client.get("/api/v1/scan", params={"code": "https://mes.example/s/ws/ws-102"},
                             headers=h)
    assert (lower.json()["kind"], lower.json()["code"]) == ("WS", "WS-102")
    bare = await client.get("/api/v1/scan", params={"code": "rm-a-01-01\r\n"}, headers=h)
    assert (bare.json()["kind"], bare.json()["code"]) == ("LOC", "RM-A-01-01")


async def test_actions_depend_on_the_users_roles(client, as_role):
    url = "HTTP://TAKT.TEST:8000/S/WS/WS-101"
    operator = (await client.get("/api/v1/scan", params={"code": url},
                                 headers=as_role("operator"))).json()["actions"]
    inspector = (await client.get("/api/v1/scan", params={"code": url},
                                  headers=as_role("inspector"))).json()["actions"]
    assert "start_work" in operator and "raise_andon" in operator
    assert "start_work" not in inspector


async def test_gs1_supplier_label_finds_the_item_and_keeps_batch_and_expiry(client, as_role):
    h = as_role("operator")
    element_string = "]C101095060001310161726063010SUPBATCH-7\x1d21SN42"
    body = (await client.get("/api/v1/scan", params={"code": element_string}, headers=h)).json()
    assert (body["kind"], body["code"]) == ("ITEM", "RM-HOUS-P100")
    assert body["gs1"] == {"gtin": "09506000131016", "batch": "SUPBATCH-7",
                           "expiry": "2026-06-30", "serial": "SN42"}
    assert "receive_lot" in body["actions"]
    link = "https://id.gs1.org/01/09506000131016/10/LOT9?17=270131"
    body = (await client.get("/api/v1/scan", params={"code": link}, headers=h)).json()
    assert body["code"] == "RM-HOUS-P100" and body["gs1"]["batch"] == "LOT9"


async def test_an_item_page_offers_receiving_only_for_bought_items_and_a_lot_only_by_lot(
        client, as_role):
    async def actions(code: str) -> list[str]:
        answer = await client.get("/api/v1/scan", params={"code": f"HTTP://X/S/ITEM/{code}"},
                                  headers=as_role("operator"))
        return answer.json()["actions"]

    # Kept by lot (castings, also inspected on arrival): a receipt makes a lot.
    assert "receive_lot" in await actions("RM-HOUS-P100")
    assert "receive" not in await actions("RM-HOUS-P100")
    # Screws are kept without lots: received by quantity, no lot.
    screws = await actions("RM-SCREW-M3X8")
    assert "receive" in screws and "receive_lot" not in screws
    # Made here (a route makes them): not received at the dock at all.
    for made in ("FG-PUMP-100", "SF-SHAFT-P100"):
        offered = await actions(made)
        assert "receive" not in offered and "receive_lot" not in offered
        assert "view_item" in offered


async def test_whoever_may_post_a_receipt_is_offered_receiving_on_the_item_page(client, as_role):
    # The buttons follow the receipt endpoint's guard: a supervisor receives at the dock too.
    for role, offered in (("operator", True), ("supervisor", True), ("admin", True),
                          ("planner", False), ("inspector", False), ("maintainer", False)):
        for code, action in (("RM-HOUS-P100", "receive_lot"), ("RM-SCREW-M3X8", "receive")):
            answer = await client.get("/api/v1/scan", params={"code": f"HTTP://X/S/ITEM/{code}"},
                                      headers=as_role(role))
            assert (action in answer.json()["actions"]) is offered, (role, code)


async def test_garbage_is_a_404_scan_unknown_and_a_bad_gs1_a_422(client, as_role):
    h = as_role("operator")
    unknown = await client.get("/api/v1/scan", params={"code": "NOT-A-THING"}, headers=h)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "scan.unknown"
    assert "NOT-A-THING" in unknown.json()["detail"]
    unknown_label = await client.get("/api/v1/scan",
                                     params={"code": "HTTP://X/S/LOC/NO-SUCH-BIN"}, headers=h)
    assert unknown_label.json()["code"] == "scan.unknown"
    bad_check_digit = await client.get("/api/v1/scan", params={"code": "(01)09506000131017"},
                                       headers=h)
    assert bad_check_digit.status_code == 422
    assert "check digit" in bad_check_digit.json()["detail"]


async def test_a_deactivated_record_scans_but_offers_no_actions(client, as_role):
    await client.delete("/api/v1/workstations/WS-103", headers=as_role("planner"))
    body = (await client.get("/api/v1/scan", params={"code": "WS-103"},
                             headers=as_role("operator"))).json()
    assert body["status"] == "inactive" and body["actions"] == []


def _decode(png: bytes) -> zxingcpp.Barcode:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0]


@pytest.mark.parametrize(("kind", "code"), LABELS)
async def test_every_label_kind_renders_png_that_decodes_to_its_url(client, as_role, kind, code):
    if kind == "EQ":
        code = await _first_code(client, as_role("admin"), "equipment")
    response = await client.get(f"/api/v1/labels/{kind.lower()}/{code}",
                                headers=as_role("supervisor"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    barcode = _decode(response.content)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode  # full QR, never Micro QR
    assert barcode.text == f"HTTP://TAKT.TEST:8000/S/{kind}/{code}"
    # ... and the decoded text scans back to the same record
    scanned = await client.get("/api/v1/scan", params={"code": barcode.text},
                               headers=as_role("admin"))
    assert scanned.json()["code"] == code


async def test_label_as_pdf_sheet_and_as_zpl(client, as_role):
    h = as_role("planner")
    pdf = await client.get("/api/v1/labels/LOC/RM-A-01-01", params={"format": "pdf"}, headers=h)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    zpl = await client.get("/api/v1/labels/WS/WS-101", params={"format": "zpl"}, headers=h)
    assert zpl.text.startswith("^XA") and "^BQN" in zpl.text
    assert "^FDQA,HTTP://TAKT.TEST:8000/S/WS/WS-101^FS" in zpl.text


async def test_a_label_prints_its_objects_status_words_as_the_app_says_them(client, as_role):
    from tests.api.inventory import receive
    from tests.api.production import released

    async def printed(kind: str, code: str) -> str:
        zpl = await client.get(f"/api/v1/labels/{kind}/{code}", params={"format": "zpl"},
                               headers=as_role("supervisor"))
        assert zpl.status_code == 200, zpl.text
        return zpl.text

    # A lot waiting for incoming inspection, not "pending" (an operation's pending differs).
    lot = (await receive(client, as_role, item_code="RM-PCB-S300", quantity="5",
                         location_code="RM-A-01-02"))["lot_code"]
    assert "^FDAwaiting inspection^FS" in await printed("LOT", lot)
    wo = await released(client, as_role, "FG-SENS-300", 5)
    assert "^FDReleased^FS" in await printed("WO", wo["code"])
    assert "^FDWaiting for parts^FS" in await printed("OP", wo["operations"][1]["code"])
    machine = await _first_code(client, as_role("admin"), "equipment")
    assert "^FDIn service^FS" in await printed("EQ", machine)


async def test_label_of_unknown_record_or_kind_is_a_clear_4xx(client, as_role):
    h = as_role("planner")
    missing = await client.get("/api/v1/labels/LOC/NOPE", headers=h)
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]
    bad_kind = await client.get("/api/v1/labels/XYZ/NOPE", headers=h)
    assert bad_kind.status_code == 422 and bad_kind.json()["code"] == "label.unknown_kind"
    bad_format = await client.get("/api/v1/labels/LOC/RM-A-01-01", params={"format": "gif"},
                                  headers=h)
    assert bad_format.status_code == 400
