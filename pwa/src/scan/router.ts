// The one scan router of the app: every scan, from the trigger or the camera, on any screen,
// comes here. A screen may claim scans first (the sign-in screen takes badges); otherwise the
// text is resolved by the server and the app opens the record it names.
import { signal } from "@preact/signals";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { isNetworkError, toProblem } from "../api/errors";
import { clientConfig } from "../app/config";
import { navigate, recordPath } from "../app/router";
import { user } from "../app/session";
import { t } from "../i18n";
import { createDeduper } from "./dedupe";
import { acceptScan, rejectScan } from "./feedback";
import { parseScan, ScanTextError, type ParsedScan } from "./parse";

export type ScanResult = components["schemas"]["ScanResult"];
/** A screen's own use of a scan; return true when it took the scan. */
export type ScanClaim = (parsed: ParsedScan, text: string) => boolean | Promise<boolean>;

export const scanBusy = signal(false);
/** The last scan the server resolved and the app opened: a screen opened from that record
 * may use what was scanned (receiving reads the supplier label that named the item). */
export const lastScan = signal<{ parsed: ParsedScan; result: ScanResult } | null>(null);

/** The repeat window until the server's setting (SCAN_REPEAT_WINDOW_MS) has been read. */
export const DEFAULT_REPEAT_WINDOW_MS = 1000;
const isNew = createDeduper(() => clientConfig.value?.scan_repeat_window_ms ?? DEFAULT_REPEAT_WINDOW_MS);
const claims: ScanClaim[] = [];

/** Let the current screen see scans before the router does; returns the release function. */
export function claimScans(claim: ScanClaim): () => void {
  claims.unshift(claim);
  return () => {
    const i = claims.indexOf(claim);
    if (i >= 0) claims.splice(i, 1);
  };
}

/** Saved per person: the actions in a scan answer are those of the roles of who scanned. */
export function scanCacheKey(kind: string, code: string): string {
  return `scan:${user.value?.id ?? "-"}:${kind}:${code}`;
}

export async function routeScan(raw: string): Promise<void> {
  if (!raw.trim() || !isNew(raw.trim())) return;
  let parsed: ParsedScan;
  try {
    parsed = parseScan(raw);
  } catch (err) {
    rejectScan(err instanceof ScanTextError ? err.message : String(err));
    return;
  }
  for (const claim of [...claims]) {
    if (await claim(parsed, parsed.text)) return;
  }
  if (!user.value) {
    rejectScan(t("scan.signInFirst"));
    return;
  }
  await resolveAndOpen(parsed);
}

async function resolveAndOpen(parsed: ParsedScan): Promise<void> {
  scanBusy.value = true;
  try {
    const { data, error, response } = await api.GET("/api/v1/scan", { params: { query: { code: parsed.text } } });
    if (!response.ok || !data) {
      rejectScan(toProblem(response.status, error).detail);
      return;
    }
    acceptScan(`${data.code} · ${data.title}`);
    lastScan.value = { parsed, result: data };
    navigate(recordPath(data.kind, data.code));
  } catch (err) {
    if (!isNetworkError(err)) throw err;
    if (parsed.type === "label") {
      // Offline: open the record anyway; its page shows what this device saved of it.
      acceptScan(t("scan.offlineOpened", { code: parsed.code }));
      navigate(recordPath(parsed.kind, parsed.code));
    } else {
      rejectScan(t("scan.offline"));
    }
  } finally {
    scanBusy.value = false;
  }
}
