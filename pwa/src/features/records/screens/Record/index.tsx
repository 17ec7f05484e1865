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
import { StatusChip, type StatusObject } from "../../../../ui/StatusChip";
import { EquipmentStatusSheet } from "../EquipmentStatus";
import { roles, signOut } from "../../../../app/session";
import { setMyWorkstation } from "../../../home/model";
import { chooseBadge } from "../../../signin/model";
import { topicOf } from "../../api";
import { loadError, loading, openRecord, view } from "../../model";
import "./style.css";

/** Facts worth showing per kind, in this order (the rest stay in the back office). */
const FACTS: Record<string, string[]> = {
  WS: ["line", "workstation_type", "area"],
  LOC: ["warehouse", "kind", "line"],
  EQ: ["equipment_type", "line", "workstation", "manufacturer", "model", "serial_no"],
  ITEM: ["kind", "unit", "batch_managed", "serial_tracked", "gtin", "route", "overrun_percent"],
};
/** Facts whose value is a code word of the API, shown in that enum's words. */
const ENUM_FACTS: Record<string, Record<string, string>> = {
  ITEM: { kind: "item_kind" },
  LOC: { kind: "location_kind" },
};
/** Whose status a record page's head shows, per label kind. */
const STATUS_OF: Record<string, StatusObject> = {
  WO: "work_order", OP: "operation", LOT: "lot", SN: "serial", EQ: "equipment",
};

function show(value: unknown, enumName?: string): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? t("ui.yes") : t("ui.no");
  if (enumName) return t(`enum.${enumName}.${String(value)}`);
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
  // The actions a scan offers are carried out where they belong: the operation's, work
  // order's and lot's panels, the location's stock, and the buttons below. An action this
  // version has no screen for (andon, checks, repairs) is not shown at all.
  const may = (a: string) => scan.actions.includes(a);
  const queueHere = scan.kind === "WS" && may("view_queue") && roles.value.has("operator");
  // Receiving is offered only for bought items: as a lot, or by quantity for items kept without lots.
  const receive = scan.kind === "ITEM" ? ["receive_lot", "receive"].find(may) : undefined;
  const hasActions = !!receive || queueHere
    || (scan.kind === "U" && may("sign_in_as")) || may("set_status") || may("print_label");
  const labelUrl = `/api/v1/labels/${scan.kind}/${encodeURIComponent(scan.code)}`;
  return (
    <main class="page record" data-testid="record" data-kind={scan.kind} data-code={scan.code}>
      {/* An operation's panel is its header (work order, step, status): said once. */}
      {scan.kind !== "OP" && (
        <>
          <p class="record-kind">{t(`kind.${scan.kind}`)}</p>
          <h1>{scan.code}</h1>
          <p class="record-title">{scan.title}</p>
          <StatusChip of={STATUS_OF[scan.kind] ?? "record"} status={scan.status} />
          {v.savedAt !== null && <p class="note" role="note">{t("record.savedCopy")}</p>}
        </>
      )}
      {scan.kind === "OP" && <OperationPanel id={scan.id} actions={scan.actions} />}
      {scan.kind === "WO" && <WorkOrderPanel code={scan.code} actions={scan.actions} />}
      {scan.kind === "LOT" && <LotPanel code={scan.code} actions={scan.actions} />}
      {facts && (
        <dl class="facts card">
          {(FACTS[scan.kind] ?? []).filter((f) => f in facts).map((f) => (
            <Fragment key={f}>
              <dt>{t(`field.${f}`)}</dt>
              <dd>{show(facts[f], ENUM_FACTS[scan.kind]?.[f])}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {scan.kind === "LOC" && may("view_stock") && <LocationStock code={scan.code} actions={scan.actions} lineSide={facts?.kind === "line_side"} />}
      {hasActions && <h2>{t("record.actions")}</h2>}
      <div class="stack">
        {receive && (
          <Button block onClick={() => navigate(`/receive/${encodeURIComponent(scan.code)}`)} data-testid={`action-${receive}`}>
            {t(`action.${receive}`)}
          </Button>
        )}
        {queueHere && (
          <Button block onClick={() => { setMyWorkstation(scan.code); navigate("/"); }} data-testid="action-view_queue">
            {t("action.view_queue")}
          </Button>
        )}
        {scan.kind === "U" && may("sign_in_as") && (
          <Button block onClick={() => void signOut().then(() => { chooseBadge(scan.code); navigate("/signin"); })}
            data-testid="action-sign_in_as">
            {t("action.sign_in_as")}
          </Button>
        )}
        {may("set_status") && (
          <Button block onClick={() => setChoosing(true)} data-testid="action-set_status">{t("action.set_status")}</Button>
        )}
        {may("print_label") && (
          <>
            <Button block variant="secondary" onClick={() => window.open(`${labelUrl}?format=pdf`, "_blank")}>
              {t("action.print_label")}
            </Button>
            <img class="record-label" src={`${labelUrl}?format=png`} alt={t("record.labelPreview")} loading="lazy" />
          </>
        )}
      </div>
      {choosing && <EquipmentStatusSheet code={scan.code} status={scan.status} onClose={() => setChoosing(false)} />}
    </main>
  );
}
