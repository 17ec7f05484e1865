import { describe, expect, it } from "vitest";
import type { CountLine } from "./api";
import {
  countLines, isNegative, readLotScan, signed, startQuantity, submitBlock, toneOf, varianceOf, varianceSummary,
  type CountLineView,
} from "./lines";

function line(over: Partial<CountLine> = {}): CountLine {
  return {
    item_code: "RM-GREASE", item_name: "Grease", lot_code: "LOT-1", quality_status: "released", unit: "KG", found: false,
    expected: "10", counted: null, book: null, variance: null, counted_by: "", counted_at: null, movement_id: null, ...over,
  };
}

const view = (lines: CountLine[], pending = [], found = []) => countLines({ lines }, pending, found);

describe("the lines of a count", () => {
  it("shows the server's lines with what the ledger expected and what was counted", () => {
    const [a, b] = view([line(), line({ item_code: "FG-FAN", lot_code: null, expected: "5", counted: "4" })]);
    expect(a).toMatchObject({ key: "RM-GREASE|LOT-1", expected: 10, counted: null, waiting: false, found: false });
    expect(b).toMatchObject({ key: "FG-FAN|", lot_code: null, expected: 5, counted: 4 });
  });

  it("overlays the newest figure still waiting in the outbox (a recount replaces the earlier one)", () => {
    const [a] = countLines({ lines: [line({ counted: "10" })] }, [
      { item_code: "RM-GREASE", lot_code: "LOT-1", quantity: 8 },
      { item_code: "RM-GREASE", lot_code: "LOT-1", quantity: 9 },
    ], []);
    expect(a).toMatchObject({ counted: 9, waiting: true });
  });

  it("adds lots found by scanning, and keeps one line when their figure waits in the outbox", () => {
    const foundLot = { item_code: "RM-GREASE", item_name: "Grease", lot_code: "LOT-9", unit: "KG" };
    const unsaved = countLines({ lines: [line()] }, [], [foundLot]);
    expect(unsaved.map((l) => [l.key, l.found, l.counted])).toEqual([["RM-GREASE|LOT-1", false, null], ["RM-GREASE|LOT-9", true, null]]);
    const waiting = countLines({ lines: [line()] }, [{ item_code: "RM-GREASE", lot_code: "LOT-9", quantity: 3 }], [foundLot]);
    expect(waiting).toHaveLength(2);
    expect(waiting[1]).toMatchObject({ found: true, counted: 3, waiting: true, unit: "KG", item_name: "Grease" });
  });

  it("hides nothing it was not given: a blind count's expected stays null", () => {
    const [a] = view([line({ expected: null })]);
    expect(a.expected).toBeNull();
    expect(startQuantity(a)).toBe(0);
  });
});

describe("submitting", () => {
  it("is blocked until every line has a figure (zero for what is not there)", () => {
    expect(submitBlock([])).toEqual({ key: "nothingCounted" });
    const lines = view([line({ counted: "0" }), line({ lot_code: "LOT-2" })]);
    expect(submitBlock(lines)).toEqual({ key: "stillToCount", params: { count: 1 } });
    expect(submitBlock(view([line({ counted: "0" })]))).toBeNull();
  });
});

describe("a lot scan", () => {
  it("chooses the line that counts the lot, whatever the case of the scan", () => {
    expect(readLotScan(view([line()]), "lot-1")).toEqual({ kind: "line", key: "RM-GREASE|LOT-1" });
  });

  it("asks to look up a lot the count does not hold (stock found here)", () => {
    expect(readLotScan(view([line()]), "LOT-7")).toEqual({ kind: "lookup" });
  });
});

describe("where the quantity starts", () => {
  it("is the figure so far, else what the ledger expects, never below zero", () => {
    const [counted, expected, negative] = view([
      line({ counted: "7" }), line({ lot_code: "B" }), line({ lot_code: "C", expected: "-3" }),
    ]);
    expect(startQuantity(counted)).toBe(7);
    expect(startQuantity(expected)).toBe(10);
    expect(startQuantity(negative)).toBe(0);
  });
});

describe("variances", () => {
  it("is the server's counted − book once submitted", () => {
    const [a] = view([line({ counted: "9", book: "11", variance: "-2" })]);
    expect(varianceOf(a)).toBe(-2);
  });

  it("before the submit, compares with what was expected; found stock is all over", () => {
    const [short, found] = countLines({ lines: [line({ counted: "9.7" })] }, [{ item_code: "X", lot_code: "L", quantity: 4 }], []);
    expect(varianceOf(short)).toBe(-0.3);
    expect(varianceOf(found)).toBe(4);
  });

  it("is unknown for an uncounted line or a hidden expectation", () => {
    const [a, b] = view([line(), line({ lot_code: "B", expected: null, counted: "3" })]);
    expect(varianceOf(a)).toBeNull();
    expect(varianceOf(b)).toBeNull();
  });

  it("reads with its sign and a tone, and sums up by tone", () => {
    expect([signed(2), signed(-1.5), signed(0)]).toEqual(["+2", "−1.5", "0"]);
    expect([toneOf(-1), toneOf(1), toneOf(0), toneOf(null)]).toEqual(["short", "over", "match", null]);
    const lines: CountLineView[] = view([
      line({ counted: "9", book: "10", variance: "-1" }), line({ lot_code: "B", counted: "5", book: "5", variance: "0" }),
      line({ lot_code: "C", counted: "3", book: "1", variance: "2" }), line({ lot_code: "D", counted: "0", book: "0", variance: "0" }),
    ]);
    expect(varianceSummary(lines)).toEqual({ short: 1, over: 1, match: 2 });
  });
});

describe("line-side balances", () => {
  it("flags below zero, ignoring dust beyond the ledger's six decimals", () => {
    expect(isNegative("-2")).toBe(true);
    expect(isNegative("0")).toBe(false);
    expect(isNegative("-0.0000001")).toBe(false);
  });
});
