import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../i18n";
import { statusWord } from ".";

describe("status words", () => {
  afterEach(() => setLocale("en"));

  it("are the object's own: a lot's pending is not an operation's", () => {
    setLocale("zh-CN");
    expect(statusWord("lot", "pending")).toBe("待检");
    expect(statusWord("operation", "pending")).toBe("待上道");
    expect(statusWord("work_order", "released")).toBe("已下达");
    expect(statusWord("lot", "released")).toBe("已放行");
    expect(statusWord("operation", "held")).toBe("已挂起");
    expect(statusWord("operation", "running")).toBe("加工中");
    expect(statusWord("work_order", "in_progress")).toBe("生产中");
    setLocale("en");
    expect(statusWord("lot", "pending")).toBe("Awaiting inspection");
    expect(statusWord("operation", "pending")).toBe("Waiting for parts");
  });

  it("never show a key when a chip does not say whose status it is", () => {
    setLocale("zh-CN");
    expect(statusWord(undefined, "in_service")).toBe("在用");
    expect(statusWord(undefined, "scrapped")).toBe("已报废");
    expect(statusWord(undefined, "submitted")).toBe("待审批");
  });
});
