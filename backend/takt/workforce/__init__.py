"""Workforce: calendars of sites and workstations (shifts, holidays); teams and attendance later."""
