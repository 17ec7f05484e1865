// The server's settings the app needs (idle sign-out, scan repeat window, push key, version),
// kept for offline.
import { signal } from "@preact/signals";

export interface ClientConfig {
  version: string;
  idle_signout_minutes: number;
  /** Missing from a copy saved by an older version. */
  scan_repeat_window_ms?: number;
  /** Seconds an operator may undo their own work report (missing from older copies too). */
  report_undo_seconds?: number;
  vapid_public_key: string;
  public_url: string;
}

const KEY = "takt.client-config";

function saved(): ClientConfig | null {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "null") as ClientConfig | null;
  } catch {
    return null;
  }
}

export const clientConfig = signal<ClientConfig | null>(saved());

export async function loadClientConfig(): Promise<ClientConfig | null> {
  try {
    const response = await fetch("/api/v1/client-config", { headers: { Accept: "application/json" } });
    if (response.ok) {
      const config = (await response.json()) as ClientConfig;
      clientConfig.value = config;
      localStorage.setItem(KEY, JSON.stringify(config));
    }
  } catch {
    // Offline: the saved copy serves.
  }
  return clientConfig.value;
}
