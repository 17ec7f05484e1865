import { describe, expect, it } from "vitest";
import { expiryState, localToday } from "./expiry";

describe("expiry", () => {
  it("is near within 30 days, expired the day after its date", () => {
    expect(expiryState(null, "2026-03-01")).toBe("none");
    expect(expiryState("2026-05-01", "2026-03-01")).toBe("ok");
    expect(expiryState("2026-03-31", "2026-03-01")).toBe("near");
    expect(expiryState("2026-03-01", "2026-03-01")).toBe("near");
    expect(expiryState("2026-02-28", "2026-03-01")).toBe("expired");
  });

  it("reads today in the device's own calendar", () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});
