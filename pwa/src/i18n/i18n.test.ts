import { describe, expect, it } from "vitest";
import { keysOf, LOCALES, pickLocale, setLocale, t } from ".";

describe("i18n", () => {
  it("has every key in every language", () => {
    const english = keysOf(LOCALES.en).sort();
    for (const [name, messages] of Object.entries(LOCALES)) {
      expect(keysOf(messages).sort(), `keys of ${name}`).toEqual(english);
    }
  });

  it("has every placeholder of English in the translation", () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of keysOf(LOCALES.en)) {
      setLocale("en");
      const english = t(key);
      setLocale("zh-CN");
      expect(placeholders(t(key)), key).toEqual(placeholders(english));
    }
    setLocale("en");
  });

  it("follows the browser's language", () => {
    expect(pickLocale(["zh-Hans-CN", "en"])).toBe("zh-CN");
    expect(pickLocale(["de-DE", "en-GB"])).toBe("en");
    expect(pickLocale(["fr"])).toBe("en");
  });

  it("fills placeholders and switches language", () => {
    setLocale("zh-CN");
    expect(t("outbox.waiting", { count: 3 })).toBe("待发送（3）");
    setLocale("en");
    expect(t("outbox.waiting", { count: 3 })).toBe("Waiting to send (3)");
  });
});
