// The rules of a count on the handheld, without signals or network: which lines there are (the
// server's, overlaid with what waits in the outbox and lots found by scanning), what a lot scan
// means, whether the count can be submitted, and how a line's variance reads.
import type { Count, CountLine } from "./api";
import { roundQuantity } from "../../ui/NumPad/quantity";

/** What a "record a line" command carries (the outbox body). */
export interface RecordBody {
  item_code: string;
  lot_code?: string | null;
  quantity: number | string;
}

/** A lot scanned here that the ledger did not expect, not yet saved. */
export interface FoundLot {
  item_code: string;
  item_name: string;
  lot_code: string;
  unit: string;
}

export interface CountLineView {
  key: string;
  item_code: string;
  item_name: string;
  lot_code: string | null;
  unit: string;
  /** Stock the ledger did not expect here (recorded, or scanned and not saved yet). */
  found: boolean;
  /** What the ledger held when the count was made; null when hidden (blind) or found. */
  expected: number | null;
  /** The latest figure: the one waiting in the outbox, else the server's; null if not counted. */
  counted: number | null;
  /** The figure shown still waits in the outbox. */
  waiting: boolean;
  /** The ledger when counting closed, and counted − book (set on submit). */
  book: number | null;
  variance: number | null;
}

export const lineKey = (item: string, lot: string | null | undefined): string => `${item}|${lot ?? ""}`;

const figure = (q: string | number | null | undefined): number | null =>
  q === null || q === undefined || q === "" ? null : Number(q);

/** Rounded to the six decimals the ledger keeps, so 9.7 − 10 reads −0.3, not −0.3000000000000007. */

function fromServer(line: CountLine): CountLineView {
  return {
    key: lineKey(line.item_code, line.lot_code), item_code: line.item_code, item_name: line.item_name,
    lot_code: line.lot_code, unit: line.unit, found: line.found, expected: figure(line.expected),
    counted: figure(line.counted), waiting: false, book: figure(line.book), variance: figure(line.variance),
  };
}

/**
 * The lines to show: the server's in its order, each with the newest figure waiting in the outbox
 * for it (a recount replaces the earlier figure, as on the server); then lots recorded here that
 * the server has not answered yet; then lots found by scanning and not saved.
 */
export function countLines(count: Pick<Count, "lines">, pending: RecordBody[], found: FoundLot[]): CountLineView[] {
  const lines = count.lines.map(fromServer);
  const byKey = new Map(lines.map((l) => [l.key, l]));
  for (const body of pending) {
    const key = lineKey(body.item_code, body.lot_code);
    let line = byKey.get(key);
    if (!line) {
      const lot = found.find((f) => lineKey(f.item_code, f.lot_code) === key);
      line = {
        key, item_code: body.item_code, item_name: lot?.item_name ?? "", lot_code: body.lot_code ?? null,
        unit: lot?.unit ?? "", found: true, expected: null, counted: null, waiting: true, book: null, variance: null,
      };
      lines.push(line);
      byKey.set(key, line);
    }
    line.counted = Number(body.quantity);
    line.waiting = true;
  }
  for (const lot of found) {
    const key = lineKey(lot.item_code, lot.lot_code);
    if (byKey.has(key)) continue;
    const line: CountLineView = {
      key, item_code: lot.item_code, item_name: lot.item_name, lot_code: lot.lot_code, unit: lot.unit,
      found: true, expected: null, counted: null, waiting: false, book: null, variance: null,
    };
    lines.push(line);
    byKey.set(key, line);
  }
  return lines;
}

export const notCounted = (lines: CountLineView[]): CountLineView[] => lines.filter((l) => l.counted === null);

/** Why the count cannot be submitted yet (an i18n key under count. and its parameters), or null. */
export function submitBlock(lines: CountLineView[]): { key: string; params?: Record<string, string | number> } | null {
  if (!lines.length) return { key: "nothingCounted" };
  const missing = notCounted(lines);
  if (missing.length) return { key: "stillToCount", params: { count: missing.length } };
  return null;
}

export type LotScan = { kind: "line"; key: string } | { kind: "lookup" };

/** A scanned lot code: the line that counts it, or a lot to look up (stock found here). */
export function readLotScan(lines: CountLineView[], lot: string): LotScan {
  const code = lot.toUpperCase();
  const line = lines.find((l) => l.lot_code?.toUpperCase() === code);
  return line ? { kind: "line", key: line.key } : { kind: "lookup" };
}

/** Where the quantity starts when a line is chosen: its figure so far, else what the ledger
 * expects (when the counter may see it; never below zero), else zero. */
export function startQuantity(line: CountLineView): number {
  if (line.counted !== null) return line.counted;
  return line.expected !== null ? Math.max(0, line.expected) : 0;
}

/** counted − book once submitted; before that, counted − expected when both are known. */
export function varianceOf(line: CountLineView): number | null {
  if (line.variance !== null) return line.variance;
  if (line.counted === null) return null;
  if (line.found) return line.counted;
  return line.expected === null ? null : roundQuantity(line.counted - line.expected);
}

export type Tone = "short" | "over" | "match";

export function toneOf(variance: number | null): Tone | null {
  if (variance === null) return null;
  return variance < 0 ? "short" : variance > 0 ? "over" : "match";
}

/** A variance with its sign, as people write it: +2, −1.5, 0. */
export function signed(variance: number): string {
  const n = roundQuantity(variance);
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : "0";
}

/** How many lines came out short, over, or as the ledger said. */
export function varianceSummary(lines: CountLineView[]): Record<Tone, number> {
  const out: Record<Tone, number> = { short: 0, over: 0, match: 0 };
  for (const line of lines) {
    const tone = toneOf(varianceOf(line));
    if (tone) out[tone] += 1;
  }
  return out;
}

/** A line-side balance below zero: used at the line before its issue was booked. */
export const isNegative = (quantity: string | number): boolean => roundQuantity(Number(quantity)) < 0;
