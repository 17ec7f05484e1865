"""Label rendering: PNG for thermal printers and screens, PDF sheets, ZPL II for Zebra printers.

This module is pure rendering. It knows nothing of the database or of HTTP: callers pass a
:class:`LabelTemplate` (loaded from ``labels/<kind>.json``), the text fields of the record and
the text the QR code encodes (an uppercase URL such as
``HTTP://TAKT.LOCAL:8000/S/WO/WO-2026-00001``).

Rules kept here (see DESIGN.md, "Labels"):

* QR codes are full QR (never Micro QR), error correction level Q, with a quiet zone of
  4 modules.
* Every module is a whole number of printer dots, at least 4 dots. If the data does not fit
  in the template's QR area at 4 dots a module, rendering fails with :class:`LabelTemplateError`
  instead of printing a code a scanner cannot read.

A template is data a factory can edit without code::

    {"name": "Work order 60x40", "width_mm": 60, "height_mm": 40, "dpi": 203,
     "elements": [
       {"type": "qr", "x_mm": 1, "y_mm": 1, "size_mm": 26},
       {"type": "text", "field": "code", "x_mm": 28, "y_mm": 5, "height_mm": 3.5, "bold": true},
       {"type": "text", "format": "{quantity} {unit}", "x_mm": 28, "y_mm": 10, "height_mm": 3},
       {"type": "text", "text": "Takt", "x_mm": 28, "y_mm": 1, "height_mm": 2.5},
       {"type": "line", "x1_mm": 0, "y1_mm": 27, "x2_mm": 60, "y2_mm": 27, "width_mm": 0.3},
       {"type": "box", "x_mm": 0.5, "y_mm": 0.5, "width_mm": 59, "height_mm": 39}
     ]}

Element types:

* ``qr``: ``x_mm``, ``y_mm``, ``size_mm`` (the square area, quiet zone included).
* ``text``: ``x_mm``, ``y_mm`` (top left), ``height_mm`` (font size) and exactly one of
  ``field`` (a field name), ``text`` (fixed text) or ``format`` (text with ``{field}``
  placeholders); optional ``bold``, ``max_chars`` and ``max_width_mm``. A missing field
  renders empty. Text longer than ``max_chars`` or wider than ``max_width_mm`` (default: up
  to the right edge of the label) is cut and ends with an ellipsis.
* ``line``: ``x1_mm``, ``y1_mm``, ``x2_mm``, ``y2_mm`` (horizontal or vertical), optional
  ``width_mm`` (thickness, default 0.3).
* ``box``: ``x_mm``, ``y_mm``, ``width_mm``, ``height_mm``, optional ``line_mm`` (default 0.3).

Any element may carry a ``comment`` key, which is ignored.
"""

from __future__ import annotations

import functools
import io
import json
import math
import socket
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import qrcode
import qrcode.constants
import qrcode.exceptions
from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "text_font",
    "KINDS",
    "MIN_DOTS_PER_MODULE",
    "PAGE_SIZES_MM",
    "QUIET_ZONE_MODULES",
    "SHEET_DPI",
    "BoxElement",
    "Element",
    "LabelTemplate",
    "LabelTemplateError",
    "LineElement",
    "PrinterError",
    "QrElement",
    "QrLayout",
    "TextElement",
    "load_template",
    "mm_to_dots",
    "qr_layout",
    "render_image",
    "render_pdf",
    "render_png",
    "render_sheet_pages",
    "render_zpl",
    "send_to_printer",
]

#: Label kinds, as they appear in the scanned URL ``/S/<KIND>/<CODE>``.
KINDS: tuple[str, ...] = ("WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U")

#: A QR module is never smaller than this many printer dots.
MIN_DOTS_PER_MODULE = 4

#: Light modules around the symbol, as the QR standard asks.
QUIET_ZONE_MODULES = 4

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
_ZPL_MAX_MAGNIFICATION = 10
_MIN_DPI = 96
_MAX_DPI = 1200
_ELLIPSIS = "\u2026"
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
)
_BLACK = 0
_WHITE = 255


class LabelTemplateError(ValueError):
    """A label template is invalid, or a label cannot be rendered from it as the rules ask."""


class PrinterError(OSError):
    """A label could not be delivered to a network printer."""


# --------------------------------------------------------------------------------------------
# Template model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QrElement:
    """The QR code area: a square, quiet zone included.

    Attributes:
        x_mm: Left edge of the area.
        y_mm: Top edge of the area.
        size_mm: Side of the square area.
    """

    x_mm: float
    y_mm: float
    size_mm: float


@dataclass(frozen=True)
class TextElement:
    """One line of text.

    Exactly one of ``field``, ``text`` and ``format`` is set.

    Attributes:
        x_mm: Left edge of the text.
        y_mm: Top of the text (the font's ascender line).
        height_mm: Font size.
        field: Name of the field whose value is shown.
        text: Fixed text.
        format: Text with ``{field}`` placeholders.
        bold: Whether the text is bold.
        max_chars: Longer text is cut and ends with an ellipsis.
        max_width_mm: Wider text is cut and ends with an ellipsis; by default the text may
            run up to the right edge of the label.
    """

    x_mm: float
    y_mm: float
    height_mm: float
    field: str | None = None
    text: str | None = None
    format: str | None = None
    bold: bool = False
    max_chars: int | None = None
    max_width_mm: float | None = None


@dataclass(frozen=True)
class LineElement:
    """A horizontal or vertical line.

    Attributes:
        x1_mm: Start, left to right.
        y1_mm: Start, top to bottom.
        x2_mm: End, left to right.
        y2_mm: End, top to bottom.
        width_mm: Thickness.
    """

    x1_mm: float
    y1_mm: float
    x2_mm: float
    y2_mm: float
    width_mm: float = 0.3


@dataclass(frozen=True)
class BoxElement:
    """A rectangle outline.

    Attributes:
        x_mm: Left edge.
        y_mm: Top edge.
        width_mm: Outer width.
        height_mm: Outer height.
        line_mm: Thickness of the outline.
    """

    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    line_mm: float = 0.3


Element = QrElement | TextElement | LineElement | BoxElement


@dataclass(frozen=True)
class LabelTemplate:
    """A label layout, loaded from JSON data a factory can edit.

    Attributes:
        name: A name people recognise, e.g. ``"Work order 60x40"``.
        width_mm: Label width.
        height_mm: Label height.
        dpi: Printer resolution in dots per inch (203, 300, 600 ...).
        elements: What is drawn, in order.
    """

    name: str
    width_mm: float
    height_mm: float
    dpi: int
    elements: tuple[Element, ...]

    @property
    def width_dots(self) -> int:
        """Label width in printer dots."""
        return mm_to_dots(self.width_mm, self.dpi)

    @property
    def height_dots(self) -> int:
        """Label height in printer dots."""
        return mm_to_dots(self.height_mm, self.dpi)

    @property
    def qr(self) -> QrElement:
        """The template's QR element (a template has exactly one)."""
        return next(e for e in self.elements if isinstance(e, QrElement))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LabelTemplate:
        """Build a template from its JSON data, checking every value.

        Args:
            d: The decoded JSON object.

        Returns:
            The template.

        Raises:
            LabelTemplateError: The data is not a valid template; the message says what is
                wrong and where.
        """
        if not isinstance(d, Mapping):
            raise LabelTemplateError("A label template must be a JSON object.")
        where = "The label template"
        _check_keys(
            d,
            required=("name", "width_mm", "height_mm", "elements"),
            optional=("dpi", "description", "comment"),
            where=where,
        )
        name = d["name"]
        if not isinstance(name, str) or not name.strip():
            raise LabelTemplateError(f"{where} needs a non-empty text 'name'.")
        where = f"The label template {name!r}"
        width = _positive_number(d, "width_mm", where)
        height = _positive_number(d, "height_mm", where)
        dpi = d.get("dpi", 203)
        if isinstance(dpi, bool) or not isinstance(dpi, int) or not _MIN_DPI <= dpi <= _MAX_DPI:
            raise LabelTemplateError(
                f"{where} has dpi {dpi!r}; it must be a whole number from {_MIN_DPI} to "
                f"{_MAX_DPI} (203, 300 or 600 for most label printers)."
            )
        raw_elements = d["elements"]
        if not isinstance(raw_elements, list):
            raise LabelTemplateError(f"{where} must have 'elements' as a list.")
        elements = tuple(
            _element_from_dict(
                raw, f"Element {i + 1} of the label template {name!r}", width, height
            )
            for i, raw in enumerate(raw_elements)
        )
        qr_count = sum(isinstance(e, QrElement) for e in elements)
        if qr_count != 1:
            raise LabelTemplateError(f"{where} has {qr_count} qr elements; it needs exactly one.")
        return cls(name=name.strip(), width_mm=width, height_mm=height, dpi=dpi, elements=elements)


def _check_keys(
    d: Mapping[str, Any], required: Sequence[str], optional: Sequence[str], where: str
) -> None:
    missing = [k for k in required if k not in d]
    if missing:
        raise LabelTemplateError(f"{where} is missing {_quoted_list(missing)}.")
    unknown = sorted(str(k) for k in d if k not in required and k not in optional)
    if unknown:
        allowed = _quoted_list([*required, *optional])
        raise LabelTemplateError(
            f"{where} has unknown {_quoted_list(unknown)}; the keys it may have are {allowed}."
        )


def _quoted_list(keys: Sequence[str]) -> str:
    quoted = [f"'{k}'" for k in keys]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _number(d: Mapping[str, Any], key: str, where: str, default: float | None = None) -> float:
    value = d.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LabelTemplateError(f"{where} has {key} {value!r}; it must be a number.")
    return float(value)


def _positive_number(
    d: Mapping[str, Any], key: str, where: str, default: float | None = None
) -> float:
    value = _number(d, key, where, default)
    if value <= 0:
        raise LabelTemplateError(f"{where} has {key} {value:g}; it must be more than 0.")
    return value


def _non_negative_number(d: Mapping[str, Any], key: str, where: str) -> float:
    value = _number(d, key, where)
    if value < 0:
        raise LabelTemplateError(f"{where} has {key} {value:g}; it must not be negative.")
    return value


def _check_inside(
    where: str, what: str, x: float, y: float, w: float, h: float, label_w: float, label_h: float
) -> None:
    eps = 1e-9
    if x + w > label_w + eps or y + h > label_h + eps:
        raise LabelTemplateError(
            f"{where} ({what}) reaches {x + w:g} x {y + h:g} mm, outside the "
            f"{label_w:g} x {label_h:g} mm label."
        )


def _element_from_dict(raw: Any, where: str, label_w: float, label_h: float) -> Element:
    if not isinstance(raw, Mapping):
        raise LabelTemplateError(f"{where} must be a JSON object.")
    kind = raw.get("type")
    if kind == "qr":
        _check_keys(
            raw, required=("type", "x_mm", "y_mm", "size_mm"), optional=("comment",), where=where
        )
        el = QrElement(
            x_mm=_non_negative_number(raw, "x_mm", where),
            y_mm=_non_negative_number(raw, "y_mm", where),
            size_mm=_positive_number(raw, "size_mm", where),
        )
        _check_inside(where, "qr", el.x_mm, el.y_mm, el.size_mm, el.size_mm, label_w, label_h)
        return el
    if kind == "text":
        return _text_from_dict(raw, where, label_w, label_h)
    if kind == "line":
        _check_keys(
            raw,
            required=("type", "x1_mm", "y1_mm", "x2_mm", "y2_mm"),
            optional=("width_mm", "comment"),
            where=where,
        )
        line = LineElement(
            x1_mm=_non_negative_number(raw, "x1_mm", where),
            y1_mm=_non_negative_number(raw, "y1_mm", where),
            x2_mm=_non_negative_number(raw, "x2_mm", where),
            y2_mm=_non_negative_number(raw, "y2_mm", where),
            width_mm=_positive_number(raw, "width_mm", where, default=0.3),
        )
        if line.x1_mm != line.x2_mm and line.y1_mm != line.y2_mm:
            raise LabelTemplateError(
                f"{where} is a slanted line; lines must be horizontal (same y) or vertical "
                "(same x)."
            )
        _check_inside(
            where,
            "line",
            min(line.x1_mm, line.x2_mm),
            min(line.y1_mm, line.y2_mm),
            abs(line.x2_mm - line.x1_mm),
            abs(line.y2_mm - line.y1_mm),
            label_w,
            label_h,
        )
        return line
    if kind == "box":
        _check_keys(
            raw,
            required=("type", "x_mm", "y_mm", "width_mm", "height_mm"),
            optional=("line_mm", "comment"),
            where=where,
        )
        box = BoxElement(
            x_mm=_non_negative_number(raw, "x_mm", where),
            y_mm=_non_negative_number(raw, "y_mm", where),
            width_mm=_positive_number(raw, "width_mm", where),
            height_mm=_positive_number(raw, "height_mm", where),
            line_mm=_positive_number(raw, "line_mm", where, default=0.3),
        )
        _check_inside(
            where, "box", box.x_mm, box.y_mm, box.width_mm, box.height_mm, label_w, label_h
        )
        return box
    raise LabelTemplateError(
        f"{where} has type {kind!r}; the element types are 'qr', 'text', 'line' and 'box'."
    )


def _text_from_dict(
    raw: Mapping[str, Any], where: str, label_w: float, label_h: float
) -> TextElement:
    _check_keys(
        raw,
        required=("type", "x_mm", "y_mm", "height_mm"),
        optional=("field", "text", "format", "bold", "max_chars", "max_width_mm", "comment"),
        where=where,
    )
    sources = [k for k in ("field", "text", "format") if k in raw]
    if len(sources) != 1:
        raise LabelTemplateError(
            f"{where} is a text element and needs exactly one of 'field', 'text' and 'format'."
        )
    source = sources[0]
    value = raw[source]
    if not isinstance(value, str):
        raise LabelTemplateError(f"{where} has {source} {value!r}; it must be text.")
    if source == "field" and not value.isidentifier():
        raise LabelTemplateError(
            f"{where} has field {value!r}; a field name is letters, digits and underscores."
        )
    if source == "format":
        _check_format(value, where)
    bold = raw.get("bold", False)
    if not isinstance(bold, bool):
        raise LabelTemplateError(f"{where} has bold {bold!r}; it must be true or false.")
    max_chars = raw.get("max_chars")
    if max_chars is not None and (
        isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 2
    ):
        raise LabelTemplateError(
            f"{where} has max_chars {max_chars!r}; it must be a whole number of 2 or more."
        )
    max_width = _positive_number(raw, "max_width_mm", where) if "max_width_mm" in raw else None
    el = TextElement(
        x_mm=_non_negative_number(raw, "x_mm", where),
        y_mm=_non_negative_number(raw, "y_mm", where),
        height_mm=_positive_number(raw, "height_mm", where),
        bold=bold,
        max_chars=max_chars,
        max_width_mm=max_width,
        **{source: value},
    )
    _check_inside(
        where, "text", el.x_mm, el.y_mm, el.max_width_mm or 0, el.height_mm, label_w, label_h
    )
    if el.x_mm >= label_w:
        raise LabelTemplateError(f"{where} starts at x {el.x_mm:g} mm, outside the label.")
    return el


def _check_format(fmt: str, where: str) -> None:
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise LabelTemplateError(
            f"{where} has format {fmt!r}, which is not valid ({exc}); write fields as "
            "{name} and a literal brace as {{ or }}."
        ) from None
    for _literal, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if not field_name.isidentifier() or spec or conversion:
            raise LabelTemplateError(
                f"{where} has format {fmt!r}; placeholders must be plain field names such as "
                "{quantity}."
            )


def load_template(kind: str, directory: Path) -> LabelTemplate:
    """Load the template for a label kind from ``<directory>/<kind>.json``.

    Args:
        kind: A kind token from :data:`KINDS`, in any case (``"WO"``, ``"lot"`` ...).
        directory: The folder of template files (``labels/`` in the repository).

    Returns:
        The checked template.

    Raises:
        LabelTemplateError: The kind is unknown, or its file is missing, not JSON or not a
            valid template.
    """
    token = kind.strip().upper() if isinstance(kind, str) else ""
    if token not in KINDS:
        raise LabelTemplateError(
            f"There is no label kind {kind!r}; the kinds are {', '.join(KINDS)}."
        )
    path = Path(directory) / f"{token.lower()}.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabelTemplateError(
            f"There is no label template for {token}: {path} does not exist."
        ) from None
    except OSError as exc:
        raise LabelTemplateError(f"The label template {path} cannot be read: {exc}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LabelTemplateError(
            f"The label template {path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None
    try:
        return LabelTemplate.from_dict(data)
    except LabelTemplateError as exc:
        raise LabelTemplateError(f"{path}: {exc}") from None


# --------------------------------------------------------------------------------------------
# Geometry and QR
# --------------------------------------------------------------------------------------------


def mm_to_dots(mm: float, dpi: int) -> int:
    """Convert millimetres to printer dots, rounded to the nearest dot.

    Args:
        mm: A length in millimetres.
        dpi: Printer resolution in dots per inch.

    Returns:
        The length in dots.
    """
    return int(round(mm * dpi / 25.4))


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
        raise LabelTemplateError(
            f"The text to encode is {len(qr_text)} characters, more than any QR code holds "
            "at error correction level Q."
        ) from None
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
        raise LabelTemplateError("The QR code needs a text to encode; it was empty.")
    matrix = _qr_matrix(qr_text)
    modules = len(matrix)
    dots = size_dots // (modules + 2 * QUIET_ZONE_MODULES)
    if dots < MIN_DOTS_PER_MODULE:
        need = (modules + 2 * QUIET_ZONE_MODULES) * MIN_DOTS_PER_MODULE
        raise LabelTemplateError(
            f"The QR code for {qr_text!r} ({len(qr_text)} characters, {modules} x {modules} "
            f"modules) does not fit in {size_dots} dots at {MIN_DOTS_PER_MODULE} dots a "
            f"module; it needs at least {need} dots. Make the QR area larger, use a printer "
            "with more dots per inch, or encode a shorter text."
        )
    offset = (size_dots - modules * dots) // 2
    return QrLayout(matrix=matrix, modules=modules, dots_per_module=dots, offset_dots=offset)


def _qr_area(el: QrElement, dpi: int) -> tuple[int, int, int]:
    """Left, top and side of a QR area in dots (the side is rounded down)."""
    return mm_to_dots(el.x_mm, dpi), mm_to_dots(el.y_mm, dpi), int(el.size_mm * dpi / 25.4)


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _dejavu_path(bold: bool) -> str | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return None


@functools.lru_cache(maxsize=64)
def _font(size_px: int, bold: bool) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, int]:
    """A font for ``size_px`` and the stroke width that fakes bold when no bold font exists.

    DejaVu Sans is used where the system has it (it covers accented Latin, Greek and
    Cyrillic); otherwise the FreeType font shipped with Pillow.
    """
    size_px = max(size_px, 6)
    path = _dejavu_path(bold)
    if path is not None:
        return ImageFont.truetype(path, size_px), 0
    return ImageFont.load_default(size=size_px), max(1, size_px // 24) if bold else 0


def text_font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font labels use, for documents drawn around labels (the traveler)."""
    return _font(size_px, bold)[0]


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _field(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def _raw_text(el: TextElement, fields: Mapping[str, Any]) -> str:
    if el.field is not None:
        text = _field(fields, el.field)
    elif el.text is not None:
        text = el.text
    else:
        values = _Missing({k: "" if v is None else str(v) for k, v in fields.items()})
        text = (el.format or "").format_map(values)
    # One line per element: line breaks and tabs become spaces.
    return " ".join(text.split())


def _fit_text(el: TextElement, fields: Mapping[str, Any], template: LabelTemplate) -> str:
    """The text of an element, cut to ``max_chars`` and to the width it may take."""
    text = _raw_text(el, fields)
    if el.max_chars is not None and len(text) > el.max_chars:
        text = text[: el.max_chars - 1].rstrip() + _ELLIPSIS
    # The width is measured at the template's own dpi so that PNG, PDF and ZPL cut alike.
    font, stroke = _font(mm_to_dots(el.height_mm, template.dpi), el.bold)
    limit_mm = el.max_width_mm if el.max_width_mm is not None else template.width_mm - el.x_mm
    limit = limit_mm * template.dpi / 25.4

    def width(s: str) -> float:
        return font.getlength(s) + 2 * stroke

    if width(text) <= limit:
        return text
    base = text[:-1] if text.endswith(_ELLIPSIS) else text
    while base and width(base.rstrip() + _ELLIPSIS) > limit:
        base = base[:-1]
    return base.rstrip() + _ELLIPSIS if base else ""


# --------------------------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------------------------


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
            text = _fit_text(el, fields, template)
            if text:
                font, stroke = _font(mm_to_dots(el.height_mm, dpi), el.bold)
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
            x0, y0, x1, y1 = _line_rect(el, dpi)
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=_BLACK)
        elif isinstance(el, BoxElement):
            x, y = mm_to_dots(el.x_mm, dpi), mm_to_dots(el.y_mm, dpi)
            w, h = mm_to_dots(el.width_mm, dpi), mm_to_dots(el.height_mm, dpi)
            draw.rectangle(
                (x, y, x + w - 1, y + h - 1), outline=_BLACK, width=_thickness(el.line_mm, dpi)
            )
    # Thermal printers print dots or no dots: threshold instead of dithering.
    mono = image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    mono.info["dpi"] = (dpi, dpi)
    return mono


def _thickness(mm: float, dpi: int) -> int:
    return max(1, mm_to_dots(mm, dpi))


def _line_rect(el: LineElement, dpi: int) -> tuple[int, int, int, int]:
    """A line as a filled rectangle ``(x0, y0, x1, y1)``, end exclusive, in dots."""
    t = _thickness(el.width_mm, dpi)
    x0, x1 = sorted((mm_to_dots(el.x1_mm, dpi), mm_to_dots(el.x2_mm, dpi)))
    y0, y1 = sorted((mm_to_dots(el.y1_mm, dpi), mm_to_dots(el.y2_mm, dpi)))
    if y0 == y1:  # horizontal: thickness centred on y
        y0 -= t // 2
        return x0, max(y0, 0), max(x1, x0 + 1), max(y0, 0) + t
    x0 -= t // 2
    return max(x0, 0), y0, max(x0, 0) + t, max(y1, y0 + 1)


def _draw_qr(draw: ImageDraw.ImageDraw, el: QrElement, dpi: int, qr_text: str) -> None:
    left, top, size = _qr_area(el, dpi)
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


# --------------------------------------------------------------------------------------------
# PDF sheets
# --------------------------------------------------------------------------------------------


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
        sheet_template = replace(template, dpi=dpi)
        image = render_image(sheet_template, fields, qr_text)
        w, h = image.size
        if w > area_right - margin or h > area_bottom - margin:
            raise LabelTemplateError(
                f"The label {template.name!r} ({template.width_mm:g} x {template.height_mm:g} "
                f"mm) is larger than the printable area of a {page} page."
            )
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


# --------------------------------------------------------------------------------------------
# ZPL
# --------------------------------------------------------------------------------------------


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
            left, top, size = _qr_area(el, dpi)
            layout = qr_layout(qr_text, size)
            mag = min(layout.dots_per_module, _ZPL_MAX_MAGNIFICATION)
            # Centre the symbol as the PNG does; ZPL draws no quiet zone of its own.
            inset = (size - layout.modules * mag) // 2
            cmds.append(
                f"^FO{left + inset},{top + inset}^BQN,2,{mag}{_zpl_field('QA,' + qr_text)}^FS"
            )
        elif isinstance(el, TextElement):
            text = _fit_text(el, fields, template)
            if not text:
                continue
            h = mm_to_dots(el.height_mm, dpi)
            x, y = mm_to_dots(el.x_mm, dpi), mm_to_dots(el.y_mm, dpi)
            offsets = (0, max(1, dpi // 200)) if el.bold else (0,)
            for dx in offsets:  # bold: print twice, a dot or two apart
                cmds.append(f"^FO{x + dx},{y}^A0N,{h},{h}{_zpl_field(text)}^FS")
        elif isinstance(el, LineElement):
            x0, y0, x1, y1 = _line_rect(el, dpi)
            w, h = x1 - x0, y1 - y0
            cmds.append(f"^FO{x0},{y0}^GB{w},{h},{min(w, h)}^FS")
        elif isinstance(el, BoxElement):
            x, y = mm_to_dots(el.x_mm, dpi), mm_to_dots(el.y_mm, dpi)
            w, h = mm_to_dots(el.width_mm, dpi), mm_to_dots(el.height_mm, dpi)
            cmds.append(f"^FO{x},{y}^GB{w},{h},{_thickness(el.line_mm, dpi)}^FS")
    cmds.append("^PQ1")
    cmds.append("^XZ")
    return "\n".join(cmds)


# --------------------------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------------------------


def send_to_printer(zpl: str, host: str, port: int = 9100, timeout: float = 5.0) -> None:
    """Send ZPL to a network label printer over raw TCP (port 9100, "JetDirect").

    Args:
        zpl: The ZPL program (sent as UTF-8).
        host: Printer host name or IP address.
        port: TCP port.
        timeout: Seconds to wait for the connection and for each send.

    Raises:
        PrinterError: The printer could not be reached or the data not sent.
    """
    data = zpl.encode("utf-8")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(data)
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the data was sent; some printers close first
    except TimeoutError:
        raise PrinterError(
            f"The printer at {host}:{port} did not answer within {timeout:g} seconds."
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise PrinterError(
            f"The label could not be sent to the printer at {host}:{port}: {reason}."
        ) from exc
