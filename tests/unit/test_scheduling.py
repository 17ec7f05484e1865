"""The scheduling core: sound schedules (job order, one operation at a time per machine,
calendars), proven optima on small instances, and the dispatching rule when time runs out."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from takt.cli import main
from takt.production.scheduling import (
    Job,
    Machine,
    Operation,
    Problem,
    SchedulingError,
    parse_jobshop,
    solve,
    violations,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "jobshop"


def _jobshop(rows: list[list[tuple[int, int]]], machines: int) -> Problem:
    text = f"{len(rows)} {machines}\n" + "\n".join(
        " ".join(f"{m} {d}" for m, d in row) for row in rows)
    return parse_jobshop(text)


def _brute_force_makespan(rows: list[list[tuple[int, int]]], machines: int) -> int:
    """The optimum by trying every order of the operations on every machine."""
    on_machine = {m: [(j, k) for j, row in enumerate(rows) for k, (mm, _) in enumerate(row)
                      if mm == m] for m in range(machines)}
    best = None
    for orders in itertools.product(*(itertools.permutations(ops)
                                      for ops in on_machine.values())):
        before = {(j, k): [(j, k - 1)] if k else [] for j, row in enumerate(rows)
                  for k in range(len(row))}
        for sequence in orders:
            for a, b in itertools.pairwise(sequence):
                before[b].append(a)
        end: dict[tuple[int, int], int] = {}
        progress = True
        while progress and len(end) < len(before):
            progress = False
            for op, preds in before.items():
                if op not in end and all(p in end for p in preds):
                    end[op] = max((end[p] for p in preds), default=0) + rows[op[0]][op[1]][1]
                    progress = True
        if len(end) == len(before):  # no cycle: a feasible order
            makespan = max(end.values())
            best = makespan if best is None else min(best, makespan)
    assert best is not None
    return best


def _random_rows(rng: random.Random, jobs: int, machines: int) -> list[list[tuple[int, int]]]:
    rows = []
    for _ in range(jobs):
        order = list(range(machines))
        rng.shuffle(order)
        rows.append([(m, rng.randint(1, 9)) for m in order])
    return rows


def test_ft06_is_solved_to_its_published_optimum_of_55_and_proven():
    problem = parse_jobshop((DATA / "ft06.txt").read_text())
    schedule = solve(problem, time_limit_s=5)
    assert (schedule.makespan, schedule.optimal, schedule.solver) == (55, True, "cp-sat")
    assert violations(problem, schedule) == []


def test_la01_reaches_its_published_optimum_of_666_within_a_short_limit():
    problem = parse_jobshop((DATA / "la01.txt").read_text())
    schedule = solve(problem, time_limit_s=5)
    assert schedule.makespan == 666
    assert violations(problem, schedule) == []


@pytest.mark.parametrize("seed", range(4))
def test_small_instances_reach_the_brute_force_optimum_and_prove_it(seed):
    rng = random.Random(seed)
    jobs, machines = (3, 3) if seed % 2 else (4, 2)
    rows = _random_rows(rng, jobs, machines)
    schedule = solve(_jobshop(rows, machines), time_limit_s=5)
    assert schedule.optimal
    assert schedule.makespan == _brute_force_makespan(rows, machines)


def test_total_weighted_tardiness_is_optimal_on_one_machine():
    rng = random.Random(11)
    durations = [rng.randint(3, 20) for _ in range(6)]
    dues = [rng.randint(5, 60) for _ in range(6)]
    weights = [rng.randint(1, 4) for _ in range(6)]
    problem = Problem(
        jobs=tuple(Job(str(j), due=dues[j], weight=weights[j]) for j in range(6)),
        operations=tuple(Operation(f"{j}.0", str(j), 0, durations[j], ("M",))
                         for j in range(6)),
        machines=(Machine("M"),))
    best = min(
        sum(weights[j] * max(0, end - dues[j])
            for j, end in zip(order, itertools.accumulate(durations[j] for j in order),
                              strict=True))
        for order in itertools.permutations(range(6)))
    schedule = solve(problem, time_limit_s=5)
    assert schedule.optimal
    assert schedule.total_weighted_tardiness == best


def test_tardiness_comes_before_makespan():
    # Makespan alone would run L's first step first (makespan 20) and make the urgent H late;
    # the lexicographic objective keeps H on time and pays with a makespan of 25.
    problem = Problem(
        jobs=(Job("H", due=5, weight=10), Job("L")),
        operations=(Operation("H1", "H", 0, 5, ("M1",)),
                    Operation("L1", "L", 0, 10, ("M1",)),
                    Operation("L2", "L", 1, 10, ("M2",))),
        machines=(Machine("M1"), Machine("M2")))
    schedule = solve(problem, time_limit_s=5)
    assert (schedule.total_weighted_tardiness, schedule.makespan) == (0, 25)
    assert schedule.optimal and schedule.tardiness == {"H": 0, "L": 0}


def _flexible_problem(rng: random.Random, jobs: int, machines: int,
                      calendar: tuple[tuple[int, int], ...] | None) -> Problem:
    ops = []
    for j in range(jobs):
        for k in range(rng.randint(2, 4)):
            first = rng.randrange(machines)
            second = (first + rng.randint(0, 1)) % machines
            eligible = tuple(dict.fromkeys((f"M{first}", f"M{second}")))
            ops.append(Operation(f"{j}.{k}", str(j), k, rng.randint(5, 60), eligible))
    return Problem(
        jobs=tuple(Job(str(j), due=rng.randint(50, 400), weight=rng.randint(1, 3),
                       release=rng.choice((0, 0, 30))) for j in range(jobs)),
        operations=tuple(ops),
        machines=tuple(Machine(f"M{m}", calendar) for m in range(machines)))


@pytest.mark.parametrize("time_limit_s", [0, 2])
@pytest.mark.parametrize("seed", range(3))
def test_schedules_keep_job_order_one_operation_per_machine_and_calendars(seed, time_limit_s):
    rng = random.Random(seed)
    # Two shifts a "day" of 200 s: [0, 80) and [100, 180), nothing in [80, 100) or [180, 200).
    calendar = tuple(w for day in range(40) for w in ((day * 200, day * 200 + 80),
                                                      (day * 200 + 100, day * 200 + 180)))
    problem = _flexible_problem(rng, 6, 3, calendar)
    schedule = solve(problem, time_limit_s=time_limit_s)
    assert violations(problem, schedule) == []
    for placement in schedule.placements:
        day_start = placement.start - placement.start % 200
        assert any(day_start + a <= placement.start and placement.end <= day_start + b
                   for a, b in ((0, 80), (100, 180))), placement


def test_nothing_runs_in_a_break_or_on_a_holiday():
    # Around the clock except a break [50, 100) and a "holiday" [150, 400).
    calendar = ((0, 50), (100, 150), (400, 1000))
    problem = Problem(
        jobs=(Job("A"), Job("B")),
        operations=(Operation("A1", "A", 0, 40, ("M",)), Operation("A2", "A", 1, 40, ("M",)),
                    Operation("B1", "B", 0, 40, ("M",))),
        machines=(Machine("M", calendar),))
    schedule = solve(problem, time_limit_s=2)
    spans = sorted((p.start, p.end) for p in schedule.placements)
    assert violations(problem, schedule) == []
    assert all(not (s < 100 and e > 50) and not (s < 400 and e > 150) for s, e in spans)
    assert schedule.makespan == 440 and schedule.optimal


def test_a_running_operation_keeps_its_place_even_across_a_break():
    problem = Problem(
        jobs=(Job("A"), Job("B")),
        operations=(Operation("A1", "A", 0, 100, ("M",), fixed_machine="M", fixed_start=0),
                    Operation("A2", "A", 1, 10, ("M",)),
                    Operation("B1", "B", 0, 10, ("M",))),
        machines=(Machine("M", ((0, 30), (200, 300))),))
    schedule = solve(problem, time_limit_s=2)
    placed = {p.operation: p for p in schedule.placements}
    assert (placed["A1"].start, placed["A1"].end) == (0, 100)
    assert placed["A2"].start >= 200 and placed["B1"].start >= 200
    assert violations(problem, schedule) == []


def test_an_operation_longer_than_every_shift_is_refused_with_a_sentence():
    problem = Problem(jobs=(Job("A"),),
                      operations=(Operation("A1", "A", 0, 500, ("M",)),),
                      machines=(Machine("M", ((0, 480), (600, 1080))),))
    with pytest.raises(SchedulingError, match="needs 500 s in one piece"):
        solve(problem, time_limit_s=1)


def test_the_dispatching_rule_answers_when_the_solver_runs_out_of_time():
    rng = random.Random(5)
    rows = _random_rows(rng, 50, 20)
    problem = _jobshop(rows, 20)
    schedule = solve(problem, time_limit_s=0.001)
    assert schedule.solver == "dispatch" and not schedule.optimal
    assert violations(problem, schedule) == []
    assert schedule.makespan >= max(sum(d for _, d in row) for row in rows)


def test_the_jobshop_reader_skips_descriptions_and_refuses_nonsense():
    problem = parse_jobshop((DATA / "la01.txt").read_text())
    assert (len(problem.jobs), len(problem.machines), len(problem.operations)) == (10, 5, 50)
    assert problem.operations[0] == Operation("0.0", "0", 0, 21, ("1",))
    with pytest.raises(SchedulingError, match="n_jobs n_machines"):
        parse_jobshop("no numbers here\n")
    with pytest.raises(SchedulingError, match="machine 3"):
        parse_jobshop("1 2\n3 5\n")


def test_takt_schedule_jobshop_prints_makespan_and_optimality(capsys):
    assert main(["schedule-jobshop", str(DATA / "ft06.txt"), "--time-limit", "5"]) == 0
    assert json.loads(capsys.readouterr().out) == {"makespan": 55, "optimal": True}
    assert main(["schedule-jobshop", str(DATA / "missing.txt")]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_a_job_already_past_its_due_time_is_scheduled_first_and_counted_late():
    problem = Problem(
        jobs=(Job("old", due=-3600, weight=9), Job("new", due=10_000)),
        operations=(Operation("o1", "old", 0, 100, ("M",)), Operation("n1", "new", 0, 100, ("M",))),
        machines=(Machine("M"),))
    schedule = solve(problem, time_limit_s=2)
    placed = {p.operation: p for p in schedule.placements}
    assert placed["o1"].start == 0 and schedule.tardiness == {"old": 3700, "new": 0}
    assert schedule.total_weighted_tardiness == 9 * 3700
