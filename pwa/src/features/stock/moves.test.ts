import { describe, expect, it } from "vitest";
import {
  addShipLine, addShipSerial, checkTarget, chooseSource, CUSTOMER_RETURNS_PATH, doneFacts, lotMoves, mayShipLot, maxQuantity, MISC_PATH, moveProblems, moveRequest,
  MOVES_PATH, reasonKinds, scrapSuggestion, shipmentBody, shipProblems, sourcesFor, startForm,
  SUPPLIER_RETURNS_PATH,
  type LotFacts, type Place, type ShipLine,
} from "./moves";

const PLACES: Place[] = [
  { code: "RM-A-01-01", kind: "storage", warehouse: "RM" },
  { code: "RM-A-01-02", kind: "storage", warehouse: "RM" },
  { code: "FG-01-01", kind: "storage", warehouse: "FG" },
  { code: "WIP-L1", kind: "line_side", warehouse: "WIP", line: "L1" },
  { code: "WIP-L2", kind: "line_side", warehouse: "WIP", line: "L2" },
  { code: "SCRAP-OLD", kind: "scrap", active: false },
  { code: "SCRAP-01", kind: "scrap", warehouse: "SCRAP" },
  { code: "QA-HOLD", kind: "quarantine" },
];

const raw = (over: Partial<LotFacts> = {}): LotFacts => ({
  code: "LOT-1", item_code: "RM-PCB", origin: "receipt", quality_status: "released",
  stock: [{ location_code: "RM-A-01-02", quantity: "175" }, { location_code: "WIP-L1", quantity: "25" }],
  ...over,
});
const made = (over: Partial<LotFacts> = {}): LotFacts => ({
  code: "LOT-9", item_code: "FG-PUMP", origin: "production", quality_status: "released", work_order_code: "WO-7",
  stock: [{ location_code: "WIP-L2", quantity: "12" }], ...over,
});

const OPERATOR = new Set(["operator"]);
const SUPERVISOR = new Set(["supervisor"]);
const INSPECTOR = new Set(["inspector"]);

describe("the moves a lot's page offers", () => {
  it("follow the server's guards: operators and supervisors move, supervisors alone post miscellaneous", () => {
    expect(lotMoves(raw(), PLACES, OPERATOR)).toEqual(["return", "transfer", "scrap"]);
    expect(lotMoves(raw(), PLACES, SUPERVISOR)).toEqual(["return", "transfer", "scrap", "misc_out", "misc_in"]);
    expect(lotMoves(raw(), PLACES, INSPECTOR)).toEqual([]);
    expect(lotMoves(raw(), PLACES, new Set(["planner", "admin"]))).toEqual([]);
  });

  it("offer a return only with stock at the line side, finished goods only for a production lot there", () => {
    const inStore = raw({ stock: [{ location_code: "RM-A-01-02", quantity: "5" }] });
    expect(lotMoves(inStore, PLACES, OPERATOR)).toEqual(["transfer", "scrap"]);
    expect(lotMoves(made(), PLACES, OPERATOR)).toEqual(["return", "finished_goods", "transfer", "scrap", "customer_return"]);
    const putAway = made({ stock: [{ location_code: "FG-01-01", quantity: "12" }] });
    expect(lotMoves(putAway, PLACES, OPERATOR)).toEqual(["transfer", "scrap", "customer_return"]);
  });

  it("offer a return to the supplier of a supplier's lot held in a store, a customer return of what was made here", () => {
    const supplied = raw({ supplier_code: "SUP-E", quality_status: "blocked" });
    expect(lotMoves(supplied, PLACES, OPERATOR)).toEqual(["return", "transfer", "scrap", "supplier_return"]);
    expect(sourcesFor("supplier_return", supplied, PLACES)).toEqual([{ location_code: "RM-A-01-02", quantity: 175 }]);
    const onlyAtLine = raw({ supplier_code: "SUP-E", stock: [{ location_code: "WIP-L1", quantity: "2" }] });
    expect(lotMoves(onlyAtLine, PLACES, OPERATOR)).not.toContain("supplier_return");
    expect(lotMoves(made({ stock: [] }), PLACES, OPERATOR)).toEqual(["customer_return"]);
    expect(lotMoves(made({ stock: [] }), PLACES, INSPECTOR)).toEqual([]);
  });

  it("offer nothing to move from a lot with no stock (a negative line-side balance is none), but a miscellaneous receipt", () => {
    const gone = raw({ stock: [{ location_code: "WIP-L1", quantity: "-3" }] });
    expect(lotMoves(gone, PLACES, OPERATOR)).toEqual([]);
    expect(lotMoves(gone, PLACES, SUPERVISOR)).toEqual(["misc_in"]);
  });

  it("offer a shipment of released lots held in a store", () => {
    const fg = made({ stock: [{ location_code: "FG-01-01", quantity: "12" }] });
    expect(mayShipLot(fg, PLACES, OPERATOR)).toBe(true);
    expect(mayShipLot(fg, PLACES, INSPECTOR)).toBe(false);
    expect(mayShipLot({ ...fg, quality_status: "blocked" }, PLACES, OPERATOR)).toBe(false);
    expect(mayShipLot(made(), PLACES, OPERATOR)).toBe(false); // still at the line
  });
});

describe("a move's form", () => {
  it("prefills the only from-location and all that is there", () => {
    const form = startForm("return", raw(), PLACES);
    expect(form).toMatchObject({ kind: "return", lot: "LOT-1", item: "RM-PCB", from: "WIP-L1", to: null, quantity: 25 });
    expect(maxQuantity(form, raw(), PLACES)).toBe(25);
  });

  it("asks where from when several locations hold the lot, then offers all of the chosen one", () => {
    const form = startForm("transfer", raw(), PLACES);
    expect(form.from).toBeNull();
    expect(form.quantity).toBe(0);
    expect(moveProblems(form)).toEqual(["from", "to", "quantity"]);
    const chosen = chooseSource(form, sourcesFor("transfer", raw(), PLACES)[0]!);
    expect(chosen).toMatchObject({ from: "RM-A-01-02", quantity: 175 });
    expect(moveProblems(chosen)).toEqual(["to"]);
  });

  it("suggests the first active scrap location for scrap, which may also be written off", () => {
    expect(scrapSuggestion(PLACES)).toBe("SCRAP-01");
    const form = startForm("scrap", raw({ stock: [{ location_code: "RM-A-01-02", quantity: "3.5" }] }), PLACES);
    expect(form).toMatchObject({ to: "SCRAP-01", quantity: 3.5 });
    expect(moveProblems({ ...form, to: null })).toEqual([]);
  });

  it("needs a reason code for a miscellaneous movement, and a place for a receipt", () => {
    const out = startForm("misc_out", raw({ stock: [{ location_code: "RM-A-01-02", quantity: "4" }] }), PLACES);
    expect(moveProblems(out)).toEqual(["reason"]);
    const into = startForm("misc_in", raw(), PLACES);
    expect(into).toMatchObject({ from: null, quantity: 0 });
    expect(moveProblems(into)).toEqual(["to", "quantity", "reason"]);
    expect(reasonKinds("misc_in")).toEqual({ kinds: ["scrap", "hold", "return"], required: true });
    expect(reasonKinds("transfer").kinds).toEqual([]);
  });
});

describe("a scanned destination", () => {
  it("is taken when the kind may go there", () => {
    expect(checkTarget("return", "WIP-L1", "RM-A-01-01", PLACES)).toBeNull();
    expect(checkTarget("transfer", "RM-A-01-02", "QA-HOLD", PLACES)).toBeNull();
    expect(checkTarget("scrap", "RM-A-01-02", "SCRAP-01", PLACES)).toBeNull();
  });

  it("is refused with a reason the person understands", () => {
    expect(checkTarget("return", "WIP-L1", "WIP-L2", PLACES)).toEqual({ key: "notToLine", params: { location: "WIP-L2" } });
    expect(checkTarget("finished_goods", "WIP-L2", "WIP-L2", PLACES)?.key).toBe("alreadyThere");
    expect(checkTarget("scrap", "RM-A-01-02", "QA-HOLD", PLACES)?.key).toBe("notScrap");
    expect(checkTarget("scrap", "RM-A-01-02", "SCRAP-OLD", PLACES)?.key).toBe("inactiveLocation");
    expect(checkTarget("transfer", "RM-A-01-02", "NOWHERE", PLACES)?.key).toBe("unknownLocation");
    expect(checkTarget("misc_out", "RM-A-01-02", "RM-A-01-01", PLACES)?.key).toBe("noDestination");
  });

  it("is left to the server when this device knows no locations (offline, nothing saved)", () => {
    expect(checkTarget("return", "WIP-L1", "RM-A-01-01", [])).toBeNull();
    expect(checkTarget("return", "WIP-L1", "WIP-L1", [])?.key).toBe("alreadyThere");
  });
});

describe("the request a move becomes", () => {
  it("a defective return carries defective and its reason", () => {
    const form = { ...startForm("return", raw(), PLACES), to: "RM-A-01-01", defective: true, reason: "RET-DEFECT", quantity: 5 };
    expect(moveRequest(form, raw())).toEqual({
      path: MOVES_PATH,
      body: {
        kind: "return", item_code: "RM-PCB", lot_code: "LOT-1", from_location_code: "WIP-L1",
        to_location_code: "RM-A-01-01", quantity: 5, defective: true, reason_code: "RET-DEFECT",
      },
    });
    expect(moveRequest({ ...form, defective: false, reason: "" }, raw()).body).not.toHaveProperty("defective");
  });

  it("a finished-goods receipt belongs to the lot's work order", () => {
    const form = { ...startForm("finished_goods", made(), PLACES), to: "FG-01-01" };
    expect(moveRequest(form, made()).body).toEqual({
      kind: "finished_goods", item_code: "FG-PUMP", lot_code: "LOT-9", from_location_code: "WIP-L2",
      to_location_code: "FG-01-01", quantity: 12, work_order_code: "WO-7",
    });
  });

  it("a written-off scrap has no destination; a note is trimmed", () => {
    const form = { ...startForm("scrap", raw(), PLACES), from: "RM-A-01-02", quantity: 2, to: null, note: "  dropped  " };
    expect(moveRequest(form, raw()).body).toEqual({
      kind: "scrap", item_code: "RM-PCB", lot_code: "LOT-1", from_location_code: "RM-A-01-02", quantity: 2, note: "dropped",
    });
  });

  it("miscellaneous movements go to the misc endpoint, by direction", () => {
    const out = { ...startForm("misc_out", raw(), PLACES), from: "RM-A-01-02", quantity: 1, reason: "SCR-DIM" };
    expect(moveRequest(out, raw())).toEqual({
      path: MISC_PATH,
      body: { direction: "out", item_code: "RM-PCB", lot_code: "LOT-1", location_code: "RM-A-01-02", quantity: 1, reason_code: "SCR-DIM" },
    });
    const into = { ...startForm("misc_in", raw(), PLACES), to: "RM-A-01-01", quantity: 3, reason: "RET-LEFTOVER" };
    expect(moveRequest(into, raw()).body).toMatchObject({ direction: "in", location_code: "RM-A-01-01", quantity: 3 });
  });
});

describe("returns to and from outside", () => {
  it("a return to the supplier leaves its store and names no destination", () => {
    const lot = raw({ supplier_code: "SUP-E" });
    const form = { ...startForm("supplier_return", lot, PLACES), reason: "HOLD-QA" };
    expect(form).toMatchObject({ from: "RM-A-01-02", quantity: 175, to: null });
    expect(moveProblems(form)).toEqual([]);
    expect(checkTarget("supplier_return", form.from, "RM-A-01-01", PLACES)?.key).toBe("noDestination");
    expect(moveRequest(form, lot)).toEqual({
      path: SUPPLIER_RETURNS_PATH,
      body: { item_code: "RM-PCB", lot_code: "LOT-1", from_location_code: "RM-A-01-02", quantity: 175, reason_code: "HOLD-QA" },
    });
  });

  it("a customer return arrives at a scanned store, in the quantity counted", () => {
    const form = startForm("customer_return", made(), PLACES);
    expect(form).toMatchObject({ from: null, to: null, quantity: 0 });
    expect(moveProblems(form)).toEqual(["to", "quantity"]);
    expect(checkTarget("customer_return", null, "WIP-L1", PLACES)?.key).toBe("notToLine");
    const filled = { ...form, to: "QA-HOLD", quantity: 2 };
    expect(moveRequest(filled, made())).toEqual({
      path: CUSTOMER_RETURNS_PATH,
      body: { item_code: "FG-PUMP", lot_code: "LOT-9", location_code: "QA-HOLD", quantity: 2 },
    });
  });

  it("each answer says what happened, and the new blocked lot when there is one", () => {
    expect(doneFacts("return", { quantity: "4", lot_code: "L1", to_lot_code: "L2", from_location_code: "WIP-L1",
      to_location_code: "RM-A-01-01" })).toEqual({ quantity: 4, from: "WIP-L1", to: "RM-A-01-01", newLot: "L2" });
    expect(doneFacts("transfer", { quantity: "3", lot_code: "L1", to_lot_code: "L1", from_location_code: "A",
      to_location_code: "B" }).newLot).toBeNull();
    expect(doneFacts("customer_return", { quantity: "2", lot_code: "L7", original_lot_code: "L1", location_code: "QA-HOLD" }))
      .toEqual({ quantity: 2, from: null, to: "QA-HOLD", newLot: "L7" });
    expect(doneFacts("supplier_return", { quantity: "5", lot_code: "L1", from_location_code: "RM-A-01-02" }))
      .toEqual({ quantity: 5, from: "RM-A-01-02", to: null, newLot: null });
  });
});

describe("a shipment", () => {
  const fg = made({ stock: [{ location_code: "FG-01-01", quantity: "12" }, { location_code: "WIP-L2", quantity: "3" }] });

  it("takes a scanned released lot from its only store, all of it", () => {
    const lines = addShipLine([], fg, PLACES) as ShipLine[];
    expect(lines).toEqual([{ lot: "LOT-9", item: "FG-PUMP", from: "FG-01-01", quantity: 12,
      sources: [{ location_code: "FG-01-01", quantity: 12 }] }]);
    expect(shipProblems("", lines)).toEqual(["reference"]);
    expect(shipProblems(" PO-1 ", lines)).toEqual([]);
    expect(shipmentBody(" PO-1 ", lines, "CUST-A")).toEqual({
      customer_order_ref: "PO-1", customer_code: "CUST-A",
      lines: [{ item_code: "FG-PUMP", lot_code: "LOT-9", from_location_code: "FG-01-01", quantity: 12 }],
    });
  });

  it("refuses a lot twice, one not released, and one not in a store", () => {
    const once = addShipLine([], fg, PLACES) as ShipLine[];
    expect(addShipLine(once, fg, PLACES)).toEqual({ key: "alreadyOnShipment", params: { lot: "LOT-9" } });
    expect(addShipLine([], { ...fg, quality_status: "pending" }, PLACES)).toMatchObject({ key: "shipNotReleased" });
    expect(addShipLine([], made(), PLACES)).toMatchObject({ key: "shipNothingInStore" });
  });

  it("counts a serial-tracked lot by its scanned serials, each once, and sends them", () => {
    const lines = addShipLine([], fg, PLACES) as ShipLine[];
    const unit = (code: string, status = "produced", lot: string | null = "LOT-9") => ({ code, status, lot_code: lot });
    const one = addShipSerial(lines, unit("SN-2026-000001")) as ShipLine[];
    expect(one[0]).toMatchObject({ quantity: 1, serials: ["SN-2026-000001"] });
    const two = addShipSerial(one, unit("SN-2026-000002")) as ShipLine[];
    expect(two[0]).toMatchObject({ quantity: 2, serials: ["SN-2026-000001", "SN-2026-000002"] });
    expect(shipmentBody("PO-1", two).lines).toEqual([{ item_code: "FG-PUMP", lot_code: "LOT-9",
      from_location_code: "FG-01-01", quantity: 2, serials: ["SN-2026-000001", "SN-2026-000002"] }]);
    expect(addShipSerial(two, unit("SN-2026-000002"))).toEqual({ key: "serialAlreadyOnShipment", params: { serial: "SN-2026-000002" } });
    expect(addShipSerial(two, unit("SN-2026-000003", "generated", null))).toMatchObject({ key: "serialNotShippable" });
    expect(addShipSerial(two, unit("SN-2026-000004", "shipped"))).toMatchObject({ key: "serialNotShippable" });
    expect(addShipSerial(two, unit("SN-2026-000005", "produced", "LOT-7"))).toMatchObject({ key: "serialLotMissing" });
  });

  it("asks where from when several stores hold the lot", () => {
    const two = { ...fg, stock: [{ location_code: "FG-01-01", quantity: "2" }, { location_code: "RM-A-01-01", quantity: "1" }] };
    const lines = addShipLine([], two, PLACES) as ShipLine[];
    expect(lines[0]).toMatchObject({ from: null, quantity: 0 });
    expect(shipProblems("PO-1", lines)).toEqual(["line"]);
    expect(shipProblems("PO-1", [])).toEqual(["lines"]);
  });
});
