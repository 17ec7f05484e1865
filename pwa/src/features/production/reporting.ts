// The report form's state on the handheld: the good quantity prefilled with what operators
// report most, the line's scrap reasons in their order of use, the confirmation of the last
// report with its undo, and the operation's report history. Reports and undos go through the
// outbox like every command (Idempotency-Key, FIFO per operation).
import { computed, effect, signal } from "@preact/signals";
import { clientConfig } from "../../app/config";
import { onCommandSettled, outboxCommands, settledAlready, submit, submitOnce } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { roles, user } from "../../app/session";
import { t } from "../../i18n";
import type { OutboxCommand } from "../../shared/outbox-types";
import * as prod from "./api";
import { good, operation, reasons, recordKeyOf, rework, scrap, scrapReason } from "./model";
import {
  newestFirst, prefillGood, totalsAfter, voidAction, waitingReports, type RankedReason, type ReportRow, type Totals,
} from "./report";

/** Without a saved client config (an old copy): the server's default. */
const DEFAULT_UNDO_SECONDS = 600;
/** A second tap on Send this soon after the first is taken as a double tap, not a new report. */
const SEND_COOL_DOWN_MS = 1500;

/** The open operation's line's scrap reasons as the server ranks them; null: never read on
 * this device; undefined: being read (no buttons yet, rather than another line's). */
const lineReasons = signal<RankedReason[] | null | undefined>(undefined);
/** Active scrap reasons, the line's most used first; never read on this device, every scrap
 * reason in code order (the model loads them). */
export const rankedReasons = computed<RankedReason[]>(() => {
  const ranked = lineReasons.value;
  if (ranked === undefined) return [];
  return ranked ?? reasons.value.map((r) => ({ code: r.code, name: r.name, uses: 0 }));
});
/** The open operation's report history, newest first. */
export const history = signal<ReportRow[]>([]);
/** The operator changed the good quantity by hand: it no longer follows the prefill. */
export const goodTouched = signal(false);
/** Just after Send: Send waits, so a double tap sends one report. */
export const coolingDown = signal(false);

export type SentState = "waiting" | "accepted" | "refused" | "undoing" | "undone" | "undoRefused";

/** The last report sent from this form, for its confirmation and undo. */
export interface Sent {
  commandId: string;
  opId: number;
  good: number;
  scrap: number;
  reason: string;
  /** The operation's version the report was made against. */
  version: number | undefined;
  state: SentState;
  reportId: number | null;
  reportedAt: string | null;
  detail: string;
}
export const lastSent = signal<Sent | null>(null);

// A shared handheld: the next person to sign in does not see the last one's confirmation
// (nor its undo).
let signedIn = user.peek()?.id ?? null;
effect(() => {
  const id = user.value?.id ?? null;
  if (id !== signedIn) {
    signedIn = id;
    lastSent.value = null;
  }
});
/** A confirmation the form shows: any state but refused (the operation's refusal card tells
 * that, once, with the server's sentence). */
export type Told = Sent & { state: Exclude<SentState, "refused"> };

/** The confirmation of the last report sent on operation `opId`, unless the server refused it. */
export function toldOf(sent: Sent | null, opId: number): Told | null {
  return sent && sent.opId === opId && sent.state !== "refused" ? (sent as Told) : null;
}

/** Undos waiting for the server: the undo's command id to its report's command id. */
const undos = new Map<string, string>();

let openId: number | null = null;

export const undoSeconds = computed(() => clientConfig.value?.report_undo_seconds ?? DEFAULT_UNDO_SECONDS);
export const reader = computed(() => ({ username: user.value?.username ?? null, supervisor: roles.value.has("supervisor") }));

/** The report just accepted on the open operation, counted until the operation is read again. */
const accepted = computed(() => {
  const op = operation.value;
  const sent = lastSent.value;
  return op && sent && sent.opId === op.id && sent.state === "accepted" ? sent : null;
});

/** The open operation's figures on this handheld: the server's, with the reports waiting in
 * the outbox and the one just accepted. The form, its steppers, the confirmation, the
 * completion question and the panel all read these. */
export const figures = computed<Totals>(() => {
  const op = operation.value;
  if (!op) return { good: 0, scrap: 0, available: 0, waiting: 0 };
  const sent = accepted.value;
  return totalsAfter(op, waitingReports(outboxCommands.value, recordKeyOf(op), sent?.commandId ?? null), sent);
});

/** What may still be reported at the open operation. */
export const available = computed(() => figures.value.available);

/** The good quantity offered: one container, or the rest of the available beside the scrap. */
export const prefill = computed(() => {
  const op = operation.value;
  if (!op) return 0;
  const container = op.container_quantity === null || op.container_quantity === undefined ? null : prod.num(op.container_quantity);
  return prefillGood(available.value, container, scrap.value);
});

// Until the operator types a good quantity of their own, it follows the prefill: after Send,
// after scrap is entered, when the operation's figures change.
effect(() => {
  if (!goodTouched.value) good.value = prefill.value;
});

/** Good may take what the scrap leaves. */
export const goodMax = computed(() => Math.max(0, available.value - scrap.value));
/** Scrap may take what good leaves, or all of it while good still follows the prefill. */
export const scrapMax = computed(() => Math.max(0, available.value - (goodTouched.value ? good.value : 0)));

export const canSend = computed(() =>
  !coolingDown.value && good.value + scrap.value + rework.value > 0 && good.value + scrap.value <= available.value &&
  (scrap.value === 0 || scrapReason.value !== ""));

/** Report ids whose void waits in the outbox. */
export const voidsWaiting = computed(() => {
  const op = operation.value;
  if (!op) return new Set<number>();
  return new Set(outboxCommands.value
    .filter((c) => c.recordKey === recordKeyOf(op) && c.state !== "rejected")
    .map((c) => /^\/api\/v1\/reports\/(\d+)\/void$/.exec(c.path)?.[1])
    .filter((id): id is string => id !== undefined).map(Number));
});

export function setGood(value: number): void {
  goodTouched.value = true;
  good.value = value;
}

export function setScrap(value: number): void {
  scrap.value = value;
  if (value === 0) scrapReason.value = "";
}

export function pickReason(code: string): void {
  scrapReason.value = code;
}

/** Screens holding the operation's reporting open (the form, and the history, which a done
 * operation shows without the form). */
let holders = 0;

/** Open the form (or the history) on an operation: its line's scrap reasons and its history. */
export async function openReporting(id: number, line: string | null | undefined): Promise<void> {
  holders += 1;
  if (openId !== id) {
    scrap.value = 0;
    scrapReason.value = "";
    rework.value = 0;
    goodTouched.value = false;
    history.value = [];
    lineReasons.value = undefined;
    if (lastSent.value?.opId !== id) lastSent.value = null;
  }
  openId = id;
  void reloadHistory(id);
  try {
    const { value } = await fetchOrSaved(`reasons:scrap:${line ?? "*"}`, () => prod.rankedScrapReasons(line));
    if (openId === id) lineReasons.value = value;
  } catch {
    // Never read on this device: every scrap reason, in code order (rankedReasons).
    if (openId === id) lineReasons.value = null;
  }
}

export function closeReporting(): void {
  holders = Math.max(0, holders - 1);
  if (holders === 0) openId = null;
}

export async function reloadHistory(id: number): Promise<void> {
  try {
    const { value } = await fetchOrSaved(`reports:${id}`, () => prod.getReports(id));
    if (openId === id) history.value = newestFirst(value);
  } catch {
    // Offline and never read here: the history stays as it was.
  }
}

/** Send the report entered: it waits in the outbox when offline. The form is ready for the
 * next one at once (good prefilled again), and the confirmation says what went in. */
export async function sendReport(): Promise<void> {
  const op = operation.value;
  if (!op || !canSend.value) return;
  const entered = { good: good.value, scrap: scrap.value, reason: scrapReason.value };
  const body = {
    good: entered.good, scrap: entered.scrap,
    ...(entered.scrap ? { scrap_reason: entered.reason } : {}),
    ...(rework.value ? { rework: rework.value } : {}),
  };
  const label = t("production.reportCommand", { good: entered.good, scrap: entered.scrap, code: op.code });
  scrap.value = 0;
  scrapReason.value = "";
  rework.value = 0;
  goodTouched.value = false;
  coolingDown.value = true;
  setTimeout(() => (coolingDown.value = false), SEND_COOL_DOWN_MS);
  const cmd = await submitOnce(`report:${op.id}`, { path: `/api/v1/operations/${op.id}/reports`, body, recordKey: recordKeyOf(op), label });
  if (!cmd) return;
  lastSent.value = {
    ...entered, commandId: cmd.id, opId: op.id, version: op.version, state: "waiting",
    reportId: null, reportedAt: null, detail: "",
  };
  const early = settledAlready(cmd.id);
  if (early) settle(early.cmd, early.answer);
}

/** Undo (own, inside the window) or void (supervisor) a report: a void with a reason, sent
 * through the outbox after whatever the operation still has waiting. The confirmation of the
 * report says "undoing" at once; the server's answer is matched to it by command id, so a
 * newer report's confirmation meanwhile stays as it is. */
export async function voidReport(reportId: number, opCode: string, reason: string): Promise<void> {
  const sent = lastSent.value;
  const confirmed = sent && sent.reportId === reportId ? sent.commandId : null;
  if (sent && confirmed) lastSent.value = { ...sent, state: "undoing", detail: "" };
  const cmd = await submit({
    path: `/api/v1/reports/${reportId}/void`, body: { reason }, recordKey: `OP:${opCode}`,
    label: t("reporting.voidCommand", { id: reportId, code: opCode }),
  });
  if (confirmed) undos.set(cmd.id, confirmed);
  const early = settledAlready(cmd.id);
  if (early) settle(early.cmd, early.answer);
}

/** What the reader may do with a history row now. */
export function actionFor(row: ReportRow, now: number): "undo" | "void" | null {
  if (voidsWaiting.value.has(row.id)) return null;
  return voidAction(row, reader.value, undoSeconds.value, now);
}

function settle(cmd: OutboxCommand, answer?: unknown): void {
  const sent = lastSent.value;
  if (sent && cmd.id === sent.commandId) {
    const row = answer as ReportRow | undefined;
    lastSent.value = cmd.state === "rejected"
      ? { ...sent, state: "refused", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" }
      : { ...sent, state: "accepted", reportId: row?.id ?? null, reportedAt: row?.reported_at ?? null };
  } else if (undos.has(cmd.id)) {
    const of = undos.get(cmd.id);
    undos.delete(cmd.id);
    if (sent && sent.commandId === of) {
      lastSent.value = cmd.state === "rejected"
        ? { ...sent, state: "undoRefused", detail: cmd.rejection?.detail ?? cmd.lastError ?? "" }
        : { ...sent, state: "undone" };
    }
  }
  const op = operation.value;
  if (openId !== null && op && op.id === openId && cmd.recordKey === recordKeyOf(op)) void reloadHistory(openId);
}

onCommandSettled(settle);
