// The drainer: sends outbox commands in order, one drainer across all tabs, and decides from
// each answer whether a command is done, should wait and try again, or needs the person.
// Nothing is ever dropped here: a command leaves the outbox only when the server accepted
// it or the person discards it. Works in a page and in the service worker alike.
import type { OutboxCommand, OutboxRejection } from "../shared/outbox-types";
import { listCommands, removeCommand, updateCommand } from "./outbox";

export interface SendResult {
  status: number;
  body: unknown;
  retryAfterSeconds?: number | null;
}
/** Sends one command with its id as Idempotency-Key; throws (TypeError) when there is no answer. */
export type Sender = (cmd: OutboxCommand) => Promise<SendResult>;

export interface DrainReport {
  sent: number;
  rejected: number;
  /** Commands that failed for now (no answer, 5xx, 408, 429) and wait for their backoff. */
  deferred: number;
  stoppedForAuth: boolean;
}

export interface DrainHooks {
  onSent?: (cmd: OutboxCommand, result: SendResult) => void;
  onRejected?: (cmd: OutboxCommand) => void;
  onAuthRequired?: () => void;
  /** Retry commands that failed for want of a network now, backoff or not (we are back online). */
  retryNetworkFailuresNow?: boolean;
  /** Whether a command may go now; one that may not (queued by another person on a shared
   * handheld, whose session this is not) waits, and so do the later ones of its record. */
  mayNowSend?: (cmd: OutboxCommand) => boolean;
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;
const JITTER = 0.2;
/** A send without an answer by then counts as a network failure; the key makes a resend safe. */
export const SEND_TIMEOUT_MS = 30_000;
const NETWORK_ERROR = "Network error";
const LOCK_NAME = "takt-outbox-drain";

/** Wait before the next attempt: 1 s, 2 s, 4 s… capped at 60 s, ±20 % jitter; Retry-After wins. */
export function backoffDelay(
  attempts: number,
  random: () => number = Math.random,
  retryAfterSeconds?: number | null,
): number {
  if (retryAfterSeconds != null && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return retryAfterSeconds * 1000;
  }
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(Math.max(attempts, 1) - 1, 16));
  // Jitter spreads the retries of many handhelds that lost the same access point at once,
  // also at the cap (48-60 s), where they would otherwise stay in lockstep.
  return Math.round(Math.min(MAX_DELAY_MS, base * (1 + JITTER * (2 * random() - 1))));
}

// Stands in for Web Locks where the browser has none; it guards this context only, so two
// tabs might then both send a command, which its Idempotency-Key makes harmless.
let drainingHere = false;

/** Run `fn` only if no other drainer (in any tab or the service worker) is running; else null. */
async function withDrainLock<T>(fn: () => Promise<T>): Promise<T | null> {
  const locks = typeof navigator === "undefined" ? null : (navigator.locks as LockManager | null | undefined);
  if (locks && typeof locks.request === "function") {
    return locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? fn() : null));
  }
  if (drainingHere) return null;
  drainingHere = true;
  try {
    return await fn();
  } finally {
    drainingHere = false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

function safely(hook: () => void): void {
  try {
    hook();
  } catch (error) {
    console.error("outbox hook failed", error); // the app's reaction must not stall the queue
  }
}

/** Why the server said no, from its RFC 9457 problem body, with fallbacks for anything else. */
export function readRejection(status: number, body: unknown): OutboxRejection {
  const fields = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : null);
  const title = text(fields.title) ?? `The server refused this command (HTTP ${status}).`;
  const plain = typeof body === "string" && body.trim() ? body.trim().slice(0, 500) : null;
  return {
    status,
    code: text(fields.code) ?? text(fields.type)?.match(/^urn:takt:problem:(.+)$/)?.[1] ?? null,
    title,
    detail: text(fields.detail) ?? plain ?? title,
  };
}

function sendWithTimeout(send: Sender, cmd: OutboxCommand): Promise<SendResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TypeError(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)), SEND_TIMEOUT_MS);
  });
  return Promise.race([send(cmd), timeout]).finally(() => clearTimeout(timer));
}

type Outcome = "sent" | "deferred" | "rejected" | "auth" | "gone";

async function sendOne(cmd: OutboxCommand, send: Sender, now: () => number, hooks: DrainHooks): Promise<Outcome> {
  // Marked first, so a tab that dies mid-send leaves a trace; the next drain sends it again.
  const sending = await updateCommand(cmd.id, (c) => ({ ...c, state: "sending" }));
  if (sending === undefined) return "gone"; // discarded meanwhile
  const defer = async (lastError: string, retryAfterSeconds?: number | null): Promise<Outcome> => {
    await updateCommand(cmd.id, (c) => {
      const attempts = c.attempts + 1;
      const nextAttemptAt = now() + backoffDelay(attempts, Math.random, retryAfterSeconds);
      return { ...c, state: "pending", attempts, nextAttemptAt, lastError };
    });
    return "deferred";
  };

  let result: SendResult;
  try {
    result = await sendWithTimeout(send, sending);
  } catch (error) {
    return defer(`${NETWORK_ERROR}: ${messageOf(error)}`);
  }
  const { status } = result;
  if (status >= 200 && status < 300) {
    await removeCommand(cmd.id);
    safely(() => hooks.onSent?.(sending, result));
    return "sent";
  }
  if (status === 401) {
    // The session ended; the command is fine and goes once the person signs in again.
    await updateCommand(cmd.id, (c) => ({ ...c, state: "pending", lastError: "Sign in again to send this." }));
    safely(() => hooks.onAuthRequired?.());
    return "auth";
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    const rejection = readRejection(status, result.body);
    const rejected = await updateCommand(cmd.id, (c) => ({
      ...c,
      state: "rejected",
      attempts: c.attempts + 1,
      lastError: rejection.detail,
      rejection,
    }));
    if (rejected !== undefined) safely(() => hooks.onRejected?.(rejected));
    return "rejected";
  }
  // 5xx, 408, 429 and anything unexpected: the server may take it later.
  const detail = readRejection(status, result.body).detail;
  return defer(`HTTP ${status}: ${detail}`, result.retryAfterSeconds);
}

const isDue = (cmd: OutboxCommand, at: number, hooks: DrainHooks): boolean =>
  cmd.nextAttemptAt <= at || (hooks.retryNetworkFailuresNow === true && !!cmd.lastError?.startsWith(NETWORK_ERROR));

async function drainLocked(send: Sender, now: () => number, hooks: DrainHooks): Promise<DrainReport> {
  const report: DrainReport = { sent: 0, rejected: 0, deferred: 0, stoppedForAuth: false };
  const tried = new Set<string>(); // at most one attempt per command per drain
  for (;;) {
    // A record's commands go strictly in order: once one of them cannot go (rejected,
    // waiting out a backoff, failed just now), the later ones of that record wait too.
    const blocked = new Set<string>();
    let sentAny = false;
    for (const cmd of await listCommands()) {
      if (blocked.has(cmd.recordKey)) continue;
      // "sending" here was left by a tab that died: we hold the lock, so nobody else sends.
      if (cmd.state === "rejected" || tried.has(cmd.id) || !isDue(cmd, now(), hooks) ||
          (hooks.mayNowSend && !hooks.mayNowSend(cmd))) {
        blocked.add(cmd.recordKey);
        continue;
      }
      tried.add(cmd.id);
      const outcome = await sendOne(cmd, send, now, hooks);
      if (outcome === "sent") {
        report.sent += 1;
        sentAny = true;
      } else if (outcome === "auth") {
        report.stoppedForAuth = true;
        return report;
      } else if (outcome !== "gone") {
        blocked.add(cmd.recordKey);
        report[outcome === "rejected" ? "rejected" : "deferred"] += 1;
      }
    }
    if (!sentAny) return report; // else look again: commands may have been queued meanwhile
  }
}

/** Drain once if no other drainer runs; null when one does (the internal form of drainOnce). */
export function drainIfFree(send: Sender, now: () => number = Date.now, hooks: DrainHooks = {}): Promise<DrainReport | null> {
  return withDrainLock(() => drainLocked(send, now, hooks));
}

/** Send every command that is due, in order. Returns at once with nothing done if another drainer runs. */
export async function drainOnce(send: Sender, now: () => number = Date.now, hooks: DrainHooks = {}): Promise<DrainReport> {
  return (await drainIfFree(send, now, hooks)) ?? { sent: 0, rejected: 0, deferred: 0, stoppedForAuth: false };
}

// --- when to drain ----------------------------------------------------------------------

export interface SyncOptions {
  send: Sender;
  onSent?: (cmd: OutboxCommand, result: SendResult) => void;
  onRejected?: (cmd: OutboxCommand) => void;
  onAuthRequired?: () => void;
  mayNowSend?: (cmd: OutboxCommand) => boolean;
}

const MIN_TIMER_MS = 1_000; // even a "Retry-After: 0" loop gets a breath
const MAX_TIMER_MS = 10 * 60_000; // setTimeout misbehaves past 2^31 ms; look again long before
const BUSY_RETRY_MS = 2_000; // another tab drains; look again in case it read the list too early

/** When the next command at the head of its record's line is due; null if none waits. */
async function nextDueAt(mayNowSend?: (cmd: OutboxCommand) => boolean): Promise<number | null> {
  const heads = new Set<string>();
  let earliest: number | null = null;
  for (const cmd of await listCommands()) {
    if (heads.has(cmd.recordKey)) continue; // later commands of a record wait for its head
    heads.add(cmd.recordKey);
    // Another person's command waits for their sign-in (a kick), not for a timer.
    if (mayNowSend && !mayNowSend(cmd)) continue;
    if (cmd.state !== "rejected") earliest = Math.min(earliest ?? Infinity, cmd.nextAttemptAt);
  }
  return earliest;
}

interface EventSource {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}
interface VisibleDocument extends EventSource {
  visibilityState: string;
}

/**
 * Keep the outbox draining: now, when the device comes online, when the app becomes visible,
 * on kick() (after each enqueue and each websocket reconnect), and when the earliest backoff
 * ends. The explicit triggers also retry network failures at once rather than waiting out
 * their backoff: they are the moments the network has likely come back.
 */
export function startSync(options: SyncOptions): { kick(): void; stop(): void } {
  const hooks = { onSent: options.onSent, onRejected: options.onRejected, onAuthRequired: options.onAuthRequired,
    mayNowSend: options.mayNowSend };
  const target = globalThis as unknown as EventSource & { document?: VisibleDocument };
  const doc = target.document;
  let stopped = false;
  let running = false;
  let again: boolean | null = null; // a trigger came during a run: run once more (eager?)
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delayMs: number): void => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void run(false), Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, delayMs)));
  };

  const run = async (eager: boolean): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = (again ?? false) || eager;
      return;
    }
    // The browser knows it has no network at all; the "online" event will bring us back.
    if (typeof navigator !== "undefined" && navigator.onLine === false) return;
    running = true;
    try {
      const report = await drainIfFree(options.send, Date.now, { ...hooks, retryNetworkFailuresNow: eager });
      if (report === null) schedule(BUSY_RETRY_MS);
      else if (!report.stoppedForAuth) {
        // After a 401 we wait for a kick (the app signs in again), not a timer.
        const due = await nextDueAt(options.mayNowSend);
        if (due === null) clearTimeout(timer);
        else schedule(due - Date.now());
      }
    } catch (error) {
      console.error("outbox drain failed", error); // e.g. storage trouble; try again later
      schedule(MAX_DELAY_MS);
    } finally {
      running = false;
      if (again !== null && !stopped) {
        const eagerAgain = again;
        again = null;
        void run(eagerAgain);
      }
    }
  };

  const onOnline = (): void => void run(true);
  const onVisibility = (): void => {
    if (doc?.visibilityState === "visible") void run(true);
  };
  target.addEventListener("online", onOnline);
  doc?.addEventListener("visibilitychange", onVisibility);
  void run(true);

  return {
    kick: () => void run(true),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      target.removeEventListener("online", onOnline);
      doc?.removeEventListener("visibilitychange", onVisibility);
    },
  };
}
