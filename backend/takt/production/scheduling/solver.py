"""CP-SAT over a prepared problem, and :func:`solve`, the one entry point."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from takt.platform.i18n import Message
from takt.production.scheduling.dispatching import dispatch
from takt.production.scheduling.model import Problem, Schedule, SchedulingError
from takt.production.scheduling.prepare import Prepared, breaks, prepare, score

__all__ = ["solve"]

_NO_SCHEDULE = Message("No schedule exists within the horizon: the machines are not available "
                       "long enough for this work.")


def cp_sat(prep: Prepared, hint: dict[str, tuple[str, int]] | None, time_limit_s: float,
            workers: int, started: float) -> tuple[dict[str, tuple[str, int]] | None, bool]:
    """Solve with CP-SAT; return the assignment (``None`` if none was found) and whether it is
    proven optimal for both objectives.

    Raises:
        SchedulingError: CP-SAT proved that no schedule exists.
    """
    from ortools.sat.python import cp_model

    problem = prep.problem
    model = cp_model.CpModel()
    start_var: dict[str, cp_model.IntVar] = {}
    end_var: dict[str, cp_model.IntVar] = {}
    # 1 where an operation has a single eligible machine: no choice, so no literal to solve.
    presence: dict[tuple[str, str], cp_model.IntVar | int] = {}
    per_machine: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
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
        for b_start, b_end in breaks(windows, prep.horizon):
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

    def run(limit: float) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
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
            raise SchedulingError(_NO_SCHEDULE)
        if status not in found:
            return None, False
        best, proven = read(solver), status == cp_model.OPTIMAL
        model.add(sum(late_terms) <= round(solver.objective_value))
        add_hint(best)
    model.minimize(makespan)
    status, solver = run(time_limit_s - (time.monotonic() - started))
    if status == cp_model.INFEASIBLE and best is None:
        raise SchedulingError(_NO_SCHEDULE)
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
    prep = prepare(problem)
    if not problem.operations:
        return score(prep, {}, "cp-sat", True, started)
    try:
        hint: dict[str, tuple[str, int]] | None = dispatch(prep)
    except SchedulingError:
        if time_limit_s <= 0:
            raise
        hint = None
    if time_limit_s <= 0:
        assert hint is not None
        return score(prep, hint, "dispatch", False, started)
    assignment, optimal = cp_sat(prep, hint, time_limit_s, workers, started)
    if assignment is not None:
        return score(prep, assignment, "cp-sat", optimal, started)
    if hint is None:
        raise SchedulingError(Message("No schedule was found within {seconds:g} s; allow the "
                                      "scheduler more time.", seconds=time_limit_s))
    return score(prep, hint, "dispatch", False, started)

