// The Gantt's time axis, without a screen: which span a zoom shows, where "now" sits when the
// chart opens, the ticks of the axis and how each bar and its label are laid out. Times are
// epoch milliseconds; ticks fall on the device's local clock (the planner's hours and days).

export type Zoom = "hours" | "shift" | "day" | "week";
export const ZOOMS: readonly Zoom[] = ["hours", "shift", "day", "week"];

const HOUR = 3_600_000;
/** How much time the visible width shows at each zoom. */
export const SPAN_HOURS: Record<Zoom, number> = { hours: 4, shift: 8, day: 24, week: 168 };
/** One tick every … hours, per zoom. */
const STEP_HOURS: Record<Zoom, number> = { hours: 0.5, shift: 1, day: 3, week: 24 };
/** Now sits this far into the visible width when the chart opens: a little of the past shows. */
const LEAD = 0.1;
/** The widest span drawn, so a forgotten operation months away does not make a mile of lane. */
const MAX_SPAN = 62 * 24 * HOUR;

/** A bar is a touch target: at least this wide and tall, whatever its duration. */
export const MIN_BAR_PX = 48;
/** Rough width of a character of a bar's label (16 px bold), where the screen cannot measure. */
const CHAR_PX = 10;
/** A bar's padding and border either side (6 + 2 px each), and a pixel or two to spare. */
const LABEL_PAD_PX = 18;

export interface Timeline {
  zoom: Zoom;
  start: number;
  end: number;
  /** Pixels per millisecond. */
  scale: number;
  /** The lane's width in pixels. */
  width: number;
}

/** Round a time down to a whole step (hours) on the local clock. */
export function floorToStep(at: number, stepHours: number): number {
  const d = new Date(at);
  if (stepHours >= 24) {
    d.setHours(0, 0, 0, 0);
  } else if (stepHours >= 1) {
    d.setHours(d.getHours() - (d.getHours() % stepHours), 0, 0, 0);
  } else {
    d.setMinutes(d.getMinutes() - (d.getMinutes() % (stepHours * 60)), 0, 0);
  }
  return d.getTime();
}

/** Steps the axis may take, in hours; a zoom starts at its own and takes a longer one where
 * the ticks would crowd (a phone's narrow lane). */
const STEPS = [0.5, 1, 2, 3, 4, 6, 12, 24, 48, 168];
/** The least room for a tick's label: a clock time, or a day at the week zoom. */
const TIME_TICK_PX = 56;
const DAY_TICK_PX = 96;

/** The axis step, in hours, for a timeline: the zoom's own, or longer where it would crowd. */
export function tickStep(tl: Timeline): number {
  const least = STEP_HOURS[tl.zoom];
  for (const step of STEPS) {
    if (step < least) continue;
    if (step * HOUR * tl.scale >= (step >= 24 ? DAY_TICK_PX : TIME_TICK_PX)) return step;
  }
  return STEPS[STEPS.length - 1]!;
}

/**
 * The time range the chart draws and its scale: the visible width shows the zoom's span; the
 * range covers every scheduled operation and at least one visible width from just before now.
 */
export function timeline(zoom: Zoom, now: number, spans: { start: number; end: number }[],
  visiblePx: number): Timeline {
  const span = SPAN_HOURS[zoom] * HOUR;
  const from = now - span * LEAD;
  let start = Math.min(from, ...spans.map((s) => s.start));
  let end = Math.max(from + span, ...spans.map((s) => s.end));
  start = Math.max(start, now - MAX_SPAN / 2);
  end = Math.min(end, start + MAX_SPAN);
  start = floorToStep(start, STEP_HOURS[zoom]);
  const scale = Math.max(1, visiblePx) / span;
  return { zoom, start, end, scale, width: Math.ceil((end - start) * scale) };
}

/** Where a time is drawn, in pixels from the lane's left edge. */
export function xOf(tl: Timeline, at: number): number {
  return (at - tl.start) * tl.scale;
}

/** How far to scroll so that now shows a little in from the left edge. */
export function scrollToNow(tl: Timeline, now: number, visiblePx: number): number {
  return Math.max(0, Math.round(xOf(tl, now) - visiblePx * LEAD));
}

export interface Tick {
  at: number;
  x: number;
  /** The clock time ("14:00"), or the day at the week zoom. */
  label: string;
  /** The day, on the first tick and where a new day begins ("Tue 8 Dec"). */
  day: string | null;
  /** Pixels to the next tick (or the lane's end): a day tick's label stays in view across it. */
  width: number;
}

/** The axis: a tick every step of the zoom, each day named where it begins. */
export function ticks(tl: Timeline, locale: string): Tick[] {
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const date = new Intl.DateTimeFormat(locale, { weekday: "short", month: "short", day: "numeric" });
  const stepHours = tickStep(tl);
  const step = stepHours * HOUR;
  const daily = stepHours >= 24;
  // Steps of whole days follow the calendar (a day with a clock change is not 24 hours).
  const next = (at: number) => {
    if (!daily) return at + step;
    const d = new Date(at);
    d.setDate(d.getDate() + stepHours / 24);
    return d.getTime();
  };
  const out: Tick[] = [];
  let lastDay = "";
  let at = floorToStep(tl.start, Math.min(stepHours, 24));
  if (at < tl.start) at = next(at);
  for (; at <= tl.end; at = next(at)) {
    const day = date.format(at);
    out.push({ at, x: xOf(tl, at), label: daily ? day : time.format(at), day: day !== lastDay ? day : null, width: 0 });
    lastDay = day;
  }
  out.forEach((tick, i) => { tick.width = (out[i + 1]?.x ?? tl.width) - tick.x; });
  return out;
}

export interface BarLayout<T> {
  op: T;
  x: number;
  width: number;
  /** Where the bar's label is: its full form inside ("inside"), a shorter form inside ("short"),
   * beside the bar as a tag pointing at it ("outside", the gap to the next bar holds it), or
   * none (a bar too narrow for any: zoom in, or tap it). Never a cut label. */
  place: "inside" | "short" | "outside" | "none";
  label: string;
}

/** The short form of a work order code: its last part ("WO-2026-00005" → "00005"). */
export function shortCode(code: string): string {
  const parts = code.split("-");
  return parts[parts.length - 1] || code;
}

/** An operation's step within its order: its code after the order's ("WO-2026-00011-20" → "20"). */
export function stepOf(opCode: string, workOrder: string): string {
  return opCode.startsWith(`${workOrder}-`) ? opCode.slice(workOrder.length + 1) : opCode;
}

/** The orders whose short code no other order on the chart shares (so "00011" says which). */
export function distinctShortCodes(workOrders: Iterable<string>): Set<string> {
  const seen = new Map<string, Set<string>>();
  for (const code of workOrders) {
    const short = shortCode(code);
    seen.set(short, (seen.get(short) ?? new Set()).add(code));
  }
  return new Set([...seen.values()].filter((codes) => codes.size === 1).flatMap((codes) => [...codes]));
}

/**
 * What a bar can say, longest first: the order and step ("WO-2026-00011 · 20"), then, where
 * the short code names one order on the chart, "00011 · 20" and "00011". Never a cut code.
 */
export function barLabels(workOrder: string, step: string, distinct: Set<string>): string[] {
  const short = shortCode(workOrder);
  const full = `${workOrder} · ${step}`;
  if (!distinct.has(workOrder) || short === workOrder) return [full];
  return [full, `${short} · ${step}`, short];
}

/** Rough width of a text in a bar (16 px bold), where the screen cannot measure it. */
export function estimateWidth(text: string): number {
  return text.length * CHAR_PX;
}

/** A label's room: the text and the bar's padding and border. */
export function labelWidth(text: string, measure: (text: string) => number = estimateWidth): number {
  return measure(text) + LABEL_PAD_PX;
}

/** The tag beside a bar: its pointer and the gap it keeps before the next bar. */
const TAG_POINTER_PX = 8;
const TAG_GAP_PX = 4;

/**
 * One lane's bars, left to right: each at least MIN_BAR_PX wide, its label the longest of its
 * forms that fits inside; where none fits, the longest that fits as a tag beside the bar in the
 * gap before the next bar; else none (the bar's accessible name and its sheet say it all, and a
 * closer zoom shows it). `measure` gives a text's width in pixels (the screen measures it).
 */
export function layoutLane<T extends { start: number; end: number; labels: string[] }>(
  tl: Timeline, ops: T[], measure: (text: string) => number = estimateWidth): BarLayout<T>[] {
  const sorted = [...ops].sort((a, b) => a.start - b.start);
  return sorted.map((op, i) => {
    const x = xOf(tl, op.start);
    const width = Math.max(MIN_BAR_PX, xOf(tl, op.end) - x);
    const inside = op.labels.findIndex((text) => labelWidth(text, measure) <= width);
    if (inside >= 0) return { op, x, width, place: inside === 0 ? "inside" : "short", label: op.labels[inside]! };
    const next = sorted[i + 1];
    const room = (next ? xOf(tl, next.start) : tl.width) - (x + width) - TAG_POINTER_PX - TAG_GAP_PX;
    const beside = op.labels.find((text) => labelWidth(text, measure) <= room);
    return beside ? { op, x, width, place: "outside", label: beside } : { op, x, width, place: "none", label: "" };
  });
}

/**
 * Where a label is drawn while the chart is scrolled `left` pixels into the lane: at its day's
 * (or bar's) start, held at the visible start while the day or bar is in view (so the first day
 * is always named whole, and a bar running in from the left keeps its label), and null once too
 * little is left for it (the next day's name is then right there) rather than cut by the edge.
 */
export function stickyX(band: { x: number; width: number }, left: number, labelPx: number): number | null {
  const x = Math.max(band.x, left);
  return x + labelPx <= band.x + band.width ? x : null;
}

/**
 * A bar's label while the chart is scrolled `left` pixels into the lane: as laid out where the
 * bar's start is in view; for a bar running in from before the visible start, the longest of its
 * forms that fits the part in view, `shift` pixels in from the bar's start; null where none fits.
 */
export function labelInView(bar: { x: number; width: number; label: string }, labels: string[], left: number,
  measure: (text: string) => number = estimateWidth): { label: string; shift: number } | null {
  if (bar.x >= left) return { label: bar.label, shift: 0 };
  const room = bar.x + bar.width - left;
  const label = labels.find((text) => labelWidth(text, measure) <= room);
  return label === undefined ? null : { label, shift: left - bar.x };
}

export interface DayBand {
  at: number;
  x: number;
  width: number;
  /** The day ("Tue 8 Dec"); null on a band too narrow to hold it (the lane's first, part day). */
  label: string | null;
}

/**
 * The axis's days: one band per calendar day from the lane's start to its end, the first one
 * starting at the lane's left edge; the screen places each name with stickyX.
 */
export function dayBands(tl: Timeline, locale: string,
  measure: (text: string) => number = estimateWidth): DayBand[] {
  const date = new Intl.DateTimeFormat(locale, { weekday: "short", month: "short", day: "numeric" });
  const out: DayBand[] = [];
  for (let at = tl.start; at < tl.end;) {
    const d = new Date(at);
    d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() + 1);
    const end = Math.min(d.getTime(), tl.end);
    const x = xOf(tl, at);
    const width = xOf(tl, end) - x;
    const label = date.format(at);
    out.push({ at, x, width, label: labelWidth(label, measure) <= width ? label : null });
    at = end;
  }
  return out;
}

/** What is late on the chart: operations that end after their order is due, and those
 * orders (the work order list's "Late only" counts orders). */
export function lateCounts(ops: { work_order: string; late: boolean }[]): { operations: number; orders: number } {
  const late = ops.filter((o) => o.late);
  return { operations: late.length, orders: new Set(late.map((o) => o.work_order)).size };
}

/** The next zoom in (closer: fewer hours across) or out, staying at the ends. */
export function zoomBy(zoom: Zoom, direction: "in" | "out"): Zoom {
  const at = ZOOMS.indexOf(zoom) + (direction === "in" ? -1 : 1);
  return ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, at))]!;
}

/** A pinch's zoom, from how far apart two fingers started and are now: spread by half as
 * much again to zoom in, pinch to two thirds to zoom out; null while in between. */
export function pinchZoom(zoom: Zoom, startDistance: number, distance: number): Zoom | null {
  if (startDistance <= 0) return null;
  const ratio = distance / startDistance;
  if (ratio >= 1.5) return zoomBy(zoom, "in");
  if (ratio <= 2 / 3) return zoomBy(zoom, "out");
  return null;
}
