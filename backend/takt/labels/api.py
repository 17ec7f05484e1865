"""``GET /api/v1/labels/{kind}/{code}?format=png|pdf|zpl``: a record's label to print or show."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromPath, Parameter

from takt.labels.services import MEDIA_TYPES, LabelFormat, render_label
from takt.platform.auth import READ

__all__ = ["LabelsController"]


class LabelsController(Controller):
    """Labels to print or show, for every record kind that has a code."""

    path = "/api/v1/labels"
    tags = ["labels"]
    guards = [READ]

    @get("/{kind:str}/{code:str}", summary="Render a record's label as PNG, PDF or ZPL",
         opt={"media_types": list(MEDIA_TYPES.values())})
    async def label(
        self,
        kind: FromPath[str],
        code: FromPath[str],
        format: LabelFormat = Parameter(default="png", description="png, pdf or zpl"),  # noqa: A002
    ) -> Response[bytes]:
        rendered = await render_label(kind, code, format)
        return Response(rendered.content, media_type=rendered.media_type, headers={
            "Content-Disposition": f'inline; filename="{rendered.filename}"',
            "Cache-Control": "no-store"})
