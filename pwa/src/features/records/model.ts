// The record page's state and its commands.
import { signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { submit } from "../../app/outbox";
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
  } catch (err) {
    if (current !== key) return;
    view.value = null;
    loadError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  } finally {
    if (current === key) loading.value = false;
  }
}

/** Change an equipment's status: a command through the outbox, so it survives a dead zone. */
export async function setEquipmentStatus(code: string, status: string): Promise<void> {
  // Show the new status at once; the server's answer (or refusal) reloads the page.
  const v = view.value;
  if (v && v.scan.kind === "EQ" && v.scan.code === code) {
    view.value = { ...v, scan: { ...v.scan, status }, facts: v.facts && { ...v.facts, status } };
  }
  const resource = resourceOf("EQ")!;
  await submit({
    method: "PATCH",
    path: `/api/v1/${resource}/${encodeURIComponent(code)}`,
    body: { status },
    recordKey: `EQ:${code}`,
    label: t("record.setStatusCommand", { code, status: statusWord("equipment", status) }),
  });
}
