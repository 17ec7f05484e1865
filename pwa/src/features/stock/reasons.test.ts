import { describe, expect, it } from "vitest";
import { holdWhy, reasonName, reasonNameMap } from "./reasons";

const names = reasonNameMap([
  { code: "HOLD-QA", name: "Quality hold" },
  { code: "HOLD-SUPPLIER", name: "Supplier complaint" },
]);

describe("a lot's hold reason in words", () => {
  it("shows the reason's name, not its code", () => {
    expect(reasonName("HOLD-QA", names)).toBe("Quality hold");
    expect(holdWhy("HOLD-QA", "Solder bridges on sample", names)).toBe("Quality hold · Solder bridges on sample");
  });

  it("prefers the name the server sent with the lot", () => {
    expect(reasonName("HOLD-QA", names, "质量冻结")).toBe("质量冻结");
  });

  it("falls back to the code when no list names it (nothing saved yet)", () => {
    expect(reasonName("HOLD-NEW", names)).toBe("HOLD-NEW");
    expect(holdWhy("HOLD-QA", "", new Map())).toBe("HOLD-QA");
  });

  it("leaves out what is missing", () => {
    expect(holdWhy("", "porosity", names)).toBe("porosity");
    expect(holdWhy(null, null, names)).toBe("");
  });
});
