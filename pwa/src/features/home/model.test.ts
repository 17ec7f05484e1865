import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { LotRow } from "./api";

const asked: string[] = [];
let offline = false;

vi.mock("../../api/client", async (original) => ({
  ...(await original<typeof import("../../api/client")>()),
  getJson: async (path: string) => {
    asked.push(path);
    if (offline) throw new TypeError("Failed to fetch");
    const status = /quality_status=(\w+)/.exec(path)?.[1];
    const rows = status === "pending" ? [lot("LOT-2", "pending"), lot("LOT-1", "pending")] : [lot("LOT-0", "blocked")];
    return { data: rows, total: status === "pending" ? 7 : 1 };
  },
}));

function lot(code: string, status: string): LotRow {
  return {
    code, item_code: "RM-PCB-F200", item_name: "Controller PCB", quality_status: status, origin: "receipt",
    supplier_code: "SUP-ELEC", supplier_lot: "B1", expires_on: null, quantity: "24", unit: "PCS",
    created_at: "2026-12-08T00:25:42Z",
  } as LotRow;
}

const { blockedLots, loadHome, pendingLots, savedCopy } = await import("./model");

beforeEach(() => {
  asked.length = 0;
  offline = false;
});

describe("the inspector's worklist", () => {
  it("lists the lots awaiting inspection and the blocked ones, newest first as the server sends them", async () => {
    await loadHome("inspector");
    expect(asked).toEqual([
      "/api/v1/lots?quality_status=pending&limit=50",
      "/api/v1/lots?quality_status=blocked&limit=10",
    ]);
    expect(pendingLots.value?.data.map((l) => l.code)).toEqual(["LOT-2", "LOT-1"]);
    expect(pendingLots.value?.total).toBe(7);
    expect(blockedLots.value?.data.map((l) => l.code)).toEqual(["LOT-0"]);
    expect(savedCopy.value).toBe(false);
  });

  it("opens from the device's saved copy in a dead zone, and says so", async () => {
    await loadHome("inspector");
    pendingLots.value = null;
    offline = true;
    await loadHome("inspector");
    expect(pendingLots.peek()?.data.map((l) => l.code)).toEqual(["LOT-2", "LOT-1"]);
    expect(savedCopy.value).toBe(true);
  });
});
