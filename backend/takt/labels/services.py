"""Labels of records: find the record, load its kind's template, render or print it.

The service behind ``GET /api/v1/labels/{kind}/{code}``, ``takt labels print``, the serial
label sheets and the traveler. It knows no HTTP: it raises domain errors and returns bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image

from takt.labels.image import render_image, render_png
from takt.labels.printer import send_to_printer
from takt.labels.sheet import render_pdf
from takt.labels.template import LabelTemplate, LabelTemplateError, load_template
from takt.labels.words import status_words
from takt.labels.zpl import render_zpl
from takt.platform import records
from takt.platform.errors import Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.scantext import LABEL_KINDS, label_url
from takt.settings import Settings, get_settings

__all__ = ["MEDIA_TYPES", "LabelFormat", "RenderedLabel", "label_image", "print_labels",
           "render_label", "render_labels"]

LabelFormat = Literal["png", "pdf", "zpl"]
MEDIA_TYPES = {"png": "image/png", "pdf": "application/pdf", "zpl": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class RenderedLabel:
    """A rendered label file."""

    content: bytes
    media_type: str
    filename: str


async def _label_data(kind: str, code: str, settings: Settings
                      ) -> tuple[LabelTemplate, dict[str, str], str]:
    kind = kind.upper()
    if kind not in LABEL_KINDS:
        raise Invalid(Message("{kind!r} is not a label kind; kinds are {label_kinds}.",
                              kind=kind, label_kinds=', '.join(LABEL_KINDS)),
                      code="label.unknown_kind")
    record = await records.resolve(kind, code)
    if record is None:
        raise NotFound(Message("There is no {kind} record with code {code}.",
                               kind=kind, code=code.upper()),
                       code="label.not_found")
    try:
        template = load_template(kind, settings.labels_dir)
    except LabelTemplateError as exc:
        raise Invalid(exc.sentence, code="label.template") from None
    # A status is printed in its object's words ("Awaiting inspection" on a lot), never as
    # the code a record's fields may carry.
    fields = {"code": record.code, "title": record.title, "kind": record.kind, **record.fields,
              "status": status_words(kind, record.status)}
    return template, fields, label_url(settings.public_url, kind, record.code)


async def label_image(kind: str, code: str, settings: Settings) -> tuple[Image.Image, int]:
    """One record's label as a Pillow image and its resolution in dpi (for documents such as
    the traveler that print labels among other text)."""
    template, fields, qr_text = await _label_data(kind, code, settings)
    return render_image(template, fields, qr_text), template.dpi


async def render_label(kind: str, code: str, fmt: LabelFormat,
                       settings: Settings | None = None) -> RenderedLabel:
    """Render the label of one record."""
    settings = settings or get_settings()
    return await render_labels([(kind, code)], fmt, settings)


async def render_labels(refs: list[tuple[str, str]], fmt: LabelFormat,
                        settings: Settings) -> RenderedLabel:
    """Render labels of several records: PNG (one label), a PDF sheet, or ZPL one after the
    other."""
    labels = [await _label_data(kind, code, settings) for kind, code in refs]
    stem = labels[0][1]["code"] if len(labels) == 1 else f"labels-{len(labels)}"
    try:
        if fmt == "png":
            if len(labels) != 1:
                raise Invalid(Message("A PNG holds one label; ask for a PDF sheet for many."),
                              code="label.png_one")
            content = render_png(*labels[0])
        elif fmt == "pdf":
            content = render_pdf(labels)
        else:
            content = "".join(render_zpl(*label) for label in labels).encode()
    except LabelTemplateError as exc:
        raise Invalid(exc.sentence, code="label.does_not_fit") from None
    return RenderedLabel(content, MEDIA_TYPES[fmt], f"{stem}.{fmt}")


async def print_labels(refs: list[tuple[str, str]], printer: str,
                       settings: Settings | None = None) -> int:
    """Send ZPL labels to a printer's raw port (``host`` or ``host:port``, default 9100)."""
    settings = settings or get_settings()
    rendered = await render_labels(refs, "zpl", settings)
    host, _, port = printer.partition(":")
    send_to_printer(rendered.content.decode(), host, int(port or 9100))
    return len(refs)
