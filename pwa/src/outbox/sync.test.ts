import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OutboxCommand } from "../shared/outbox-types";
import { resetTaktDbForTests } from "./db";
import { discard, enqueue, getCommand, listCommands, resetOutboxListenersForTests, retry, updateCommand } from "./outbox";
import { backoffDelay, drainOnce, readRejection, startSync, type SendResult, type Sender } from "./sync";

// Later than any enqueue in these tests (which stamp the real time), so new commands are due.
const NOW = Date.now() + 60_000;
const clock = () => NOW;
const ok: SendResult = { status: 201, body: { id: 1 } };
const problem = (status: number, code: string, detail: string): SendResult => ({
  status,
  body: { type: `urn:takt:problem:${code}`, title: "Unprocessable Content", status, detail, code },
});
const offline = () => Promise.reject(new TypeError("Failed to fetch"));

const report = (n: number, record = "OP-1") => ({
  path: `/api/v1/operations/${record}/reports`,
  body: { good: n },
  recordKey: `OP:${record}`,
  label: `Report ${n} good on ${record}`,
});

/** A sender that answers from a script per command label, and remembers every call. */
function scripted(answers: Record<string, Array<SendResult | "offline">>) {
  const calls: OutboxCommand[] = [];
  const send: Sender = async (cmd) => {
    calls.push(cmd);
    const next = answers[cmd.label]?.shift() ?? ok;
    return next === "offline" ? offline() : next;
  };
  return { send, calls, labels: () => calls.map((c) => c.label) };
}

beforeEach(async () => {
  await resetTaktDbForTests();
});
afterEach(() => {
  resetOutboxListenersForTests();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("backoffDelay", () => {
  it("doubles from 1 s and is capped at 60 s", () => {
    const middle = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 7, 8, 30, 1000].map((n) => backoffDelay(n, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000,
    ]);
    expect(backoffDelay(0, middle)).toBe(1_000);
  });

  it("jitters by at most 20 % either way and never passes the cap", () => {
    expect(backoffDelay(1, () => 0)).toBe(800);
    expect(backoffDelay(1, () => 0.999999)).toBeCloseTo(1_200, -1);
    expect(backoffDelay(3, () => 0)).toBe(3_200);
    expect(backoffDelay(10, () => 0)).toBe(48_000);
    expect(backoffDelay(10, () => 0.999999)).toBe(60_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2);
      expect(d).toBeGreaterThanOrEqual(1_600);
      expect(d).toBeLessThanOrEqual(2_400);
    }
  });

  it("lets Retry-After win when the server gives it", () => {
    expect(backoffDelay(1, Math.random, 120)).toBe(120_000);
    expect(backoffDelay(9, Math.random, 0)).toBe(0);
    expect(backoffDelay(1, () => 0.5, null)).toBe(1_000);
    expect(backoffDelay(1, () => 0.5, Number.NaN)).toBe(1_000);
  });
});

describe("drainOnce", () => {
  it("sends due commands in seq order and removes each one the server accepted", async () => {
    await enqueue(report(1));
    await enqueue(report(2, "OP-2"));
    await enqueue(report(3));
    const { send, labels } = scripted({});
    const onSent = vi.fn();
    expect(await drainOnce(send, clock, { onSent })).toEqual({ sent: 3, rejected: 0, deferred: 0, stoppedForAuth: false });
    expect(labels()).toEqual(["Report 1 good on OP-1", "Report 2 good on OP-2", "Report 3 good on OP-1"]);
    expect(await listCommands()).toEqual([]);
    expect(onSent).toHaveBeenCalledTimes(3);
    expect(onSent.mock.calls[0]![1]).toEqual(ok);
  });

  it("on a shared handheld sends only the signed-in person's commands; the others wait for them", async () => {
    await enqueue({ ...report(1), userId: 7 });
    await enqueue({ ...report(2, "OP-2"), userId: 8 });
    await enqueue({ ...report(3), userId: 8 });
    const { send, labels } = scripted({});
    const signedIn = { id: 8 };
    const mayNowSend = (cmd: OutboxCommand) => cmd.userId === signedIn.id;
    await drainOnce(send, clock, { mayNowSend });
    // OP-1's later command waits behind the earlier one of person 7, in order.
    expect(labels()).toEqual(["Report 2 good on OP-2"]);
    signedIn.id = 7;
    await drainOnce(send, clock, { mayNowSend });
    expect(labels()).toEqual(["Report 2 good on OP-2", "Report 1 good on OP-1"]);
    expect((await listCommands()).map((c) => c.userId)).toEqual([8]);
  });

  it("after a network error the command is sent again with the same Idempotency-Key, and succeeds once", async () => {
    const cmd = await enqueue(report(1));
    const { send, calls } = scripted({ [cmd.label]: ["offline", ok] });
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 0, deferred: 1 });
    const waiting = await getCommand(cmd.id);
    expect(waiting).toMatchObject({ state: "pending", attempts: 1, lastError: "Network error: Failed to fetch" });
    expect(waiting!.nextAttemptAt).toBeGreaterThanOrEqual(NOW + 800);
    expect(waiting!.nextAttemptAt).toBeLessThanOrEqual(NOW + 1_200);

    expect(await drainOnce(send, clock)).toMatchObject({ sent: 0, deferred: 0 }); // still backing off
    expect(await drainOnce(send, () => NOW + 1_200)).toMatchObject({ sent: 1 });
    expect(calls.map((c) => c.id)).toEqual([cmd.id, cmd.id]);
    expect(await listCommands()).toEqual([]);
  });

  it("backs off on 503 and honours Retry-After on 429", async () => {
    const a = await enqueue(report(1));
    const b = await enqueue(report(2, "OP-2"));
    const { send } = scripted({
      [a.label]: [{ ...problem(503, "unavailable", "Down for maintenance."), retryAfterSeconds: null }],
      [b.label]: [{ status: 429, body: null, retryAfterSeconds: 30 }],
    });
    expect(await drainOnce(send, clock)).toMatchObject({ deferred: 2 });
    const [first, second] = await listCommands();
    expect(first).toMatchObject({ state: "pending", attempts: 1, lastError: "HTTP 503: Down for maintenance." });
    expect(first!.nextAttemptAt - NOW).toBeGreaterThanOrEqual(800);
    expect(first!.nextAttemptAt - NOW).toBeLessThanOrEqual(1_200);
    expect(second).toMatchObject({ state: "pending", attempts: 1, nextAttemptAt: NOW + 30_000 });
    expect(await drainOnce(send, () => NOW + 29_999)).toMatchObject({ sent: 1 });
    expect(await drainOnce(send, () => NOW + 30_000)).toMatchObject({ sent: 1 });
  });

  it("treats 408 like a temporary failure", async () => {
    const a = await enqueue(report(1));
    const { send } = scripted({ [a.label]: [{ status: 408, body: "" }] });
    expect(await drainOnce(send, clock)).toMatchObject({ deferred: 1 });
    expect(await getCommand(a.id)).toMatchObject({ state: "pending", attempts: 1 });
  });

  it("keeps a 422 as rejected with the problem's detail, blocking only its own record", async () => {
    const a1 = await enqueue(report(99));
    const a2 = await enqueue(report(2));
    const b = await enqueue(report(3, "OP-2"));
    const { send, labels } = scripted({ [a1.label]: [problem(422, "production.too_much", "Only 40 more may be reported.")] });
    const onRejected = vi.fn();
    expect(await drainOnce(send, clock, { onRejected })).toEqual({ sent: 1, rejected: 1, deferred: 0, stoppedForAuth: false });
    expect(labels()).toEqual([a1.label, b.label]);
    expect(await getCommand(a1.id)).toMatchObject({
      state: "rejected",
      lastError: "Only 40 more may be reported.",
      rejection: { status: 422, code: "production.too_much", title: "Unprocessable Content", detail: "Only 40 more may be reported." },
    });
    expect(onRejected).toHaveBeenCalledWith(expect.objectContaining({ id: a1.id, state: "rejected" }));
    expect(await getCommand(a2.id)).toMatchObject({ state: "pending", attempts: 0 });

    // Still blocked on the next drain; discarding the rejected one lets the record go on.
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 0 });
    await discard(a1.id);
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 1 });
    expect(await listCommands()).toEqual([]);
  });

  it("a retried rejected command goes first, before the later commands of its record", async () => {
    const a1 = await enqueue(report(99));
    const a2 = await enqueue(report(2));
    const { send, labels } = scripted({ [a1.label]: [problem(409, "conflict", "The operation is paused.")] });
    await drainOnce(send, clock);
    await retry(a1.id, clock);
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 2 });
    expect(labels()).toEqual([a1.label, a1.label, a2.label]);
  });

  it("a deferred command holds back the later commands of its record, not other records", async () => {
    const a1 = await enqueue(report(1));
    const a2 = await enqueue(report(2));
    const b = await enqueue(report(3, "OP-2"));
    const { send, labels } = scripted({ [a1.label]: [problem(500, "server_error", "Oops.")] });
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 1, deferred: 1 });
    expect(labels()).toEqual([a1.label, b.label]);
    expect(await getCommand(a2.id)).toMatchObject({ state: "pending", attempts: 0 });
    expect(await drainOnce(send, () => NOW + 2_000)).toMatchObject({ sent: 2 });
    expect(labels().slice(2)).toEqual([a1.label, a2.label]);
  });

  it("stops at a 401, keeps the command pending and asks for sign-in", async () => {
    const a = await enqueue(report(1));
    await enqueue(report(2, "OP-2"));
    const { send, labels } = scripted({ [a.label]: [{ status: 401, body: null }] });
    const onAuthRequired = vi.fn();
    expect(await drainOnce(send, clock, { onAuthRequired })).toEqual({ sent: 0, rejected: 0, deferred: 0, stoppedForAuth: true });
    expect(onAuthRequired).toHaveBeenCalledTimes(1);
    expect(labels()).toEqual([a.label]);
    expect((await listCommands()).map((c) => [c.state, c.attempts])).toEqual([["pending", 0], ["pending", 0]]);
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 2 });
  });

  it("sends a command left 'sending' by a tab that died", async () => {
    const a = await enqueue(report(1));
    await updateCommand(a.id, (c) => ({ ...c, state: "sending" }));
    const { send, calls } = scripted({});
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 1 });
    expect(calls[0]!.id).toBe(a.id);
  });

  it("does not bring back a command discarded while it was in flight", async () => {
    await enqueue(report(1));
    const send: Sender = async (cmd) => {
      await discard(cmd.id);
      throw new TypeError("Failed to fetch");
    };
    await drainOnce(send, clock);
    expect(await listCommands()).toEqual([]);
  });

  it("retries network failures at once when asked (back online), but not server backoffs", async () => {
    const a = await enqueue(report(1));
    const b = await enqueue(report(2, "OP-2"));
    const { send, labels } = scripted({ [a.label]: ["offline"], [b.label]: [{ status: 503, body: null }] });
    await drainOnce(send, clock);
    expect(await drainOnce(send, clock, { retryNetworkFailuresNow: true })).toMatchObject({ sent: 1 });
    expect(labels()).toEqual([a.label, b.label, a.label]);
    expect(await getCommand(b.id)).toMatchObject({ state: "pending" });
  });

  it("picks up commands queued while it drains", async () => {
    await enqueue(report(1));
    let queued = false;
    const send: Sender = async () => {
      if (!queued) {
        queued = true;
        await enqueue(report(2, "OP-2"));
      }
      return ok;
    };
    expect(await drainOnce(send, clock)).toMatchObject({ sent: 2 });
  });

  it("two concurrent drains never send a command twice (no Web Locks: module flag)", async () => {
    for (let n = 1; n <= 5; n++) await enqueue(report(n, `OP-${n}`));
    const { send, calls } = scripted({});
    const reports = await Promise.all([drainOnce(send, clock), drainOnce(send, clock)]);
    expect(reports.map((r) => r.sent).sort()).toEqual([0, 5]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
    expect(calls).toHaveLength(5);
  });

  it("two concurrent drains never send a command twice (Web Locks)", async () => {
    const held = new Set<string>();
    const request = vi.fn(async (name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) => {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name, mode: "exclusive" } as Lock);
      } finally {
        held.delete(name);
      }
    });
    vi.spyOn(navigator, "locks", "get").mockReturnValue({ request } as unknown as LockManager);
    for (let n = 1; n <= 5; n++) await enqueue(report(n, `OP-${n}`));
    const { send, calls } = scripted({});
    await Promise.all([drainOnce(send, clock), drainOnce(send, clock), drainOnce(send, clock)]);
    expect(calls).toHaveLength(5);
    expect(request).toHaveBeenCalledWith("takt-outbox-drain", { ifAvailable: true }, expect.any(Function));
  });
});

describe("readRejection", () => {
  it("falls back to sentences when the body is not a problem", () => {
    expect(readRejection(404, null)).toEqual({
      status: 404,
      code: null,
      title: "The server refused this command (HTTP 404).",
      detail: "The server refused this command (HTTP 404).",
    });
    expect(readRejection(400, "Bad thing")).toMatchObject({ detail: "Bad thing" });
    expect(readRejection(403, { type: "urn:takt:problem:auth.forbidden", title: "Forbidden" })).toMatchObject({
      code: "auth.forbidden",
      title: "Forbidden",
      detail: "Forbidden",
    });
  });
});

describe("startSync", () => {
  it("drains at once, on kick, when back online, and when the earliest backoff ends", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const a = await enqueue(report(1));
    const { send, labels } = scripted({ [a.label]: [{ status: 503, body: null, retryAfterSeconds: 5 }] });
    const onSent = vi.fn();
    const sync = startSync({ send, onSent });
    try {
      await vi.waitFor(() => expect(labels()).toEqual([a.label]));
      await vi.waitFor(async () => expect(await getCommand(a.id)).toMatchObject({ attempts: 1 }));

      const b = await enqueue(report(2, "OP-2"));
      sync.kick();
      await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(expect.objectContaining({ id: b.id }), ok));

      await vi.advanceTimersByTimeAsync(5_000); // the timer set for a's Retry-After
      await vi.waitFor(async () => expect(await listCommands()).toEqual([]));

      const c = await enqueue(report(3));
      window.dispatchEvent(new Event("online"));
      await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(expect.objectContaining({ id: c.id }), ok));
    } finally {
      sync.stop();
    }
  });

  it("drains when the app becomes visible again", async () => {
    const { send, calls } = scripted({});
    const sync = startSync({ send });
    try {
      await new Promise((resolve) => setTimeout(resolve, 20)); // the first drain found nothing
      await enqueue(report(1));
      document.dispatchEvent(new Event("visibilitychange"));
      await vi.waitFor(() => expect(calls).toHaveLength(1));
    } finally {
      sync.stop();
    }
  });

  it("does not drain after stop", async () => {
    const { send, calls } = scripted({});
    const sync = startSync({ send });
    sync.stop();
    await enqueue(report(1));
    sync.kick();
    window.dispatchEvent(new Event("online"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual([]);
  });

  it("calls onAuthRequired and keeps the command for after sign-in", async () => {
    const a = await enqueue(report(1));
    const { send } = scripted({ [a.label]: [{ status: 401, body: null }] });
    const onAuthRequired = vi.fn();
    const sync = startSync({ send, onAuthRequired });
    try {
      await vi.waitFor(() => expect(onAuthRequired).toHaveBeenCalledTimes(1));
      expect(await getCommand(a.id)).toMatchObject({ state: "pending" });
      sync.kick();
      await vi.waitFor(async () => expect(await listCommands()).toEqual([]));
    } finally {
      sync.stop();
    }
  });
});
