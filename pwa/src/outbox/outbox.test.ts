import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OUTBOX_CHANNEL, type OutboxMessage } from "../shared/outbox-types";
import { cacheEntry, cacheGet, cachePut, openTaktDb, resetTaktDbForTests } from "./db";
import {
  countWaiting,
  discard,
  enqueue,
  getCommand,
  listCommands,
  onOutboxChange,
  resetOutboxListenersForTests,
  retry,
  updateCommand,
} from "./outbox";

const report = (n: number, recordKey = "OP:OP-1") => ({
  path: "/api/v1/operations/OP-1/reports",
  body: { good: n },
  recordKey,
  label: `Report ${n} good on OP-1`,
});

beforeEach(async () => {
  await resetTaktDbForTests();
});
afterEach(() => {
  resetOutboxListenersForTests();
});

describe("the takt database", () => {
  it("has the outbox (by seq), cache and meta stores", async () => {
    const db = await openTaktDb();
    expect([...db.objectStoreNames].sort()).toEqual(["cache", "meta", "outbox"]);
    expect([...db.transaction("outbox").store.indexNames]).toEqual(["seq"]);
  });

  it("keeps screen data for offline reading with the time it was saved", async () => {
    expect(await cacheGet("list:/api/v1/work-orders")).toBeUndefined();
    const before = Date.now();
    await cachePut("list:/api/v1/work-orders", [{ code: "WO-1" }]);
    expect(await cacheGet<{ code: string }[]>("list:/api/v1/work-orders")).toEqual([{ code: "WO-1" }]);
    expect((await cacheEntry("list:/api/v1/work-orders"))?.savedAt).toBeGreaterThanOrEqual(before);
  });
});

describe("enqueue", () => {
  it("stores a pending command with a fresh UUID, due now, defaults filled in", async () => {
    const cmd = await enqueue(report(5), () => 1_000);
    expect(cmd).toMatchObject({
      method: "POST",
      path: "/api/v1/operations/OP-1/reports",
      body: { good: 5 },
      recordKey: "OP:OP-1",
      userId: null,
      createdAt: 1_000,
      attempts: 0,
      nextAttemptAt: 1_000,
      state: "pending",
      lastError: null,
      rejection: null,
    });
    expect(cmd.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await getCommand(cmd.id)).toEqual(cmd);
  });

  it("hands out increasing seq numbers and lists commands in that order", async () => {
    const a = await enqueue(report(1));
    const b = await enqueue({ ...report(2, "OP:OP-2"), method: "PATCH", userId: 7 });
    const c = await enqueue(report(3));
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect((await listCommands()).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(b).toMatchObject({ method: "PATCH", userId: 7 });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
  });

  it("never reuses a seq number once the outbox has emptied", async () => {
    const a = await enqueue(report(1));
    await discard(a.id);
    const b = await enqueue(report(2));
    expect(b.seq).toBe(a.seq + 1);
  });

  it("gives distinct seq numbers to concurrent enqueues", async () => {
    const made = await Promise.all([1, 2, 3, 4, 5].map((n) => enqueue(report(n))));
    expect(new Set(made.map((c) => c.seq)).size).toBe(5);
    expect((await listCommands()).map((c) => c.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("waiting, discarding, retrying", () => {
  it("counts pending and sending commands as waiting, not rejected ones", async () => {
    const a = await enqueue(report(1));
    const b = await enqueue(report(2));
    await enqueue(report(3));
    await updateCommand(a.id, (c) => ({ ...c, state: "sending" }));
    await updateCommand(b.id, (c) => ({ ...c, state: "rejected" }));
    expect(await countWaiting()).toBe(2);
  });

  it("discard removes a command for good", async () => {
    const a = await enqueue(report(1));
    await discard(a.id);
    expect(await listCommands()).toEqual([]);
  });

  it("retry puts a rejected command back in line from scratch; other states are left alone", async () => {
    const a = await enqueue(report(1));
    const rejection = { status: 422, code: "invalid", title: "Invalid", detail: "Too many." };
    await updateCommand(a.id, (c) => ({ ...c, state: "rejected", attempts: 3, lastError: "Too many.", rejection }));
    const retried = await retry(a.id, () => 5_000);
    expect(retried).toMatchObject({ state: "pending", attempts: 0, nextAttemptAt: 5_000, lastError: null, rejection: null });
    const b = await enqueue(report(2));
    await updateCommand(b.id, (c) => ({ ...c, attempts: 2 }));
    expect(await retry(b.id)).toMatchObject({ state: "pending", attempts: 2 });
  });

  it("an update of a command that is gone does not bring it back", async () => {
    const a = await enqueue(report(1));
    await discard(a.id);
    expect(await updateCommand(a.id, (c) => ({ ...c, state: "pending" }))).toBeUndefined();
    expect(await listCommands()).toEqual([]);
  });
});

describe("onOutboxChange", () => {
  it("fires in this tab on every change, until unsubscribed", async () => {
    const listener = vi.fn();
    const off = onOutboxChange(listener);
    const a = await enqueue(report(1));
    await updateCommand(a.id, (c) => ({ ...c, state: "sending" }));
    await discard(a.id);
    expect(listener).toHaveBeenCalledTimes(3);
    off();
    await enqueue(report(2));
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it("tells other tabs and the service worker over BroadcastChannel, and hears them", async () => {
    const other = new BroadcastChannel(OUTBOX_CHANNEL);
    try {
      const heard = new Promise<OutboxMessage>((resolve) => {
        other.onmessage = (event: MessageEvent<OutboxMessage>) => resolve(event.data);
      });
      const listener = vi.fn();
      onOutboxChange(listener);
      await enqueue(report(1));
      expect(await heard).toEqual({ type: "outbox-changed" });
      listener.mockClear();
      other.postMessage({ type: "outbox-changed" } satisfies OutboxMessage);
      await vi.waitFor(() => expect(listener).toHaveBeenCalledTimes(1));
    } finally {
      other.close();
    }
  });

  it("a listener that throws does not keep the others from hearing", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const good = vi.fn();
    onOutboxChange(() => {
      throw new Error("boom");
    });
    onOutboxChange(good);
    await enqueue(report(1));
    expect(good).toHaveBeenCalledTimes(1);
    error.mockRestore();
  });
});
