"""The dispatching rule: a fast list schedule, the solver's hint and its fallback."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math

from takt.platform.i18n import Message
from takt.production.scheduling.model import SchedulingError
from takt.production.scheduling.prepare import Prepared, breaks

__all__ = ["dispatch"]


class Timeline:
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


def dispatch(prep: Prepared) -> dict[str, tuple[str, int]]:
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
    timelines = {m: Timeline(breaks(w, prep.horizon), prep.horizon)
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
            raise SchedulingError(Message("Operation {op} does not fit on any of its machines "
                                          "before the end of the horizon.", op=op_id))
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
