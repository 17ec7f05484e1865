import { describe, expect, it } from "vitest";
import {
  MIN_BAR_PX, SPAN_HOURS, ZOOMS, barLabels, dayBands, stickyX, distinctShortCodes, floorToStep, labelInView, lateCounts, layoutLane,
  pinchZoom, scrollToNow, shortCode, stepOf, tickStep, ticks, timeline, xOf, zoomBy,
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
  const distinct = distinctShortCodes(["WO-2026-00005", "WO-2026-00006", "WO-2026-00007", "WO-2026-00008"]);
  const op = (wo: string, start: number, end: number) =>
    ({ labels: barLabels(wo, stepOf(`${wo}-20`, wo), distinct), start, end });
  // Estimated widths (10 px a character, 18 px of padding): "WO-2026-00005 · 20" needs 198 px,
  // "00005 · 20" 118 px, "00005" 68 px.

  it("says the order and the step inside a bar wide enough for them", () => {
    const [bar] = layoutLane(tl, [op("WO-2026-00005", at(8, 10), at(8, 13))]);
    expect(bar).toMatchObject({ place: "inside", label: "WO-2026-00005 · 20" });
    expect(bar!.width).toBeCloseTo(300, 5);
  });

  it("shortens to the order's last part and the step, then the order's last part, inside", () => {
    const lane = layoutLane(tl, [
      op("WO-2026-00005", at(8, 10), at(8, 11, 15)), // 125 px
      op("WO-2026-00006", at(8, 11, 15), at(8, 12)), // 75 px
    ]);
    expect(lane.map((bar) => [bar.place, bar.label])).toEqual([["short", "00005 · 20"], ["short", "00006"]]);
  });

  it("puts a label that fits in no form inside as a tag beside its bar, where the gap holds it", () => {
    const lane = layoutLane(tl, [
      op("WO-2026-00005", at(8, 10), at(8, 10, 30)), // 50 px, 2.5 h to the next bar
      op("WO-2026-00006", at(8, 13), at(8, 13, 30)), // 50 px, 1 h to the next: room for "00006"
      op("WO-2026-00007", at(8, 14, 30), at(8, 14, 45)), // 48 px, next right after: no label
      op("WO-2026-00008", at(8, 15, 0), at(8, 19)),
    ]);
    expect(lane.map((bar) => [bar.place, bar.label])).toEqual([
      ["outside", "WO-2026-00005 · 20"], ["outside", "00006"], ["none", ""], ["inside", "WO-2026-00008 · 20"]]);
  });

  it("measures with the screen's own widths where it can", () => {
    const narrow = (text: string) => text.length * 5;
    const [bar] = layoutLane(tl, [op("WO-2026-00005", at(8, 10), at(8, 11, 15))], narrow);
    expect(bar).toMatchObject({ place: "inside", label: "WO-2026-00005 · 20" }); // 90 + 18 <= 125
  });

  it("keeps the whole code where another order on the chart ends the same", () => {
    const both = distinctShortCodes(["WO-2025-00011", "WO-2026-00011", "WO-2026-00012"]);
    expect(barLabels("WO-2026-00011", "20", both)).toEqual(["WO-2026-00011 · 20"]);
    expect(barLabels("WO-2026-00012", "10", both)).toEqual(["WO-2026-00012 · 10", "00012 · 10", "00012"]);
  });

  it("makes every bar a touch target, however short the operation", () => {
    const [bar] = layoutLane(tl, [op("WO-2026-00001", at(8, 10), at(8, 10, 2))]);
    expect(bar!.width).toBe(MIN_BAR_PX);
  });

  it("shortens a code to its last part and finds the step in an operation's code", () => {
    expect(shortCode("WO-2026-00012")).toBe("00012");
    expect(shortCode("PLAIN")).toBe("PLAIN");
    expect(stepOf("WO-2026-00012-30", "WO-2026-00012")).toBe("30");
    expect(stepOf("OTHER-30", "WO-2026-00012")).toBe("OTHER-30");
  });

  it("counts late operations and their orders, as the work order list counts late orders", () => {
    expect(lateCounts([
      { work_order: "WO-1", late: true }, { work_order: "WO-1", late: true }, { work_order: "WO-2", late: true },
      { work_order: "WO-3", late: false },
    ])).toEqual({ operations: 3, orders: 2 });
    expect(lateCounts([])).toEqual({ operations: 0, orders: 0 });
  });
});

describe("the axis's days", () => {
  it("starts the first day's band at the lane's left edge, so its name is never cut", () => {
    const tl = timeline("hours", at(8, 9, 40), [{ start: at(8, 10), end: at(9, 2) }], 400);
    const [first, second] = dayBands(tl, "en-GB");
    expect(first).toMatchObject({ x: 0, label: expect.stringMatching(/Tue.*8 Dec/) });
    expect(second!.x).toBeCloseTo(xOf(tl, at(9, 0)), 5);
    expect(first!.width).toBeCloseTo(second!.x, 5);
    expect(second!.label).toMatch(/Wed.*9 Dec/);
  });

  it("covers the lane day by day and names a day only where its band holds the name", () => {
    const tl = timeline("shift", at(7, 23, 50), [], 800); // the lane starts at 23:00
    const bands = dayBands(tl, "en-GB");
    expect(bands[0]).toMatchObject({ x: 0, label: null }); // one hour of Monday: 100 px
    expect(bands[1]!.label).toMatch(/Tue.*8 Dec/);
    const last = bands[bands.length - 1]!;
    expect(tl.width - (last.x + last.width)).toBeLessThan(1); // the lane's width is rounded up
    bands.slice(1).forEach((band, i) => expect(band.x).toBeCloseTo(bands[i]!.x + bands[i]!.width, 5));
  });

  it("holds a day's name at the visible start while its day is in view, never cut by the edge", () => {
    const monday = { x: 0, width: 1000 };
    expect(stickyX(monday, 0, 100)).toBe(0); // the chart at its start
    expect(stickyX({ x: 300, width: 1000 }, 120, 100)).toBe(300); // ahead: at its own start
    expect(stickyX(monday, 640, 100)).toBe(640); // scrolled into the day: at the visible start
    expect(stickyX(monday, 900, 100)).toBe(900); // just fits before the day ends
    expect(stickyX(monday, 950, 100)).toBeNull(); // a sliver of the day: the next day's name shows
  });

  it("keeps a label on a bar running in from before the visible start, in the form that fits", () => {
    const labels = ["WO-2026-00008 · 10", "00008 · 10", "00008"]; // 198, 118, 68 px
    const bar = { x: 0, width: 400, label: labels[0]! };
    expect(labelInView(bar, labels, 0)).toEqual({ label: labels[0], shift: 0 });
    expect(labelInView({ ...bar, x: 50 }, labels, 20)).toEqual({ label: labels[0], shift: 0 }); // start in view
    expect(labelInView(bar, labels, 100)).toEqual({ label: labels[0], shift: 100 });
    expect(labelInView(bar, labels, 250)).toEqual({ label: "00008 · 10", shift: 250 });
    expect(labelInView(bar, labels, 300)).toEqual({ label: "00008", shift: 300 });
    expect(labelInView(bar, labels, 350)).toBeNull(); // 50 px in view: nothing cut
  });

  it("gives each tick the room to the next, where a week's day label stays in view", () => {
    const tl = timeline("week", NOW, [], 700);
    const axis = ticks(tl, "en-GB");
    expect(axis[0]!.width).toBeCloseTo(100, 5);
    expect(axis[axis.length - 1]!.x + axis[axis.length - 1]!.width).toBeCloseTo(tl.width, 5);
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
