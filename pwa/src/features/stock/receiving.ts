// Receiving goods at the dock: the supplier's label (or the item chosen by hand), the quantity,
// the location scanned to put it away, then one receipt through the outbox. The new lot's
// code comes back with the server's answer.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { settledAlready, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { itemByGtin, listItems, listSuppliers, type ItemRow, type PartyRow, type Receipt } from "./api";
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
  poReference: string;
  quantity: number;
  location: string;
}

export const EMPTY_FORM: ReceiptForm = {
  item: "", gs1: null, gtin: null, supplierLot: "", expiresOn: "", fromLabel: { lot: false, expiry: false },
  supplier: "", poReference: "", quantity: 0, location: "",
};

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
/** The receipt just queued: waiting, made (with its lot) or refused. */
export const lastReceipt = signal<
  | { commandId: string; state: "waiting" }
  | { commandId: string; state: "made"; receipt: Receipt }
  | { commandId: string; state: "refused"; detail: string }
  | null
>(null);

export const chosenItem = computed(() => items.value.find((i) => i.code === form.value.item) ?? null);
export const problems = computed(() => formProblems(form.value));

export async function loadChoices(): Promise<void> {
  const [i, s] = await Promise.all([
    fetchOrSaved("items:active", listItems).catch(() => null),
    fetchOrSaved("suppliers:active", listSuppliers).catch(() => null),
  ]);
  if (i) items.value = i.value;
  if (s) suppliers.value = s.value;
}

export function startReceipt(item: string | null): void {
  form.value = { ...EMPTY_FORM, item: item ?? "" };
}

/** A scanned supplier label fills the form; the item comes from its GTIN (looked up on the
 * server, or in the item list saved on this device). */
export async function readLabel(label: Gs1): Promise<{ ok: boolean; message: string }> {
  let item: ItemRow | null = null;
  if (label.gtin) {
    item = items.value.find((i) => i.gtin === label.gtin) ?? null;
    if (!item) {
      try {
        item = await itemByGtin(label.gtin);
      } catch (err) {
        if (!isNetworkError(err)) throw err;
      }
    }
    if (!item && items.value.length) {
      // The item list is there and no item carries this GTIN: the server would refuse it.
      return { ok: false, message: t("stock.unknownGtin", { gtin: label.gtin }) };
    }
  } else {
    return { ok: false, message: t("stock.labelWithoutGtin") };
  }
  form.value = prefillFromGs1(form.value, label, item);
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
  // The next delivery starts from a clean form; the supplier is often the same.
  form.value = { ...EMPTY_FORM, supplier: f.supplier };
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
