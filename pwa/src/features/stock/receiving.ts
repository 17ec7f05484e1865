// Receiving goods at the dock: the supplier's label (or the item chosen by hand), the quantity,
// the location scanned to put it away, then one receipt through the outbox. The new lot's
// code comes back with the server's answer.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { settledAlready, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { labelAmounts, type Gs1Amounts, type ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { roundQuantity } from "../../ui/NumPad/quantity";
import {
  itemByGtin, listItems, listSuppliers, listUnits, num, recentReceipts, type ItemRow, type PartyRow, type Receipt, type UnitRow,
} from "./api";
import { daysUntil, localToday } from "./expiry";

export const RECEIPTS_PATH = "/api/v1/receipts";

type Gs1 = Extract<ParsedScan, { type: "gs1" }>;

export interface ReceiptForm {
  /** The item's code; empty while only a GTIN is known (the server reads it from the label). */
  item: string;
  /** The supplier label exactly as scanned, sent so the server reads it the same way. */
  gs1: string | null;
  gtin: string | null;
  supplierLot: string;
  expiresOn: string;
  /** Which of the two came from the label (the server refuses a different value for them). */
  fromLabel: { lot: boolean; expiry: boolean };
  supplier: string;
  /** The supplier was chosen by hand for this delivery: an item's last supplier does not replace it. */
  supplierByHand: boolean;
  poReference: string;
  quantity: number;
  location: string;
}

export const EMPTY_FORM: ReceiptForm = {
  item: "", gs1: null, gtin: null, supplierLot: "", expiresOn: "", fromLabel: { lot: false, expiry: false },
  supplier: "", supplierByHand: false, poReference: "", quantity: 0, location: "",
};

/** Whether goods of an item are received at the dock: bought items (raw material, or an item
 * no route makes). The server's item page offers receiving by the same rule. */
export const receivable = (item: Pick<ItemRow, "kind" | "route">): boolean => item.kind === "raw" || !item.route;

/** Unit codes the app takes for kilograms, the unit of a GS1 net weight (AI 310n). */
const KILOGRAMS = new Set(["KG", "KGM"]);

/** How many of `unit` one kilogram is, by the units' conversions (either direction); null
 * when the units the app knows do not say. */
export function perKilogram(unit: string, units: UnitRow[]): number | null {
  const code = unit.toUpperCase();
  if (KILOGRAMS.has(code)) return 1;
  for (const u of units) {
    const from = u.code.toUpperCase();
    for (const c of u.conversions) {
      const to = c.to_unit.toUpperCase();
      if (KILOGRAMS.has(from) && to === code && num(c.factor) > 0) return num(c.factor);
      if (from === code && KILOGRAMS.has(to) && num(c.factor) > 0) return 1 / num(c.factor);
    }
  }
  return null;
}

/** A message for the receiver: an i18n key under "stock." and its parameters. */
export interface QuantityNote {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * The quantity a supplier label gives for an item: its net weight (AI 310n) converted to the
 * item's unit when the units allow; else its count (AI 30 / 37) for an item counted in whole
 * units; else the item's container quantity. A note says why a quantity on the label was not
 * taken; null quantity: nothing to fill in.
 */
export function labelQuantity(amounts: Gs1Amounts, item: Pick<ItemRow, "code" | "unit" | "container_quantity"> | null,
  units: UnitRow[], decimals: (unit: string) => number): { quantity: number | null; note: QuantityNote | null } {
  const container = item?.container_quantity ? num(item.container_quantity) : null;
  const fallback = container && container > 0 ? container : null;
  if (amounts.unreadable) return { quantity: fallback, note: { key: "labelQuantityUnreadable" } };
  if (!item) return { quantity: amounts.count, note: null };
  const places = decimals(item.unit);
  if (amounts.netKg !== null) {
    const factor = perKilogram(item.unit, units);
    if (factor !== null) return { quantity: Number(roundQuantity(amounts.netKg * factor).toFixed(places)), note: null };
    if (amounts.count === null) {
      return { quantity: fallback, note: { key: "weightNotConvertible", params: { weight: amounts.netKg, item: item.code, unit: item.unit } } };
    }
  }
  if (amounts.count !== null) {
    if (places === 0) return { quantity: amounts.count, note: null };
    return { quantity: fallback, note: { key: "countNotMeasure", params: { count: amounts.count, item: item.code, unit: item.unit } } };
  }
  return { quantity: fallback, note: null };
}

/** The supplier to offer for an item: the one of its last receipt that names a supplier still
 * listed, else the only supplier there is; null when neither says. */
export function supplierFor(receipts: Pick<Receipt, "supplier_code">[], suppliers: Pick<PartyRow, "code">[]): string | null {
  const listed = new Set(suppliers.map((p) => p.code));
  const last = receipts.find((r) => r.supplier_code && listed.has(r.supplier_code));
  if (last) return last.supplier_code!;
  return suppliers.length === 1 ? suppliers[0]!.code : null;
}

/** A supplier label read into the form: batch and expiry prefilled (and kept as the label
 * says), the item when its GTIN is known; quantity, supplier and location stay as they were. */
export function prefillFromGs1(form: ReceiptForm, label: Gs1, item: ItemRow | null): ReceiptForm {
  return {
    ...form,
    item: item?.code ?? "",
    gs1: label.text,
    gtin: label.gtin,
    supplierLot: label.lot ?? "",
    expiresOn: label.expiry ?? "",
    fromLabel: { lot: label.lot !== null, expiry: label.expiry !== null },
  };
}

/** Choosing an item by hand drops a label of another item. */
export function chooseItem(form: ReceiptForm, item: Pick<ItemRow, "code" | "gtin"> | null): ReceiptForm {
  const keepsLabel = form.gs1 !== null && item !== null && item.gtin === form.gtin;
  return keepsLabel ? { ...form, item: item.code } : {
    ...form, item: item?.code ?? "", gs1: null, gtin: null,
    supplierLot: form.fromLabel.lot ? "" : form.supplierLot,
    expiresOn: form.fromLabel.expiry ? "" : form.expiresOn,
    fromLabel: { lot: false, expiry: false },
  };
}

export type FormProblem = "item" | "quantity" | "location" | "expired";

/** What stops the receipt from being sent, in the order the form asks for it. */
export function formProblems(form: ReceiptForm, today: string = localToday()): FormProblem[] {
  const problems: FormProblem[] = [];
  if (!form.item && !form.gs1) problems.push("item");
  if (!(form.quantity > 0)) problems.push("quantity");
  if (!form.location) problems.push("location");
  if (form.expiresOn && daysUntil(form.expiresOn, today) < 0) problems.push("expired");
  return problems;
}

/** The body of POST /api/v1/receipts: by the label when there is one (batch and expiry from
 * it are left to the server), else by the item and what was typed. */
export function receiptBody(form: ReceiptForm): Record<string, string | number> {
  const body: Record<string, string | number> = { quantity: form.quantity, location_code: form.location };
  if (form.gs1) body.gs1 = form.gs1;
  if (form.item) body.item_code = form.item;
  const lot = form.supplierLot.trim();
  if (lot && !(form.gs1 && form.fromLabel.lot)) body.supplier_lot = lot;
  if (form.expiresOn && !(form.gs1 && form.fromLabel.expiry)) body.expires_on = form.expiresOn;
  if (form.supplier) body.supplier_code = form.supplier;
  if (form.poReference.trim()) body.po_reference = form.poReference.trim();
  return body;
}

// --- state -----------------------------------------------------------------------------------

export const form = signal<ReceiptForm>(EMPTY_FORM);
export const items = signal<ItemRow[]>([]);
export const suppliers = signal<PartyRow[]>([]);
export const units = signal<UnitRow[]>([]);
/** Why a quantity on the label was not taken, until the form changes item. */
export const quantityNote = signal<QuantityNote | null>(null);
/** The receipt just queued: waiting, made (with its lot) or refused. */
export const lastReceipt = signal<
  | { commandId: string; state: "waiting" }
  | { commandId: string; state: "made"; receipt: Receipt }
  | { commandId: string; state: "refused"; detail: string }
  | null
>(null);

export const chosenItem = computed(() => items.value.find((i) => i.code === form.value.item) ?? null);
export const problems = computed(() => formProblems(form.value));

export const receivableItems = computed(() => items.value.filter(receivable));

export async function loadChoices(): Promise<void> {
  const [i, s, u] = await Promise.all([
    fetchOrSaved("items:active", listItems).catch(() => null),
    fetchOrSaved("suppliers:active", listSuppliers).catch(() => null),
    fetchOrSaved("units:conversions", listUnits).catch(() => null),
  ]);
  if (i) items.value = i.value;
  if (s) suppliers.value = s.value;
  if (u) units.value = u.value;
}

const decimalsIn = (known: UnitRow[]) => (unit: string): number => known.find((u) => u.code === unit)?.decimals ?? 0;

/** Moves on whenever the form starts again or its item changes (receiving starts, an item is
 * picked, a label is read, a receipt is sent). A lookup that finds the generation moved on
 * while it waited drops its answer: it belongs to goods the receiver is no longer at. */
let formGeneration = 0;

/** A change to the form as it is now (what the receiver typed meanwhile stays). */
function updateForm(change: (f: ReceiptForm) => ReceiptForm): void {
  form.value = change(form.value);
}

/** An item is known for the form: its container quantity when none is typed, and its last
 * supplier unless one was chosen by hand. */
async function itemKnown(code: string): Promise<void> {
  const mine = formGeneration;
  const item = items.value.find((i) => i.code === code);
  const f = form.value;
  if (item?.container_quantity && !(f.quantity > 0)) {
    form.value = { ...f, quantity: num(item.container_quantity) };
  }
  if (f.supplierByHand) return;
  const listed = suppliers.value;
  const receipts = (await fetchOrSaved(`receipts:${code}`, () => recentReceipts(code)).catch(() => null))?.value ?? [];
  if (mine !== formGeneration) return; // the receiver moved on to other goods meanwhile
  const supplier = supplierFor(receipts, listed);
  if (supplier) updateForm((now) => (now.item === code && !now.supplierByHand ? { ...now, supplier } : now));
}

/** Receiving starts: with the item of the page it was opened from, if any. Resolves false
 * when receiving started again (or moved on to other goods) before the choices were read. */
export async function startReceipt(item: string | null): Promise<boolean> {
  const mine = ++formGeneration;
  form.value = { ...EMPTY_FORM, item: item ?? "" };
  quantityNote.value = null;
  await loadChoices();
  if (mine !== formGeneration) return false;
  if (item) await itemKnown(item);
  return true;
}

/** The item chosen by hand (or by its Takt label). */
export function pickItem(item: Pick<ItemRow, "code" | "gtin"> | null): void {
  formGeneration++;
  form.value = chooseItem(form.value, item);
  quantityNote.value = null;
  if (item) void itemKnown(item.code);
}

/** The supplier chosen by hand: kept for this delivery. */
export function pickSupplier(code: string): void {
  form.value = { ...form.value, supplier: code, supplierByHand: true };
}

/** What reading a label came to: taken (or refused, with why), or null when the receiver moved
 * on to other goods while its item was looked up (nothing to say about it any more). */
export type LabelVerdict = { ok: boolean; message: string } | null;

/** A scanned supplier label fills the form; the item comes from its GTIN (looked up on the
 * server, or in the item list saved on this device). */
export async function readLabel(label: Gs1): Promise<LabelVerdict> {
  if (!label.gtin) return { ok: false, message: t("stock.labelWithoutGtin") };
  const mine = ++formGeneration;
  const known = items.value;
  const knownUnits = units.value;
  let item: ItemRow | null = known.find((i) => i.gtin === label.gtin) ?? null;
  if (!item) {
    try {
      item = await itemByGtin(label.gtin);
    } catch (err) {
      if (!isNetworkError(err)) throw err;
    }
    if (mine !== formGeneration) return null;
  }
  if (!item && known.length) {
    // The item list is there and no item carries this GTIN: the server would refuse it.
    return { ok: false, message: t("stock.unknownGtin", { gtin: label.gtin }) };
  }
  if (item && !receivable(item)) return { ok: false, message: t("stock.notBought", { item: item.code }) };
  const amounts = labelAmounts(label);
  const { quantity, note } = labelQuantity(amounts, item, knownUnits, decimalsIn(knownUnits));
  // What the label says replaces a typed quantity; a container quantity only fills an empty one.
  const fromLabel = note === null && (amounts.count !== null || amounts.netKg !== null);
  updateForm((now) => {
    const filled = prefillFromGs1(now, label, item);
    return quantity !== null && (fromLabel || !(filled.quantity > 0)) ? { ...filled, quantity } : filled;
  });
  quantityNote.value = note;
  if (item) void itemKnown(item.code);
  return { ok: true, message: t("stock.labelRead", { item: item?.code ?? label.gtin }) };
}

export function setLocation(code: string): void {
  form.value = { ...form.value, location: code };
}

export async function sendReceipt(): Promise<void> {
  const f = form.value;
  if (formProblems(f).length) return;
  const body = receiptBody(f);
  const cmd = await submit({
    path: RECEIPTS_PATH, body,
    // Receipts do not depend on each other: one refused holds no other back.
    recordKey: `RCV:${crypto.randomUUID()}`,
    label: t("stock.receiveCommand", { quantity: f.quantity, item: f.item || f.gtin || "?", location: f.location }),
  });
  lastReceipt.value = { commandId: cmd.id, state: "waiting" };
  const early = settledAlready(cmd.id);
  if (early) onSettled(early.cmd, early.answer);
  // The next delivery starts from a clean form; the supplier is often the same (until the
  // next item's own last supplier says otherwise).
  formGeneration++;
  form.value = { ...EMPTY_FORM, supplier: f.supplier };
  quantityNote.value = null;
}

/** The outbox settled a command: the receipt this screen queued shows its lot or refusal. */
export function onSettled(cmd: OutboxCommand, answer?: unknown): void {
  if (cmd.path !== RECEIPTS_PATH) return;
  const last = lastReceipt.value;
  if (!last || cmd.id !== last.commandId) return;
  lastReceipt.value = cmd.state === "rejected"
    ? { commandId: cmd.id, state: "refused", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" }
    : { commandId: cmd.id, state: "made", receipt: answer as Receipt };
}

export function explain(err: unknown): string {
  return err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
}
