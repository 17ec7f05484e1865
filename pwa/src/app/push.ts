// Web push plumbing: subscribe this device for the signed-in user, unsubscribe, send a test.
// The andon module sends the real alarms through the same subscriptions.
import { signal } from "@preact/signals";
import { api, unwrap } from "../api/client";
import { t } from "../i18n";
import { clientConfig, loadClientConfig } from "./config";

export type PushState = "unsupported" | "denied" | "off" | "on";
export const pushState = signal<PushState>("off");

function supported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const pad = "=".repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob((base64url + pad).replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function deviceName(): string {
  const ua = navigator.userAgent;
  const model = /Android [\d.]+; ([^;)]+)/.exec(ua)?.[1];
  return model ?? (/(iPhone|iPad|Windows|Macintosh|Linux)/.exec(ua)?.[1] ?? "Browser");
}

async function currentSubscription(): Promise<PushSubscription | null> {
  if (!supported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return (await registration?.pushManager.getSubscription()) ?? null;
}

async function register(subscription: PushSubscription): Promise<void> {
  const json = subscription.toJSON();
  await unwrap(api.POST("/api/v1/push/subscriptions", {
    body: { endpoint: subscription.endpoint, keys: { p256dh: json.keys!.p256dh!, auth: json.keys!.auth! }, device: deviceName() },
  }));
}

/** A shared device's notifications follow whoever signs in: the server moves the subscription
 * to them. (After an idle sign-out they stay with the last person: a supervisor's own phone
 * keeps ringing.) */
export async function followSignedInUser(id: number | null): Promise<void> {
  if (id === null) return;
  try {
    const subscription = await currentSubscription();
    if (subscription) await register(subscription);
  } catch {
    // Offline or refused: the next sign-in tries again.
  }
  await refreshPushState();
}

/** Someone signs out on purpose: their alarms must stop coming to this device. */
export async function forgetPushOnThisDevice(): Promise<void> {
  const subscription = await currentSubscription().catch(() => null);
  if (!subscription) return;
  await api.DELETE("/api/v1/push/subscriptions", { params: { query: { endpoint: subscription.endpoint } } }).catch(() => undefined);
  await subscription.unsubscribe().catch(() => false);
  pushState.value = "off";
}

/** "on" only when this browser is subscribed and the server has it for the signed-in user. */
export async function refreshPushState(): Promise<void> {
  if (!supported()) return void (pushState.value = "unsupported");
  if (Notification.permission === "denied") return void (pushState.value = "denied");
  const subscription = await currentSubscription();
  if (!subscription) return void (pushState.value = "off");
  try {
    const mine = await unwrap(api.GET("/api/v1/push/subscriptions"));
    pushState.value = mine.data.some((s) => s.endpoint === subscription.endpoint) ? "on" : "off";
  } catch {
    pushState.value = "on"; // offline: trust the browser until the server can be asked
  }
}

export async function enablePush(): Promise<void> {
  if (!supported()) return;
  const config = clientConfig.value ?? (await loadClientConfig());
  if (!config?.vapid_public_key) throw new Error(t("push.noKey"));
  if ((await Notification.requestPermission()) !== "granted") {
    pushState.value = "denied";
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(config.vapid_public_key),
  });
  await register(subscription);
  pushState.value = "on";
}

export async function sendTestPush(): Promise<number> {
  const result = await unwrap(api.POST("/api/v1/push/test"));
  return (result as { sent: number }).sent;
}
