// Starting a count and the lists around it: the location to count (scanned, or chosen from the
// line-side reconciliation), counts in progress, counts waiting for a supervisor, and what each
// line's WIP location holds. Starting goes through the outbox; the count's code comes back in
// the server's answer, and the screen moves on to it.
import { signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { outboxCommands, settledAlready, submitOnce } from "../../app/outbox";
import { navigate } from "../../app/router";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { lines as listLines, type Line } from "../home/api";
import { stockAt, type StockRow } from "../stock/api";
import { COUNTS_PATH, listCounts, reconciliation, type Count, type CountRow, type ReconciliationRow } from "./api";

export const countPagePath = (code: string) => `/count/${encodeURIComponent(code)}`;

export const startLocation = signal<string | null>(null);
export const blind = signal(false);
/** Counts of the chosen location still open or waiting for a supervisor (one at a time). */
export const inProgressHere = signal<CountRow[]>([]);
export type Starting =
  | { commandId: string; location: string; state: "waiting" }
  | { commandId: string; location: string; state: "refused"; detail: string };
export const starting = signal<Starting | null>(null);

export const openCounts = signal<CountRow[]>([]);
export const submittedCounts = signal<CountRow[]>([]);
export const listsSavedAt = signal<number | null>(null);
export const listsError = signal<string | null>(null);

const explain = (err: unknown) => (err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown"));
const IN_PROGRESS = new Set(["open", "submitted"]);

export async function loadLists(): Promise<void> {
  listsError.value = null;
  try {
    const [open, waiting] = await Promise.all([
      fetchOrSaved("counts:open", () => listCounts({ status: "open" })),
      fetchOrSaved("counts:submitted", () => listCounts({ status: "submitted" })),
    ]);
    openCounts.value = open.value;
    submittedCounts.value = waiting.value;
    listsSavedAt.value = open.savedAt ?? waiting.savedAt;
  } catch (err) {
    listsError.value = explain(err);
  }
}

export async function chooseLocation(code: string): Promise<void> {
  const location = code.toUpperCase();
  if (startLocation.value !== location) {
    blind.value = false;
    inProgressHere.value = [];
  }
  startLocation.value = location;
  try {
    const rows = (await fetchOrSaved(`counts:loc:${location}`, () => listCounts({ location_code: location }))).value;
    if (startLocation.value === location) inProgressHere.value = rows.filter((r) => IN_PROGRESS.has(r.status));
  } catch {
    // Offline without a saved list: starting still works, and the server says if one is running.
  }
}

/** On the counts screen a location label (or a code typed by hand) is the location to count. */
export function startScan(parsed: ParsedScan): { ok: boolean; message: string } | null {
  if (parsed.type === "label" && parsed.kind === "LOC") {
    void chooseLocation(parsed.code);
    return { ok: true, message: t("count.locationChosen", { location: parsed.code }) };
  }
  if (parsed.type === "code") {
    void chooseLocation(parsed.code);
    return { ok: true, message: t("count.locationChosen", { location: parsed.code.toUpperCase() }) };
  }
  if (parsed.type === "label" && parsed.kind === "LOT") return { ok: false, message: t("count.scanLocationFirst") };
  return null;
}

export async function startCount(): Promise<void> {
  const location = startLocation.value;
  if (!location || starting.value?.state === "waiting") return;
  const cmd = await submitOnce("count-start", {
    path: COUNTS_PATH, body: { location_code: location, blind: blind.value },
    // Each start is its own group: one refused start holds nothing else back.
    recordKey: `CNT-NEW:${crypto.randomUUID()}`,
    label: t(blind.value ? "count.startBlindCommand" : "count.startCommand", { location }),
  });
  if (!cmd) return;
  starting.value = { commandId: cmd.id, location, state: "waiting" };
  const early = settledAlready(cmd.id);
  if (early) onStartSettled(early.cmd, early.answer);
}

/** The outbox settled a start: open the new count, or show why the server refused. */
export function onStartSettled(cmd: OutboxCommand, answer?: unknown): void {
  if (cmd.path !== COUNTS_PATH) return;
  const s = starting.value;
  if (!s || s.commandId !== cmd.id) return;
  if (cmd.state === "rejected") {
    starting.value = { ...s, state: "refused", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" };
    void chooseLocation(s.location); // the count already running there, to continue it
    return;
  }
  starting.value = null;
  const made = answer as Count | undefined;
  if (made?.code) navigate(countPagePath(made.code));
}

/** Whether a start of this device is still in the outbox (offline, it waits there). */
export const startWaiting = (s: Starting | null): boolean =>
  !!s && s.state === "waiting" && outboxCommands.value.some((c) => c.id === s.commandId);

/** The person has read the refusal: the start did nothing, so it leaves the outbox. */
export async function dismissStart(): Promise<void> {
  const s = starting.value;
  starting.value = null;
  if (s) await discard(s.commandId);
}

// --- line-side reconciliation ----------------------------------------------------------------

export const wipLines = signal<Line[]>([]);
export const negatives = signal<ReconciliationRow[]>([]);
export const wipStock = signal<{ location: string; rows: StockRow[]; savedAt: number | null } | null>(null);
export const reconcileError = signal<string | null>(null);
/** The lines are known (loaded, or failed to load): "no line-side locations" may be said. */
export const reconcileReady = signal(false);

/** The negative line-side balances alone (the supervisor's home shows how many). */
export async function refreshNegatives(): Promise<void> {
  try {
    negatives.value = (await fetchOrSaved("stock:reconciliation", reconciliation)).value;
  } catch {
    // Offline without a saved copy: the entry shows no number, the screen says why.
  }
}

/** The lines and the negative line-side balances; then what the chosen WIP location holds
 * (the one asked for, else the first with something to reconcile, else the first line's). */
export async function loadReconcile(location: string | null): Promise<string | null> {
  reconcileError.value = null;
  reconcileReady.value = false;
  try {
    const [ls, neg] = await Promise.all([
      listLines(),
      fetchOrSaved("stock:reconciliation", reconciliation).then((r) => r.value),
    ]);
    wipLines.value = ls.items.filter((l) => l.wip_location);
    negatives.value = neg;
  } catch (err) {
    reconcileError.value = explain(err);
  }
  reconcileReady.value = true;
  const chosen = location?.toUpperCase() ?? negatives.value[0]?.location_code ?? wipLines.value[0]?.wip_location ?? null;
  if (chosen) await loadWip(chosen);
  return chosen;
}

export async function loadWip(location: string): Promise<void> {
  void chooseLocation(location);
  try {
    const { value, savedAt } = await fetchOrSaved(`stock:loc:${location}`, () => stockAt(location));
    if (startLocation.value === location) wipStock.value = { location, rows: value, savedAt };
  } catch (err) {
    if (startLocation.value === location) {
      wipStock.value = null;
      reconcileError.value = explain(err);
    }
  }
}
