// The step around a report against a stand-in outbox: the reopen waits for the server's
// answer, "open it anyway" is the signed-in person's, and the completion question counts what
// the report form counts.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OutboxCommand } from "../../shared/outbox-types";
import type { Operation } from "./api";

vi.mock("../../app/outbox", async () => {
  const { signal } = await import("@preact/signals");
  const outboxCommands = signal<OutboxCommand[]>([]);
  let next = 0;
  const enqueue = async (input: { path: string; body?: unknown; recordKey: string; label: string }) => {
    const cmd = {
      id: `cmd-${++next}`, seq: next, method: "POST", path: input.path, body: input.body ?? null, recordKey: input.recordKey,
      label: input.label, userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null,
    } as OutboxCommand;
    outboxCommands.value = [...outboxCommands.value, cmd];
    return cmd;
  };
  return {
    outboxCommands, submit: enqueue, submitOnce: (_: string, input: Parameters<typeof enqueue>[0]) => enqueue(input),
    onCommandSettled: () => () => undefined, settledAlready: () => undefined,
  };
});
vi.mock("../../outbox/outbox", () => ({ discard: vi.fn(async () => undefined) }));

const { outboxCommands } = await import("../../app/outbox");
const { user } = await import("../../app/session");
const { myWorkstation } = await import("../home/model");
const { operation } = await import("./model");
const { available, lastSent } = await import("./reporting");
const { completionNow, elsewhere, openAnyway, reopen, reopening } = await import("./step-model");

const op = (over: Partial<Operation> = {}): Operation => ({
  id: 7, code: "OP-7", seq: 10, name: "Assemble", status: "running", available: "20", good: "0", scrap: "0", held: "0",
  operators: [], workstation: "WS-103", workstation_type: null, scheduled_workstation: null, scheduled_start: null,
  scheduled_end: null, line: "L1", version: 3, ...over,
} as Operation);
const person = (id: number, username: string) =>
  ({ id, username, display_name: username, roles: ["operator"], badge: null, active: true, email: "", locale: "en" });

beforeEach(() => {
  outboxCommands.value = [];
  lastSent.value = null;
  operation.value = op();
});

describe("a supervisor's reopen", () => {
  it("keeps the operation done, saying reopening, until it is read again after the server's answer", async () => {
    // Started once, nothing reported: the server makes it paused; the handheld does not guess.
    operation.value = op({ status: "done", version: 5, available: "20" });
    const sending = reopen();
    expect(operation.value?.status).toBe("done");
    expect(reopening.value).toBe(true);
    await sending;
    expect(outboxCommands.value.map((c) => c.path)).toEqual(["/api/v1/operations/7/reopen"]);
    outboxCommands.value = []; // accepted: it leaves the outbox before the operation is read again
    expect(reopening.value).toBe(true);
    operation.value = op({ status: "paused", version: 6 });
    expect(reopening.value).toBe(false);
  });

  it("stops saying reopening when the server refuses it", async () => {
    operation.value = op({ status: "done", version: 8 });
    await reopen();
    expect(reopening.value).toBe(true);
    outboxCommands.value = outboxCommands.value.map((c) => ({ ...c, state: "rejected" as const }));
    expect(reopening.value).toBe(false);
  });
});

describe("opening another workstation's operation anyway", () => {
  it("is asked again of the next person who signs in on the handheld", () => {
    user.value = person(1, "olga");
    myWorkstation.value = "WS-101";
    expect(elsewhere.value).toEqual({ planned: "WS-103", mine: "WS-101" });
    openAnyway(7);
    expect(elsewhere.value).toBeNull();
    user.value = { ...person(1, "olga") }; // the session read again: the same person
    expect(elsewhere.value).toBeNull();
    user.value = null; // signed out
    user.value = person(2, "otto");
    expect(elsewhere.value).toEqual({ planned: "WS-103", mine: "WS-101" });
    openAnyway(7);
    user.value = person(3, "sam"); // a quick switch
    expect(elsewhere.value).not.toBeNull();
  });
});

describe("the last report's confirmation on a shared handheld", () => {
  it("is not shown to the next person who signs in", () => {
    user.value = person(1, "olga");
    lastSent.value = {
      commandId: "c1", opId: 7, good: 5, scrap: 0, reason: "", version: 3, state: "accepted", reportId: 9,
      reportedAt: null, detail: "",
    };
    user.value = { ...person(1, "olga") }; // the session read again: the same person
    expect(lastSent.value).not.toBeNull();
    user.value = null; // signed out
    expect(lastSent.value).toBeNull();
    user.value = person(2, "otto");
    lastSent.value = { commandId: "c2", opId: 7, good: 1, scrap: 0, reason: "", version: 3, state: "waiting", reportId: null, reportedAt: null, detail: "" };
    user.value = person(3, "sam"); // a quick switch
    expect(lastSent.value).toBeNull();
  });
});

describe("the completion question", () => {
  it("counts the report just accepted, as the report form does", () => {
    lastSent.value = {
      commandId: "c1", opId: 7, good: 6, scrap: 0, reason: "", version: 3, state: "accepted",
      reportId: 11, reportedAt: "2026-12-08T10:00:00Z", detail: "",
    };
    expect(available.value).toBe(14);
    expect(completionNow.value).toEqual({ reported: 6, remaining: 14, total: 20 });
  });
});
