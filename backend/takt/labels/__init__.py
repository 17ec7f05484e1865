"""Labels: templates as data, rendered as PNG, PDF sheets or ZPL, and sent to printers.

Every physical thing that matters carries a label whose QR code encodes the uppercase URL
``<PUBLIC_URL>/S/<KIND>/<CODE>``. The rooms:

* :mod:`~takt.labels.template`: the template Structs (``labels/<kind>.json``), their
  constraints and checks; :mod:`~takt.labels.refusals` words what msgspec refused.
* :mod:`~takt.labels.qr`: full QR, level Q, whole printer dots a module (at least 4).
* :mod:`~takt.labels.text`: the font, and text cut to fit.
* :mod:`~takt.labels.words`: the words a label prints for a record's status, per object.
* :mod:`~takt.labels.image` (PNG), :mod:`~takt.labels.sheet` (PDF sheets),
  :mod:`~takt.labels.zpl` (Zebra printers), :mod:`~takt.labels.printer` (raw port 9100).
* :mod:`~takt.labels.services`: a record's label by kind and code, for the API, the CLI and
  documents such as the traveler; no HTTP.
* :mod:`~takt.labels.api`: the Litestar controller, imported only by ``takt.app``.
"""

from __future__ import annotations

from takt.labels.image import render_image, render_png
from takt.labels.printer import PrinterError, send_to_printer
from takt.labels.qr import MIN_DOTS_PER_MODULE, QUIET_ZONE_MODULES, QrLayout, qr_layout
from takt.labels.services import (
    LabelFormat,
    RenderedLabel,
    label_image,
    print_labels,
    render_label,
    render_labels,
)
from takt.labels.sheet import PAGE_SIZES_MM, SHEET_DPI, render_pdf, render_sheet_pages
from takt.labels.template import (
    KINDS,
    BoxElement,
    Element,
    LabelTemplate,
    LabelTemplateError,
    LineElement,
    QrElement,
    TextElement,
    load_template,
    mm_to_dots,
)
from takt.labels.text import text_font
from takt.labels.zpl import render_zpl

__all__ = [
    "KINDS",
    "MIN_DOTS_PER_MODULE",
    "PAGE_SIZES_MM",
    "QUIET_ZONE_MODULES",
    "SHEET_DPI",
    "BoxElement",
    "Element",
    "LabelFormat",
    "LabelTemplate",
    "LabelTemplateError",
    "LineElement",
    "PrinterError",
    "QrElement",
    "QrLayout",
    "RenderedLabel",
    "TextElement",
    "label_image",
    "load_template",
    "mm_to_dots",
    "print_labels",
    "qr_layout",
    "render_image",
    "render_label",
    "render_labels",
    "render_pdf",
    "render_png",
    "render_sheet_pages",
    "render_zpl",
    "send_to_printer",
    "text_font",
]
