import { useEffect } from "preact/hooks";
import { onCommandSettled } from "../../../../app/outbox";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { num } from "../../../stock/api";
import { Go } from "../../../stock/parts";
import { isNegative } from "../../lines";
import { StartCard } from "../../parts";
import {
  loadReconcile, negatives, reconcileReady, onStartSettled, reconcileError, startLocation, wipLines, wipStock,
} from "../../start";

export const reconcilePath = (location?: string | null) => (location ? `/reconcile/${encodeURIComponent(location)}` : "/reconcile");

/** End of shift at a line: what the ledger says is at the line's WIP location, negative
 * balances flagged (used before the issue was booked), and a count of that location, which is
 * the reconciliation: its approval sets the line's WIP to what was counted. */
export function ReconcilePage({ location }: { location: string | null }) {
  useEffect(() => {
    startLocation.value = null;
    void loadReconcile(location);
    const stop = onCommandSettled((cmd, answer) => onStartSettled(cmd, answer));
    return stop;
  }, [location]);

  const chosen = startLocation.value;
  const stock = wipStock.value?.location === chosen ? wipStock.value : null;
  const negativeAt = (loc: string | null) => negatives.value.filter((n) => n.location_code === loc).length;
  const flagged = stock?.rows.filter((r) => isNegative(r.quantity)).length ?? 0;
  return (
    <main class="page count" data-testid="reconcile" data-location={chosen ?? ""}>
      <h1>{t("count.reconcileTitle")}</h1>
      {reconcileError.value && <p class="error-text" role="alert">{reconcileError.value}</p>}
      {wipLines.value.length > 1 && (
        <div class="home-roles" role="tablist">
          {wipLines.value.map((l) => (
            <button key={l.code} role="tab" type="button" aria-selected={l.wip_location === chosen} data-testid={`reconcile-line-${l.code}`}
              onClick={() => navigate(reconcilePath(l.wip_location), { replace: true })}>
              {l.code} · {l.name}{negativeAt(l.wip_location) > 0 ? ` ⚠ ${negativeAt(l.wip_location)}` : ""}
            </button>
          ))}
        </div>
      )}
      {chosen && (
        <>
          <h2><Go to={recordPath("LOC", chosen)}>{chosen}</Go></h2>
          {stock?.savedAt != null && <p class="note" role="note">{t("record.savedCopy")}</p>}
          {!stock ? <p>{t("ui.loading")}</p> : (
            <>
              {flagged > 0
                ? <p class="count-negative" data-testid="reconcile-flagged">⚠ {t("count.negativesHere", { count: flagged })}</p>
                : <p class="muted" data-testid="reconcile-clean">{t("count.noNegatives")}</p>}
              {stock.rows.length === 0 ? <p class="muted" data-testid="reconcile-empty">{t("count.wipEmpty")}</p> : (
                <ul class="list" data-testid="reconcile-stock">
                  {stock.rows.map((r) => {
                    const negative = isNegative(r.quantity);
                    return (
                      <li key={`${r.item_code}:${r.lot_code ?? ""}`} class={`list-item${negative ? " count-negative-row" : ""}`}
                        data-testid="reconcile-row" data-item={r.item_code} data-lot={r.lot_code ?? ""} data-negative={negative ? "yes" : "no"}>
                        <span><strong>{r.item_code}</strong> · {r.lot_code ?? t("count.noLot")}<br />
                          <span class="muted">{r.item_name}</span>
                          {negative && <><br /><span class="count-negative">⚠ {t("count.negativeWhy")}</span></>}
                        </span>
                        <span class={negative ? "count-negative" : ""}>{num(r.quantity)} {r.unit}</span>
                      </li>
                    );
                  })}
                </ul>
              )}
            </>
          )}
          <p class="muted">{t("count.reconcileHint")}</p>
          <StartCard />
        </>
      )}
      {!chosen && reconcileReady.value && !reconcileError.value && <p class="muted">{t("count.noLines")}</p>}
    </main>
  );
}
