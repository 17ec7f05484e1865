import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { attachWedge, classifyBurst, type WedgeSource } from "./wedge";

describe("classifyBurst", () => {
  it("calls a fast burst a scanner and slow typing a keyboard", () => {
    expect(classifyBurst([0, 8, 16, 24, 32])).toBe("scanner");
    expect(classifyBurst([0, 150, 300, 450, 600])).toBe("keyboard");
  });

  it("needs at least minChars characters to call anything a scanner", () => {
    expect(classifyBurst([0, 1, 2])).toBe("keyboard");
    expect(classifyBurst([0, 1, 2], 3)).toBe("scanner");
    expect(classifyBurst([])).toBe("keyboard");
    expect(classifyBurst([5], 1)).toBe("keyboard");
  });

  it("uses the mean gap, so one slow character among fast ones does not spoil a scan", () => {
    expect(classifyBurst([0, 5, 10, 15, 20, 25, 30, 35, 40, 100])).toBe("scanner");
    expect(classifyBurst([0, 35, 70, 105])).toBe("scanner");
    expect(classifyBurst([0, 36, 72, 108])).toBe("keyboard");
  });
});

describe("attachWedge", () => {
  let input: HTMLInputElement;
  let t: number;
  let scans: [string, WedgeSource][];
  let detach: () => void;

  beforeEach(() => {
    input = document.createElement("input");
    document.body.append(input);
    t = 0;
    scans = [];
    detach = attachWedge(input, (text, source) => scans.push([text, source]), () => t);
  });
  afterEach(() => {
    detach();
    input.remove();
  });

  const key = (init: KeyboardEventInit) => {
    const event = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
    input.dispatchEvent(event);
    return event;
  };
  const typeChar = (ch: string, init: KeyboardEventInit = { key: ch }) => {
    key(init);
    input.value += ch;
    input.dispatchEvent(new InputEvent("input", { bubbles: true, data: ch, inputType: "insertText" }));
  };
  const typeText = (text: string, gapMs: number, init?: (ch: string) => KeyboardEventInit) => {
    for (const ch of text) {
      typeChar(ch, init?.(ch));
      t += gapMs;
    }
  };

  it("a scanner (8 ms between keys, then Enter) is a scanner scan, and the field is cleared", () => {
    typeText("WO-2026-00001", 8);
    const enter = key({ key: "Enter", keyCode: 13 });
    expect(scans).toEqual([["WO-2026-00001", "scanner"]]);
    expect(input.value).toBe("");
    expect(enter.defaultPrevented).toBe(true);
  });

  it("a person (150 ms between keys) is a keyboard scan", () => {
    typeText("WO-1", 150);
    key({ key: "Enter" });
    expect(scans).toEqual([["WO-1", "keyboard"]]);
  });

  it("Android keyCode 229 / Unidentified keys still deliver the text from the field's value", () => {
    typeText("LOT-42", 5, () => ({ key: "Unidentified", keyCode: 229 }));
    key({ key: "Unidentified", keyCode: 13 });
    expect(scans).toEqual([["LOT-42", "scanner"]]);
    expect(input.value).toBe("");
  });

  it("a value set at once (no key events at all) is delivered on Enter", () => {
    input.value = "  EQ-7 ";
    key({ key: "Enter" });
    expect(scans).toEqual([["EQ-7", "keyboard"]]);
  });

  it("counts a printable keydown and its input event as one character", () => {
    // Keydown and input 1 ms apart, characters 70 ms apart: a quick typist, not a scanner.
    for (const ch of "ABCDEF") {
      key({ key: ch });
      t += 1;
      input.value += ch;
      input.dispatchEvent(new InputEvent("input", { data: ch, inputType: "insertText" }));
      t += 69;
    }
    key({ key: "Enter" });
    expect(scans).toEqual([["ABCDEF", "keyboard"]]);
  });

  it("an input event that inserts a line break ends the scan", () => {
    typeText("WS-101", 4);
    input.dispatchEvent(new InputEvent("input", { inputType: "insertLineBreak" }));
    expect(scans).toEqual([["WS-101", "scanner"]]);
    expect(input.value).toBe("");
  });

  it("a newline typed as text ends the scan (the field itself drops the newline)", () => {
    typeText("WS-101", 4);
    input.value += "\n";
    input.dispatchEvent(new InputEvent("input", { data: "\n", inputType: "insertText" }));
    expect(scans).toEqual([["WS-101", "scanner"]]);
  });

  it("resets the timing after each scan", () => {
    typeText("FAST-1", 5);
    key({ key: "Enter" });
    t += 5000;
    typeText("SLOW", 200);
    key({ key: "Enter" });
    expect(scans).toEqual([["FAST-1", "scanner"], ["SLOW", "keyboard"]]);
  });

  it("ignores Enter on an empty field", () => {
    key({ key: "Enter" });
    input.value = "   ";
    key({ key: "Enter" });
    expect(scans).toEqual([]);
  });

  it("a scanner-fast Tab suffix ends the scan and keeps focus; a person's Tab does not", () => {
    typeText("U-JANE", 6);
    const tab = key({ key: "Tab" });
    expect(tab.defaultPrevented).toBe(true);
    expect(scans).toEqual([["U-JANE", "scanner"]]);
    typeText("ABCD", 150);
    const humanTab = key({ key: "Tab" });
    expect(humanTab.defaultPrevented).toBe(false);
    expect(scans).toHaveLength(1);
    expect(input.value).toBe("ABCD");
  });

  it("an Enter that commits an IME composition reads the value once the composition ends", () => {
    vi.useFakeTimers();
    try {
      input.value = "wo-1";
      key({ key: "Enter", isComposing: true });
      expect(scans).toEqual([]);
      input.dispatchEvent(new CompositionEvent("compositionend", { data: "wo-1" }));
      vi.runAllTimers();
      expect(scans).toEqual([["wo-1", "keyboard"]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("Ctrl+] from the scanner puts the GS1 separator into the field", () => {
    typeText("0109506000134352" + "10AB", 3);
    const ctrl = key({ key: "]", code: "BracketRight", ctrlKey: true });
    t += 3;
    typeText("21X1", 3);
    key({ key: "Enter" });
    expect(ctrl.defaultPrevented).toBe(true);
    expect(scans).toEqual([["0109506000134352" + "10AB\x1d21X1", "scanner"]]);
  });

  it("detach stops listening", () => {
    detach();
    typeText("WO-1", 8);
    key({ key: "Enter" });
    expect(scans).toEqual([]);
    expect(input.value).toBe("WO-1");
  });
});
