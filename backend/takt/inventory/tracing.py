"""Traceability: a lot's genealogy, backward to the suppliers' receipts that went into it or
forward to what it went into, from the append-only lot links."""

from __future__ import annotations

from typing import Any, Literal

from takt.inventory import schemas as s
from takt.inventory.ledger import qty, six
from takt.inventory.tables import Lot, LotLink, Receipt
from takt.platform.errors import Invalid, NotFound
from takt.platform.i18n import Message

__all__ = ["TRACE_DEPTH", "trace_lot"]

TRACE_DEPTH = 25
"""How many levels a trace follows (a safety net against a cycle in bad data)."""


_TRACE_COLUMNS = (
    Lot.id, Lot.code, Lot.item.code.as_alias("item_code"), Lot.item.name.as_alias("item_name"),
    Lot.quality_status, Lot.origin, Lot.supplier.code.as_alias("supplier_code"),
    Lot.supplier_lot, Lot.expires_on, Lot.work_order_code,
)


def _net_links(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Genealogy links added up per pair of lots (kind and document): a voided report's
    reversing links (negative quantities) cancel what it linked, and a lot whose consumption
    was put back in full drops out. In the order each pair was first linked."""
    net: dict[tuple[Any, ...], dict[str, Any]] = {}
    for link in links:
        pair = (link["near"], link["far"], link["kind"], link["document_code"])
        if pair in net:
            net[pair]["quantity"] += six(link["quantity"])
        else:
            net[pair] = {**link, "quantity": six(link["quantity"])}
    return [link for link in net.values() if link["quantity"] > 0]


async def trace_lot(code: str, direction: Literal["backward", "forward"]) -> s.TraceNode:
    """The genealogy tree of a lot. ``backward``: the lots that went into it, down to the
    suppliers' receipts; ``forward``: the lots it went into (what a supplier lot reached).
    Each pair of lots appears once, with the net quantity of its links."""
    if direction not in ("backward", "forward"):
        raise Invalid(Message("direction is backward or forward."), code="trace.bad_direction",
                      field="direction")
    root = await Lot.select(*_TRACE_COLUMNS).where(Lot.code == code.upper()).first()
    if root is None:
        raise NotFound(Message("There is no lot {code}.", code=code.upper()), code="lot.not_found")
    lots: dict[int, dict[str, Any]] = {root["id"]: root}
    edges: dict[int, list[dict[str, Any]]] = {}
    level, seen, depth = [root["id"]], {root["id"]}, 0
    near, far = (LotLink.child, LotLink.parent) if direction == "backward" else (
        LotLink.parent, LotLink.child)
    while level and depth < TRACE_DEPTH:
        links = _net_links(await LotLink.select(
            near.as_alias("near"), far.as_alias("far"), LotLink.quantity, LotLink.kind,
            LotLink.document_code).where(near.is_in(level)).order_by(LotLink.id))
        following = []
        for link in links:
            edges.setdefault(link["near"], []).append(link)
            if link["far"] not in seen:
                seen.add(link["far"])
                following.append(link["far"])
        if following:
            for row in await Lot.select(*_TRACE_COLUMNS).where(Lot.id.is_in(following)):
                lots[row["id"]] = row
        level, depth = following, depth + 1
    receipts: dict[int, dict[str, Any]] = {}
    for row in await Receipt.select(Receipt.lot, Receipt.code, Receipt.po_reference,
                                    Receipt.quantity, Receipt.received_at).where(
            Receipt.lot.is_in(list(lots))):
        receipts.setdefault(row["lot"], row)

    def node(lot_id: int, link: dict[str, Any] | None, path: frozenset[int]) -> s.TraceNode:
        lot = lots[lot_id]
        receipt = receipts.get(lot_id)
        children = [node(edge["far"], edge, path | {edge["far"]})
                    for edge in edges.get(lot_id, []) if edge["far"] not in path
                    and edge["far"] in lots]
        return s.TraceNode(
            lot_code=lot["code"], item_code=lot["item_code"], item_name=lot["item_name"],
            quality_status=lot["quality_status"], origin=lot["origin"],
            supplier_code=lot["supplier_code"], supplier_lot=lot["supplier_lot"],
            expires_on=lot["expires_on"], work_order_code=lot["work_order_code"],
            receipt=s.TraceReceipt(code=receipt["code"], po_reference=receipt["po_reference"],
                                   quantity=qty(receipt["quantity"]),
                                   received_at=receipt["received_at"]) if receipt else None,
            quantity=qty(link["quantity"]) if link else None,
            link=link["kind"] if link else None,
            document_code=link["document_code"] if link else None, children=children)

    return node(root["id"], None, frozenset({root["id"]}))
