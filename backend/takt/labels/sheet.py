"""Labels on A4 or Letter sheets as a PDF, for office printers, with crop marks to cut by."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import msgspec
from PIL import Image, ImageDraw

from takt.labels.image import render_image
from takt.labels.template import LabelTemplate, LabelTemplateError, mm_to_dots
from takt.platform.i18n import Message

__all__ = ["PAGE_SIZES_MM", "SHEET_DPI", "render_pdf", "render_sheet_pages"]

#: Resolution of PDF sheets for office printers.
SHEET_DPI = 300

#: Page sizes for PDF sheets, width by height in millimetres.
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "LETTER": (215.9, 279.4),
}

_SHEET_MARGIN_MM = 5.0
_SHEET_GAP_MM = 4.0
_CROP_MARK_OFFSET_MM = 0.5
_CROP_MARK_LENGTH_MM = 1.2


def render_sheet_pages(
    labels: Sequence[tuple[LabelTemplate, Mapping[str, str], str]], page: str = "A4"
) -> list[Image.Image]:
    """Lay labels out on pages for an office printer, at :data:`SHEET_DPI`.

    Labels are placed left to right and top to bottom with 5 mm margins and gaps for
    cutting, marked with crop marks; each label is rendered again at 300 dpi so its QR
    modules stay whole dots.

    Args:
        labels: ``(template, fields, qr_text)`` per label, in print order.
        page: ``"A4"`` or ``"Letter"``.

    Returns:
        One 1-bit image per page.

    Raises:
        ValueError: There are no labels, or the page size is unknown.
        LabelTemplateError: A label is larger than the printable area, or its QR code does
            not fit.
    """
    size = PAGE_SIZES_MM.get(page.strip().upper()) if isinstance(page, str) else None
    if size is None:
        raise ValueError(f"There is no page size {page!r}; use 'A4' or 'Letter'.")
    if not labels:
        raise ValueError("There are no labels to print.")
    dpi = SHEET_DPI
    page_w, page_h = mm_to_dots(size[0], dpi), mm_to_dots(size[1], dpi)
    margin, gap = mm_to_dots(_SHEET_MARGIN_MM, dpi), mm_to_dots(_SHEET_GAP_MM, dpi)
    area_right, area_bottom = page_w - margin, page_h - margin

    pages: list[Image.Image] = []
    current: Image.Image | None = None
    x = y = row_h = 0
    for template, fields, qr_text in labels:
        sheet_template = msgspec.structs.replace(template, dpi=dpi)
        image = render_image(sheet_template, fields, qr_text)
        w, h = image.size
        if w > area_right - margin or h > area_bottom - margin:
            raise LabelTemplateError(Message(
                "The label {name!r} ({width:g} x {height:g} mm) is larger than the printable "
                "area of a {page} page.", name=template.name, width=template.width_mm,
                height=template.height_mm, page=page))
        if current is not None and x + w > area_right:  # next row
            x, y, row_h = margin, y + row_h + gap, 0
        if current is None or y + h > area_bottom:  # next page
            current = Image.new("1", (page_w, page_h), 1)
            current.info["dpi"] = (dpi, dpi)
            pages.append(current)
            x, y, row_h = margin, margin, 0
        current.paste(image, (x, y))
        _crop_marks(ImageDraw.Draw(current), x, y, w, h, dpi)
        x += w + gap
        row_h = max(row_h, h)
    return pages


def _crop_marks(draw: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int, dpi: int) -> None:
    off = mm_to_dots(_CROP_MARK_OFFSET_MM, dpi)
    length = mm_to_dots(_CROP_MARK_LENGTH_MM, dpi)
    for cx, dx in ((x, -1), (x + w - 1, 1)):
        for cy, dy in ((y, -1), (y + h - 1, 1)):
            # horizontal mark in line with the top/bottom edge, vertical in line with the side
            hx0, hx1 = sorted((cx + dx * off, cx + dx * (off + length)))
            vy0, vy1 = sorted((cy + dy * off, cy + dy * (off + length)))
            draw.line((hx0, cy, hx1, cy), fill=0)
            draw.line((cx, vy0, cx, vy1), fill=0)


def render_pdf(
    labels: Sequence[tuple[LabelTemplate, Mapping[str, str], str]], page: str = "A4"
) -> bytes:
    """Render labels on A4 or Letter pages as a PDF for office printers.

    Print at 100 % ("actual size"), not "fit to page", so that 30 mm stays 30 mm.

    Args:
        labels: ``(template, fields, qr_text)`` per label, in print order.
        page: ``"A4"`` or ``"Letter"``.

    Returns:
        PDF bytes, as many pages as the labels need, at 300 dpi.

    Raises:
        ValueError: There are no labels, or the page size is unknown.
        LabelTemplateError: A label does not fit on the page, or its QR code does not fit.
    """
    pages = render_sheet_pages(labels, page)
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=float(SHEET_DPI),
        title="Takt labels",
        creator="Takt",
    )
    return buffer.getvalue()
