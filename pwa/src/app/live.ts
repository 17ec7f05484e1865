// One websocket per app for live updates. Screens say which topics they watch; events on those
// topics reach their listeners, and after a reconnect every listener re-fetches (it may have
// missed events while the connection was down).
import { signal } from "@preact/signals";

export type LiveState = "connecting" | "open" | "closed";
export const liveState = signal<LiveState>("closed");

export interface LiveEvent {
  type: string;
  id?: string | number;
  version?: number;
  at?: string;
  [key: string]: unknown;
}
type Listener = (event: LiveEvent | null) => void; // null: reconnected, re-fetch everything

/** Close code the server uses when the sign-in behind the connection has expired. */
const SIGN_IN_EXPIRED = 4401;
let onSignInExpired: () => void = () => {};

const listeners = new Map<string, Set<Listener>>();
const reconnectHooks = new Set<() => void>();
let socket: WebSocket | null = null;
let attempts = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let wanted = false;

function send(message: unknown): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function connect(): void {
  if (!wanted || socket) return;
  const url = new URL("/api/v1/live", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  liveState.value = "connecting";
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    const reconnected = attempts > 0;
    attempts = 0;
    liveState.value = "open";
    if (listeners.size) send({ subscribe: [...listeners.keys()] });
    if (reconnected) {
      for (const set of listeners.values()) for (const l of set) l(null);
      for (const hook of reconnectHooks) hook();
    }
  };
  ws.onmessage = (msg) => {
    if (socket !== ws) return; // a connection this app already replaced
    let data: { topic?: string; event?: LiveEvent };
    try {
      data = JSON.parse(String(msg.data));
    } catch {
      return;
    }
    if (data.topic && data.event) for (const l of listeners.get(data.topic) ?? []) l(data.event);
  };
  ws.onclose = (event) => {
    if (socket !== ws) return; // a connection this app already replaced
    socket = null;
    liveState.value = "closed";
    if (event.code === SIGN_IN_EXPIRED) {
      wanted = false;
      onSignInExpired();
      return;
    }
    if (!wanted) return;
    attempts += 1;
    // Back off 1 s, 2 s, 4 s ... up to 30 s, so a restarting server is not stampeded.
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempts - 1, 5)) * (0.8 + Math.random() * 0.4);
    retryTimer = setTimeout(connect, delay);
  };
}

/** Open the connection (after sign-in) and keep it open; `expired` runs when the server ends
 * it because the sign-in expired. */
export function startLive(expired: () => void): void {
  onSignInExpired = expired;
  wanted = true;
  connect();
}

/** Close it (sign-out): the next user gets a connection with their own cookie. */
export function stopLive(): void {
  wanted = false;
  clearTimeout(retryTimer);
  const closing = socket;
  socket = null;
  closing?.close();
  liveState.value = "closed";
  attempts = 0;
}

/** Reconnect now instead of waiting for the backoff (the device came back online). */
export function reconnectLiveNow(): void {
  if (!wanted || socket) return;
  clearTimeout(retryTimer);
  connect();
}

/** Watch a topic while a screen is open; returns the function that stops watching. */
export function watch(topic: string, listener: Listener): () => void {
  let set = listeners.get(topic);
  if (!set) {
    set = new Set();
    listeners.set(topic, set);
    send({ subscribe: [topic] });
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (!set.size) {
      listeners.delete(topic);
      send({ unsubscribe: [topic] });
    }
  };
}

/** Run `hook` after every reconnect (the outbox drains then). */
export function onReconnect(hook: () => void): () => void {
  reconnectHooks.add(hook);
  return () => reconnectHooks.delete(hook);
}
