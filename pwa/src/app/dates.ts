// Every date and time the app shows, in the app's language (not the browser's), on a 24-hour
// clock and without seconds: "15 Dec 2026, 00:19" / "2026年12月15日 00:19". Screens pass what
// the server sent (an ISO string) or epoch milliseconds; a plain date (yyyy-mm-dd, an expiry)
// is a calendar day and is never shifted by the time zone.
import { locale, type Locale } from "../i18n";

export type When = string | number | Date;

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

const CLOCK: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const DAY: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };

/** A plain date (yyyy-mm-dd) is that day on the local calendar; anything else is an instant. */
function toDate(when: When): Date | null {
  if (when instanceof Date) return Number.isNaN(when.getTime()) ? null : when;
  if (typeof when === "string") {
    const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(when);
    if (plain) return new Date(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3]));
  }
  const d = new Date(when);
  return Number.isNaN(d.getTime()) ? null : d;
}

function format(when: When | null | undefined, options: Intl.DateTimeFormatOptions, lang: Locale): string {
  if (when === null || when === undefined || when === "") return "—";
  const d = toDate(when);
  return d ? formatter(lang, options).format(d) : String(when);
}

/** Day and clock time: "15 Dec 2026, 00:19". */
export const formatDateTime = (when: When | null | undefined, lang: Locale = locale.value): string =>
  format(when, { ...DAY, ...CLOCK }, lang);

/** The day alone: "15 Dec 2026". */
export const formatDate = (when: When | null | undefined, lang: Locale = locale.value): string =>
  format(when, DAY, lang);

/** The clock time alone: "00:19". */
export const formatTime = (when: When | null | undefined, lang: Locale = locale.value): string =>
  format(when, CLOCK, lang);

/** The clock time when it is today, else day and time: for things of the last hours or days. */
export function formatRecent(when: When | null | undefined, lang: Locale = locale.value, now: Date = new Date()): string {
  const d = when === null || when === undefined || when === "" ? null : toDate(when);
  if (!d) return format(when, CLOCK, lang);
  const today = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return today ? formatTime(d, lang) : formatDateTime(d, lang);
}
