"""The traveler: a printable routing card that goes with a work order through the plant.

Page one starts with the work order's own label (its QR opens the order) and its facts; then
one row per operation with that operation's label, where to do it, the times, the
instructions and boxes to sign off good and scrap by hand. Labels are drawn by the same
templates as the printed labels (``labels/wo.json``, ``labels/op.json``), so a scanner reads
the traveler exactly as it reads a label.
"""

from __future__ import annotations

import io
import textwrap
from datetime import UTC, datetime
from typing import Any

from PIL import Image, ImageDraw

from takt.labels import label_image, text_font
from takt.platform.errors import NotFound
from takt.platform.i18n import Message
from takt.production.tables import Operation, WorkOrder
from takt.settings import Settings

__all__ = ["render_traveler", "traveler_pages"]

_A4_MM = (210.0, 297.0)
_MARGIN_MM = 12.0


def _dots(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _quantity(value: Any) -> str:
    text = f"{value:f}" if hasattr(value, "as_tuple") else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


async def _facts(code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    order = await WorkOrder.select(
        WorkOrder.id, WorkOrder.code, WorkOrder.quantity, WorkOrder.due_at, WorkOrder.priority,
        WorkOrder.customer_order_ref, WorkOrder.lot, WorkOrder.status,
        WorkOrder.item.code.as_alias("item_code"), WorkOrder.item.name.as_alias("item_name"),
        WorkOrder.item._.unit.code.as_alias("unit"), WorkOrder.route.code.as_alias("route_code"),
    ).where(WorkOrder.code == code).first()
    if order is None:
        raise NotFound(Message("There is no work order {code}.", code=code),
                       code="work_order.not_found")
    operations = await Operation.select(
        Operation.code, Operation.seq, Operation.name, Operation.setup_s, Operation.cycle_s,
        Operation.instructions, Operation.needs_inspection,
        Operation.workstation.code.as_alias("workstation"),
        Operation.workstation_type.code.as_alias("workstation_type"),
        Operation.scheduled_workstation.code.as_alias("scheduled_workstation"),
    ).where(Operation.work_order == order["id"]).order_by(Operation.seq)
    return order, operations


async def render_traveler(code: str, settings: Settings) -> bytes:
    """The traveler of a released work order as a PDF (A4, one or more pages)."""
    pages, dpi = await traveler_pages(code, settings)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


async def traveler_pages(code: str, settings: Settings) -> tuple[list[Image.Image], int]:
    """The traveler's pages as images at the label printer's resolution, and that dpi."""
    order, operations = await _facts(code)
    if not operations:
        raise NotFound(Message("Work order {code} has no operations yet: release it first.",
                               code=code),
                       code="traveler.not_released")
    wo_label, dpi = await label_image("WO", order["code"], settings)
    width, height = (_dots(mm, dpi) for mm in _A4_MM)
    margin = _dots(_MARGIN_MM, dpi)
    title, body, small = text_font(_dots(6, dpi), True), text_font(_dots(3.6, dpi)), \
        text_font(_dots(3, dpi))
    pages: list[Image.Image] = []

    def new_page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
        page = Image.new("L", (width, height), 255)
        pages.append(page)
        draw = ImageDraw.Draw(page)
        draw.text((margin, height - margin), f"{order['code']} · page {len(pages)} · printed "
                  f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", font=small, fill=0, anchor="ls")
        return page, draw

    page, draw = new_page()
    page.paste(wo_label.convert("L"), (margin, margin))
    x = margin + wo_label.width + _dots(6, dpi)
    y = margin
    draw.text((x, y), "TRAVELER", font=title, fill=0)
    y += _dots(9, dpi)
    due = order["due_at"].strftime("%Y-%m-%d %H:%M UTC") if order["due_at"] else "—"
    for line in (f"{order['item_code']} · {order['item_name']}",
                 f"Quantity: {_quantity(order['quantity'])} {order['unit']}",
                 f"Due: {due} · priority {order['priority']}",
                 f"Route: {order['route_code'] or '—'} · lot {order['lot'] or '—'}",
                 f"Customer order: {order['customer_order_ref'] or '—'}"):
        draw.text((x, y), line, font=body, fill=0)
        y += _dots(5.2, dpi)
    y = max(y, margin + wo_label.height) + _dots(6, dpi)

    for op in operations:
        op_label, _ = await label_image("OP", op["code"], settings)
        row_height = op_label.height + _dots(4, dpi)
        if y + row_height > height - margin - _dots(8, dpi):
            page, draw = new_page()
            y = margin
        draw.line((margin, y - _dots(2, dpi), width - margin, y - _dots(2, dpi)), fill=0,
                  width=max(1, _dots(0.3, dpi)))
        page.paste(op_label.convert("L"), (margin, y))
        tx = margin + op_label.width + _dots(5, dpi)
        place = op["scheduled_workstation"] or op["workstation"] or op["workstation_type"] or "—"
        draw.text((tx, y), f"{op['seq']}  {op['name']}", font=body, fill=0)
        lines = [f"At {place} · setup {_quantity(op['setup_s'])} s · "
                 f"{_quantity(op['cycle_s'])} s per unit"
                 + (" · in-process inspection" if op["needs_inspection"] else "")]
        lines += textwrap.wrap(op["instructions"] or "", 70)[:3]
        ty = y + _dots(5.2, dpi)
        for line in lines:
            draw.text((tx, ty), line, font=small, fill=0)
            ty += _dots(4.2, dpi)
        box_y = y + op_label.height - _dots(8, dpi)
        for i, caption in enumerate(("Good", "Scrap", "Operator / date")):
            bx = tx + i * _dots(40, dpi)
            draw.rectangle((bx, box_y, bx + _dots(36, dpi), box_y + _dots(8, dpi)), outline=0,
                           width=max(1, _dots(0.25, dpi)))
            draw.text((bx + _dots(1, dpi), box_y + _dots(0.8, dpi)), caption, font=small, fill=0)
        y += row_height + _dots(3, dpi)
    return pages, dpi
