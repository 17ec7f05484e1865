"""The work order list's search box ("code, item or customer order") finds an order by its
item's name as well as its code, whatever the case the planner types."""

from __future__ import annotations

from tests.api.production import create


async def test_the_search_finds_an_order_by_its_items_name_in_any_case(client, as_role):
    housing = await create(client, as_role, "SF-HOUS-P100", 5)  # "Machined pump housing P100"
    pump = await create(client, as_role, "FG-PUMP-100", 5)  # "Coolant pump P100"

    async def codes(q: str) -> list[str]:
        response = await client.get("/api/v1/work-orders", params={"q": q},
                                    headers=as_role("planner"))
        assert response.status_code == 200, response.text
        return [row["code"] for row in response.json()["data"]]

    assert await codes("housing") == [housing["code"]]  # not in its code SF-HOUS-P100
    assert await codes("HOUSING") == [housing["code"]]
    assert await codes("coolant") == [pump["code"]]
    assert await codes("pump") == [pump["code"], housing["code"]]  # newest first
    assert await codes("hous-p100") == [housing["code"]]  # the item code still matches
