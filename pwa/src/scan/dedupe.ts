// A trigger held down, or a camera that sees the same code in every frame, delivers one
// text many times a second; only the first of such a run is a scan the person meant.

/**
 * Make a filter that says whether a scanned text is new. The same text again within
 * `windowMs` of its last sighting is a repeat; each repeat extends the window, so a code
 * held in front of the camera counts once however long it stays there. A different text
 * is always new, and the same text after a pause is a fresh, deliberate scan. A function as
 * `windowMs` is asked at every scan, so a window set by the server applies once it arrives.
 */
export function createDeduper(
  windowMs: number | (() => number) = 1000,
  now: () => number = () => performance.now(),
): (text: string) => boolean {
  let lastText: string | null = null;
  let lastAt = -Infinity;
  return (text: string): boolean => {
    const at = now();
    const span = typeof windowMs === "function" ? windowMs() : windowMs;
    const repeat = text === lastText && at - lastAt < span;
    lastText = text;
    lastAt = at;
    return !repeat;
  };
}
