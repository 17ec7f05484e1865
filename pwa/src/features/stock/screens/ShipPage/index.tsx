import { useEffect } from "preact/hooks";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { roles } from "../../../../app/session";
import { useHoldsUnsavedInput } from "../../../../app/update";
import { t } from "../../../../i18n";
import { acceptScan, rejectScan } from "../../../../scan/feedback";
import { claimScans } from "../../../../scan/router";
import { Button } from "../../../../ui/Button";
import { Stepper } from "../../../../ui/Stepper";
import { mayShip } from "../../moves";
import { Go } from "../../parts";
import {
  changeLine, customer, customers, dismissShipRefusal, lastShipment, onShipSettled, reference, removeLine, sendShipment,
  shipLines, shipMissing, shipScan, startShipment,
} from "../../shipping";
import "./style.css";

/** What the last shipment became: waiting, its number, or the server's refusal. */
function LastShipment() {
  const last = lastShipment.value;
  if (!last) return null;
  if (last.state === "waiting") return <p class="note" data-testid="ship-waiting">{t("moves.shipWaiting")}</p>;
  if (last.state === "refused") {
    return (
      <div class="ship-refusal" role="alert" data-testid="ship-refused">
        <p>{t("moves.refused")} {last.detail}</p>
        <Button variant="secondary" onClick={() => void dismissShipRefusal()}>{t("ui.ok")}</Button>
      </div>
    );
  }
  const a = last.answer;
  return (
    <p class="card ship-done" role="status" data-testid="ship-done" data-code={a.code}>
      {t("moves.shipped", { code: a.code, reference: a.customer_order_ref, count: a.lines.length })}
    </p>
  );
}

/** Shipping finished lots against a customer's order reference: type the reference, scan each
 * lot, check where from and how much, confirm. */
export function ShipPage({ lot }: { lot: string | null }) {
  const lines = shipLines.value;
  useHoldsUnsavedInput(lines.length > 0 || !!reference.value.trim());
  useEffect(() => {
    void startShipment(lot).then((verdict) => verdict && (verdict.ok ? acceptScan : rejectScan)(verdict.message));
    const stopSettled = onCommandSettled(onShipSettled);
    const release = claimScans(async (parsed) => {
      const pending = shipScan(parsed);
      if (!pending) return false;
      const verdict = await pending;
      (verdict.ok ? acceptScan : rejectScan)(verdict.message);
      return true;
    });
    return () => { stopSettled(); release(); };
  }, [lot]);

  const missing = shipMissing.value;
  const waiting = lastShipment.value?.state === "waiting";
  return (
    <main class="page ship" data-testid="ship">
      <h1>{t("moves.shipTitle")}</h1>
      <LastShipment />
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void sendShipment(); }}>
        <div class="field">
          <label for="ship-ref">{t("moves.reference")}</label>
          <input id="ship-ref" value={reference.value} maxLength={100} data-testid="ship-reference"
            onInput={(e) => (reference.value = e.currentTarget.value)}
            // Enter ends the reference (the next scan names a lot); it never sends the shipment.
            onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); e.currentTarget.blur(); } }} />
        </div>
        {customers.value.length > 0 && (
          <div class="field">
            <label for="ship-customer">{t("moves.customer")}</label>
            <select id="ship-customer" value={customer.value} onChange={(e) => (customer.value = e.currentTarget.value)}>
              <option value="">{t("moves.noCustomer")}</option>
              {customers.value.map((c) => <option key={c.code} value={c.code}>{c.code} · {c.name}</option>)}
            </select>
          </div>
        )}
        <p class="ship-scan" data-testid="ship-scan-hint">{t("moves.scanLots")}</p>
        <ul class="list" data-testid="ship-lines">
          {lines.map((l) => (
            <li key={l.lot} class="card ship-line" data-testid="ship-line" data-lot={l.lot}>
              <div class="row ship-line-head">
                <strong><Go to={recordPath("LOT", l.lot)}>{l.lot}</Go></strong>
                <span class="muted">{l.item}</span>
                <Button variant="ghost" onClick={() => removeLine(l.lot)} aria-label={t("moves.remove", { lot: l.lot })}>✕</Button>
              </div>
              {l.sources.length > 1 && (
                <div class="row">
                  {l.sources.map((s) => (
                    <Button key={s.location_code} variant={s.location_code === l.from ? "primary" : "secondary"}
                      aria-pressed={s.location_code === l.from}
                      onClick={() => changeLine(l.lot, { from: s.location_code, quantity: s.quantity })}>
                      {s.location_code} · {s.quantity}
                    </Button>
                  ))}
                </div>
              )}
              {l.from && <p class="muted">{t("moves.shipFrom", { location: l.from })}</p>}
              {l.serials?.length ? (
                // Serial-tracked: each unit is a scanned serial, so the count is theirs.
                <p data-testid="ship-serials">{t("moves.serialsOnLine", { count: l.serials.length })}{" "}
                  <span class="muted">{l.serials.join(", ")}</span></p>
              ) : (
                <Stepper label={t("moves.quantity")} value={l.quantity}
                  max={l.sources.find((s) => s.location_code === l.from)?.quantity ?? 0}
                  onChange={(v) => changeLine(l.lot, { quantity: v })} />
              )}
            </li>
          ))}
        </ul>
        {missing.length > 0 && <p class="muted">{t(`moves.shipNeed_${missing[0]}`)}</p>}
        <Button type="submit" block disabled={missing.length > 0 || waiting} data-testid="ship-confirm">
          {t("moves.shipConfirm", { count: lines.length })}
        </Button>
      </form>
    </main>
  );
}

/** The way in from a home screen, for the roles that may ship. */
export function ShipLink() {
  if (!mayShip(roles.value)) return null;
  return (
    <div class="row ship-link">
      <Button variant="secondary" data-testid="home-ship" onClick={() => navigate("/ship")}>{t("moves.shipTitle")}</Button>
    </div>
  );
}
