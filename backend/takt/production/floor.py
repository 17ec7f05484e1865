"""What every command on an operation shares: the operation as the command sees it
(:class:`OperationContext`), the checks of its and its order's state, its event topics and
its guarded status change. Labour (:mod:`takt.production.labour`) and reporting
(:mod:`takt.production.reporting`) each read a richer context of their own from it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict
from takt.platform.i18n import Message
from takt.production.common import WORKING, operation_line, status_words, utc_now
from takt.production.tables import Operation, WorkOrder
from takt.production.work_orders import transition

__all__ = ["OperationContext", "start_order", "transition_operation"]


@dataclass
class OperationContext:
    """An operation and its work order, as a command on the operation reads them.

    The statuses are what the command last saw: its own transitions update them.
    """

    id: int
    code: str
    seq: int
    status: str
    work_order_id: int
    wo_code: str
    wo_status: str
    workstation: str | None
    """The workstation the route names (or the one an operator placed it on)."""
    scheduled_workstation: str | None
    ws_line: str | None
    sws_line: str | None
    wo_line: str | None
    unit: str
    """The unit of the work order's item: the unit every quantity of the operation is in."""
    decimals: int
    """The decimals that unit counts in."""

    @classmethod
    def from_row(cls, row: Mapping[str, Any], **values: Any) -> Self:
        """The context from a row holding a column for each field without a default;
        ``values`` give or override fields."""
        columns = set(row.keys())
        names = [f.name for f in dataclasses.fields(cls) if f.name not in values
                 and (f.name in columns or f.default is dataclasses.MISSING)]
        return cls(**{name: row[name] for name in names}, **values)

    @property
    def line(self) -> str | None:
        """The line it runs on (:func:`~takt.production.common.operation_line`)."""
        return operation_line(self.sws_line, self.ws_line, self.wo_line)

    @property
    def place(self) -> str | None:
        """Where it runs: the scheduled workstation, else the route's."""
        return self.scheduled_workstation or self.workstation

    def topics(self) -> list[str]:
        """The event topics of a change to the operation: itself, its order, its place and
        its lines."""
        topics = [f"op:{self.id}", f"wo:{self.wo_code}"]
        if self.place:
            topics.append(f"workstation:{self.place}")
        for line in (self.line, self.wo_line):
            if line:
                topics.append(f"line:{line}")
        return list(dict.fromkeys(topics))

    def check_order_open(self, doing: str) -> None:
        """Refuse unless the work order is one the floor may work on.

        Args:
            doing: What the command does to its operations, a
                :class:`~takt.platform.i18n.Message` ("start", "report on").

        Raises:
            Conflict: ``work_order.not_open``.
        """
        if self.wo_status not in WORKING:
            raise Conflict(Message("Work order {code} is {status}; nobody can {doing} its "
                                   "operations now.", code=self.wo_code,
                                   status=status_words(self.wo_status), doing=doing),
                           code="work_order.not_open", current_status=self.wo_status)

    def check_status(self, allowed: tuple[str, ...], doing: str) -> None:
        """Refuse unless the operation is in one of ``allowed``.

        Args:
            allowed: The statuses the command may act in.
            doing: What is done to it, a :class:`~takt.platform.i18n.Message` ("started").

        Raises:
            Conflict: ``operation.bad_status``.
        """
        if self.status not in allowed:
            raise Conflict(Message("Operation {code} is {status}; it cannot be {doing}.",
                                   code=self.code, status=status_words(self.status),
                                   doing=doing),
                           code="operation.bad_status", current_status=self.status)


async def transition_operation(uow: UnitOfWork, context: OperationContext,
                               allowed: tuple[str, ...], to: str, action: str, *,
                               updates: dict[Any, Any] | None = None) -> None:
    """A guarded status change of an operation, with its audit row."""
    changed = await Operation.update({
        Operation.status: to, Operation.version: Operation.version + 1, **(updates or {}),
    }).where(Operation.id == context.id, Operation.status.is_in(list(allowed))).returning(
        Operation.id)
    if not changed:
        current = await Operation.select(Operation.status).where(
            Operation.id == context.id).first()
        assert current is not None  # its context was read in this command; rows are never deleted
        raise Conflict(Message("Operation {code} became {status} meanwhile; look again.",
                               code=context.code, status=status_words(current["status"])),
                       code="operation.bad_status", current_status=current["status"])
    await uow.audit(action, "operation", context.code, before={"status": context.status},
                    after={"status": to})
    context.status = to


async def start_order(uow: UnitOfWork, context: OperationContext) -> None:
    """The first start or report moves a released order to in progress."""
    if context.wo_status != "released":
        return
    row = {"id": context.work_order_id, "code": context.wo_code, "status": "released"}
    await transition(uow, row, ("released",), "in_progress", "work_order.start",
                     verb=Message("started", context="work order verb"),
                     updates={WorkOrder.started_at: utc_now()})
    context.wo_status = "in_progress"
    uow.emit("work_order.started", context.wo_code, f"wo:{context.wo_code}",
             *([f"line:{context.wo_line}"] if context.wo_line else []))
