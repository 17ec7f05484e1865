"""Label templates: the data a factory edits without code, as msgspec Structs, and their checks.

A template is a JSON file ``labels/<kind>.json``::

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

The types and ranges of every key are msgspec constraints on the Structs below; what msgspec
refuses is told back as a sentence naming the template, the element and the key
(:mod:`takt.labels.refusals`). Rules between keys (a text's one source, a line's direction,
everything inside the label, one QR code) are the ``check`` methods.
"""

from __future__ import annotations

import json
import string
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from takt.labels.refusals import refusal
from takt.platform.i18n import Message
from takt.platform.scantext import LABEL_KINDS

__all__ = [
    "ELEMENT_TYPES",
    "KINDS",
    "MAX_DPI",
    "MIN_DPI",
    "BoxElement",
    "Element",
    "LabelTemplate",
    "LabelTemplateError",
    "LineElement",
    "QrElement",
    "TextElement",
    "load_template",
    "mm_to_dots",
]

#: Label kinds, as they appear in the scanned URL ``/S/<KIND>/<CODE>``: the ones the scan
#: parser reads, so a template can name no kind a scan would not resolve.
KINDS: tuple[str, ...] = LABEL_KINDS

#: The resolutions a template may name, in dots per inch.
MIN_DPI = 96
MAX_DPI = 1200

# msgspec bounds must be finite; the largest float as upper bound refuses the Infinity that
# Python's json module reads, and keeps every finite length a template could hold.
_FINITE = sys.float_info.max
_EPS = 1e-9


class LabelTemplateError(ValueError):
    """A label template is invalid, or a label cannot be rendered from it as the rules ask.

    Args:
        sentence: What is wrong, a :class:`~takt.platform.i18n.Message` so that the refusal
            it becomes is answered in the reader's language.
    """

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


# Each constraint carries the end of the sentence that refuses it (see takt.labels.refusals).
Mm = Annotated[float, Meta(ge=0, le=_FINITE, extra={
    "refusal": Message("it must not be negative")})]
PositiveMm = Annotated[float, Meta(gt=0, le=_FINITE, extra={
    "refusal": Message("it must be more than 0")})]
Dpi = Annotated[int, Meta(ge=MIN_DPI, le=MAX_DPI, extra={
    "refusal": Message("it must be a whole number from {min_dpi} to {max_dpi} (203, 300 or 600 "
                       "for most label printers)", min_dpi=MIN_DPI, max_dpi=MAX_DPI)})]
MaxChars = Annotated[int, Meta(ge=2, extra={
    "refusal": Message("it must be a whole number of 2 or more")})]
FieldName = Annotated[str, Meta(pattern=r"^[^\W\d]\w*\Z", extra={
    "refusal": Message("a field name is letters, digits and underscores")})]
TemplateName = Annotated[str, Meta(pattern=r"\S")]


def mm_to_dots(mm: float, dpi: int) -> int:
    """Convert millimetres to printer dots, rounded to the nearest dot.

    Args:
        mm: A length in millimetres.
        dpi: Printer resolution in dots per inch.

    Returns:
        The length in dots.
    """
    return int(round(mm * dpi / 25.4))


def _thickness(mm: float, dpi: int) -> int:
    return max(1, mm_to_dots(mm, dpi))


def _check_inside(
    where: str, what: str, x: float, y: float, w: float, h: float, label_w: float, label_h: float
) -> None:
    if x + w > label_w + _EPS or y + h > label_h + _EPS:
        raise LabelTemplateError(Message(
            "{where} ({what}) reaches {right:g} x {bottom:g} mm, outside the {width:g} x "
            "{height:g} mm label.", where=where, what=what, right=x + w, bottom=y + h,
            width=label_w, height=label_h))


class _Element(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type"):
    def check(self, where: str, label_w: float, label_h: float) -> None:
        """Check the rules between keys and against the label's size.

        Args:
            where: Names the element in a sentence ("Element 2 of the label template 'WO'").
            label_w: Label width in mm.
            label_h: Label height in mm.

        Raises:
            LabelTemplateError: A rule is broken; the message says which.
        """


class QrElement(_Element, frozen=True, tag="qr"):
    """The QR code area: a square, quiet zone included.

    Attributes:
        x_mm: Left edge of the area.
        y_mm: Top edge of the area.
        size_mm: Side of the square area.
        comment: Ignored; notes for whoever edits the file.
    """

    x_mm: Mm
    y_mm: Mm
    size_mm: PositiveMm
    comment: Any = None

    def area_dots(self, dpi: int) -> tuple[int, int, int]:
        """Left, top and side of the area in dots (the side is rounded down)."""
        return (mm_to_dots(self.x_mm, dpi), mm_to_dots(self.y_mm, dpi),
                int(self.size_mm * dpi / 25.4))

    def check(self, where: str, label_w: float, label_h: float) -> None:
        _check_inside(where, "qr", self.x_mm, self.y_mm, self.size_mm, self.size_mm,
                      label_w, label_h)


class TextElement(_Element, frozen=True, tag="text"):
    """One line of text.

    Exactly one of ``field``, ``text`` and ``format`` is set; the others are ``UNSET``.

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
        comment: Ignored; notes for whoever edits the file.
    """

    x_mm: Mm
    y_mm: Mm
    height_mm: PositiveMm
    field: FieldName | UnsetType = UNSET
    text: str | UnsetType = UNSET
    format: str | UnsetType = UNSET
    bold: bool = False
    max_chars: MaxChars | None = None
    max_width_mm: PositiveMm | UnsetType = UNSET
    comment: Any = None

    def width_limit_mm(self, label_w: float) -> float:
        """How wide the text may run: ``max_width_mm``, else up to the label's right edge."""
        if isinstance(self.max_width_mm, UnsetType):
            return label_w - self.x_mm
        return self.max_width_mm

    def check(self, where: str, label_w: float, label_h: float) -> None:
        sources = [s for s in (self.field, self.text, self.format) if s is not UNSET]
        if len(sources) != 1:
            raise LabelTemplateError(Message(
                "{where} is a text element and needs exactly one of 'field', 'text' and "
                "'format'.", where=where))
        if not isinstance(self.format, UnsetType):
            _check_format(self.format, where)
        width = 0.0 if isinstance(self.max_width_mm, UnsetType) else self.max_width_mm
        _check_inside(where, "text", self.x_mm, self.y_mm, width, self.height_mm,
                      label_w, label_h)
        if self.x_mm >= label_w:
            raise LabelTemplateError(Message("{where} starts at x {x:g} mm, outside the label.",
                                             where=where, x=self.x_mm))


def _check_format(fmt: str, where: str) -> None:
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise LabelTemplateError(Message(
            "{where} has format {fmt!r}, which is not valid ({reason}); write fields as "
            "{{name}} and a literal brace as {{{{ or }}}}.", where=where, fmt=fmt,
            reason=str(exc))) from None
    for _literal, field_name, spec, conversion in parts:
        if field_name is None:
            continue
        if not field_name.isidentifier() or spec or conversion:
            raise LabelTemplateError(Message(
                "{where} has format {fmt!r}; placeholders must be plain field names such as "
                "{{quantity}}.", where=where, fmt=fmt))


class LineElement(_Element, frozen=True, tag="line"):
    """A horizontal or vertical line.

    Attributes:
        x1_mm: Start, left to right.
        y1_mm: Start, top to bottom.
        x2_mm: End, left to right.
        y2_mm: End, top to bottom.
        width_mm: Thickness.
        comment: Ignored; notes for whoever edits the file.
    """

    x1_mm: Mm
    y1_mm: Mm
    x2_mm: Mm
    y2_mm: Mm
    width_mm: PositiveMm = 0.3
    comment: Any = None

    def rect_dots(self, dpi: int) -> tuple[int, int, int, int]:
        """The line as a filled rectangle ``(x0, y0, x1, y1)`` in dots, end exclusive."""
        t = _thickness(self.width_mm, dpi)
        x0, x1 = sorted((mm_to_dots(self.x1_mm, dpi), mm_to_dots(self.x2_mm, dpi)))
        y0, y1 = sorted((mm_to_dots(self.y1_mm, dpi), mm_to_dots(self.y2_mm, dpi)))
        if y0 == y1:  # horizontal: thickness centred on y
            y0 -= t // 2
            return x0, max(y0, 0), max(x1, x0 + 1), max(y0, 0) + t
        x0 -= t // 2
        return max(x0, 0), y0, max(x0, 0) + t, max(y1, y0 + 1)

    def check(self, where: str, label_w: float, label_h: float) -> None:
        if self.x1_mm != self.x2_mm and self.y1_mm != self.y2_mm:
            raise LabelTemplateError(Message(
                "{where} is a slanted line; lines must be horizontal (same y) or vertical "
                "(same x).", where=where))
        _check_inside(
            where, "line", min(self.x1_mm, self.x2_mm), min(self.y1_mm, self.y2_mm),
            abs(self.x2_mm - self.x1_mm), abs(self.y2_mm - self.y1_mm), label_w, label_h,
        )


class BoxElement(_Element, frozen=True, tag="box"):
    """A rectangle outline.

    Attributes:
        x_mm: Left edge.
        y_mm: Top edge.
        width_mm: Outer width.
        height_mm: Outer height.
        line_mm: Thickness of the outline.
        comment: Ignored; notes for whoever edits the file.
    """

    x_mm: Mm
    y_mm: Mm
    width_mm: PositiveMm
    height_mm: PositiveMm
    line_mm: PositiveMm = 0.3
    comment: Any = None

    def rect_dots(self, dpi: int) -> tuple[int, int, int, int]:
        """Left, top, outer width and outer height in dots."""
        return (mm_to_dots(self.x_mm, dpi), mm_to_dots(self.y_mm, dpi),
                mm_to_dots(self.width_mm, dpi), mm_to_dots(self.height_mm, dpi))

    def line_dots(self, dpi: int) -> int:
        """Thickness of the outline in dots, at least one."""
        return _thickness(self.line_mm, dpi)

    def check(self, where: str, label_w: float, label_h: float) -> None:
        _check_inside(where, "box", self.x_mm, self.y_mm, self.width_mm, self.height_mm,
                      label_w, label_h)


Element = QrElement | TextElement | LineElement | BoxElement

#: The element Structs by their ``type`` value, in the order sentences list them.
ELEMENT_TYPES: dict[str, type[Element]] = {
    "qr": QrElement, "text": TextElement, "line": LineElement, "box": BoxElement}


class LabelTemplate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A label layout, loaded from JSON data a factory can edit.

    Attributes:
        name: A name people recognise, e.g. ``"Work order 60x40"``.
        width_mm: Label width.
        height_mm: Label height.
        elements: What is drawn, in order.
        dpi: Printer resolution in dots per inch (203, 300, 600 ...).
        description: Ignored; what the template is for.
        comment: Ignored; notes for whoever edits the file.
    """

    name: TemplateName
    width_mm: PositiveMm
    height_mm: PositiveMm
    elements: tuple[Element, ...]
    dpi: Dpi = 203
    description: Any = None
    comment: Any = None

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
            The template, its name stripped of surrounding spaces.

        Raises:
            LabelTemplateError: The data is not a valid template; the message says what is
                wrong and where.
        """
        try:
            template = msgspec.convert(d, cls)
        except msgspec.ValidationError as exc:
            raise LabelTemplateError(refusal(d, exc, cls, ELEMENT_TYPES)) from None
        for i, element in enumerate(template.elements):
            element.check(Message("Element {number} of the label template {name!r}",
                                  number=i + 1, name=template.name),
                          template.width_mm, template.height_mm)
        qr_count = sum(isinstance(e, QrElement) for e in template.elements)
        if qr_count != 1:
            raise LabelTemplateError(Message("The label template {name!r} has {count} qr "
                                             "elements; it needs exactly one.",
                                             name=template.name, count=qr_count))
        return msgspec.structs.replace(template, name=template.name.strip())


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
        raise LabelTemplateError(Message("There is no label kind {kind!r}; the kinds are "
                                         "{kinds}.", kind=kind, kinds=", ".join(KINDS)))
    path = Path(directory) / f"{token.lower()}.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabelTemplateError(Message("There is no label template for {kind}: {path} does "
                                         "not exist.", kind=token, path=str(path))) from None
    except OSError as exc:
        raise LabelTemplateError(Message("The label template {path} cannot be read: {reason}.",
                                         path=str(path), reason=str(exc))) from None
    try:
        # json, not msgspec.json: its errors say the line and column a person looks for.
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LabelTemplateError(Message(
            "The label template {path} is not valid JSON: {reason} at line {line}, column "
            "{column}.", path=str(path), reason=exc.msg, line=exc.lineno, column=exc.colno)
        ) from None
    try:
        return LabelTemplate.from_dict(data)
    except LabelTemplateError as exc:
        raise LabelTemplateError(Message("{path}: {reason}", path=str(path),
                                         reason=exc.sentence)) from None
