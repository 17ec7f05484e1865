import { describe, expect, it } from "vitest";
import type { OutboxCommand } from "../../shared/outbox-types";
import {
  newestFirst, prefillGood, splitReasons, totalsAfter, voidAction, waitingReports, type RankedReason, type ReportRow,
} from "./report";

describe("the good quantity a report offers", () => {
  it("is the rest of the available when the item has no container quantity", () => {
    expect(prefillGood(26, null, 0)).toBe(26);
    expect(prefillGood(26, undefined, 0)).toBe(26);
    expect(prefillGood(26, 0, 0)).toBe(26);
  });

  it("is one container where the item sets one, never more than is left", () => {
    expect(prefillGood(26, 10, 0)).toBe(10);
    expect(prefillGood(6, 10, 0)).toBe(6);
  });

  it("leaves room for the scrap being entered", () => {
    expect(prefillGood(11, null, 1)).toBe(10);
    expect(prefillGood(26, 10, 1)).toBe(10);
    expect(prefillGood(10, 10, 3)).toBe(7);
    expect(prefillGood(2, null, 5)).toBe(0);
  });

  it("keeps a unit's decimals exact", () => {
    expect(prefillGood(4.2, null, 1.1)).toBe(3.1);
    expect(prefillGood(0, 10, 0)).toBe(0);
  });
});

const ranked: RankedReason[] = [
  { code: "SCR-LEAK", name: "Leak test failed", uses: 5 },
  { code: "SCR-DIM", name: "Dimension out of tolerance", uses: 2 },
  { code: "SCR-ASSY", name: "Assembly error", uses: 1 },
  { code: "SCR-SCRATCH", name: "Scratched or damaged surface", uses: 0 },
  { code: "SCR-MATERIAL", name: "Material defect", uses: 0 },
];

describe("the scrap reason buttons", () => {
  it("are the line's three most used, in the server's order; the rest by name behind Other", () => {
    const { top, other } = splitReasons(ranked, "");
    expect(top.map((r) => r.code)).toEqual(["SCR-LEAK", "SCR-DIM", "SCR-ASSY"]);
    expect(other.map((r) => r.code)).toEqual(["SCR-MATERIAL", "SCR-SCRATCH"]);
  });

  it("show a reason picked behind Other as a button of its own while picked", () => {
    const { top, other } = splitReasons(ranked, "SCR-SCRATCH");
    expect(top.map((r) => r.code)).toEqual(["SCR-LEAK", "SCR-DIM", "SCR-ASSY", "SCR-SCRATCH"]);
    expect(other).toHaveLength(2);
  });

  it("leave nothing behind Other when a line has three reasons or fewer", () => {
    expect(splitReasons(ranked.slice(0, 2), "").other).toEqual([]);
  });
});

const row = (over: Partial<ReportRow>): ReportRow => ({
  id: 7, kind: "report", good: "10", scrap: "0", rework: "0", held: "0", scrap_reason: null, voids: null,
  voided_by: null, note: "", username: "olga", reported_at: "2026-12-08T10:00:00Z", ...over,
});
const at = (iso: string) => Date.parse(iso);
const olga = { username: "olga", supervisor: false };

describe("what the reader may do with a report", () => {
  it("lets the operator undo their own report inside the window", () => {
    expect(voidAction(row({}), olga, 600, at("2026-12-08T10:09:59Z"))).toBe("undo");
  });

  it("lets the operator do nothing once the window is over, or with someone else's", () => {
    expect(voidAction(row({}), olga, 600, at("2026-12-08T10:10:00Z"))).toBeNull();
    expect(voidAction(row({ username: "otto" }), olga, 600, at("2026-12-08T10:01:00Z"))).toBeNull();
    expect(voidAction(row({}), olga, 0, at("2026-12-08T10:00:01Z"))).toBeNull();
  });

  it("lets a supervisor void any report, and undo their own inside the window", () => {
    const sam = { username: "sam", supervisor: true };
    expect(voidAction(row({}), sam, 600, at("2026-12-09T10:00:00Z"))).toBe("void");
    expect(voidAction(row({ username: "sam" }), sam, 600, at("2026-12-08T10:01:00Z"))).toBe("undo");
  });

  it("offers nothing on a voided report, a void or a hold release", () => {
    const sam = { username: "sam", supervisor: true };
    expect(voidAction(row({ voided_by: 8 }), sam, 600, at("2026-12-08T10:01:00Z"))).toBeNull();
    expect(voidAction(row({ kind: "void", voids: 6 }), sam, 600, at("2026-12-08T10:01:00Z"))).toBeNull();
    expect(voidAction(row({ kind: "release_hold" }), sam, 600, at("2026-12-08T10:01:00Z"))).toBeNull();
  });
});

describe("the history and the totals after a report", () => {
  it("lists the newest first", () => {
    expect(newestFirst([row({ id: 1 }), row({ id: 3 }), row({ id: 2 })]).map((r) => r.id)).toEqual([3, 2, 1]);
    expect(newestFirst([row({ id: 1 }), row({ id: 2 })], 1).map((r) => r.id)).toEqual([2]);
  });

  it("count what waits in the outbox", () => {
    const op = { good: "10", scrap: "1", available: "15", version: 4 };
    expect(totalsAfter(op, { good: 5, scrap: 1 }, null)).toEqual({ good: 15, scrap: 2, available: 9, waiting: 6 });
  });

  it("count the report just accepted until the operation is read again", () => {
    const accepted = { good: 5, scrap: 0, version: 4 };
    expect(totalsAfter({ good: "10", scrap: "1", available: "15", version: 4 }, { good: 0, scrap: 0 }, accepted))
      .toEqual({ good: 15, scrap: 1, available: 10, waiting: 0 });
    expect(totalsAfter({ good: "15", scrap: "1", available: "10", version: 5 }, { good: 0, scrap: 0 }, accepted))
      .toEqual({ good: 15, scrap: 1, available: 10, waiting: 0 });
  });
});

describe("the reports of an operation waiting in the outbox", () => {
  const cmd = (over: Partial<OutboxCommand>): OutboxCommand => ({
    id: "c1", seq: 1, method: "POST", path: "/api/v1/operations/7/reports", body: { good: 5, scrap: 1 }, recordKey: "OP:OP-1",
    label: "", userId: 1, createdAt: 0, attempts: 0, nextAttemptAt: 0, state: "pending", lastError: null, rejection: null, ...over,
  });

  it("sum the operation's reports, decimals exact", () => {
    const list = [cmd({}), cmd({ id: "c2", body: { good: 0.1, scrap: 0.2 } }), cmd({ id: "c3", state: "sending", body: { good: "2" } })];
    expect(waitingReports(list, "OP:OP-1")).toEqual({ good: 7.1, scrap: 1.2 });
  });

  it("leave out refused reports, voids, other operations and the report just accepted", () => {
    const list = [
      cmd({ id: "refused", state: "rejected" }), cmd({ id: "void", path: "/api/v1/reports/3/void", body: { reason: "x" } }),
      cmd({ id: "other", recordKey: "OP:OP-2" }), cmd({ id: "accepted" }), cmd({ id: "mine", body: { good: 2 } }),
    ];
    expect(waitingReports(list, "OP:OP-1", "accepted")).toEqual({ good: 2, scrap: 0 });
  });

  it("are what the figures take from the available, so the form and the confirmation agree", () => {
    const waiting = waitingReports([cmd({})], "OP:OP-1");
    expect(totalsAfter({ good: 0, scrap: 0, available: 20 }, waiting, null)).toEqual({ good: 5, scrap: 1, available: 14, waiting: 6 });
  });
});
