// The outbox: every command a person gives goes here first and stays until the server has
// answered it, so a dead zone on the shop floor never loses a report. The drainer
// (sync.ts) sends; this module only stores, lists and tells every tab what changed.
import {
  OUTBOX_CHANNEL,
  type OutboxCommand,
  type OutboxMessage,
} from "../shared/outbox-types";
import { openTaktDb } from "./db";

export interface EnqueueInput {
  method?: OutboxCommand["method"];
  path: string;
  body: unknown;
  recordKey: string;
  label: string;
  userId?: number | null;
}

const SEQ_KEY = "outbox.lastSeq";

/** Store a new command, last in line; it is due at once. */
export async function enqueue(input: EnqueueInput, now: () => number = Date.now): Promise<OutboxCommand> {
  const db = await openTaktDb();
  const createdAt = now();
  const draft: Omit<OutboxCommand, "seq"> = {
    id: crypto.randomUUID(),
    method: input.method ?? "POST",
    path: input.path,
    body: input.body,
    recordKey: input.recordKey,
    label: input.label,
    userId: input.userId ?? null,
    createdAt,
    attempts: 0,
    nextAttemptAt: createdAt,
    state: "pending",
    lastError: null,
    rejection: null,
  };
  // The counter lives in meta, not max(seq)+1, so numbers never repeat after the outbox
  // empties; one readwrite transaction over both stores serialises enqueues across tabs.
  const tx = db.transaction(["outbox", "meta"], "readwrite");
  const meta = tx.objectStore("meta");
  const last = (await meta.get(SEQ_KEY))?.value;
  const seq = (typeof last === "number" ? last : 0) + 1;
  const command: OutboxCommand = { ...draft, seq };
  await Promise.all([meta.put({ key: SEQ_KEY, value: seq }), tx.objectStore("outbox").add(command), tx.done]);
  notifyOutboxChanged();
  return command;
}

/** Every command still in the outbox, oldest first. */
export async function listCommands(): Promise<OutboxCommand[]> {
  const db = await openTaktDb();
  return db.getAllFromIndex("outbox", "seq");
}

export async function getCommand(id: string): Promise<OutboxCommand | undefined> {
  const db = await openTaktDb();
  return db.get("outbox", id);
}

/** How many commands still wait to be sent (rejected ones wait for the person instead). */
export async function countWaiting(): Promise<number> {
  const commands = await listCommands();
  return commands.filter((c) => c.state === "pending" || c.state === "sending").length;
}

/**
 * Change a stored command in one transaction. Returns the updated command, or undefined
 * when it is gone (sent, or discarded meanwhile) — a late update must never bring back a
 * command the person threw away.
 */
export async function updateCommand(
  id: string,
  change: (command: OutboxCommand) => OutboxCommand,
): Promise<OutboxCommand | undefined> {
  const db = await openTaktDb();
  const tx = db.transaction("outbox", "readwrite");
  const current = await tx.store.get(id);
  const updated = current === undefined ? undefined : change(current);
  if (updated !== undefined) await tx.store.put(updated);
  await tx.done;
  if (updated !== undefined) notifyOutboxChanged();
  return updated;
}

/** Remove a command for good; the person decided it should not be sent. */
export async function discard(id: string): Promise<void> {
  await removeCommand(id);
}

/** Remove a command (sent, or discarded). */
export async function removeCommand(id: string): Promise<void> {
  const db = await openTaktDb();
  await db.delete("outbox", id);
  notifyOutboxChanged();
}

/** Give a rejected command another go (after the person fixed what the server objected to). */
export async function retry(id: string, now: () => number = Date.now): Promise<OutboxCommand | undefined> {
  return updateCommand(id, (command) =>
    command.state !== "rejected"
      ? command
      : { ...command, state: "pending", attempts: 0, nextAttemptAt: now(), lastError: null, rejection: null },
  );
}

// --- change notification: this tab directly, other tabs and the service worker by channel ---

type Listener = () => void;
const listeners = new Set<Listener>();
let channel: BroadcastChannel | null | undefined;

function getChannel(): BroadcastChannel | null {
  if (channel === undefined) {
    channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(OUTBOX_CHANNEL);
    channel?.addEventListener("message", (event: MessageEvent<OutboxMessage>) => {
      if (event.data?.type === "outbox-changed") fire();
    });
  }
  return channel;
}

function fire(): void {
  for (const listener of [...listeners]) {
    try {
      listener();
    } catch (error) {
      console.error("outbox listener failed", error); // one bad listener must not starve the rest
    }
  }
}

/** Tell this tab's listeners and every other context that the outbox changed. */
export function notifyOutboxChanged(): void {
  fire();
  const message: OutboxMessage = { type: "outbox-changed" };
  getChannel()?.postMessage(message); // a channel never hears its own messages
}

/** Call `listener` after every change, from this tab or another; returns the unsubscribe. */
export function onOutboxChange(listener: Listener): () => void {
  getChannel();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Close the channel and drop listeners, so tests do not leak handles. */
export function resetOutboxListenersForTests(): void {
  listeners.clear();
  channel?.close();
  channel = undefined;
}
