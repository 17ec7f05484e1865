// Updates are offered, never forced: a new version waits until the person agrees, no form holds
// unsaved input and the outbox is empty. Devices that stay open a whole shift also look for a
// new version.json whenever the app comes back into view.
import { computed, signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { Workbox } from "workbox-window";
import { waitingCount } from "./outbox";

declare const __TAKT_BUILD__: string;

export const updateWaiting = signal(false);
/** Forms with unsaved input register here; an update never reloads under them. */
export const unsavedForms = signal(0);

/** Hold updates back while `dirty` (a typed code, a quantity on the pad). */
export function useHoldsUnsavedInput(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    unsavedForms.value += 1;
    return () => {
      unsavedForms.value -= 1;
    };
  }, [dirty]);
}
export const canApplyUpdate = computed(() => updateWaiting.value && unsavedForms.value === 0 && waitingCount.value === 0);
export const BUILD = typeof __TAKT_BUILD__ === "string" ? __TAKT_BUILD__ : "dev";

let wb: Workbox | null = null;

async function checkVersion(): Promise<void> {
  if (document.visibilityState !== "visible" || !wb) return;
  try {
    const response = await fetch("/version.json", { cache: "no-store" });
    const { build } = (await response.json()) as { build: string };
    if (build !== BUILD) await wb.update();
  } catch {
    // Offline or no version file: try again next time.
  }
}

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  wb = new Workbox("/sw.js");
  wb.addEventListener("waiting", () => (updateWaiting.value = true));
  void wb.register();
  document.addEventListener("visibilitychange", () => void checkVersion());
}

export function applyUpdate(): void {
  if (!wb || !canApplyUpdate.value) return;
  wb.addEventListener("controlling", () => location.reload());
  wb.messageSkipWaiting();
}

export function checkForUpdate(): Promise<void> {
  return checkVersion();
}
