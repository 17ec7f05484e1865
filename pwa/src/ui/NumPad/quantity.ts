// Exact quantities for the pad and the stepper. A quantity is held as text ("0.015") while it
// is typed and as a count of millionths (a bigint) while it is compared or stepped: binary
// floats cannot say 0.1 + 0.2, and what goes to the server must be what the person typed.
// Six places is what the ledger keeps, so no unit allows more. The point is always '.',
// whatever the browser's locale: a scanner, the server and both our languages write it so.

/** The most decimals any unit can have: the ledger's scale. */
export const MAX_DECIMALS = 6;
const SCALE = 10n ** BigInt(MAX_DECIMALS);

/** A unit's decimals as a count the pad can use: whole, non-negative, at most six. */
export function placesOf(decimals: number | null | undefined): number {
  if (decimals === null || decimals === undefined || !Number.isFinite(decimals)) return 0;
  return Math.min(MAX_DECIMALS, Math.max(0, Math.trunc(decimals)));
}

/**
 * A quantity in millionths. Numbers are first written with six places (toFixed), which also
 * drops the dust float arithmetic leaves on a screen's figures (2.9999999999999996 is 3);
 * decimal text is read digit by digit, rounding half up past the sixth place.
 */
export function toMicro(value: number | string | bigint): bigint {
  if (typeof value === "bigint") return value;
  let text: string;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return 0n;
    // An unbounded maximum (Infinity) is far above anything the server takes (below 10^12).
    if (!Number.isFinite(value)) return (value > 0 ? 1n : -1n) * 10n ** 15n * SCALE;
    text = Math.abs(value) < 1e21 ? value.toFixed(MAX_DECIMALS) : BigInt(Math.trunc(value)).toString();
  } else {
    text = value.trim();
  }
  const match = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === "" && !match[3])) return 0n;
  const [, sign, whole = "", fraction = ""] = match;
  let micro = BigInt(whole || "0") * SCALE + BigInt((fraction.slice(0, MAX_DECIMALS) || "0").padEnd(MAX_DECIMALS, "0"));
  if ((fraction[MAX_DECIMALS] ?? "0") >= "5") micro += 1n;
  return sign === "-" ? -micro : micro;
}

/** Millionths as plain decimal text: no exponent, no grouping, no trailing zeros ("0.045"). */
export function microText(micro: bigint): string {
  const negative = micro < 0n;
  const size = negative ? -micro : micro;
  const whole = (size / SCALE).toString();
  const fraction = (size % SCALE).toString().padStart(MAX_DECIMALS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Any quantity as the text to show and to send ("3", "0.015"), locale-proof. */
export function quantityText(value: number | string | bigint): string {
  return microText(toMicro(value));
}

/** A figure a screen worked out in floats, at the ledger's six places (what the server
 * would keep): for showing and comparing, never for a quantity the person typed. */
export function roundQuantity(value: number): number {
  return Number(quantityText(value));
}

const unitOf = (places: number): bigint => 10n ** BigInt(MAX_DECIMALS - placesOf(places));

/** The largest multiple of the unit's smallest step at or below the quantity. */
export function floorTo(micro: bigint, places: number): bigint {
  const unit = unitOf(places);
  const rest = ((micro % unit) + unit) % unit;
  return micro - rest;
}

/** The smallest multiple of the unit's smallest step at or above the quantity. */
export function ceilTo(micro: bigint, places: number): bigint {
  const floor = floorTo(micro, places);
  return floor === micro ? micro : floor + unitOf(places);
}

/** Why a key was not taken: too many decimals, above the most allowed, too many digits. */
export type Refusal = "decimals" | "max" | "length";

export interface EntryRules {
  /** Decimals the unit allows; 0 is whole numbers, and then there is no point to type. */
  decimals: number;
  /** Digits before the point (for a PIN: its length). */
  maxDigits: number;
  /** The largest quantity that may be typed, if any. */
  max?: number | string | bigint | null;
  /** A PIN: digits kept as typed, leading zeros included, never a point. */
  secret?: boolean;
}

/** The pad's keys that are not digits. */
export const POINT = ".";
export const BACKSPACE = "⌫";

/**
 * The text after one key of the pad, or why the key is refused (the text stays). A leading
 * point becomes "0.", a leading zero is replaced by the next digit, and a digit past the
 * unit's decimals, past the digits allowed or above the maximum is refused.
 */
export function typeKey(text: string, key: string, rules: EntryRules): { text: string; refused: Refusal | null } {
  const keep = (refused: Refusal | null = null) => ({ text, refused });
  if (key === BACKSPACE) return { text: text.slice(0, -1), refused: null };
  const point = text.indexOf(POINT);
  if (key === POINT) {
    if (rules.secret || placesOf(rules.decimals) === 0) return keep("decimals");
    if (point >= 0) return keep();
    return { text: `${text || "0"}${POINT}`, refused: null };
  }
  if (!/^\d$/.test(key)) return keep();
  if (rules.secret) return text.length < rules.maxDigits ? { text: text + key, refused: null } : keep("length");
  let next: string;
  if (point >= 0) {
    if (text.length - point - 1 >= placesOf(rules.decimals)) return keep("decimals");
    next = text + key;
  } else if (text === "0") {
    next = key; // no leading zeros: "0" then "5" is 5
  } else {
    if (text.length >= rules.maxDigits) return keep("length");
    next = text + key;
  }
  if (rules.max !== undefined && rules.max !== null && toMicro(next) > toMicro(rules.max)) return keep("max");
  return { text: next, refused: null };
}

/** What typed text means when OK is pressed: its canonical text ("3." is "3", ".5" was
 * already "0.5"), or null when nothing was typed. */
export function finishText(text: string, secret = false): string | null {
  if (text === "") return null;
  return secret ? text : quantityText(text);
}
