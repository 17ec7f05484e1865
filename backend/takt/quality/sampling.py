"""ISO 2859-1 single sampling by attributes: which plan (n, Ac, Re) a lot is inspected with.

A pure lookup over the tables of ``../shared/reference/iso2859-1.md`` (the project's reference,
transcribed from AQLSchemes 1.7-2 and cross-checked there): Table I (section 1) gives the
sample size code letter from the lot size and the inspection level, section 2 the sample size
per code letter, and Tables II-A, II-B and II-C (section 4) the plans of normal, tightened and
reduced inspection. The tables are data with their arrows kept as printed, never a formula:
formula-built tables invent plans where the standard has an arrow (reference, section 0).

How a plan is found (:func:`plan`):

* An arrow is followed in the same AQL column, row by row, to the first cell that is a plan,
  and the *whole* plan of that row is used: its sample size and its Ac/Re (section 3). Arrows
  can chain. Each arrow cell also carries the ``n:Ac/Re`` it leads to as the reference prints
  it; the tests check that following the arrows gives exactly that.
* When the sample size reaches or exceeds the lot size, the whole lot is inspected (100 %):
  ``sample_size`` is then the lot size, with the plan's Ac/Re (section 3).
* Reduced inspection (Table II-C) is printed resolved, ``n:Ac/Re`` per cell, with no arrows
  and no row letter to point at. Its Ac and Re may leave a gap (0/2, 1/3 ...): a count between
  them accepts the lot but reinstates normal inspection (Z1.4 section 8.3.4(b), MIL-STD-105E
  section 4.10.1.4, as the reference quotes them); :func:`judge` says so. The reference marks
  this table single-source and ANSI/MIL style, not verified against ISO 2859-1:1999, whose
  reduced inspection returns to normal at the first lot not accepted.

What the reference lacks, and this module therefore does not invent: the ISO 2859-1:1999
reduced-table values, Table VIII (limit numbers), the switching-score increments, double and
multiple sampling, and tightened code S's plans other than the one its arrows reach. The
switching rules themselves (section 5) are state kept per item and belong to the quality
module's services, not to this lookup.

⚠ Cell A at AQL 10 on normal inspection: AQLSchemes resolves it down to C (n = 5, 1/2), one
other transcription prints an up arrow that cannot be followed. The table here keeps the
AQLSchemes arrow, as the reference says to, and no test pins this cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, get_args

from takt.platform.errors import Invalid
from takt.platform.i18n import Message

__all__ = [
    "AQLS",
    "LEVELS",
    "NORMAL_TABLE",
    "REDUCED_SAMPLE_SIZES",
    "REDUCED_TABLE",
    "SAMPLE_SIZES",
    "SEVERITIES",
    "TABLE_I",
    "TIGHTENED_TABLE",
    "Level",
    "SamplingPlan",
    "Severity",
    "Verdict",
    "code_letter",
    "judge",
    "plan",
]

Level = Literal["S-1", "S-2", "S-3", "S-4", "I", "II", "III"]
"""Inspection level: special S-1 to S-4, general I to III (II unless the plan says)."""

Severity = Literal["normal", "tightened", "reduced"]
"""Inspection severity, switched per item by the rules of the reference's section 5."""

Verdict = Literal["accept", "accept_return_to_normal", "reject"]
"""A lot's outcome under a plan; ``accept_return_to_normal`` only under reduced inspection."""

LEVELS: Final[tuple[Level, ...]] = get_args(Level)
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)

AQLS: Final[tuple[Decimal, ...]] = tuple(Decimal(text) for text in (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
    "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
    "100", "150", "250", "400", "650", "1000"))
"""The AQL columns of Tables II-A/B/C (reference, section 4): percent nonconforming up to 10,
nonconformities per 100 units above."""

# Reference section 1, Table I: (lot_min, lot_max or None for no limit, the code letters at
# levels S-1, S-2, S-3, S-4, I, II, III in that order).
TABLE_I: Final[tuple[tuple[int, int | None, tuple[str, ...]], ...]] = (
    (2, 8, ("A", "A", "A", "A", "A", "A", "B")),
    (9, 15, ("A", "A", "A", "A", "A", "B", "C")),
    (16, 25, ("A", "A", "B", "B", "B", "C", "D")),
    (26, 50, ("A", "B", "B", "C", "C", "D", "E")),
    (51, 90, ("B", "B", "C", "C", "C", "E", "F")),
    (91, 150, ("B", "B", "C", "D", "D", "F", "G")),
    (151, 280, ("B", "C", "D", "E", "E", "G", "H")),
    (281, 500, ("B", "C", "D", "E", "F", "H", "J")),
    (501, 1200, ("C", "C", "E", "F", "G", "J", "K")),
    (1201, 3200, ("C", "D", "E", "G", "H", "K", "L")),
    (3201, 10000, ("C", "D", "F", "G", "J", "L", "M")),
    (10001, 35000, ("C", "D", "F", "H", "K", "M", "N")),
    (35001, 150000, ("D", "E", "G", "J", "L", "N", "P")),
    (150001, 500000, ("D", "E", "G", "J", "M", "P", "Q")),
    (500001, None, ("D", "E", "H", "K", "N", "Q", "R")),
)
"""Table I of ``../shared/reference/iso2859-1.md`` (section 1): sample size code letters."""

SAMPLE_SIZES: Final[dict[str, int]] = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50, "J": 80, "K": 125,
    "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000, "S": 3150,
}
"""Sample size per code letter on normal and tightened inspection (reference, section 2);
S (3150) is tightened only."""

REDUCED_SAMPLE_SIZES: Final[dict[str, int]] = {
    "A": 2, "B": 2, "C": 2, "D": 3, "E": 5, "F": 8, "G": 13, "H": 20, "J": 32, "K": 50,
    "L": 80, "M": 125, "N": 200, "P": 315, "Q": 500, "R": 800,
}
"""Sample size per code letter on reduced inspection (reference, section 2, single source).
Table II-C's cells carry their own n; this row is kept for display and for the tests."""


def _cells(text: str) -> tuple[str, ...]:
    """One row of a table as printed: its cells in the order of :data:`AQLS`."""
    return tuple(text.split())


# Reference section 4, Table II-A (normal). A cell is "Ac/Re" (the row's own plan) or
# "↓n:Ac/Re" / "↑n:Ac/Re" (an arrow, and the plan the reference says it leads to).
NORMAL_TABLE: Final[dict[str, tuple[str, ...]]] = {
    "A": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 ↓32:0/1 "
        "↓20:0/1 ↓13:0/1 ↓8:0/1 ↓5:0/1 ↓3:0/1 0/1 ↓5:1/2 ↓3:1/2 1/2 2/3 3/4 5/6 7/8 "
        "10/11 14/15 21/22 30/31"
    ),
    "B": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 ↓32:0/1 "
        "↓20:0/1 ↓13:0/1 ↓8:0/1 ↓5:0/1 0/1 ↑2:0/1 ↓5:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 "
        "21/22 30/31 44/45"
    ),
    "C": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 ↓32:0/1 "
        "↓20:0/1 ↓13:0/1 ↓8:0/1 0/1 ↑3:0/1 ↓8:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 "
        "30/31 44/45 ↑3:44/45"
    ),
    "D": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 ↓32:0/1 "
        "↓20:0/1 ↓13:0/1 0/1 ↑5:0/1 ↓13:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 "
        "44/45 ↑5:44/45 ↑3:44/45"
    ),
    "E": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 ↓32:0/1 "
        "↓20:0/1 0/1 ↑8:0/1 ↓20:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 30/31 44/45 "
        "↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "F": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 ↓32:0/1 "
        "0/1 ↑13:0/1 ↓32:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑13:21/22 ↑13:30/31 "
        "↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "G": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 ↓50:0/1 0/1 "
        "↑20:0/1 ↓50:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑20:21/22 ↑13:21/22 "
        "↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "H": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 0/1 ↑32:0/1 "
        "↓80:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑32:21/22 ↑20:21/22 ↑13:21/22 "
        "↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "J": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 0/1 ↑50:0/1 ↓125:1/2 1/2 "
        "2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑50:21/22 ↑32:21/22 ↑20:21/22 ↑13:21/22 "
        "↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "K": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 0/1 ↑80:0/1 ↓200:1/2 1/2 2/3 3/4 "
        "5/6 7/8 10/11 14/15 21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 ↑20:21/22 ↑13:21/22 "
        "↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "L": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 0/1 ↑125:0/1 ↓315:1/2 1/2 2/3 3/4 5/6 7/8 "
        "10/11 14/15 21/22 ↑125:21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 ↑20:21/22 ↑13:21/22 "
        "↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "M": _cells(
        "↓1250:0/1 ↓800:0/1 ↓500:0/1 0/1 ↑200:0/1 ↓500:1/2 1/2 2/3 3/4 5/6 7/8 10/11 "
        "14/15 21/22 ↑200:21/22 ↑125:21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 ↑20:21/22 "
        "↑13:21/22 ↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "N": _cells(
        "↓1250:0/1 ↓800:0/1 0/1 ↑315:0/1 ↓800:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 "
        "↑315:21/22 ↑200:21/22 ↑125:21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 ↑20:21/22 "
        "↑13:21/22 ↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "P": _cells(
        "↓1250:0/1 0/1 ↑500:0/1 ↓1250:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 "
        "↑500:21/22 ↑315:21/22 ↑200:21/22 ↑125:21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 "
        "↑20:21/22 ↑13:21/22 ↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "Q": _cells(
        "0/1 ↑800:0/1 ↓2000:1/2 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑800:21/22 "
        "↑500:21/22 ↑315:21/22 ↑200:21/22 ↑125:21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 "
        "↑20:21/22 ↑13:21/22 ↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
    "R": _cells(
        "↑1250:0/1 ↑800:0/1 1/2 2/3 3/4 5/6 7/8 10/11 14/15 21/22 ↑1250:21/22 ↑800:21/22 "
        "↑500:21/22 ↑315:21/22 ↑200:21/22 ↑125:21/22 ↑80:21/22 ↑50:21/22 ↑32:21/22 "
        "↑20:21/22 ↑13:21/22 ↑13:30/31 ↑13:44/45 ↑8:44/45 ↑5:44/45 ↑3:44/45"
    ),
}
"""Table II-A (``../shared/reference/iso2859-1.md``, section 4): normal inspection."""

# Reference section 4, Table II-B (tightened), cells as in Table II-A.
TIGHTENED_TABLE: Final[dict[str, tuple[str, ...]]] = {
    "A": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 ↓32:0/1 ↓20:0/1 ↓13:0/1 ↓8:0/1 ↓5:0/1 ↓3:0/1 ↓8:1/2 ↓5:1/2 ↓3:1/2 1/2 "
        "2/3 3/4 5/6 8/9 12/13 18/19 27/28"
    ),
    "B": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 ↓32:0/1 ↓20:0/1 ↓13:0/1 ↓8:0/1 ↓5:0/1 0/1 ↓8:1/2 ↓5:1/2 1/2 2/3 3/4 5/6 "
        "8/9 12/13 18/19 27/28 41/42"
    ),
    "C": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 ↓32:0/1 ↓20:0/1 ↓13:0/1 ↓8:0/1 0/1 ↓13:1/2 ↓8:1/2 1/2 2/3 3/4 5/6 8/9 "
        "12/13 18/19 27/28 41/42 ↑3:41/42"
    ),
    "D": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 ↓32:0/1 ↓20:0/1 ↓13:0/1 0/1 ↓20:1/2 ↓13:1/2 1/2 2/3 3/4 5/6 8/9 12/13 "
        "18/19 27/28 41/42 ↑5:41/42 ↑3:41/42"
    ),
    "E": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 ↓32:0/1 ↓20:0/1 0/1 ↓32:1/2 ↓20:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 "
        "27/28 41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "F": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 ↓32:0/1 0/1 ↓50:1/2 ↓32:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑13:18/19 "
        "↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "G": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 "
        "↓50:0/1 0/1 ↓80:1/2 ↓50:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑20:18/19 ↑13:18/19 "
        "↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "H": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 ↓80:0/1 0/1 "
        "↓125:1/2 ↓80:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑32:18/19 ↑20:18/19 ↑13:18/19 "
        "↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "J": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 ↓125:0/1 0/1 ↓200:1/2 "
        "↓125:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑50:18/19 ↑32:18/19 ↑20:18/19 "
        "↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "K": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 ↓200:0/1 0/1 ↓315:1/2 ↓200:1/2 "
        "1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 ↑20:18/19 "
        "↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "L": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 ↓315:0/1 0/1 ↓500:1/2 ↓315:1/2 1/2 2/3 "
        "3/4 5/6 8/9 12/13 18/19 ↑125:18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 ↑20:18/19 "
        "↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "M": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 ↓500:0/1 0/1 ↓800:1/2 ↓500:1/2 1/2 2/3 3/4 5/6 8/9 "
        "12/13 18/19 ↑200:18/19 ↑125:18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 ↑20:18/19 "
        "↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "N": _cells(
        "↓2000:0/1 ↓1250:0/1 ↓800:0/1 0/1 ↓1250:1/2 ↓800:1/2 1/2 2/3 3/4 5/6 8/9 12/13 "
        "18/19 ↑315:18/19 ↑200:18/19 ↑125:18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 ↑20:18/19 "
        "↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "P": _cells(
        "↓2000:0/1 ↓1250:0/1 0/1 ↓2000:1/2 ↓1250:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 "
        "↑500:18/19 ↑315:18/19 ↑200:18/19 ↑125:18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 "
        "↑20:18/19 ↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "Q": _cells(
        "↓2000:0/1 0/1 ↓3150:1/2 ↓2000:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑800:18/19 "
        "↑500:18/19 ↑315:18/19 ↑200:18/19 ↑125:18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 "
        "↑20:18/19 ↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    "R": _cells(
        "0/1 ↑1250:0/1 ↓3150:1/2 1/2 2/3 3/4 5/6 8/9 12/13 18/19 ↑1250:18/19 ↑800:18/19 "
        "↑500:18/19 ↑315:18/19 ↑200:18/19 ↑125:18/19 ↑80:18/19 ↑50:18/19 ↑32:18/19 "
        "↑20:18/19 ↑13:18/19 ↑13:27/28 ↑13:41/42 ↑8:41/42 ↑5:41/42 ↑3:41/42"
    ),
    # Not a row of the reference's table: code S (n = 3150) is "reached only through arrows
    # from Q/R at AQL 0.025" (section 4, II-B note), whose cells name its plan 1/2. Its other
    # cells are not in the reference: "-" (reaching one is a fault in these tables).
    "S": _cells(
        "- - 1/2 - - - - - - - - - - - - - - - - - - - - - - -"
    ),
}
"""Table II-B (``../shared/reference/iso2859-1.md``, section 4): tightened inspection."""

# Reference section 4, Table II-C (reduced): every cell is "n:Ac/Re", printed resolved.
REDUCED_TABLE: Final[dict[str, tuple[str, ...]]] = {
    "A": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 5:0/1 "
        "3:0/1 2:0/1 2:0/1 2:0/1 2:0/2 2:0/2 2:1/2 2:2/3 2:3/4 2:5/6 2:7/8 2:10/11 "
        "2:14/15 2:21/22 2:30/31"
    ),
    "B": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 5:0/1 "
        "3:0/1 2:0/1 2:0/1 2:0/1 2:0/2 2:0/2 2:1/3 2:2/4 2:3/5 2:5/6 2:7/8 2:10/11 "
        "2:14/15 2:21/22 2:30/31"
    ),
    "C": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 5:0/1 "
        "3:0/1 2:0/1 2:0/1 3:0/2 2:0/2 2:1/3 2:1/4 2:2/5 2:3/6 2:5/8 2:7/10 2:10/13 "
        "2:14/17 2:21/24 2:30/31"
    ),
    "D": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 5:0/1 "
        "3:0/1 2:0/1 5:0/2 3:0/2 3:1/3 3:1/4 3:2/5 3:3/6 3:5/8 3:7/10 3:10/13 3:14/17 "
        "3:21/24 2:21/24 2:30/31"
    ),
    "E": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 5:0/1 "
        "3:0/1 8:0/2 5:0/2 5:1/3 5:1/4 5:2/5 5:3/6 5:5/8 5:7/10 5:10/13 5:14/17 5:21/24 "
        "3:21/24 2:21/24 2:30/31"
    ),
    "F": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 5:0/1 "
        "13:0/2 8:0/2 8:1/3 8:1/4 8:2/5 8:3/6 8:5/8 8:7/10 8:10/13 5:10/13 5:14/17 "
        "5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "G": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 8:0/1 20:0/2 "
        "13:0/2 13:1/3 13:1/4 13:2/5 13:3/6 13:5/8 13:7/10 13:10/13 8:10/13 5:10/13 "
        "5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "H": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 13:0/1 32:0/2 "
        "20:0/2 20:1/3 20:1/4 20:2/5 20:3/6 20:5/8 20:7/10 20:10/13 13:10/13 8:10/13 "
        "5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "J": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 20:0/1 50:0/2 32:0/2 "
        "32:1/3 32:1/4 32:2/5 32:3/6 32:5/8 32:7/10 32:10/13 20:10/13 13:10/13 8:10/13 "
        "5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "K": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 32:0/1 80:0/2 50:0/2 50:1/3 "
        "50:1/4 50:2/5 50:3/6 50:5/8 50:7/10 50:10/13 32:10/13 20:10/13 13:10/13 8:10/13 "
        "5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "L": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 50:0/1 125:0/2 80:0/2 80:1/3 80:1/4 "
        "80:2/5 80:3/6 80:5/8 80:7/10 80:10/13 50:10/13 32:10/13 20:10/13 13:10/13 "
        "8:10/13 5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "M": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 80:0/1 200:0/2 125:0/2 125:1/3 125:1/4 125:2/5 "
        "125:3/6 125:5/8 125:7/10 125:10/13 80:10/13 50:10/13 32:10/13 20:10/13 13:10/13 "
        "8:10/13 5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "N": _cells(
        "500:0/1 315:0/1 200:0/1 125:0/1 315:0/2 200:0/2 200:1/3 200:1/4 200:2/5 200:3/6 "
        "200:5/8 200:7/10 200:10/13 125:10/13 80:10/13 50:10/13 32:10/13 20:10/13 "
        "13:10/13 8:10/13 5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "P": _cells(
        "500:0/1 315:0/1 200:0/1 500:0/2 315:0/2 315:1/3 315:1/4 315:2/5 315:3/6 315:5/8 "
        "315:7/10 315:10/13 200:10/13 125:10/13 80:10/13 50:10/13 32:10/13 20:10/13 "
        "13:10/13 8:10/13 5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "Q": _cells(
        "500:0/1 315:0/1 800:0/2 500:0/2 500:1/3 500:1/4 500:2/5 500:3/6 500:5/8 "
        "500:7/10 500:10/13 315:10/13 200:10/13 125:10/13 80:10/13 50:10/13 32:10/13 "
        "20:10/13 13:10/13 8:10/13 5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
    "R": _cells(
        "500:0/1 315:0/1 800:0/2 800:1/3 800:1/4 800:2/5 800:3/6 800:5/8 800:7/10 "
        "800:10/13 500:10/13 315:10/13 200:10/13 125:10/13 80:10/13 50:10/13 32:10/13 "
        "20:10/13 13:10/13 8:10/13 5:10/13 5:14/17 5:21/24 3:21/24 2:21/24 2:30/31"
    ),
}
"""Table II-C (``../shared/reference/iso2859-1.md``, section 4): reduced inspection, ANSI/MIL
style, single source (see the module's docstring)."""

_ROW_ORDER: Final = "ABCDEFGHJKLMNPQRS"


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    """The single sampling plan a lot is inspected with.

    Attributes:
        code_letter: The sample size code letter of the lot (Table I).
        plan_letter: The row whose plan is used, after following arrows (normal and tightened);
            ``None`` on reduced inspection, whose table gives ``n`` without a row.
        severity: Normal, tightened or reduced.
        table_sample_size: The plan's sample size as the table gives it.
        sample_size: How many units to inspect: ``table_sample_size``, or the lot size when
            that reaches it.
        accept: Ac, the most nonconforming units (or nonconformities) that accept the lot.
        reject: Re, the fewest that reject it. Above ``accept + 1`` only on reduced inspection.
        full_inspection: True when the whole lot is inspected (n reached the lot size).
    """

    code_letter: str
    plan_letter: str | None
    severity: Severity
    table_sample_size: int
    sample_size: int
    accept: int
    reject: int
    full_inspection: bool


def code_letter(lot_size: int, level: str = "II") -> str:
    """The sample size code letter of a lot (Table I, reference section 1).

    Args:
        lot_size: Units in the lot, at least 2.
        level: One of :data:`LEVELS`.

    Raises:
        Invalid: The lot size is under 2, or the level is unknown.

    Example:
        >>> code_letter(1000, "II")
        'J'
    """
    column = _level_column(level)
    if isinstance(lot_size, bool) or not isinstance(lot_size, int) or lot_size < 2:
        raise Invalid(Message("ISO 2859-1 sampling needs a lot of at least 2 units; this lot "
                              "has {lot_size}.", lot_size=lot_size),
                      code="sampling.lot_size", field="lot_size")
    for low, high, letters in TABLE_I:
        if low <= lot_size and (high is None or lot_size <= high):
            return letters[column]
    raise AssertionError("Table I covers every lot size from 2 up")  # pragma: no cover


def plan(lot_size: int, aql: Decimal | str, level: str = "II",
         severity: str = "normal") -> SamplingPlan:
    """The single sampling plan of a lot: code letter, sample size, Ac and Re.

    Args:
        lot_size: Units in the lot, at least 2.
        aql: The acceptance quality limit, one of :data:`AQLS` (``"1.0"``, ``"1"`` and
            ``Decimal("1.00")`` are the same column).
        level: The inspection level, one of :data:`LEVELS`.
        severity: ``normal``, ``tightened`` or ``reduced``.

    Returns:
        The plan, with arrows followed to the whole plan of their target row, and 100 %
        inspection when the sample size reaches the lot size.

    Raises:
        Invalid: An AQL not in the tables, an unknown level or severity, or a lot under 2.

    Example:
        >>> p = plan(1000, "1.0")
        >>> (p.code_letter, p.sample_size, p.accept, p.reject)
        ('J', 80, 2, 3)
    """
    column = _aql_column(aql)
    if severity not in SEVERITIES:
        raise Invalid(Message("There is no inspection severity {severity}; use normal, "
                              "tightened or reduced.", severity=severity),
                      code="sampling.severity", field="severity")
    letter = code_letter(lot_size, level)
    if severity == "reduced":
        n_text, _, ac_re = REDUCED_TABLE[letter][column].partition(":")
        target, table_n = None, int(n_text)
    else:
        table = NORMAL_TABLE if severity == "normal" else TIGHTENED_TABLE
        target, ac_re = _follow(table, letter, column)
        table_n = SAMPLE_SIZES[target]
    accept, reject = (int(number) for number in ac_re.split("/"))
    full = table_n >= lot_size
    return SamplingPlan(code_letter=letter, plan_letter=target, severity=severity,
                        table_sample_size=table_n, sample_size=lot_size if full else table_n,
                        accept=accept, reject=reject, full_inspection=full)


def judge(sampling_plan: SamplingPlan, nonconforming: int) -> Verdict:
    """The outcome of a lot from the nonconforming units (or nonconformities) found.

    At or under Ac the lot is accepted; at or over Re it is rejected. Between them (only
    possible on reduced inspection) it is accepted, and normal inspection is reinstated: the
    Z1.4 / MIL-STD-105E rule the reference quotes for Table II-C.

    Args:
        sampling_plan: The plan the lot was inspected with.
        nonconforming: The count found in the sample, 0 or more.

    Raises:
        Invalid: The count is negative.
    """
    if nonconforming < 0:
        raise Invalid(Message("The number of nonconforming units cannot be negative; it is "
                              "{count}.", count=nonconforming),
                      code="sampling.count", field="nonconforming")
    if nonconforming <= sampling_plan.accept:
        return "accept"
    if nonconforming >= sampling_plan.reject:
        return "reject"
    return "accept_return_to_normal"


def _level_column(level: str) -> int:
    if level not in LEVELS:
        raise Invalid(Message("There is no inspection level {level}; use one of {choices}.",
                              level=level, choices=", ".join(LEVELS)),
                      code="sampling.level", field="level")
    return LEVELS.index(level)


def _aql_column(aql: Decimal | str) -> int:
    try:
        value = Decimal(str(aql).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if value.is_finite():
        for column, candidate in enumerate(AQLS):
            if candidate == value:
                return column
    raise Invalid(Message("AQL {aql} is not in the ISO 2859-1 tables; use one of {choices}.",
                          aql=str(aql), choices=", ".join(str(a) for a in AQLS)),
                  code="sampling.aql", field="aql")


def _follow(table: dict[str, tuple[str, ...]], letter: str, column: int) -> tuple[str, str]:
    """Follow a cell's arrows to the row whose plan it uses: (that row's letter, "Ac/Re")."""
    row = letter
    while True:
        cell = table[row][column]
        if cell[0] not in "↓↑":
            if cell == "-":
                raise AssertionError(f"arrow into a cell the reference lacks: {row}")
            return row, cell
        step = 1 if cell[0] == "↓" else -1
        position = _ROW_ORDER.index(row) + step
        if not 0 <= position < len(_ROW_ORDER) or _ROW_ORDER[position] not in table:
            raise AssertionError(f"arrow off the table at {row}")
        row = _ROW_ORDER[position]
