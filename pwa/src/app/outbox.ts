// The app's side of the outbox: every command goes through it, the shell shows how many wait
// and which need attention, and the drainer sends them with their Idempotency-Key.
import { signal } from "@preact/signals";
import { locale } from "../i18n";
import { metaPut } from "../outbox/db";
import { enqueue, listCommands, onOutboxChange } from "../outbox/outbox";
import { SEND_TIMEOUT_MS, startSync, type SendResult } from "../outbox/sync";
import { SIGNED_IN_KEY, type OutboxCommand } from "../shared/outbox-types";
import { onReconnect } from "./live";
import { user } from "./session";

export const outboxCommands = signal<OutboxCommand[]>([]);
export const waitingCount = signal(0);
export const attentionCount = signal(0);

async function refresh(): Promise<void> {
  const all = await listCommands();
  outboxCommands.value = all;
  waitingCount.value = all.filter((c) => c.state !== "rejected").length;
  attentionCount.value = all.filter((c) => c.state === "rejected").length;
}

async function send(cmd: OutboxCommand): Promise<SendResult> {
  const response = await fetch(cmd.path, {
    method: cmd.method,
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "Accept-Language": locale.value,
      "Idempotency-Key": cmd.id,
    },
    body: cmd.body === undefined ? undefined : JSON.stringify(cmd.body),
    credentials: "same-origin",
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  const body: unknown = await response.json().catch(() => null);
  const retryAfter = Number(response.headers.get("Retry-After"));
  return { status: response.status, body, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null };
}

/** `answer` is the server's JSON body when it accepted the command (what it made, say the
 * new lot's code); undefined when it refused. */
type SettledListener = (cmd: OutboxCommand, answer?: unknown) => void;
const settledListeners = new Set<SettledListener>();

/** Hear about commands the server accepted or refused (screens re-fetch what they showed). */
export function onCommandSettled(listener: SettledListener): () => void {
  settledListeners.add(listener);
  return () => settledListeners.delete(listener);
}

// The last few settlements, for a screen that learns its command's id only when submit()
// returns: a fast server can answer before that.
const recentlySettled = new Map<string, { cmd: OutboxCommand; answer?: unknown }>();

function settled(cmd: OutboxCommand, answer?: unknown): void {
  recentlySettled.set(cmd.id, { cmd, answer });
  if (recentlySettled.size > 16) recentlySettled.delete(recentlySettled.keys().next().value!);
  for (const l of settledListeners) l(cmd, answer);
}

/** The settlement of a command that was answered before its screen could listen for it. */
export function settledAlready(id: string): { cmd: OutboxCommand; answer?: unknown } | undefined {
  return recentlySettled.get(id);
}

let sync: { kick(): void; stop(): void } | null = null;

/** Put a command in the outbox and try to send it at once; offline it waits. */
export async function submit(input: {
  method?: OutboxCommand["method"];
  path: string;
  body?: unknown;
  recordKey: string;
  label: string;
}): Promise<OutboxCommand> {
  const cmd = await enqueue({ ...input, body: input.body ?? null, userId: user.value?.id ?? null });
  sync?.kick();
  return cmd;
}

const submitting = new Set<string>();

/** submit() for a screen's send button: while that action's command is still being put in
 * the outbox, a second tap (a double tap) queues nothing and gets null. */
export async function submitOnce(action: string, input: Parameters<typeof submit>[0]): Promise<OutboxCommand | null> {
  if (submitting.has(action)) return null;
  submitting.add(action);
  try {
    return await submit(input);
  } finally {
    submitting.delete(action);
  }
}

export function kickOutbox(): void {
  sync?.kick();
}

export function startOutbox(onAuthRequired: () => void): void {
  onOutboxChange(() => void refresh());
  void refresh();
  sync = startSync({
    send,
    onSent: (cmd, result) => settled(cmd, result.body),
    onRejected: (cmd) => settled(cmd),
    onAuthRequired,
    // A shared handheld: a command is sent only in the session of the person who queued it.
    mayNowSend: (cmd) => cmd.userId === null || cmd.userId === user.value?.id,
  });
  onReconnect(() => sync?.kick());
  // The service worker queues notification actions and asks the open app to send them.
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if ((event.data as { type?: string } | null)?.type === "outbox-kick") sync?.kick();
  });
  // The service worker stamps the commands it queues with the person signed in here.
  user.subscribe((u) => void metaPut(SIGNED_IN_KEY, u?.id ?? null));
}

