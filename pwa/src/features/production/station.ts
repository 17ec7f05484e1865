// The workstation's materials and serials for the open operation: its scan-to-consume
// components, the lot being consumed, serial scanning, and the server's refusals. Commands go
// through the outbox (Idempotency-Key), each on its own so one refusal holds no other back.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { outboxCommands, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { getLot } from "../stock/api";
import { roundQuantity } from "../../ui/NumPad/quantity";
import { getStation, type StationView } from "./api";
import {
  componentFor, componentRows, consumePath, defaultConsumeQuantity, lotOfScan, pendingConsumes, type ComponentRow,
} from "./materials";
import { good, scrap } from "./model";
import { pendingSerials, serialCount, serialOfScan, serialsPath, serialVerdict } from "./serials";

export const station = signal<StationView | null>(null);
/** The lot just scanned, waiting for the operator to confirm its quantity. */
export const consuming = signal<{ lot: string; item: string | null; quantity: number } | null>(null);
/** Serial scanning is on: each SN label scanned reports one good unit. */
export const serialMode = signal(false);
/** Serials accepted on this device since the panel opened, newest first. */
export const serialsScanned = signal<string[]>([]);
/** The server's refusals of commands sent from this panel, until the operator has read them. */
export const refusals = signal<{ commandId: string; what: string; detail: string }[]>([]);

// A signal, so the waiting counts computed from it follow the screen to another record.
const openId = signal<number | null>(null);

export const componentList = computed<ComponentRow[]>(() => componentRows(station.value?.components ?? []));
export const waitingConsumes = computed(() => (openId.value === null ? [] : pendingConsumes(outboxCommands.value, openId.value)));
export const waitingSerials = computed(() => (openId.value === null ? [] : pendingSerials(outboxCommands.value, openId.value)));
export const serialsCounted = computed(() => serialCount(station.value?.serials_reported ?? 0, waitingSerials.value));
export const consumingRow = computed(() => {
  const c = consuming.value;
  return c ? componentFor(componentList.value, c.item) : null;
});

export async function openStation(id: number): Promise<void> {
  if (openId.value !== id) {
    station.value = null;
    consuming.value = null;
    serialMode.value = false;
    serialsScanned.value = [];
    refusals.value = [];
  }
  openId.value = id;
  try {
    const { value } = await fetchOrSaved(`station:${id}`, () => getStation(id));
    if (openId.value === id) station.value = value;
  } catch (err) {
    // The panel works without it (no components, no serial scanning) when never saved here.
    if (!(err instanceof ApiError) && !isNetworkError(err)) throw err;
  }
}

export function closeStation(): void {
  openId.value = null;
  consuming.value = null;
  serialMode.value = false;
}

/** The lot's item when the server (or a saved copy) knows it; null offline or unknown. */
async function itemOfLot(code: string): Promise<string | null> {
  try {
    return (await fetchOrSaved(`lot:${code}`, () => getLot(code))).value.item_code;
  } catch (err) {
    if (err instanceof ApiError || isNetworkError(err)) return null;
    throw err;
  }
}

export type ScanVerdict = { ok: boolean; message: string } | null;

/** What a scan means on the operation panel: a lot to consume (when the step has scan-to-
 * consume components), or a serial while serial scanning is on. Null: not for this panel. */
export async function stationScan(parsed: ParsedScan, mayReport: boolean): Promise<ScanVerdict> {
  const view = station.value;
  const id = openId.value;
  if (!view || id === null || !mayReport) return null;
  const serial = serialMode.value ? serialOfScan(parsed) : null;
  if (serial) return reportSerial(id, serial);
  const lot = view.components.length ? lotOfScan(parsed) : null;
  if (!lot) return null;
  const rows = componentList.value;
  const units = good.value + scrap.value;
  const item = await itemOfLot(lot);
  if (openId.value !== id) return null; // the operator left meanwhile
  // A lot of another item still gets a quantity to confirm: the server says why it refuses.
  const row = componentFor(rows, item) ?? rows[0]!;
  consuming.value = { lot, item, quantity: defaultConsumeQuantity(row, units) };
  return { ok: true, message: t("station.lotScanned", { lot }) };
}

export function setConsumeQuantity(value: number): void {
  if (consuming.value) consuming.value = { ...consuming.value, quantity: roundQuantity(value) };
}

/** Consume the scanned lot: the command waits in the outbox when offline. */
export async function confirmConsume(): Promise<void> {
  const c = consuming.value;
  const id = openId.value;
  const view = station.value;
  if (!c || id === null || !view || c.quantity <= 0) return;
  consuming.value = null;
  await submit({
    path: consumePath(id), body: { lot_code: c.lot, quantity: c.quantity },
    recordKey: `CONSUME:${view.operation}:${crypto.randomUUID()}`,
    label: t("station.consumeCommand", { quantity: c.quantity, lot: c.lot, code: view.operation }),
  });
}

async function reportSerial(id: number, serial: string): Promise<ScanVerdict> {
  const view = station.value!;
  if (serialVerdict(serial, waitingSerials.value).kind === "waiting") {
    return { ok: false, message: t("station.serialWaiting", { serial }) };
  }
  await submit({
    path: serialsPath(id), body: { serial },
    recordKey: `SERIAL:${view.operation}:${crypto.randomUUID()}`,
    label: t("station.serialCommand", { serial, code: view.operation }),
  });
  return { ok: true, message: t("station.serialScanned", { serial }) };
}

/** The outbox settled a command: a refusal from this panel is shown; the view re-read. */
export function onStationSettled(cmd: OutboxCommand): boolean {
  const id = openId.value;
  if (id === null || (cmd.path !== consumePath(id) && cmd.path !== serialsPath(id))) return false;
  const body = (cmd.body ?? {}) as { lot_code?: string; serial?: string };
  if (cmd.state === "rejected") {
    refusals.value = [...refusals.value, {
      commandId: cmd.id, what: body.serial ?? body.lot_code ?? "",
      detail: cmd.rejection?.detail ?? cmd.lastError ?? "",
    }];
  } else if (body.serial) {
    serialsScanned.value = [body.serial, ...serialsScanned.value];
  }
  void openStation(id);
  return true;
}

/** The operator has read a refusal: the command did nothing, so it leaves the outbox. */
export async function dismissRefusal(commandId: string): Promise<void> {
  refusals.value = refusals.value.filter((r) => r.commandId !== commandId);
  await discard(commandId);
}
