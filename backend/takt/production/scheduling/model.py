"""The scheduling problem and its answer: jobs, operations, machines, a schedule; reading an
OR-Library job-shop instance and checking a schedule against its problem."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from takt.platform.i18n import Message

__all__ = [
    "Job",
    "Machine",
    "Operation",
    "Placement",
    "Problem",
    "Schedule",
    "SchedulingError",
    "Solver",
    "parse_jobshop",
    "violations",
]

Solver = Literal["cp-sat", "dispatch"]


class SchedulingError(ValueError):
    """The problem is malformed or has no schedule; the message is a sentence for a planner.

    Args:
        sentence: That sentence, a :class:`~takt.platform.i18n.Message` naming operations
            (``op``) and machines (``machine``, ``machines``) by the problem's ids, so that
            a caller can name them in its own words and answer in the reader's language.
    """

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


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
        raise SchedulingError(Message("No line 'n_jobs n_machines' found: not an OR-Library "
                                      "job-shop instance."))
    if len(job_rows) < n_jobs:
        raise SchedulingError(Message("The instance announces {n_jobs} jobs but lists "
                                      "{listed}.", n_jobs=n_jobs, listed=len(job_rows)))
    jobs, operations = [], []
    for j, row in enumerate(job_rows):
        if len(row) % 2 or not all(part.isdigit() for part in row):
            raise SchedulingError(Message("Job {job}: expected pairs of whole numbers "
                                          "'machine duration'.", job=j))
        jobs.append(Job(id=str(j)))
        for k in range(0, len(row), 2):
            machine, duration = int(row[k]), int(row[k + 1])
            if machine >= n_machines:
                raise SchedulingError(Message("Job {job} names machine {machine}, but the "
                                              "instance has {n_machines} (numbered from 0).",
                                              job=j, machine=machine, n_machines=n_machines))
            operations.append(Operation(id=f"{j}.{k // 2}", job=str(j), order=k // 2,
                                        duration=duration, machines=(str(machine),)))
    return Problem(jobs=tuple(jobs), operations=tuple(operations),
                   machines=tuple(Machine(id=str(m)) for m in range(n_machines)))
