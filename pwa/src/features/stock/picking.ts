// Picking a work order's material to its line: the pick list, the step the picker is at, and
// the issues that go through the outbox. The rules of each step are in guidance.ts.
import { batch, computed, effect, signal } from "@preact/signals";
import { ApiError, isNetworkError } from "../../api/errors";
import { discard } from "../../outbox/outbox";
import { outboxCommands, submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { getLot, getPickList, listItems, type PickList } from "./api";
import {
  arrive, currentLine, EMPTY_STEP, guideLines, scanLocation, scanLot, shortPick, stageOf,
  type LotFacts, type Note, type PendingMove, type Step,
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
/** Suggestions the picker found short (took less than offered) on this list: not offered again. */
export const skipped = signal<ReadonlySet<string>>(new Set());
/** The server's refusal of an issue sent from this screen, until the picker has read it. */
export const refusal = signal<{ commandId: string; item: string; detail: string } | null>(null);

let openCode: string | null = null;

/** An issue made on this screen, counted from the tap on: the outbox shows it a moment later,
 * and once sent it counts until a pick list read after it comes back (no line jumps back open
 * meanwhile, and no stale quantity is offered twice). */
interface LocalIssue extends PendingMove {
  workOrder: string;
  recordKey: string;
  /** The number of pick list reads started when the server had it; null while unsent. */
  settledAt: number | null;
}
export const localIssues = signal<LocalIssue[]>([]);
let reads = 0;

export async function openPick(code: string): Promise<void> {
  if (openCode !== code) {
    step.value = EMPTY_STEP;
    chosenItem.value = null;
    stepNote.value = null;
    refusal.value = null;
    pickList.value = null;
    skipped.value = new Set();
  }
  openCode = code;
  workOrder.value = code;
  pickError.value = null;
  if (!lotlessItems.value.size) void loadLotless();
  const started = ++reads;
  try {
    const { value, savedAt } = await fetchOrSaved(`pick:${code}`, () => getPickList(code));
    if (openCode !== code) return;
    batch(() => {
      pickList.value = value;
      pickSavedAt.value = savedAt;
      // The server's list counts every issue it had before this read started.
      if (savedAt === null) localIssues.value = localIssues.value.filter((l) => l.settledAt === null || l.settledAt >= started);
    });
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

/** Issues of this work order not yet in the pick list: waiting in the outbox (refused ones
 * excluded: they moved nothing), or made here and not yet in a pick list read. */
export const pendingMoves = computed<PendingMove[]>(() => {
  const code = workOrder.value;
  const mine = outboxCommands.value.filter((c) => c.path === MOVES_PATH);
  const inOutbox = new Set(mine.map((c) => c.recordKey));
  return [
    ...mine
      .filter((c) => c.state !== "rejected")
      .map(moveOf)
      .filter((b) => b.kind === "issue" && b.work_order_code === code)
      .map((b) => ({
        item_code: b.item_code ?? "", lot_code: b.lot_code ?? null,
        from_location_code: b.from_location_code ?? "", quantity: Number(b.quantity ?? 0),
      })),
    ...localIssues.value.filter((l) => l.workOrder === code && !inOutbox.has(l.recordKey)),
  ];
});

export const lines = computed(() =>
  (pickList.value ? guideLines(pickList.value, pendingMoves.value, lotlessItems.value, skipped.value) : []));
export const current = computed(() => currentLine(lines.value, chosenItem.value, step.value.item));

// The picker comes to a new line (the last one is done or short, or they tapped another):
// where they stand counts for it, so consecutive lines at one location need one location
// scan, and a line kept without lots there is ready to issue. A lot in hand is never dropped.
effect(() => {
  const line = current.value;
  const s = step.peek();
  if (!line || s.lot || s.item === line.item_code) return;
  const arrival = arrive(line, s.location);
  step.value = arrival.step;
  stepNote.value = null;
  if (arrival.quantity !== null) quantity.value = arrival.quantity;
});

export function chooseLine(item: string): void {
  // Still standing where the last scan was: the chosen line may be right here.
  batch(() => {
    step.value = { item: null, location: step.value.location, lot: null };
    stepNote.value = null;
    chosenItem.value = item;
  });
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
  if (!lines.value.some((l) => l.remaining > 0)) return { ok: false, message: t("stock.allPicked") };
  if (kind === "LOC" && !line) {
    // Only short lines are left: a location where the picker found some, then its lot.
    step.value = { item: null, location: scanned, lot: null };
    stepNote.value = null;
    return { ok: true, message: t("stock.locationScanned", { location: scanned }) };
  }
  if (kind === "LOC" && line) {
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

/** Issue the scanned lot from the scanned location to the line, against the work order; then
 * the screen moves on by itself: to the next suggestion or line once this pick is counted. */
export async function issue(): Promise<void> {
  const s = step.value;
  const list = pickList.value;
  const code = workOrder.value;
  const line = current.value;
  if (!canIssue.value || !list || !code || !line || !s.item || !s.location) return;
  const body = {
    kind: "issue", item_code: s.item, ...(s.lot ? { lot_code: s.lot } : {}), from_location_code: s.location,
    to_location_code: list.to_location_code, quantity: quantity.value, work_order_code: code,
  };
  const short = shortPick(line, s.lot, s.location, quantity.value);
  const recordKey = `ISSUE:${code}:${crypto.randomUUID()}`;
  // Between lines, standing at the location: the next line is chosen once the outbox counts
  // this issue (or at once when this pick was short).
  batch(() => {
    step.value = { item: null, location: s.location, lot: null };
    chosenItem.value = null;
    stepNote.value = null;
    quantity.value = 0;
    refusal.value = null;
    if (short) skipped.value = new Set([...skipped.value, short]);
    localIssues.value = [...localIssues.value, {
      workOrder: code, recordKey, settledAt: null, item_code: s.item!, lot_code: s.lot,
      from_location_code: s.location!, quantity: body.quantity,
    }];
  });
  await submit({
    path: MOVES_PATH, body,
    // Each issue is its own group: one refused issue holds no other back.
    recordKey,
    label: s.lot ? t("stock.issueCommand", { quantity: body.quantity, item: s.item, lot: s.lot, code })
      : t("stock.issueCommandNoLot", { quantity: body.quantity, item: s.item, code }),
  });
}

/** The outbox settled a command: a refused issue of this order is shown; any issue of it
 * re-reads the pick list (what is line-side now). */
export function onSettled(cmd: OutboxCommand): void {
  const body = moveOf(cmd);
  if (cmd.path !== MOVES_PATH || body.work_order_code !== workOrder.value || !openCode) return;
  localIssues.value = cmd.state === "rejected"
    ? localIssues.value.filter((l) => l.recordKey !== cmd.recordKey)
    : localIssues.value.map((l) => (l.recordKey === cmd.recordKey ? { ...l, settledAt: reads } : l));
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
