"""Every route x every role: allowed or 403. The expected table is written out here, not read
from the guards or the named groups of takt.platform.roles (only the role names come from
there), and every API route of the app must appear in it."""

from __future__ import annotations

import pytest

from takt.platform.roles import ALL_ROLES

ROLES = ALL_ROLES

EVERYONE = set(ROLES)
BACK_OFFICE = {"admin", "planner"}
RESOURCES = ["sites", "areas", "lines", "workstation-types", "workstations", "units", "items",
             "routes", "boms", "warehouses", "locations", "equipment", "parties", "reason-codes"]
WRITERS = {"equipment": {"admin", "planner", "maintainer"},
           "reason-codes": {"admin", "planner", "supervisor"}}

EXPECTED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/me"): EVERYONE,
    ("GET", "/api/v1/scan"): EVERYONE,
    ("GET", "/api/v1/labels/{kind}/{code}"): EVERYONE,
    ("GET", "/api/v1/work-orders/{code}/traveler.pdf"): EVERYONE,
    ("GET", "/api/v1/users"): {"admin"},
    ("POST", "/api/v1/users"): {"admin"},
    ("GET", "/api/v1/users/{code}"): {"admin"},
    ("PATCH", "/api/v1/users/{code}"): {"admin"},
    ("GET", "/api/v1/push/subscriptions"): EVERYONE,
    ("POST", "/api/v1/push/subscriptions"): EVERYONE,
    ("DELETE", "/api/v1/push/subscriptions"): EVERYONE,
    ("POST", "/api/v1/push/test"): EVERYONE,
}
for _name in RESOURCES:
    _writers = WRITERS.get(_name, BACK_OFFICE)
    EXPECTED[("GET", f"/api/v1/{_name}")] = EVERYONE
    EXPECTED[("GET", f"/api/v1/{_name}/{{code}}")] = EVERYONE
    EXPECTED[("POST", f"/api/v1/{_name}")] = _writers
    EXPECTED[("PATCH", f"/api/v1/{_name}/{{code}}")] = _writers
    EXPECTED[("DELETE", f"/api/v1/{_name}/{{code}}")] = _writers
EXPECTED.update({
    ("GET", "/api/v1/calendars"): EVERYONE,
    ("GET", "/api/v1/calendars/{code}"): EVERYONE,
    ("POST", "/api/v1/calendars"): BACK_OFFICE,
    ("PATCH", "/api/v1/calendars/{code}"): BACK_OFFICE,
    ("DELETE", "/api/v1/calendars/{code}"): BACK_OFFICE,
})
EXPECTED.update({
    ("GET", "/api/v1/schedule"): EVERYONE,
    ("POST", "/api/v1/schedule"): BACK_OFFICE,
    ("PATCH", "/api/v1/operations/{op_id}/schedule"): BACK_OFFICE,
})

PLAN = {"admin", "planner"}
PLAN_OR_SUPERVISE = {"admin", "planner", "supervisor"}
FLOOR = {"operator", "supervisor"}
EXPECTED.update({
    ("GET", "/api/v1/work-orders"): EVERYONE,
    ("POST", "/api/v1/work-orders"): PLAN,
    ("POST", "/api/v1/work-orders/import"): PLAN,
    ("GET", "/api/v1/work-orders/{code}"): EVERYONE,
    ("PATCH", "/api/v1/work-orders/{code}"): PLAN,
    ("POST", "/api/v1/work-orders/{code}/release"): PLAN,
    ("GET", "/api/v1/work-orders/{code}/pick-list"): EVERYONE,
    ("POST", "/api/v1/work-orders/{code}/outsource"): PLAN_OR_SUPERVISE,
    ("GET", "/api/v1/work-orders/{code}/outsource-orders"): EVERYONE,
    ("GET", "/api/v1/outsource-orders/{code}"): EVERYONE,
    ("POST", "/api/v1/outsource-orders/{code}/receipts"): {"operator", "supervisor", "planner",
                                                           "admin"},
    ("POST", "/api/v1/work-orders/{code}/hold"): PLAN_OR_SUPERVISE,
    ("POST", "/api/v1/work-orders/{code}/resume"): PLAN_OR_SUPERVISE,
    ("POST", "/api/v1/work-orders/{code}/cancel"): PLAN,
    ("POST", "/api/v1/work-orders/{code}/close"): PLAN_OR_SUPERVISE,
    ("POST", "/api/v1/work-orders/{code}/split"): PLAN,
    ("GET", "/api/v1/operations/{op_id}"): EVERYONE,
    ("POST", "/api/v1/operations/{op_id}/start"): FLOOR,
    ("POST", "/api/v1/operations/{op_id}/pause"): FLOOR,
    ("POST", "/api/v1/operations/{op_id}/resume"): FLOOR,
    ("POST", "/api/v1/operations/{op_id}/complete"): FLOOR,
    ("POST", "/api/v1/operations/{op_id}/reports"): FLOOR,
    ("GET", "/api/v1/operations/{op_id}/reports"): EVERYONE,
    ("GET", "/api/v1/operations/{op_id}/station"): EVERYONE,
    ("POST", "/api/v1/operations/{op_id}/release-hold"): {"supervisor"},
    ("POST", "/api/v1/operations/{op_id}/reopen"): {"supervisor"},
    ("POST", "/api/v1/operations/{op_id}/consume"): FLOOR,
    ("POST", "/api/v1/reports/{report_id}/void"): FLOOR,
    ("GET", "/api/v1/reports/scrap-reasons"): EVERYONE,
    ("GET", "/api/v1/workstations/{code}/queue"): EVERYONE,
    ("GET", "/api/v1/lines/{code}/board"): EVERYONE,
})

INSPECT = {"inspector", "supervisor"}
EXPECTED.update({
    ("GET", "/api/v1/receipts"): EVERYONE,
    ("POST", "/api/v1/receipts"): {"operator", "supervisor", "admin"},
    ("GET", "/api/v1/receipts/{code}"): EVERYONE,
    ("GET", "/api/v1/lots"): EVERYONE,
    ("GET", "/api/v1/lots/{code}"): EVERYONE,
    ("POST", "/api/v1/lots/{code}/release"): INSPECT,
    ("POST", "/api/v1/lots/{code}/block"): INSPECT,
    ("GET", "/api/v1/lots/{code}/trace"): EVERYONE,
    ("GET", "/api/v1/stock"): EVERYONE,
    ("GET", "/api/v1/stock/ledger"): EVERYONE,
    ("GET", "/api/v1/stock/reconciliation"): EVERYONE,
    ("POST", "/api/v1/stock/moves"): FLOOR,
    ("POST", "/api/v1/stock/misc"): {"supervisor"},
})

EXPECTED.update({
    ("GET", "/api/v1/counts"): EVERYONE,
    ("POST", "/api/v1/counts"): FLOOR,
    ("GET", "/api/v1/counts/{code}"): EVERYONE,
    ("POST", "/api/v1/counts/{code}/lines"): FLOOR,
    ("POST", "/api/v1/counts/{code}/submit"): FLOOR,
    ("POST", "/api/v1/counts/{code}/approve"): {"supervisor"},
    ("POST", "/api/v1/counts/{code}/reject"): {"supervisor"},
    ("POST", "/api/v1/shipments"): FLOOR,
    ("GET", "/api/v1/shipments/{code}"): EVERYONE,
    ("POST", "/api/v1/customer-returns"): FLOOR,
    ("GET", "/api/v1/customer-returns/{code}"): EVERYONE,
    ("POST", "/api/v1/supplier-returns"): FLOOR,
    ("GET", "/api/v1/supplier-returns/{code}"): EVERYONE,
})

EXPECTED.update({
    ("POST", "/api/v1/work-orders/{code}/serials"): PLAN_OR_SUPERVISE,
    ("GET", "/api/v1/work-orders/{code}/serials"): EVERYONE,
    ("GET", "/api/v1/work-orders/{code}/serials/labels"): EVERYONE,
    ("POST", "/api/v1/operations/{op_id}/serials"): FLOOR,
    ("GET", "/api/v1/serials/{code}"): EVERYONE,
    ("GET", "/api/v1/serials/{code}/trace"): EVERYONE,
})

OPEN = {("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/badge"),
        ("POST", "/api/v1/auth/logout"), ("GET", "/api/v1/client-config")}


def _concrete(path: str) -> str:
    return (path.replace("{kind}", "WS").replace("{code}", "NO-SUCH-CODE")
            .replace("{op_id}", "999999").replace("{report_id}", "999999"))


def test_every_api_route_is_in_the_expected_table(app):
    found = set()
    for route in app.routes:
        path = route.path.replace(":str", "").replace(":int", "")
        if not path.startswith("/api/"):
            continue
        for method in getattr(route, "methods", set()) - {"OPTIONS", "HEAD"}:
            found.add((method, path.rstrip("/") or "/"))
    assert found - OPEN == set(EXPECTED), "add new routes to the guard table"


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reaches_exactly_the_routes_it_may(client, as_role, role):
    wrong = []
    for (method, path), allowed in sorted(EXPECTED.items()):
        response = await client.request(method, _concrete(path), headers=as_role(role),
                                         json={} if method in {"POST", "PATCH"} else None)
        refused = response.status_code == 403
        if refused == (role in allowed):
            wrong.append(f"{method} {path}: {response.status_code}")
        if refused:
            assert response.json()["code"] == "auth.forbidden"
    assert not wrong, f"{role}: {wrong}"


async def test_without_sign_in_every_api_route_is_401(client):
    for method, path in sorted(EXPECTED):
        response = await client.request(method, _concrete(path))
        assert response.status_code == 401, (method, path)
