"""Labels drawn as images: 1-bit PNG for thermal printers and screens, one pixel a dot."""

from __future__ import annotations

import io
from collections.abc import Mapping

from PIL import Image, ImageDraw

from takt.labels.qr import qr_layout
from takt.labels.template import (
    BoxElement,
    LabelTemplate,
    LineElement,
    QrElement,
    TextElement,
    mm_to_dots,
)
from takt.labels.text import fit_text, font_and_stroke

__all__ = ["render_image", "render_png"]

_BLACK = 0
_WHITE = 255


def render_image(template: LabelTemplate, fields: Mapping[str, str], qr_text: str) -> Image.Image:
    """Render a label as a 1-bit Pillow image at the template's resolution.

    Args:
        template: The label layout.
        fields: Field values by name (``code``, ``title``, ``kind``, ``status`` and extras).
        qr_text: The text the QR code encodes.

    Returns:
        A mode ``"1"`` image of ``width_dots`` x ``height_dots`` with ``info["dpi"]`` set.

    Raises:
        LabelTemplateError: The QR code does not fit at 4 dots a module.
    """
    dpi = template.dpi
    image = Image.new("L", (template.width_dots, template.height_dots), _WHITE)
    draw = ImageDraw.Draw(image)
    for el in template.elements:
        if isinstance(el, QrElement):
            _draw_qr(draw, el, dpi, qr_text)
        elif isinstance(el, TextElement):
            text = fit_text(el, fields, template)
            if text:
                font, stroke = font_and_stroke(mm_to_dots(el.height_mm, dpi), el.bold)
                draw.text(
                    (mm_to_dots(el.x_mm, dpi) + stroke, mm_to_dots(el.y_mm, dpi)),
                    text,
                    font=font,
                    fill=_BLACK,
                    anchor="la",
                    stroke_width=stroke,
                    stroke_fill=_BLACK,
                )
        elif isinstance(el, LineElement):
            x0, y0, x1, y1 = el.rect_dots(dpi)
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=_BLACK)
        elif isinstance(el, BoxElement):
            x, y, w, h = el.rect_dots(dpi)
            draw.rectangle((x, y, x + w - 1, y + h - 1), outline=_BLACK, width=el.line_dots(dpi))
    # Thermal printers print dots or no dots: threshold instead of dithering.
    mono = image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    mono.info["dpi"] = (dpi, dpi)
    return mono


def _draw_qr(draw: ImageDraw.ImageDraw, el: QrElement, dpi: int, qr_text: str) -> None:
    left, top, size = el.area_dots(dpi)
    layout = qr_layout(qr_text, size)
    m = layout.dots_per_module
    draw.rectangle((left, top, left + size - 1, top + size - 1), fill=_WHITE)
    ox, oy = left + layout.offset_dots, top + layout.offset_dots
    for r, row in enumerate(layout.matrix):
        c = 0
        n = len(row)
        while c < n:  # one rectangle per run of dark modules
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            draw.rectangle(
                (ox + start * m, oy + r * m, ox + c * m - 1, oy + (r + 1) * m - 1), fill=_BLACK
            )


def render_png(template: LabelTemplate, fields: Mapping[str, str], qr_text: str) -> bytes:
    """Render a label as a 1-bit PNG, one pixel per printer dot.

    Args:
        template: The label layout.
        fields: Field values by name (``code``, ``title``, ``kind``, ``status`` and extras);
            a text bound to a missing field renders empty.
        qr_text: The text the QR code encodes, an uppercase URL.

    Returns:
        PNG bytes of ``width_dots`` x ``height_dots`` pixels, with the dpi recorded.

    Raises:
        LabelTemplateError: The QR code does not fit at 4 dots a module.
    """
    image = render_image(template, fields, qr_text)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(template.dpi, template.dpi), optimize=True)
    return buffer.getvalue()
