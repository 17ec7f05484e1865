"""Calendar rules: one active calendar per site and per workstation, shifts and holidays
checked, and the availability of workstations over a horizon.

Calendars are records addressed by code like master data and go through the same generic
service (codes uppercase and unique, references by code, one audit row per change, soft
deactivation), described once as :data:`CALENDARS`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import msgspec

from takt.masterdata import services as records
from takt.masterdata.resources import Ref, Resource
from takt.masterdata.tables import Site, Workstation
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid
from takt.platform.i18n import Message
from takt.workforce import schemas as s
from takt.workforce.availability import Window, working_windows
from takt.workforce.tables import Calendar

__all__ = [
    "CALENDARS",
    "create_calendar",
    "deactivate_calendar",
    "get_calendar",
    "list_calendars",
    "update_calendar",
    "workstation_availability",
]


def _plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


async def _validate(values: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """Shifts well formed, holidays as sorted ISO dates, the workstation on the calendar's
    site, and no second active calendar for the same site or workstation."""
    if "shifts" in values:
        shifts = _plain(values["shifts"])
        for number, shift in enumerate(shifts, start=1):
            if shift["start"] == shift["end"]:
                raise Invalid(Message("Shift {number} starts and ends at {shift_start}; give it "
                                      "a length (an end before the start runs past midnight).",
                                      number=number, shift_start=shift['start']),
                              code="calendar.empty_shift", field="shifts")
            shift["days"] = sorted(set(shift["days"]))
        values["shifts"] = shifts
    if "holidays" in values:
        values["holidays"] = sorted({day.isoformat() for day in values["holidays"]})
    site_id = values.get("site", stored["site"] if stored else None)
    ws_id = values.get("workstation", stored["workstation"] if stored else None)
    if ws_id is not None:
        ws = await Workstation.select(
            Workstation.code, Workstation.line._.area._.site.as_alias("site")).where(
            Workstation.id == ws_id).first()
        assert ws is not None  # a reference checked by the resource; records are never deleted
        if ws["site"] != site_id:
            raise Invalid(Message("Workstation {ws} is not on this calendar's site.",
                                  ws=ws['code']),
                          code="calendar.workstation_site", field="workstation")
    active = values.get("active", stored["active"] if stored else True)
    if not active:
        return
    clash = Calendar.select(Calendar.code).where(Calendar.active == True)  # noqa: E712
    if ws_id is not None:
        clash = clash.where(Calendar.workstation == ws_id)
        whose = Message("this workstation")
    else:
        clash = clash.where(Calendar.site == site_id).where(Calendar.workstation.is_null())
        whose = Message("this site")
    if stored is not None:
        clash = clash.where(Calendar.id != stored["id"])
    other = await clash.first()
    if other is not None:
        raise Conflict(Message("Calendar {code} is already the active calendar of {whose}; "
                               "change it, or deactivate it first.",
                               code=other['code'], whose=whose), code="calendar.duplicate")


async def _decode(rows: list[dict[str, Any]]) -> None:
    # SQLite hands JSON columns back as text, PostgreSQL's json type too.
    for row in rows:
        for name in ("shifts", "holidays"):
            if isinstance(row.get(name), str):
                row[name] = json.loads(row[name])


CALENDARS = Resource(
    "calendars", "calendar", "Calendar", Calendar, s.CalendarIn, s.CalendarPatch,
    s.CalendarOut,
    columns={"code": Calendar.code, "name": Calendar.name, "active": Calendar.active,
             "version": Calendar.version, "created_at": Calendar.created_at,
             "updated_at": Calendar.updated_at, "site": Calendar.site.code,
             "workstation": Calendar.workstation.code, "shifts": Calendar.shifts,
             "holidays": Calendar.holidays},
    refs={"site": Ref(Site, "site"), "workstation": Ref(Workstation, "workstation")},
    filters={"site": Calendar.site.code, "workstation": Calendar.workstation.code},
    validate=_validate, decorate=_decode)
"""The calendar resource at ``/api/v1/calendars``."""


async def list_calendars(*, limit: int, offset: int, active: bool | None, q: str | None,
                         filters: dict[str, str]) -> tuple[list[s.CalendarOut], int]:
    """A page of calendars ordered by code."""
    return await records.list_records(CALENDARS, limit=limit, offset=offset, active=active, q=q,
                                      filters=filters)


async def get_calendar(code: str) -> s.CalendarOut:
    """One calendar by code."""
    return await records.get_record(CALENDARS, code)


async def create_calendar(uow: UnitOfWork, data: s.CalendarIn) -> s.CalendarOut:
    """Create a calendar (audited)."""
    return await records.create_record(uow, CALENDARS, data)


async def update_calendar(uow: UnitOfWork, code: str, patch: s.CalendarPatch) -> s.CalendarOut:
    """Change a calendar (audited); shifts and holidays are replaced whole."""
    return await records.update_record(uow, CALENDARS, code, patch)


async def deactivate_calendar(uow: UnitOfWork, code: str) -> s.CalendarOut:
    """Deactivate a calendar: its site or workstation works around the clock again (or by
    the site's calendar, for a workstation)."""
    return await records.deactivate_record(uow, CALENDARS, code)


async def workstation_availability(workstation_ids: list[int], start: datetime,
                                   end: datetime) -> dict[int, list[Window] | None]:
    """Per workstation, the UTC windows it is staffed within ``[start, end)``: by its own
    active calendar, else its site's, else ``None`` (around the clock)."""
    if not workstation_ids:
        return {}
    stations = await Workstation.select(
        Workstation.id, Workstation.line._.area._.site.as_alias("site"),
        Workstation.line._.area._.site._.time_zone.as_alias("time_zone")).where(
        Workstation.id.is_in(workstation_ids))
    site_ids = list({row["site"] for row in stations})
    calendars = await Calendar.select(
        Calendar.site, Calendar.workstation, Calendar.shifts, Calendar.holidays).where(
        Calendar.active == True).where(  # noqa: E712
        Calendar.site.is_in(site_ids) | Calendar.workstation.is_in(workstation_ids))
    await _decode(calendars)
    own = {row["workstation"]: row for row in calendars if row["workstation"] is not None}
    by_site = {row["site"]: row for row in calendars if row["workstation"] is None}
    out: dict[int, list[Window] | None] = {}
    for station in stations:
        calendar = own.get(station["id"]) or by_site.get(station["site"])
        if calendar is None:
            out[station["id"]] = None
            continue
        shifts = msgspec.convert(calendar["shifts"], list[s.Shift])
        holidays = [date.fromisoformat(day) for day in calendar["holidays"]]
        out[station["id"]] = working_windows(shifts, holidays, station["time_zone"], start, end)
    return out
