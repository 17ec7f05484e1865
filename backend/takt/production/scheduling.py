"""Finite-capacity scheduling: a pure function from a problem to a schedule.

No database and no HTTP here. Time is whole seconds from the horizon origin (``0``, "now" for
the planner). A problem is a set of jobs (work orders), their operations in route order, and
machines (workstations) with optional calendars.

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
- A dispatching rule (below) runs first; its schedule is the solver's hint and the answer when
  CP-SAT reaches its time limit without a solution of its own.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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

Solver = Literal["cp-sat", "dispatch"]


class SchedulingError(ValueError):
    """The problem is malformed or has no schedule; the message is a sentence for a planner."""


@dataclass(frozen=True)
class Job:
    """A work order: its operations run in order.

    Attributes:
        id: Unique name of the job.
        due: When it should be finished (seconds from the origin), or ``None``.
        weight: How much a second of lateness costs (from the work order's priority).
        release: No operation of the job starts before this.
    """

    id: str
    due: int | None = None
    weight: int = 1
    release: int = 0


@dataclass(frozen=True)
class Operation:
    """One step of a job.

    Attributes:
        id: Unique name of the operation.
        job: The job it belongs to.
        order: Its place in the job; it starts after every operation of a lower order ended.
        duration: Seconds of work (setup + quantity x cycle time).
        machines: The machines that can run it (one workstation, or every one of a type).
        fixed_machine: The machine it must run on (an operation already running there).
        fixed_start: The start it must keep (an operation already running).
    """

    id: str
    job: str
    order: int
    duration: int
    machines: tuple[str, ...]
    fixed_machine: str | None = None
    fixed_start: int | None = None


@dataclass(frozen=True)
class Machine:
    """A workstation.

    Attributes:
        id: Unique name of the machine.
        calendar: The ``[start, end)`` intervals it is available, in seconds from the origin;
            ``None`` means around the clock.
    """

    id: str
    calendar: tuple[tuple[int, int], ...] | None = None


@dataclass(frozen=True)
class Problem:
    """What to schedule.

    Attributes:
        jobs: The jobs.
        operations: Their operations.
        machines: Every machine an operation may name.
        horizon: The end of the time considered (calendars say nothing beyond it). ``None``:
            long enough to run every operation one after another after the last release,
            fixed operation or calendar window.
    """

    jobs: tuple[Job, ...]
    operations: tuple[Operation, ...]
    machines: tuple[Machine, ...]
    horizon: int | None = None


@dataclass(frozen=True)
class Placement:
    """Where and when one operation runs: on ``machine`` over ``[start, end)``."""

    operation: str
    machine: str
    start: int
    end: int


@dataclass(frozen=True)
class Schedule:
    """A solution.

    Attributes:
        placements: One per operation, in the order of the problem's operations.
        makespan: The end of the last operation.
        total_weighted_tardiness: Sum over jobs of weight x seconds late.
        tardiness: Seconds late per job (jobs without a due date are never late).
        optimal: Whether CP-SAT proved both objectives optimal.
        solver: ``cp-sat``, or ``dispatch`` when the rule's schedule was used.
        wall_time_s: Seconds spent solving.
    """

    placements: tuple[Placement, ...]
    makespan: int
    total_weighted_tardiness: int
    tardiness: dict[str, int] = field(default_factory=dict)
    optimal: bool = False
    solver: Solver = "cp-sat"
    wall_time_s: float = 0.0


# --- preparation: checks, horizon, availability ------------------------------------------------

@dataclass
class _Prepared:
    problem: Problem
    horizon: int
    jobs: dict[str, Job]
    ops: dict[str, Operation]
    levels: dict[str, list[list[str]]]
    """Per job, its operations grouped by order, lowest first."""
    windows: dict[str, list[tuple[int, int]]]
    """Per machine, its sorted, merged availability (fixed operations included)."""
    eligible: dict[str, list[str]]
    """Per operation, the machines it may run on (a window long enough for it)."""
    fits: dict[tuple[str, str], tuple[int, int]]
    """Per (operation, machine), the earliest and latest start a window allows there."""


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _breaks(windows: list[tuple[int, int]], horizon: int) -> list[tuple[int, int]]:
    """The unavailable time of a machine within ``[0, horizon)``."""
    gaps, cursor = [], 0
    for start, end in windows:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < horizon:
        gaps.append((cursor, horizon))
    return gaps


def _fit_bounds(windows: list[tuple[int, int]], release: int, duration: int
                ) -> tuple[int, int] | None:
    """The earliest and the latest start of an operation in a window long enough for it."""
    def fits(window: tuple[int, int]) -> bool:
        return window[1] - duration >= max(window[0], release)

    first = next((w for w in windows if fits(w)), None)
    if first is None:
        return None
    last = next(w for w in reversed(windows) if fits(w))
    return max(first[0], release), last[1] - duration


def _default_horizon(problem: Problem) -> int:
    latest = max([0]
                 + [job.release for job in problem.jobs]
                 + [op.fixed_start + op.duration for op in problem.operations
                    if op.fixed_start is not None]
                 + [end for m in problem.machines for _, end in (m.calendar or ())])
    return latest + sum(op.duration for op in problem.operations) + 1


def _prepare(problem: Problem) -> _Prepared:
    jobs = {job.id: job for job in problem.jobs}
    if len(jobs) != len(problem.jobs):
        raise SchedulingError("Two jobs have the same name.")
    machines = {m.id: m for m in problem.machines}
    if len(machines) != len(problem.machines):
        raise SchedulingError("Two machines have the same name.")
    ops: dict[str, Operation] = {}
    for op in problem.operations:
        if op.id in ops:
            raise SchedulingError(f"Two operations are named {op.id}.")
        if op.job not in jobs:
            raise SchedulingError(f"Operation {op.id} names an unknown job {op.job}.")
        if op.duration < 0:
            raise SchedulingError(f"Operation {op.id} has a negative duration.")
        names = set(op.machines) | ({op.fixed_machine} if op.fixed_machine else set())
        if not names:
            raise SchedulingError(f"Operation {op.id} has no machine it may run on.")
        unknown = sorted(names - set(machines))
        if unknown:
            raise SchedulingError(f"Operation {op.id} names unknown machines: "
                                  f"{', '.join(unknown)}.")
        if op.fixed_start is not None and (op.fixed_start < 0 or op.fixed_machine is None):
            raise SchedulingError(f"Operation {op.id} has a fixed start without a machine, or "
                                  "one before the origin.")
        ops[op.id] = op
    horizon = problem.horizon if problem.horizon is not None else _default_horizon(problem)

    by_job: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for op in problem.operations:
        by_job[op.job][op.order].append(op.id)
    levels = {job: [group[k] for k in sorted(group)] for job, group in by_job.items()}

    fixed_on: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for op in problem.operations:
        if op.fixed_start is not None:
            assert op.fixed_machine is not None
            span = (op.fixed_start, op.fixed_start + op.duration)
            for other in fixed_on[op.fixed_machine]:
                if span[0] < other[1] and other[0] < span[1]:
                    raise SchedulingError(f"Two running operations overlap on machine "
                                          f"{op.fixed_machine}; only one may be fixed there.")
            fixed_on[op.fixed_machine].append(span)
            horizon = max(horizon, span[1])

    windows: dict[str, list[tuple[int, int]]] = {}
    for m in problem.machines:
        base = [(0, horizon)] if m.calendar is None else [
            (max(0, s), min(e, horizon)) for s, e in m.calendar]
        windows[m.id] = _merge([*base, *fixed_on[m.id]])

    eligible: dict[str, list[str]] = {}
    fits: dict[tuple[str, str], tuple[int, int]] = {}
    for op in problem.operations:
        release = jobs[op.job].release
        names = [op.fixed_machine] if op.fixed_machine else list(dict.fromkeys(op.machines))
        eligible[op.id] = []
        for name in names:
            if op.fixed_start is not None:
                bounds: tuple[int, int] | None = (op.fixed_start, op.fixed_start)
            else:
                bounds = _fit_bounds(windows[name], release, op.duration)
            if bounds is not None:
                eligible[op.id].append(name)
                fits[(op.id, name)] = bounds
        if not eligible[op.id]:
            longest = max((e - s for n in names for s, e in windows[n]), default=0)
            raise SchedulingError(
                f"Operation {op.id} needs {op.duration} s in one piece, but the longest time "
                f"its machines ({', '.join(names)}) are available without a break is "
                f"{longest} s within the horizon; split the work or extend the calendar.")
    return _Prepared(problem, horizon, jobs, ops, levels, windows, eligible, fits)


def _score(prep: _Prepared, assigned: dict[str, tuple[str, int]], solver: Solver,
           optimal: bool, started: float) -> Schedule:
    placements = []
    ends: dict[str, int] = {}
    for op in prep.problem.operations:
        machine, start = assigned[op.id]
        end = start + op.duration
        placements.append(Placement(op.id, machine, start, end))
        ends[op.job] = max(ends.get(op.job, 0), end)
    tardiness = {job.id: max(0, ends.get(job.id, 0) - job.due) if job.due is not None else 0
                 for job in prep.problem.jobs}
    return Schedule(
        placements=tuple(placements),
        makespan=max((p.end for p in placements), default=0),
        total_weighted_tardiness=sum(prep.jobs[j].weight * t for j, t in tardiness.items()),
        tardiness=tardiness, optimal=optimal, solver=solver,
        wall_time_s=round(time.monotonic() - started, 3))


# --- the dispatching rule -----------------------------------------------------------------------

class _Timeline:
    """The busy time of one machine (breaks and placed operations), sorted, disjoint, and
    touching spans joined, so a search walks the gaps rather than every operation."""

    def __init__(self, busy: list[tuple[int, int]], horizon: int) -> None:
        self.busy: list[tuple[float, float]] = []
        for start, end in sorted(busy):
            self.book(start, end)
        self.book(horizon, math.inf)

    def earliest(self, ready: int, duration: int) -> int | None:
        start: float = ready
        busy = self.busy
        for index in range(max(0, bisect.bisect(busy, (ready,)) - 1), len(busy)):
            busy_start, busy_end = busy[index]
            if busy_end <= start:
                continue
            if busy_start >= start + duration and (duration or busy_start > start):
                break
            start = busy_end
        return None if start == math.inf else int(start)

    def book(self, start: float, end: float) -> None:
        if end <= start:
            return  # nothing to block (a zero-length operation)
        index = bisect.bisect(self.busy, (start, end))
        if index and self.busy[index - 1][1] >= start:
            index -= 1
            start = self.busy[index][0]
            end = max(end, self.busy[index][1])
            del self.busy[index]
        while index < len(self.busy) and self.busy[index][0] <= end:
            end = max(end, self.busy[index][1])
            del self.busy[index]
        self.busy.insert(index, (start, end))


def _dispatch(prep: _Prepared) -> dict[str, tuple[str, int]]:
    """List scheduling in the manner of Giffler and Thompson: among the operations whose
    predecessors are placed, take those that can start before the earliest possible end of any
    of them, and place the most urgent (least slack before its due date per unit of weight,
    then most work remaining) on the machine where it starts first.

    Where each waiting operation could go is kept in two heaps (by end, by start). Booking a
    machine only adds busy time, so an estimate made before is a lower bound: it is computed
    again only when it reaches the top of a heap.

    Raises:
        SchedulingError: an operation fits on no machine before the horizon.
    """
    problem = prep.problem
    timelines = {m: _Timeline(_breaks(w, prep.horizon), prep.horizon)
                 for m, w in prep.windows.items()}
    version = dict.fromkeys(timelines, 0)
    assigned: dict[str, tuple[str, int]] = {}
    for op in problem.operations:
        if op.fixed_start is not None:
            assert op.fixed_machine is not None
            timelines[op.fixed_machine].book(op.fixed_start, op.fixed_start + op.duration)
            assigned[op.id] = (op.fixed_machine, op.fixed_start)

    remaining = {job: sum(prep.ops[o].duration for level in levels for o in level)
                 for job, levels in prep.levels.items()}
    level_of = dict.fromkeys(prep.levels, 0)
    ready_at = {job: prep.jobs[job].release for job in prep.levels}
    by_end: list[tuple[int, int, str]] = []
    by_start: list[tuple[int, int, str]] = []
    estimate: dict[str, tuple[str, int, int, int, int]] = {}
    urgent: dict[str, tuple[float, float, str]] = {}
    counter = itertools.count()

    def place(op_id: str) -> None:
        op = prep.ops[op_id]
        best: tuple[str, int] | None = None
        for machine in prep.eligible[op_id]:
            start = timelines[machine].earliest(ready_at[op.job], op.duration)
            if start is not None and (best is None or start < best[1]):
                best = (machine, start)
        if best is None:
            raise SchedulingError(f"Operation {op_id} does not fit on any of its machines "
                                  "before the end of the horizon.")
        seq = next(counter)
        # Versions only grow, so their sum changes whenever one of them does.
        stamp = sum(version[m] for m in prep.eligible[op_id])
        estimate[op_id] = (best[0], best[1], best[1] + op.duration, stamp, seq)
        heapq.heappush(by_end, (best[1] + op.duration, seq, op_id))
        heapq.heappush(by_start, (best[1], seq, op_id))

    def current(heap: list[tuple[int, int, str]]) -> str | None:
        """The top of ``heap`` once it is a fresh estimate (stale ones are placed again)."""
        while heap:
            _, seq, op_id = heap[0]
            found = estimate.get(op_id)
            if op_id in assigned or found is None or found[4] != seq:
                heapq.heappop(heap)
            elif found[3] != sum(version[m] for m in prep.eligible[op_id]):
                heapq.heappop(heap)
                place(op_id)
            else:
                return op_id
        return None

    def advance(job: str) -> None:
        # Move past levels already placed (fixed ones); make the next level's operations ready.
        levels = prep.levels[job]
        while level_of[job] < len(levels):
            level = levels[level_of[job]]
            if not all(o in assigned for o in level):
                for o in level:
                    if o not in assigned and o not in estimate:
                        place(o)
                return
            ready_at[job] = max([ready_at[job]] + [assigned[o][1] + prep.ops[o].duration
                                                   for o in level])
            level_of[job] += 1

    for job in prep.levels:
        advance(job)

    def urgency(op_id: str) -> tuple[float, float, str]:
        # Kept while the operation waits: its job's remaining work changes only when an
        # operation of the same job is placed (a sibling of its level, at most).
        key = urgent.get(op_id)
        if key is None:
            op = prep.ops[op_id]
            job = prep.jobs[op.job]
            slack = ((job.due - remaining[op.job]) / job.weight if job.due is not None
                     else math.inf)
            key = urgent[op_id] = (slack, -remaining[op.job], op_id)
        return key

    while (first := current(by_end)) is not None:
        first_end = estimate[first][2]
        conflict: list[str] = []
        while (op_id := current(by_start)) is not None and estimate[op_id][1] < first_end:
            heapq.heappop(by_start)
            conflict.append(op_id)
        chosen = min(conflict, key=urgency) if conflict else first
        for op_id in conflict:
            if op_id != chosen:
                _, start, _, _, seq = estimate[op_id]
                heapq.heappush(by_start, (start, seq, op_id))
        machine, start, end, _, _ = estimate.pop(chosen)
        op = prep.ops[chosen]
        timelines[machine].book(start, end)
        version[machine] += 1
        assigned[chosen] = (machine, start)
        remaining[op.job] -= op.duration
        advance(op.job)
    return assigned


# --- CP-SAT ---------------------------------------------------------------------------------------

def _cp_sat(prep: _Prepared, hint: dict[str, tuple[str, int]] | None, time_limit_s: float,
            workers: int, started: float) -> tuple[dict[str, tuple[str, int]] | None, bool]:
    """Solve with CP-SAT; return the assignment (``None`` if none was found) and whether it is
    proven optimal for both objectives.

    Raises:
        SchedulingError: CP-SAT proved that no schedule exists.
    """
    from ortools.sat.python import cp_model

    problem = prep.problem
    model = cp_model.CpModel()
    start_var, end_var, presence = {}, {}, {}
    per_machine: dict[str, list[object]] = defaultdict(list)
    for op in problem.operations:
        # Plain bounds: the breaks in each machine's NoOverlap keep the start inside a
        # window. Giving the start the union of its windows as a domain is equivalent but
        # made presolve take seconds on a few hundred operations with a year of shifts.
        ranges = [prep.fits[(op.id, m)] for m in prep.eligible[op.id]]
        start = model.new_int_var(min(r[0] for r in ranges), max(r[1] for r in ranges),
                                  f"s_{op.id}")
        end = model.new_int_var(0, prep.horizon, f"e_{op.id}")
        start_var[op.id], end_var[op.id] = start, end
        machines = prep.eligible[op.id]
        if len(machines) == 1:
            per_machine[machines[0]].append(
                model.new_interval_var(start, op.duration, end, f"i_{op.id}"))
            presence[(op.id, machines[0])] = 1
            continue
        literals = []
        for machine in machines:
            literal = model.new_bool_var(f"p_{op.id}_{machine}")
            presence[(op.id, machine)] = literal
            literals.append(literal)
            per_machine[machine].append(model.new_optional_interval_var(
                start, op.duration, end, literal, f"i_{op.id}_{machine}"))
        model.add_exactly_one(literals)

    for machine, windows in prep.windows.items():
        for b_start, b_end in _breaks(windows, prep.horizon):
            per_machine[machine].append(
                model.new_fixed_size_interval_var(b_start, b_end - b_start, f"b_{machine}"))
    for intervals in per_machine.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)

    for levels in prep.levels.values():
        for before, after in zip(levels, levels[1:], strict=False):
            for later in after:
                if prep.ops[later].fixed_start is not None:
                    continue  # already running: a fact, not a decision
                for earlier in before:
                    model.add(start_var[later] >= end_var[earlier])

    makespan = model.new_int_var(0, prep.horizon, "makespan")
    model.add_max_equality(makespan, list(end_var.values()))
    late_terms = []
    late_vars: dict[str, Any] = {}
    for job_id, levels in prep.levels.items():
        job = prep.jobs[job_id]
        if job.due is None:
            continue
        # A due time already past (negative) makes lateness exceed the horizon.
        late = model.new_int_var(0, prep.horizon + max(0, -job.due), f"t_{job_id}")
        for last in levels[-1]:
            model.add(late >= end_var[last] - job.due)
        late_vars[job_id] = late
        late_terms.append(job.weight * late)

    def add_hint(assignment: dict[str, tuple[str, int]]) -> None:
        model.clear_hints()
        for op in problem.operations:
            machine, start = assignment[op.id]
            model.add_hint(start_var[op.id], start)
            model.add_hint(end_var[op.id], start + op.duration)
            for m in prep.eligible[op.id]:
                literal = presence[(op.id, m)]
                if not isinstance(literal, int):
                    model.add_hint(literal, m == machine)
        # A complete hint is taken as the first solution at once.
        ends = {op.id: assignment[op.id][1] + op.duration for op in problem.operations}
        model.add_hint(makespan, max(ends.values()))
        for job_id, late in late_vars.items():
            due = prep.jobs[job_id].due
            assert due is not None
            model.add_hint(late, max([0] + [ends[o] - due for o in prep.levels[job_id][-1]]))

    def run(limit: float) -> tuple[int, cp_model.CpSolver]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(limit, 0.01)
        solver.parameters.num_workers = workers
        return solver.solve(model), solver

    def read(solver: cp_model.CpSolver) -> dict[str, tuple[str, int]]:
        chosen = {}
        for (op_id, machine), literal in presence.items():
            if isinstance(literal, int) or solver.boolean_value(literal):
                chosen[op_id] = (machine, solver.value(start_var[op_id]))
        return chosen

    found = (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if hint is not None:
        add_hint(hint)
    best: dict[str, tuple[str, int]] | None = None
    proven = True
    if late_terms:
        model.minimize(sum(late_terms))
        status, solver = run((time_limit_s - (time.monotonic() - started)) * 0.6)
        if status == cp_model.INFEASIBLE:
            raise SchedulingError("No schedule exists within the horizon: the machines are "
                                  "not available long enough for this work.")
        if status not in found:
            return None, False
        best, proven = read(solver), status == cp_model.OPTIMAL
        model.add(sum(late_terms) <= round(solver.objective_value))
        add_hint(best)
    model.minimize(makespan)
    status, solver = run(time_limit_s - (time.monotonic() - started))
    if status == cp_model.INFEASIBLE and best is None:
        raise SchedulingError("No schedule exists within the horizon: the machines are not "
                              "available long enough for this work.")
    if status in found:
        return read(solver), proven and status == cp_model.OPTIMAL
    return best, False


def solve(problem: Problem, time_limit_s: float = 10.0, *, workers: int = 2) -> Schedule:
    """Schedule every operation of ``problem`` (see the module's docstring for the model).

    Args:
        problem: What to schedule.
        time_limit_s: Wall-clock limit for the whole call (the dispatching rule, then CP-SAT
            over both phases, with at least 10 ms each). ``0`` or less: use the dispatching
            rule alone.
        workers: CP-SAT's parallel workers (keep it at the number of cores).

    Returns:
        The schedule; ``solver`` says whether CP-SAT or the dispatching rule made it.

    Raises:
        SchedulingError: the problem is malformed, or no schedule exists (an operation longer
            than every availability window, or not enough time before the horizon).
    """
    started = time.monotonic()
    prep = _prepare(problem)
    if not problem.operations:
        return _score(prep, {}, "cp-sat", True, started)
    try:
        hint: dict[str, tuple[str, int]] | None = _dispatch(prep)
    except SchedulingError:
        if time_limit_s <= 0:
            raise
        hint = None
    if time_limit_s <= 0:
        assert hint is not None
        return _score(prep, hint, "dispatch", False, started)
    assignment, optimal = _cp_sat(prep, hint, time_limit_s, workers, started)
    if assignment is not None:
        return _score(prep, assignment, "cp-sat", optimal, started)
    if hint is None:
        raise SchedulingError(f"No schedule was found within {time_limit_s:g} s; allow the "
                              "scheduler more time.")
    return _score(prep, hint, "dispatch", False, started)


def violations(problem: Problem, schedule: Schedule) -> list[str]:
    """Every rule ``schedule`` breaks (empty when it is sound): each operation once on an
    eligible machine, job order, release, one operation at a time per machine, and calendars
    (running operations excepted)."""
    found: list[str] = []
    placed = {p.operation: p for p in schedule.placements}
    jobs = {job.id: job for job in problem.jobs}
    machines = {m.id: m for m in problem.machines}
    ops = {op.id: op for op in problem.operations}
    for op in problem.operations:
        p = placed.get(op.id)
        if p is None:
            found.append(f"{op.id} is not placed")
            continue
        allowed = {op.fixed_machine} if op.fixed_machine else set(op.machines)
        if p.machine not in allowed:
            found.append(f"{op.id} runs on {p.machine}, which may not run it")
        if p.end - p.start != op.duration:
            found.append(f"{op.id} lasts {p.end - p.start} s, not {op.duration} s")
        if op.fixed_start is not None:
            if p.start != op.fixed_start:
                found.append(f"{op.id} moved from its fixed start")
            continue
        if p.start < jobs[op.job].release:
            found.append(f"{op.id} starts before its job's release")
        calendar = machines[p.machine].calendar
        if calendar is not None and op.duration > 0 and not any(
                s <= p.start and p.end <= e for s, e in calendar):
            found.append(f"{op.id} runs outside {p.machine}'s calendar")
        for other in problem.operations:
            if (other.job == op.job and other.order < op.order and other.id in placed
                    and placed[other.id].end > p.start):
                found.append(f"{op.id} starts before {other.id} ends")
    by_machine: dict[str, list[Placement]] = defaultdict(list)
    for p in schedule.placements:
        if p.operation in ops and p.end > p.start:
            by_machine[p.machine].append(p)
    for machine, items in by_machine.items():
        items.sort(key=lambda p: p.start)
        for a, b in zip(items, items[1:], strict=False):
            if b.start < a.end:
                found.append(f"{a.operation} and {b.operation} overlap on {machine}")
    return found


def parse_jobshop(text: str) -> Problem:
    """Read a job-shop instance in the OR-Library text format.

    The first line holding exactly two integers is ``n_jobs n_machines``; each of the next
    ``n_jobs`` lines lists ``machine duration`` pairs in the job's order, machines numbered
    from 0. Description lines before it are skipped, and so is anything after the jobs.

    Raises:
        SchedulingError: the text is not such an instance.
    """
    lines = [line.split() for line in text.splitlines()]
    rows: Sequence[list[str]] = [row for row in lines if row and not row[0].startswith("#")]
    for index, row in enumerate(rows):
        if len(row) == 2 and all(part.isdigit() for part in row):
            n_jobs, n_machines = int(row[0]), int(row[1])
            job_rows = rows[index + 1:index + 1 + n_jobs]
            break
    else:
        raise SchedulingError("No line 'n_jobs n_machines' found: not an OR-Library job-shop "
                              "instance.")
    if len(job_rows) < n_jobs:
        raise SchedulingError(f"The instance announces {n_jobs} jobs but lists "
                              f"{len(job_rows)}.")
    jobs, operations = [], []
    for j, row in enumerate(job_rows):
        if len(row) % 2 or not all(part.isdigit() for part in row):
            raise SchedulingError(f"Job {j}: expected pairs of whole numbers "
                                  "'machine duration'.")
        jobs.append(Job(id=str(j)))
        for k in range(0, len(row), 2):
            machine, duration = int(row[k]), int(row[k + 1])
            if machine >= n_machines:
                raise SchedulingError(f"Job {j} names machine {machine}, but the instance has "
                                      f"{n_machines} (numbered from 0).")
            operations.append(Operation(id=f"{j}.{k // 2}", job=str(j), order=k // 2,
                                        duration=duration, machines=(str(machine),)))
    return Problem(jobs=tuple(jobs), operations=tuple(operations),
                   machines=tuple(Machine(id=str(m)) for m in range(n_machines)))
