// Operation and work order state on the floor: what is open, what may be reported, and the
// commands (start, pause, report...) that go through the outbox.
import { signal } from "@preact/signals";
import { ApiError } from "../../api/errors";
import { submit } from "../../app/outbox";
import { fetchOrSaved } from "../../app/saved";
import { user } from "../../app/session";
import { t } from "../../i18n";
import * as prod from "./api";

export const operation = signal<prod.Operation | null>(null);
export const operationSavedAt = signal<number | null>(null);
export const operationError = signal<string | null>(null);
export const reasons = signal<prod.ReasonCode[]>([]);

/** The report being entered (good, scrap, its reason); its form's rules are in reporting.ts. */
export const good = signal(0);
export const scrap = signal(0);
export const scrapReason = signal("");
/** Units sent back to be reworked: recorded, and they do not use up what is available. */
export const rework = signal(0);

let openId: number | null = null;

export async function openOperation(id: number): Promise<void> {
  openId = id;
  operationError.value = null;
  const needReasons = !reasons.value.length;
  try {
    const { value, savedAt } = await fetchOrSaved(`op:${id}`, () => prod.getOperation(id));
    if (openId !== id) return;
    operation.value = value;
    operationSavedAt.value = savedAt;
  } catch (err) {
    if (openId !== id) return;
    operation.value = null;
    operationError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  }
  if (needReasons) {
    reasons.value = (await fetchOrSaved("reasons:scrap", prod.scrapReasons).catch(() => null))?.value ?? [];
  }
}

export const recordKeyOf = (op: prod.Operation) => `OP:${op.code}`;

async function command(op: prod.Operation, verb: string, body: unknown, label: string): Promise<void> {
  await submit({ path: `/api/v1/operations/${op.id}/${verb}`, body, recordKey: recordKeyOf(op), label });
}

/** Start, pause, resume or complete: shown at once, confirmed (or refused) by the server. */
export async function changeStatus(verb: "start" | "pause" | "resume" | "complete"): Promise<void> {
  const op = operation.value;
  if (!op) return;
  const next = { start: "running", pause: "paused", resume: "running", complete: "done" }[verb];
  const me = user.value?.username;
  const operators = verb === "start" || verb === "resume"
    ? [...new Set([...op.operators, ...(me ? [me] : [])])]
    : op.operators.filter((o) => o !== me);
  operation.value = { ...op, status: verb === "pause" && operators.length ? op.status : next, operators };
  await command(op, verb, {}, t(`production.${verb}Command`, { code: op.code }));
}

/** Supervisor: good quantity held for in-process inspection moves on to the next operation. */
export async function releaseHold(): Promise<void> {
  const op = operation.value;
  if (!op) return;
  await command(op, "release-hold", {}, t("production.releaseHoldCommand", { code: op.code }));
}
