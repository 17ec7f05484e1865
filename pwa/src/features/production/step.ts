// The step around a report, as rules without state: how far short a completion is, where the
// operation is planned against where this handheld works, which commands of the operation the
// server refused, and what scan-to-consume material a report would leave missing. The state
// and commands are in step-model.ts.
import type { OutboxCommand } from "../../shared/outbox-types";
import { roundQuantity } from "../../ui/NumPad/quantity";
import type { Operation } from "./api";
import type { ComponentRow, PendingConsume } from "./materials";
import type { Totals } from "./report";

/** What completing leaves unreported: `reported` of `total` (good + scrap) with `remaining`
 * still available. */
export interface Completion {
  reported: number;
  remaining: number;
  total: number;
}

/** From the operation's figures on this handheld (report.ts totalsAfter: the outbox's waiting
 * reports and the one just accepted included), the same the report form shows. */
export function completion(figures: Pick<Totals, "good" | "scrap" | "available">): Completion {
  const reported = roundQuantity(figures.good + figures.scrap);
  const remaining = roundQuantity(Math.max(0, figures.available));
  return { reported, remaining, total: roundQuantity(reported + remaining) };
}

/** Whether Start is offered to the signed-in person: on a ready or pending operation, and on
 * a running one only to someone not working on it already (`operators` holds user names; a
 * report starts the reporter's labour, so after one the reporter has nothing to start). */
export function mayStart(op: Pick<Operation, "status" | "operators">, username: string | null | undefined): boolean {
  if (op.status === "ready" || op.status === "pending") return true;
  return op.status === "running" && !!username && !op.operators.includes(username);
}

/** Where the operation is planned: the scheduler's workstation, else the route's; null when
 * it names only a workstation type (then `type` is that type). */
export function plannedAt(op: Pick<Operation, "scheduled_workstation" | "workstation" | "workstation_type">): { workstation: string | null; type: string | null } {
  const workstation = op.scheduled_workstation ?? op.workstation ?? null;
  return { workstation, type: workstation ? null : op.workstation_type ?? null };
}

/** The workstation the operation is planned for when that is not this handheld's; null when
 * it is, when either is not known, or when the operation is done (nothing to do there). */
export function plannedElsewhere(op: Pick<Operation, "scheduled_workstation" | "workstation" | "workstation_type" | "status">, mine: string | null): string | null {
  const planned = plannedAt(op).workstation;
  if (!planned || !mine || op.status === "done") return null;
  return planned.toUpperCase() === mine.toUpperCase() ? null : planned;
}

/** The operation's commands the server refused: they wait for the operator, and hold back
 * the operation's later commands, until dismissed. */
export function refusedOf(commands: OutboxCommand[], recordKey: string): OutboxCommand[] {
  return commands.filter((c) => c.recordKey === recordKey && c.state === "rejected");
}

/** A link the handheld may open: `url` resolved against `base` when it is http: or https:,
 * else null (empty, not a URL, or javascript:, data:, file: and the like). */
export function safeLink(url: string | null | undefined, base: string): string | null {
  if (!url) return null;
  try {
    const link = new URL(url, base);
    return link.protocol === "http:" || link.protocol === "https:" ? link.href : null;
  } catch {
    return null;
  }
}

export interface MissingMaterial {
  item_code: string;
  unit: string;
  /** Consumed against the order, consumptions waiting in the outbox included. */
  consumed: number;
  /** What the units reported at the operation need, the report at hand included. */
  needed: number;
}

/**
 * Scan-to-consume components whose consumption covers less than the units reported need:
 * `consumed < per unit x units`, where `units` is the operation's good + scrap with the
 * waiting reports and the report at hand (the server's rule, takt.production.station).
 * Consumptions still in the outbox count for the component when the step has only one
 * (an outbox command names the lot, not its item); a waiting scan without a quantity takes
 * one unit's worth, as the server does.
 */
export function missingMaterial(rows: ComponentRow[], units: number, waiting: PendingConsume[]): MissingMaterial[] {
  if (units <= 0) return [];
  return rows.flatMap((row) => {
    const inOutbox = rows.length === 1 ? waiting.reduce((sum, w) => sum + (w.quantity ?? row.perUnit), 0) : 0;
    const consumed = roundQuantity(row.consumed + inOutbox);
    const needed = roundQuantity(row.perUnit * units);
    return consumed < needed ? [{ item_code: row.item_code, unit: row.unit, consumed, needed }] : [];
  });
}

/** What the report about to be sent would leave missing: nothing unless a report may be sent
 * (the operation is open with something still available) and one is entered (`entering`
 * good + scrap); then the units reported so far plus the report's. */
export function materialForReport(rows: ComponentRow[], state: { open: boolean; reported: number; entering: number }, waiting: PendingConsume[]): MissingMaterial[] {
  if (!state.open || state.entering <= 0) return [];
  return missingMaterial(rows, state.reported + state.entering, waiting);
}
