import { describe, expect, it } from "vitest";
import {
  MIN_BAR_PX, SPAN_HOURS, ZOOMS, floorToStep, layoutLane, pinchZoom, scrollToNow, shortCode, tickStep, ticks,
  timeline, xOf, zoomBy,
} from "./timeline";

const HOUR = 3_600_000;
// Local times, so the tests hold in any time zone the machine runs in.
const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
const NOW = at(8, 9, 40);

describe("the zoom's window", () => {
  it("shows the zoom's span across the visible width, whatever the width", () => {
    for (const zoom of ZOOMS) {
      for (const px of [248, 900]) {
        const tl = timeline(zoom, NOW, [], px);
        expect(SPAN_HOURS[zoom] * HOUR * tl.scale).toBeCloseTo(px, 5);
      }
    }
  });

  it("opens at now, not at the first operation a day in the past", () => {
    const yesterday = { start: at(7, 6), end: at(7, 14) };
    const tl = timeline("shift", NOW, [yesterday, { start: at(8, 10), end: at(8, 18) }], 800);
    expect(tl.start).toBeLessThanOrEqual(yesterday.start); // the past can be scrolled to
    const left = scrollToNow(tl, NOW, 800);
    const nowX = xOf(tl, NOW) - left;
    expect(nowX).toBeGreaterThan(0);
    expect(nowX).toBeLessThan(800 / 4); // now near the left edge, the day ahead in view
  });

  it("draws at least one visible width from just before now with nothing scheduled", () => {
    const tl = timeline("day", NOW, [], 600);
    expect(tl.start).toBeLessThan(NOW);
    expect(tl.end - NOW).toBeGreaterThan(20 * HOUR);
    expect(tl.width).toBeGreaterThanOrEqual(600);
  });

  it("does not draw months of lane for an operation far away", () => {
    const tl = timeline("hours", NOW, [{ start: at(8, 10), end: at(8, 10) + 400 * 24 * HOUR }], 300);
    expect(tl.end - tl.start).toBeLessThanOrEqual(63 * 24 * HOUR);
  });
});

describe("the axis", () => {
  it("rounds down to a step on the local clock", () => {
    expect(floorToStep(NOW, 0.5)).toBe(at(8, 9, 30));
    expect(floorToStep(NOW, 1)).toBe(at(8, 9));
    expect(floorToStep(NOW, 3)).toBe(at(8, 9));
    expect(floorToStep(at(8, 11, 5), 3)).toBe(at(8, 9));
    expect(floorToStep(NOW, 24)).toBe(at(8, 0));
  });

  it("takes longer steps where the ticks would crowd a phone's lane", () => {
    expect(tickStep(timeline("shift", NOW, [], 800))).toBe(1);
    expect(tickStep(timeline("shift", NOW, [], 250))).toBe(2);
    expect(tickStep(timeline("hours", NOW, [], 240))).toBe(1);
    expect(tickStep(timeline("hours", NOW, [], 800))).toBe(0.5);
    expect(tickStep(timeline("week", NOW, [], 250))).toBe(168);
    expect(tickStep(timeline("week", NOW, [], 700))).toBe(24);
    for (const zoom of ZOOMS) {
      const axis = ticks(timeline(zoom, NOW, [], 250), "en-GB");
      const gaps = axis.slice(1).map((tick, i) => tick.x - axis[i]!.x);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(56);
    }
  });

  it("has clock times one step apart and names each day where it begins", () => {
    const tl = timeline("shift", at(7, 21), [], 800);
    const axis = ticks(tl, "en-GB");
    expect(axis.length).toBeGreaterThanOrEqual(8);
    expect(axis.slice(0, 4).map((tick) => tick.label)).toEqual(["20:00", "21:00", "22:00", "23:00"]);
    expect(axis[0]!.day).toMatch(/Mon.*7 Dec/);
    const midnight = axis.find((tick) => tick.label === "00:00")!;
    expect(midnight.day).toMatch(/Tue.*8 Dec/);
    expect(axis.filter((tick) => tick.day !== null)).toHaveLength(2);
    expect(axis[1]!.x - axis[0]!.x).toBeCloseTo(100, 5); // 8 hours across 800 px
  });

  it("steps by calendar days at the week zoom, in the reader's language", () => {
    const tl = timeline("week", NOW, [], 700);
    const axis = ticks(tl, "zh-CN");
    expect(axis.length).toBeGreaterThanOrEqual(7);
    expect(axis.slice(0, 2).map((tick) => tick.label)).toEqual([expect.stringMatching(/12月7日/), expect.stringMatching(/12月8日/)]);
    expect(new Date(axis[2]!.at).getHours()).toBe(0);
  });
});

describe("bars and their labels", () => {
  const tl = timeline("shift", NOW, [], 800); // 100 px an hour
  const op = (label: string, start: number, end: number) => ({ label, start, end });

  it("keeps the full work order code inside a bar wide enough for it", () => {
    const [bar] = layoutLane(tl, [op("WO-2026-00005", at(8, 10), at(8, 13))]);
    expect(bar).toMatchObject({ place: "inside", label: "WO-2026-00005" });
    expect(bar!.width).toBeCloseTo(300, 5);
  });

  it("puts the label beside a short bar when the gap holds it, else its short form, never a cut code", () => {
    const lane = layoutLane(tl, [
      op("WO-2026-00007", at(8, 12), at(8, 12, 30)), // next bar 3 h later: room beside it
      op("WO-2026-00006", at(8, 15), at(8, 15, 45)), // next bar right after: no room
      op("WO-2026-00008", at(8, 15, 45), at(8, 16)), // 25 px, next right after: no label
      op("WO-2026-00009", at(8, 16), at(8, 20)),
    ]);
    expect(lane.map((bar) => [bar.place, bar.label])).toEqual([
      ["outside", "WO-2026-00007"], ["short", "00006"], ["none", ""], ["inside", "WO-2026-00009"]]);
  });

  it("makes every bar a touch target, however short the operation", () => {
    const [bar] = layoutLane(tl, [op("WO-2026-00001", at(8, 10), at(8, 10, 2))]);
    expect(bar!.width).toBe(MIN_BAR_PX);
  });

  it("shortens a code to its last part", () => {
    expect(shortCode("WO-2026-00012")).toBe("00012");
    expect(shortCode("PLAIN")).toBe("PLAIN");
  });
});

describe("zooming by buttons' order and by pinch", () => {
  it("steps between the zooms and stays at the ends", () => {
    expect(zoomBy("shift", "in")).toBe("hours");
    expect(zoomBy("hours", "in")).toBe("hours");
    expect(zoomBy("day", "out")).toBe("week");
    expect(zoomBy("week", "out")).toBe("week");
  });

  it("zooms in on a spread, out on a pinch, not on a wobble", () => {
    expect(pinchZoom("day", 100, 160)).toBe("shift");
    expect(pinchZoom("day", 100, 60)).toBe("week");
    expect(pinchZoom("day", 100, 110)).toBeNull();
    expect(pinchZoom("day", 0, 110)).toBeNull();
  });
});
