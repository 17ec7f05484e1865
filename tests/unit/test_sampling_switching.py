"""ISO 2859-1 switching rules: sequences from issue 14 section 1 and the reference's section 5.

Normal -> tightened on 2 of 5 or fewer consecutive lots not accepted, back after 5 accepted,
discontinued after 5 lots not accepted (cumulative) on tightened until a supervisor resumes,
reduced offered after 10 accepted on normal when the plan allows it and ended by a lot not
accepted, and the refusals with their sentences.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from takt.platform.errors import Conflict
from takt.platform.i18n import translate
from takt.quality.switching import START, SwitchState, after_lot, resume, start_reduced

A, R = True, False  # accepted, not accepted


def run(outcomes: Iterable[bool], state: SwitchState = START, *,
        reduced_allowed: bool = False) -> list[SwitchState]:
    """Every state after each lot of ``outcomes``, starting from ``state``."""
    states = []
    for accepted in outcomes:
        state = after_lot(state, accepted, reduced_allowed=reduced_allowed)
        states.append(state)
    return states


def tightened() -> SwitchState:
    state = run([R, R])[-1]
    assert state.severity == "tightened"
    return state


def test_inspection_starts_on_normal() -> None:
    assert START.severity == "normal"
    assert not START.reduced_offered


def test_accept_reject_accept_reject_tightens() -> None:
    states = run([A, R, A, R])
    assert [s.severity for s in states] == ["normal", "normal", "normal", "tightened"]
    assert states[-1].reason == "tightened_after_2_of_5"


@pytest.mark.parametrize("outcomes", [
    [R, R], [R, A, R], [R, A, A, R], [R, A, A, A, R], [A, A, A, R, A, R]])
def test_two_not_accepted_within_five_consecutive_lots_tighten(outcomes: list[bool]) -> None:
    assert run(outcomes)[-1].severity == "tightened"


def test_two_not_accepted_six_lots_apart_stay_normal() -> None:
    states = run([R, A, A, A, A, R])
    assert all(s.severity == "normal" for s in states)
    assert states[-1].reason is None


def test_one_not_accepted_lot_at_a_time_never_tightens() -> None:
    states = run([R, A, A, A, A] * 4)
    assert {s.severity for s in states} == {"normal"}


def test_five_accepted_on_tightened_return_to_normal() -> None:
    states = run([A] * 5, tightened())
    assert [s.severity for s in states] == ["tightened"] * 4 + ["normal"]
    assert states[-1].reason == "normal_after_5_accepted"


def test_a_not_accepted_lot_restarts_the_five_accepted_on_tightened() -> None:
    states = run([A, A, A, A, R, A, A, A, A], tightened())
    assert states[-1].severity == "tightened"
    assert run([A], states[-1])[-1].severity == "normal"


def test_back_on_normal_the_window_starts_again() -> None:
    state = run([A] * 5, tightened())[-1]
    # The 2 lots that tightened are forgotten: one more not accepted does not tighten again.
    assert run([R], state)[-1].severity == "normal"


def test_five_not_accepted_on_tightened_discontinue() -> None:
    states = run([R] * 5, tightened())
    assert [s.severity for s in states] == ["tightened"] * 4 + ["discontinued"]
    assert states[-1].reason == "discontinued_after_5_not_accepted"


def test_the_five_not_accepted_on_tightened_are_cumulative() -> None:
    # Accepted lots in between (fewer than 5 in a row) do not reset the count.
    states = run([R, A, R, A, A, R, A, A, A, R, A, R], tightened())
    assert states[-2].severity == "tightened"
    assert states[-1].severity == "discontinued"


def test_discontinued_stays_until_a_supervisor_resumes_on_tightened() -> None:
    state = run([R] * 5, tightened())[-1]
    after = run([A] * 12, state)
    assert all(s.severity == "discontinued" for s in after)
    resumed = resume(after[-1])
    assert resumed.severity == "tightened"
    assert resumed.reason == "resumed_on_tightened"
    assert resumed.not_accepted_on_tightened == 0
    assert run([A] * 5, resumed)[-1].severity == "normal"


def test_resume_is_refused_when_not_discontinued() -> None:
    with pytest.raises(Conflict) as refused:
        resume(tightened())
    assert refused.value.code == "sampling.not_discontinued"
    assert translate(refused.value.sentence, "zh-CN") == "检验未处于暂停检验状态，无需恢复。"


def test_ten_accepted_on_normal_offer_reduced_only_when_the_plan_allows_it() -> None:
    allowed = run([A] * 10, reduced_allowed=True)
    assert [s.reduced_offered for s in allowed] == [False] * 9 + [True]
    assert allowed[-1].reason == "reduced_offered_after_10_accepted"
    assert allowed[-1].severity == "normal"  # offered, not switched
    not_allowed = run([A] * 10)
    assert not any(s.reduced_offered for s in not_allowed)


def test_the_ten_accepted_must_be_the_last_ten() -> None:
    state = run([A] * 9 + [R], reduced_allowed=True)[-1]
    assert not state.reduced_offered
    assert not run([A] * 9, state, reduced_allowed=True)[-1].reduced_offered
    assert run([A] * 10, state, reduced_allowed=True)[-1].reduced_offered


def test_a_not_accepted_lot_withdraws_the_offer() -> None:
    state = run([A] * 10, reduced_allowed=True)[-1]
    withdrawn = after_lot(state, False, reduced_allowed=True)
    assert (withdrawn.severity, withdrawn.reduced_offered) == ("normal", False)
    assert withdrawn.reason == "reduced_offer_withdrawn"


def test_a_supervisor_starts_reduced_and_the_first_lot_not_accepted_ends_it() -> None:
    state = start_reduced(run([A] * 10, reduced_allowed=True)[-1])
    assert (state.severity, state.reason) == ("reduced", "reduced_started")
    states = run([A, A, A, R], state, reduced_allowed=True)
    assert [s.severity for s in states] == ["reduced"] * 3 + ["normal"]
    assert states[-1].reason == "normal_after_not_accepted_on_reduced"
    assert not states[-1].reduced_offered


@pytest.mark.parametrize("state", [
    START, run([A] * 10)[-1], run([A] * 9, reduced_allowed=True)[-1], tightened()])
def test_start_reduced_is_refused_when_not_offered(state: SwitchState) -> None:
    with pytest.raises(Conflict) as refused:
        start_reduced(state)
    assert refused.value.code == "sampling.reduced_not_offered"
    assert refused.value.sentence == (
        "Reduced inspection is not offered: it needs the plan to allow it and the last 10 lots "
        "on normal inspection all accepted.")
    assert translate(refused.value.sentence, "zh-CN") == (
        "不可转为放宽检验：需检验方案允许放宽检验，且正常检验下最近 10 批均已接收。")


def test_states_are_frozen() -> None:
    with pytest.raises(AttributeError):
        START.severity = "tightened"  # type: ignore[misc]
