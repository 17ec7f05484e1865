"""A master data resource, described once: its table, its references by code, its nested rows.

The generic create / read / update / deactivate service in :mod:`takt.masterdata.services`
works from these descriptions, so every resource follows the same rules (codes uppercase and
unique, references checked, one audit row per change, soft deactivation).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from piccolo.columns import Column
from piccolo.table import Table

from takt.masterdata.tables import MasterRecord

__all__ = ["Children", "Ref", "Resource"]


@dataclass(frozen=True)
class Ref:
    """An input field naming another record by code, stored as that record's id.

    ``column`` is the foreign-key column of the table (defaults to the field name).
    """

    table: type[MasterRecord]
    entity: str
    column: str | None = None


@dataclass(frozen=True)
class Children:
    """Rows owned by a record and written whole with it (BOM lines, route operations)."""

    field: str
    table: type[Table]
    parent_column: str
    order_by: str
    refs: dict[str, Ref]
    out: type[msgspec.Struct]
    columns: dict[str, Column]


@dataclass(frozen=True)
class Resource:
    """One master data resource at ``/api/v1/<name>``."""

    name: str
    entity: str
    title: str
    table: type[MasterRecord]
    create: type[msgspec.Struct]
    patch: type[msgspec.Struct]
    out: type[msgspec.Struct]
    columns: dict[str, Column]
    """Output field -> column (joined columns read the code of a referenced record)."""
    refs: dict[str, Ref] = field(default_factory=dict)
    filters: dict[str, Column] = field(default_factory=dict)
    """Query parameter -> column it filters on (exact match)."""
    children: Children | None = None
    validate: Callable[[dict[str, Any], dict[str, Any] | None], Awaitable[None]] | None = None
    """Check the values to write (and the stored row on update); raise Invalid."""
    after_create: Callable[[Any, int, dict[str, Any]], Awaitable[None]] | None = None
    decorate: Callable[[list[dict[str, Any]]], Awaitable[None]] | None = None
    """Complete selected rows before they become output (for values no join can read)."""
    validate_children: (
        Callable[[dict[str, Any], list[dict[str, Any]]], Awaitable[None]] | None) = None
    audit_only: tuple[str, ...] = ()
    """Fields of a change that say why, kept in its audit row rather than on the record."""
