import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../../../api/errors";
import { formatDateTime } from "../../../../app/dates";
import { watch } from "../../../../app/live";
import { onCommandSettled, submit } from "../../../../app/outbox";
import { fetchOrSaved } from "../../../../app/saved";
import { navigate, recordPath } from "../../../../app/router";
import { roles, type Role } from "../../../../app/session";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { StatusChip } from "../../../../ui/StatusChip";
import { getWorkOrder, num, type WorkOrder } from "../../api";
import { madeOf, mayMake, overBy } from "../../orders";
import { unitDecimals } from "../../../../app/units";
import { closeOutsourcing, onOutsourceSettled, openOutsourcing } from "../../suppliers";
import { OutsourceCard } from "../OutsourceCard";
import "./style.css";

const SEND_ROLES: Role[] = ["admin", "planner", "supervisor"];
const RECEIVE_ROLES: Role[] = [...SEND_ROLES, "operator"];

/** A work order: progress, its operations (tap one to work on it), and the planner's and
 * supervisor's commands. */
export function WorkOrderPanel({ code, actions }: { code: string; actions: string[] }) {
  const [wo, setWo] = useState<WorkOrder | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () => fetchOrSaved(`wo:${code}`, () => getWorkOrder(code)).then(
      ({ value }) => alive && setWo(value),
      (err) => alive && setError(err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown")));
    void load();
    void openOutsourcing(code);
    const stopWatch = watch(`wo:${code}`, () => { void load(); void openOutsourcing(code); });
    const stopSettled = onCommandSettled((cmd) => (cmd.recordKey === `WO:${code}` || onOutsourceSettled(cmd)) && void load());
    return () => { alive = false; stopWatch(); stopSettled(); closeOutsourcing(); };
  }, [code]);

  if (!wo) return error ? <p class="error-text" role="alert">{error}</p> : <p>{t("ui.loading")}</p>;
  const done = Math.min(100, (100 * num(wo.good)) / Math.max(1, num(wo.quantity)));
  const overrun = num(wo.overrun_percent);
  const over = overBy(num(wo.good), num(wo.quantity));
  const woCommand = (verb: string) => void submit({
    path: `/api/v1/work-orders/${encodeURIComponent(wo.code)}/${verb}`, body: {}, recordKey: `WO:${wo.code}`,
    label: t(`production.wo_${verb}`, { code: wo.code }),
  });
  return (
    <section class="wo-panel" data-testid="work-order" data-status={wo.status}>
      <p class="wo-item">{wo.item_code} · {wo.item_name}</p>
      <div class="wo-progress" role="progressbar" aria-valuenow={num(wo.good)} aria-valuemax={num(wo.quantity)}>
        <div class="wo-progress-bar" style={{ width: `${done}%` }} />
        <span>{t("production.progress", { good: num(wo.good), quantity: num(wo.quantity), scrap: num(wo.scrap) })}</span>
      </div>
      {/* What the operations' figures are measured against: the quantity, and the overrun. */}
      {(over > 0 || overrun > 0) && (
        <p class={over > 0 ? "wo-overrun wo-over" : "wo-overrun muted"} data-testid="wo-overrun">
          {over > 0 ? madeOf(num(wo.good), num(wo.quantity), overrun)
            : t("production.mayMake", { max: mayMake(wo, unitDecimals(wo.unit)), percent: overrun })}
        </p>
      )}
      <p class={wo.late ? "error-text" : "muted"} data-testid="wo-due">
        {wo.due_at ? t("production.due", { when: formatDateTime(wo.due_at) }) : t("production.noDue")}
        {wo.late && ` · ${t("production.late")}`}
      </p>
      <div class="row">
        {actions.includes("release") && wo.status === "draft" && <Button onClick={() => woCommand("release")}>{t("production.release")}</Button>}
        {actions.includes("hold") && ["released", "in_progress"].includes(wo.status) &&
          <Button variant="secondary" onClick={() => woCommand("hold")}>{t("production.hold")}</Button>}
        {actions.includes("hold") && wo.status === "on_hold" &&
          <Button variant="secondary" onClick={() => woCommand("resume")}>{t("production.resume")}</Button>}
        {/* Issuing stock to the line is for those the server lets move stock. */}
        {(actions.includes("pick") || roles.value.has("operator") || roles.value.has("supervisor")) &&
          ["released", "in_progress"].includes(wo.status) && (
          <Button onClick={() => navigate(`/pick/${encodeURIComponent(wo.code)}`)} data-testid="pick-material">
            {t("production.pickMaterial")}
          </Button>
        )}
        <Button variant="secondary" onClick={() => window.open(`/api/v1/work-orders/${encodeURIComponent(wo.code)}/traveler.pdf`, "_blank")}>
          {t("production.traveler")}
        </Button>
      </div>
      {/* The server's guards: planners and supervisors send work out; the floor receives it too. */}
      <OutsourceCard wo={wo}
        maySend={SEND_ROLES.some((r) => roles.value.has(r))}
        mayReceive={RECEIVE_ROLES.some((r) => roles.value.has(r))} />
      <h2>{t("production.operations")}</h2>
      <ul class="list">
        {(wo.operations ?? []).map((op) => (
          <li key={op.id}>
            <a class="list-item" href={recordPath("OP", op.code)} data-testid={`op-${op.code}`}
              onClick={(e) => { e.preventDefault(); navigate(recordPath("OP", op.code)); }}>
              <span><strong>{op.seq}</strong> {op.name} · {op.scheduled_workstation ?? op.workstation ?? op.workstation_type}</span>
              <span class="row">
                <span class={overBy(num(op.good), num(wo.quantity)) ? "wo-over" : "muted"} data-testid={`op-made-${op.code}`}>
                  {madeOf(num(op.good), num(wo.quantity), overrun)}
                  {op.status !== "done" && num(op.available) > 0 && ` · ${t("production.availableShort", { count: num(op.available) })}`}
                </span>
                <StatusChip of="operation" status={op.status} />
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
