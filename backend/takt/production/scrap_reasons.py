"""The scrap reasons a line uses most, for the handheld's report form: the first few become
one-tap buttons, the rest wait behind "Other".

A use is a work report with scrap and that reason, made on the line in the last ``days`` days
and not voided (a reason chosen by mistake and undone should not climb the list). The line
of a report is its operation's (:func:`takt.production.common.operation_line`). The database
counts the uses, grouped by reason and by the three lines the operation's line is chosen from;
the rule picks the line of each group. Every active scrap reason is in the answer, the unused
ones after the used, by code; so a line with no reports yet gets them all in code order.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count

from takt.masterdata.tables import ReasonCode
from takt.production.common import operation_line, utc_now
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
    sws_line = WorkReport.operation._.scheduled_workstation._.line.code
    ws_line = WorkReport.operation._.workstation._.line.code
    wo_line = WorkReport.work_order._.line.code
    conditions: list[Combinable] = [
        WorkReport.kind == "report", WorkReport.scrap > 0, WorkReport.scrap_reason.is_not_null(),
        WorkReport.reported_at >= since,
        # Not voided: a void names the report it reverses (``voids`` is unique, so indexed).
        WhereRaw("NOT EXISTS (SELECT 1 FROM pr_work_report v "
                 "WHERE v.kind = 'void' AND v.voids = pr_work_report.id)")]
    wanted = line.strip().upper() if line else None
    if wanted:
        # Any of the three may be it; which one is the operation's line is decided below.
        conditions.append((sws_line == wanted) | (ws_line == wanted) | (wo_line == wanted))
    groups = await WorkReport.select(
        WorkReport.scrap_reason, sws_line.as_alias("sws_line"), ws_line.as_alias("ws_line"),
        wo_line.as_alias("wo_line"), Count(alias="uses"),
    ).where(*conditions).group_by(WorkReport.scrap_reason, sws_line, ws_line, wo_line)
    uses: Counter[int] = Counter()
    for group in groups:
        if wanted is None or operation_line(
                group["sws_line"], group["ws_line"], group["wo_line"]) == wanted:
            uses[group["scrap_reason"]] += group["uses"]
    ranked = sorted(reasons, key=lambda reason: -uses[reason["id"]])  # stable: code order
    return [RankedScrapReason(code=reason["code"], name=reason["name"], uses=uses[reason["id"]])
            for reason in ranked]
