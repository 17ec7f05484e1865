// The inventory API as the handheld reads it: lots, stock on hand, traces, and a work order's
// pick list. Inventory shapes come from the generated schema, so a renamed field breaks the
// build; the pick list lives in production and is typed here by its published contract.
import { getJson } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Lot = Schemas["LotOut"];
export type StockRow = Schemas["StockRow"];
export type TraceNode = Schemas["TraceNode"];
export type Receipt = Schemas["ReceiptOut"];
export type Direction = "backward" | "forward";

export interface Suggestion {
  /** Null for an item kept without lots. */
  lot_code: string | null;
  location_code: string;
  quantity: string | number;
}

export interface PickLine {
  item_code: string;
  item_name?: string;
  unit?: string;
  required: string | number;
  line_side: string | number;
  to_pick: string | number;
  /** What the plant does not hold in pickable, released stock. */
  short?: string | number;
  suggested: Suggestion[];
}

export interface PickList {
  to_location_code: string;
  lines: PickLine[];
}

export interface ItemRow {
  code: string;
  name: string;
  kind: string;
  unit: string;
  gtin: string | null;
  batch_managed: boolean;
  incoming_inspection: boolean;
  /** The route that makes it (null: nothing here makes it, so it is bought). */
  route?: string | null;
  /** What one box, tray or reel holds (null: not set). */
  container_quantity?: string | number | null;
}

export interface UnitRow {
  code: string;
  decimals: number;
  /** `1 <code> = factor <to_unit>`. */
  conversions: { to_unit: string; factor: string | number }[];
}

export interface PartyRow {
  code: string;
  name: string;
  kind: string;
}

export interface ReasonRow {
  code: string;
  name: string;
}

interface Page<T> {
  data: T[];
  total: number;
}

const enc = encodeURIComponent;

export const getLot = (code: string) => getJson<Lot>(`/api/v1/lots/${enc(code)}`);
export const getSerial = (code: string) => getJson<Schemas["SerialOut"]>(`/api/v1/serials/${enc(code)}`);
export const stockAt = (location: string) =>
  getJson<Page<StockRow>>(`/api/v1/stock?location_code=${enc(location)}&limit=500`).then((p) => p.data);
export const getTrace = (code: string, direction: Direction) =>
  getJson<TraceNode>(`/api/v1/lots/${enc(code)}/trace?direction=${direction}`);
// Typed as the server's answer first, so a renamed field of the pick list breaks the build.
export const getPickList = (workOrder: string) =>
  getJson<Schemas["PickListOut"]>(`/api/v1/work-orders/${enc(workOrder)}/pick-list`).then((answer): PickList => answer);
export const listItems = () =>
  getJson<Page<ItemRow>>("/api/v1/items?active=true&limit=500").then((p) => p.data);
export const itemByGtin = (gtin: string) =>
  getJson<Page<ItemRow>>(`/api/v1/items?gtin=${enc(gtin)}&limit=1`).then((p) => p.data[0] ?? null);
/** Who goods are received from: suppliers, and parties that are both supplier and customer. */
export const isSupplier = (party: Pick<PartyRow, "kind">): boolean => party.kind === "supplier" || party.kind === "both";
export const listSuppliers = () =>
  getJson<Page<PartyRow>>("/api/v1/parties?active=true&limit=500").then((p) => p.data.filter(isSupplier));
export const listUnits = () => getJson<Page<UnitRow>>("/api/v1/units?limit=500").then((p) => p.data);
/** An item's receipts, newest first: the last one names its supplier. */
export const recentReceipts = (item: string) =>
  getJson<Page<Receipt>>(`/api/v1/receipts?item_code=${enc(item)}&limit=20`).then((p) => p.data);
export const holdReasons = () =>
  getJson<Page<ReasonRow>>("/api/v1/reason-codes?kind=hold&active=true&limit=200").then((p) => p.data);

/** The label of a lot (or any record) as a PDF, for the printer next to the handheld. */
export const labelPdf = (kind: string, code: string) => `/api/v1/labels/${kind}/${enc(code)}?format=pdf`;

export const num = (q: string | number | null | undefined): number => Number(q ?? 0);

// --- moves by scanning (moves.ts): locations with their kinds, reason codes with theirs ---

export interface LocationRow {
  code: string;
  name: string;
  kind: string;
  warehouse: string;
  line: string | null;
  active: boolean;
}

export interface KindedReason {
  code: string;
  name: string;
  kind: string;
}

export type MoveAnswer = Schemas["MoveOut"];
export type ShipmentAnswer = Schemas["ShipmentOut"];

export const listLocations = () =>
  getJson<Page<LocationRow>>("/api/v1/locations?active=true&limit=500").then((p) => p.data);
export const materialReasons = () =>
  getJson<Page<KindedReason>>("/api/v1/reason-codes?active=true&limit=500")
    .then((p) => p.data.filter((r) => r.kind === "scrap" || r.kind === "hold" || r.kind === "return"));
export const listCustomers = () =>
  getJson<Page<PartyRow>>("/api/v1/parties?active=true&limit=500")
    .then((p) => p.data.filter((party) => party.kind === "customer" || party.kind === "both"));
