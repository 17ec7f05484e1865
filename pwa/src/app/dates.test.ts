import { afterEach, describe, expect, it } from "vitest";
import { locale } from "../i18n";
import { formatDate, formatDateTime, formatRecent, formatTime } from "./dates";

// Built from local parts, so the test reads the same in any time zone.
const AT = new Date(2026, 11, 15, 0, 19, 25);

afterEach(() => { locale.value = "en"; });

describe("dates in the app's language", () => {
  it("shows English on a 24-hour clock without seconds", () => {
    expect(formatDateTime(AT, "en")).toBe("Dec 15, 2026, 00:19");
    expect(formatDate(AT, "en")).toBe("Dec 15, 2026");
    expect(formatTime(AT, "en")).toBe("00:19");
  });

  it("shows Chinese as Chinese, never AM/PM", () => {
    expect(formatDateTime(AT, "zh-CN")).toBe("2026年12月15日 00:19");
    expect(formatDate(AT, "zh-CN")).toBe("2026年12月15日");
    expect(formatTime(new Date(2026, 11, 15, 13, 5, 59), "zh-CN")).toBe("13:05");
    expect(formatDateTime(AT, "zh-CN")).not.toMatch(/AM|PM|上午|下午|:25/);
  });

  it("follows the language chosen in the app, not the browser's", () => {
    locale.value = "zh-CN";
    expect(formatDateTime(AT)).toBe("2026年12月15日 00:19");
    locale.value = "en";
    expect(formatDateTime(AT)).toBe("Dec 15, 2026, 00:19");
  });

  it("reads what the server sends: ISO instants, milliseconds, and plain days unshifted", () => {
    expect(formatTime(AT.toISOString(), "en")).toBe("00:19");
    expect(formatTime(AT.getTime(), "zh-CN")).toBe("00:19");
    expect(formatDate("2027-01-31", "en")).toBe("Jan 31, 2027");
    expect(formatDate("2027-01-31", "zh-CN")).toBe("2027年1月31日");
  });

  it("shows a dash for nothing and the text itself for what is not a date", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
    expect(formatDateTime("soon", "en")).toBe("soon");
  });

  it("gives today's times as the clock alone", () => {
    const now = new Date(2026, 11, 15, 9, 0);
    expect(formatRecent(AT, "en", now)).toBe("00:19");
    expect(formatRecent(new Date(2026, 11, 14, 23, 0), "en", now)).toBe("Dec 14, 2026, 23:00");
  });
});
