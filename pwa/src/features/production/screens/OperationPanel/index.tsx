import { useEffect } from "preact/hooks";
import { watch } from "../../../../app/live";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { user } from "../../../../app/session";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { claimScans } from "../../../../scan/router";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { StatusChip } from "../../../../ui/StatusChip";
import { num } from "../../api";
import { changeStatus, openOperation, operation, operationError, operationSavedAt, recordKeyOf, releaseHold } from "../../model";
import { figures } from "../../reporting";
import { closeStation, onStationSettled, openStation, stationScan } from "../../station";
import { mayStart } from "../../step";
import { ReportForm } from "../ReportForm";
import { ReportHistory } from "../ReportHistory";
import { ConsumeCard, SerialCard, StationRefusals } from "../WorkstationMaterials";
import { CompleteButton, ReopenButton } from "../CompleteButton";
import { MaterialWarning } from "../MaterialWarning";
import { OperationRefusals } from "../OperationRefusals";
import { StepInfo } from "../StepInfo";
import "./style.css";

/** Statuses in which an operation may still get something to report. */
const OPEN = ["pending", "ready", "running", "paused"];

/** The operator's screen for one operation: what is available, start / pause / complete, and
 * good + scrap reported with big steppers. Works offline: reports wait in the outbox. */
export function OperationPanel({ id, actions }: { id: number; actions: string[] }) {
  const mayReport = actions.includes("report_work");
  useEffect(() => {
    void openOperation(id);
    void openStation(id);
    const reload = () => { void openOperation(id); void openStation(id); };
    const stopWatch = watch(`op:${id}`, reload);
    const stopSettled = onCommandSettled((cmd) => {
      if (onStationSettled(cmd)) void openOperation(id);
      else if (operation.value && cmd.recordKey === recordKeyOf(operation.value)) reload();
    });
    // While the panel is open, a lot label consumes that lot, and with serial scanning on a
    // serial label reports its unit; other scans open their record as anywhere.
    const release = claimScans(async (parsed) => {
      const verdict = await stationScan(parsed, mayReport);
      if (!verdict) return false;
      (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    });
    return () => { stopWatch(); stopSettled(); release(); closeStation(); };
  }, [id, mayReport]);

  const op = operation.value;
  if (!op || op.id !== id) {
    return operationError.value ? <p class="error-text" role="alert">{operationError.value}</p> : <p>{t("ui.loading")}</p>;
  }
  const may = (a: string) => actions.includes(a);
  const running = op.status === "running";
  const paused = op.status === "paused";
  return (
    <section class="op-panel" data-testid="operation" data-status={op.status}>
      {operationSavedAt.value !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {/* The record page's only header for an operation: its work order (a 48 px link), item,
          step and status, compact so the step's instructions and Send share the first screen. */}
      <header class="op-head" data-testid="op-head">
        <p class="op-wo">
          <a class="op-wo-link" data-testid="op-work-order" href={recordPath("WO", op.work_order ?? "")}
            onClick={(e) => { e.preventDefault(); navigate(recordPath("WO", op.work_order ?? "")); }}>
            {op.work_order}
          </a>
          {op.item_code && <span class="op-item">{op.item_code}{op.item_name ? ` · ${op.item_name}` : ""}</span>}
        </p>
        <h1 class="op-name">{op.seq} · {op.name} <StatusChip of="operation" status={op.status} /></h1>
      </header>
      <StepInfo op={op} />
      <dl class="op-figures">
        <div><dt>{t("production.available")}</dt><dd data-testid="available">{figures.value.available}</dd></div>
        <div><dt>{t("production.good")}</dt><dd data-testid="good">{num(op.good)}</dd></div>
        <div><dt>{t("production.scrap")}</dt><dd>{num(op.scrap)}</dd></div>
        {op.needs_inspection && <div><dt>{t("production.held")}</dt><dd>{num(op.held)}</dd></div>}
      </dl>
      {figures.value.waiting > 0 && <p class="note">{t("production.pendingReports", { count: figures.value.waiting })}</p>}
      {OPEN.includes(op.status) && figures.value.available <= 0 && (
        <p class="muted" data-testid="report-nothing">
          {op.status === "pending" || num(op.available) + num(op.good) + num(op.scrap) <= 0 ? t("reporting.nothingYet") : t("reporting.allReported")}
        </p>
      )}
      <OperationRefusals />
      {op.operators.length > 0 && <p class="muted">{t("production.workingNow", { names: op.operators.join(", ") })}</p>}
      <div class="op-buttons">
        {may("start_work") && mayStart(op, user.value?.username) && (
          <Button block onClick={() => void changeStatus("start")} data-testid="op-start">{t("production.start")}</Button>
        )}
        {may("start_work") && paused && <Button block onClick={() => void changeStatus("resume")}>{t("production.resume")}</Button>}
        {may("pause") && running && <Button block variant="secondary" onClick={() => void changeStatus("pause")}>{t("production.pause")}</Button>}
        <CompleteButton key={op.id} op={op} mayComplete={may("complete")} />
        <ReopenButton op={op} mayReopen={may("reopen")} />
      </div>
      {may("release_hold") && num(op.held) > 0 && (
        <Button block variant="secondary" data-testid="release-hold" onClick={() => void releaseHold()}>
          {t("production.releaseHold", { count: num(op.held) })}
        </Button>
      )}
      <StationRefusals />
      {may("report_work") && <ConsumeCard />}
      {may("report_work") && <SerialCard />}
      {may("report_work") && <MaterialWarning />}
      {may("report_work") && <ReportForm op={op} />}
      {(may("report_work") || may("release_hold") || op.status === "done") && <ReportHistory op={op} />}
    </section>
  );
}
