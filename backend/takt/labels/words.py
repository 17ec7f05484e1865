"""The words a label prints for a record's status: each object's own, the same English the
app shows (``status.<object>.<code>`` in ``pwa/src/i18n/locales/en.json``), so a lot label
says "Awaiting inspection" where an operation's says "Waiting for parts".

Labels carry no language of their own (they are printed in English; their font covers no
Chinese), so the words are English. A status without words here is printed as its code with
spaces.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["KIND_OBJECTS", "STATUS_WORDS", "status_words"]

KIND_OBJECTS: Mapping[str, str] = {
    "WO": "work_order",
    "OP": "operation",
    "LOT": "lot",
    "SN": "serial",
    "EQ": "equipment",
    "LOC": "record",
    "WS": "record",
    "ITEM": "record",
    "U": "record",
}
"""Whose status a label kind's record carries (the object of its words); master data and
badges say whether they are active."""

STATUS_WORDS: Mapping[str, Mapping[str, str]] = {
    "work_order": {
        "draft": "Draft", "released": "Released", "in_progress": "In progress",
        "completed": "Completed", "closed": "Closed", "on_hold": "On hold",
        "cancelled": "Cancelled",
    },
    "operation": {
        "pending": "Waiting for parts", "ready": "Ready", "running": "Running",
        "paused": "Paused", "done": "Done", "held": "On hold",
    },
    "lot": {"pending": "Awaiting inspection", "released": "Released", "blocked": "Blocked"},
    "serial": {
        "generated": "Generated", "produced": "Produced", "shipped": "Shipped",
        "scrapped": "Scrapped",
    },
    "equipment": {
        "in_service": "In service", "down": "Down", "under_maintenance": "Under maintenance",
        "retired": "Retired", "inactive": "Deactivated",
    },
    "record": {"active": "Active", "inactive": "Inactive"},
}
"""The English words of each object's statuses, as the app says them."""


def status_words(kind: str, status: str) -> str:
    """The words a label of ``kind`` prints for ``status``."""
    words = STATUS_WORDS.get(KIND_OBJECTS.get(kind.upper(), ""), {})
    return words.get(status, status.replace("_", " "))
