import { describe, expect, it } from "vitest";
import { createDeduper } from "./dedupe";

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createDeduper", () => {
  it("lets the first sighting through and drops the same text within the window", () => {
    const c = clock();
    const isNew = createDeduper(1000, c.now);
    expect(isNew("WO-1")).toBe(true);
    c.advance(100);
    expect(isNew("WO-1")).toBe(false);
  });

  it("counts the same text as new once the window has passed", () => {
    const c = clock();
    const isNew = createDeduper(1000, c.now);
    isNew("WO-1");
    c.advance(1000);
    expect(isNew("WO-1")).toBe(true);
  });

  it("a code held in front of the camera stays one scan: every frame extends the window", () => {
    const c = clock();
    const isNew = createDeduper(1000, c.now);
    const seen = [];
    for (let frame = 0; frame < 100; frame++) {
      seen.push(isNew("LOT-7"));
      c.advance(50); // 5 s of frames, 20 a second
    }
    expect(seen.filter(Boolean)).toHaveLength(1);
  });

  it("a different text is always new, and going back to the first one is new too", () => {
    const c = clock();
    const isNew = createDeduper(1000, c.now);
    expect(isNew("A")).toBe(true);
    expect(isNew("B")).toBe(true);
    expect(isNew("A")).toBe(true);
  });

  it("a window given as a function is asked at every scan, so a setting that arrives later applies", () => {
    const c = clock();
    let windowMs = 1000;
    const isNew = createDeduper(() => windowMs, c.now);
    isNew("WO-1");
    c.advance(100);
    expect(isNew("WO-1")).toBe(false);
    windowMs = 50;
    c.advance(100);
    expect(isNew("WO-1")).toBe(true);
  });

  it("a window of 0 counts every read", () => {
    const c = clock();
    const isNew = createDeduper(0, c.now);
    expect(isNew("WO-1")).toBe(true);
    expect(isNew("WO-1")).toBe(true);
  });

  it("defaults to performance.now", () => {
    const isNew = createDeduper();
    expect(isNew("X")).toBe(true);
    expect(isNew("X")).toBe(false);
  });
});
