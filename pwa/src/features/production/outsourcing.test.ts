import { describe, expect, it } from "vitest";
import type { Operation, OutsourceOrder } from "./api";
import {
  awaitingInspection, canSendWhole, chosenOperations, openOrderAt, receiptProblem, sendableOperations, sendLimit,
} from "./outsourcing";

type Op = Pick<Operation, "seq" | "status" | "good" | "scrap" | "held"> & { name: string; available_total: string };
const op = (seq: number, over: Partial<Op> = {}): Op => ({
  seq, name: `Step ${seq}`, status: "pending", good: "0", scrap: "0", held: "0", available_total: "0", ...over,
});
const oso = (over: Partial<OutsourceOrder> = {}): OutsourceOrder => ({
  code: "OSO-1", work_order: "WO-1", first_seq: 20, last_seq: 20, supplier_code: "SUP-A", location_code: "SUB-SUP-A",
  quantity: "4", received: "0", scrapped: "0", outstanding: "4", status: "open", note: "", created_at: "", materials: [],
  ...over,
});

// Step 10 passed 4 of 10 on; 20 and 30 have not begun.
const OPS = [
  op(10, { status: "running", good: "4", available_total: "10" }),
  op(20, { status: "ready", available_total: "4" }),
  op(30),
];

describe("what may go to a supplier", () => {
  it("is an operation nobody has started here and that is not out already", () => {
    expect(sendableOperations(OPS, []).map((o) => o.seq)).toEqual([20, 30]);
    expect(sendableOperations(OPS, [oso()]).map((o) => o.seq)).toEqual([30]);
    expect(sendableOperations(OPS, [oso({ status: "closed" })]).map((o) => o.seq)).toEqual([20, 30]);
  });
  it("as a whole order, every operation not started, unless part of it is out", () => {
    expect(chosenOperations(OPS, null).map((o) => o.seq)).toEqual([20, 30]);
    expect(canSendWhole(OPS, [])).toBe(true);
    expect(canSendWhole(OPS, [oso({ first_seq: 30, last_seq: 30 })])).toBe(false);
    expect(canSendWhole([op(10, { status: "done", good: "10" })], [])).toBe(false);
    expect(openOrderAt([oso({ first_seq: 20, last_seq: 30 })], 30)?.code).toBe("OSO-1");
  });
});

describe("how many parts can go", () => {
  it("is what reached the first operation sent", () => {
    expect(sendLimit(OPS, 20, "10")).toBe(4);
    expect(sendLimit(OPS, null, "10")).toBe(4);
    expect(sendLimit(OPS, 30, "10")).toBe(0);
  });
  it("is the order's quantity when its first step goes", () => {
    expect(sendLimit([op(10, { status: "ready" }), op(20)], null, "12")).toBe(12);
    expect(sendLimit(OPS, 99, "10")).toBe(0);
  });
});

describe("a receipt back from the supplier", () => {
  const order = oso({ received: "1", outstanding: "3" });
  it("may be partial, never more than is still out", () => {
    expect(receiptProblem(order, 2, 0, "")).toBeNull();
    expect(receiptProblem(order, 3, 1, "SCR-DIM")).toBe("tooMany");
    expect(receiptProblem(order, 0, 0, "")).toBe("empty");
  });
  it("needs a reason for supplier scrap", () => {
    expect(receiptProblem(order, 1, 1, "")).toBe("reasonNeeded");
    expect(receiptProblem(order, 1, 1, "SCR-DIM")).toBeNull();
  });
  it("leaves received parts waiting for incoming inspection at the last outsourced step", () => {
    const ops = [op(10), op(20, { good: "3", held: "3" })];
    expect(awaitingInspection(oso({ received: "3" }), ops)).toBe(3);
    expect(awaitingInspection(oso(), ops)).toBe(0);
  });
});
