"""Every role and every group of roles the product grants something to, in one place.

Guards (``allow(*PLANNERS)``), the actions a scan offers, the services' own checks and the tests
read their roles here, so a new role or a change of who may do what is made once. Knows no HTTP.
"""

from __future__ import annotations

__all__ = [
    "ADMIN",
    "ADMINS",
    "ALL_ROLES",
    "BACK_OFFICE_ROLES",
    "BLIND_COUNT_READERS",
    "EQUIPMENT_KEEPERS",
    "EVERYONE",
    "FLOOR",
    "FLOOR_AND_PLANNERS",
    "INSPECTOR",
    "INSPECTORS",
    "LABEL_PRINTERS",
    "MAINTAINER",
    "OPERATOR",
    "PLANNER",
    "PLANNERS",
    "PLANNERS_AND_SUPERVISORS",
    "RECEIVERS",
    "SUPERVISOR",
    "SUPERVISORS",
    "TEAM_LEADS",
    "UNIT_LABEL_PRINTERS",
    "parse_roles",
    "roles_text",
]

ADMIN = "admin"
"""Users, roles, master data, labels, integration keys."""
PLANNER = "planner"
"""Creates, imports, releases and schedules work orders."""
OPERATOR = "operator"
"""Works on the floor: starts, reports, picks and returns material."""
INSPECTOR = "inspector"
"""Inspects incoming, in-process, outgoing and returned goods."""
MAINTAINER = "maintainer"
"""Runs equipment checks and repairs."""
SUPERVISOR = "supervisor"
"""Runs a line: everything the floor does, plus holds, voids and approvals."""

ALL_ROLES: tuple[str, ...] = (ADMIN, PLANNER, OPERATOR, INSPECTOR, MAINTAINER, SUPERVISOR)
"""Every role; a user may hold several."""

EVERYONE = frozenset(ALL_ROLES)
"""Who reads: any signed-in user, whatever their role."""

ADMINS = frozenset({ADMIN})
"""Who manages users and roles."""

PLANNERS = frozenset({ADMIN, PLANNER})
"""Who plans: work orders, their release and cancelling, schedules, calendars, master data."""

BACK_OFFICE_ROLES = PLANNERS
"""Who may open the back office (Piccolo Admin at ``/admin``)."""

PLANNERS_AND_SUPERVISORS = PLANNERS | {SUPERVISOR}
"""Who may also hold, resume, close and outsource a work order, generate serials and keep the
reason codes: a supervisor runs the line between plans."""

FLOOR = frozenset({OPERATOR, SUPERVISOR})
"""Who works the floor: labour, work reports, stock moves, counts, shipments and returns."""

FLOOR_AND_PLANNERS = FLOOR | PLANNERS
"""Who may receive parts back from an outsourcing supplier (on the floor or at the desk)."""

RECEIVERS = FLOOR | {ADMIN}
"""Who receives goods into stock."""

SUPERVISORS = frozenset({SUPERVISOR})
"""Who supervises: voids reports, releases held quantity, reopens completed operations, posts
miscellaneous moves, approves or rejects counts."""

BLIND_COUNT_READERS = SUPERVISORS
"""Who sees the expected quantities of a blind count while it is being counted."""

TEAM_LEADS = frozenset({SUPERVISOR, ADMIN})
"""Who may act for everyone working on an operation (pause them all)."""

INSPECTORS = frozenset({INSPECTOR, SUPERVISOR})
"""Who releases and blocks lots."""

EQUIPMENT_KEEPERS = PLANNERS | {MAINTAINER}
"""Who keeps the equipment ledger."""

LABEL_PRINTERS = PLANNERS_AND_SUPERVISORS
"""Who prints the label of a work order, operation, location, workstation or item."""

UNIT_LABEL_PRINTERS = LABEL_PRINTERS | {OPERATOR}
"""Who prints the label of a lot or serial: the floor relabels what it holds in hand."""


def parse_roles(text: str) -> frozenset[str]:
    """Roles stored as ``"operator,supervisor"``."""
    return frozenset(role for role in text.split(",") if role)


def roles_text(roles: frozenset[str] | set[str] | list[str]) -> str:
    """Roles in the stored form: sorted, comma-separated."""
    return ",".join(sorted(set(roles)))
