"""What the calendar API takes and gives (msgspec Structs, snake_case JSON)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from takt.masterdata.schemas import Code, Name

__all__ = ["CalendarIn", "CalendarOut", "CalendarPatch", "Shift"]

Weekday = Annotated[int, Meta(ge=0, le=6, description="0 Monday ... 6 Sunday")]
ClockTime = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
                                description="Local time HH:MM (24 h)")]


class Shift(msgspec.Struct, forbid_unknown_fields=True):
    """A shift on some weekdays, in the site's local time. An ``end`` not after ``start``
    runs past midnight (``22:00``-``06:00``); the shift belongs to the day it starts."""

    days: Annotated[list[Weekday], Meta(min_length=1, max_length=7)]
    start: ClockTime
    end: ClockTime


Shifts = Annotated[list[Shift], Meta(min_length=1, max_length=50)]
Holidays = Annotated[list[date], Meta(max_length=1000,
                                      description="Dates on which no shift starts")]


class CalendarIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new calendar: for a whole site, or for one workstation of it."""

    code: Code
    name: Name
    site: Code
    workstation: Code | None = None
    shifts: Shifts
    holidays: Holidays = []


class CalendarPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A change to a calendar; absent fields stay. Shifts and holidays are replaced whole."""

    name: Name | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    workstation: Code | None | UnsetType = UNSET
    shifts: Shifts | UnsetType = UNSET
    holidays: Holidays | UnsetType = UNSET


class CalendarOut(msgspec.Struct, kw_only=True):
    """A calendar as the API returns it."""

    code: str
    name: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime
    site: str
    workstation: str | None
    shifts: list[Shift]
    holidays: list[date]
