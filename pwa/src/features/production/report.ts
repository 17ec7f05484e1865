// The report form's rules, pure so they are tested on their own: what the good quantity is
// prefilled with, which scrap reasons get a button, what an operator may undo, and the totals
// a confirmation shows. State and commands are in reporting.ts.
import type { OutboxCommand } from "../../shared/outbox-types";
import { roundQuantity } from "../../ui/NumPad/quantity";

/** How many of the line's most used scrap reasons get a button; the rest are behind "Other". */
export const REASON_BUTTONS = 3;

/** What operators report most, as the good quantity offered: one container of the item where
 * its master data sets one, else the rest of what is available; never more than what is left
 * beside the scrap being entered. */
export function prefillGood(available: number, containerQuantity: number | null | undefined, scrap: number): number {
  const rest = Math.max(0, roundQuantity(available - scrap));
  if (containerQuantity && containerQuantity > 0) return Math.min(containerQuantity, rest);
  return rest;
}

export interface RankedReason {
  code: string;
  name: string;
  /** The line's reports with this reason lately (0: unused or not known). */
  uses: number;
}

/** The reasons that get a button (the line's most used, in the server's order) and the rest,
 * by name, behind "Other". A reason picked from the rest keeps its own button while picked,
 * so the form shows what it will send. */
export function splitReasons(ranked: RankedReason[], picked: string, buttons = REASON_BUTTONS): { top: RankedReason[]; other: RankedReason[] } {
  const top = ranked.slice(0, buttons);
  const other = ranked.slice(buttons).sort((a, b) => a.name.localeCompare(b.name));
  const pickedOther = other.find((r) => r.code === picked);
  return { top: pickedOther ? [...top, pickedOther] : top, other };
}

/** A row of an operation's report history, as the server answers it. */
export interface ReportRow {
  id: number;
  kind: "report" | "void" | "release_hold" | string;
  good: number | string;
  scrap: number | string;
  rework: number | string;
  held: number | string;
  scrap_reason: string | null;
  voids: number | null;
  voided_by: number | null;
  note: string;
  username: string;
  reported_at: string;
}

export interface Reader {
  username: string | null;
  supervisor: boolean;
}

/** What the reader may do with a history row: undo their own report inside the window, void
 * any report as a supervisor, or nothing. The server decides in the end (403 / 409). */
export function voidAction(row: ReportRow, reader: Reader, undoSeconds: number, now: number): "undo" | "void" | null {
  if (row.kind !== "report" || row.voided_by !== null) return null;
  const own = reader.username !== null && row.username === reader.username;
  if (own && undoSeconds > 0 && now < undoDeadline(row, undoSeconds)) return "undo";
  return reader.supervisor ? "void" : null;
}

/** Epoch ms until which the operator may undo the report. */
export function undoDeadline(row: Pick<ReportRow, "reported_at">, undoSeconds: number): number {
  return Date.parse(row.reported_at) + undoSeconds * 1000;
}

/** The history as the handheld lists it: newest first, at most `limit` rows. */
export function newestFirst(rows: ReportRow[], limit = 20): ReportRow[] {
  return [...rows].sort((a, b) => b.id - a.id).slice(0, limit);
}

export interface Reported {
  good: number;
  scrap: number;
}

/** An operation's reports still waiting in the outbox, summed. A refused report did nothing:
 * it drops out at once, though it waits in the outbox until the operator has read the
 * server's sentence. `accepted` is the report just accepted, which the outbox may still list
 * until it is read again (the figures count it once, as accepted). */
export function waitingReports(commands: OutboxCommand[], recordKey: string, accepted: string | null = null): Reported {
  return commands
    .filter((c) => c.recordKey === recordKey && c.path.endsWith("/reports") && c.state !== "rejected" && c.id !== accepted)
    .reduce((sum, c) => {
      const body = c.body as { good?: number | string; scrap?: number | string };
      return { good: roundQuantity(sum.good + Number(body.good ?? 0)), scrap: roundQuantity(sum.scrap + Number(body.scrap ?? 0)) };
    }, { good: 0, scrap: 0 });
}

/** The operation's figures on this handheld: one set that the form (its prefill, Send and
 * steppers), the confirmation, the completion question and the panel all show. */
export interface Totals {
  good: number;
  scrap: number;
  available: number;
  /** Good + scrap of the reports waiting in the outbox (already in `good`, `scrap` and
   * `available`). */
  waiting: number;
}

/** The operation's figures now: the server's, plus the reports still in the outbox, plus the
 * report just accepted when the operation has not been read again since (its version is the
 * one the report was made against). */
export function totalsAfter(
  op: { good: number | string; scrap: number | string; available: number | string; version?: number },
  waiting: Reported,
  accepted: { good: number; scrap: number; version: number | undefined } | null,
): Totals {
  const stale = accepted !== null && accepted.version !== undefined && op.version === accepted.version;
  const good = Number(op.good) + waiting.good + (stale ? accepted.good : 0);
  const scrap = Number(op.scrap) + waiting.scrap + (stale ? accepted.scrap : 0);
  const available = Number(op.available) - waiting.good - waiting.scrap - (stale ? accepted.good + accepted.scrap : 0);
  return {
    good: roundQuantity(good), scrap: roundQuantity(scrap), available: Math.max(0, roundQuantity(available)),
    waiting: roundQuantity(waiting.good + waiting.scrap),
  };
}
