import { useEffect, useState } from "preact/hooks";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import type { ScheduledOperation } from "../../api";
import { loadSchedule, moveOperation, planError, runScheduler, schedule, scheduling } from "../../planning";
import "./style.css";

const HOUR_PX = 48;

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The planner's Gantt: one row per workstation, late operations in red; run the scheduler,
 * or tap a bar to move that operation by hand. */
export function Gantt() {
  const [moving, setMoving] = useState<ScheduledOperation | null>(null);
  useEffect(() => void loadSchedule(), []);
  const s = schedule.value;
  const ops = s?.operations ?? [];
  const start = ops.length ? Math.min(...ops.map((o) => Date.parse(o.start_at))) : Date.now();
  const end = ops.length ? Math.max(...ops.map((o) => Date.parse(o.end_at))) : start + 3600_000;
  const hours = Math.max(1, Math.ceil((end - start) / 3600_000));
  const stations = [...new Set(ops.map((o) => o.workstation))].sort();
  const x = (iso: string) => ((Date.parse(iso) - start) / 3600_000) * HOUR_PX;
  return (
    <main class="page gantt-page">
      <h1>{t("planning.gantt")}</h1>
      <div class="row">
        <Button onClick={() => void runScheduler()} disabled={scheduling.value} data-testid="run-scheduler">
          {scheduling.value ? t("planning.scheduling") : t("planning.runScheduler")}
        </Button>
        {s && <span class="muted" data-testid="schedule-summary">
          {t("planning.summary", { hours: (s.makespan_s / 3600).toFixed(1), late: ops.filter((o) => o.late).length, solver: s.solver })}
        </span>}
      </div>
      {planError.value && <p class="error-text" role="alert">{planError.value}</p>}
      {ops.length === 0 ? <p class="muted">{t("planning.noSchedule")}</p> : (
        <div class="gantt" data-testid="gantt">
          <div class="gantt-axis" style={{ width: `${hours * HOUR_PX}px` }}>
            {Array.from({ length: hours }, (_, h) => (
              <span key={h} style={{ left: `${h * HOUR_PX}px` }}>{new Date(start + h * 3600_000).getHours()}:00</span>
            ))}
          </div>
          {stations.map((ws) => (
            <div class="gantt-row" key={ws} data-workstation={ws}>
              <span class="gantt-label">{ws}</span>
              <div class="gantt-lane" style={{ width: `${hours * HOUR_PX}px` }}>
                {ops.filter((o) => o.workstation === ws).map((o) => (
                  <button type="button" key={o.id} class={`gantt-bar${o.late ? " gantt-late" : ""}`} data-testid={`bar-${o.code}`}
                    style={{ left: `${x(o.start_at)}px`, width: `${Math.max(6, x(o.end_at) - x(o.start_at))}px` }}
                    title={`${o.code} ${new Date(o.start_at).toLocaleString()}`} onClick={() => setMoving(o)}>
                    {o.work_order}
                  </button>
                ))}
              </div>
            </div>
          ))}
        </div>
      )}
      {moving && (
        <Sheet title={t("planning.move", { code: moving.code })} onClose={() => setMoving(null)}>
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
