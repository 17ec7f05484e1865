"""Calendars into availability: the UTC intervals a calendar's shifts cover. No database here.

Shifts are local wall-clock times of the site's IANA time zone, so a shift from 06:00 to 14:00
lasts eight hours on ordinary days and the real length (seven or nine hours) across a daylight
saving change in it. Back-to-back shifts (06:00-14:00, 14:00-22:00) join into one window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from takt.workforce.schemas import Shift

__all__ = ["Window", "working_windows"]

Window = tuple[datetime, datetime]
"""``[start, end)`` in UTC."""


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def working_windows(shifts: Iterable[Shift], holidays: Iterable[date], time_zone: str,
                    start: datetime, end: datetime) -> list[Window]:
    """The merged UTC windows within ``[start, end)`` during which some shift runs.

    Args:
        shifts: The calendar's shifts, in the site's local time.
        holidays: Local dates on which no shift starts.
        time_zone: The site's IANA time zone.
        start: Beginning of the horizon (aware).
        end: End of the horizon (aware).
    """
    zone = ZoneInfo(time_zone)
    days_off = set(holidays)
    shifts = list(shifts)
    spans: list[Window] = []
    # A shift that started the day before may still run at ``start``.
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        if day not in days_off:
            for shift in shifts:
                if day.weekday() not in shift.days:
                    continue
                begins, ends = _clock(shift.start), _clock(shift.end)
                end_day = day if ends > begins else day + timedelta(days=1)
                # Wall-clock times become real instants; the arithmetic is done in UTC so a
                # DST change inside a shift lengthens or shortens it as it does on the floor.
                local_start = datetime.combine(day, begins, tzinfo=zone)
                local_end = datetime.combine(end_day, ends, tzinfo=zone)
                s = max(local_start.astimezone(UTC), start.astimezone(UTC))
                e = min(local_end.astimezone(UTC), end.astimezone(UTC))
                if e > s:
                    spans.append((s, e))
        day += timedelta(days=1)
    merged: list[Window] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
