// Ask the browser to keep this app's storage (the outbox, saved records) under storage pressure.
import { signal } from "@preact/signals";

export const persisted = signal(false);

export async function requestPersistentStorage(): Promise<void> {
  if (!navigator.storage?.persist) return;
  persisted.value = (await navigator.storage.persisted()) || (await navigator.storage.persist());
}
