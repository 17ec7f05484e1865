// Moving a lot by scanning, from its page: return to a store (leftover or defective), transfer,
// scrap, finished goods put away, miscellaneous receipt or issue. The form, the scan of the
// destination, and the one command sent through the outbox; the rules are in moves.ts.
import { computed, signal } from "@preact/signals";
import { settledAlready, submitOnce } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import { listLocations, materialReasons, type KindedReason, type LocationRow } from "./api";
import { lot, openLot } from "./lot";
import {
  arrives, checkTarget, doneFacts, maxQuantity, MOVE_PATHS, moveProblems, moveRequest, reasonKinds, startForm, targetNeed,
  type MoveDone, type MoveForm, type MoveKind, type Note,
} from "./moves";

export const places = signal<LocationRow[]>([]);
export const reasons = signal<KindedReason[]>([]);
export const form = signal<MoveForm | null>(null);
/** The move this device sent last: waiting for the server, done (its answer) or refused. */
export const lastMove = signal<
  | { commandId: string; lot: string; kind: MoveKind; state: "waiting" }
  | { commandId: string; lot: string; kind: MoveKind; state: "done"; done: MoveDone }
  | { commandId: string; lot: string; kind: MoveKind; state: "refused"; detail: string }
  | null
>(null);

export const problems = computed(() => (form.value ? moveProblems(form.value) : []));
export const maximum = computed(() => {
  const f = form.value;
  const l = lot.value;
  return f && l && l.code === f.lot ? maxQuantity(f, l, places.value) : 0;
});
export const reasonChoices = computed(() => {
  const kinds = form.value ? reasonKinds(form.value.kind).kinds : [];
  return reasons.value.filter((r) => kinds.includes(r.kind));
});

/** Locations and reason codes, from the server or this device's saved copy (read once; again
 * with `fresh`, when a scan names a location this device does not know yet). */
export async function loadPlaces(fresh = false): Promise<void> {
  const [p, r] = await Promise.all([
    places.value.length && !fresh ? null : fetchOrSaved("locations:active", listLocations).catch(() => null),
    reasons.value.length ? null : fetchOrSaved("reasons:material", materialReasons).catch(() => null),
  ]);
  if (p) places.value = p.value;
  if (r) reasons.value = r.value;
}

let opened: string | null = null;

/** Open the move screen for a lot: its facts and the places first, then a fresh form. */
export async function startMove(kind: MoveKind, code: string): Promise<void> {
  const key = `${kind}:${code}`;
  opened = key;
  form.value = null;
  if (lastMove.value?.state !== "waiting") lastMove.value = null;
  await Promise.all([openLot(code), loadPlaces()]);
  const l = lot.value;
  if (opened !== key || !l || l.code !== code) return;
  form.value = startForm(kind, l, places.value);
}

export function closeMove(): void {
  opened = null;
}

export function change(patch: Partial<MoveForm>): void {
  if (form.value) form.value = { ...form.value, ...patch };
}

export const noteText = (note: Note): string => t(`moves.${note.key}`, note.params);

/** What a scan means on the move screen: a location label is the destination (or, for a
 * miscellaneous receipt, where it arrives); the lot's own label is acknowledged. Null when the
 * scan is not for this screen. */
export async function moveScan(parsed: ParsedScan): Promise<{ ok: boolean; message: string } | null> {
  let f = form.value;
  if (!f) return null;
  if (parsed.type === "label" && parsed.kind === "LOT" && parsed.code === f.lot) {
    return { ok: true, message: t("moves.thisLot", { lot: f.lot }) };
  }
  const code = parsed.type === "label" && parsed.kind === "LOC" ? parsed.code
    : parsed.type === "code" && targetNeed(f.kind) !== "none" ? parsed.code.toUpperCase() : null;
  if (!code) return null;
  let refused = checkTarget(f.kind, f.from, code, places.value);
  if (refused?.key === "unknownLocation") {
    // Made since this device read the locations? Ask once more before saying no.
    await loadPlaces(true);
    f = form.value;
    if (!f) return null;
    refused = checkTarget(f.kind, f.from, code, places.value);
  }
  if (refused) return { ok: false, message: noteText(refused) };
  form.value = { ...f, to: code };
  return { ok: true, message: t("moves.destinationSet", { location: code }) };
}

/** Send the move through the outbox (with its Idempotency-Key); the answer comes to onSettled. */
export async function sendMove(): Promise<void> {
  const f = form.value;
  const l = lot.value;
  if (!f || !l || l.code !== f.lot || moveProblems(f).length) return;
  const request = moveRequest(f, l);
  const what = t(`moves.title_${f.kind}`);
  const cmd = await submitOnce("move", {
    ...request,
    // Each move is its own group: one refused move holds no other command of the lot back.
    recordKey: `MOVE:${f.lot}:${crypto.randomUUID()}`,
    label: t("moves.command", { what, quantity: f.quantity, unit: l.unit, lot: f.lot }),
  });
  if (!cmd) return;
  lastMove.value = { commandId: cmd.id, lot: f.lot, kind: f.kind, state: "waiting" };
  const early = settledAlready(cmd.id);
  if (early) onSettled(early.cmd, early.answer);
}

/** The outbox settled a command: the move this device sent shows as done or refused, and the
 * lot is read again (where its stock is now). */
export function onSettled(cmd: OutboxCommand, answer?: unknown): void {
  if (!MOVE_PATHS.includes(cmd.path)) return;
  const last = lastMove.value;
  if (!last || last.commandId !== cmd.id) return;
  const base = { commandId: last.commandId, lot: last.lot, kind: last.kind };
  lastMove.value = cmd.state === "rejected"
    ? { ...base, state: "refused", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" }
    : { ...base, state: "done", done: doneFacts(last.kind, (answer ?? {}) as Record<string, unknown>) };
  if (cmd.state !== "rejected") void openLot(last.lot);
}

/** The person read the refusal: the move did not happen, so it leaves the outbox; the form
 * stays as it was, to correct and send again. */
export async function dismissRefusal(): Promise<void> {
  const last = lastMove.value;
  lastMove.value = null;
  if (last?.state === "refused") await discard(last.commandId);
  if (!last) return;
  await openLot(last.lot);
  // The lot may hold less now (what the refusal said): offer at most what is there.
  const f = form.value;
  if (f && f.lot === last.lot && !arrives(f.kind) && f.quantity > maximum.value) change({ quantity: maximum.value });
}
