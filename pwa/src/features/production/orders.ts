// The work order list's filters as the server reads them, and an order's figures as a person
// reads them: "26 of 25, 1 over (overrun allowed 5 %)" rather than a bare "0/26".
import { t } from "../../i18n";
import { floorTo, microText, quantityText, toMicro } from "../../ui/NumPad/quantity";
import type { WorkOrder } from "./api";

/** The planner's filters: a status group, a search text, a line, late orders only. */
export interface OrderFilters {
  status: string;
  q: string;
  line: string;
  late: boolean;
}

/** The statuses of "open": everything not completed, closed or cancelled. */
export const OPEN_STATUSES = "draft,released,in_progress,on_hold";
export const ORDER_PAGE = 200;

/** The list's query string: the server filters (code, item, customer order or lot; line; late). */
export function orderQuery(filters: OrderFilters): string {
  const params = new URLSearchParams();
  params.set("status", filters.status === "open" ? OPEN_STATUSES : filters.status);
  const q = filters.q.trim();
  if (q) params.set("q", q);
  if (filters.line) params.set("line", filters.line);
  if (filters.late) params.set("late", "true");
  params.set("limit", String(ORDER_PAGE));
  return params.toString();
}

/** The most an order may make: its quantity plus the allowed overrun, rounded down to what
 * the unit counts. A released order's first operation carries the server's figure (what it may
 * report in all); a draft has no operations yet, so it is worked out the server's way, in exact
 * millionths rather than floats. */
export function mayMake(wo: Pick<WorkOrder, "quantity" | "overrun_percent" | "operations">, decimals: number): string {
  const first = [...(wo.operations ?? [])].sort((a, b) => a.seq - b.seq)[0];
  if (first?.available_total !== undefined && first.available_total !== null) return quantityText(first.available_total);
  const hundredPercent = 100n * toMicro(1);
  const allowed = (toMicro(wo.quantity) * (hundredPercent + toMicro(wo.overrun_percent ?? 0))) / hundredPercent;
  return microText(floorTo(allowed, decimals));
}

/** How much was made over the quantity (0 when not over), without float dust (26.1 - 25). */
export function overBy(good: number, quantity: number): number {
  return good > quantity ? Number((good - quantity).toFixed(6)) : 0;
}

/** "26 of 25, 1 over (overrun allowed 5 %)": an order's or operation's good against the
 * order's quantity, the overrun named where there is one. */
export function madeOf(good: number, quantity: number, overrunPercent?: number | null): string {
  const over = overBy(good, quantity);
  if (!over) return t("production.madeOf", { good, quantity });
  return overrunPercent
    ? t("production.madeOver", { good, quantity, over, percent: overrunPercent })
    : t("production.madeOverPlain", { good, quantity, over });
}
