// One count on the handheld: the document, the line being counted, lots found by scanning, and
// the commands (record, submit, approve, reject) that go through the outbox in order, one
// record key per count. The rules are in lines.ts.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { outboxCommands, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { roles } from "../../app/session";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { getLot } from "../stock/api";
import { countPath, getCount, type Count } from "./api";
import {
  countLines, lineKey, readLotScan, startQuantity, submitBlock, type FoundLot, type RecordBody,
} from "./lines";

export const count = signal<Count | null>(null);
export const countSavedAt = signal<number | null>(null);
export const countError = signal<string | null>(null);
/** Lots scanned here that the ledger did not expect, until their figure is saved. */
export const found = signal<FoundLot[]>([]);
export const chosenKey = signal<string | null>(null);
export const quantity = signal(0);
/** The server's refusal of a command sent from this screen, until the person has read it. */
export const refusal = signal<{ commandId: string; detail: string } | null>(null);

let openCode: string | null = null;

/** Operators and supervisors count; only supervisors approve or reject (the API's guards). */
export const mayCount = computed(() => roles.value.has("operator") || roles.value.has("supervisor"));
export const mayDecide = computed(() => roles.value.has("supervisor"));

const waitingFor = (code: string | null) => (suffix: string) => {
  if (!code) return [];
  const path = `${countPath(code)}/${suffix}`;
  return outboxCommands.value.filter((c) => c.path === path && c.state !== "rejected");
};

export const pendingRecords = computed<RecordBody[]>(() =>
  waitingFor(count.value?.code ?? null)("lines").map((c) => c.body as RecordBody));
/** A submit, approval or rejection of this count still waiting in the outbox. */
export const pendingDecision = computed<"submit" | "approve" | "reject" | null>(() => {
  const waiting = waitingFor(count.value?.code ?? null);
  return (["submit", "approve", "reject"] as const).find((a) => waiting(a).length > 0) ?? null;
});

export const lines = computed(() => (count.value ? countLines(count.value, pendingRecords.value, found.value) : []));
export const chosen = computed(() => lines.value.find((l) => l.key === chosenKey.value) ?? null);
export const blocked = computed(() => submitBlock(lines.value));
/** Counting goes on here: the count is open, nothing closed it from this device, and this person counts. */
export const counting = computed(() => count.value?.status === "open" && pendingDecision.value === null && mayCount.value);

export async function openCount(code: string): Promise<void> {
  if (openCode !== code) {
    count.value = null;
    found.value = [];
    chosenKey.value = null;
    refusal.value = null;
  }
  openCode = code;
  countError.value = null;
  try {
    const { value, savedAt } = await fetchOrSaved(`count:${code}`, () => getCount(code));
    if (openCode !== code) return;
    count.value = value;
    countSavedAt.value = savedAt;
  } catch (err) {
    if (openCode !== code) return;
    countError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  }
}

export function closeCount(): void {
  openCode = null;
}

export function chooseLine(key: string): void {
  const line = lines.value.find((l) => l.key === key);
  if (!line) return;
  chosenKey.value = key;
  quantity.value = startQuantity(line);
}

export type ScanVerdict = { ok: boolean; message: string } | null;

/** What a scan means while counting: a lot label chooses (or adds) its line; this location's
 * label is acknowledged; anything else is not for this screen. */
export async function countScan(parsed: ParsedScan): Promise<ScanVerdict> {
  const c = count.value;
  if (!c || !counting.value) return null;
  if (parsed.type === "gs1") return { ok: false, message: t("count.scanTaktLotLabel") };
  if (parsed.type === "label" && parsed.kind === "LOC") {
    return parsed.code === c.location_code ? { ok: true, message: t("count.atLocation", { location: c.location_code }) } : null;
  }
  if (!(parsed.type === "code" || (parsed.type === "label" && parsed.kind === "LOT"))) return null;
  const scanned = parsed.code.toUpperCase();
  const outcome = readLotScan(lines.value, scanned);
  if (outcome.kind === "line") {
    chooseLine(outcome.key);
    return { ok: true, message: t("count.lotScanned", { lot: scanned }) };
  }
  const code = c.code;
  let lot;
  try {
    lot = (await fetchOrSaved(`lot:${scanned}`, () => getLot(scanned))).value;
  } catch (err) {
    if (err instanceof ApiError && err.problem.status === 404) return { ok: false, message: t("count.lotUnknown", { lot: scanned }) };
    if (isNetworkError(err)) return { ok: false, message: t("count.lotOffline", { lot: scanned }) };
    throw err;
  }
  if (count.value?.code !== code) return null; // the counter left meanwhile
  const extra: FoundLot = { item_code: lot.item_code, item_name: lot.item_name, lot_code: lot.code, unit: lot.unit };
  found.value = [...found.value.filter((f) => f.lot_code !== lot.code), extra];
  chooseLine(lineKey(extra.item_code, extra.lot_code));
  return { ok: true, message: t("count.lotFound", { lot: lot.code, item: lot.item_code }) };
}

const keyOf = (code: string) => `CNT:${code}`;

/** Save the figure of the chosen line (a recount replaces it). */
export async function saveLine(): Promise<void> {
  const c = count.value;
  const line = chosen.value;
  if (!c || !line || !counting.value) return;
  const body: RecordBody = { item_code: line.item_code, ...(line.lot_code ? { lot_code: line.lot_code } : {}), quantity: quantity.value };
  chosenKey.value = null;
  refusal.value = null;
  await submit({
    path: `${countPath(c.code)}/lines`, body, recordKey: keyOf(c.code),
    label: t("count.recordCommand", { quantity: quantity.value, item: line.item_code, lot: line.lot_code ?? "—", code: c.code }),
  });
}

export async function submitCount(): Promise<void> {
  const c = count.value;
  if (!c || !counting.value || blocked.value) return;
  chosenKey.value = null;
  refusal.value = null;
  await submit({ path: `${countPath(c.code)}/submit`, recordKey: keyOf(c.code), label: t("count.submitCommand", { code: c.code }) });
}

export async function approveCount(): Promise<void> {
  const c = count.value;
  if (!c || c.status !== "submitted" || !mayDecide.value || pendingDecision.value) return;
  refusal.value = null;
  await submit({ path: `${countPath(c.code)}/approve`, body: {}, recordKey: keyOf(c.code), label: t("count.approveCommand", { code: c.code }) });
}

export async function rejectCount(reason: string): Promise<void> {
  const c = count.value;
  const why = reason.trim();
  if (!c || !why || !["open", "submitted"].includes(c.status) || !mayDecide.value || pendingDecision.value) return;
  refusal.value = null;
  await submit({ path: `${countPath(c.code)}/reject`, body: { reason: why }, recordKey: keyOf(c.code), label: t("count.rejectCommand", { code: c.code }) });
}

/** The outbox settled a command of the open count: its answer is the count as it is now; a
 * refusal is shown until read. */
export function onSettled(cmd: OutboxCommand, answer?: unknown): void {
  const code = openCode;
  if (!code || !cmd.path.startsWith(`${countPath(code)}/`)) return;
  if (cmd.state === "rejected") {
    refusal.value = { commandId: cmd.id, detail: cmd.rejection?.detail ?? cmd.lastError ?? "" };
    void openCount(code);
    return;
  }
  const now = answer as Count | undefined;
  if (now?.code === code) {
    count.value = now;
    countSavedAt.value = null;
    // A found lot, once saved, is one of the server's lines.
    found.value = found.value.filter((f) => !now.lines.some((l) => lineKey(l.item_code, l.lot_code) === lineKey(f.item_code, f.lot_code)));
  } else {
    void openCount(code);
  }
}

/** The person has read the refusal: that command did nothing, so it leaves the outbox. */
export async function dismissRefusal(): Promise<void> {
  const r = refusal.value;
  refusal.value = null;
  if (r) await discard(r.commandId);
}
