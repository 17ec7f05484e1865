// The examples live in tests/data/scan-cases.json, which the backend's test_scantext.py reads
// too, so the handheld and the server are held to the same answers; what is left here is the
// app's own (label URLs and paths, the text kept with each scan, the default date).
import { describe, expect, it } from "vitest";
import shared from "../../../tests/data/scan-cases.json";
import { LABEL_KINDS, labelAmounts, labelPath, labelUrl, parseScan, ScanTextError, type ParsedScan } from "./parse";

interface Expected {
  type: "label" | "gs1" | "code";
  kind?: string;
  code?: string;
  gtin?: string | null;
  batch?: string | null;
  expiry?: string | null;
  serial?: string | null;
  raw?: string;
}
interface SharedCase {
  name: string;
  input: string;
  today?: string;
  expect?: Expected;
  refused?: string;
}

const CASES = (shared as { cases: SharedCase[] }).cases;
const GTIN = "09506000134352"; // the GS1 example GTIN, valid check digit

/** A yyyy-mm-dd day as a local date, the way the app's clock gives today. */
const day = (iso: string): Date => {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y!, m! - 1, d!);
};
const TODAY = day(shared.today);
const todayOf = (c: SharedCase): Date => (c.today ? day(c.today) : TODAY);
const title = (c: SharedCase): string => `${c.name}: ${JSON.stringify(c.input.slice(0, 60))}`;

/** What the app's parser gives for a shared expectation (its names: lot, text). */
function inApp(want: Expected): Partial<ParsedScan> {
  if (want.type === "gs1") {
    return { type: "gs1", gtin: want.gtin ?? null, lot: want.batch ?? null, expiry: want.expiry ?? null, serial: want.serial ?? null, text: want.raw! };
  }
  if (want.type === "label") return { type: "label", kind: want.kind as never, code: want.code! };
  return { type: "code", code: want.code! };
}

describe("shared scan cases (tests/data/scan-cases.json)", () => {
  const read = CASES.filter((c) => c.expect);
  const refused = CASES.filter((c) => c.refused !== undefined);

  it("cover every kind of answer", () => {
    expect(new Set(CASES.map((c) => c.expect?.type ?? "refused"))).toEqual(new Set(["label", "gs1", "code", "refused"]));
  });

  it.each(read.map((c) => [title(c), c] as const))("%s", (_, c) => {
    const want = inApp(c.expect!);
    const got = parseScan(c.input, todayOf(c));
    if (want.type === "gs1") expect(got).toEqual(want);
    else expect(got).toMatchObject(want);
  });

  it.each(refused.map((c) => [title(c), c] as const))("%s is refused", (_, c) => {
    expect(() => parseScan(c.input, todayOf(c))).toThrow(ScanTextError);
    expect(() => parseScan(c.input, todayOf(c))).toThrow(c.refused!);
  });
});

describe("Takt label URLs", () => {
  it("label kinds are the nine record kinds", () => {
    expect(LABEL_KINDS).toEqual(["WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U"]);
  });

  const bases = ["https://takt.example.com", "http://takt.local:8000/", "https://mes.example.com/takt/", ""];
  const codes = ["WO-2026-00001", "rm-a-01-01", "A_B.C", "7"];
  it("a label URL round-trips through parseScan for every kind", () => {
    for (const kind of LABEL_KINDS)
      for (const base of bases)
        for (const c of codes) {
          const url = labelUrl(base, kind, c);
          expect(parseScan(url)).toEqual({ type: "label", kind, code: c.toUpperCase(), text: url });
        }
  });

  it("labelUrl is uppercase and drops trailing slashes; labelPath is the path alone", () => {
    expect(labelUrl("https://mes.example.com/takt//", "loc", "rm-a-01-01")).toBe("HTTPS://MES.EXAMPLE.COM/TAKT/S/LOC/RM-A-01-01");
    expect(labelUrl("", "WS", "WS-101")).toBe("/S/WS/WS-101");
    expect(labelPath("WO", "wo-2026-00001")).toBe("/S/WO/WO-2026-00001");
  });

  it.each([
    ["https://t.example", "XX", "A1"],
    ["https://t.example", "WO", ""],
    ["https://t.example", "WO", "A/B"],
    ["https://t.example", "WO", "A B"],
    ["https://t.example", "WO", ".."],
    ["https://t.example?x=1", "WO", "A1"],
  ])("labelUrl refuses what cannot be scanned back (%s %s %s)", (base, kind, c) => {
    expect(() => labelUrl(base, kind, c)).toThrow(RangeError);
  });
});

describe("the app's own", () => {
  it.each([
    ["HTTP://T.EXAMPLE/S/WO/WO-1\r\n", "HTTP://T.EXAMPLE/S/WO/WO-1"],
    ["  rm-a-01 \r\n", "rm-a-01"],
    ["\ufeffabc\t", "abc"],
    ["]E04006381333931", "]E04006381333931"],
  ])("every scan keeps what was scanned, trimmed, as its text: %j", (input, text) => {
    expect(parseScan(input, TODAY).text).toBe(text);
  });

  it("GS1 expiry defaults to the real today", () => {
    const now = new Date();
    const p = (n: number) => String(n).padStart(2, "0");
    const yymmdd = `${p(now.getFullYear() % 100)}${p(now.getMonth() + 1)}${p(now.getDate())}`;
    expect(parseScan(`01${GTIN}17${yymmdd}`)).toMatchObject({
      expiry: `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`,
    });
  });

  it.each(["", "]C1", "]d2", "]Q3", "]e0", "]J1", "]C1 "])(
    "label amounts are read past the same scanner prefix the scan was (%j)", (prefix) => {
      const scan = parseScan(`${prefix}01${GTIN}31030012503024\r\n`, TODAY);
      if (scan.type !== "gs1") throw new Error(`not GS1: ${scan.type}`);
      expect(labelAmounts(scan)).toEqual({ count: 24, netKg: 1.25, unreadable: false });
    });

  it("ScanTextError is an Error with its own name", () => {
    const error = new ScanTextError("x");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ScanTextError");
  });
});
