// GS1 supplier labels: element strings (FNC1 as ASCII GS), the "(01)…(10)…" human-readable
// form and GS1 Digital Link URIs. Mirrors the GS1 half of backend takt/platform/scantext.py.

import type { ParsedScan } from "./parse";
import { GS, ScanTextError, WS, cpLength, repr, unquote } from "./text";

export type Gs1Scan = Extract<ParsedScan, { type: "gs1" }>;

type Field = [ai: string, value: string];

const byKeys = (keys: string[], n: number): [string, number][] => keys.map((k) => [k, n]);
const DIGITS = /^[0-9]+$/;

// Length of the AI itself by its first two digits (GS1 General Specifications, section 3).
// A prefix missing here is not assigned: an unknown AI.
const AI_LENGTH_BY_PREFIX = new Map<string, number>([
  ...byKeys(["00", "01", "02", "03", "10", "11", "12", "13", "15", "16", "17"], 2),
  ...byKeys(["20", "21", "22", "30", "37"], 2),
  ...byKeys(["90", "91", "92", "93", "94", "95", "96", "97", "98", "99"], 2),
  ...byKeys(["23", "24", "25", "40", "41", "42", "71"], 3),
  ...byKeys(["31", "32", "33", "34", "35", "36", "39", "43", "70", "72", "80", "81", "82"], 4),
]);

// The "predefined length" table (figure 7.8.5-2): fixed numeric data, no separator needed.
const FIXED_DATA_LENGTH_BY_PREFIX = new Map<string, number>([
  ["00", 18],
  ...byKeys(["01", "02", "03"], 14),
  ...byKeys(["11", "12", "13", "15", "16", "17"], 6),
  ["20", 2],
  ...byKeys(["31", "32", "33", "34", "35", "36"], 6),
  ["41", 13],
]);

// Longest data of variable-length AIs; any AI not listed may hold up to 90 characters.
const MAX_DATA_LENGTH = new Map<string, number>([
  ...byKeys(["10", "21", "22"], 20),
  ...byKeys(["30", "37"], 8),
  ["90", 30],
  ["235", 28],
  ...byKeys(["240", "241", "250", "251", "400", "401", "403"], 30),
]);
const MAX_ANY_DATA_LENGTH = 90;

const FIELD_NAMES = new Map([
  ["01", "GTIN"],
  ["10", "batch"],
  ["17", "expiry date"],
  ["21", "serial"],
]);

const GTIN_IN_DIGITAL_LINK_LENGTHS = [8, 12, 13, 14];
// Short names that older GS1 Digital Link URIs use instead of AI numbers.
const DIGITAL_LINK_ALIASES = new Map([
  ["gtin", "01"],
  ["cpv", "22"],
  ["lot", "10"],
  ["ser", "21"],
  ["exp", "17"],
]);
const alias = (key: string): string => DIGITAL_LINK_ALIASES.get(key.toLowerCase()) ?? key;
const pad2 = (n: number): string => String(n).padStart(2, "0");
const firstTwo = (s: string): string => Array.from(s).slice(0, 2).join("");

/** Whether the last digit of a GTIN is its GS1 mod-10 check digit. */
export function gtinCheckDigitOk(gtin: string): boolean {
  const body = gtin.slice(0, -1);
  let total = 0;
  for (let i = 0; i < body.length; i++) {
    total += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (total % 10)) % 10 === Number(gtin.slice(-1));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A GS1 YYMMDD date as ISO text, with the century rule of GS1 General Specifications 7.12. */
function expiryDate(value: string, today: Date): string {
  if (!/^[0-9]{6}$/.test(value)) {
    throw new ScanTextError(`The expiry date ${repr(value)} on this GS1 label is not six digits (YYMMDD).`);
  }
  const yy = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  let day = Number(value.slice(4, 6));
  // The year lies from 49 years before to 50 years after the current year.
  const thisYear = today.getFullYear();
  const difference = yy - (thisYear % 100);
  let century = Math.floor(thisYear / 100) * 100;
  if (difference >= 51) century -= 100;
  else if (difference <= -50) century += 100;
  const year = century + yy;
  if (month < 1 || month > 12) {
    throw new ScanTextError(
      `The expiry date ${value} on this GS1 label is not a real date: there is no month ${pad2(month)}.`,
    );
  }
  const lastDay = daysInMonth(year, month);
  if (day === 0) day = lastDay;
  if (day > lastDay) {
    throw new ScanTextError(
      `The expiry date ${value} on this GS1 label is not a real date: ${year}-${pad2(month)} has no day ${pad2(day)}.`,
    );
  }
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** Length of the AI starting at `pos` of the code points `cs`. */
function aiLength(cs: string[], pos: number): number {
  const prefix = cs.slice(pos, pos + 2).join("");
  const length = DIGITS.test(prefix) ? AI_LENGTH_BY_PREFIX.get(prefix) : undefined;
  if (length === undefined) {
    throw new ScanTextError(
      `This GS1 label has ${repr(prefix)} where an application identifier should start, and Takt does not know it, so the rest of the label cannot be read.`,
    );
  }
  const ai = cs.slice(pos, pos + length);
  if (ai.length < length || !DIGITS.test(ai.join(""))) {
    throw new ScanTextError(`This GS1 label ends or breaks off in the application identifier ${repr(ai.join(""))}.`);
  }
  return length;
}

function checkField(ai: string, value: string): void {
  const fixed = FIXED_DATA_LENGTH_BY_PREFIX.get(ai.slice(0, 2));
  if (fixed !== undefined) {
    if (cpLength(value) !== fixed || !DIGITS.test(value)) {
      throw new ScanTextError(`The GS1 field (${ai}) needs exactly ${fixed} digits, but this label has ${repr(value)}.`);
    }
    return;
  }
  if (!value) throw new ScanTextError(`The GS1 field (${ai}) on this label is empty.`);
  const limit = MAX_DATA_LENGTH.get(ai) ?? MAX_ANY_DATA_LENGTH;
  if (cpLength(value) > limit) {
    const name = FIELD_NAMES.get(ai) ?? `field (${ai})`;
    throw new ScanTextError(
      `The ${name} on this GS1 label is longer than ${limit} characters; the scanner may have dropped a separator between two fields.`,
    );
  }
  if (/[\x00-\x1f\x7f]/.test(value)) {
    throw new ScanTextError(`The GS1 field (${ai}) on this label contains control characters.`);
  }
}

/** Split an element string (FNC1 sent as GS): fixed fields by length, others up to GS. */
function splitElementString(data: string): Field[] {
  const cs = Array.from(data); // positions count code points, as in Python
  const fields: Field[] = [];
  let pos = 0;
  while (pos < cs.length) {
    if (cs[pos] === GS) {
      pos += 1; // FNC1 in first position, after a fixed field, or doubled
      continue;
    }
    const ai = cs.slice(pos, pos + aiLength(cs, pos)).join("");
    const start = pos + ai.length;
    const fixed = FIXED_DATA_LENGTH_BY_PREFIX.get(ai.slice(0, 2));
    let stop: number;
    if (fixed !== undefined) {
      stop = Math.min(start + fixed, cs.length);
      pos = stop;
    } else {
      const gs = cs.indexOf(GS, start);
      stop = gs < 0 ? cs.length : gs;
      pos = stop + 1;
    }
    const value = cs.slice(start, stop).join("");
    checkField(ai, value);
    fields.push([ai, value]);
  }
  if (!fields.length) throw new ScanTextError("This GS1 label holds no data.");
  return fields;
}

/** Split the human-readable form `(01)09506000134352(10)ABC`. */
function splitParenthesised(data: string): Field[] {
  const matches = [...data.matchAll(/\((\p{Nd}+)\)/gu)]; // Python's \d is any Unicode digit
  return matches.map((match, index) => {
    const ai = match[1]!;
    if (AI_LENGTH_BY_PREFIX.get(firstTwo(ai)) !== cpLength(ai)) {
      throw new ScanTextError(
        `This GS1 label has the application identifier (${ai}), which Takt does not know, so the rest of the label cannot be read.`,
      );
    }
    const stop = matches[index + 1]?.index ?? data.length;
    const value = data.slice(match.index + match[0].length, stop).replace(new RegExp(`[${WS}]`, "gu"), "");
    checkField(ai, value);
    return [ai, value] satisfies Field;
  });
}

/**
 * Whether the host between brackets is one Python's urlsplit accepts: an IPvFuture literal, or
 * an IPv6 address, optionally with a zone ("%eth0"). The browser's URL parser checks the IPv6
 * address itself; it knows no zones, so one is set aside first.
 */
function bracketedHostOk(host: string): boolean {
  if (host.startsWith("v")) return /^v[a-fA-F0-9]+\..+$/.test(host);
  const zone = host.indexOf("%");
  if (zone >= 0 && (zone === host.length - 1 || host.includes("%", zone + 1))) return false;
  const address = zone >= 0 ? host.slice(0, zone) : host;
  if (!address.includes(":")) return false; // an IPv4 address in brackets is refused too
  try {
    return new URL(`http://[${address}]/`).hostname !== "";
  } catch {
    return false;
  }
}

/** The path and query of a URL, split the way Python's urlsplit does. */
function urlSplit(text: string): { path: string; query: string } {
  let rest = text.replace(/[\t\r\n]/g, "");
  rest = rest.slice(rest.indexOf(":") + 1);
  if (rest.startsWith("//")) {
    const found = rest.slice(2).search(/[/?#]/);
    const end = found < 0 ? rest.length : found + 2;
    const netloc = rest.slice(2, end);
    const bracketed = netloc.includes("[") && netloc.includes("]")
      ? bracketedHostOk(netloc.slice(netloc.indexOf("[") + 1).split("]")[0]!)
      : !netloc.includes("[") && !netloc.includes("]");
    if (!bracketed) {
      // Python raises a plain ValueError here; the scanner deserves a sentence.
      throw new ScanTextError("This scan looks like a web address, but its host cannot be read.");
    }
    rest = rest.slice(end);
  }
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const mark = rest.indexOf("?");
  return mark < 0 ? { path: rest, query: "" } : { path: rest.slice(0, mark), query: rest.slice(mark + 1) };
}

/** Python's parse_qsl(query, keep_blank_values=True). */
function parseQsl(query: string): Field[] {
  const pairs: Field[] = [];
  for (const nameValue of query.split("&")) {
    if (!nameValue) continue;
    const eq = nameValue.indexOf("=");
    const name = eq < 0 ? nameValue : nameValue.slice(0, eq);
    const value = eq < 0 ? "" : nameValue.slice(eq + 1);
    pairs.push([unquote(name.replaceAll("+", " ")), unquote(value.replaceAll("+", " "))]);
  }
  return pairs;
}

/** Read a GS1 Digital Link URI with primary key (01); null if the text is not one. */
function splitDigitalLink(text: string): Field[] | null {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return null;
  const { path, query } = urlSplit(text);
  const segments = path.split("/");
  const index = segments.findIndex((segment, i) => {
    const candidate = segments[i + 1];
    return (
      candidate !== undefined &&
      alias(segment) === "01" &&
      DIGITS.test(candidate) &&
      GTIN_IN_DIGITAL_LINK_LENGTHS.includes(candidate.length)
    );
  });
  if (index < 0) return null; // not a Digital Link with a GTIN-8/12/13/14 as primary key
  const fields: Field[] = [["01", segments[index + 1]!.padStart(14, "0")]];
  const rest = segments.slice(index + 2);
  if (rest.length && rest[rest.length - 1] === "") rest.pop(); // trailing slash
  if (rest.length % 2) {
    throw new ScanTextError(`This GS1 Digital Link has a path part without a value: ${repr(unquote(rest[rest.length - 1]!))}.`);
  }
  for (let k = 0; k < rest.length; k += 2) {
    const key = unquote(rest[k]!);
    const ai = alias(key);
    if (!DIGITS.test(ai)) {
      throw new ScanTextError(
        `This GS1 Digital Link has ${repr(key)} in its path where an application identifier should be.`,
      );
    }
    fields.push([ai, unquote(rest[k + 1]!)]);
  }
  for (const [key, value] of parseQsl(query)) {
    const ai = alias(key);
    if (DIGITS.test(ai)) fields.push([ai, value]); // other keys (linkType, context, ...) are not data
  }
  return fields;
}

/** Pick AIs 01, 10, 17 and 21 out of GS1 fields and check them. */
function gs1FromFields(fields: Field[], raw: string, today: Date): Gs1Scan {
  const found = new Map<string, string>();
  for (const [ai, value] of fields) {
    const name = FIELD_NAMES.get(ai);
    if (name === undefined) continue; // other AIs are skipped
    const seen = found.get(ai);
    if (seen !== undefined && seen !== value) {
      throw new ScanTextError(
        `This GS1 label gives two different values for its ${name}: ${repr(seen)} and ${repr(value)}.`,
      );
    }
    found.set(ai, value);
  }
  const gtin = found.get("01") ?? null;
  if (gtin !== null) {
    if (!/^[0-9]{14}$/.test(gtin)) throw new ScanTextError(`The GTIN ${repr(gtin)} on this GS1 label is not 14 digits.`);
    if (!gtinCheckDigitOk(gtin)) throw new ScanTextError(`The GTIN ${gtin} on this GS1 label has a wrong check digit.`);
  }
  for (const ai of ["10", "21"]) {
    const value = found.get(ai);
    if (value !== undefined) checkField(ai, value);
  }
  const expiry = found.get("17");
  return {
    type: "gs1",
    gtin,
    lot: found.get("10") ?? null,
    expiry: expiry === undefined ? null : expiryDate(expiry, today),
    serial: found.get("21") ?? null,
    text: raw,
  };
}

/** The fields of GS1 data in any accepted form in `text` (symbology identifier removed); null
 * if the text is not GS1. */
function gs1Fields(text: string, claimed: boolean): Field[] | null {
  const linked = splitDigitalLink(text);
  if (linked !== null) return linked;
  const data = text.replace(/<GS>/giu, GS).replace(/^\x1d+|\x1d+$/g, "");
  if (/^\(\p{Nd}+\)/u.test(data)) return splitParenthesised(data);
  if (claimed || (/^[0-9]{2}/.test(data) && data.includes(GS))) return splitElementString(data);
  if (/^01[0-9]{14}/.test(data)) {
    // Digits count as GS1 only when they start with (01) and the rest parses too;
    // a plain GTIN-8/12/13/14 stays a bare code.
    try {
      return splitElementString(data);
    } catch (error) {
      if (error instanceof ScanTextError) return null;
      throw error;
    }
  }
  return null;
}

/** Read GS1 data in any accepted form from `text` (symbology identifier removed); null if not GS1. */
export function parseGs1(text: string, claimed: boolean, raw: string, today: Date): Gs1Scan | null {
  const fields = gs1Fields(text, claimed);
  return fields === null ? null : gs1FromFields(fields, raw, today);
}

/** How much a GS1 label says the package holds: a count (AI 30, variable count of items; AI
 * 37, count of trade items in a logistic unit) and a net weight in kilograms (AI 310n, n
 * decimals). `unreadable`: the label has such a field that is not a number. The app's own
 * reading, apart from parseScan (whose answers the server shares): the server takes the
 * quantity the receipt sends. */
export interface Gs1Amounts {
  count: number | null;
  netKg: number | null;
  unreadable: boolean;
}

export function gs1Amounts(text: string, claimed: boolean): Gs1Amounts {
  const amounts: Gs1Amounts = { count: null, netKg: null, unreadable: false };
  for (const [ai, value] of gs1Fields(text, claimed) ?? []) {
    if (ai === "30" || ai === "37") {
      if (/^[0-9]{1,8}$/.test(value)) amounts.count ??= Number(value);
      else amounts.unreadable = true;
    } else if (/^310[0-5]$/.test(ai)) {
      const decimals = Number(ai[3]);
      if (/^[0-9]{6}$/.test(value)) amounts.netKg ??= Number(`${value.slice(0, 6 - decimals)}.${value.slice(6 - decimals)}0`);
      else amounts.unreadable = true;
    }
  }
  return amounts;
}
