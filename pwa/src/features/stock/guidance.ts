// Pick guidance, as pure functions: which line of a pick list comes next, which lot to take
// from where, and what a scanned location or lot means for the step the picker is at. The
// picking model feeds it the pick list, the moves still waiting in the outbox and the lot a
// scan named; everything here is testable without a browser.
import { num, type PickLine, type PickList, type Suggestion } from "./api";
import { roundQuantity } from "../../ui/NumPad/quantity";

/** An issue of this work order still in the outbox (sent or not, not yet in the pick list). */
export interface PendingMove {
  item_code: string;
  lot_code: string | null;
  from_location_code: string;
  quantity: number;
}

/** What the picker has scanned for the line at hand. */
export interface Step {
  item: string | null;
  location: string | null;
  lot: string | null;
}

export const EMPTY_STEP: Step = { item: null, location: null, lot: null };

/** A message for the picker: an i18n key under "stock." and its parameters. */
export interface Note {
  key: string;
  params?: Record<string, string | number>;
}

/** A lot as the server describes it, for lots that the pick list did not suggest. */
export interface LotFacts {
  code: string;
  item_code: string;
  quality_status: string;
  stock: { location_code: string; quantity: string | number }[];
}

// Decimal quantities arrive as strings ("12.5"); sums of them stay exact to six places.

export interface GuidedLine extends PickLine {
  /** Whether the item moves by lot (a lot is scanned) or not (location and quantity only). */
  byLot: boolean;
  /** What is still to pick once the moves waiting in the outbox are counted. */
  remaining: number;
  /** The suggestions, less what waiting moves already took from them; empty ones dropped. */
  open: Suggestion[];
}

function pendingOf(moves: PendingMove[], item: string): PendingMove[] {
  return moves.filter((m) => m.item_code === item);
}

/** Whether a line's item moves by lot: yes when what the server suggests of it carries a lot
 * (made items get lots from their work orders even when not kept by lot in master data, and
 * their stock moves by that lot); no when the device knows it is kept without lots, or when
 * what the server suggests of it carries no lot. */
function movesByLot(line: PickLine, lotless: ReadonlySet<string>): boolean {
  if (line.suggested.some((s) => s.lot_code)) return true;
  if (lotless.has(line.item_code)) return false;
  return !line.suggested.length;
}

/** How a suggestion is known when the picker found less there than it said (see shortPick). */
export const suggestionKey = (item: string, lot: string | null, location: string): string =>
  `${item}|${lot ?? ""}|${location}`;

/** The lines in walking order: open lines by the location of their first suggestion (the
 * picker goes rack by rack), lines with nothing in stock to suggest after them, done lines
 * last. Within each group the pick list's own order holds. `lotless`: items known to be kept
 * without lots; `skipped`: suggestions (suggestionKey) the picker found short, not offered
 * again. */
export function guideLines(list: PickList, pending: PendingMove[], lotless: ReadonlySet<string> = new Set(),
  skipped: ReadonlySet<string> = new Set()): GuidedLine[] {
  const guided = list.lines.map((line, index) => {
    const mine = pendingOf(pending, line.item_code);
    const remaining = Math.max(0, roundQuantity(num(line.to_pick) - mine.reduce((s, m) => s + m.quantity, 0)));
    const open = line.suggested
      .map((s) => {
        const taken = mine
          .filter((m) => m.lot_code === s.lot_code && m.from_location_code === s.location_code)
          .reduce((sum, m) => sum + m.quantity, 0);
        return { ...s, quantity: roundQuantity(num(s.quantity) - taken) };
      })
      .filter((s) => s.quantity > 0 && !skipped.has(suggestionKey(line.item_code, s.lot_code, s.location_code)));
    return { line: { ...line, byLot: movesByLot(line, lotless), remaining, open }, index };
  });
  const group = (l: GuidedLine) => (l.remaining <= 0 ? 2 : l.open.length ? 0 : 1);
  return guided
    .sort((a, b) => group(a.line) - group(b.line) ||
      (group(a.line) === 0 ? a.line.open[0]!.location_code.localeCompare(b.line.open[0]!.location_code) : 0) ||
      a.index - b.index)
    .map((g) => g.line);
}

/** The line to work on: the one the picker tapped while it is open; else the one being
 * worked on (`working`) while it has something to suggest; else the first open line with
 * something to suggest. A line short of stock (nothing left to suggest) is passed by: the
 * picker moves on by themself, and null means all that can be picked is picked. */
export function currentLine(lines: GuidedLine[], chosen: string | null, working: string | null = null): GuidedLine | null {
  const open = (l: GuidedLine) => l.remaining > 0;
  return (chosen ? lines.find((l) => l.item_code === chosen && open(l)) : undefined)
    ?? (working ? lines.find((l) => l.item_code === working && open(l) && l.open.length > 0) : undefined)
    ?? lines.find((l) => open(l) && l.open.length > 0) ?? null;
}

/** Lines still open once nothing more can be suggested: short of released stock. */
export const shortLines = (lines: GuidedLine[]): GuidedLine[] => lines.filter((l) => l.remaining > 0);

/** Where to go and which lot to take next on a line: the first open suggestion (FEFO/FIFO as
 * the server ordered them), or null when nothing in stock can be suggested. */
export function nextSuggestion(line: GuidedLine): Suggestion | null {
  return line.open[0] ?? null;
}

export const isDone = (lines: GuidedLine[]): boolean => lines.length > 0 && lines.every((l) => l.remaining <= 0);

/** How much to offer for a lot at a location: what is still to pick, but no more than what
 * the lot has there when that is known. */
function offer(remaining: number, available: number | null): number {
  return available === null ? remaining : roundQuantity(Math.max(0, Math.min(remaining, available)));
}

export type LocationOutcome = { step: Step; note: Note | null; quantity: number | null };

/** The picker comes to a line standing at `here` (the last location scanned): when the line's
 * next suggestion is there, the location counts as scanned (one scan serves consecutive lines
 * at one location) and the line waits for its lot, or for its quantity when it is kept
 * without lots; else the line waits for its location. */
export function arrive(line: GuidedLine, here: string | null): { step: Step; quantity: number | null } {
  const next = nextSuggestion(line);
  if (here && next && next.location_code === here) {
    const at = scanLocation(line, here);
    return { step: at.step, quantity: at.quantity };
  }
  return { step: { item: line.item_code, location: null, lot: null }, quantity: null };
}

/** A pick of `quantity` from lot/location on a line: when it is less than what was offered
 * there, the picker found less than the list said, and the suggestion is not offered again
 * (the key to skip); null when the pick took what was offered. */
export function shortPick(line: GuidedLine, lot: string | null, location: string, quantity: number): string | null {
  const here = line.open.find((s) => s.lot_code === lot && s.location_code === location);
  if (!here) return null;
  return quantity < offer(line.remaining, num(here.quantity)) ? suggestionKey(line.item_code, lot, location) : null;
}

/** A location label scanned: the place the next lot comes from. Any location is taken (the
 * server knows what is there); one the list did not suggest gets a note. For an item kept
 * without lots the location is all there is to scan: the quantity to offer comes with it. */
export function scanLocation(line: GuidedLine, location: string): LocationOutcome {
  const here = line.open.find((s) => s.location_code === location);
  return {
    step: { item: line.item_code, location, lot: null },
    note: here || !line.open.length ? null : { key: "notSuggestedLocation", params: { location } },
    quantity: line.byLot ? null : offer(line.remaining, here ? num(here.quantity) : null),
  };
}

/** Where the picker is on a line: find the location, scan the lot, confirm the quantity. */
export function stageOf(line: GuidedLine, step: Step): "location" | "lot" | "quantity" {
  const mine = step.item === line.item_code;
  if (!mine || !step.location) return "location";
  return step.lot || !line.byLot ? "quantity" : "lot";
}

export type LotOutcome =
  /** Take it: the line (item) it is for, the quantity to offer and a note when it is not
   * what was suggested. */
  | { kind: "take"; step: Step; quantity: number; note: Note | null }
  /** Not one of the suggestions: the lot's facts are needed to judge it. */
  | { kind: "lookup" }
  /** Not this: say why, and the step stays as it was. */
  | { kind: "refuse"; note: Note };

/**
 * A lot label scanned. After a location: a suggested lot (of any open line) is taken at once;
 * a lot the list did not suggest is judged on its facts: it must be a released lot of an item
 * the list still needs, and it is taken with a note. A lot of another line moves the picker to
 * that line. Before any location: a lot the list suggests at one location only is taken from
 * there (the lot label says enough); one suggested at several, or not at all, needs the
 * location scanned first.
 */
export function scanLot(lines: GuidedLine[], step: Step, lot: string, facts?: LotFacts | null): LotOutcome {
  const open = lines.filter((l) => l.remaining > 0);
  if (!open.length) return { kind: "refuse", note: { key: "allPicked" } };
  let where = step.location;
  if (!where) {
    const places = [...new Set(open.flatMap((l) => l.open.filter((s) => s.lot_code === lot).map((s) => s.location_code)))];
    if (places.length !== 1) {
      return { kind: "refuse", note: places.length
        ? { key: "lotAtSeveral", params: { lot, locations: places.join(", ") } }
        : { key: "scanLocationFirst", params: { lot } } };
    }
    where = places[0]!;
  }
  const location: string = where;
  // The line at hand first, so a lot suggested on two lines counts for this one.
  const ordered = [...open].sort((a, b) => Number(b.item_code === step.item) - Number(a.item_code === step.item));
  for (const line of ordered) {
    const here = line.open.find((s) => s.lot_code === lot && s.location_code === location);
    const elsewhere = line.open.find((s) => s.lot_code === lot);
    if (here || elsewhere) {
      return {
        kind: "take",
        step: { item: line.item_code, location, lot },
        quantity: offer(line.remaining, here ? num(here.quantity) : null),
        note: here ? null : { key: "suggestedElsewhere", params: { lot, location: elsewhere!.location_code } },
      };
    }
  }
  if (facts === undefined) return { kind: "lookup" };
  if (facts === null) return { kind: "refuse", note: { key: "lotUnknownOffline", params: { lot } } };
  const line = open.find((l) => l.item_code === facts.item_code);
  if (!line) {
    const item = facts.item_code;
    return { kind: "refuse", note: { key: lines.some((l) => l.item_code === item) ? "itemAllPicked" : "lotNotOnList", params: { lot, item } } };
  }
  if (facts.quality_status !== "released") {
    return { kind: "refuse", note: { key: `lot_${facts.quality_status}`, params: { lot } } };
  }
  const there = facts.stock.filter((s) => s.location_code === location).reduce((sum, s) => sum + num(s.quantity), 0);
  if (there <= 0) return { kind: "refuse", note: { key: "lotNotHere", params: { lot, location } } };
  return {
    kind: "take",
    step: { item: line.item_code, location, lot },
    quantity: offer(line.remaining, there),
    note: { key: "notSuggestedLot", params: { lot } },
  };
}
