// Who is signed in on this device, and the ways in and out: password, badge + PIN, quick
// switch between the people who share a handheld, and sign-out after idle time.
import { computed, signal } from "@preact/signals";
import { api, setUnauthorizedHandler, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { isNetworkError } from "../api/errors";
import { clientConfig } from "./config";

export type User = components["schemas"]["UserOut"];
export type Role = "admin" | "planner" | "operator" | "inspector" | "maintainer" | "supervisor";

export interface KnownUser {
  username: string;
  display_name: string;
  badge: string | null;
}

const USER_KEY = "takt.user";
const KNOWN_KEY = "takt.known-users";
const MAX_KNOWN = 8;

function readJson<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

/** The signed-in user; kept in localStorage so the app opens offline on a shared handheld. */
export const user = signal<User | null>(readJson<User | null>(USER_KEY, null));
/** People who signed in on this device recently, newest first, for the quick switch. */
export const knownUsers = signal<KnownUser[]>(readJson<KnownUser[]>(KNOWN_KEY, []));
/** Set when the server said the session ended (expired token, signed out elsewhere). */
export const sessionExpired = signal(false);

export const roles = computed(() => new Set((user.value?.roles ?? []) as Role[]));

function remember(next: User | null): void {
  user.value = next;
  sessionExpired.value = false;
  if (next) {
    localStorage.setItem(USER_KEY, JSON.stringify(next));
    const entry: KnownUser = { username: next.username, display_name: next.display_name, badge: next.badge };
    const others = knownUsers.value.filter((k) => k.username !== next.username);
    knownUsers.value = [entry, ...others].slice(0, MAX_KNOWN);
    localStorage.setItem(KNOWN_KEY, JSON.stringify(knownUsers.value));
  } else {
    localStorage.removeItem(USER_KEY);
  }
}

export function forgetKnownUser(username: string): void {
  knownUsers.value = knownUsers.value.filter((k) => k.username !== username);
  localStorage.setItem(KNOWN_KEY, JSON.stringify(knownUsers.value));
}

export async function signInWithPassword(username: string, password: string): Promise<User> {
  const out = await unwrap(api.POST("/api/v1/auth/login", { body: { username, password } }));
  remember(out.user);
  return out.user;
}

export async function signInWithBadge(badge: string, pin: string): Promise<User> {
  const out = await unwrap(api.POST("/api/v1/auth/badge", { body: { badge, pin } }));
  remember(out.user);
  return out.user;
}

/** Forget the session here and on the server; commands still in the outbox stay for later. */
export async function signOut(): Promise<void> {
  remember(null);
  try {
    await api.POST("/api/v1/auth/logout");
  } catch {
    // Offline: the cookie expires on its own; this device already forgot the user.
  }
}

/** Re-check the session with the server; offline, keep the cached user. */
export async function refreshSession(): Promise<void> {
  const asked = user.value;
  if (!asked) return;
  try {
    const { data, response } = await api.GET("/api/v1/me");
    // Someone may have signed out or switched while the answer was on its way.
    if (user.value?.id !== asked.id) return;
    if (response.ok && data) remember(data);
    else if (response.status === 401) expire();
  } catch (err) {
    if (!isNetworkError(err)) throw err;
  }
}

/** The server no longer knows this session: ask the person to sign in again. */
export function expire(): void {
  if (user.value) {
    sessionExpired.value = true;
    remember(null);
  }
}

setUnauthorizedHandler(expire);

// --- idle sign-out -------------------------------------------------------------------------

const ACTIVE_KEY = "takt.last-active";
const DEFAULT_IDLE_MINUTES = 15;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function idleMinutes(): number {
  return clientConfig.value?.idle_signout_minutes ?? DEFAULT_IDLE_MINUTES;
}

function signOutIfIdle(): boolean {
  const minutes = idleMinutes();
  const last = Number(localStorage.getItem(ACTIVE_KEY) ?? 0);
  if (user.value && minutes > 0 && last > 0 && Date.now() - last >= minutes * 60_000) {
    void signOut();
    return true;
  }
  return false;
}

function armIdleTimer(): void {
  clearTimeout(idleTimer);
  const minutes = idleMinutes();
  if (minutes > 0 && user.value) idleTimer = setTimeout(() => void signOut(), minutes * 60_000);
}

function touched(): void {
  // Kept on the device, so an app the phone killed hours ago does not reopen signed in.
  localStorage.setItem(ACTIVE_KEY, String(Date.now()));
  armIdleTimer();
}

/** Sign out after the server's IDLE_SIGNOUT_MINUTES without a touch, key or scan (0 = never),
 * also when the app was closed meanwhile. */
export function startIdleSignOut(): void {
  if (!signOutIfIdle()) touched();
  for (const type of ["pointerdown", "keydown"]) {
    window.addEventListener(type, touched, { passive: true, capture: true });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !signOutIfIdle()) armIdleTimer();
  });
  user.subscribe((u) => (u ? touched() : clearTimeout(idleTimer)));
  clientConfig.subscribe(armIdleTimer);
}
