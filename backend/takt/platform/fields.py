"""Value types that every schema shares, each with the limits the server enforces.

A limit declared here is checked when a request is decoded (a 400 naming the field) and is
written into the OpenAPI document, so a generated client learns it from the document rather than
from a refusal. Integers are bounded because msgspec decodes integers of any size, and one
beyond what a column holds fails in the database, not in validation.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from msgspec import Meta

__all__ = [
    "CODE_PATTERN",
    "MAX_ID",
    "MAX_INT",
    "MAX_OFFSET",
    "LINK_PATTERN",
    "Code",
    "Count",
    "Link",
    "NonNegative",
    "Percent",
    "Qty",
    "is_link",
]

MAX_INT = 2**31 - 1
"""The largest integer a request may carry: PostgreSQL's ``integer`` (ids are serials)."""

MAX_ID = MAX_INT
"""The largest record id: primary keys are 32-bit serials on PostgreSQL."""

MAX_OFFSET = MAX_INT
"""The most rows a list may skip."""

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
"""A record's code: letters, digits, ``-``, ``_`` and ``.``, starting with a letter or digit."""

# Quantities travel as decimal strings. msgspec cannot bound a Decimal, so the document states
# the form (up to 12 integer digits and 6 decimals, the Numeric(18, 6) columns) and the services
# check the value (above zero, finite, the unit's decimals) with a 422 naming the field.
_POSITIVE = r"^(?!0*(\.0*)?$)[0-9]{1,12}(\.[0-9]{1,6})?$"
_NON_NEGATIVE = r"^[0-9]{1,12}(\.[0-9]{1,6})?$"
_PERCENT = r"^(100(\.0{1,6})?|[0-9]{1,2}(\.[0-9]{1,6})?)$"


def _decimal(description: str, pattern: str) -> Meta:
    # Litestar reads ``extra_json_schema["extra"]`` into the OpenAPI schema of a Struct field.
    return Meta(description=description, extra_json_schema={"extra": {"pattern": pattern}})


Code = Annotated[str, Meta(min_length=1, max_length=64, pattern=CODE_PATTERN,
                           description="A record's code (case does not matter)")]
"""The code of a record in a request body."""

Qty = Annotated[Decimal, _decimal("A quantity greater than zero, as a decimal string",
                                  _POSITIVE)]
"""A quantity greater than zero (its unit may allow fewer decimals than six)."""

NonNegative = Annotated[Decimal, _decimal("Zero or more, as a decimal string", _NON_NEGATIVE)]
"""A quantity, time or rate of zero or more."""

Percent = Annotated[Decimal, _decimal("0 to 100, as a decimal string", _PERCENT)]
"""A share in per cent."""

Count = Annotated[int, Meta(ge=0, le=MAX_INT)]
"""A whole number of zero or more that fits every engine's integer column."""

LINK_PATTERN = r"^$|^([Hh][Tt][Tt][Pp][Ss]?://[^\s/?#\\]|/(?![/\\]))\S*$"
"""A link the app may open: empty, an ``http(s)://`` address or a path on this site (``/…``).

Anything else (``javascript:``, ``data:``, a protocol-relative ``//host``) would run or load
in the reader's session when the app renders it as a link, so it is refused where it is saved.
"""

Link = Annotated[str, Meta(
    max_length=500,
    description="An http(s) address or a path on this site starting with /; empty for none",
    extra_json_schema={"extra": {"pattern": LINK_PATTERN}})]
"""A link (a drawing, a work instruction) saved on a record and opened from the app.

The pattern is written into the OpenAPI document but checked by the service that saves the
link, so a refusal reads as a sentence (see :func:`is_link`) rather than as a regex.
"""


def is_link(text: str) -> bool:
    """Whether ``text`` is a link the app may open (see :data:`LINK_PATTERN`)."""
    return re.fullmatch(LINK_PATTERN, text) is not None


# The path and query parameters built on these limits (ids, offset, limit) are Litestar's
# declarations, so they live in the HTTP layer: takt.platform.params.
