"""ISO 2859-1 single sampling: cells picked from ``../shared/reference/iso2859-1.md``.

Code letters (section 1) across general and special levels, plans on normal, tightened and
reduced inspection (section 4) with arrows followed down and up to the whole plan of their
target row, 100 % inspection when n reaches the lot size (section 3), and the refusals with
their sentences. Cell A at AQL 10 on normal inspection is not pinned: the reference says not to.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from takt.platform.errors import Invalid
from takt.platform.i18n import translate
from takt.quality.sampling import (
    AQLS,
    NORMAL_TABLE,
    REDUCED_SAMPLE_SIZES,
    REDUCED_TABLE,
    SAMPLE_SIZES,
    TIGHTENED_TABLE,
    SamplingPlan,
    code_letter,
    judge,
    plan,
)

LETTERS = "ABCDEFGHJKLMNPQR"


@pytest.mark.parametrize(("lot_size", "level", "letter"), [
    (2, "S-1", "A"), (8, "III", "B"), (9, "II", "B"), (15, "III", "C"),
    (16, "S-3", "B"), (25, "I", "B"), (50, "S-2", "B"), (90, "II", "E"),
    # 91-150 at S-3 is C (one public table wrongly says D: the reference's negative control).
    (91, "S-3", "C"), (150, "S-4", "D"), (151, "S-3", "D"), (280, "S-2", "C"),
    (500, "I", "F"), (1000, "II", "J"), (1200, "III", "K"), (3200, "S-2", "D"),
    (3201, "S-1", "C"), (10000, "S-4", "G"), (35000, "S-4", "H"), (35001, "S-1", "D"),
    (150001, "I", "M"), (500000, "II", "P"), (500001, "S-3", "H"), (500001, "III", "R"),
    (10**9, "II", "Q"),
])
def test_code_letters_follow_table_i(lot_size: int, level: str, letter: str) -> None:
    assert code_letter(lot_size, level) == letter


@pytest.mark.parametrize(("lot_size", "aql", "level", "severity", "expected"), [
    # Normal, the row's own plans: J@1.0 = 80, 2/3; K@0.65 = 125, 2/3.
    (1000, "1.0", "II", "normal", SamplingPlan("J", "J", "normal", 80, 80, 2, 3, False)),
    (2000, "0.65", "II", "normal", SamplingPlan("K", "K", "normal", 125, 125, 2, 3, False)),
    # Normal, arrow down: J@0.10 ↓125:0/1 takes K's plan, n = 125.
    (1000, "0.10", "II", "normal", SamplingPlan("J", "K", "normal", 125, 125, 0, 1, False)),
    # Normal, arrow up: J@0.25 ↑50:0/1 takes H's plan, n = 50.
    (1000, "0.25", "II", "normal", SamplingPlan("J", "H", "normal", 50, 50, 0, 1, False)),
    # Arrows chain: C@0.010 ↓ ... ↓ Q = 1250, 0/1 (S-1 at 1201-3200 is C).
    (3000, "0.010", "S-1", "normal", SamplingPlan("C", "Q", "normal", 1250, 1250, 0, 1, False)),
    # ... and up: F@1000 ↑ ... ↑ B = 3, 44/45 (III at 51-90 is F).
    (80, "1000", "III", "normal", SamplingPlan("F", "B", "normal", 3, 3, 44, 45, False)),
    # Down then up in one column: D@4.0 ↓13:1/2 is E's own 1/2.
    (30, "4.0", "II", "normal", SamplingPlan("D", "E", "normal", 13, 13, 1, 2, False)),
    # Tightened: J@1.0 = 80, 1/2; J@0.65 ↓125:1/2; J@100 = 18/19 vs G's ↑20:18/19.
    (1000, "1.0", "II", "tightened", SamplingPlan("J", "J", "tightened", 80, 80, 1, 2, False)),
    (1000, "0.65", "II", "tightened",
     SamplingPlan("J", "K", "tightened", 125, 125, 1, 2, False)),
    (200, "65", "II", "tightened", SamplingPlan("G", "F", "tightened", 20, 20, 18, 19, False)),
    (1000, "1000", "II", "tightened",
     SamplingPlan("J", "B", "tightened", 3, 3, 41, 42, False)),
    # Tightened Q@0.025 ↓ R ↓ S: code S, n = 3150, 1/2.
    (600000, "0.025", "II", "tightened",
     SamplingPlan("Q", "S", "tightened", 3150, 3150, 1, 2, False)),
    # Reduced: cells give n directly, with the Ac/Re gap: K@10 = 50:10/13, D@4.0 = 5:0/2,
    # F@0.010 = 500:0/1.
    (2000, "10", "II", "reduced", SamplingPlan("K", None, "reduced", 50, 50, 10, 13, False)),
    (30, "4.0", "II", "reduced", SamplingPlan("D", None, "reduced", 5, 5, 0, 2, False)),
    (80, "0.010", "III", "reduced", SamplingPlan("F", None, "reduced", 500, 80, 0, 1, True)),
])
def test_plans_follow_the_tables(lot_size: int, aql: str, level: str, severity: str,
                                 expected: SamplingPlan) -> None:
    assert plan(lot_size, aql, level, severity) == expected


def test_the_whole_lot_is_inspected_when_n_reaches_the_lot_size() -> None:
    # A@0.65 ↓20:0/1: n = 20 exceeds a lot of 5.
    assert plan(5, "0.65") == SamplingPlan("A", "F", "normal", 20, 5, 0, 1, True)
    # C@0.65 ↓20:0/1: n = 20 equals a lot of 20.
    assert plan(20, "0.65") == SamplingPlan("C", "F", "normal", 20, 20, 0, 1, True)
    # One unit more and it is a sample again.
    assert plan(26, "0.65").full_inspection is False
    assert plan(10, "0.65", severity="tightened") == SamplingPlan(
        "B", "G", "tightened", 32, 10, 0, 1, True)


def test_an_aql_is_one_column_however_it_is_written() -> None:
    assert plan(1000, "1") == plan(1000, Decimal("1.00")) == plan(1000, " 1.0 ")
    assert plan(1000, "0.01") == plan(1000, Decimal("0.010"))


def test_every_arrow_leads_to_the_plan_the_reference_prints_beside_it() -> None:
    for severity, table in (("normal", NORMAL_TABLE), ("tightened", TIGHTENED_TABLE)):
        for row, letter in enumerate(LETTERS):
            for column, aql in enumerate(AQLS):
                if severity == "normal" and letter == "A" and aql == Decimal("10"):
                    continue  # ⚠ the reference says not to build a test on this cell
                cell = table[letter][column]
                found = _plan_at(letter, aql, severity)
                if cell[0] in "↓↑":
                    printed_n, _, printed_ac_re = cell[1:].partition(":")
                    assert (found.table_sample_size, f"{found.accept}/{found.reject}") == (
                        int(printed_n), printed_ac_re), (severity, letter, str(aql))
                    moved = LETTERS.index(found.plan_letter) if found.plan_letter in LETTERS \
                        else len(LETTERS)
                    assert (moved > row) == (cell[0] == "↓"), (severity, letter, str(aql))
                else:
                    assert found.plan_letter == letter
                    assert found.table_sample_size == SAMPLE_SIZES[letter]
                    assert cell == f"{found.accept}/{found.reject}"


def test_the_reduced_table_is_whole_and_its_own_cells_use_the_rows_sample_size() -> None:
    assert set(REDUCED_TABLE) == set(LETTERS)
    for letter in LETTERS:
        sizes = [int(cell.partition(":")[0]) for cell in REDUCED_TABLE[letter]]
        assert len(sizes) == len(AQLS)
        assert REDUCED_SAMPLE_SIZES[letter] in sizes


@pytest.mark.parametrize(("count", "verdict"), [
    (0, "accept"), (10, "accept"), (11, "accept_return_to_normal"),
    (12, "accept_return_to_normal"), (13, "reject"), (40, "reject"),
])
def test_judging_a_reduced_lot_between_ac_and_re_returns_to_normal(count: int,
                                                                   verdict: str) -> None:
    assert judge(plan(2000, "10", severity="reduced"), count) == verdict


def test_judging_a_normal_lot() -> None:
    normal = plan(1000, "1.0")
    assert [judge(normal, count) for count in (0, 2, 3)] == ["accept", "accept", "reject"]


@pytest.mark.parametrize(("call", "code", "english", "chinese"), [
    (lambda: plan(1, "1.0"), "sampling.lot_size",
     "ISO 2859-1 sampling needs a lot of at least 2 units; this lot has 1.",
     "按 ISO 2859-1 抽样，批量至少为 2 件；此批为 1 件。"),
    (lambda: plan(100, "0.3"), "sampling.aql",
     "AQL 0.3 is not in the ISO 2859-1 tables; use one of 0.010, 0.015, 0.025, 0.040, 0.065, "
     "0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10, 15, 25, 40, 65, 100, 150, "
     "250, 400, 650, 1000.", None),
    (lambda: plan(100, "lots"), "sampling.aql", None, None),
    (lambda: plan(100, "sNaN"), "sampling.aql", None, None),
    (lambda: plan(100, "1.0", level="IV"), "sampling.level",
     "There is no inspection level IV; use one of S-1, S-2, S-3, S-4, I, II, III.",
     "没有检验水平 IV；请使用以下之一：S-1, S-2, S-3, S-4, I, II, III。"),
    (lambda: plan(100, "1.0", severity="strict"), "sampling.severity",
     "There is no inspection severity strict; use normal, tightened or reduced.",
     "没有检验严格度 strict；请使用正常、加严或放宽检验。"),
    (lambda: judge(plan(100, "1.0"), -1), "sampling.count",
     "The number of nonconforming units cannot be negative; it is -1.",
     "不合格品数不能为负数；当前为 -1。"),
])
def test_bad_input_is_refused_with_a_sentence(call: Callable[[], object], code: str,
                                              english: str | None,
                                              chinese: str | None) -> None:
    with pytest.raises(Invalid) as refused:
        call()
    assert refused.value.code == code
    if english is not None:
        assert refused.value.message == english
    if chinese is not None:
        assert translate(refused.value.sentence, "zh-CN") == chinese


def test_the_aql_refusal_reads_in_chinese() -> None:
    with pytest.raises(Invalid) as refused:
        plan(100, "0.3")
    assert translate(refused.value.sentence, "zh-CN").startswith(
        "接收质量限（AQL）0.3 不在 ISO 2859-1 抽样表中；请使用以下之一：0.010, ")


def _plan_at(letter: str, aql: Decimal, severity: str) -> SamplingPlan:
    """The plan of a table row, reached through a lot size and level that give its letter
    (the plan's table sample size and Ac/Re do not depend on 100 % inspection)."""
    for size in (2, 9, 16, 26, 51, 91, 151, 281, 501, 1201, 3201, 10001, 35001, 150001,
                 500001):
        for level in ("S-1", "S-2", "S-3", "S-4", "I", "II", "III"):
            if code_letter(size, level) == letter:
                return plan(size, aql, level, severity)
    raise AssertionError(letter)
