// Whether the device believes it is online; the outbox and the top bar react to it.
import { signal } from "@preact/signals";

export const online = signal(globalThis.navigator?.onLine ?? true);
globalThis.addEventListener?.("online", () => (online.value = true));
globalThis.addEventListener?.("offline", () => (online.value = false));
