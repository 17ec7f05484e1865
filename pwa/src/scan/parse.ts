// What a scanned text is, decided by its content alone: a Takt label URL, a GS1 supplier
// label, or a bare code. A line-by-line mirror of backend takt/platform/scantext.py, so the
// handheld and the server read every scan the same way; both test suites read the examples in
// tests/data/scan-cases.json.
// Python semantics are kept on purpose (Unicode whitespace, \d, IGNORECASE folding,
// code-point lengths, unquote with replacement), even where JS would differ by default.

import { gs1Amounts, parseGs1, type Gs1Amounts } from "./gs1";
import { ScanTextError, WS, WS_RE, cpLength, pyStrip, repr, unquote } from "./text";

export { ScanTextError } from "./text";
export { gtinCheckDigitOk, type Gs1Amounts } from "./gs1";

/** The longest scan (after trimming) that parseScan reads. */
export const MAX_SCAN_LENGTH = 512;

export const LABEL_KINDS = ["WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U"] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

export type ParsedScan =
  | { type: "label"; kind: LabelKind; code: string; text: string }
  | {
      type: "gs1";
      gtin: string | null;
      lot: string | null;
      expiry: string | null; // ISO yyyy-mm-dd
      serial: string | null;
      text: string;
    }
  | { type: "code"; code: string; text: string };

// ---------------------------------------------------------------------------------------
// Takt labels
// ---------------------------------------------------------------------------------------

const CODE_RE = /^[A-Z0-9._-]+$/;
const KINDS_PATTERN = [...LABEL_KINDS].sort((a, b) => b.length - a.length).join("|");
// Any prefix without whitespace, query or fragment, then /S/<KIND>/<CODE>, an optional
// trailing slash and an ignored query or fragment. "u" + "i" folds like Python (ſ ~ s).
const LABEL_RE = new RegExp(
  `^[^${WS}?#]*?/S/(${KINDS_PATTERN})/([^/?#${WS}]+)/?(?:[?#].*)?$`,
  "isu",
);
const CODE_RULE = "letters, digits, '-', '_' and '.'";

function codeProblem(code: string): string | null {
  if (!code) return "is empty";
  if (code === "." || code === ".." || !CODE_RE.test(code)) return `may contain only ${CODE_RULE}`;
  return null;
}

/** The uppercase URL a Takt label encodes: `<publicUrl>/S/<KIND>/<CODE>` (backend label_url). */
export function labelUrl(publicUrl: string, kind: string, code: string): string {
  const base = pyStrip(publicUrl).replace(/\/+$/, "");
  if (new RegExp(`[${WS}?#]`, "u").test(base)) {
    throw new RangeError(
      `The public URL ${repr(publicUrl)} cannot start a label URL: it must not contain whitespace, '?' or '#'.`,
    );
  }
  const kindUpper = pyStrip(kind).toUpperCase();
  if (!(LABEL_KINDS as readonly string[]).includes(kindUpper)) {
    throw new RangeError(`${repr(kind)} is not a label kind; use one of ${LABEL_KINDS.join(", ")}.`);
  }
  const codeUpper = pyStrip(code).toUpperCase();
  const problem = codeProblem(codeUpper);
  if (problem !== null) {
    throw new RangeError(`The code ${repr(code)} cannot go on a label: a Takt code ${problem}.`);
  }
  return `${base}/S/${kindUpper}/${encodeURIComponent(codeUpper)}`.toUpperCase();
}

/** The path of a record's label, e.g. "/S/WO/WO-2026-00001" — an in-app link to the record. */
export function labelPath(kind: LabelKind, code: string): string {
  return labelUrl("", kind, code);
}

function parseLabel(text: string, raw: string): ParsedScan | null {
  const match = LABEL_RE.exec(text);
  if (match === null) return null;
  const kind = match[1]!.toUpperCase() as LabelKind;
  const code = pyStrip(unquote(match[2]!)).toUpperCase();
  const problem = codeProblem(code);
  if (problem !== null) {
    throw new ScanTextError(
      `This looks like a Takt label for a ${kind}, but its code ${repr(code)} cannot be right: a Takt code ${problem}.`,
    );
  }
  return { type: "label", kind, code, text: raw };
}

// ---------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------

const isTrimmable = (ch: string): boolean => {
  const cp = ch.charCodeAt(0);
  return cp < 32 || (cp >= 127 && cp <= 159) || ch === "\ufeff" || ch === "\u200b" || WS_RE.test(ch);
};

/** Remove whitespace, control characters and invisible marks that scanners add at the ends. */
function trim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmable(text[start]!)) start++;
  while (end > start && isTrimmable(text[end - 1]!)) end--;
  return text.slice(start, end);
}

const SYMBOLOGY_ID_RE = /^\][A-Za-z][0-9A-Za-z]/;
// AIM identifiers announcing GS1 data; case matters ("]E0" is a plain EAN-13).
const GS1_SYMBOLOGY_IDS = new Set(["]C1", "]d2", "]Q3", "]e0", "]J1"]);

/** A trimmed scan without its AIM symbology identifier (if it starts with one), and whether
 * that identifier announced GS1 data. */
function stripSymbology(raw: string): { body: string; claimed: boolean } {
  if (!SYMBOLOGY_ID_RE.test(raw)) return { body: raw, claimed: false };
  return { body: trim(raw.slice(3)), claimed: GS1_SYMBOLOGY_IDS.has(raw.slice(0, 3)) };
}

/**
 * Tell what a scanned text is. Trims what wedge scanners add (CR, LF, TAB), strips an AIM
 * symbology identifier, then: Takt label URL → label; GS1 Digital Link, element string or
 * (AI) form → gs1; anything else → code (uppercased). `text` is always the trimmed input.
 * @throws ScanTextError for an empty or over-long scan, a label with an impossible code, or
 *   malformed GS1 data.
 */
export function parseScan(rawInput: string, today: Date = new Date()): ParsedScan {
  const raw = trim(rawInput);
  if (!raw) throw new ScanTextError("The scan is empty; scan the label again.");
  const length = cpLength(raw);
  if (length > MAX_SCAN_LENGTH) {
    throw new ScanTextError(
      `The scan is ${length} characters long; Takt reads at most ${MAX_SCAN_LENGTH} characters from one scan.`,
    );
  }
  const { body, claimed } = stripSymbology(raw);
  if (!body) throw new ScanTextError("The scan holds only the scanner's prefix and no data.");
  const label = parseLabel(body, raw);
  if (label !== null) return label;
  const gs1 = parseGs1(body, claimed, raw, today);
  if (gs1 !== null) return gs1;
  return { type: "code", code: body.toUpperCase(), text: raw };
}

/** The count and net weight a supplier label read by parseScan carries (AI 30, 37, 310n). */
export function labelAmounts(scan: Extract<ParsedScan, { type: "gs1" }>): Gs1Amounts {
  const { body, claimed } = stripSymbology(scan.text);
  return gs1Amounts(body, claimed);
}
