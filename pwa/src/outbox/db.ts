// The app's one IndexedDB database, "takt". Every store is declared here with its version
// history, so the page and the service worker always agree on the shape of what is saved.
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { OutboxCommand } from "../shared/outbox-types";

export const DB_NAME = "takt";
export const DB_VERSION = 1;

/** Screen data saved for reading offline. */
export interface CacheRecord<T = unknown> {
  key: string;
  value: T;
  savedAt: number;
}

/** Small facts the app keeps about itself (e.g. the last outbox seq handed out). */
export interface MetaRecord<T = unknown> {
  key: string;
  value: T;
}

export interface TaktDB extends DBSchema {
  outbox: { key: string; value: OutboxCommand; indexes: { seq: number } };
  cache: { key: string; value: CacheRecord };
  meta: { key: string; value: MetaRecord };
}

export type TaktDatabase = IDBPDatabase<TaktDB>;

let opening: Promise<TaktDatabase> | null = null;

/** The open database, opened once per context and reopened if the browser closed it. */
export function openTaktDb(): Promise<TaktDatabase> {
  opening ??= openDB<TaktDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      // One step per version, never edited once shipped: a device may jump several at once.
      if (oldVersion < 1) {
        db.createObjectStore("outbox", { keyPath: "id" }).createIndex("seq", "seq", { unique: true });
        db.createObjectStore("cache", { keyPath: "key" });
        db.createObjectStore("meta", { keyPath: "key" });
      }
    },
    blocking() {
      // A newer app version in another tab wants to upgrade: step aside rather than block it.
      void forget();
    },
    terminated() {
      opening = null;
    },
  }).catch((error: unknown) => {
    opening = null; // let the next call try again instead of caching the failure
    throw error;
  });
  return opening;
}

async function forget(): Promise<void> {
  const pending = opening;
  opening = null;
  if (pending) (await pending.catch(() => null))?.close();
}

/** A saved copy of screen data, or undefined when this device has none. */
export async function cacheGet<T>(key: string): Promise<T | undefined> {
  return (await cacheEntry<T>(key))?.value;
}

/** A saved copy with the time it was saved, to tell the person how old it is. */
export async function cacheEntry<T>(key: string): Promise<CacheRecord<T> | undefined> {
  const db = await openTaktDb();
  return (await db.get("cache", key)) as CacheRecord<T> | undefined;
}

/** Save screen data for offline reading; the value must be structured-cloneable. */
export async function cachePut(key: string, value: unknown): Promise<void> {
  const db = await openTaktDb();
  await db.put("cache", { key, value, savedAt: Date.now() });
}

/** Close and delete the database, so each test starts from nothing. */
export async function resetTaktDbForTests(): Promise<void> {
  await forget();
  await deleteDB(DB_NAME);
}

/** A small value kept on the device (the signed-in user's id, read by the service worker). */
export async function metaGet<T>(key: string): Promise<T | undefined> {
  const db = await openTaktDb();
  return (await db.get("meta", key))?.value as T | undefined;
}

export async function metaPut(key: string, value: unknown): Promise<void> {
  const db = await openTaktDb();
  await db.put("meta", { key, value });
}
