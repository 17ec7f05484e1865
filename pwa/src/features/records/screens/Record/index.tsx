import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { onCommandSettled } from "../../../../app/outbox";
import { watch } from "../../../../app/live";
import { t } from "../../../../i18n";
import { OperationPanel } from "../../../production/screens/OperationPanel";
import { WorkOrderPanel } from "../../../production/screens/WorkOrderPanel";
import { LocationStock } from "../../../stock/screens/LocationStock";
import { LotPanel } from "../../../stock/screens/LotPanel";
import { navigate } from "../../../../app/router";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { StatusChip } from "../../../../ui/StatusChip";
import { topicOf } from "../../api";
import { loadError, loading, openRecord, setEquipmentStatus, view } from "../../model";
import "./style.css";

/** Facts worth showing per kind, in this order (the rest stay in the back office). */
const FACTS: Record<string, string[]> = {
  WS: ["line", "workstation_type", "area"],
  LOC: ["warehouse", "kind", "line"],
  EQ: ["equipment_type", "line", "workstation", "manufacturer", "model", "serial_no"],
  ITEM: ["kind", "unit", "batch_managed", "serial_tracked", "gtin", "route", "overrun_percent"],
};
/** Actions this version of the app carries out; the rest arrive with later modules. */
const BUILT = new Set([
  "return", "transfer", "scrap", // on the lot's page (LotPanel), by the roles that may move stock
  "print_label", "set_status", "view_equipment", "view_item",
  "view_work_order", "release", "hold", "report_work", "start_work", "pause", "complete", "release_hold",
  "view_lot", "trace", "block", "view_stock", "receive_lot", "count",
]);
const EQUIPMENT_STATUSES = ["in_service", "down", "under_maintenance"];

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? t("ui.yes") : t("ui.no");
  return String(value);
}

export function RecordPage({ kind, code }: { kind: string; code: string }) {
  const [choosing, setChoosing] = useState(false);

  useEffect(() => {
    void openRecord(kind, code);
    const reload = () => void openRecord(kind, code);
    const stopSettled = onCommandSettled((cmd) => cmd.recordKey === `${kind}:${code}` && reload());
    const topic = topicOf(kind, code);
    const stopWatch = topic ? watch(topic, reload) : () => {};
    return () => { stopSettled(); stopWatch(); };
  }, [kind, code]);

  const v = view.value;
  if (!v) {
    return (
      <main class="page">
        <h1>{kind} {code}</h1>
        {loading.value ? <p>{t("ui.loading")}</p> : <p class="error-text" role="alert">{loadError.value}</p>}
      </main>
    );
  }
  const { scan, facts } = v;
  const built = scan.actions.filter((a) => BUILT.has(a));
  const later = scan.actions.filter((a) => !BUILT.has(a));
  const labelUrl = `/api/v1/labels/${scan.kind}/${encodeURIComponent(scan.code)}`;
  return (
    <main class="page record" data-testid="record" data-kind={scan.kind} data-code={scan.code}>
      <p class="record-kind">{t(`kind.${scan.kind}`)}</p>
      <h1>{scan.code}</h1>
      <p class="record-title">{scan.title}</p>
      <StatusChip status={scan.status} />
      {v.savedAt !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {scan.kind === "OP" && <OperationPanel id={scan.id} actions={scan.actions} />}
      {scan.kind === "WO" && <WorkOrderPanel code={scan.code} actions={scan.actions} />}
      {scan.kind === "LOT" && <LotPanel code={scan.code} actions={scan.actions} />}
      {facts && (
        <dl class="facts card">
          {(FACTS[scan.kind] ?? []).filter((f) => f in facts).map((f) => (
            <Fragment key={f}>
              <dt>{t(`field.${f}`)}</dt>
              <dd>{show(facts[f])}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {scan.kind === "LOC" && built.includes("view_stock") && <LocationStock code={scan.code} actions={scan.actions} lineSide={facts?.kind === "line_side"} />}
      <h2>{t("record.actions")}</h2>
      <div class="stack">
        {scan.kind === "ITEM" && built.includes("receive_lot") && (
          <Button block onClick={() => navigate(`/receive/${encodeURIComponent(scan.code)}`)} data-testid="action-receive_lot">
            {t("action.receive_lot")}
          </Button>
        )}
        {built.includes("set_status") && (
          <Button block onClick={() => setChoosing(true)} data-testid="action-set_status">{t("action.set_status")}</Button>
        )}
        {built.includes("print_label") && (
          <>
            <Button block variant="secondary" onClick={() => window.open(`${labelUrl}?format=pdf`, "_blank")}>
              {t("action.print_label")}
            </Button>
            <img class="record-label" src={`${labelUrl}?format=png`} alt={t("record.labelPreview")} loading="lazy" />
          </>
        )}
      </div>
      {later.length > 0 && (
        <>
          <h2>{t("record.later")}</h2>
          <ul class="record-later">
            {later.map((a) => <li key={a}>{t(`action.${a}`)}</li>)}
          </ul>
        </>
      )}
      {choosing && (
        <Sheet title={t("action.set_status")} onClose={() => setChoosing(false)}>
          <div class="stack">
            {EQUIPMENT_STATUSES.map((s) => (
              <Button key={s} block variant={s === scan.status ? "primary" : "secondary"} data-testid={`status-${s}`}
                onClick={() => { setChoosing(false); void setEquipmentStatus(scan.code, s); }}>
                {t(`status.${s}`)}
              </Button>
            ))}
          </div>
        </Sheet>
      )}
    </main>
  );
}
