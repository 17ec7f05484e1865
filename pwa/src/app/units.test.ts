import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const UNITS = {
  data: [
    { code: "PCS", name: "Piece", decimals: 0 },
    { code: "KG", name: "Kilogram", decimals: 3 },
    { code: "M", name: "Metre", decimals: 2 },
  ],
  total: 3,
};

function answering(body: unknown): ReturnType<typeof vi.fn> {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

/** A fresh copy of the module, as after the app starts again on the device. */
async function freshUnits() {
  vi.resetModules();
  return import("./units");
}

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllGlobals());

describe("unit decimals", () => {
  it("are whole numbers until the units are read, then the unit's own, read once", async () => {
    const fetch = answering(UNITS);
    const units = await freshUnits();
    expect(units.unitDecimals("KG")).toBe(0);
    await units.loadUnits();
    expect(units.unitDecimals("KG")).toBe(3);
    expect(units.unitDecimals("m")).toBe(2);
    expect(units.unitDecimals("PCS")).toBe(0);
    expect(units.unitDecimals("NOT-A-UNIT")).toBe(0);
    expect(units.unitDecimals(undefined)).toBe(0);
    await units.loadUnits();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("come from this device's saved copy when the network is away", async () => {
    answering(UNITS);
    await (await freshUnits()).loadUnits();
    vi.stubGlobal("fetch", vi.fn(async () => { throw new TypeError("Failed to fetch"); }));
    const offline = await freshUnits();
    await offline.loadUnits();
    expect(offline.unitDecimals("KG")).toBe(3);
  });
});
