import { useEffect } from "preact/hooks";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { CounterCountLink } from "../../../counting/screens/CountLinks";
import { acceptScan } from "../../../../scan/feedback";
import { claimScans } from "../../../../scan/router";
import { Button } from "../../../../ui/Button";
import { watch } from "../../../../app/live";
import { StatusChip } from "../../../../ui/StatusChip";
import { num } from "../../../production/api";
import { loadHome, myWorkstation, queue, reloadSoon, setMyWorkstation, workstations } from "../../model";

/** The operator's home: the workstation this handheld works at, and its queue. */
export function OperatorHome() {
  const mine = myWorkstation.value;
  const ws = workstations.value.find((w) => w.code === mine);

  // Until a workstation is chosen, scanning a workstation label chooses it.
  useEffect(() => (mine ? () => {} : claimScans((parsed) => {
    if (parsed.type !== "label" || parsed.kind !== "WS") return false;
    setMyWorkstation(parsed.code);
    acceptScan(t("home.workstationChosen", { code: parsed.code }));
    return true;
  })), [mine]);

  // The queue follows the workstation live: a release, a report or a new schedule moves it.
  useEffect(() => {
    if (!mine) return;
    void loadHome("operator");
    const stopStation = watch(`workstation:${mine}`, () => reloadSoon("operator"));
    // Material issued to (or consumed at) the line changes which operations are short.
    const line = ws?.line;
    const stopLine = line ? watch(`line:${line}`, () => reloadSoon("operator")) : () => {};
    return () => { stopStation(); stopLine(); };
  }, [mine, ws?.line]);

  if (!mine) {
    return (
      <section>
        <h1>{t("home.chooseWorkstation")}</h1>
        <p>{t("home.chooseWorkstationHint")}</p>
        <div class="ws-pick">
          {workstations.value.map((w) => (
            <Button key={w.code} variant="secondary" onClick={() => setMyWorkstation(w.code)} data-testid={`pick-${w.code}`}>
              {w.code}
            </Button>
          ))}
        </div>
      </section>
    );
  }
  return (
    <section>
      <h1>{t("home.myWorkstation")}</h1>
      <a class="list-item" href={recordPath("WS", mine)} data-testid="my-workstation"
        onClick={(e) => { e.preventDefault(); navigate(recordPath("WS", mine)); }}>
        <span><strong>{mine}</strong> {ws ? `· ${ws.name}` : ""}</span>
        <span class="muted">{ws?.line ?? ""}</span>
      </a>
      <h2>{t("home.queue")}</h2>
      {queue.value.length === 0 ? <p class="muted">{t("home.queueEmpty")}</p> : (
        <ul class="list" data-testid="queue">
          {queue.value.map((op) => (
            <li key={op.id}>
              <a class="list-item" href={recordPath("OP", op.code)} data-testid={`queue-${op.code}`}
                onClick={(e) => { e.preventDefault(); navigate(recordPath("OP", op.code)); }}>
                <span><strong>{op.work_order}</strong> · {op.seq} {op.name}<br />
                  <span class="muted">{op.item_code} · {t("production.availableShort", { count: num(op.available) })}</span>
                  {op.material === "ready" && <><br /><span class="material-ok" data-testid={`material-${op.code}`}>✓ {t("home.materialReady")}</span></>}
                  {op.material === "short" && <><br /><span class="material-short" data-testid={`material-${op.code}`}>⚠ {t("home.materialShort", { items: op.short_of.join(", ") })}</span></>}
                </span>
                <StatusChip of="operation" status={op.status} />
              </a>
            </li>
          ))}
        </ul>
      )}
      <Button variant="secondary" onClick={() => navigate("/receive")} data-testid="go-receive">{t("stock.receiveTitle")}</Button>
      <CounterCountLink />
      <Button variant="ghost" onClick={() => setMyWorkstation(null)}>{t("home.changeWorkstation")}</Button>
    </section>
  );
}
