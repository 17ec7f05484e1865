import { unitDecimals } from "../../../../app/units";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { Stepper } from "../../../../ui/Stepper";
import { consumeStep } from "../../materials";
import {
  componentList, confirmConsume, consuming, consumingRow, dismissRefusal, refusals, serialMode, serialsCounted,
  serialsScanned, setConsumeQuantity, station, waitingConsumes, waitingSerials,
} from "../../station";
import "./style.css";

/** The server's refusals of what this panel sent (a lot of the wrong item, a serial scanned
 * twice), in its own words, until the operator has read them. */
export function StationRefusals() {
  if (!refusals.value.length) return null;
  return (
    <div class="station-refusals">
      {refusals.value.map((r) => (
        <div key={r.commandId} class="station-refusal" role="alert" data-testid="station-refusal">
          <p>{t("station.refused", { what: r.what })} {r.detail}</p>
          <Button variant="secondary" onClick={() => void dismissRefusal(r.commandId)}>{t("ui.ok")}</Button>
        </div>
      ))}
    </div>
  );
}

/** The operation's scan-to-consume components: required for the order, consumed so far; a
 * lot label scanned here asks for the quantity and consumes it. */
export function ConsumeCard() {
  const rows = componentList.value;
  if (!rows.length) return null;
  const waiting = waitingConsumes.value.length;
  const c = consuming.value;
  return (
    <section class="card station-card" data-testid="scan-to-consume">
      <h2>{t("station.materials")}</h2>
      <p class="muted">{t("station.scanLotHint")}</p>
      <ul class="station-components">
        {rows.map((r) => (
          <li key={r.item_code} data-testid={`component-${r.item_code}`} data-consumed={r.consumed}>
            <span><strong>{r.item_code}</strong> {r.item_name}</span>
            <span class="station-figure">{t("station.consumedOf", { consumed: r.consumed, required: r.required, unit: r.unit })}</span>
            <span class={r.remaining > 0 ? "muted" : "station-done"}>
              {r.remaining > 0 ? t("station.stillNeeded", { quantity: r.remaining, unit: r.unit }) : t("station.allConsumed")}
            </span>
          </li>
        ))}
      </ul>
      {waiting > 0 && <p class="note">{t("station.consumesWaiting", { count: waiting })}</p>}
      {c && (
        <Sheet title={t("station.consumeTitle", { lot: c.lot })} onClose={() => (consuming.value = null)}>
          <form class="stack" data-testid="consume-sheet" onSubmit={(e) => { e.preventDefault(); void confirmConsume(); }}>
            <p>{c.item ? t("station.lotItem", { item: c.item }) : t("station.lotItemUnknown")}</p>
            <Stepper label={`${t("station.quantity")}${consumingRow.value ? ` (${consumingRow.value.unit})` : ""}`}
              value={c.quantity} step={consumeStep(consumingRow.value)} decimals={unitDecimals(consumingRow.value?.unit)}
              onChange={setConsumeQuantity} />
            <Button type="submit" block disabled={c.quantity <= 0} data-testid="consume-submit">{t("station.consume")}</Button>
          </form>
        </Sheet>
      )}
    </section>
  );
}

/** At a serial-tracked order's last output step: scanning serials reports good units, one a
 * scan, with a running count. */
export function SerialCard() {
  const view = station.value;
  if (!view?.serial_step) return null;
  if (!serialMode.value) {
    return (
      <Button block data-testid="scan-serials" onClick={() => (serialMode.value = true)}>
        {t("station.scanSerials")}
      </Button>
    );
  }
  const waiting = waitingSerials.value.length;
  return (
    <section class="card station-card station-serials" data-testid="serial-scan">
      <h2>{t("station.scanSerials")}</h2>
      <p class="station-instruction">{t("station.serialsHint")}</p>
      <p class="station-count" data-testid="serial-count">{serialsCounted.value}</p>
      <p class="muted">{t("station.serialsOf", { generated: view.serials_generated })}</p>
      {waiting > 0 && <p class="note">{t("station.serialsWaiting", { count: waiting })}</p>}
      {serialsScanned.value.length > 0 && (
        <ul class="station-serial-list" data-testid="serials-scanned">
          {serialsScanned.value.map((s) => <li key={s}>✔ {s}</li>)}
        </ul>
      )}
      <Button block variant="secondary" data-testid="serials-done" onClick={() => (serialMode.value = false)}>
        {t("station.serialsDone")}
      </Button>
    </section>
  );
}
