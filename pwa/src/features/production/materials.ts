// Scan to consume at the workstation, as rules without state: which scan consumes a lot,
// what one scan takes by default, and what the components show while consumptions wait in
// the outbox. The panel's state and commands are in station.ts.
import type { ParsedScan } from "../../scan/parse";
import type { OutboxCommand } from "../../shared/outbox-types";
import type { Quantity, StationComponent } from "./api";
import { roundQuantity } from "../../ui/NumPad/quantity";

const num = (q: Quantity | null | undefined): number => Number(q ?? 0);

export const consumePath = (opId: number) => `/api/v1/operations/${opId}/consume`;

export interface ConsumeBody {
  lot_code: string;
  quantity?: number;
}

/** A consumption this device sent (or is sending) that the server has not answered yet. */
export interface PendingConsume {
  id: string;
  lot_code: string;
  quantity: number | null;
}

export interface ComponentRow {
  item_code: string;
  item_name: string;
  unit: string;
  required: number;
  consumed: number;
  perUnit: number;
  /** Still to consume for the whole order (never below zero). */
  remaining: number;
}

/** Consumptions of this operation waiting in the outbox; refused ones consumed nothing. */
export function pendingConsumes(commands: OutboxCommand[], opId: number): PendingConsume[] {
  const path = consumePath(opId);
  return commands
    .filter((c) => c.path === path && c.state !== "rejected")
    .map((c) => {
      const body = (c.body ?? {}) as Partial<ConsumeBody>;
      return { id: c.id, lot_code: body.lot_code ?? "", quantity: body.quantity ?? null };
    });
}

/** The operation's scan-to-consume components: required for the order, consumed so far. */
export function componentRows(components: StationComponent[]): ComponentRow[] {
  return components.map((c) => {
    const required = num(c.required);
    const consumed = num(c.consumed);
    return {
      item_code: c.item_code, item_name: c.item_name, unit: c.unit, required, consumed,
      perUnit: num(c.per_unit), remaining: roundQuantity(Math.max(0, required - consumed)),
    };
  });
}

/** The component a lot of `lotItem` is consumed as: that item's line, or the only line when
 * the lot's item is not known here (offline, no saved copy). Null: none fits; the server
 * will say why. */
export function componentFor(rows: ComponentRow[], lotItem: string | null): ComponentRow | null {
  if (lotItem !== null) return rows.find((r) => r.item_code === lotItem) ?? null;
  return rows.length === 1 ? rows[0]! : null;
}

/**
 * What one scan consumes unless the operator changes it: what the report at hand needs (the
 * good + scrap being entered, at least one unit's worth), never more than the order still
 * needs of it while it needs any.
 */
export function defaultConsumeQuantity(row: ComponentRow, unitsInReport: number): number {
  const wanted = roundQuantity(row.perUnit * Math.max(1, unitsInReport));
  return row.remaining > 0 ? Math.min(wanted, row.remaining) : wanted;
}

/** The stepper's step: one unit's worth when that is a fraction (0.015 kg), else 1. */
export function consumeStep(row: ComponentRow | null): number {
  if (!row || row.perUnit <= 0 || Number.isInteger(row.perUnit)) return 1;
  return row.perUnit;
}

/** The lot a scan names for consuming, or null when the scan is not for consuming here. */
export function lotOfScan(parsed: ParsedScan): string | null {
  if (parsed.type === "label" && parsed.kind === "LOT") return parsed.code;
  // A lot code typed by hand on the scan bar.
  if (parsed.type === "code" && parsed.code.startsWith("LOT-")) return parsed.code;
  return null;
}
