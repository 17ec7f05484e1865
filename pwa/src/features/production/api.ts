// The production API as the app reads it: work orders, operations, queues, boards, schedule.
import { getJson } from "../../api/client";
import type { RankedReason as RankedScrapReason, ReportRow } from "./report";

export type Quantity = number | string;

export interface Material {
  item_code: string;
  required: Quantity;
  unit: string;
  scan_to_consume: boolean;
}

export interface Operation {
  id: number;
  code: string;
  seq: number;
  name: string;
  status: string;
  workstation: string | null;
  workstation_type: string | null;
  available: Quantity;
  good: Quantity;
  scrap: Quantity;
  held: Quantity;
  /** What may be reported here in all (good + scrap); on the first operation, what the order
   * may make: its quantity plus the allowed overrun, in the unit's decimals (the server's figure). */
  available_total?: Quantity;
  setup_s: number;
  cycle_s: Quantity;
  counts_output: boolean;
  needs_inspection: boolean;
  scheduled_workstation: string | null;
  scheduled_start: string | null;
  scheduled_end: string | null;
  operators: string[];
  materials?: Material[];
  work_order?: string;
  item_code?: string;
  item_name?: string;
  quantity?: Quantity;
  /** The unit of what the operation makes (its work order's item). */
  unit?: string;
  /** The line it runs on. */
  line?: string | null;
  /** What one box, tray or reel of the order's item holds: the report form's default. */
  container_quantity?: Quantity | null;
  version?: number;
}

export interface WorkOrder {
  code: string;
  item_code: string;
  item_name: string;
  status: string;
  quantity: Quantity;
  good: Quantity;
  scrap: Quantity;
  held: Quantity;
  due_at: string | null;
  priority: number;
  late: boolean;
  route_code: string | null;
  customer_order_ref: string | null;
  lot: string | null;
  /** The line its route runs on. */
  line?: string | null;
  /** How much more than the quantity it may make, in percent (on a single order). */
  overrun_percent?: Quantity;
  operations?: Operation[];
  /** The unit the order is made in (its item's). */
  unit?: string;
}

export interface QueueEntry extends Operation {
  work_order: string;
  item_code: string;
  /** Whether the line side holds what the operation still needs (none: it uses no material). */
  material: "ready" | "short" | "none";
  short_of: string[];
}

export interface BoardStation {
  code: string;
  name: string;
  state: "running" | "idle" | "paused" | "down";
  current: { id: number; code: string; work_order: string; item_code: string; good: Quantity; scrap: Quantity; available: Quantity; quantity: Quantity } | null;
  plan_good: Quantity;
  good_today: Quantity;
  scrap_today: Quantity;
}

export interface Board {
  line: string;
  workstations: BoardStation[];
  late_orders: WorkOrder[];
}

export interface ScheduledOperation {
  id: number;
  code: string;
  name: string;
  work_order: string;
  workstation: string;
  start_at: string;
  end_at: string;
  due_at: string | null;
  late: boolean;
}

export interface Schedule {
  makespan_s: number;
  total_weighted_tardiness_s: number;
  optimal: boolean;
  solver: string;
  operations: ScheduledOperation[];
}

export interface ReasonCode {
  code: string;
  name: string;
  kind: string;
}

interface Page<T> {
  data: T[];
  total: number;
}

export const num = (q: Quantity | null | undefined): number => Number(q ?? 0);

export const getWorkOrder = (code: string) => getJson<WorkOrder>(`/api/v1/work-orders/${encodeURIComponent(code)}`);
export const getOperation = (id: number) => getJson<Operation>(`/api/v1/operations/${id}`);
export const getQueue = (workstation: string) =>
  getJson<Page<QueueEntry> | QueueEntry[]>(`/api/v1/workstations/${encodeURIComponent(workstation)}/queue`)
    .then((r) => (Array.isArray(r) ? r : r.data));
export const getBoard = (line: string) => getJson<Board>(`/api/v1/lines/${encodeURIComponent(line)}/board`);
export const listWorkOrders = (query: string) => getJson<Page<WorkOrder>>(`/api/v1/work-orders?${query}`);
export const getSchedule = () => getJson<Schedule>("/api/v1/schedule");
/** Active scrap reasons, the line's most used first (every line's without one). */
export const rankedScrapReasons = (line: string | null | undefined) =>
  getJson<RankedScrapReason[]>(`/api/v1/reports/scrap-reasons${line ? `?line=${encodeURIComponent(line)}` : ""}`);
export const getReports = (id: number) => getJson<ReportRow[]>(`/api/v1/operations/${id}/reports`);
export const scrapReasons = () =>
  getJson<Page<ReasonCode>>("/api/v1/reason-codes?kind=scrap&active=true&limit=200").then((p) => p.data);

// --- the workstation's materials and serials, outsourcing (station.) -------------------------
// Typed as the server's answers, so a renamed field breaks the build, not the floor.
type ProductionSchemas = import("../../api/schema").components["schemas"];
export type StationView = ProductionSchemas["StationOut"];
export type StationComponent = ProductionSchemas["StationComponent"];
export type OutsourceOrder = ProductionSchemas["OutsourceOut"];
export interface Supplier {
  code: string;
  name: string;
  kind: string;
}

export const getStation = (id: number) => getJson<StationView>(`/api/v1/operations/${id}/station`);
export const getOutsourceOrders = (code: string) =>
  getJson<OutsourceOrder[]>(`/api/v1/work-orders/${encodeURIComponent(code)}/outsource-orders`);
export const suppliers = () =>
  getJson<Page<Supplier>>("/api/v1/parties?active=true&limit=500")
    .then((p) => p.data.filter((party) => party.kind === "supplier" || party.kind === "both"));
