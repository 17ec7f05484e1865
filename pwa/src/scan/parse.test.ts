// The examples of backend tests/unit/test_scantext.py, ported one for one, so the handheld
// and the server agree on what every scan means.
import { describe, expect, it } from "vitest";
import { LABEL_KINDS, labelPath, labelUrl, parseScan, ScanTextError, type ParsedScan } from "./parse";

const GS = "\x1d";
const TODAY = new Date(2026, 10, 21);
const GTIN = "09506000134352"; // the GS1 example GTIN, valid check digit

const scan = (text: string, today: Date = TODAY): ParsedScan => parseScan(text, today);
const label = (kind: string, code: string, text: string) => ({ type: "label", kind, code, text });
const code = (value: string, text: string) => ({ type: "code", code: value, text });
const gs1 = (text: string, fields: { gtin?: string; lot?: string; expiry?: string; serial?: string }) => ({
  type: "gs1",
  gtin: fields.gtin ?? null,
  lot: fields.lot ?? null,
  expiry: fields.expiry ?? null,
  serial: fields.serial ?? null,
  text,
});
const refused = (text: string, match: RegExp | string, today: Date = TODAY) => {
  expect(() => scan(text, today)).toThrow(ScanTextError);
  expect(() => scan(text, today)).toThrow(match);
};
const date = (y: number, m: number, d: number) => new Date(y, m - 1, d);

describe("Takt labels", () => {
  it("label kinds are the eight record kinds", () => {
    expect(LABEL_KINDS).toEqual(["WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U"]);
  });

  const bases = ["https://takt.example.com", "http://takt.local:8000/", "https://mes.example.com/takt/", ""];
  const codes = ["WO-2026-00001", "rm-a-01-01", "A_B.C", "7"];
  it("a label URL round-trips through parseScan for every kind", () => {
    for (const kind of LABEL_KINDS)
      for (const base of bases)
        for (const c of codes) {
          const url = labelUrl(base, kind, c);
          expect(scan(url)).toEqual(label(kind, c.toUpperCase(), url));
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

  it.each([
    ["HTTP://TAKT.LOCAL:8000/S/WO/WO-2026-00001", "WO", "WO-2026-00001"],
    ["https://mes.example.com/takt/s/loc/RM-A-01-01", "LOC", "RM-A-01-01"],
    ["https://10.0.0.5:8443/a/b/c/S/EQ/EQ-7", "EQ", "EQ-7"],
    ["takt.local/S/LOT/L-1", "LOT", "L-1"],
    ["HTTPS://T.EXAMPLE/S/OP/WO-1.10", "OP", "WO-1.10"],
    ["HTTPS://T.EXAMPLE/S/U/JANE_DOE", "U", "JANE_DOE"],
    ["HTTPS://T.EXAMPLE/S/SN/SN-2026-000001", "SN", "SN-2026-000001"],
    ["HTTPS://T.EXAMPLE/S/ITEM/100-200", "ITEM", "100-200"],
    ["hTtPs://Takt.Example.com/s/Wo/wo-2026-00001", "WO", "WO-2026-00001"],
    ["/S/WS/WS-101", "WS", "WS-101"],
  ])("a label has any scheme, host, port, path prefix and case: %s", (text, kind, c) => {
    expect(scan(text)).toEqual(label(kind, c, text));
  });

  it.each([
    "https://t.example/S/WS/WS-101/",
    "https://t.example/S/WS/WS-101?utm_source=label",
    "https://t.example/S/WS/WS-101/?a=1&b=2",
    "/S/WS/WS-101#top",
  ])("a label ignores a trailing slash, query and fragment: %s", (text) => {
    expect(scan(text)).toMatchObject({ type: "label", kind: "WS", code: "WS-101" });
  });

  it("a label code is percent-decoded and uppercased", () => {
    expect(scan("https://t.example/s/item/abc%2d1%5Fx%2E2")).toMatchObject({ kind: "ITEM", code: "ABC-1_X.2" });
  });

  it.each([
    "https://t.example/S/WO/A%2FB",
    "https://t.example/S/WO/A%20B",
    "https://t.example/S/LOT/%C3%84PFEL",
    "https://t.example/S/LOC/..",
  ])("a label with an impossible code is refused: %s", (text) => {
    refused(text, "Takt label");
  });

  it("the refusal quotes the code the way the backend does", () => {
    refused("https://t.example/S/WO/A%2FB", "This looks like a Takt label for a WO, but its code 'A/B' cannot be right: a Takt code may contain only letters, digits, '-', '_' and '.'.");
  });

  it("a path with a slash in the code, or an unknown kind, is not a label", () => {
    expect(scan("/S/WO/A/B")).toEqual(code("/S/WO/A/B", "/S/WO/A/B"));
    expect(scan("https://t.example/S/XYZ/ABC")).toEqual(code("HTTPS://T.EXAMPLE/S/XYZ/ABC", "https://t.example/S/XYZ/ABC"));
  });

  it.each(["\r", "\n", "\r\n", "\t", " \r\n", "\x00"])("a trailing %j from wedge scanners is ignored", (ending) => {
    expect(scan("HTTP://T.EXAMPLE/S/WO/WO-1" + ending)).toEqual(label("WO", "WO-1", "HTTP://T.EXAMPLE/S/WO/WO-1"));
    expect(scan("abc-123" + ending)).toEqual(code("ABC-123", "abc-123"));
  });
});

describe("GS1 element strings", () => {
  it("reads GS between variable fields", () => {
    const text = `01${GTIN}17261231` + `10ABC123${GS}21S-42`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "ABC123", expiry: "2026-12-31", serial: "S-42" }));
  });

  it.each(["]C1", "]d2", "]Q3", "]e0", "]J1"])("strips the symbology identifier %s", (id) => {
    const text = `${id}01${GTIN}10LOT7${GS}21SER9`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "LOT7", serial: "SER9" }));
  });

  it("a GS1 symbology identifier marks data without a GTIN as GS1; alone it is refused", () => {
    expect(scan("]C110LOT7")).toEqual(gs1("]C110LOT7", { lot: "LOT7" }));
    refused("]C1\r\n", "no data");
  });

  it("a non-GS1 symbology identifier is stripped too", () => {
    expect(scan("]E04006381333931")).toEqual(code("4006381333931", "]E04006381333931"));
    expect(scan("]Q1HTTP://T.EXAMPLE/S/EQ/EQ-1")).toMatchObject({ type: "label", kind: "EQ", code: "EQ-1" });
  });

  it.each(["<GS>", "<gs>", "<Gs>"])("the literal text %s from wedge scanners is a separator", (sep) => {
    const text = `01${GTIN}10ABC${sep}21XYZ`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "ABC", serial: "XYZ" }));
  });

  it("leading and trailing GS are ignored, and GS after a fixed-length field is tolerated", () => {
    expect(scan(`${GS}01${GTIN}10ABC${GS}`)).toEqual(gs1(`01${GTIN}10ABC`, { gtin: GTIN, lot: "ABC" }));
    const text = `]C101${GTIN}${GS}17261231${GS}10ABC`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "ABC", expiry: "2026-12-31" }));
  });

  it("values keep their case", () => {
    expect(scan(`01${GTIN}10abc${GS}21xYz`)).toMatchObject({ lot: "abc", serial: "xYz" });
  });

  it.each([
    ["00106141411234567897", false], [`02${GTIN}`, false], ["11260101", false], ["12260101", false],
    ["13260101", false], ["15260101", false], ["16260101", false], ["2001", false],
    ["3012345678", true], ["3724", true], ["3103001250", false], ["3162000900", false],
    ["3922199", true], ["240ABC-1", true], ["241CUST-PART", true], ["250SECOND-SERIAL", true],
    ["251REF-TO-SOURCE", true], ["400PO-4711", true], ["4101234567890128", false],
    ["70032601011200", true], ["8008260101123015", true], ["90" + "X".repeat(30), true],
    ["91" + "Y".repeat(90), true], ["99INTERNAL", true],
  ] as const)("other AIs are skipped by their known length: %s", (other, needsGs) => {
    const text = `]C101${GTIN}${other}${needsGs ? GS : ""}17270228` + `10BATCH-1${GS}21SN1`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "BATCH-1", expiry: "2027-02-28", serial: "SN1" }));
  });

  it("another AI as the last field is skipped", () => {
    const text = `01${GTIN}10B1${GS}400PO-1`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "B1" }));
  });

  it.each(["05", "14", "19", "5X", "AB"])("an unknown AI %s is refused", (unknown) => {
    refused(`]C101${GTIN}${unknown}123456${GS}10ABC`, "does not know");
  });

  it.each(["]C101950600013435", "]C10109506000134352171231", `]C101${GTIN}17ABCDEF`, `]C101${GTIN}3103${GS}1234`])(
    "a fixed-length field with the wrong length is refused: %j",
    (text) => refused(text, "exactly"),
  );

  it("a bad GTIN check digit is refused with the backend's sentence", () => {
    refused("]C10109506000134353", /^The GTIN 09506000134353 on this GS1 label has a wrong check digit\.$/);
  });

  it.each([["10", "batch"], ["21", "serial"]])("AI %s longer than 20 is refused", (ai, name) => {
    refused(`]C101${GTIN}${ai}${"A".repeat(21)}`, new RegExp(`${name} .* longer than 20`));
  });

  it("an over-long batch without a GS1 marker stays a bare code; exactly 20 is accepted", () => {
    const text = `01${GTIN}10${"A".repeat(21)}`;
    expect(scan(text)).toEqual(code(text, text));
    expect(scan(`01${GTIN}10${"A".repeat(20)}`)).toMatchObject({ lot: "A".repeat(20) });
  });

  it("an empty variable field and conflicting duplicate AIs are refused", () => {
    refused(`01${GTIN}10${GS}21X`, "empty");
    refused(`01${GTIN}10A${GS}10B`, "two different");
  });
});

describe("GS1 bare digits", () => {
  it.each([GTIN, "9506000134352", "036000291452", "95012346", "4006381333931"])("bare GTIN digits %s stay a bare code", (digits) => {
    expect(scan(digits)).toEqual(code(digits, digits));
  });

  it("digits starting with 01 and 14 digits are GS1, and checked", () => {
    expect(scan(`01${GTIN}`)).toEqual(gs1(`01${GTIN}`, { gtin: GTIN }));
    expect(scan(`01${GTIN}17261200`)).toEqual(gs1(`01${GTIN}17261200`, { gtin: GTIN, expiry: "2026-12-31" }));
    refused("0109506000134353", "wrong check digit");
  });

  it("digits starting with 01 whose rest does not parse stay a bare code", () => {
    expect(scan(`01${GTIN}7`)).toEqual(code(`01${GTIN}7`, `01${GTIN}7`));
    expect(scan(`01${GTIN}05ABC`)).toEqual(code(`01${GTIN}05ABC`, `01${GTIN}05ABC`));
  });
});

describe("GS1 human-readable form", () => {
  it("reads (AI) value pairs, tolerating spaces and skipping other AIs", () => {
    const text = `(01)${GTIN}(17)261231(10)ABC123`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "ABC123", expiry: "2026-12-31" }));
    const spaced = `(01) ${GTIN} (3103) 001250 (21) SN-9 (400) PO 1`;
    expect(scan(spaced)).toEqual(gs1(spaced, { gtin: GTIN, serial: "SN-9" }));
  });

  it.each([
    [`(01)${GTIN.slice(0, -1)}3`, "wrong check digit"],
    [`(01)${GTIN}(17)261`, "exactly 6 digits"],
    [`(01)${GTIN}(05)X`, "does not know"],
    [`(01)${GTIN}(310)001250`, "does not know"],
  ])("refuses %s", (text, match) => refused(text, match));
});

describe("GS1 Digital Link", () => {
  it("reads qualifiers in the path and the expiry in the query", () => {
    const text = `https://id.gs1.org/01/${GTIN}/10/ABC123/21/S1?17=261231`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "ABC123", expiry: "2026-12-31", serial: "S1" }));
  });

  it("reads any host with a path prefix and percent-decodes values", () => {
    const text = `https://brand.example.com:8443/products/dl/01/${GTIN}/10/L%2F7%20a?linkType=all`;
    expect(scan(text)).toEqual(gs1(text, { gtin: GTIN, lot: "L/7 a" }));
  });

  it.each(["95012346", "036000291452", "9506000134352"])("pads the short GTIN %s to 14 digits", (short) => {
    expect(scan(`https://id.gs1.org/01/${short}`)).toMatchObject({ type: "gs1", gtin: short.padStart(14, "0") });
  });

  it("in uppercase keeps the value case; short names are understood", () => {
    const upper = `HTTPS://ID.GS1.ORG/01/${GTIN}/22/V1/10/AbC/21/x1/?17=270200&3103=000500`;
    expect(scan(upper)).toEqual(gs1(upper, { gtin: GTIN, lot: "AbC", serial: "x1", expiry: "2027-02-28" }));
    const short = `https://example.com/gtin/${GTIN}/lot/B7?exp=261231`;
    expect(scan(short)).toEqual(gs1(short, { gtin: GTIN, lot: "B7", expiry: "2026-12-31" }));
  });

  it.each([
    [`https://id.gs1.org/01/${GTIN.slice(0, -1)}9`, "wrong check digit"],
    [`https://id.gs1.org/01/${GTIN}?17=261332`, "not a real date"],
    [`https://id.gs1.org/01/${GTIN}?17=2612`, "six digits"],
    [`https://id.gs1.org/01/${GTIN}/10`, "without a value"],
    [`https://id.gs1.org/01/${GTIN}/10/${"B".repeat(21)}`, "longer than 20"],
    [`https://id.gs1.org/01/${GTIN}/batch/B1`, "application identifier"],
  ])("refuses %s", (text, match) => refused(text, match));

  it("a URL that is neither label nor Digital Link is a bare code", () => {
    const text = "https://blog.example/2026/01/15/post";
    expect(scan(text)).toEqual(code(text.toUpperCase(), text));
  });
});

describe("GS1 expiry dates", () => {
  it.each([
    [date(2026, 11, 21), "261231", "2026-12-31"],
    [date(2026, 11, 21), "760101", "2076-01-01"], // +50 years: this century
    [date(2026, 11, 21), "770101", "1977-01-01"], // +51 years: the century before
    [date(2026, 11, 21), "990101", "1999-01-01"],
    [date(2026, 11, 21), "000101", "2000-01-01"],
    [date(2060, 6, 1), "110101", "2011-01-01"], // -49 years: this century
    [date(2060, 6, 1), "100101", "2110-01-01"], // -50 years: the century after
    [date(1999, 12, 31), "020101", "2002-01-01"],
    [date(1999, 12, 31), "490101", "2049-01-01"],
    [date(1999, 12, 31), "500101", "1950-01-01"],
  ])("the year follows the GS1 century rule (today %s, %s)", (today, yymmdd, expected) => {
    expect(scan(`01${GTIN}17${yymmdd}`, today)).toMatchObject({ expiry: expected });
  });

  it.each([
    ["260200", "2026-02-28"],
    ["280200", "2028-02-29"],
    ["260400", "2026-04-30"],
    ["261200", "2026-12-31"],
  ])("day 00 means the last day of the month (%s)", (yymmdd, expected) => {
    expect(scan(`(01)${GTIN}(17)${yymmdd}`)).toMatchObject({ expiry: expected });
  });

  it.each(["261301", "260001", "260431", "270229"])("%s is not a real date and is refused", (yymmdd) => {
    refused(`01${GTIN}17${yymmdd}`, "expiry date");
  });

  it("defaults to the real today", () => {
    const now = new Date();
    const p = (n: number) => String(n).padStart(2, "0");
    const yymmdd = `${p(now.getFullYear() % 100)}${p(now.getMonth() + 1)}${p(now.getDate())}`;
    expect(parseScan(`01${GTIN}17${yymmdd}`)).toMatchObject({
      expiry: `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`,
    });
  });
});

describe("bare codes and limits", () => {
  it.each([
    ["wo-2026-00001", "WO-2026-00001", "wo-2026-00001"],
    ["  rm-a-01 \r\n", "RM-A-01", "rm-a-01"],
    ["\ufeffabc\t", "ABC", "abc"],
    ["Schraube M8 x 20", "SCHRAUBE M8 X 20", "Schraube M8 x 20"],
  ])("anything else is a bare code, trimmed and uppercased: %j", (text, value, trimmed) => {
    expect(scan(text)).toEqual(code(value, trimmed));
  });

  it.each(["", "   ", "\r\n", "\t\x00\x1d"])("an empty scan %j is refused", (text) => refused(text, "empty"));

  it("a scan longer than 512 characters is refused; 512 plus a line ending is accepted", () => {
    refused("A".repeat(513), "at most 512");
    expect(scan("A".repeat(512) + "\r\n")).toMatchObject({ type: "code", code: "A".repeat(512) });
  });

  it("ScanTextError is an Error with its own name", () => {
    const error = new ScanTextError("x");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ScanTextError");
  });
});
