"""Who may void a work report: a supervisor any report, at any time; the operator who made
it, their own report, for ``REPORT_UNDO_SECONDS`` after it (the handheld's undo, so a wrong
count is put right at once without calling anyone). What a void does is
:func:`takt.production.reporting.void_report`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from takt.platform.commands import Actor
from takt.platform.errors import Conflict, Forbidden
from takt.platform.i18n import Message
from takt.platform.roles import SUPERVISORS

__all__ = ["check_may_void", "is_own"]


def is_own(actor: Actor, report: Mapping[str, Any]) -> bool:
    """Whether ``actor`` made ``report`` (by user id where both have one, else by name)."""
    if report["user_id"] is not None and actor.user_id is not None:
        return bool(report["user_id"] == actor.user_id)
    return bool(report["username"] == actor.username)


def _window(seconds: int) -> Message:
    if seconds % 60 == 0:
        return Message("{count} minutes", count=seconds // 60)
    return Message("{count} seconds", count=seconds)


def check_may_void(actor: Actor, report: Mapping[str, Any], *, undo_seconds: int,
                   now: datetime) -> None:
    """Refuse a void ``actor`` may not make: someone else's report (unless a supervisor), or
    their own after the undo window.

    Raises:
        Forbidden: ``report.not_yours``.
        Conflict: ``report.undo_expired`` (the window has passed; a supervisor may still).
    """
    if actor.roles & SUPERVISORS:
        return
    report_id = report["id"]
    if not is_own(actor, report):
        raise Forbidden(Message("Report {report_id} was made by {username}; only they (just "
                                "after reporting) or a supervisor can void it.",
                                report_id=report_id, username=report["username"]),
                        code="report.not_yours", report_id=report_id)
    reported_at: datetime = report["reported_at"]
    if reported_at.tzinfo is None:
        reported_at = reported_at.replace(tzinfo=UTC)
    if now - reported_at > timedelta(seconds=undo_seconds):
        raise Conflict(Message("Your report {report_id} can be undone only within {window} of "
                               "reporting; ask a supervisor to void it.",
                               report_id=report_id, window=_window(undo_seconds)),
                       code="report.undo_expired", report_id=report_id,
                       undo_seconds=undo_seconds)
