// Screens read through here: the network when it answers, else this device's saved copy, so
// the people on the floor keep working through a Wi-Fi dead zone.
import { isNetworkError } from "../api/errors";
import { cacheEntry, cachePut } from "../outbox/db";

export interface Fetched<T> {
  value: T;
  /** When the copy shown was saved; null when it came from the server just now. */
  savedAt: number | null;
}

export async function fetchOrSaved<T>(key: string, fetcher: () => Promise<T>): Promise<Fetched<T>> {
  try {
    const value = await fetcher();
    await cachePut(key, value);
    return { value, savedAt: null };
  } catch (err) {
    if (!isNetworkError(err)) throw err;
    const entry = await cacheEntry<T>(key);
    if (!entry) throw err;
    return { value: entry.value, savedAt: entry.savedAt };
  }
}
