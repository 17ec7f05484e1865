// Python string rules that parse.ts and gs1.ts keep so they read every scan exactly as the
// backend's takt/platform/scantext.py does: Unicode whitespace, code-point lengths, repr()
// in messages, and urllib's forgiving unquote.

/** Scanned text that cannot be read; the message is a sentence for the person scanning. */
export class ScanTextError extends Error {
  override name = "ScanTextError";
}

export const GS = "\x1d"; // how scanners transmit the GS1 FNC1

// Python's str.isspace() set; its regex \s means the same for str patterns.
export const WS = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
export const WS_RE = new RegExp(`[${WS}]`, "u");

export const cpLength = (s: string): number => Array.from(s).length; // Python len()
export const pyStrip = (s: string): string => s.replace(new RegExp(`^[${WS}]+|[${WS}]+$`, "gu"), "");

/** Python repr() of a str, for messages that quote what was scanned. */
export function repr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && /[\p{C}\p{Z}]/u.test(ch)) {
      const hex = cp.toString(16);
      out += cp < 0x100 ? `\\x${hex.padStart(2, "0")}` : cp < 0x10000 ? `\\u${hex.padStart(4, "0")}` : `\\U${hex.padStart(8, "0")}`;
    } else out += ch;
  }
  return quote + out + quote;
}

const HEX2 = /^[0-9A-Fa-f]{2}$/;

/** urllib.parse.unquote(s, errors="replace"): bad escapes stay, bad UTF-8 becomes U+FFFD. */
export function unquote(s: string): string {
  if (!s.includes("%")) return s;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out += decoder.decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 0x7f) {
      flush();
      out += s[i];
    } else if (s[i] === "%" && HEX2.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(code);
  }
  flush();
  return out;
}

