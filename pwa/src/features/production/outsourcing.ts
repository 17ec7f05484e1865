// Outsourcing a work order's operations, as rules without state: what may go to a supplier,
// how many parts, and whether a receipt back can be sent. Mirrors the server's checks
// (takt/production/outsourcing.py) so the planner is not offered what it would refuse.
import type { Operation, OutsourceOrder, Quantity } from "./api";
import { roundQuantity } from "../../ui/NumPad/quantity";

const num = (q: Quantity | null | undefined): number => Number(q ?? 0);

/** Operation statuses that can go to a supplier: work nobody has started here. */
const SENDABLE = new Set(["pending", "ready"]);

type Op = Pick<Operation, "seq" | "status" | "good" | "scrap"> & { available_total?: Quantity };

const untouched = (op: Op) => SENDABLE.has(op.status) && num(op.good) + num(op.scrap) === 0;

/** Whether an open outsource order already covers operation `seq`. */
export function openOrderAt(orders: OutsourceOrder[], seq: number): OutsourceOrder | null {
  return orders.find((o) => o.status === "open" && o.first_seq <= seq && seq <= o.last_seq) ?? null;
}

/** What a send covers: one operation (by seq) or, with null, every one not started yet. */
export function chosenOperations<T extends Op>(ops: T[], seq: number | null): T[] {
  return seq === null ? ops.filter(untouched) : ops.filter((op) => op.seq === seq);
}

/** Operations the planner may send one by one: not started here, not at a supplier already. */
export function sendableOperations<T extends Op>(ops: T[], orders: OutsourceOrder[]): T[] {
  return ops.filter((op) => untouched(op) && !openOrderAt(orders, op.seq));
}

/** Whether sending the whole order (every operation not started) is possible at all. */
export function canSendWhole(ops: Op[], orders: OutsourceOrder[]): boolean {
  const chosen = chosenOperations(ops, null);
  return chosen.length > 0 && !chosen.some((op) => openOrderAt(orders, op.seq));
}

/** The most parts that can go: what may pass through the first operation sent (the order's
 * quantity for its first step, what reached it for a later one). */
export function sendLimit(ops: Op[], seq: number | null, orderQuantity: Quantity): number {
  const first = chosenOperations(ops, seq)[0];
  if (!first) return 0;
  const starting = first === ops[0] ? num(orderQuantity) : num(first.available_total);
  return roundQuantity(Math.max(0, starting - num(first.good) - num(first.scrap)));
}

export type ReceiptProblem = "empty" | "tooMany" | "reasonNeeded" | null;

/** Why a receipt could not be sent as entered, or null when it can. */
export function receiptProblem(order: OutsourceOrder, good: number, scrap: number, reason: string): ReceiptProblem {
  if (good + scrap <= 0) return "empty";
  if (roundQuantity(good + scrap) > num(order.outstanding)) return "tooMany";
  if (scrap > 0 && !reason) return "reasonNeeded";
  return null;
}

/** Parts back from the supplier that wait for incoming inspection: what the order's last
 * outsourced operation holds (received good is held there until released). */
export function awaitingInspection(order: OutsourceOrder, ops: (Op & { held?: Quantity })[]): number {
  if (num(order.received) <= 0) return 0;
  return num(ops.find((op) => op.seq === order.last_seq)?.held);
}
