import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";

// The server, answering each search when the test says so.
const { searches } = vi.hoisted(() => ({
  searches: [] as { resolve: (page: unknown) => void; reject: (err: unknown) => void }[],
}));
vi.mock("./api", async (original) => ({
  ...(await original<typeof import("./api")>()),
  listWorkOrders: () => new Promise((resolve, reject) => searches.push({ resolve, reject })),
}));

const { loadOrders, orders, orderSearch, planError } = await import("./planning");

describe("the work order list's searches", () => {
  it("an older search failing after a newer one answered shows the newer one, without an error", async () => {
    orderSearch.value = "FG-FAN";
    const older = loadOrders();
    orderSearch.value = "FG-PUMP";
    const newer = loadOrders();
    searches[1]!.resolve({ data: [{ code: "WO-2026-00007" }], total: 1 });
    await newer;
    searches[0]!.reject(new ApiError({ status: 503, code: null, title: "Busy", detail: "The server is busy." }));
    await older;
    expect(planError.value).toBeNull();
    expect(orders.value.map((o) => o.code)).toEqual(["WO-2026-00007"]);
  });
});
