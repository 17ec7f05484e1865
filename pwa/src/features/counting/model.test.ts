import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxCommands } from "../../app/outbox";
import { user, type User } from "../../app/session";
import { listCommands, removeCommand } from "../../outbox/outbox";
import { parseScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import type { Count } from "./api";
import {
  approveCount, blocked, chosen, closeCount, count, counting, countScan, found, lines, onSettled, openCount, quantity, refusal, saveLine,
  submitCount,
} from "./model";

const CODE = "CNT-2026-00007";

function theCount(over: Partial<Count> = {}): Count {
  return {
    code: CODE, location_code: "FG-01-02", location_kind: "storage", line_code: null, blind: false, status: "open",
    expected_visible: true, note: "", decision_note: "", created_by: "operator", created_at: "2026-01-01T00:00:00Z",
    submitted_by: "", submitted_at: null, decided_by: "", decided_at: null, version: 1,
    lines: [{ item_code: "RM-GREASE", item_name: "Grease", lot_code: "LOT-1", quality_status: "released", unit: "KG",
      found: false, expected: "10", counted: null, book: null, variance: null, counted_by: "", counted_at: null, movement_id: null }],
    ...over,
  };
}

function signIn(...roles: string[]): void {
  user.value = { id: 1, username: roles[0], display_name: "", badge: null, roles } as unknown as User;
}

function answering(body: unknown, status = 200): void {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } })));
}

beforeEach(async () => {
  for (const c of await listCommands()) await removeCommand(c.id);
  outboxCommands.value = [];
  signIn("operator");
  answering(theCount());
  closeCount(); // as leaving the screen does: a new visit starts clean
  await openCount(CODE);
});

afterEach(() => vi.unstubAllGlobals());

describe("counting on the handheld", () => {
  it("a lot label chooses its line, starting from what the ledger expects; saving queues the figure", async () => {
    expect(await countScan(parseScan("HTTP://X/S/LOT/LOT-1"))).toMatchObject({ ok: true });
    expect(chosen.value?.lot_code).toBe("LOT-1");
    expect(quantity.value).toBe(10);
    quantity.value = 9;
    await saveLine();
    const [cmd] = await listCommands();
    expect(cmd).toMatchObject({ path: `/api/v1/counts/${CODE}/lines`, recordKey: `CNT:${CODE}`,
      body: { item_code: "RM-GREASE", lot_code: "LOT-1", quantity: 9 } });
    expect(chosen.value).toBeNull();
  });

  it("a figure waiting in the outbox counts the line, so the count may be submitted after it", async () => {
    expect(blocked.value).toMatchObject({ key: "stillToCount" });
    outboxCommands.value = [{ id: "c1", seq: 1, method: "POST", path: `/api/v1/counts/${CODE}/lines`, recordKey: `CNT:${CODE}`,
      label: "", userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null,
      body: { item_code: "RM-GREASE", lot_code: "LOT-1", quantity: 0 } } satisfies OutboxCommand];
    expect(lines.value[0]).toMatchObject({ counted: 0, waiting: true });
    expect(blocked.value).toBeNull();
    await submitCount();
    expect((await listCommands()).map((c) => c.path)).toEqual([`/api/v1/counts/${CODE}/submit`]);
  });

  it("a lot the ledger does not expect here is looked up and added as found, from zero", async () => {
    answering({ code: "LOT-9", item_code: "RM-GREASE", item_name: "Grease", unit: "KG" });
    expect(await countScan(parseScan("lot-9"))).toMatchObject({ ok: true });
    expect(found.value.map((f) => f.lot_code)).toEqual(["LOT-9"]);
    expect(chosen.value).toMatchObject({ lot_code: "LOT-9", found: true });
    expect(quantity.value).toBe(0);
  });

  it("an unknown lot is refused and adds nothing", async () => {
    answering({ status: 404, title: "Not found", detail: "There is no lot NOPE." }, 404);
    expect(await countScan(parseScan("HTTP://X/S/LOT/NOPE"))).toEqual({ ok: false, message: "There is no lot NOPE." });
    expect(found.value).toEqual([]);
  });

  it("leaves other labels to the router, and stops counting once the count is submitted", async () => {
    expect(await countScan(parseScan("HTTP://X/S/WO/WO-1"))).toBeNull();
    count.value = theCount({ status: "submitted" });
    expect(counting.value).toBe(false);
    expect(await countScan(parseScan("HTTP://X/S/LOT/LOT-1"))).toBeNull();
  });

  it("a counter cannot approve; the server's answer replaces the count; a refusal is kept to be read", async () => {
    count.value = theCount({ status: "submitted" });
    await approveCount();
    expect(await listCommands()).toEqual([]);
    onSettled({ id: "x", path: `/api/v1/counts/${CODE}/submit`, state: "pending" } as OutboxCommand, theCount({ status: "approved" }));
    expect(count.value?.status).toBe("approved");
    onSettled({ id: "y", path: `/api/v1/counts/${CODE}/approve`, state: "rejected", lastError: null,
      rejection: { status: 409, code: "stock.insufficient", title: "", detail: "Count cannot be approved." } } as OutboxCommand);
    expect(refusal.value).toEqual({ commandId: "y", detail: "Count cannot be approved." });
  });
});
