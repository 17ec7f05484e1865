// Lists the home screens read, saved on the device so the screens open in a dead zone too.
import { getJson } from "../../api/client";
import type { components } from "../../api/schema";
import { fetchOrSaved } from "../../app/saved";

export interface Page<T> {
  data: T[];
  total: number;
}
export interface Workstation { code: string; name: string; line: string | null; active: boolean }
export interface Equipment { code: string; name: string; status: string; line: string | null; workstation: string | null; active: boolean }
export type LotRow = components["schemas"]["LotRow"];
export interface Line { code: string; name: string; area: string; wip_location: string | null; active: boolean }

/** GET a list, falling back to the device's copy when the network is gone. */
export async function cachedList<T>(path: string): Promise<{ items: T[]; saved: boolean }> {
  const { value, savedAt } = await fetchOrSaved(`list:${path}`, async () => (await getJson<Page<T>>(path)).data);
  return { items: value, saved: savedAt !== null };
}

export const workstations = () => cachedList<Workstation>("/api/v1/workstations?active=true&limit=500");
export const equipment = () => cachedList<Equipment>("/api/v1/equipment?active=true&limit=500");
export const lines = () => cachedList<Line>("/api/v1/lines?active=true&limit=100");

/** The inspector's worklist: lots awaiting inspection and lots blocked, newest first, with how
 * many there are in all (the list shows the newest of them). */
export async function lotsByStatus(status: "pending" | "blocked", limit: number): Promise<{ page: Page<LotRow>; saved: boolean }> {
  const path = `/api/v1/lots?quality_status=${status}&limit=${limit}`;
  const { value, savedAt } = await fetchOrSaved(`list:${path}`, () => getJson<Page<LotRow>>(path));
  return { page: value, saved: savedAt !== null };
}
