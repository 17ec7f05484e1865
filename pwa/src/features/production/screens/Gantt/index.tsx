import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { locale, t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import type { ScheduledOperation } from "../../api";
import { loadSchedule, moveOperation, planError, runScheduler, schedule, scheduling } from "../../planning";
import {
  ZOOMS, barLabels, dayBands, stickyX, distinctShortCodes, estimateWidth, labelInView, lateCounts, layoutLane, pinchZoom, scrollToNow, stepOf,
  ticks, timeline, xOf, zoomBy, type Zoom,
} from "../../timeline";
import "./style.css";

/** The workstation column, sticky at the left while the lanes scroll. */
const LABEL_PX = 88;
const ZOOM_KEY = "takt.gantt-zoom";

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function savedZoom(): Zoom {
  const saved = globalThis.localStorage?.getItem(ZOOM_KEY);
  if ((ZOOMS as readonly string[]).includes(saved ?? "")) return saved as Zoom;
  return (globalThis.innerWidth ?? 360) < 600 ? "hours" : "shift"; // a phone shows fewer hours
}

/** A text's width in a bar's font (16 px bold), measured on a canvas; estimated without one. */
function textMeasure(): (text: string) => number {
  const context = globalThis.document?.createElement("canvas").getContext("2d");
  if (!context) return estimateWidth;
  context.font = `700 16px ${getComputedStyle(document.body).fontFamily}`;
  return (text) => context.measureText(text).width;
}

/** The schedule in words: how long it takes, what is late (operations, and their orders, as the
 * work order list's "Late only" counts them) and how it was made. */
function summary(makespanS: number, solver: string, ops: ScheduledOperation[]): string {
  const late = lateCounts(ops);
  const parts = [t("planning.summary", { hours: (makespanS / 3600).toFixed(1) }),
    late.operations === 0 ? t("planning.noneLate")
      : t(late.operations === 1 ? "planning.lateOne" : late.orders === 1 ? "planning.lateOneOrder" : "planning.lateMany",
        { ops: late.operations, orders: late.orders })];
  if (solver === "cp-sat") parts.push(t("planning.optimised"));
  if (solver === "dispatch") parts.push(t("planning.quickPlan"));
  return parts.join(" · ");
}

/** How far the chart is scrolled into its lanes, in pixels (once a frame while it scrolls). */
function useScrollLeft(scroller: { current: HTMLDivElement | null }): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setLeft(el.scrollLeft));
    };
    onScroll();
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => { el.removeEventListener("scroll", onScroll); cancelAnimationFrame(frame); };
  }, [scroller.current]);
  return left;
}

interface Named { at: number; x: number; width: number; label: string | null }

/** The axis's names: the days ("day": above the clock times; "time": the week zoom's own ticks),
 * each held at the visible start, right of the workstation column, while its day is in view; and
 * the clock times, left out where the workstation column would cover them. */
function AxisNames({ bands, clocks, left, measure, row }: {
  bands: Named[]; clocks: Named[]; left: number; measure: (text: string) => number; row: "day" | "time";
}) {
  return (
    <>
      {bands.map((band) => {
        const x = band.label === null ? null : stickyX(band, left + 4, measure(band.label) + 8);
        return x !== null && (
          <span key={band.at} class={row === "day" ? "gantt-day" : "gantt-time gantt-week-day"}
            style={{ left: `${LABEL_PX + x}px` }}>{band.label}</span>
        );
      })}
      {clocks.map((tick) => tick.x >= left && (
        <span key={tick.at} class="gantt-time gantt-clock" style={{ left: `${LABEL_PX + tick.x + 4}px` }}>{tick.label}</span>
      ))}
    </>
  );
}

/** The minute, every minute: the now-line moves on while the chart is open. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The planner's Gantt: one row per workstation on a time axis that opens at now, with a
 * now-line and zoom (hours, shift, day, week: buttons or a pinch); late operations in red; run the scheduler, or
 * tap a bar to move that operation by hand. */
export function Gantt() {
  const [moving, setMoving] = useState<ScheduledOperation | null>(null);
  const [zoom, setZoom] = useState<Zoom>(savedZoom);
  const [visible, setVisible] = useState(() => Math.max(200, (globalThis.innerWidth ?? 360) - 34 - LABEL_PX));
  const scroller = useRef<HTMLDivElement>(null);
  const now = useNow();
  useEffect(() => void loadSchedule(), []);

  // The lanes' visible width decides the scale: a zoom shows its span on a phone and a tablet.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setVisible(Math.max(200, el.clientWidth - LABEL_PX)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [scroller.current]);

  const s = schedule.value;
  const ops = s?.operations ?? [];
  const spans = ops.map((o) => ({ start: Date.parse(o.start_at), end: Date.parse(o.end_at) }));
  const tl = timeline(zoom, now, spans, visible);
  const stations = [...new Set(ops.map((o) => o.workstation))].sort();
  const measure = useMemo(textMeasure, []);
  const left = useScrollLeft(scroller);
  const distinct = distinctShortCodes(ops.map((o) => o.work_order));

  // Open at now, and back to now on a new zoom or when asked.
  const [jump, setJump] = useState(0);
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollLeft = scrollToNow(tl, Date.now(), visible);
  }, [zoom, visible, jump, ops.length > 0]);

  const chooseZoom = (z: Zoom) => {
    setZoom(z);
    globalThis.localStorage?.setItem(ZOOM_KEY, z);
  };

  // Pinch with two fingers (or a trackpad's pinch, ctrl + wheel) steps through the zooms.
  // Touch events keep coming while the browser pans the chart; pointer events would cancel.
  const pinchFrom = useRef(0);
  const spread = (touches: TouchList) => {
    const [a, b] = [touches[0], touches[1]];
    return a && b ? Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) : 0;
  };
  const onTouch = (e: TouchEvent) => {
    if (e.touches.length !== 2) { pinchFrom.current = 0; return; }
    if (!pinchFrom.current) { pinchFrom.current = spread(e.touches); return; }
    const next = pinchZoom(zoom, pinchFrom.current, spread(e.touches));
    if (next && next !== zoom) { chooseZoom(next); pinchFrom.current = spread(e.touches); }
  };
  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey || Math.abs(e.deltaY) < 4) return;
    e.preventDefault();
    chooseZoom(zoomBy(zoom, e.deltaY < 0 ? "in" : "out"));
  };
  const axis = ticks(tl, locale.value);
  const days = dayBands(tl, locale.value, measure);
  const time = new Intl.DateTimeFormat(locale.value, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const when = new Intl.DateTimeFormat(locale.value, { weekday: "short", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const nowX = LABEL_PX + xOf(tl, now);
  return (
    <main class="page gantt-page">
      <h1>{t("planning.gantt")}</h1>
      <div class="row">
        <Button onClick={() => void runScheduler()} disabled={scheduling.value} data-testid="run-scheduler">
          {scheduling.value ? t("planning.scheduling") : t("planning.runScheduler")}
        </Button>
        {s && <span class="muted" data-testid="schedule-summary">
          {summary(s.makespan_s, s.solver, ops)}
        </span>}
      </div>
      <ul class="gantt-legend" data-testid="gantt-legend">
        <li><span class="gantt-swatch" aria-hidden="true" />{t("planning.legendPlanned")}</li>
        <li><span class="gantt-swatch gantt-late" aria-hidden="true" />{t("planning.legendLate")}</li>
        <li><span class="gantt-swatch gantt-swatch-now" aria-hidden="true" />{t("planning.legendNow")}</li>
      </ul>
      {/* Now first: on a phone the row scrolls sideways, and back to now is what is wanted most. */}
      <div class="choices gantt-zoom" role="group" aria-label={t("planning.zoom")}>
        <button type="button" class="choice" data-testid="gantt-now" onClick={() => setJump(jump + 1)}>
          {t("planning.now")}
        </button>
        {ZOOMS.map((z) => (
          <button key={z} type="button" class="choice" aria-pressed={z === zoom} data-testid={`zoom-${z}`}
            onClick={() => chooseZoom(z)}>{t(`planning.zoom_${z}`)}</button>
        ))}
      </div>
      {planError.value && <p class="error-text" role="alert">{planError.value}</p>}
      {ops.length === 0 && <p class="muted">{t("planning.noSchedule")}</p>}
      <div class="gantt" ref={scroller} data-testid="gantt" data-zoom={zoom} onWheel={onWheel}
        onTouchStart={onTouch} onTouchMove={onTouch} onTouchEnd={onTouch} onTouchCancel={onTouch}>
        <div class="gantt-canvas" style={{ width: `${LABEL_PX + tl.width}px` }}>
          <div class="gantt-axis" data-testid="gantt-axis">
            <span class="gantt-corner" style={{ width: `${LABEL_PX}px` }} />
            {axis.map((tick) => (
              <span key={tick.at} class={`gantt-tick${tick.day ? " gantt-tick-day" : ""}`}
                style={{ left: `${LABEL_PX + tick.x}px` }} />
            ))}
            <AxisNames bands={tl.zoom === "week" ? axis : days} clocks={tl.zoom === "week" ? [] : axis}
              left={left} measure={measure}
              row={tl.zoom === "week" ? "time" : "day"} />
          </div>
          {stations.map((ws) => (
            <div class="gantt-row" key={ws} data-workstation={ws}>
              <span class="gantt-label" style={{ width: `${LABEL_PX}px` }}>{ws}</span>
              <div class="gantt-lane" style={{ width: `${tl.width}px` }}>
                {layoutLane(tl, ops.filter((o) => o.workstation === ws).map((o) =>
                  ({ op: o, labels: barLabels(o.work_order, stepOf(o.code, o.work_order), distinct),
                    start: Date.parse(o.start_at), end: Date.parse(o.end_at) })), measure)
                  .map((bar) => {
                    const o = bar.op.op;
                    const span = `${when.format(Date.parse(o.start_at))} – ${time.format(Date.parse(o.end_at))}`;
                    // A bar running in from before the visible start keeps a label in view.
                    const shown = bar.place === "inside" || bar.place === "short"
                      ? labelInView(bar, bar.op.labels, left + 2, measure) : null;
                    return [
                      <button type="button" key={o.id} class={`gantt-bar${o.late ? " gantt-late" : ""}`}
                        data-testid={`bar-${o.code}`} data-label={bar.place}
                        aria-label={`${o.work_order} · ${stepOf(o.code, o.work_order)} · ${o.name} · ${span}${o.late ? ` · ${t("production.late")}` : ""}`}
                        style={{ left: `${bar.x}px`, width: `${bar.width}px` }} onClick={() => setMoving(o)}>
                        {shown && <span class="gantt-bar-text"
                          style={shown.shift > 0 ? { transform: `translateX(${shown.shift}px)` } : undefined}>{shown.label}</span>}
                      </button>,
                      bar.place === "outside" && (
                        <span key={`${o.id}-label`} class={`gantt-outside${o.late ? " gantt-late" : ""}`} aria-hidden="true"
                          style={{ left: `${bar.x + bar.width + 8}px` }}>{bar.label}</span>
                      ),
                    ];
                  })}
              </div>
            </div>
          ))}
          <div class="gantt-now" data-testid="gantt-now-line" style={{ left: `${nowX}px` }}>
            <span>{t("planning.nowAt", { time: time.format(now) })}</span>
          </div>
        </div>
      </div>
      {moving && (
        <Sheet title={t("planning.move", { code: moving.code })} onClose={() => setMoving(null)}>
          <p class="muted">
            {moving.name} · {when.format(Date.parse(moving.start_at))} – {time.format(Date.parse(moving.end_at))}
            {moving.late && <strong class="error-text"> · {t("production.late")}</strong>}
          </p>
          <form onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            void moveOperation(moving.id, String(data.get("workstation")), new Date(String(data.get("start"))).toISOString());
            setMoving(null);
          }}>
            <div class="field">
              <label for="move-ws">{t("field.workstation")}</label>
              <select id="move-ws" name="workstation" value={moving.workstation}>
                {stations.map((ws) => <option key={ws} value={ws}>{ws}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="move-start">{t("planning.start")}</label>
              <input id="move-start" name="start" type="datetime-local" value={toLocalInput(moving.start_at)} required />
            </div>
            <Button type="submit" block>{t("planning.moveHere")}</Button>
          </form>
        </Sheet>
      )}
    </main>
  );
}
