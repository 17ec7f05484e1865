"""What a scanned or printed code stands for: every module registers its record kinds here.

The scan resolver and the label printer both ask this registry, so a later module (production
registering ``WO`` and ``OP``, inventory registering ``LOT``) plugs in without the platform
importing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

__all__ = ["KindSpec", "Record", "kinds", "register_gs1", "register_kind", "resolve",
           "resolve_gs1", "spec"]


@dataclass(frozen=True)
class Record:
    """A record found by its code: enough to show it and print its label."""

    kind: str
    id: int
    code: str
    title: str
    status: str
    fields: dict[str, str] = field(default_factory=dict)
    """Extra text for labels (``item_code``, ``line``, ``quantity``...)."""
    offers: frozenset[str] | None = None
    """The registered actions that make sense in the record's state now (a draft work order
    can be released, a running one reported on); ``None``: all of them."""


Resolver = Callable[[str], Awaitable[Record | None]]
Gs1Resolver = Callable[[str | None, str | None, str | None], Awaitable[Record | None]]


@dataclass(frozen=True)
class KindSpec:
    """A label kind: how to find a record by code and which actions each role has on it."""

    kind: str
    resolver: Resolver
    actions: tuple[tuple[str, frozenset[str]], ...]
    """``(action, roles allowed)`` in the order a screen offers them."""


_kinds: dict[str, KindSpec] = {}
_gs1: list[Gs1Resolver] = []


def register_kind(kind: str, resolver: Resolver, actions: dict[str, set[str] | frozenset[str]]
                  ) -> None:
    """Register (or replace) the resolver of a label kind such as ``LOC``."""
    _kinds[kind.upper()] = KindSpec(kind.upper(), resolver,
                                    tuple((a, frozenset(r)) for a, r in actions.items()))


def register_gs1(resolver: Gs1Resolver) -> None:
    """Register a resolver of supplier GS1 data (gtin, batch, serial); the last one registered
    is asked first (inventory finds the lot before master data falls back to the item)."""
    if resolver not in _gs1:
        _gs1.insert(0, resolver)


def kinds() -> list[str]:
    """Registered kinds, in registration order."""
    return list(_kinds)


def spec(kind: str) -> KindSpec | None:
    """The registration of a kind, if any."""
    return _kinds.get(kind.upper())


async def resolve(kind: str, code: str) -> Record | None:
    """The record of ``kind`` with ``code``, or ``None``."""
    registered = _kinds.get(kind.upper())
    return await registered.resolver(code.upper()) if registered else None


async def resolve_gs1(gtin: str | None, batch: str | None, serial: str | None) -> Record | None:
    """The record supplier GS1 data points at, or ``None``."""
    for resolver in _gs1:
        record = await resolver(gtin, batch, serial)
        if record is not None:
            return record
    return None
