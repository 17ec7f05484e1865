import { describe, expect, it } from "vitest";
import { BACKSPACE, ceilTo, finishText, floorTo, POINT, quantityText, toMicro, typeKey, type EntryRules } from "./quantity";

/** Press keys one after another from empty text, as a person on the pad. */
function typed(keys: string[], rules: EntryRules): { text: string; refused: (string | null)[] } {
  let text = "";
  const refused: (string | null)[] = [];
  for (const key of keys) {
    const next = typeKey(text, key, rules);
    text = next.text;
    refused.push(next.refused);
  }
  return { text, refused };
}

const kg: EntryRules = { decimals: 3, maxDigits: 9 };
const pieces: EntryRules = { decimals: 0, maxDigits: 9 };

describe("typing a quantity", () => {
  it("takes 0.015 in a unit with three decimals", () => {
    const { text, refused } = typed(["0", POINT, "0", "1", "5"], kg);
    expect(text).toBe("0.015");
    expect(refused).toEqual([null, null, null, null, null]);
    expect(finishText(text)).toBe("0.015");
  });

  it("refuses a fourth decimal in a unit with three", () => {
    const { text, refused } = typed(["0", POINT, "0", "1", "5", "7"], kg);
    expect(text).toBe("0.015");
    expect(refused.at(-1)).toBe("decimals");
  });

  it("refuses 1.5 in a whole unit: the point is not taken", () => {
    const { text, refused } = typed(["1", POINT, "5"], pieces);
    expect(refused[1]).toBe("decimals");
    expect(text).toBe("15");
    expect(typeKey("1", POINT, { decimals: 2, maxDigits: 9, secret: true }).refused).toBe("decimals");
  });

  it("turns a leading point into 0. and takes one point only", () => {
    expect(typeKey("", POINT, kg).text).toBe("0.");
    const { text } = typed([POINT, "5", POINT, "2"], kg);
    expect(text).toBe("0.52");
  });

  it("replaces a leading zero with the next digit", () => {
    expect(typed(["0", "0", "7"], pieces).text).toBe("7");
  });

  it("backspace takes the last key back, the point too", () => {
    const { text } = typed(["1", "2", POINT, "5", BACKSPACE, BACKSPACE], kg);
    expect(text).toBe("12");
    expect(typed([POINT, BACKSPACE], kg).text).toBe("0");
    expect(typeKey("", BACKSPACE, kg).text).toBe("");
  });

  it("refuses what goes above the maximum, compared exactly", () => {
    const rules = { ...kg, max: "2.5" };
    expect(typed(["2", POINT, "5"], rules).text).toBe("2.5");
    const over = typed(["2", POINT, "6"], rules);
    expect(over.text).toBe("2.");
    expect(over.refused.at(-1)).toBe("max");
    expect(typed(["4", "7"], { ...pieces, max: 40 }).text).toBe("4");
  });

  it("limits the digits before the point, not after it", () => {
    const rules = { decimals: 3, maxDigits: 2 };
    const { text, refused } = typed(["1", "2", "3", POINT, "4", "5", "6"], rules);
    expect(text).toBe("12.456");
    expect(refused[2]).toBe("length");
  });

  it("keeps a PIN's leading zeros and its length", () => {
    const pin = { decimals: 0, maxDigits: 4, secret: true };
    const { text } = typed(["0", "0", "4", "2", "9"], pin);
    expect(text).toBe("0042");
    expect(finishText(text, true)).toBe("0042");
  });

  it("finishes a trailing point and trailing zeros as the plain number", () => {
    expect(finishText("3.")).toBe("3");
    expect(finishText("1.500")).toBe("1.5");
    expect(finishText("")).toBeNull();
  });
});

describe("exact quantities", () => {
  it("reads text and numbers to millionths without float error", () => {
    expect(toMicro("0.015")).toBe(15_000n);
    expect(toMicro(0.1 + 0.2)).toBe(300_000n);
    expect(toMicro("12")).toBe(12_000_000n);
    expect(toMicro(-0.5)).toBe(-500_000n);
    expect(toMicro("0.0000005")).toBe(1n);
  });

  it("writes plain text with '.', no grouping and no exponent, whatever the locale", () => {
    expect(quantityText(1234567.5)).toBe("1234567.5");
    expect(quantityText(0.000001)).toBe("0.000001");
    expect(quantityText(3)).toBe("3");
    expect(quantityText(0.1 + 0.2)).toBe("0.3");
    expect(quantityText("0.045")).toBe("0.045");
  });

  it("reads a limit at the unit's decimals: the most down, the least up", () => {
    expect(floorTo(toMicro(4.2 - 1.1), 1)).toBe(toMicro("3.1"));
    expect(floorTo(toMicro("2.5"), 0)).toBe(toMicro(2));
    expect(ceilTo(toMicro("0.0004"), 3)).toBe(toMicro("0.001"));
    expect(floorTo(toMicro("-0.5"), 0)).toBe(toMicro(-1));
  });
});
