"""Path and query parameters that every controller shares, with the limits the server enforces.

Kept apart from :mod:`takt.platform.fields` (the values of request and response bodies, which
services read too) because these are Litestar's parameter declarations: only the HTTP layer
imports them. Each limit is checked when the request is decoded (a 400 naming the parameter)
and written into the OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter, QueryParameter

from takt.platform.fields import MAX_ID, MAX_OFFSET

__all__ = ["Limit", "LongLimit", "Offset", "RecordId"]

RecordId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="The record's id")]
"""A record id in a path (``/operations/{op_id:int}``)."""

Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET,
                                       description="How many rows to skip")]
"""A list's ``offset``; give the default as ``offset: Offset = 0``."""

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="How many rows to answer")]
"""A list's ``limit`` (at most 500); give the default as ``limit: Limit = 50``."""

LongLimit = Annotated[int, QueryParameter(ge=1, le=5000,
                                          description="How many rows to answer")]
"""The ``limit`` of a list that is read whole (stock on hand: at most 5,000)."""
