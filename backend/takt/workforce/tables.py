"""Working time: when a site, or one of its workstations, is staffed."""

from __future__ import annotations

from piccolo.columns import JSON, ForeignKey

from takt.masterdata.tables import MasterRecord, Site, Workstation

__all__ = ["Calendar"]


class Calendar(MasterRecord, tablename="wf_calendar"):
    """The shifts of a site, or of one workstation (which then ignores its site's calendar).

    ``shifts`` is a JSON list of ``{"days": [0-6, Monday 0], "start": "06:00", "end": "14:00"}``
    in the site's local time; a shift whose end is not after its start runs past midnight and
    belongs to the day it starts. ``holidays`` is a JSON list of ISO dates on which no shift
    starts. A site or workstation without an active calendar works around the clock.
    """

    site = ForeignKey(references=Site, index=True)
    workstation = ForeignKey(references=Workstation, null=True, default=None, index=True)
    shifts = JSON(default="[]")
    holidays = JSON(default="[]")
