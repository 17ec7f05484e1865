import { describe, expect, it } from "vitest";
import { parseScan } from "../../scan/parse";
import type { ItemRow } from "./api";
import { chooseItem, EMPTY_FORM, formProblems, prefillFromGs1, receiptBody, type ReceiptForm } from "./receiving";

const HOUSING: ItemRow = {
  code: "RM-HOUS-P100", name: "Pump housing", kind: "raw", unit: "PCS", gtin: "09506000131016",
  batch_managed: true, incoming_inspection: true,
};
const TODAY = new Date("2026-03-01T10:00:00Z");

function gs1(text: string) {
  const parsed = parseScan(text, TODAY);
  if (parsed.type !== "gs1") throw new Error(`not GS1: ${text}`);
  return parsed;
}

describe("a supplier label fills the receipt form", () => {
  it("with item, batch and expiry from the element string", () => {
    const label = gs1("(01)09506000131016(10)AC-2611-0999(17)270131");
    const form = prefillFromGs1({ ...EMPTY_FORM, quantity: 12, supplier: "SUP-ALUCAST" }, label, HOUSING);
    expect(form).toMatchObject({
      item: "RM-HOUS-P100", gtin: "09506000131016", supplierLot: "AC-2611-0999", expiresOn: "2027-01-31",
      fromLabel: { lot: true, expiry: true }, quantity: 12, supplier: "SUP-ALUCAST",
    });
    expect(form.gs1).toBe(label.text);
  });

  it("from a GS1 Digital Link URL", () => {
    const label = gs1("https://id.example.com/01/09506000131016/10/B-77?17=261231");
    expect(prefillFromGs1(EMPTY_FORM, label, HOUSING)).toMatchObject({
      item: "RM-HOUS-P100", supplierLot: "B-77", expiresOn: "2026-12-31" });
  });

  it("leaves what the label does not say open to typing", () => {
    const form = prefillFromGs1(EMPTY_FORM, gs1("(01)09506000131016"), HOUSING);
    expect(form).toMatchObject({ supplierLot: "", expiresOn: "", fromLabel: { lot: false, expiry: false } });
  });

  it("keeps the label when its GTIN names no item on this device (the server reads it)", () => {
    const form = prefillFromGs1(EMPTY_FORM, gs1("(01)09506000131016(10)X1"), null);
    expect(form.item).toBe("");
    expect(formProblems({ ...form, quantity: 1, location: "RM-DOCK" }, "2026-03-01")).toEqual([]);
  });
});

describe("the receipt sent", () => {
  const filled: ReceiptForm = {
    ...prefillFromGs1(EMPTY_FORM, gs1("(01)09506000131016(10)AC-1(17)270131"), HOUSING),
    quantity: 60, location: "RM-DOCK", supplier: "SUP-ALUCAST", poReference: " PO-1 ",
  };

  it("names the label and leaves its batch and expiry to the server", () => {
    expect(receiptBody(filled)).toEqual({
      gs1: "(01)09506000131016(10)AC-1(17)270131", item_code: "RM-HOUS-P100", quantity: 60,
      location_code: "RM-DOCK", supplier_code: "SUP-ALUCAST", po_reference: "PO-1",
    });
  });

  it("by item carries what was typed", () => {
    const byHand = { ...EMPTY_FORM, item: "RM-HOUS-P100", supplierLot: " AC-2 ", expiresOn: "2027-02-01", quantity: 5, location: "RM-A-01-01" };
    expect(receiptBody(byHand)).toEqual({
      item_code: "RM-HOUS-P100", quantity: 5, location_code: "RM-A-01-01", supplier_lot: "AC-2", expires_on: "2027-02-01" });
  });

  it("waits for the item, a quantity and the location, and refuses expired material", () => {
    expect(formProblems(EMPTY_FORM, "2026-03-01")).toEqual(["item", "quantity", "location"]);
    expect(formProblems({ ...filled, expiresOn: "2026-02-28" }, "2026-03-01")).toEqual(["expired"]);
    expect(formProblems(filled, "2026-03-01")).toEqual([]);
  });

  it("drops the label when another item is chosen by hand", () => {
    const other = chooseItem(filled, { code: "RM-PCB-F200", gtin: "09506000131030" });
    expect(other).toMatchObject({ item: "RM-PCB-F200", gs1: null, supplierLot: "", expiresOn: "" });
    expect(chooseItem(filled, HOUSING).gs1).toBe(filled.gs1);
  });
});
