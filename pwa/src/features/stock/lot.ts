// A lot on the handheld: its facts and stock (saved for dead zones), and the inspector's
// release and block, sent through the outbox and shown as soon as the outbox holds them (never
// before: an app closed at once must not have shown a status it then forgot).
import { signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { view } from "../records/model";
import { getLot, holdReasons, type Lot, type ReasonRow } from "./api";

export const lot = signal<Lot | null>(null);
export const lotSavedAt = signal<number | null>(null);
export const lotError = signal<string | null>(null);
export const reasons = signal<ReasonRow[]>([]);

// Reads overlap (another lot opened, a settled command, a live event): only the latest one's
// answer is shown, so an older read that arrives late cannot put back what has since changed.
let openSeq = 0;

export const lotRecordKey = (code: string) => `LOT:${code}`;

export async function openLot(code: string): Promise<void> {
  const seq = ++openSeq;
  lotError.value = null;
  if (lot.value && lot.value.code !== code) lot.value = null;
  try {
    const { value, savedAt } = await fetchOrSaved(`lot:${code}`, () => getLot(code));
    if (seq !== openSeq) return;
    lot.value = value;
    lotSavedAt.value = savedAt;
  } catch (err) {
    if (seq !== openSeq) return;
    lot.value = null;
    lotError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  }
}

export async function loadHoldReasons(): Promise<void> {
  if (reasons.value.length) return;
  reasons.value = (await fetchOrSaved("reasons:hold", holdReasons).catch(() => null))?.value ?? [];
}

function showStatus(code: string, status: string, reason = "", note = ""): void {
  const l = lot.value;
  // The reason's name from the hold reasons the block sheet offered, until the server's answer.
  const reasonName = reasons.value.find((r) => r.code === reason)?.name ?? reason;
  if (l && l.code === code) lot.value = { ...l, quality_status: status, hold_reason: reason, hold_reason_name: reasonName, hold_note: note };
  // The record page around the lot shows the status in its head too.
  const v = view.value;
  if (v && v.scan.kind === "LOT" && v.scan.code === code) view.value = { ...v, scan: { ...v.scan, status } };
}

/** Release a pending or blocked lot: it may be picked and used. The note, if any, stays in
 * the lot's history. */
export async function releaseLot(code: string, note = ""): Promise<void> {
  await submit({
    path: `/api/v1/lots/${encodeURIComponent(code)}/release`,
    body: note.trim() ? { note: note.trim() } : {}, recordKey: lotRecordKey(code),
    label: t("stock.releaseCommand", { lot: code }),
  });
  showStatus(code, "released");
}

/** Block a lot, with a hold reason or a note (the server needs one of them). */
export async function blockLot(code: string, reason: string, note: string): Promise<void> {
  await submit({
    path: `/api/v1/lots/${encodeURIComponent(code)}/block`,
    body: { ...(reason ? { reason_code: reason } : {}), note: note.trim() },
    recordKey: lotRecordKey(code),
    label: t("stock.blockCommand", { lot: code }),
  });
  showStatus(code, "blocked", reason, note.trim());
}
