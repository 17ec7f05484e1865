"""Labels as ZPL II programs for Zebra printers, drawn like the PNG dot for dot."""

from __future__ import annotations

from collections.abc import Mapping

from takt.labels.qr import qr_layout
from takt.labels.template import (
    BoxElement,
    LabelTemplate,
    LineElement,
    QrElement,
    TextElement,
    mm_to_dots,
)
from takt.labels.text import fit_text

__all__ = ["render_zpl"]

_ZPL_MAX_MAGNIFICATION = 10


def _zpl_field(text: str) -> str:
    """``^FH^FD<text>`` with ``^``, ``~``, ``_``, control and non-ASCII bytes as ``_XX`` hex.

    With ``^CI28`` the hex bytes are read as UTF-8.
    """
    out = []
    for byte in text.encode("utf-8"):
        if byte in (0x5E, 0x7E, 0x5F) or byte < 0x20 or byte > 0x7E:
            out.append(f"_{byte:02X}")
        else:
            out.append(chr(byte))
    return "^FH^FD" + "".join(out)


def render_zpl(template: LabelTemplate, fields: Mapping[str, str], qr_text: str) -> str:
    """Render a label as ZPL II for a Zebra printer of the template's resolution.

    The QR code is ``^BQN,2,<dots per module>`` with ``^FDQA,``: error correction Q,
    automatic input mode, modules of the same whole number of dots as the PNG (at most 10,
    the largest magnification ZPL has). Field data is hex-escaped with ``^FH`` so that ``^``
    and ``~`` in data cannot end the field or start a command.

    Args:
        template: The label layout; its dpi must match the printer's.
        fields: Field values by name; a missing field renders empty.
        qr_text: The text the QR code encodes.

    Returns:
        The ZPL program, from ``^XA`` to ``^XZ``.

    Raises:
        LabelTemplateError: The QR code does not fit at 4 dots a module.
    """
    dpi = template.dpi
    cmds = ["^XA", "^CI28", f"^PW{template.width_dots}", f"^LL{template.height_dots}", "^LH0,0"]
    for el in template.elements:
        if isinstance(el, QrElement):
            left, top, size = el.area_dots(dpi)
            layout = qr_layout(qr_text, size)
            mag = min(layout.dots_per_module, _ZPL_MAX_MAGNIFICATION)
            # Centre the symbol as the PNG does; ZPL draws no quiet zone of its own.
            inset = (size - layout.modules * mag) // 2
            cmds.append(
                f"^FO{left + inset},{top + inset}^BQN,2,{mag}{_zpl_field('QA,' + qr_text)}^FS"
            )
        elif isinstance(el, TextElement):
            text = fit_text(el, fields, template)
            if not text:
                continue
            h = mm_to_dots(el.height_mm, dpi)
            x, y = mm_to_dots(el.x_mm, dpi), mm_to_dots(el.y_mm, dpi)
            offsets = (0, max(1, dpi // 200)) if el.bold else (0,)
            for dx in offsets:  # bold: print twice, a dot or two apart
                cmds.append(f"^FO{x + dx},{y}^A0N,{h},{h}{_zpl_field(text)}^FS")
        elif isinstance(el, LineElement):
            x0, y0, x1, y1 = el.rect_dots(dpi)
            w, h = x1 - x0, y1 - y0
            cmds.append(f"^FO{x0},{y0}^GB{w},{h},{min(w, h)}^FS")
        elif isinstance(el, BoxElement):
            x, y, w, h = el.rect_dots(dpi)
            cmds.append(f"^FO{x},{y}^GB{w},{h},{el.line_dots(dpi)}^FS")
    cmds.append("^PQ1")
    cmds.append("^XZ")
    return "\n".join(cmds)
