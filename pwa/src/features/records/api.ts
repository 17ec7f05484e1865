// What a record page reads: the scan resolution (title, status, actions for my roles) and the
// record's own facts. Both are saved on the device so the page still opens in a dead zone.
import { getJson } from "../../api/client";
import { fetchOrSaved } from "../../app/saved";
import { labelPath, type LabelKind } from "../../scan/parse";
import { scanCacheKey, type ScanResult } from "../../scan/router";

/** The master data resource that holds the facts of each label kind. */
const RESOURCE: Partial<Record<string, string>> = {
  WS: "workstations",
  LOC: "locations",
  EQ: "equipment",
  ITEM: "items",
};

/** The live-update topic of a record, where the server publishes its changes. */
const TOPIC: Partial<Record<string, string>> = { WS: "workstation", EQ: "equipment", LOT: "lot" };

export function topicOf(kind: string, code: string): string | null {
  const prefix = TOPIC[kind];
  return prefix ? `${prefix}:${code}` : null;
}

export interface RecordView {
  scan: ScanResult;
  facts: Record<string, unknown> | null;
  savedAt: number | null; // when the device saved the copy shown; null when fresh
}

export function resourceOf(kind: string): string | undefined {
  return RESOURCE[kind];
}

export async function loadRecord(kind: string, code: string): Promise<RecordView> {
  const { value, savedAt } = await fetchOrSaved(`record:${scanCacheKey(kind, code)}`, async () => {
    const scan = await getJson<ScanResult>(`/api/v1/scan?code=${encodeURIComponent(labelPath(kind as LabelKind, code))}`);
    const resource = RESOURCE[scan.kind];
    const facts = resource
      ? await getJson<Record<string, unknown>>(`/api/v1/${resource}/${encodeURIComponent(scan.code)}`)
      : null;
    return { scan, facts };
  });
  return { ...value, savedAt };
}
