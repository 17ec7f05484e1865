"""Calendars over HTTP: create, read, change, deactivate; one active calendar per site and
per workstation; a workstation's own calendar overrides its site's."""

from __future__ import annotations

from datetime import UTC, datetime

from takt.masterdata.tables import Workstation
from takt.workforce.services import workstation_availability

TWO_SHIFTS = {"code": "cal-plant1", "name": "Two shifts", "site": "PLANT1",
              "shifts": [{"days": [0, 1, 2, 3, 4], "start": "06:00", "end": "14:00"},
                         {"days": [0, 1, 2, 3, 4], "start": "14:00", "end": "22:00"}],
              "holidays": ["2026-12-25"]}


async def test_a_planner_creates_reads_changes_and_deactivates_a_calendar(client, as_role):
    created = await client.post("/api/v1/calendars", json=TWO_SHIFTS, headers=as_role("planner"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["code"], body["site"], body["workstation"]) == ("CAL-PLANT1", "PLANT1", None)
    assert body["holidays"] == ["2026-12-25"] and len(body["shifts"]) == 2

    read = await client.get("/api/v1/calendars/cal-plant1", headers=as_role("operator"))
    assert read.json() == body
    listed = await client.get("/api/v1/calendars?site=PLANT1", headers=as_role("operator"))
    assert listed.json()["total"] == 1

    changed = await client.patch(
        "/api/v1/calendars/CAL-PLANT1", headers=as_role("planner"),
        json={"shifts": [{"days": [6, 0, 0], "start": "22:00", "end": "06:00"}],
              "holidays": ["2027-01-01", "2026-12-31", "2027-01-01"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["shifts"] == [{"days": [0, 6], "start": "22:00", "end": "06:00"}]
    assert changed.json()["holidays"] == ["2026-12-31", "2027-01-01"]
    assert changed.json()["version"] == 2

    gone = await client.delete("/api/v1/calendars/CAL-PLANT1", headers=as_role("admin"))
    assert gone.status_code == 200 and gone.json()["active"] is False


async def test_bad_shifts_and_a_second_site_calendar_are_refused_with_sentences(client, as_role):
    planner = as_role("planner")
    empty = {**TWO_SHIFTS, "shifts": [{"days": [0], "start": "06:00", "end": "06:00"}]}
    response = await client.post("/api/v1/calendars", json=empty, headers=planner)
    assert response.status_code == 422 and response.json()["code"] == "calendar.empty_shift"
    bad_time = {**TWO_SHIFTS, "shifts": [{"days": [0], "start": "25:00", "end": "06:00"}]}
    response = await client.post("/api/v1/calendars", json=bad_time, headers=planner)
    assert response.status_code == 400 and response.json()["code"] == "request.invalid"

    assert (await client.post("/api/v1/calendars", json=TWO_SHIFTS,
                              headers=planner)).status_code == 201
    second = await client.post("/api/v1/calendars", json={**TWO_SHIFTS, "code": "CAL-2"},
                               headers=planner)
    assert second.status_code == 409 and second.json()["code"] == "calendar.duplicate"
    assert "CAL-PLANT1" in second.json()["detail"]
    # A workstation may have its own, once.
    station = {**TWO_SHIFTS, "code": "CAL-WS-201", "workstation": "WS-201"}
    assert (await client.post("/api/v1/calendars", json=station,
                              headers=planner)).status_code == 201
    again = await client.post("/api/v1/calendars", json={**station, "code": "CAL-WS-201B"},
                              headers=planner)
    assert again.status_code == 409


async def test_a_workstation_calendar_overrides_its_site_and_none_means_around_the_clock(
        client, as_role):
    planner = as_role("planner")
    assert (await client.post("/api/v1/calendars", json=TWO_SHIFTS,
                              headers=planner)).status_code == 201
    nights = {"code": "CAL-WS-201", "name": "Lathe nights", "site": "PLANT1",
              "workstation": "WS-201", "shifts": [{"days": [0], "start": "22:00",
                                                   "end": "06:00"}]}
    assert (await client.post("/api/v1/calendars", json=nights,
                              headers=planner)).status_code == 201
    ids = {row["code"]: row["id"] for row in await Workstation.select(
        Workstation.id, Workstation.code).where(Workstation.code.is_in(["WS-101", "WS-201"]))}
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    tuesday = datetime(2026, 11, 24, tzinfo=UTC)
    windows = await workstation_availability(list(ids.values()), monday, tuesday)
    assert windows[ids["WS-101"]] == [(datetime(2026, 11, 23, 5, tzinfo=UTC),
                                       datetime(2026, 11, 23, 21, tzinfo=UTC))]
    assert windows[ids["WS-201"]] == [(datetime(2026, 11, 23, 21, tzinfo=UTC), tuesday)]

    await client.delete("/api/v1/calendars/CAL-PLANT1", headers=planner)
    windows = await workstation_availability([ids["WS-101"]], monday, tuesday)
    assert windows == {ids["WS-101"]: None}


async def test_a_calendar_workstation_must_be_on_its_site(client, as_role):
    site = await client.post("/api/v1/sites", json={"code": "PLANT2", "name": "Other",
                                                    "time_zone": "Asia/Shanghai"},
                             headers=as_role("admin"))
    assert site.status_code == 201
    response = await client.post(
        "/api/v1/calendars", headers=as_role("planner"),
        json={**TWO_SHIFTS, "site": "PLANT2", "workstation": "WS-101"})
    assert response.status_code == 422
    assert response.json()["code"] == "calendar.workstation_site"
