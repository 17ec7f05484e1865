// Shipping finished lots against a customer's order reference: scan each lot (its store
// prefilled when only one holds it, all that is there offered), then one shipment through the
// outbox. The rules are in moves.ts.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { settledAlready, submitOnce } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { getLot, getSerial, listCustomers, type PartyRow, type ShipmentAnswer } from "./api";
import { addShipLine, addShipSerial, shipmentBody, shipProblems, SHIPMENTS_PATH, type ShipLine } from "./moves";
import { loadPlaces, noteText, places } from "./moving";

export const reference = signal("");
export const customer = signal("");
export const shipLines = signal<ShipLine[]>([]);
export const customers = signal<PartyRow[]>([]);
export const lastShipment = signal<
  | { commandId: string; state: "waiting" }
  | { commandId: string; state: "done"; answer: ShipmentAnswer }
  | { commandId: string; state: "refused"; detail: string }
  | null
>(null);

export const shipMissing = computed(() => shipProblems(reference.value, shipLines.value));

/** Open the shipping screen; a lot named in the address (from its page) joins at once. */
export async function startShipment(lot: string | null): Promise<Verdict | null> {
  if (lastShipment.value?.state === "done") lastShipment.value = null;
  const [, c] = await Promise.all([
    loadPlaces(),
    customers.value.length ? null : fetchOrSaved("customers:active", listCustomers).catch(() => null),
  ]);
  if (c) customers.value = c.value;
  return lot && !shipLines.value.some((l) => l.lot === lot) ? addLot(lot) : null;
}

type Verdict = { ok: boolean; message: string };

/** What a scan names, read from the server; a refusal in the server's words, or `offline`. */
async function lookUp<T extends object>(read: () => Promise<T>, offline: string): Promise<T | { ok: false; message: string }> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, message: err.problem.detail };
    if (isNetworkError(err)) return { ok: false, message: offline };
    throw err;
  }
}

/** A scanned (or typed) lot joins the shipment, or the person hears why not. */
export async function addLot(code: string): Promise<Verdict> {
  const facts = await lookUp(async () => (await fetchOrSaved(`lot:${code}`, () => getLot(code))).value,
    t("moves.lotOffline", { lot: code }));
  if ("message" in facts) return facts;
  const added = addShipLine(shipLines.value, facts, places.value);
  if (!Array.isArray(added)) return { ok: false, message: noteText(added) };
  shipLines.value = added;
  if (lastShipment.value?.state === "done") lastShipment.value = null;
  return { ok: true, message: t("moves.lotAdded", { lot: code }) };
}

/** A scanned serial counts one unit of its lot, the lot joining the shipment first if it is
 * not on it yet. Needs the server: a serial's lot and status are not kept on the device. */
export async function addSerial(code: string): Promise<Verdict> {
  const serial = await lookUp(() => getSerial(code), t("moves.serialOffline", { serial: code }));
  if ("message" in serial) return serial;
  if (serial.lot_code && serial.status === "produced" && !shipLines.value.some((l) => l.lot === serial.lot_code)) {
    const joined = await addLot(serial.lot_code);
    if (!joined.ok) return joined;
  }
  const added = addShipSerial(shipLines.value, serial);
  if (!Array.isArray(added)) return { ok: false, message: noteText(added) };
  shipLines.value = added;
  return { ok: true, message: t("moves.serialAdded", { serial: serial.code, lot: serial.lot_code ?? "" }) };
}

/** On the shipping screen a lot's label (or its code typed) adds the lot; a serial's label
 * adds its unit. */
export function shipScan(parsed: ParsedScan): Promise<Verdict> | null {
  if (parsed.type === "label" && parsed.kind === "LOT") return addLot(parsed.code);
  if (parsed.type === "label" && parsed.kind === "SN") return addSerial(parsed.code);
  if (parsed.type === "code") {
    const code = parsed.code.toUpperCase();
    return code.startsWith("SN-") ? addSerial(code) : addLot(code);
  }
  return null;
}

export function changeLine(lot: string, patch: Partial<ShipLine>): void {
  shipLines.value = shipLines.value.map((l) => (l.lot === lot ? { ...l, ...patch } : l));
}

export function removeLine(lot: string): void {
  shipLines.value = shipLines.value.filter((l) => l.lot !== lot);
}

export async function sendShipment(): Promise<void> {
  const lines = shipLines.value;
  const ref = reference.value;
  if (shipProblems(ref, lines).length) return;
  const cmd = await submitOnce("ship", {
    path: SHIPMENTS_PATH, body: shipmentBody(ref, lines, customer.value),
    recordKey: `SHIP:${crypto.randomUUID()}`,
    label: t("moves.shipCommand", { count: lines.length, reference: ref.trim() }),
  });
  if (!cmd) return;
  lastShipment.value = { commandId: cmd.id, state: "waiting" };
  const early = settledAlready(cmd.id);
  if (early) onShipSettled(early.cmd, early.answer);
}

/** The shipment this device sent is done (the form empties for the next) or refused (the form
 * stays, to correct). */
export function onShipSettled(cmd: OutboxCommand, answer?: unknown): void {
  if (cmd.path !== SHIPMENTS_PATH) return;
  const last = lastShipment.value;
  if (!last || last.commandId !== cmd.id) return;
  if (cmd.state === "rejected") {
    lastShipment.value = { commandId: cmd.id, state: "refused", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" };
    return;
  }
  lastShipment.value = { commandId: cmd.id, state: "done", answer: answer as ShipmentAnswer };
  shipLines.value = [];
  reference.value = "";
  customer.value = "";
}

/** The person read the refusal: the shipment did not happen and leaves the outbox. */
export async function dismissShipRefusal(): Promise<void> {
  const last = lastShipment.value;
  lastShipment.value = null;
  if (last?.state === "refused") await discard(last.commandId);
}
