"""Finite-capacity scheduling. The solver (:mod:`.model`, :mod:`.prepare`,
:mod:`.dispatching`, :mod:`.solver`, re-exported here) is a pure function from a problem to a
schedule, with no database and no HTTP; :mod:`.service` builds the problem from the floor and
writes the schedule back, :mod:`.api` is its controller. Time is whole seconds from the
horizon origin (``0``, "now" for the planner). A problem is a set of jobs (work orders), their
operations in route order, and machines (workstations) with optional calendars.

The model (OR-Tools CP-SAT):

- Each operation has one start variable and, per eligible machine, an optional interval sharing
  that start; exactly one of them is present. Each machine has a ``NoOverlap``.
- Operations of one job run in order: every operation of a higher ``order`` starts after every
  operation of a lower one has ended (equal orders may run side by side).
- Calendars: the time a machine is *not* available (the gaps between its windows, and
  everything after its last window) enters its ``NoOverlap`` as fixed intervals. Operations are
  not pre-empted, so an operation lies wholly inside one availability window; a machine whose
  longest window is shorter than the operation is not eligible for it. An operation already
  running (fixed start) counts as available time: reality wins over the calendar.
- Objective, lexicographic: first minimise total weighted tardiness, then fix it as an upper
  bound and minimise the makespan with the time that is left (the first solution is the hint of
  the second phase). Without due dates the first phase is skipped.
- A dispatching rule (:mod:`.dispatching`) runs first; its schedule is the solver's hint and
  the answer when CP-SAT reaches its time limit without a solution of its own.
"""

from __future__ import annotations

from takt.production.scheduling.model import (
    Job,
    Machine,
    Operation,
    Placement,
    Problem,
    Schedule,
    SchedulingError,
    parse_jobshop,
    violations,
)
from takt.production.scheduling.solver import solve

__all__ = [
    "Job",
    "Machine",
    "Operation",
    "Placement",
    "Problem",
    "Schedule",
    "SchedulingError",
    "parse_jobshop",
    "solve",
    "violations",
]
