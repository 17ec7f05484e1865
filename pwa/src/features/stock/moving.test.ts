import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listCommands, removeCommand } from "../../outbox/outbox";
import { parseScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import type { Lot } from "./api";
import { MOVES_PATH } from "./moves";
import { closeMove, dismissRefusal, form, lastMove, moveScan, onSettled, places, sendMove, startMove } from "./moving";

const LOT: Lot = {
  code: "LOT-7", item_code: "RM-CABLE", item_name: "Cable", unit: "M", quality_status: "released", hold_reason: "", hold_reason_name: "",
  hold_note: "", origin: "receipt", supplier_code: null, supplier_lot: "", expires_on: null, gtin: null, serial: "",
  work_order_code: null, receipt_code: null, po_reference: null, quantity: "30", on_hand: "30",
  stock: [{ location_code: "RM-B-02-01", quantity: "20" }, { location_code: "WIP-L1", quantity: "10" }],
  version: 1, created_at: "2026-01-01T00:00:00Z",
};
const LOCATIONS = [
  { code: "RM-B-02-01", name: "", kind: "storage", warehouse: "RM", line: null, active: true },
  { code: "RM-A-01-01", name: "", kind: "storage", warehouse: "RM", line: null, active: true },
  { code: "WIP-L1", name: "", kind: "line_side", warehouse: "WIP", line: "L1", active: true },
];

/** The server: the lot, the locations (plus any made since), the reason codes. */
function serving(lot: Lot, extraLocations: typeof LOCATIONS = []) {
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input);
    const body = url.includes("/lots/") ? lot
      : url.includes("/locations") ? { data: [...LOCATIONS, ...extraLocations], total: 0 }
      : url.includes("/reason-codes") ? { data: [{ code: "RET-DEFECT", name: "Defective", kind: "return" }], total: 1 }
      : null;
    return new Response(JSON.stringify(body), { status: body ? 200 : 404, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

beforeEach(async () => {
  for (const c of await listCommands()) await removeCommand(c.id);
  places.value = [];
  lastMove.value = null;
  serving(LOT);
  closeMove();
  await startMove("return", "LOT-7");
});

afterEach(() => vi.unstubAllGlobals());

function settle(cmd: OutboxCommand, over: Partial<OutboxCommand>, answer?: unknown): void {
  onSettled({ ...cmd, ...over }, answer);
}

describe("moving a lot on the handheld", () => {
  it("opens with the only line-side location and all that is there, then takes a scanned store as destination", async () => {
    expect(form.value).toMatchObject({ kind: "return", from: "WIP-L1", quantity: 10, to: null });
    const line = await moveScan(parseScan("HTTP://X/S/LOC/WIP-L1"));
    expect(line).toMatchObject({ ok: false });
    expect(line?.message).toContain("already at WIP-L1");
    expect(await moveScan(parseScan("HTTP://X/S/LOC/RM-A-01-01"))).toEqual({ ok: true, message: "Destination RM-A-01-01" });
    expect(form.value?.to).toBe("RM-A-01-01");
    expect(await moveScan(parseScan("HTTP://X/S/WO/WO-1"))).toBeNull(); // opens its record, as anywhere
  });

  it("asks the server again about a location it does not know before refusing it", async () => {
    const fetch = serving(LOT, [{ code: "RM-NEW", name: "", kind: "storage", warehouse: "RM", line: null, active: true }]);
    expect(await moveScan(parseScan("HTTP://X/S/LOC/RM-NEW"))).toMatchObject({ ok: true });
    expect(fetch).toHaveBeenCalledWith(expect.stringContaining("/api/v1/locations"), expect.anything());
    const missing = await moveScan(parseScan("HTTP://X/S/LOC/NOWHERE"));
    expect(missing).toEqual({ ok: false, message: "There is no location NOWHERE." });
  });

  it("sends one outbox command and shows the server's answer: the new blocked lot of a defective return", async () => {
    await moveScan(parseScan("HTTP://X/S/LOC/RM-A-01-01"));
    form.value = { ...form.value!, defective: true, quantity: 4 };
    vi.stubGlobal("fetch", vi.fn(() => new Promise(() => {}))); // the network does not answer yet
    await sendMove();
    const [cmd] = await listCommands();
    expect(cmd).toMatchObject({ path: MOVES_PATH, body: { kind: "return", defective: true, quantity: 4, to_location_code: "RM-A-01-01" } });
    expect(cmd!.recordKey).toMatch(/^MOVE:LOT-7:/);
    expect(lastMove.value).toMatchObject({ state: "waiting", lot: "LOT-7" });
    serving(LOT);
    settle(cmd!, {}, { quantity: "4", lot_code: "LOT-7", to_lot_code: "LOT-8", from_location_code: "WIP-L1", to_location_code: "RM-A-01-01" });
    expect(lastMove.value).toMatchObject({ state: "done", done: { quantity: 4, newLot: "LOT-8", to: "RM-A-01-01" } });
  });

  it("keeps a refusal with the server's sentence until read; read, it leaves the outbox and the form offers what is there now", async () => {
    await moveScan(parseScan("HTTP://X/S/LOC/RM-A-01-01"));
    vi.stubGlobal("fetch", vi.fn(() => new Promise(() => {})));
    await sendMove();
    const [cmd] = await listCommands();
    const detail = "WIP-L1 holds only 3 M of RM-CABLE of lot LOT-7; 10 M cannot be taken from it.";
    settle(cmd!, { state: "rejected", rejection: { status: 409, code: "stock.insufficient", title: "", detail } });
    expect(lastMove.value).toMatchObject({ state: "refused", detail });
    serving({ ...LOT, stock: [{ location_code: "WIP-L1", quantity: "3" }] });
    await dismissRefusal();
    expect(lastMove.value).toBeNull();
    expect(await listCommands()).toEqual([]);
    expect(form.value).toMatchObject({ from: "WIP-L1", to: "RM-A-01-01", quantity: 3 });
  });

  it("ignores answers to commands it did not send", () => {
    lastMove.value = { commandId: "mine", lot: "LOT-7", kind: "return", state: "waiting" };
    onSettled({ id: "other", path: MOVES_PATH, state: "rejected" } as OutboxCommand);
    onSettled({ id: "mine", path: "/api/v1/receipts", state: "rejected" } as OutboxCommand);
    expect(lastMove.value.state).toBe("waiting");
  });
});
