"""Calendars into availability windows: local shifts, midnight, holidays, daylight saving."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from takt.workforce.availability import working_windows
from takt.workforce.schemas import Shift

BERLIN = "Europe/Berlin"
WEEKDAYS = [0, 1, 2, 3, 4]


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_back_to_back_shifts_join_into_one_window_in_site_time():
    shifts = [Shift(WEEKDAYS, "06:00", "14:00"), Shift(WEEKDAYS, "14:00", "22:00")]
    # Monday 2026-11-23 in Berlin (UTC+1).
    windows = working_windows(shifts, [], BERLIN, _utc(2026, 11, 23), _utc(2026, 11, 24))
    assert windows == [(_utc(2026, 11, 23, 5), _utc(2026, 11, 23, 21))]


def test_weekends_and_holidays_have_no_shift():
    shifts = [Shift(WEEKDAYS, "06:00", "22:00")]
    windows = working_windows(shifts, [date(2026, 11, 25)], BERLIN,
                              _utc(2026, 11, 23), _utc(2026, 11, 30))
    days = [start.date() for start, _ in windows]
    assert days == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26),
                    date(2026, 11, 27)]


def test_a_night_shift_crosses_midnight_and_belongs_to_the_day_it_starts():
    shifts = [Shift([4], "22:00", "06:00")]  # Friday night only
    windows = working_windows(shifts, [], BERLIN, _utc(2026, 11, 20), _utc(2026, 11, 23))
    assert windows == [(_utc(2026, 11, 20, 21), _utc(2026, 11, 21, 5))]


def test_a_shift_running_at_the_horizon_start_is_cut_there():
    shifts = [Shift([4], "22:00", "06:00")]
    windows = working_windows(shifts, [], BERLIN, _utc(2026, 11, 21, 1), _utc(2026, 11, 22))
    assert windows == [(_utc(2026, 11, 21, 1), _utc(2026, 11, 21, 5))]


def test_night_shifts_across_daylight_saving_changes_last_their_real_length():
    night = [Shift([5], "22:00", "06:00")]  # Saturday night
    spring = working_windows(night, [], BERLIN, _utc(2026, 3, 28), _utc(2026, 3, 30))
    autumn = working_windows(night, [], BERLIN, _utc(2026, 10, 24), _utc(2026, 10, 26))
    assert [end - start for start, end in spring] == [timedelta(hours=7)]
    assert [end - start for start, end in autumn] == [timedelta(hours=9)]
    # 06:00 local either way: CEST (UTC+2) in spring, CET (UTC+1) in autumn.
    assert spring[0][1] == _utc(2026, 3, 29, 4) and autumn[0][1] == _utc(2026, 10, 25, 5)
