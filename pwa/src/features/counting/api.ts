// The counting API as the handheld reads it: counts, their lines, and what the ledger holds at a
// location (line-side included). Shapes come from the generated schema, so a renamed field
// breaks the build. Commands (start, record, submit, approve, reject) go through the outbox.
import { getJson } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Count = Schemas["CountOut"];
export type CountLine = Schemas["CountLineOut"];
export type CountRow = Schemas["CountRow"];
export type ReconciliationRow = Schemas["ReconciliationRow"];

interface Page<T> {
  data: T[];
  total: number;
}

const enc = encodeURIComponent;

export const COUNTS_PATH = "/api/v1/counts";
export const countPath = (code: string) => `${COUNTS_PATH}/${enc(code)}`;

export const getCount = (code: string) => getJson<Count>(countPath(code));
export const listCounts = (query: { status?: string; location_code?: string }) => {
  const params = new URLSearchParams({ limit: "100" });
  if (query.status) params.set("status", query.status);
  if (query.location_code) params.set("location_code", query.location_code);
  return getJson<Page<CountRow>>(`${COUNTS_PATH}?${params}`).then((p) => p.data);
};
export const reconciliation = () => getJson<ReconciliationRow[]>("/api/v1/stock/reconciliation");
