/// <reference lib="webworker" />
// Takt's service worker: precache the app shell (the list comes from Workbox at build time),
// answer every app URL with it offline, keep the camera decoder once it was fetched, show
// every push as a notification, and turn notification actions into outbox commands.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { ExpirationPlugin } from "workbox-expiration";
import { CacheFirst } from "workbox-strategies";
import { metaGet } from "../outbox/db";
import { enqueue } from "../outbox/outbox";
import { SIGNED_IN_KEY } from "../shared/outbox-types";
import type { PushPayload } from "../shared/push-types";

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every app URL (home, records, label links /S/...) opens the shell; the server's own pages
// and the API never do.
registerRoute(new NavigationRoute(createHandlerBoundToURL("/index.html"), {
  denylist: [/^\/api\//, /^\/admin/, /^\/schema/, /^\/health/, /^\/ready/, /^\/ca\.crt/],
}));

// The ZXing decoder is not precached (a trigger-scanning handheld never needs it); once the
// camera has loaded it, it is kept for offline use.
registerRoute(
  ({ url }) => url.pathname.endsWith(".wasm") || url.pathname.startsWith("/assets/ponyfill-"),
  // Hashed names: a new build's decoder replaces the old one instead of piling up.
  new CacheFirst({ cacheName: "takt-decoder", plugins: [new ExpirationPlugin({ maxEntries: 4 })] }),
);

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") void self.skipWaiting();
});

function readPayload(event: PushEvent): PushPayload {
  try {
    const data = event.data?.json() as Partial<PushPayload> | undefined;
    if (data && typeof data.title === "string") return { body: "", url: "/", ...data } as PushPayload;
  } catch {
    // Not JSON: show the text as it came.
  }
  return { title: "Takt", body: event.data?.text() ?? "", url: "/" };
}

// Browsers require every push to show a notification; this one always does.
self.addEventListener("push", (event) => {
  const payload = readPayload(event);
  event.waitUntil(self.registration.showNotification(payload.title, {
    body: payload.body,
    tag: payload.tag,
    data: payload,
    icon: "/icons/icon-192.png",
    badge: "/icons/badge-96.png",
    requireInteraction: Boolean(payload.tag?.startsWith("andon")),
    actions: (payload.actions ?? []).map(({ action, title }) => ({ action, title })),
  } as NotificationOptions));
});

async function focusOrOpen(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if ("focus" in client) {
      client.postMessage({ type: "outbox-kick" });
      await client.navigate(url).catch(() => undefined);
      await client.focus();
      return;
    }
  }
  await self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  const payload = event.notification.data as PushPayload | undefined;
  event.notification.close();
  event.waitUntil((async () => {
    const action = payload?.actions?.find((a) => a.action === event.action);
    if (action?.command) {
      // The command goes through the outbox like any other: exactly once, even offline.
      await enqueue({
        method: action.command.method,
        path: action.command.path,
        body: action.command.body ?? null,
        recordKey: action.command.record_key ?? action.command.path,
        label: action.title,
        // Sent only in the session of the person who was signed in when they tapped it.
        userId: (await metaGet<number | null>(SIGNED_IN_KEY)) ?? null,
      });
    }
    await focusOrOpen(payload?.url ?? "/");
  })());
});
