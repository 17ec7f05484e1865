// How many decimals each unit of measure allows (master data: KG 3, M 2, PCS 0), so every
// quantity entry takes 0.015 kg but not 1.5 pieces. Screens know an item's unit by its code
// (the unit field of a lot, a pick line, an operation); this turns that code into decimals.
// Units change rarely: read once a session, and from this device's saved copy when offline.
import { signal } from "@preact/signals";
import { getJson } from "../api/client";
import type { components } from "../api/schema";
import { fetchOrSaved } from "./saved";

/** Decimals by unit code, or null until the units are known. */
export const unitDecimalsByCode = signal<Record<string, number> | null>(null);

type UnitPage = components["schemas"]["Page_takt.masterdata.schemas.UnitOut_"];

const PAGE = 500;
const RETRY_MS = 30_000;
let loading: Promise<void> | null = null;
let failedAt = 0;

async function readAll(): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (let offset = 0; ; offset += PAGE) {
    const page = await getJson<UnitPage>(`/api/v1/units?limit=${PAGE}&offset=${offset}`);
    for (const unit of page.data) found[unit.code.toUpperCase()] = unit.decimals;
    if (!page.data.length || offset + page.data.length >= page.total) return found;
  }
}

/** Read the units (once; again after a failure, at most every half minute). */
export function loadUnits(): Promise<void> {
  if (loading) return loading;
  if (failedAt && Date.now() - failedAt < RETRY_MS) return Promise.resolve();
  loading = fetchOrSaved("units:decimals", readAll).then(
    ({ value }) => { unitDecimalsByCode.value = value; },
    () => { failedAt = Date.now(); loading = null; },
  );
  return loading;
}

/**
 * The decimals a unit allows, for a quantity entry's `decimals`. Until the units are known
 * (the first read is on its way, or this device never read them) it is 0, whole numbers, as
 * every entry was before units were read; the server checks the decimals in any case.
 */
export function unitDecimals(unit: string | null | undefined): number {
  const known = unitDecimalsByCode.value;
  if (known === null) void loadUnits();
  if (!unit) return 0;
  return known?.[unit.toUpperCase()] ?? 0;
}
