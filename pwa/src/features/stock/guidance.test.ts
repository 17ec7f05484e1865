import { describe, expect, it } from "vitest";
import type { PickList } from "./api";
import {
  arrive, currentLine, guideLines, isDone, nextSuggestion, scanLocation, scanLot, shortLines, shortPick, stageOf,
  suggestionKey, type LotFacts, type Step,
} from "./guidance";

const LIST: PickList = {
  to_location_code: "L1-WIP",
  lines: [
    { item_code: "RM-SCREW", required: "40", line_side: "0", to_pick: "40",
      suggested: [{ lot_code: "LOT-S1", location_code: "RM-B-02-01", quantity: "40" }] },
    { item_code: "RM-HOUS", required: "20", line_side: "5", to_pick: "15",
      suggested: [
        { lot_code: "LOT-H1", location_code: "RM-A-01-01", quantity: "10" },
        { lot_code: "LOT-H2", location_code: "RM-A-02-01", quantity: "100" },
      ] },
    { item_code: "RM-GREASE", required: "1.5", line_side: "0", to_pick: "1.5", suggested: [] },
    { item_code: "RM-DONE", required: "3", line_side: "3", to_pick: "0", suggested: [] },
  ],
};

const at = (location: string | null, item: string | null = null): Step => ({ item, location, lot: null });
const facts = (over: Partial<LotFacts>): LotFacts => ({
  code: "LOT-X", item_code: "RM-HOUS", quality_status: "released",
  stock: [{ location_code: "RM-A-09-09", quantity: "7" }], ...over,
});

describe("the order lines are walked in", () => {
  it("goes rack by rack, then lines with nothing to suggest, then done lines", () => {
    const lines = guideLines(LIST, []);
    expect(lines.map((l) => l.item_code)).toEqual(["RM-HOUS", "RM-SCREW", "RM-GREASE", "RM-DONE"]);
    expect(currentLine(lines, null)?.item_code).toBe("RM-HOUS");
    expect(nextSuggestion(lines[0]!)).toEqual({ lot_code: "LOT-H1", location_code: "RM-A-01-01", quantity: 10 });
  });

  it("counts issues still in the outbox: less to pick, and a suggestion they used up is skipped", () => {
    const lines = guideLines(LIST, [
      { item_code: "RM-HOUS", lot_code: "LOT-H1", from_location_code: "RM-A-01-01", quantity: 10 },
    ]);
    const hous = lines.find((l) => l.item_code === "RM-HOUS")!;
    expect(hous.remaining).toBe(5);
    expect(nextSuggestion(hous)?.lot_code).toBe("LOT-H2");
    // Now walked from RM-A-02-01, still before the screws in rack B.
    expect(lines[0]!.item_code).toBe("RM-HOUS");
  });

  it("keeps decimal quantities exact", () => {
    const lines = guideLines(LIST, [
      { item_code: "RM-GREASE", lot_code: "G", from_location_code: "X", quantity: 0.1 },
      { item_code: "RM-GREASE", lot_code: "G", from_location_code: "X", quantity: 0.2 },
    ]);
    expect(lines.find((l) => l.item_code === "RM-GREASE")!.remaining).toBe(1.2);
  });

  it("follows the line the picker chose while it is open, and is done when every line is", () => {
    const lines = guideLines(LIST, []);
    expect(currentLine(lines, "RM-SCREW")?.item_code).toBe("RM-SCREW");
    expect(currentLine(lines, "RM-DONE")?.item_code).toBe("RM-HOUS");
    expect(isDone(lines)).toBe(false);
    const picked = guideLines({ ...LIST, lines: LIST.lines.map((l) => ({ ...l, to_pick: "0" })) }, []);
    expect(currentLine(picked, null)).toBeNull();
    expect(isDone(picked)).toBe(true);
  });
});

describe("moving on by itself", () => {
  // The demo's pump order: four lines at RM-A-02-01 in a row, one of them kept by lot.
  const PUMP: PickList = {
    to_location_code: "L1-WIP",
    lines: [
      { item_code: "SF-HOUS", required: "30", line_side: "0", to_pick: "30", short: "10",
        suggested: [{ lot_code: null, location_code: "RM-B-01-01", quantity: "20" }] },
      { item_code: "RM-BEARING", required: "60", line_side: "0", to_pick: "60",
        suggested: [{ lot_code: null, location_code: "RM-A-02-01", quantity: "60" }] },
      { item_code: "RM-GREASE", required: "0.45", line_side: "0", to_pick: "0.45",
        suggested: [{ lot_code: "LOT-G", location_code: "RM-A-02-01", quantity: "0.45" }] },
      { item_code: "RM-MOTOR", required: "30", line_side: "0", to_pick: "30", short: "30", suggested: [] },
      { item_code: "RM-SCREW", required: "120", line_side: "0", to_pick: "120",
        suggested: [{ lot_code: null, location_code: "RM-A-02-01", quantity: "120" }] },
    ],
  };
  const lotless = new Set(["SF-HOUS", "RM-BEARING", "RM-SCREW"]);

  it("walks the lines at one location one after another", () => {
    expect(guideLines(PUMP, [], lotless).map((l) => l.item_code)).toEqual(
      ["RM-BEARING", "RM-GREASE", "RM-SCREW", "SF-HOUS", "RM-MOTOR"]);
  });

  it("counts the location just scanned for the next line there: its lot, or its quantity", () => {
    const lines = guideLines(PUMP, [], lotless);
    const grease = lines.find((l) => l.item_code === "RM-GREASE")!;
    const screws = lines.find((l) => l.item_code === "RM-SCREW")!;
    const atGrease = arrive(grease, "RM-A-02-01");
    expect(atGrease).toEqual({ step: { item: "RM-GREASE", location: "RM-A-02-01", lot: null }, quantity: null });
    expect(stageOf(grease, atGrease.step)).toBe("lot");
    const atScrews = arrive(screws, "RM-A-02-01");
    expect(atScrews.quantity).toBe(120);
    expect(stageOf(screws, atScrews.step)).toBe("quantity");
    // Somewhere else, or nowhere yet: the location first.
    const housings = lines.find((l) => l.item_code === "SF-HOUS")!;
    expect(stageOf(housings, arrive(housings, "RM-A-02-01").step)).toBe("location");
    expect(stageOf(grease, arrive(grease, null).step)).toBe("location");
  });

  it("passes a line by once what was suggested is picked and it is still short", () => {
    const lines = guideLines(PUMP, [
      { item_code: "SF-HOUS", lot_code: null, from_location_code: "RM-B-01-01", quantity: 20 },
    ], lotless);
    const housings = lines.find((l) => l.item_code === "SF-HOUS")!;
    expect(housings.remaining).toBe(10);
    expect(housings.open).toEqual([]);
    // Even while it is the line worked on, the next line with something to pick comes up.
    expect(currentLine(lines, null, "SF-HOUS")?.item_code).toBe("RM-BEARING");
    // A line tapped is shown as long as it is open.
    expect(currentLine(lines, "RM-MOTOR", "SF-HOUS")?.item_code).toBe("RM-MOTOR");
  });

  it("does not offer again a place where the picker found less than suggested", () => {
    const lines = guideLines(PUMP, [], lotless);
    const bearings = lines.find((l) => l.item_code === "RM-BEARING")!;
    expect(shortPick(bearings, null, "RM-A-02-01", 60)).toBeNull();
    const key = shortPick(bearings, null, "RM-A-02-01", 40);
    expect(key).toBe(suggestionKey("RM-BEARING", null, "RM-A-02-01"));
    const after = guideLines(PUMP, [
      { item_code: "RM-BEARING", lot_code: null, from_location_code: "RM-A-02-01", quantity: 40 },
    ], lotless, new Set([key!]));
    expect(after.find((l) => l.item_code === "RM-BEARING")).toMatchObject({ remaining: 20, open: [] });
    expect(currentLine(after, null, "RM-BEARING")?.item_code).toBe("RM-GREASE");
  });

  it("ends when all that is in stock is picked, naming the lines still short", () => {
    const picked = guideLines(PUMP, [
      { item_code: "SF-HOUS", lot_code: null, from_location_code: "RM-B-01-01", quantity: 20 },
      { item_code: "RM-BEARING", lot_code: null, from_location_code: "RM-A-02-01", quantity: 60 },
      { item_code: "RM-GREASE", lot_code: "LOT-G", from_location_code: "RM-A-02-01", quantity: 0.45 },
      { item_code: "RM-SCREW", lot_code: null, from_location_code: "RM-A-02-01", quantity: 120 },
    ], lotless);
    expect(currentLine(picked, null, "RM-SCREW")).toBeNull();
    expect(isDone(picked)).toBe(false);
    expect(shortLines(picked).map((l) => [l.item_code, l.remaining])).toEqual([["SF-HOUS", 10], ["RM-MOTOR", 30]]);
  });
});

describe("a scanned location", () => {
  it("is taken; one the list did not suggest gets a note", () => {
    const hous = guideLines(LIST, [])[0]!;
    expect(scanLocation(hous, "RM-A-01-01")).toEqual({ step: at("RM-A-01-01", "RM-HOUS"), note: null, quantity: null });
    expect(scanLocation(hous, "RM-A-09-09").note).toEqual({ key: "notSuggestedLocation", params: { location: "RM-A-09-09" } });
  });
});

describe("an item kept without lots", () => {
  const BEARINGS: PickList = {
    to_location_code: "L1-WIP",
    lines: [{ item_code: "RM-BEARING", required: "6", line_side: "0", to_pick: "6",
      suggested: [{ lot_code: null, location_code: "RM-A-02-01", quantity: "400" }] }],
  };

  it("is picked by location and quantity: the location scan leads straight to the quantity", () => {
    const line = guideLines(BEARINGS, [])[0]!;
    expect(line.byLot).toBe(false);
    const outcome = scanLocation(line, "RM-A-02-01");
    expect(outcome.quantity).toBe(6);
    expect(stageOf(line, outcome.step)).toBe("quantity");
  });

  it("still moves by lot when its stock has lots (a made item's lots from its work orders)", () => {
    const shafts: PickList = { to_location_code: "L1-WIP", lines: [{ item_code: "SF-SHAFT", required: "2", line_side: "0",
      to_pick: "2", suggested: [{ lot_code: "LOT-13", location_code: "FG-01-01", quantity: "30" }] }] };
    expect(guideLines(shafts, [], new Set(["SF-SHAFT"]))[0]!.byLot).toBe(true);
  });

  it("is known from the item list even with nothing in stock to suggest", () => {
    const empty = { ...BEARINGS, lines: [{ ...BEARINGS.lines[0]!, suggested: [] }] };
    expect(guideLines(empty, [])[0]!.byLot).toBe(true);
    expect(guideLines(empty, [], new Set(["RM-BEARING"]))[0]!.byLot).toBe(false);
  });

  it("while a lot-kept item waits for its lot after the location", () => {
    const hous = guideLines(LIST, [])[0]!;
    expect(stageOf(hous, at(null))).toBe("location");
    expect(stageOf(hous, at("RM-A-01-01", "RM-HOUS"))).toBe("lot");
    expect(stageOf(hous, at("RM-A-01-01", "RM-SCREW"))).toBe("location"); // a step of another line
    expect(stageOf(hous, { item: "RM-HOUS", location: "RM-A-01-01", lot: "LOT-H1" })).toBe("quantity");
  });
});

describe("a scanned lot", () => {
  const lines = guideLines(LIST, []);

  it("before any location is taken from where the list suggests it, when that is one place", () => {
    expect(scanLot(lines, at(null), "LOT-H1")).toEqual({
      kind: "take", step: { item: "RM-HOUS", location: "RM-A-01-01", lot: "LOT-H1" }, quantity: 10, note: null });
  });

  it("before any location needs the location when the list names several places or none", () => {
    const twice: PickList = { ...LIST, lines: [{ ...LIST.lines[0]!, suggested: [
      { lot_code: "LOT-S1", location_code: "RM-B-02-01", quantity: "20" },
      { lot_code: "LOT-S1", location_code: "RM-B-03-01", quantity: "20" }] }] };
    expect(scanLot(guideLines(twice, []), at(null), "LOT-S1")).toEqual({ kind: "refuse",
      note: { key: "lotAtSeveral", params: { lot: "LOT-S1", locations: "RM-B-02-01, RM-B-03-01" } } });
    expect(scanLot(lines, at(null), "LOT-X")).toEqual({ kind: "refuse", note: { key: "scanLocationFirst", params: { lot: "LOT-X" } } });
  });

  it("that was suggested there is taken with the suggestion's quantity, capped by what is left to pick", () => {
    expect(scanLot(lines, at("RM-A-01-01", "RM-HOUS"), "LOT-H1")).toEqual({
      kind: "take", step: { item: "RM-HOUS", location: "RM-A-01-01", lot: "LOT-H1" }, quantity: 10, note: null });
    expect(scanLot(lines, at("RM-A-02-01", "RM-HOUS"), "LOT-H2")).toMatchObject({ kind: "take", quantity: 15 });
  });

  it("of another line moves the picker to that line", () => {
    expect(scanLot(lines, at("RM-B-02-01", "RM-HOUS"), "LOT-S1")).toMatchObject({
      kind: "take", step: { item: "RM-SCREW", lot: "LOT-S1" }, quantity: 40 });
  });

  it("suggested at another location is taken with a note to check", () => {
    expect(scanLot(lines, at("RM-A-09-09", "RM-HOUS"), "LOT-H1")).toMatchObject({
      kind: "take", quantity: 15, note: { key: "suggestedElsewhere", params: { lot: "LOT-H1", location: "RM-A-01-01" } } });
  });

  it("not suggested needs the lot's facts", () => {
    expect(scanLot(lines, at("RM-A-09-09", "RM-HOUS"), "LOT-X")).toEqual({ kind: "lookup" });
  });

  it("not suggested is taken when it is a released lot of an item on the list, with a note", () => {
    expect(scanLot(lines, at("RM-A-09-09", "RM-HOUS"), "LOT-X", facts({}))).toEqual({
      kind: "take", step: { item: "RM-HOUS", location: "RM-A-09-09", lot: "LOT-X" }, quantity: 7,
      note: { key: "notSuggestedLot", params: { lot: "LOT-X" } } });
  });

  it("not suggested is refused when it is pending or blocked", () => {
    expect(scanLot(lines, at("RM-A-09-09"), "LOT-X", facts({ quality_status: "pending" })))
      .toEqual({ kind: "refuse", note: { key: "lot_pending", params: { lot: "LOT-X" } } });
    expect(scanLot(lines, at("RM-A-09-09"), "LOT-X", facts({ quality_status: "blocked" })))
      .toMatchObject({ kind: "refuse", note: { key: "lot_blocked" } });
  });

  it("not suggested is refused when it is of an item not needed, or already picked", () => {
    expect(scanLot(lines, at("RM-A-09-09"), "LOT-X", facts({ item_code: "RM-OTHER" })))
      .toMatchObject({ kind: "refuse", note: { key: "lotNotOnList" } });
    expect(scanLot(lines, at("RM-A-09-09"), "LOT-X", facts({ item_code: "RM-DONE" })))
      .toMatchObject({ kind: "refuse", note: { key: "itemAllPicked" } });
  });

  it("not suggested is refused when it has nothing at the scanned location", () => {
    expect(scanLot(lines, at("RM-A-01-01"), "LOT-X", facts({})))
      .toMatchObject({ kind: "refuse", note: { key: "lotNotHere", params: { lot: "LOT-X", location: "RM-A-01-01" } } });
  });

  it("not suggested cannot be judged offline without a saved copy", () => {
    expect(scanLot(lines, at("RM-A-09-09"), "LOT-X", null)).toMatchObject({ kind: "refuse", note: { key: "lotUnknownOffline" } });
  });

  it("is refused once everything is picked", () => {
    const picked = guideLines({ ...LIST, lines: LIST.lines.map((l) => ({ ...l, to_pick: 0 })) }, []);
    expect(scanLot(picked, at("RM-A-01-01"), "LOT-H1")).toEqual({ kind: "refuse", note: { key: "allPicked" } });
  });
});
