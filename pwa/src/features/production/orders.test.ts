import { describe, expect, it } from "vitest";
import type { Operation } from "./api";
import { madeOf, mayMake, orderQuery, overBy } from "./orders";

describe("the work order list's query", () => {
  const base = { status: "open", q: "", line: "", late: false };

  it("asks for the open statuses and nothing else by default", () => {
    const query = new URLSearchParams(orderQuery(base));
    expect(query.get("status")).toBe("draft,released,in_progress,on_hold");
    expect([...query.keys()].sort()).toEqual(["limit", "status"]);
  });

  it("passes the search text (code, item, customer order), the line and late orders only", () => {
    const query = new URLSearchParams(orderQuery({ status: "released", q: "  PO-77 ", line: "L2", late: true }));
    expect(query.get("status")).toBe("released");
    expect(query.get("q")).toBe("PO-77");
    expect(query.get("line")).toBe("L2");
    expect(query.get("late")).toBe("true");
  });

  it("encodes what a person types", () => {
    expect(orderQuery({ ...base, q: "a&b c" })).toContain("q=a%26b+c");
  });
});

describe("an order's figures", () => {
  it("may make what the server says its first operation may report in all", () => {
    const released = (available_total: string) => ({
      quantity: "25", overrun_percent: "5", operations: [
        { seq: 20, available_total: "0" } as Operation, { seq: 10, available_total } as Operation],
    });
    expect(mayMake(released("26"), 0)).toBe("26");
    expect(mayMake(released("26.250000"), 3)).toBe("26.25");
  });

  it("a draft (no operations yet): its quantity plus the overrun, in what the unit counts, without floats", () => {
    const draft = (quantity: string | number, overrun_percent: string | number) => ({ quantity, overrun_percent });
    expect(mayMake(draft("25", "5.00"), 0)).toBe("26"); // 26.25 pieces: 26
    expect(mayMake(draft(20, 0), 0)).toBe("20");
    expect(mayMake(draft("10", "2.5"), 3)).toBe("10.25");
    expect(mayMake(draft("3", "10"), 0)).toBe("3"); // 3.3: still 3 whole pieces
    // Floats say 1.1 * 1.1 is 1.2100000000000002 and 0.7 * 1.1 is 0.77000000000000001: exact here.
    expect(mayMake(draft("1.1", "10"), 2)).toBe("1.21");
    expect(mayMake(draft("0.7", "10"), 2)).toBe("0.77");
    expect(mayMake(draft("19.99", "0.05"), 6)).toBe("19.999995");
    expect(mayMake({ quantity: "7" }, 0)).toBe("7");
  });

  it("tells how much was made over the quantity", () => {
    expect(overBy(26, 25)).toBe(1);
    expect(overBy(25, 25)).toBe(0);
    expect(overBy(10, 25)).toBe(0);
    expect(overBy(26.1, 25)).toBe(1.1);
  });
});

describe("the made-of text", () => {
  it("explains an overrun where it shows", () => {
    expect(madeOf(10, 25, 5)).toBe("10 of 25");
    expect(madeOf(26, 25, 5)).toBe("26 of 25, 1 over (overrun allowed 5 %)");
    expect(madeOf(26, 25)).toBe("26 of 25, 1 over");
  });
});
