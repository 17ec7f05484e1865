// The step around a report on the handheld: the question before completing short, a
// supervisor's reopen, the question before working at another workstation's operation, the
// server's refusals of this operation's commands, and the scan-to-consume material a report
// would leave missing. Commands go through the outbox (Idempotency-Key, FIFO per operation).
import { computed, signal } from "@preact/signals";
import { outboxCommands, submit } from "../../app/outbox";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import { myWorkstation } from "../home/model";
import { num } from "./api";
import { changeStatus, good, operation, pendingReported, recordKeyOf, scrap } from "./model";
import { componentList, station, waitingConsumes } from "./station";
import { completion, missingMaterial, plannedElsewhere, refusedOf } from "./step";

/** The completion question is open. */
export const askingComplete = signal(false);
/** Operations this handheld opened although they are planned for another workstation. */
const openedAnyway = signal<ReadonlySet<number>>(new Set());

/** What completing the open operation now would leave unreported. */
export const completionNow = computed(() => {
  const op = operation.value;
  return op ? completion(op, pendingReported.value) : null;
});

/** The other workstation the open operation is planned for, until the operator chose to
 * open it here anyway. */
export const elsewhere = computed(() => {
  const op = operation.value;
  if (!op || openedAnyway.value.has(op.id)) return null;
  const planned = plannedElsewhere(op, myWorkstation.value);
  return planned ? { planned, mine: myWorkstation.value! } : null;
});

export function openAnyway(id: number): void {
  openedAnyway.value = new Set([...openedAnyway.value, id]);
}

/** The open operation's commands the server refused, oldest first. */
export const refusedHere = computed(() => {
  const op = operation.value;
  return op ? refusedOf(outboxCommands.value, recordKeyOf(op)) : [];
});

/** The operator has read the refusal: the command did nothing, so it leaves the outbox (and
 * no longer holds the operation's later commands back). */
export async function dismissRefused(id: string): Promise<void> {
  await discard(id);
}

/** Scan-to-consume components the report being entered would leave short, with the line's
 * rule (warn, or refuse). */
export const materialShort = computed(() => {
  const op = operation.value;
  const view = station.value;
  if (!op || !view || view.operation_id !== op.id || !view.components.length) return null;
  const units = num(op.good) + num(op.scrap) + pendingReported.value + good.value + scrap.value;
  const missing = missingMaterial(componentList.value, units, waitingConsumes.value);
  return missing.length ? { missing, units, refuse: view.missing_material === "refuse" } : null;
});

/** Complete: asks first (the sheet), then the command goes through the outbox. */
export async function confirmComplete(): Promise<void> {
  askingComplete.value = false;
  await changeStatus("complete");
}

/** A supervisor reopens a done operation; it shows open at once, the server confirms. */
export async function reopen(): Promise<void> {
  const op = operation.value;
  if (!op || op.status !== "done") return;
  const worked = num(op.good) + num(op.scrap) > 0 || op.operators.length > 0;
  operation.value = { ...op, status: worked ? "paused" : num(op.available) > 0 ? "ready" : "pending" };
  await submit({
    path: `/api/v1/operations/${op.id}/reopen`, body: {}, recordKey: recordKeyOf(op),
    label: t("step.reopenCommand", { code: op.code }),
  });
}
