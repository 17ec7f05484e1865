import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { ApiError } from "../../../../api/errors";
import { onCommandSettled } from "../../../../app/outbox";
import { fetchOrSaved } from "../../../../app/saved";
import { navigate, recordPath } from "../../../../app/router";
import { roles } from "../../../../app/session";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { StatusChip } from "../../../../ui/StatusChip";
import { num, stockAt, type StockRow } from "../../api";
import { Expiry, Go } from "../../parts";
import "./style.css";

const shown = signal<{ location: string; rows: StockRow[]; savedAt: number | null } | null>(null);
const stockError = signal<string | null>(null);
let openCode: string | null = null;

async function load(location: string): Promise<void> {
  openCode = location;
  stockError.value = null;
  try {
    const { value, savedAt } = await fetchOrSaved(`stock:loc:${location}`, () => stockAt(location));
    if (openCode === location) shown.value = { location, rows: value, savedAt };
  } catch (err) {
    if (openCode !== location) return;
    shown.value = null;
    stockError.value = err instanceof ApiError ? err.problem.detail : t("record.offlineUnknown");
  }
}

/** What is at a location (where a location label's scan lands): item, lot, quantity, the
 * lot's quality status and expiry. A negative line-side balance shows in red. Who may count
 * (the scan's `count` action) starts a count here; at a line-side location a supervisor opens
 * its reconciliation. */
export function LocationStock({ code, actions = [], lineSide = false }: { code: string; actions?: string[]; lineSide?: boolean }) {
  useEffect(() => {
    void load(code);
    // A receipt or move sent from this device may have changed what is here.
    const stop = onCommandSettled((cmd) => (cmd.path === "/api/v1/receipts" || cmd.path === "/api/v1/stock/moves"
      || /^\/api\/v1\/counts\/[^/]+\/approve$/.test(cmd.path)) && void load(code));
    return () => { openCode = null; stop(); };
  }, [code]);

  const s = shown.value?.location === code ? shown.value : null;
  return (
    <section class="loc-stock" data-testid="location-stock">
      <h2>{t("stock.atLocation")}</h2>
      {s?.savedAt != null && <p class="note" role="note">{t("record.savedCopy")}</p>}
      {!s ? (stockError.value ? <p class="error-text" role="alert">{stockError.value}</p> : <p>{t("ui.loading")}</p>)
        : s.rows.length === 0 ? <p class="muted" data-testid="location-empty">{t("stock.locationEmpty")}</p> : (
        <ul class="list">
          {s.rows.map((r) => (
            <li key={`${r.item_code}:${r.lot_code ?? ""}`} class="loc-row" data-testid="stock-row" data-lot={r.lot_code ?? ""}>
              <div class="loc-row-head">
                <strong>{r.item_code}</strong>
                <span class={`loc-qty${num(r.quantity) < 0 ? " error-text" : ""}`}>{num(r.quantity)} {r.unit}</span>
              </div>
              <div class="muted">{r.item_name}</div>
              <div class="row">
                {r.lot_code ? <Go to={recordPath("LOT", r.lot_code)}>{r.lot_code}</Go> : <span class="muted">{t("stock.noLot")}</span>}
                <StatusChip of="lot" status={r.quality_status} />
                {r.expires_on && <Expiry date={r.expires_on} />}
              </div>
            </li>
          ))}
        </ul>
      )}
      <div class="stack loc-count">
        {actions.includes("count") && (
          <Button block variant="secondary" data-testid="action-count" onClick={() => navigate(`/counts/${encodeURIComponent(code)}`)}>
            {t("count.countThis")}
          </Button>
        )}
        {lineSide && roles.value.has("supervisor") && (
          <Button block variant="secondary" data-testid="action-reconcile" onClick={() => navigate(`/reconcile/${encodeURIComponent(code)}`)}>
            {t("count.reconcileThis")}
          </Button>
        )}
      </div>
    </section>
  );
}
