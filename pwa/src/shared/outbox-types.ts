// The outbox record, shared by the page and the service worker (so no DOM types here).
// A command waits in IndexedDB until the server has answered it; its id is the
// Idempotency-Key, so sending it twice can never do the work twice.

/** pending: waiting for its turn; sending: in flight (or left by a tab that died); rejected: the server said no. */
export type OutboxState = "pending" | "sending" | "rejected";

/** Why the server refused a command, read from its RFC 9457 problem body. */
export interface OutboxRejection {
  status: number;
  code: string | null;
  title: string;
  detail: string;
}

export interface OutboxCommand {
  /** crypto.randomUUID(), sent as the Idempotency-Key header. */
  id: string;
  /** Global FIFO order, monotonic across the life of the database. */
  seq: number;
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  /** "/api/v1/..." */
  path: string;
  /** The JSON body. */
  body: unknown;
  /** FIFO group, e.g. "OP:OP-2026-00001": commands of one record go strictly in order. */
  recordKey: string;
  /** What the person sees in lists ("Report 5 good on OP-…"). */
  label: string;
  userId: number | null;
  createdAt: number;
  attempts: number;
  /** Epoch ms before which the drainer leaves the command alone (backoff). */
  nextAttemptAt: number;
  state: OutboxState;
  lastError: string | null;
  rejection: OutboxRejection | null;
}

/** Posted on BroadcastChannel("takt-outbox") whenever any context changes the outbox. */
export type OutboxMessage = { type: "outbox-changed" };

export const OUTBOX_CHANNEL = "takt-outbox";

/** The meta record holding the id of the person signed in on this device: the service worker
 * stamps the commands it queues (notification actions) with it. */
export const SIGNED_IN_KEY = "signed-in-user";
