// The report form's state against a stand-in outbox: one `available` for the form, its
// steppers and the confirmation; an undo's answer matched to its report by command id; the
// scrap reason buttons of the operation's own line.
import { beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import type { OutboxCommand } from "../../shared/outbox-types";
import type { Operation } from "./api";

type Listener = (cmd: OutboxCommand, answer?: unknown) => void;
const outbox = vi.hoisted(() => ({
  listeners: [] as ((cmd: never, answer?: unknown) => void)[],
  submit: null as unknown as Mock<(input: { path: string; recordKey: string; label: string }) => Promise<OutboxCommand>>,
  saved: null as unknown as Mock<(key: string, fetcher: () => Promise<unknown>) => Promise<unknown>>,
  next: 0,
}));

vi.mock("../../app/outbox", async () => {
  const { signal: make } = await import("@preact/signals");
  const outboxCommands = make<OutboxCommand[]>([]);
  const enqueue = (input: { path: string; body?: unknown; recordKey: string; label: string }): OutboxCommand => {
    const cmd: OutboxCommand = {
      id: `cmd-${++outbox.next}`, seq: outbox.next, method: "POST", path: input.path, body: input.body ?? null,
      recordKey: input.recordKey, label: input.label, userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0,
      state: "pending", lastError: null, rejection: null,
    };
    outboxCommands.value = [...outboxCommands.value, cmd];
    return cmd;
  };
  outbox.submit = vi.fn(async (input: Parameters<typeof enqueue>[0]) => enqueue(input));
  return {
    outboxCommands,
    submit: (input: Parameters<typeof enqueue>[0]) => outbox.submit(input),
    submitOnce: async (_action: string, input: Parameters<typeof enqueue>[0]) => enqueue(input),
    onCommandSettled: (l: Listener) => { outbox.listeners.push(l as never); return () => undefined; },
    settledAlready: () => undefined,
  };
});
vi.mock("../../app/saved", () => {
  outbox.saved = vi.fn(async () => ({ value: [], savedAt: null }));
  return { fetchOrSaved: (key: string, fetcher: () => Promise<unknown>) => outbox.saved(key, fetcher) };
});

const { outboxCommands } = await import("../../app/outbox");
const model = await import("./model");
const reporting = await import("./reporting");
const { available, canSend, figures, goodMax, lastSent, prefill, rankedReasons, scrapMax, sendReport, voidReport } = reporting;

const op = (over: Partial<Operation> = {}): Operation => ({
  id: 7, code: "OP-7", seq: 10, name: "Assemble", status: "running", available: "20", good: "0", scrap: "0", held: "0",
  operators: [], workstation: "WS-101", workstation_type: null, scheduled_workstation: null, scheduled_start: null,
  scheduled_end: null, container_quantity: null, line: "L1", version: 3, ...over,
} as Operation);

/** The server answers a command (the outbox tells every listener, then reads itself again). */
function answer(cmd: OutboxCommand, body: unknown, refused = false): void {
  const settled = refused
    ? { ...cmd, state: "rejected" as const, rejection: { status: 409, code: null, title: "", detail: "No." } }
    : cmd;
  for (const l of outbox.listeners) l(settled as never, refused ? undefined : body);
}
const drop = (id: string) => (outboxCommands.value = outboxCommands.value.filter((c) => c.id !== id));
const last = () => outboxCommands.value[outboxCommands.value.length - 1]!;

beforeEach(() => {
  outboxCommands.value = [];
  lastSent.value = null;
  model.scrap.value = 0;
  model.scrapReason.value = "";
  reporting.goodTouched.value = false;
  reporting.coolingDown.value = false;
  model.operation.value = op();
});

describe("one available for the form, its steppers and the confirmation", () => {
  it("after a report is accepted, the form's available equals the confirmation's", async () => {
    model.operation.value = op({ container_quantity: "8" });
    expect(prefill.value).toBe(8);
    reporting.coolingDown.value = false;
    await sendReport();
    const sent = last();
    // Waiting in the outbox: counted once.
    expect(available.value).toBe(12);
    expect(figures.value).toMatchObject({ good: 8, available: 12, waiting: 8 });

    answer(sent, { id: 11, reported_at: "2026-12-08T10:00:00Z" });
    expect(lastSent.value?.state).toBe("accepted");
    // Accepted, still listed until the outbox is read again, the operation not read again yet.
    expect(available.value).toBe(12);
    drop(sent.id);
    expect(available.value).toBe(12);
    expect(figures.value).toMatchObject({ good: 8, available: 12, waiting: 0 });
    expect(prefill.value).toBe(8);
    expect(goodMax.value).toBe(12);
    expect(scrapMax.value).toBe(12);

    // The operation read again: the report is the server's now, counted once still.
    model.operation.value = op({ container_quantity: "8", available: "12", good: "8", version: 4 });
    expect(figures.value).toMatchObject({ good: 8, available: 12, waiting: 0 });
  });

  it("Send takes no more than the confirmation says is available", async () => {
    await sendReport();
    const sent = last();
    answer(sent, { id: 12, reported_at: "2026-12-08T10:00:00Z" });
    drop(sent.id);
    expect(figures.value.available).toBe(0);
    expect(available.value).toBe(0);
    expect(prefill.value).toBe(0);
    expect(canSend.value).toBe(false);
  });

  it("leaves a refused report out at once", async () => {
    await sendReport();
    const sent = last();
    outboxCommands.value = [{ ...sent, state: "rejected" }];
    answer(sent, undefined, true);
    expect(lastSent.value?.state).toBe("refused");
    expect(available.value).toBe(20);
    expect(reporting.toldOf(lastSent.value, 7)).toBeNull();
  });
});

describe("an undo", () => {
  const accepted = (commandId: string, reportId: number) => ({
    commandId, opId: 7, good: 20, scrap: 0, reason: "", version: 3, state: "accepted" as const,
    reportId, reportedAt: "2026-12-08T10:00:00Z", detail: "",
  });

  it("says undoing at once and undone when the server answers", async () => {
    lastSent.value = accepted("c-old", 11);
    const undoing = voidReport(11, "OP-7", "Reported twice");
    expect(lastSent.value?.state).toBe("undoing");
    await undoing;
    answer(last(), {});
    expect(lastSent.value?.state).toBe("undone");
  });

  it("leaves a newer report's confirmation as it is", async () => {
    lastSent.value = accepted("c-old", 11);
    let queued!: () => void;
    outbox.submit.mockImplementationOnce(async (input: { path: string; recordKey: string; label: string }) => {
      await new Promise<void>((resolve) => (queued = resolve));
      return { id: "undo-1", ...input, state: "pending" } as unknown as OutboxCommand;
    });
    const undoing = voidReport(11, "OP-7", "Reported twice");
    // A new report is sent while the undo is still being put in the outbox.
    lastSent.value = { ...accepted("c-new", 12), state: "waiting", reportId: null, reportedAt: null };
    queued();
    await undoing;
    expect(lastSent.value).toMatchObject({ commandId: "c-new", state: "waiting" });
    answer({ id: "undo-1", recordKey: "OP:OP-7", path: "/api/v1/reports/11/void", state: "pending" } as OutboxCommand, {});
    expect(lastSent.value).toMatchObject({ commandId: "c-new", state: "waiting" });
  });
});

describe("the scrap reason buttons", () => {
  const lineA = [{ code: "SCR-LEAK", name: "Leak", uses: 4 }];

  it("are not another line's while the operation's line is read", async () => {
    let readB!: (v: unknown) => void;
    outbox.saved.mockImplementation(async (key: string) => {
      if (key === "reasons:scrap:A") return { value: lineA, savedAt: null };
      if (key === "reasons:scrap:B") return new Promise((resolve) => (readB = resolve));
      return { value: [], savedAt: null };
    });
    await reporting.openReporting(1, "A");
    expect(rankedReasons.value).toEqual(lineA);
    const opening = reporting.openReporting(2, "B");
    expect(rankedReasons.value).toEqual([]);
    const lineB = [{ code: "SCR-DIM", name: "Dimension", uses: 2 }];
    readB({ value: lineB, savedAt: null });
    await opening;
    expect(rankedReasons.value).toEqual(lineB);
  });

  it("are every reason in code order when the line's were never read here, as they load", async () => {
    outbox.saved.mockImplementation(async (key: string) => {
      if (key.startsWith("reasons:scrap:")) throw new TypeError("offline");
      return { value: [], savedAt: null };
    });
    model.reasons.value = [];
    await reporting.openReporting(3, "C");
    expect(rankedReasons.value).toEqual([]);
    model.reasons.value = [{ code: "SCR-ASSY", name: "Assembly error" } as never];
    expect(rankedReasons.value).toEqual([{ code: "SCR-ASSY", name: "Assembly error", uses: 0 }]);
  });
});
