// Keyboard-wedge scanners "type" the code and then press Enter (some end with Tab). Android
// Chrome often reports such keys as keyCode 229 / key "Unidentified" because the soft
// keyboard's IME sits in between, so characters are never read from key events: the field's
// value is the truth, read when the scan ends. Timing only tells a scanner from a person.

export type WedgeSource = "scanner" | "keyboard";

/** The time of one character arriving (from an input or keydown event). */
export interface KeyStamp {
  t: number;
}

/**
 * Tell a scanner burst from human typing by the mean gap between characters. A scanner
 * sends a character every few milliseconds; even fast typists need 60 ms or more.
 */
export function classifyBurst(stamps: number[], minChars = 4, maxMeanGapMs = 35): WedgeSource {
  if (stamps.length < Math.max(minChars, 2)) return "keyboard";
  const meanGap = (stamps[stamps.length - 1]! - stamps[0]!) / (stamps.length - 1);
  return meanGap <= maxMeanGapMs ? "scanner" : "keyboard";
}

const isEnter = (e: KeyboardEvent): boolean => e.key === "Enter" || e.keyCode === 13;
// A printable key names its character; "Unidentified", "Shift", "ArrowLeft"... are longer.
const isPrintable = (e: KeyboardEvent): boolean =>
  [...e.key].length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;

/**
 * Listen on a text field for wedge scans. On Enter (or a scanner-fast Tab) the field's
 * value is taken, trimmed, the field cleared, and `onScan` called with the text and
 * whether it came at scanner speed. Returns a function that stops listening.
 */
export function attachWedge(
  input: HTMLInputElement,
  onScan: (text: string, source: WedgeSource) => void,
  now: () => number = () => performance.now(),
): () => void {
  let stamps: number[] = [];
  // A printable keydown is followed by its input event; count that character once.
  let keydownStamped = false;
  let enterWhileComposing = false;
  let composeTimer: ReturnType<typeof setTimeout> | undefined;

  const finish = (): void => {
    const source = classifyBurst(stamps);
    const text = input.value.trim();
    input.value = "";
    stamps = [];
    keydownStamped = false;
    if (text) onScan(text, source);
  };

  const onKeydown = (e: KeyboardEvent): void => {
    if (isEnter(e)) {
      e.preventDefault(); // never submit a surrounding form
      // An IME still composing owns this Enter: it commits the text, then we read it.
      if (e.isComposing) enterWhileComposing = true;
      else finish();
      return;
    }
    if (e.ctrlKey && !e.altKey && !e.metaKey && (e.code === "BracketRight" || e.key === "]")) {
      // Scanners type the GS1 separator (ASCII GS) as Ctrl+], which a field ignores; put the
      // character in, or the variable-length fields of a GS1 label would run together.
      e.preventDefault();
      const start = input.selectionStart ?? input.value.length;
      input.setRangeText("\x1d", start, input.selectionEnd ?? start, "end");
      stamps.push(now());
      keydownStamped = false;
      return;
    }
    if (e.key === "Tab" && input.value.trim() && classifyBurst(stamps) === "scanner") {
      e.preventDefault(); // a Tab suffix must not move focus away from the scan field
      finish();
      return;
    }
    keydownStamped = isPrintable(e);
    if (keydownStamped) stamps.push(now());
  };

  const onInput = (e: Event): void => {
    const inputType = (e as InputEvent).inputType ?? "";
    const data = (e as InputEvent).data ?? "";
    if (inputType === "insertLineBreak" || /[\r\n]/.test(data) || /[\r\n]$/.test(input.value)) {
      finish();
      return;
    }
    if (!input.value) {
      stamps = []; // the person emptied the field: a new burst starts
      keydownStamped = false;
      return;
    }
    if (keydownStamped) keydownStamped = false;
    else stamps.push(now());
  };

  const onCompositionEnd = (): void => {
    if (!enterWhileComposing) return;
    enterWhileComposing = false;
    // The committed text reaches the value with the input event that may follow this one.
    composeTimer = setTimeout(finish, 0);
  };

  input.addEventListener("keydown", onKeydown);
  input.addEventListener("input", onInput);
  input.addEventListener("compositionend", onCompositionEnd);
  return () => {
    clearTimeout(composeTimer);
    input.removeEventListener("keydown", onKeydown);
    input.removeEventListener("input", onInput);
    input.removeEventListener("compositionend", onCompositionEnd);
  };
}
