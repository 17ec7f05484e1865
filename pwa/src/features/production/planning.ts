// The planner's state: the work order list, a new order, CSV import with progress, the schedule.
import { signal } from "@preact/signals";
import { getJson } from "../../api/client";
import { ApiError, toProblem } from "../../api/errors";
import { locale, t } from "../../i18n";
import { getSchedule, listWorkOrders, type Schedule, type WorkOrder } from "./api";
import { orderQuery } from "./orders";

export const statusFilter = signal<string>("open");
/** The list's search text (code, item, customer order or lot), line and late-only filters. */
export const orderSearch = signal("");
export const lineFilter = signal("");
export const lateOnly = signal(false);
export const orders = signal<WorkOrder[]>([]);
export const ordersTotal = signal(0);
export const planError = signal<string | null>(null);
export const importProgress = signal<{ done: number; total: number; error: string | null } | null>(null);
export const schedule = signal<Schedule | null>(null);
export const scheduling = signal(false);

let loadGeneration = 0;

export async function loadOrders(): Promise<void> {
  planError.value = null;
  const mine = ++loadGeneration;
  const query = orderQuery({ status: statusFilter.value, q: orderSearch.value, line: lineFilter.value, late: lateOnly.value });
  try {
    const page = await listWorkOrders(query);
    if (mine !== loadGeneration) return; // a newer search is on its way: never show older results over it
    orders.value = page.data;
    ordersTotal.value = page.total;
  } catch (err) {
    if (mine !== loadGeneration) return; // an older search failing says nothing about the newer one
    planError.value = err instanceof ApiError ? err.problem.detail : t("home.offlineNoCopy");
  }
}

/** A command the planner waits for (office work, on-line): sent once, with its own key. */
export async function planCommand<T>(path: string, body: unknown, contentType = "application/json",
  method: "POST" | "PATCH" = "POST"): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { "Content-Type": contentType, Accept: "application/json", "Accept-Language": locale.value,
      "Idempotency-Key": crypto.randomUUID() },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(toProblem(response.status, answer));
  return answer as T;
}

export const IMPORT_CHUNK = 200;

/** Import a CSV file in chunks (each all-or-nothing on the server), showing progress. */
export async function importCsv(text: string): Promise<void> {
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (!header) return;
  importProgress.value = { done: 0, total: rows.length, error: null };
  for (let i = 0; i < rows.length; i += IMPORT_CHUNK) {
    const chunk = [header, ...rows.slice(i, i + IMPORT_CHUNK)].join("\n");
    try {
      await planCommand("/api/v1/work-orders/import", chunk, "text/csv");
    } catch (err) {
      const detail = err instanceof ApiError ? err.problem.detail : t("signin.offline");
      importProgress.value = { done: i, total: rows.length, error: t("planning.importStopped", { row: i + 2, detail }) };
      await loadOrders();
      return;
    }
    importProgress.value = { done: Math.min(rows.length, i + IMPORT_CHUNK), total: rows.length, error: null };
  }
  await loadOrders();
}

export async function loadSchedule(): Promise<void> {
  try {
    schedule.value = await getSchedule();
  } catch (err) {
    planError.value = err instanceof ApiError ? err.problem.detail : t("home.offlineNoCopy");
  }
}

export async function runScheduler(): Promise<void> {
  scheduling.value = true;
  planError.value = null;
  try {
    schedule.value = await planCommand<Schedule>("/api/v1/schedule", { time_limit_s: 10 });
  } catch (err) {
    planError.value = err instanceof ApiError ? err.problem.detail : t("signin.offline");
  } finally {
    scheduling.value = false;
  }
}

export async function moveOperation(id: number, workstation: string, startAt: string): Promise<void> {
  try {
    await planCommand(`/api/v1/operations/${id}/schedule`, { workstation, start_at: startAt }, "application/json", "PATCH");
  } catch (err) {
    planError.value = err instanceof ApiError ? err.problem.detail : t("signin.offline");
    return;
  }
  await loadSchedule();
}

export interface ItemChoice {
  code: string;
  name: string;
}

/** The lines, for the list's line filter. */
export async function lineChoices(): Promise<ItemChoice[]> {
  const page = await getJson<{ data: ItemChoice[] }>("/api/v1/lines?active=true&limit=100");
  return page.data;
}

export async function finishedItems(): Promise<ItemChoice[]> {
  const page = await getJson<{ data: ItemChoice[] }>("/api/v1/items?active=true&limit=500");
  return page.data;
}
