"""Preparing a problem for either solver: checks, the horizon, each machine's availability,
and turning an assignment into a scored :class:`Schedule`."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from takt.platform.i18n import Message
from takt.production.scheduling.model import (
    Job,
    Operation,
    Placement,
    Problem,
    Schedule,
    SchedulingError,
    Solver,
)

__all__ = ["Prepared", "breaks", "prepare", "score"]


@dataclass
class Prepared:
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


def merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def breaks(windows: list[tuple[int, int]], horizon: int) -> list[tuple[int, int]]:
    """The unavailable time of a machine within ``[0, horizon)``."""
    gaps, cursor = [], 0
    for start, end in windows:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < horizon:
        gaps.append((cursor, horizon))
    return gaps


def fit_bounds(windows: list[tuple[int, int]], release: int, duration: int
                ) -> tuple[int, int] | None:
    """The earliest and the latest start of an operation in a window long enough for it."""
    def fits(window: tuple[int, int]) -> bool:
        return window[1] - duration >= max(window[0], release)

    first = next((w for w in windows if fits(w)), None)
    if first is None:
        return None
    last = next(w for w in reversed(windows) if fits(w))
    return max(first[0], release), last[1] - duration


def default_horizon(problem: Problem) -> int:
    latest = max([0]
                 + [job.release for job in problem.jobs]
                 + [op.fixed_start + op.duration for op in problem.operations
                    if op.fixed_start is not None]
                 + [end for m in problem.machines for _, end in (m.calendar or ())])
    return latest + sum(op.duration for op in problem.operations) + 1


def prepare(problem: Problem) -> Prepared:
    jobs = {job.id: job for job in problem.jobs}
    if len(jobs) != len(problem.jobs):
        raise SchedulingError(Message("Two jobs have the same name."))
    machines = {m.id: m for m in problem.machines}
    if len(machines) != len(problem.machines):
        raise SchedulingError(Message("Two machines have the same name."))
    ops: dict[str, Operation] = {}
    for op in problem.operations:
        if op.id in ops:
            raise SchedulingError(Message("Two operations are named {op}.", op=op.id))
        if op.job not in jobs:
            raise SchedulingError(Message("Operation {op} names an unknown job {job}.",
                                          op=op.id, job=op.job))
        if op.duration < 0:
            raise SchedulingError(Message("Operation {op} has a negative duration.", op=op.id))
        named = set(op.machines) | ({op.fixed_machine} if op.fixed_machine else set())
        if not named:
            raise SchedulingError(Message("Operation {op} has no machine it may run on.",
                                          op=op.id))
        unknown = sorted(named - set(machines))
        if unknown:
            raise SchedulingError(Message("Operation {op} names unknown machines: {machines}.",
                                          op=op.id, machines=", ".join(unknown)))
        if op.fixed_start is not None and (op.fixed_start < 0 or op.fixed_machine is None):
            raise SchedulingError(Message("Operation {op} has a fixed start without a machine, "
                                          "or one before the origin.", op=op.id))
        ops[op.id] = op
    horizon = problem.horizon if problem.horizon is not None else default_horizon(problem)

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
                    raise SchedulingError(Message("Two running operations overlap on machine "
                                                  "{machine}; only one may be fixed there.",
                                                  machine=op.fixed_machine))
            fixed_on[op.fixed_machine].append(span)
            horizon = max(horizon, span[1])

    windows: dict[str, list[tuple[int, int]]] = {}
    for m in problem.machines:
        base = [(0, horizon)] if m.calendar is None else [
            (max(0, s), min(e, horizon)) for s, e in m.calendar]
        windows[m.id] = merge([*base, *fixed_on[m.id]])

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
                bounds = fit_bounds(windows[name], release, op.duration)
            if bounds is not None:
                eligible[op.id].append(name)
                fits[(op.id, name)] = bounds
        if not eligible[op.id]:
            longest = max((e - s for n in names for s, e in windows[n]), default=0)
            raise SchedulingError(Message(
                "Operation {op} needs {duration} s in one piece, but the longest time its "
                "machines ({machines}) are available without a break is {longest} s within "
                "the horizon; split the work or extend the calendar.", op=op.id,
                duration=op.duration, machines=", ".join(names), longest=longest))
    return Prepared(problem, horizon, jobs, ops, levels, windows, eligible, fits)


def score(prep: Prepared, assigned: dict[str, tuple[str, int]], solver: Solver,
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


