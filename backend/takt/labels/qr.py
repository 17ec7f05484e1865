"""QR codes on labels: full QR (never Micro QR), error correction Q, whole dots a module.

Rules kept here (see DESIGN.md, "Labels"):

* QR codes are full QR, error correction level Q, with a quiet zone of 4 modules.
* Every module is a whole number of printer dots, at least 4 dots. If the data does not fit
  in the template's QR area at 4 dots a module, rendering fails with
  :class:`~takt.labels.template.LabelTemplateError` instead of printing a code a scanner
  cannot read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import qrcode
import qrcode.constants
import qrcode.exceptions

from takt.labels.template import LabelTemplateError
from takt.platform.i18n import Message

__all__ = ["MIN_DOTS_PER_MODULE", "QUIET_ZONE_MODULES", "QrLayout", "qr_layout"]

#: A QR module is never smaller than this many printer dots.
MIN_DOTS_PER_MODULE = 4

#: Light modules around the symbol, as the QR standard asks.
QUIET_ZONE_MODULES = 4


@dataclass(frozen=True)
class QrLayout:
    """How a QR code is drawn in its area.

    Attributes:
        matrix: Rows of modules, ``True`` for dark; no quiet zone.
        modules: Modules on a side (21 for version 1, +4 per version).
        dots_per_module: Printer dots on a module's side (at least 4).
        offset_dots: From the area's top left corner to the first module, on each axis:
            the quiet zone plus centring.
    """

    matrix: tuple[tuple[bool, ...], ...]
    modules: int
    dots_per_module: int
    offset_dots: int

    @property
    def version(self) -> int:
        """QR version, 1 to 40."""
        return (self.modules - 17) // 4

    @property
    def symbol_dots(self) -> int:
        """Side of the symbol without quiet zone, in dots."""
        return self.modules * self.dots_per_module


@functools.lru_cache(maxsize=256)
def _qr_matrix(qr_text: str) -> tuple[tuple[bool, ...], ...]:
    qr = qrcode.QRCode(
        version=None,
        error_correction=qrcode.constants.ERROR_CORRECT_Q,
        box_size=1,
        border=0,
    )
    qr.add_data(qr_text)
    try:
        qr.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError):
        raise LabelTemplateError(Message(
            "The text to encode is {count} characters, more than any QR code holds at error "
            "correction level Q.", count=len(qr_text))) from None
    return tuple(tuple(bool(cell) for cell in row) for row in qr.get_matrix())


def qr_layout(qr_text: str, size_dots: int) -> QrLayout:
    """Fit a full QR code (level Q) for ``qr_text`` into a square of ``size_dots``.

    Each module gets ``size_dots // (modules + 8)`` dots, so that the symbol and its 4-module
    quiet zone fit; the symbol is centred in the square.

    Args:
        qr_text: The text to encode.
        size_dots: Side of the square area in printer dots.

    Returns:
        The layout.

    Raises:
        LabelTemplateError: The text is empty, or the code would need modules smaller than
            :data:`MIN_DOTS_PER_MODULE` dots.
    """
    if not qr_text:
        raise LabelTemplateError(Message("The QR code needs a text to encode; it was empty."))
    matrix = _qr_matrix(qr_text)
    modules = len(matrix)
    dots = size_dots // (modules + 2 * QUIET_ZONE_MODULES)
    if dots < MIN_DOTS_PER_MODULE:
        need = (modules + 2 * QUIET_ZONE_MODULES) * MIN_DOTS_PER_MODULE
        raise LabelTemplateError(Message(
            "The QR code for {text!r} ({count} characters, {modules} x {modules} modules) does "
            "not fit in {size} dots at {per_module} dots a module; it needs at least {need} "
            "dots. Make the QR area larger, use a printer with more dots per inch, or encode a "
            "shorter text.", text=qr_text, count=len(qr_text), modules=modules, size=size_dots,
            per_module=MIN_DOTS_PER_MODULE, need=need))
    offset = (size_dots - modules * dots) // 2
    return QrLayout(matrix=matrix, modules=modules, dots_per_module=dots, offset_dots=offset)
