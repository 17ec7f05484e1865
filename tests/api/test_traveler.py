"""The traveler: a PDF routing card whose every QR a scanner reads like the labels."""

from __future__ import annotations

import zxingcpp

from takt.production.traveler import traveler_pages
from takt.settings import get_settings


async def _released_order(client, as_role) -> dict:
    created = await client.post("/api/v1/work-orders", json={
        "item_code": "FG-PUMP-100", "quantity": 12}, headers=as_role("planner"))
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    released = await client.post(f"/api/v1/work-orders/{code}/release",
                                 headers=as_role("planner"))
    assert released.status_code == 200, released.text
    return (await client.get(f"/api/v1/work-orders/{code}", headers=as_role("operator"))).json()


async def test_the_traveler_carries_the_work_order_and_every_operation_as_a_full_qr(
        client, as_role):
    order = await _released_order(client, as_role)
    pages, _ = await traveler_pages(order["code"], get_settings())
    found = {b.text for page in pages for b in zxingcpp.read_barcodes(page)
             if b.format == zxingcpp.BarcodeFormat.QRCode}
    public = get_settings().public_url.upper()
    assert f"{public}/S/WO/{order['code']}" in found
    for op in order["operations"]:
        assert f"{public}/S/OP/{op['code']}" in found


async def test_the_traveler_is_a_pdf_anyone_may_print(client, as_role):
    order = await _released_order(client, as_role)
    answer = await client.get(f"/api/v1/work-orders/{order['code']}/traveler.pdf",
                              headers=as_role("operator"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


async def test_a_draft_order_has_no_traveler_yet(client, as_role):
    created = await client.post("/api/v1/work-orders", json={
        "item_code": "FG-PUMP-100", "quantity": 3}, headers=as_role("planner"))
    answer = await client.get(f"/api/v1/work-orders/{created.json()['code']}/traveler.pdf",
                              headers=as_role("planner"))
    assert answer.status_code == 404
    assert "release it first" in answer.json()["detail"]
