// Stock moves of a lot by scanning, as pure functions: which moves a person may start from a
// lot's page, where the stock can come from, what a scanned destination means, the quantity
// offered, and the request each move becomes. The moving model (moving.ts) holds the state;
// everything here is testable without a browser.
import { t } from "../../i18n";
import { num } from "./api";

/** A move started from a lot's page. The first four are POST /api/v1/stock/moves kinds; the
 * miscellaneous receipt and issue go to POST /api/v1/stock/misc, the returns to and from
 * outside to their own documents. */
export type MoveKind =
  | "return" | "transfer" | "scrap" | "finished_goods" | "misc_in" | "misc_out" | "supplier_return" | "customer_return";
export const MOVE_KINDS: readonly MoveKind[] = [
  "return", "finished_goods", "transfer", "scrap", "supplier_return", "customer_return", "misc_out", "misc_in",
];

export const MOVES_PATH = "/api/v1/stock/moves";
export const MISC_PATH = "/api/v1/stock/misc";
export const SHIPMENTS_PATH = "/api/v1/shipments";
export const SUPPLIER_RETURNS_PATH = "/api/v1/supplier-returns";
export const CUSTOMER_RETURNS_PATH = "/api/v1/customer-returns";
/** Every endpoint a move of this module posts to. */
export const MOVE_PATHS: readonly string[] = [MOVES_PATH, MISC_PATH, SUPPLIER_RETURNS_PATH, CUSTOMER_RETURNS_PATH];

/** Moves that bring stock in from outside the lot's locations: no from-location, no limit. */
export const arrives = (kind: MoveKind): boolean => kind === "misc_in" || kind === "customer_return";

// The guards of backend/takt/inventory/api.py, so the handheld offers what the server allows.
const MOVE = ["operator", "supervisor"];
const MISC = ["supervisor"];
const SHIP = ["operator", "supervisor"];
const may = (guard: string[], roles: ReadonlySet<string>) => guard.some((r) => roles.has(r));
export const mayMove = (roles: ReadonlySet<string>) => may(MOVE, roles);
export const mayMisc = (roles: ReadonlySet<string>) => may(MISC, roles);
export const mayShip = (roles: ReadonlySet<string>) => may(SHIP, roles);

/** A location as master data describes it (GET /api/v1/locations). */
export interface Place {
  code: string;
  kind: string;
  warehouse?: string;
  line?: string | null;
  active?: boolean;
}

/** What this module needs of a lot (GET /api/v1/lots/{code}). */
export interface LotFacts {
  code: string;
  item_code: string;
  origin: string;
  quality_status: string;
  work_order_code?: string | null;
  supplier_code?: string | null;
  stock: { location_code: string; quantity: string | number }[];
}

/** A location that holds some of the lot, and how much. */
export interface Source {
  location_code: string;
  quantity: number;
}

export const isLineSide = (code: string, places: readonly Place[]): boolean =>
  places.some((p) => p.code === code && p.kind === "line_side");

/** Where a move of the lot may take stock from: the locations holding a positive quantity of
 * it that the kind leaves from (a return and a finished-goods receipt leave a line-side
 * location; a miscellaneous receipt takes from nowhere). */
export function sourcesFor(kind: MoveKind, lot: LotFacts, places: readonly Place[]): Source[] {
  if (arrives(kind)) return [];
  if (kind === "return" || kind === "finished_goods") return held(lot).filter((s) => isLineSide(s.location_code, places));
  if (kind === "supplier_return") return storeSources(lot, places);
  return held(lot);
}

const held = (lot: LotFacts): Source[] =>
  lot.stock.map((s) => ({ location_code: s.location_code, quantity: num(s.quantity) })).filter((s) => s.quantity > 0);

/** The stores holding the lot: a shipment and a return to the supplier leave from a store,
 * never from a line (what is there is put away or returned to a store first). */
export const storeSources = (lot: LotFacts, places: readonly Place[]): Source[] =>
  held(lot).filter((s) => !isLineSide(s.location_code, places));

/** The moves to offer on a lot's page to someone with these roles. */
export function lotMoves(lot: LotFacts, places: readonly Place[], roles: ReadonlySet<string>): MoveKind[] {
  const offered: MoveKind[] = [];
  if (mayMove(roles)) {
    for (const kind of ["return", "finished_goods", "transfer", "scrap"] as const) {
      if (kind === "finished_goods" && lot.origin !== "production") continue;
      if (sourcesFor(kind, lot, places).length) offered.push(kind);
    }
  }
  if (mayShip(roles)) {
    if (lot.supplier_code && sourcesFor("supplier_return", lot, places).length) offered.push("supplier_return");
    // What a customer sends back was made here.
    if (lot.origin === "production") offered.push("customer_return");
  }
  if (mayMisc(roles)) {
    if (sourcesFor("misc_out", lot, places).length) offered.push("misc_out");
    offered.push("misc_in");
  }
  return offered;
}

/** Whether a shipment of this lot can be started: released, and held in a store. */
export function mayShipLot(lot: LotFacts, places: readonly Place[], roles: ReadonlySet<string>): boolean {
  return mayShip(roles) && lot.quality_status === "released" && storeSources(lot, places).length > 0;
}

/** Whether the kind goes to a location: required, optional (scrap may be written off), none. */
export function targetNeed(kind: MoveKind): "required" | "optional" | "none" {
  if (kind === "scrap") return "optional";
  if (kind === "misc_out" || kind === "supplier_return") return "none";
  return "required";
}

/** The location suggested for scrap: the first active scrap location. */
export function scrapSuggestion(places: readonly Place[]): string | null {
  return places.find((p) => p.kind === "scrap" && p.active !== false)?.code ?? null;
}

/** The reason code kinds each move takes (the server's rule), and whether one is required. */
export function reasonKinds(kind: MoveKind): { kinds: string[]; required: boolean } {
  if (kind === "scrap") return { kinds: ["scrap"], required: false };
  if (kind === "return") return { kinds: ["return"], required: false };
  if (kind === "misc_in" || kind === "misc_out") return { kinds: ["scrap", "hold", "return"], required: true };
  if (kind === "supplier_return") return { kinds: ["return", "hold", "scrap"], required: false };
  if (kind === "customer_return") return { kinds: ["return", "hold"], required: false };
  return { kinds: [], required: false };
}

/** A message for the person: an i18n key under "moves." and its parameters. */
export interface Note {
  key: string;
  params?: Record<string, string | number>;
}

/** What a scanned location means as the destination of the move: null when it will do, else
 * why not. Locations this device does not know are left to the server to judge. */
export function checkTarget(kind: MoveKind, from: string | null, code: string, places: readonly Place[]): Note | null {
  if (targetNeed(kind) === "none") return { key: "noDestination" };
  const place = places.find((p) => p.code === code);
  if (places.length && !place) return { key: "unknownLocation", params: { location: code } };
  if (from && code === from) return { key: "alreadyThere", params: { location: code } };
  if (!place) return null;
  if (place.active === false) return { key: "inactiveLocation", params: { location: code } };
  if ((kind === "return" || kind === "finished_goods" || arrives(kind)) && place.kind === "line_side") {
    return { key: "notToLine", params: { location: code } };
  }
  if (kind === "scrap" && place.kind !== "scrap") return { key: "notScrap", params: { location: code } };
  return null;
}

/** The move as the person fills it in. */
export interface MoveForm {
  kind: MoveKind;
  lot: string;
  item: string;
  from: string | null;
  to: string | null;
  quantity: number;
  /** Returns only: the quantity goes back as a new, blocked lot. */
  defective: boolean;
  reason: string;
  note: string;
}

/** A fresh form for a move of the lot: the from-location prefilled when only one holds it,
 * the quantity all that is there, the scrap location suggested for scrap. */
export function startForm(kind: MoveKind, lot: LotFacts, places: readonly Place[]): MoveForm {
  const sources = sourcesFor(kind, lot, places);
  const only = sources.length === 1 ? sources[0] : null;
  return {
    kind, lot: lot.code, item: lot.item_code, from: only?.location_code ?? null,
    to: kind === "scrap" ? scrapSuggestion(places) : null,
    quantity: arrives(kind) ? 0 : only?.quantity ?? 0,
    defective: false, reason: "", note: "",
  };
}

/** Choose where the stock comes from: the quantity becomes all that is there. */
export function chooseSource(form: MoveForm, source: Source): MoveForm {
  return { ...form, from: source.location_code, quantity: source.quantity };
}

/** The most the quantity can be: what the from-location holds (unbounded for a receipt). */
export function maxQuantity(form: MoveForm, lot: LotFacts, places: readonly Place[]): number {
  if (arrives(form.kind)) return 99_999_999;
  return sourcesFor(form.kind, lot, places).find((s) => s.location_code === form.from)?.quantity ?? 0;
}

export type MoveProblem = "from" | "to" | "quantity" | "reason";

/** What stops the move from being sent, in the order the screen asks for it. */
export function moveProblems(form: MoveForm): MoveProblem[] {
  const problems: MoveProblem[] = [];
  if (!arrives(form.kind) && !form.from) problems.push("from");
  if (targetNeed(form.kind) === "required" && !form.to) problems.push("to");
  if (!(form.quantity > 0)) problems.push("quantity");
  if (reasonKinds(form.kind).required && !form.reason) problems.push("reason");
  return problems;
}

/** The request a move becomes. A finished-goods receipt belongs to the lot's work order. */
export function moveRequest(form: MoveForm, lot: LotFacts): { path: string; body: Record<string, unknown> } {
  const extra = {
    ...(form.reason ? { reason_code: form.reason } : {}),
    ...(form.note.trim() ? { note: form.note.trim() } : {}),
  };
  const lotOf = { item_code: form.item, lot_code: form.lot, quantity: form.quantity, ...extra };
  if (form.kind === "supplier_return") {
    return { path: SUPPLIER_RETURNS_PATH, body: { ...lotOf, from_location_code: form.from } };
  }
  if (form.kind === "customer_return") {
    return { path: CUSTOMER_RETURNS_PATH, body: { ...lotOf, location_code: form.to } };
  }
  if (form.kind === "misc_in" || form.kind === "misc_out") {
    return {
      path: MISC_PATH,
      body: {
        direction: form.kind === "misc_in" ? "in" : "out", item_code: form.item, lot_code: form.lot,
        location_code: form.kind === "misc_in" ? form.to : form.from, quantity: form.quantity, ...extra,
      },
    };
  }
  return {
    path: MOVES_PATH,
    body: {
      kind: form.kind, item_code: form.item, lot_code: form.lot, from_location_code: form.from,
      ...(form.to ? { to_location_code: form.to } : {}), quantity: form.quantity,
      ...(form.kind === "return" && form.defective ? { defective: true } : {}),
      ...(form.kind === "finished_goods" && lot.work_order_code ? { work_order_code: lot.work_order_code } : {}),
      ...extra,
    },
  };
}

/** What a move did, read from the server's answer (each document answers in its own shape):
 * how much, from and to where, and the new lot the stock arrived as (blocked: a defective
 * return, a customer return). */
export interface MoveDone {
  quantity: number;
  from: string | null;
  to: string | null;
  newLot: string | null;
}

export function doneFacts(kind: MoveKind, answer: Record<string, unknown>): MoveDone {
  const text = (v: unknown) => (typeof v === "string" && v ? v : null);
  const quantity = num(answer.quantity as string | number | undefined);
  if (kind === "customer_return") return { quantity, from: null, to: text(answer.location_code), newLot: text(answer.lot_code) };
  if (kind === "supplier_return") return { quantity, from: text(answer.from_location_code), to: null, newLot: null };
  const lot = text(answer.lot_code);
  const arrived = text(answer.to_lot_code);
  return {
    quantity, from: text(answer.from_location_code), to: text(answer.to_location_code),
    newLot: arrived && arrived !== lot ? arrived : null,
  };
}

// --- shipments -------------------------------------------------------------------------------

/** One lot on a shipment being put together. */
export interface ShipLine {
  lot: string;
  item: string;
  from: string | null;
  quantity: number;
  /** What each store holds of the lot, for choosing the from-location. */
  sources: Source[];
  /** A serial-tracked item's units, one scanned serial each; the quantity is their count. */
  serials?: string[];
}

/** A serial as its scan reads it: the unit, and the lot it was produced into. */
export interface SerialFacts {
  code: string;
  status: string;
  lot_code: string | null;
}

/** A scanned serial joins its lot's line (the lot is on the shipment already) and counts one
 * unit, or says why it cannot: not produced (or shipped before), or scanned twice. */
export function addShipSerial(lines: readonly ShipLine[], serial: SerialFacts): ShipLine[] | Note {
  if (serial.status !== "produced" || !serial.lot_code) {
    return { key: "serialNotShippable", params: { serial: serial.code, status: t(`status.serial.${serial.status}`) } };
  }
  if (lines.some((l) => l.serials?.includes(serial.code))) return { key: "serialAlreadyOnShipment", params: { serial: serial.code } };
  if (!lines.some((l) => l.lot === serial.lot_code)) return { key: "serialLotMissing", params: { serial: serial.code, lot: serial.lot_code } };
  return lines.map((l) => {
    if (l.lot !== serial.lot_code) return l;
    const serials = [...(l.serials ?? []), serial.code];
    return { ...l, serials, quantity: serials.length };
  });
}

/** A scanned lot joins the shipment, or says why it cannot: not released, not in a store, or
 * already on it. */
export function addShipLine(lines: readonly ShipLine[], lot: LotFacts, places: readonly Place[]): ShipLine[] | Note {
  if (lines.some((l) => l.lot === lot.code)) return { key: "alreadyOnShipment", params: { lot: lot.code } };
  if (lot.quality_status !== "released") return { key: "shipNotReleased", params: { lot: lot.code } };
  const sources = storeSources(lot, places);
  if (!sources.length) return { key: "shipNothingInStore", params: { lot: lot.code } };
  const only = sources.length === 1 ? sources[0] : null;
  return [...lines, {
    lot: lot.code, item: lot.item_code, from: only?.location_code ?? null, quantity: only?.quantity ?? 0, sources,
  }];
}

/** What stops the shipment from being sent. */
export function shipProblems(reference: string, lines: readonly ShipLine[]): ("reference" | "lines" | "line")[] {
  const problems: ("reference" | "lines" | "line")[] = [];
  if (!reference.trim()) problems.push("reference");
  if (!lines.length) problems.push("lines");
  if (lines.some((l) => !l.from || !(l.quantity > 0))) problems.push("line");
  return problems;
}

/** The body of POST /api/v1/shipments. */
export function shipmentBody(reference: string, lines: readonly ShipLine[], customer = ""): Record<string, unknown> {
  return {
    customer_order_ref: reference.trim(),
    ...(customer ? { customer_code: customer } : {}),
    lines: lines.map((l) => ({
      item_code: l.item, lot_code: l.lot, from_location_code: l.from, quantity: l.quantity,
      ...(l.serials?.length ? { serials: l.serials } : {}),
    })),
  };
}
