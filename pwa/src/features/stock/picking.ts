// Picking a work order's material to its line: the pick list, the step the picker is at, and
// the issues that go through the outbox. The rules of each step are in guidance.ts.
import { computed, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { discard } from "../../outbox/outbox";
import { outboxCommands, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { getLot, getPickList, listItems, type PickList } from "./api";
import {
  currentLine, EMPTY_STEP, guideLines, scanLocation, scanLot, stageOf, type LotFacts, type Note, type PendingMove, type Step,
} from "./guidance";

export const MOVES_PATH = "/api/v1/stock/moves";

export const workOrder = signal<string | null>(null);
export const pickList = signal<PickList | null>(null);
export const pickSavedAt = signal<number | null>(null);
export const pickError = signal<string | null>(null);
/** The line the picker chose by tapping it (else the guidance picks). */
export const chosenItem = signal<string | null>(null);
export const step = signal<Step>(EMPTY_STEP);
export const quantity = signal(0);
export const stepNote = signal<Note | null>(null);
/** Items this device knows are kept without lots: picked by location and quantity alone. */
export const lotlessItems = signal<ReadonlySet<string>>(new Set());
/** The server's refusal of an issue sent from this screen, until the picker has read it. */
export const refusal = signal<{ commandId: string; item: string; detail: string } | null>(null);

let openCode: string | null = null;

export async function openPick(code: string): Promise<void> {
  if (openCode !== code) {
    step.value = EMPTY_STEP;
    chosenItem.value = null;
    stepNote.value = null;
    refusal.value = null;
    pickList.value = null;
  }
  openCode = code;
  workOrder.value = code;
  pickError.value = null;
  if (!lotlessItems.value.size) void loadLotless();
  try {
    const { value, savedAt } = await fetchOrSaved(`pick:${code}`, () => getPickList(code));
    if (openCode !== code) return;
    pickList.value = value;
    pickSavedAt.value = savedAt;
  } catch (err) {
    if (openCode !== code) return;
    pickError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  }
}

async function loadLotless(): Promise<void> {
  const items = (await fetchOrSaved("items:active", listItems).catch(() => null))?.value ?? [];
  lotlessItems.value = new Set(items.filter((i) => !i.batch_managed && !i.incoming_inspection).map((i) => i.code));
}

export function closePick(): void {
  openCode = null;
}

interface MoveBody {
  kind?: string;
  item_code?: string;
  lot_code?: string | null;
  from_location_code?: string;
  quantity?: number | string;
  work_order_code?: string;
}

const moveOf = (cmd: OutboxCommand): MoveBody => (cmd.body ?? {}) as MoveBody;

/** Issues of this work order waiting in the outbox (refused ones excluded: they moved nothing). */
export const pendingMoves = computed<PendingMove[]>(() => {
  const code = workOrder.value;
  return outboxCommands.value
    .filter((c) => c.path === MOVES_PATH && c.state !== "rejected")
    .map(moveOf)
    .filter((b) => b.kind === "issue" && b.work_order_code === code)
    .map((b) => ({
      item_code: b.item_code ?? "", lot_code: b.lot_code ?? null,
      from_location_code: b.from_location_code ?? "", quantity: Number(b.quantity ?? 0),
    }));
});

export const lines = computed(() =>
  (pickList.value ? guideLines(pickList.value, pendingMoves.value, lotlessItems.value) : []));
export const current = computed(() => currentLine(lines.value, step.value.item ?? chosenItem.value));

export function chooseLine(item: string): void {
  chosenItem.value = item;
  step.value = EMPTY_STEP;
  stepNote.value = null;
}

export function noteText(note: Note | null): string | null {
  return note ? t(`stock.${note.key}`, note.params) : null;
}

/** The facts of a lot the list did not suggest: null offline without a saved copy,
 * "unknown" when the server has no such lot. */
async function lotFacts(code: string): Promise<LotFacts | null | "unknown"> {
  try {
    return (await fetchOrSaved(`lot:${code}`, () => getLot(code))).value;
  } catch (err) {
    if (err instanceof ApiError && err.problem.status === 404) return "unknown";
    if (isNetworkError(err)) return null;
    throw err;
  }
}

export type ScanVerdict = { ok: boolean; message: string } | null;

/** What a scan means on the picking screen; null when it is not for this screen (a work
 * order or operation label opens that record as anywhere else). */
export async function pickScan(parsed: ParsedScan): Promise<ScanVerdict> {
  const line = current.value;
  const code = workOrder.value;
  if (!pickList.value || !code) return null;
  let kind: "LOC" | "LOT" | null = null;
  let scanned = "";
  if (parsed.type === "label" && (parsed.kind === "LOC" || parsed.kind === "LOT")) {
    kind = parsed.kind;
    scanned = parsed.code;
  } else if (parsed.type === "code") {
    // A code typed by hand: the step says whether it names a location or a lot.
    kind = line && stageOf(line, step.value) === "lot" ? "LOT" : "LOC";
    scanned = parsed.code;
  } else if (parsed.type === "gs1") {
    return { ok: false, message: t("stock.scanTaktLotLabel") };
  } else {
    return null;
  }
  if (!line) return { ok: false, message: t("stock.allPicked") };
  if (kind === "LOC") {
    const outcome = scanLocation(line, scanned);
    step.value = outcome.step;
    stepNote.value = outcome.note;
    if (outcome.quantity !== null) quantity.value = outcome.quantity;
    return { ok: true, message: t("stock.locationScanned", { location: scanned }) };
  }
  let outcome = scanLot(lines.value, step.value, scanned);
  if (outcome.kind === "lookup") {
    const facts = await lotFacts(scanned);
    if (workOrder.value !== code) return null; // the picker left meanwhile
    outcome = facts === "unknown"
      ? { kind: "refuse", note: { key: "lotUnknown", params: { lot: scanned } } }
      : scanLot(lines.value, step.value, scanned, facts);
  }
  if (outcome.kind === "refuse") return { ok: false, message: noteText(outcome.note)! };
  if (outcome.kind === "lookup") return null; // cannot happen once the facts were given
  step.value = outcome.step;
  quantity.value = outcome.quantity;
  stepNote.value = outcome.note;
  chosenItem.value = outcome.step.item;
  return { ok: true, message: t("stock.lotScanned", { lot: scanned }) };
}

export const canIssue = computed(() => {
  const s = step.value;
  const line = current.value;
  return !!(line && stageOf(line, s) === "quantity" && quantity.value > 0);
});

/** Issue the scanned lot from the scanned location to the line, against the work order. */
export async function issue(): Promise<void> {
  const s = step.value;
  const list = pickList.value;
  const code = workOrder.value;
  if (!canIssue.value || !list || !code || !s.item || !s.location) return;
  const body = {
    kind: "issue", item_code: s.item, ...(s.lot ? { lot_code: s.lot } : {}), from_location_code: s.location,
    to_location_code: list.to_location_code, quantity: quantity.value, work_order_code: code,
  };
  step.value = { item: s.item, location: s.location, lot: null };
  stepNote.value = null;
  quantity.value = 0;
  refusal.value = null;
  await submit({
    path: MOVES_PATH, body,
    // Each issue is its own group: one refused issue holds no other back.
    recordKey: `ISSUE:${code}:${crypto.randomUUID()}`,
    label: s.lot ? t("stock.issueCommand", { quantity: body.quantity, item: s.item, lot: s.lot, code })
      : t("stock.issueCommandNoLot", { quantity: body.quantity, item: s.item, code }),
  });
}

/** The outbox settled a command: a refused issue of this order is shown; any issue of it
 * re-reads the pick list (what is line-side now). */
export function onSettled(cmd: OutboxCommand): void {
  const body = moveOf(cmd);
  if (cmd.path !== MOVES_PATH || body.work_order_code !== workOrder.value || !openCode) return;
  if (cmd.state === "rejected") {
    refusal.value = { commandId: cmd.id, item: body.item_code ?? "", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" };
  }
  void openPick(openCode);
}

/** The picker has read the refusal: the issue did not happen, so it leaves the outbox. */
export async function dismissRefusal(): Promise<void> {
  const r = refusal.value;
  refusal.value = null;
  if (r) await discard(r.commandId);
}
