// The step around a report on the handheld: the question before completing short, a
// supervisor's reopen, the question before working at another workstation's operation, the
// server's refusals of this operation's commands, and the scan-to-consume material a report
// would leave missing. Commands go through the outbox (Idempotency-Key, FIFO per operation).
import { computed, effect, signal } from "@preact/signals";
import { outboxCommands, submit } from "../../app/outbox";
import { user } from "../../app/session";
import { t } from "../../i18n";
import { discard } from "../../outbox/outbox";
import { myWorkstation } from "../home/model";
import { changeStatus, good, operation, recordKeyOf, scrap } from "./model";
import { figures } from "./reporting";
import { componentList, station, waitingConsumes } from "./station";
import { completion, materialForReport, plannedElsewhere, refusedOf } from "./step";

/** Statuses a report is sent from (a report starts a ready operation, resumes a paused one). */
const REPORTABLE = ["ready", "running", "paused"];

/** Operations the signed-in person opened although they are planned for another workstation. */
const openedAnyway = signal<ReadonlySet<number>>(new Set());

// A shared handheld: the next person to sign in is asked again.
let signedIn = user.peek()?.id ?? null;
effect(() => {
  const id = user.value?.id ?? null;
  if (id !== signedIn) {
    signedIn = id;
    openedAnyway.value = new Set();
  }
});

/** What completing the open operation now would leave unreported (the figures the report
 * form shows). */
export const completionNow = computed(() => (operation.value ? completion(figures.value) : null));

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

/** Scan-to-consume components the report about to be sent would leave short, with the line's
 * rule (warn, or refuse); null when no report is about to be sent. */
export const materialShort = computed(() => {
  const op = operation.value;
  const view = station.value;
  if (!op || !view || view.operation_id !== op.id || !view.components.length) return null;
  const open = REPORTABLE.includes(op.status) && figures.value.available > 0;
  const missing = materialForReport(componentList.value, {
    open, reported: figures.value.good + figures.value.scrap, entering: good.value + scrap.value,
  }, waitingConsumes.value);
  return missing.length ? { missing, refuse: view.missing_material === "refuse" } : null;
});

/** Complete (the question is asked first): the command goes through the outbox. */
export async function confirmComplete(): Promise<void> {
  await changeStatus("complete");
}

/** The reopen this handheld sent last: the operation says "reopening" until it is read again
 * after the server's answer (the server decides what it reopens to). */
const reopenSent = signal<{ opId: number; version: number | undefined; commandId: string | null } | null>(null);

/** The open operation waits for the server to reopen it. */
export const reopening = computed(() => {
  const op = operation.value;
  const sent = reopenSent.value;
  if (!op || op.status !== "done" || !sent || sent.opId !== op.id || sent.version !== op.version) return false;
  return !outboxCommands.value.some((c) => c.id === sent.commandId && c.state === "rejected");
});

/** A supervisor reopens a done operation: it shows "reopening" until the server has answered
 * and the operation is read again; the server decides whether it is paused, ready or pending. */
export async function reopen(): Promise<void> {
  const op = operation.value;
  if (!op || op.status !== "done" || reopening.value) return;
  reopenSent.value = { opId: op.id, version: op.version, commandId: null };
  const cmd = await submit({
    path: `/api/v1/operations/${op.id}/reopen`, body: {}, recordKey: recordKeyOf(op),
    label: t("step.reopenCommand", { code: op.code }),
  });
  reopenSent.value = { opId: op.id, version: op.version, commandId: cmd.id };
}
