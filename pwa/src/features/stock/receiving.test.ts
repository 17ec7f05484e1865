import { beforeEach, describe, expect, it, vi } from "vitest";
import { labelAmounts, parseScan } from "../../scan/parse";
import { isSupplier, type ItemRow, type UnitRow } from "./api";
import {
  chooseItem, EMPTY_FORM, form, formProblems, labelQuantity, perKilogram, pickItem, pickSupplier, prefillFromGs1, readLabel,
  receiptBody, receivable, sendReceipt, setLocation, startReceipt, supplierFor, type ReceiptForm,
} from "./receiving";

// The server, answering when a test says so: each call waits on its own promise.
const { server } = vi.hoisted(() => {
  type Waiting = { resolve: (value: unknown) => void; reject: (err: unknown) => void };
  const calls: Record<string, Waiting[]> = {};
  const wait = (name: string) => new Promise((resolve, reject) => { (calls[name] ??= []).push({ resolve, reject }); });
  return {
    server: {
      calls, wait,
      /** Answer the oldest (or the `at`-th) call to `name` still waiting. */
      answer(name: string, value: unknown, at = 0) {
        const [call] = (calls[name] ?? []).splice(at, 1);
        if (!call) throw new Error(`no call to ${name} waits`);
        call.resolve(value);
      },
      reset() { for (const key of Object.keys(calls)) delete calls[key]; },
    },
  };
});
vi.mock("./api", async (original) => ({
  ...(await original<typeof import("./api")>()),
  listItems: () => server.wait("items"),
  listSuppliers: () => server.wait("suppliers"),
  listUnits: () => server.wait("units"),
  itemByGtin: () => server.wait("gtin"),
  recentReceipts: (item: string) => server.wait(`receipts:${item}`),
}));
vi.mock("../../app/saved", () => ({
  fetchOrSaved: async (_key: string, fetcher: () => Promise<unknown>) => ({ value: await fetcher(), savedAt: null }),
}));
vi.mock("../../app/outbox", () => ({
  submit: async () => ({ id: crypto.randomUUID() }),
  settledAlready: () => null,
}));

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

describe("the quantity a supplier label carries", () => {
  const amounts = (text: string) => labelAmounts(gs1(text));

  it("is read from a count (AI 30, 37) and a net weight in kg (AI 310n) in every form", () => {
    expect(amounts("(01)09506000131016(30)24")).toEqual({ count: 24, netKg: null, unreadable: false });
    expect(amounts("]C10109506000131016310300125037150")).toEqual({ count: 150, netKg: 1.25, unreadable: false });
    expect(amounts("https://id.gs1.org/01/09506000131016/10/B-1?3102=002550")).toMatchObject({ netKg: 25.5 });
    expect(amounts("(01)09506000131016(3100)000007(3105)100000")).toMatchObject({ netKg: 7 }); // the first one counts
    expect(amounts("(01)09506000131016(10)B1")).toEqual({ count: null, netKg: null, unreadable: false });
    expect(amounts("(01)09506000131016(30)12A")).toMatchObject({ count: null, unreadable: true });
  });

  const UNITS: UnitRow[] = [
    { code: "KG", decimals: 3, conversions: [{ to_unit: "G", factor: "1000" }] },
    { code: "G", decimals: 0, conversions: [] },
    { code: "LB", decimals: 2, conversions: [{ to_unit: "KG", factor: "0.45359237" }] },
    { code: "PCS", decimals: 0, conversions: [] },
  ];
  const decimals = (unit: string) => UNITS.find((u) => u.code === unit)?.decimals ?? 0;
  const item = (unit: string, container: string | null = null) => ({ code: "RM-X", unit, container_quantity: container });
  const read = (text: string, it: ReturnType<typeof item> | null) => labelQuantity(amounts(text), it, UNITS, decimals);

  it("takes a net weight in the item's unit, converted by the units the app knows", () => {
    expect(read("(01)09506000131016(3103)001250", item("KG"))).toEqual({ quantity: 1.25, note: null });
    expect(read("(01)09506000131016(3103)001250", item("G"))).toEqual({ quantity: 1250, note: null });
    expect(read("(01)09506000131016(3103)001250", item("LB"))).toEqual({ quantity: 2.76, note: null });
    expect(perKilogram("kgm", [])).toBe(1);
  });

  it("says so when a weight cannot be converted, and takes a count for counted items", () => {
    expect(read("(01)09506000131016(3103)001250", item("PCS", "50"))).toEqual({
      quantity: 50, note: { key: "weightNotConvertible", params: { weight: 1.25, item: "RM-X", unit: "PCS" } } });
    expect(read("(01)09506000131016(3103)001250(30)40", item("PCS"))).toEqual({ quantity: 40, note: null });
    expect(read("(01)09506000131016(30)40", item("KG"))).toEqual({
      quantity: null, note: { key: "countNotMeasure", params: { count: 40, item: "RM-X", unit: "KG" } } });
  });

  it("falls back to the item's container quantity when the label carries none", () => {
    expect(read("(01)09506000131016(10)B1", item("PCS", "1000"))).toEqual({ quantity: 1000, note: null });
    expect(read("(01)09506000131016(10)B1", item("PCS"))).toEqual({ quantity: null, note: null });
    // The item unknown on this device: a count is still a count.
    expect(read("(01)09506000131016(30)12", null)).toEqual({ quantity: 12, note: null });
  });
});

describe("who and what is received", () => {
  const SUPPLIERS = [{ code: "SUP-A" }, { code: "SUP-B" }];

  it("the supplier is the item's last one still listed, else the only one there is", () => {
    expect(supplierFor([{ supplier_code: null }, { supplier_code: "SUP-B" }, { supplier_code: "SUP-A" }], SUPPLIERS)).toBe("SUP-B");
    expect(supplierFor([{ supplier_code: "CUST-GONE" }], SUPPLIERS)).toBeNull();
    expect(supplierFor([], [{ code: "SUP-ONLY" }])).toBe("SUP-ONLY");
    expect(supplierFor([], SUPPLIERS)).toBeNull();
  });

  it("the supplier list holds suppliers, and parties that are both, but no customers", () => {
    expect([{ kind: "supplier" }, { kind: "customer" }, { kind: "both" }].filter(isSupplier).map((p) => p.kind))
      .toEqual(["supplier", "both"]);
  });

  it("only bought items are received: raw material, or what no route makes", () => {
    expect(receivable({ kind: "raw", route: null })).toBe(true);
    expect(receivable({ kind: "finished", route: "RT-PUMP" })).toBe(false);
    expect(receivable({ kind: "semi_finished", route: "RT-SHAFT" })).toBe(false);
    expect(receivable({ kind: "finished", route: null })).toBe(true);
  });
});

describe("answers that come after the receiver moved on", () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const PUMP: ItemRow = { ...HOUSING, code: "RM-SEAL", gtin: "09506000134352", container_quantity: null };
  const answerChoices = async (list: ItemRow[] = [HOUSING, PUMP]) => {
    server.answer("items", list);
    server.answer("suppliers", [{ code: "SUP-OLD", kind: "supplier" }, { code: "SUP-NEW", kind: "supplier" }]);
    server.answer("units", []);
    await settle();
  };
  beforeEach(() => server.reset());

  it("an older lookup of an item's last supplier does not replace a newer one", async () => {
    const started = startReceipt(null);
    await answerChoices();
    await started;
    pickItem(HOUSING); // its last receipts: asked (1)
    pickSupplier("SUP-NEW");
    setLocation("RM-DOCK");
    form.value = { ...form.value, quantity: 5 };
    await sendReceipt(); // a receipt from SUP-NEW; the next delivery starts with it
    pickItem(HOUSING); // asked again (2), now that SUP-NEW delivered last
    server.answer(`receipts:${HOUSING.code}`, [{ supplier_code: "SUP-NEW" }], 1);
    await settle();
    server.answer(`receipts:${HOUSING.code}`, [{ supplier_code: "SUP-OLD" }]); // (1), late
    await settle();
    expect(form.value).toMatchObject({ item: HOUSING.code, supplier: "SUP-NEW" });
  });

  it("receiving started again drops the first start's choices", async () => {
    const first = startReceipt(HOUSING.code);
    const second = startReceipt(PUMP.code);
    await answerChoices();
    await answerChoices();
    expect(await first).toBe(false);
    expect(server.calls[`receipts:${HOUSING.code}`] ?? []).toHaveLength(0);
    server.answer(`receipts:${PUMP.code}`, []);
    expect(await second).toBe(true);
    expect(form.value.item).toBe(PUMP.code);
  });

  it("a label whose item is still looked up does not overwrite an item chosen meanwhile", async () => {
    const started = startReceipt(null);
    await answerChoices([PUMP]); // this device does not know the housing's GTIN
    await started;
    const reading = readLabel(gs1("(01)09506000131016(10)AC-9(30)12"));
    pickItem(PUMP); // the receiver chose the seal by hand meanwhile
    server.answer("gtin", HOUSING);
    expect(await reading).toBeNull();
    expect(form.value).toMatchObject({ item: PUMP.code, gs1: null, supplierLot: "", quantity: 0 });
  });

  it("a label read keeps what was typed meanwhile", async () => {
    const started = startReceipt(null);
    await answerChoices([PUMP]);
    await started;
    const reading = readLabel(gs1("(01)09506000131016(10)AC-9"));
    setLocation("RM-DOCK");
    server.answer("gtin", HOUSING);
    expect(await reading).toMatchObject({ ok: true });
    expect(form.value).toMatchObject({ item: HOUSING.code, supplierLot: "AC-9", location: "RM-DOCK" });
  });
});
