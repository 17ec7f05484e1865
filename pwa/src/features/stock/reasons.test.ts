import { describe, expect, it } from "vitest";
import { holdWhy } from "./reasons";

describe("a lot's hold reason in words", () => {
  it("shows the reason's name and the note", () => {
    expect(holdWhy("Quality hold", "Solder bridges on sample")).toBe("Quality hold · Solder bridges on sample");
  });

  it("leaves out what is missing", () => {
    expect(holdWhy("", "porosity")).toBe("porosity");
    expect(holdWhy("Quality hold", "")).toBe("Quality hold");
    expect(holdWhy(null, null)).toBe("");
  });
});
