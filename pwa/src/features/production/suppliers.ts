// Work at suppliers for the open work order: its outsource orders, sending work out and
// receiving parts back. Commands go through the outbox (Idempotency-Key), each on its own so
// one refusal holds no other back; the rules are in outsourcing.ts.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { outboxCommands, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import type { OutboxCommand } from "../../shared/outbox-types";
import { getOutsourceOrders, scrapReasons, suppliers, type OutsourceOrder, type ReasonCode, type Supplier } from "./api";

export const outsourceOrders = signal<OutsourceOrder[]>([]);
export const supplierList = signal<Supplier[]>([]);
export const supplierScrapReasons = signal<ReasonCode[]>([]);
/** The server's refusals of what was sent from here, until the person has read them. */
export const outsourceRefusals = signal<{ commandId: string; detail: string }[]>([]);

// A signal, so the waiting counts computed from it follow the screen to another record.
const openCode = signal<string | null>(null);

const keyPrefix = (code: string) => `OSO:${code}:`;

/** Sends and receipts of this work order still waiting in the outbox. */
export const outsourceWaiting = computed(() => {
  const code = openCode.value;
  return code === null ? 0
    : outboxCommands.value.filter((c) => c.recordKey.startsWith(keyPrefix(code)) && c.state !== "rejected").length;
});

export async function openOutsourcing(code: string): Promise<void> {
  if (openCode.value !== code) {
    outsourceOrders.value = [];
    outsourceRefusals.value = [];
  }
  openCode.value = code;
  try {
    const { value } = await fetchOrSaved(`oso:${code}`, () => getOutsourceOrders(code));
    if (openCode.value === code) outsourceOrders.value = value;
  } catch (err) {
    if (!(err instanceof ApiError) && !isNetworkError(err)) throw err;
  }
}

export function closeOutsourcing(): void {
  openCode.value = null;
}

/** Suppliers and scrap reasons, read when a sheet needs them (saved for offline use). */
export async function loadChoices(): Promise<void> {
  const needSuppliers = !supplierList.value.length;
  const needReasons = !supplierScrapReasons.value.length;
  const [found, reasons] = await Promise.all([
    needSuppliers ? fetchOrSaved("suppliers", suppliers).catch(() => null) : null,
    needReasons ? fetchOrSaved("reasons:scrap", scrapReasons).catch(() => null) : null,
  ]);
  if (found) supplierList.value = found.value;
  if (reasons) supplierScrapReasons.value = reasons.value;
}

/** Send one operation (seq) or every one not started (null) to a supplier. */
export async function sendToSupplier(code: string, seq: number | null, supplier: string, quantity: number): Promise<void> {
  await submit({
    path: `/api/v1/work-orders/${encodeURIComponent(code)}/outsource`,
    body: { supplier_code: supplier, quantity, ...(seq === null ? {} : { operation_seq: seq }) },
    recordKey: `${keyPrefix(code)}${crypto.randomUUID()}`,
    label: t("station.sendCommand", { quantity, code, supplier }),
  });
}

/** Parts back from the supplier: good ones, and its scrap with a reason (partial allowed). */
export async function receiveFromSupplier(code: string, oso: string, good: number, scrap: number, reason: string): Promise<void> {
  await submit({
    path: `/api/v1/outsource-orders/${encodeURIComponent(oso)}/receipts`,
    body: { good, scrap, ...(scrap > 0 ? { scrap_reason: reason } : {}) },
    recordKey: `${keyPrefix(code)}${crypto.randomUUID()}`,
    label: t("station.receiveCommand", { good, scrap, code: oso }),
  });
}

/** The outbox settled a command: true when it was a send or receipt of the open order (a
 * refusal is then shown and the caller re-reads the order). */
export function onOutsourceSettled(cmd: OutboxCommand): boolean {
  const code = openCode.value;
  if (code === null || !cmd.recordKey.startsWith(keyPrefix(code))) return false;
  if (cmd.state === "rejected") {
    outsourceRefusals.value = [...outsourceRefusals.value,
      { commandId: cmd.id, detail: cmd.rejection?.detail ?? cmd.lastError ?? "" }];
  }
  void openOutsourcing(code);
  return true;
}

export async function dismissOutsourceRefusal(commandId: string): Promise<void> {
  outsourceRefusals.value = outsourceRefusals.value.filter((r) => r.commandId !== commandId);
  await discard(commandId);
}
