"""Text on labels: the font, and cutting text to the characters and width it may take."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from msgspec import UnsetType
from PIL import ImageFont

from takt.labels.template import LabelTemplate, TextElement, mm_to_dots

__all__ = ["Font", "fit_text", "font_and_stroke", "text_font"]

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_ELLIPSIS = "\u2026"
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
)


@functools.lru_cache(maxsize=2)
def _dejavu_path(bold: bool) -> str | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    return None


@functools.lru_cache(maxsize=64)
def font_and_stroke(size_px: int, bold: bool) -> tuple[Font, int]:
    """A font for ``size_px`` and the stroke width that fakes bold when no bold font exists.

    DejaVu Sans is used where the system has it (it covers accented Latin, Greek and
    Cyrillic); otherwise the FreeType font shipped with Pillow.

    Args:
        size_px: Font size in dots (at least 6 is used).
        bold: Whether the text is bold.

    Returns:
        The font and the stroke width in dots (0 when the font itself is bold or regular).
    """
    size_px = max(size_px, 6)
    path = _dejavu_path(bold)
    if path is not None:
        return ImageFont.truetype(path, size_px), 0
    return ImageFont.load_default(size=size_px), max(1, size_px // 24) if bold else 0


def text_font(size_px: int, bold: bool = False) -> Font:
    """The font labels use, for documents drawn around labels (the traveler)."""
    return font_and_stroke(size_px, bold)[0]


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _field(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def _raw_text(el: TextElement, fields: Mapping[str, Any]) -> str:
    if not isinstance(el.field, UnsetType):
        text = _field(fields, el.field)
    elif not isinstance(el.text, UnsetType):
        text = el.text
    else:
        values = _Missing({k: "" if v is None else str(v) for k, v in fields.items()})
        text = ("" if isinstance(el.format, UnsetType) else el.format).format_map(values)
    # One line per element: line breaks and tabs become spaces.
    return " ".join(text.split())


def fit_text(el: TextElement, fields: Mapping[str, Any], template: LabelTemplate) -> str:
    """The text of an element, cut to ``max_chars`` and to the width it may take.

    Args:
        el: The text element.
        fields: Field values by name; a missing field renders empty.
        template: The label the element is on (its dpi and width).

    Returns:
        The text to print, ending with an ellipsis where it was cut; empty if nothing fits.
    """
    text = _raw_text(el, fields)
    if el.max_chars is not None and len(text) > el.max_chars:
        text = text[: el.max_chars - 1].rstrip() + _ELLIPSIS
    # The width is measured at the template's own dpi so that PNG, PDF and ZPL cut alike.
    font, stroke = font_and_stroke(mm_to_dots(el.height_mm, template.dpi), el.bold)
    limit = el.width_limit_mm(template.width_mm) * template.dpi / 25.4

    def width(s: str) -> float:
        return font.getlength(s) + 2 * stroke

    if width(text) <= limit:
        return text
    base = text[:-1] if text.endswith(_ELLIPSIS) else text
    while base and width(base.rstrip() + _ELLIPSIS) > limit:
        base = base[:-1]
    return base.rstrip() + _ELLIPSIS if base else ""
