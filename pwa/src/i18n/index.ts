// One i18n layer for every string on screen. Keys are namespaced ("signin.title"); a key
// missing in a language falls back to English, and the completeness test keeps that rare.
import { signal } from "@preact/signals";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

export type Messages = { [key: string]: string | Messages };
export const LOCALES = { en: en as Messages, "zh-CN": zhCN as Messages } as const;
export type Locale = keyof typeof LOCALES;
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

const STORAGE_KEY = "takt.locale";

/** The best supported locale for a list of browser languages ("zh" and "zh-Hans" mean zh-CN). */
export function pickLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const lower = lang.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved && saved in LOCALES) return saved as Locale;
  return pickLocale(globalThis.navigator?.languages ?? []);
}

export const locale = signal<Locale>(initialLocale());

export function setLocale(next: Locale): void {
  locale.value = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  if (globalThis.document) document.documentElement.lang = next;
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** Every leaf key of a message tree, dotted ("app.title"). */
export function keysOf(messages: Messages, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === "string" ? [prefix + k] : keysOf(v, `${prefix}${k}.`),
  );
}

/** The text for a key in the current locale, with `{name}` placeholders filled in. */
export function t(key: string, params?: Record<string, string | number>): string {
  const text = lookup(LOCALES[locale.value], key) ?? lookup(LOCALES.en, key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

