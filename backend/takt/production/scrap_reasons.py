"""The scrap reasons a line uses most, for the handheld's report form: the first few become
one-tap buttons, the rest wait behind "Other".

A use is a work report with scrap and that reason, made on the line in the last ``days`` days
and not voided (a reason chosen by mistake and undone should not climb the list). The line
of a report is its operation's (the scheduled workstation's line, else the workstation's,
else the order's: :attr:`takt.production.floor.OperationContext.line`). Every active scrap
reason is in the answer, the unused ones after the used, by code; so a line with no reports
yet gets them all in code order.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import msgspec
from piccolo.custom_types import Combinable

from takt.masterdata.tables import ReasonCode
from takt.production.common import utc_now
from takt.production.tables import WorkReport

__all__ = ["RankedScrapReason", "ranked_scrap_reasons"]


class RankedScrapReason(msgspec.Struct, kw_only=True):
    """An active scrap reason code with how often the line used it lately."""

    code: str
    name: str
    uses: int
    """Reports with this reason in the period, voided ones left out."""


async def ranked_scrap_reasons(line: str | None = None, *, days: int = 30
                               ) -> list[RankedScrapReason]:
    """Every active scrap reason, the line's most used first (all lines when ``line`` is
    None)."""
    reasons = await ReasonCode.select(ReasonCode.id, ReasonCode.code, ReasonCode.name).where(
        ReasonCode.kind == "scrap", ReasonCode.active.eq(True)).order_by(ReasonCode.code)
    since = utc_now() - timedelta(days=days)
    conditions: list[Combinable] = [WorkReport.kind == "report", WorkReport.scrap > 0,
                  WorkReport.scrap_reason.is_not_null(), WorkReport.reported_at >= since]
    wanted = line.strip().upper() if line else None
    if wanted:
        conditions.append(
            (WorkReport.operation._.scheduled_workstation._.line.code == wanted)
            | (WorkReport.operation._.workstation._.line.code == wanted)
            | (WorkReport.work_order._.line.code == wanted))
    rows = await WorkReport.select(
        WorkReport.id, WorkReport.scrap_reason,
        WorkReport.operation._.scheduled_workstation._.line.code.as_alias("sws_line"),
        WorkReport.operation._.workstation._.line.code.as_alias("ws_line"),
        WorkReport.work_order._.line.code.as_alias("wo_line"),
    ).where(*conditions)
    voided = {row["voids"] for row in await WorkReport.select(WorkReport.voids).where(
        WorkReport.kind == "void", WorkReport.reported_at >= since)}
    uses: Counter[int] = Counter(
        row["scrap_reason"] for row in rows
        if row["id"] not in voided
        and (wanted is None or (row["sws_line"] or row["ws_line"] or row["wo_line"]) == wanted))
    ranked = sorted(reasons, key=lambda reason: -uses[reason["id"]])  # stable: code order
    return [RankedScrapReason(code=reason["code"], name=reason["name"], uses=uses[reason["id"]])
            for reason in ranked]
