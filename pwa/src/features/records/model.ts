// The record page's state and its commands.
import { signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { getJson } from "../../api/client";
import { submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { t } from "../../i18n";
import { statusWord } from "../../ui/StatusChip";
import { loadRecord, resourceOf, type RecordView } from "./api";

export const view = signal<RecordView | null>(null);
export const loadError = signal<string | null>(null);
export const loading = signal(false);

let current = "";

export async function openRecord(kind: string, code: string): Promise<void> {
  const key = `${kind}:${code}`;
  current = key;
  loading.value = true;
  loadError.value = null;
  if (view.value && `${view.value.scan.kind}:${view.value.scan.code}` !== key) view.value = null;
  try {
    const result = await loadRecord(kind, code);
    if (current === key) view.value = result;
    // Saved now, so a machine can still be set down (which needs a reason) in a dead zone.
    if (result.scan.kind === "EQ" && result.scan.actions.includes("set_status")) void downtimeReasons.load();
  } catch (err) {
    if (current !== key) return;
    view.value = null;
    loadError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  } finally {
    if (current === key) loading.value = false;
  }
}

/** The downtime reason codes a machine is set down with (saved for dead zones). */
export const downtimeReasons = {
  rows: signal<{ code: string; name: string }[]>([]),
  failed: signal(false),
  async load(): Promise<void> {
    if (this.rows.value.length) return;
    this.failed.value = false;
    const saved = await fetchOrSaved("reasons:downtime", () =>
      getJson<{ data: { code: string; name: string }[] }>("/api/v1/reason-codes?kind=downtime&active=true&limit=200")
        .then((p) => p.data.map(({ code, name }) => ({ code, name })))).catch(() => null);
    this.rows.value = saved?.value ?? [];
    this.failed.value = !saved;
  },
};

/** Change an equipment's status: a command through the outbox, so it survives a dead zone.
 * Down needs a downtime reason (the server refuses it without one); the reason and the note
 * stay in the audit row. */
export async function setEquipmentStatus(code: string, status: string, reason = "", note = ""): Promise<void> {
  // Show the new status at once; the server's answer (or refusal) reloads the page.
  const v = view.value;
  if (v && v.scan.kind === "EQ" && v.scan.code === code) {
    view.value = { ...v, scan: { ...v.scan, status }, facts: v.facts && { ...v.facts, status } };
  }
  const resource = resourceOf("EQ")!;
  await submit({
    method: "PATCH",
    path: `/api/v1/${resource}/${encodeURIComponent(code)}`,
    body: { status, ...(reason ? { reason_code: reason } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
    recordKey: `EQ:${code}`,
    label: t("record.setStatusCommand", { code, status: statusWord("equipment", status) }),
  });
}
