import { formatDate } from "../../../../app/dates";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../../../api/errors";
import { navigate, recordPath } from "../../../../app/router";
import { t } from "../../../../i18n";
import { Button } from "../../../../ui/Button";
import { Sheet } from "../../../../ui/Sheet";
import { StatusChip, statusWord } from "../../../../ui/StatusChip";
import { num, type WorkOrder } from "../../api";
import { madeOf, overBy } from "../../orders";
import {
  finishedItems, importCsv, importProgress, lateOnly, lineChoices, lineFilter, loadOrders, orderSearch, orders,
  ordersTotal, planCommand, planError, statusFilter, type ItemChoice,
} from "../../planning";
import "./style.css";

const FILTERS = ["open", "draft", "released", "in_progress", "on_hold", "completed", "closed"];

function NewOrder({ onClose }: { onClose: () => void }) {
  const [items, setItems] = useState<ItemChoice[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void finishedItems().then(setItems, () => setItems([])), []);
  const create = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const due = String(data.get("due_at") ?? "");
    try {
      const wo = await planCommand<WorkOrder>("/api/v1/work-orders", {
        item_code: data.get("item_code"), quantity: Number(data.get("quantity")),
        priority: Number(data.get("priority")), ...(due ? { due_at: new Date(due).toISOString() } : {}),
      });
      onClose();
      navigate(recordPath("WO", wo.code));
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : t("signin.offline"));
    }
  };
  return (
    <Sheet title={t("planning.newOrder")} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void create(e.currentTarget); }} data-testid="new-order">
        {error && <p class="error-text" role="alert">{error}</p>}
        <div class="field">
          <label for="wo-item">{t("planning.item")}</label>
          <select id="wo-item" name="item_code" required>
            {items.map((i) => <option key={i.code} value={i.code}>{i.code} · {i.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="wo-qty">{t("planning.quantity")}</label>
          <input id="wo-qty" name="quantity" type="number" min="1" step="1" inputMode="numeric" required />
        </div>
        <div class="field">
          <label for="wo-due">{t("planning.due")}</label>
          <input id="wo-due" name="due_at" type="datetime-local" />
        </div>
        <div class="field">
          <label for="wo-priority">{t("planning.priority")}</label>
          <input id="wo-priority" name="priority" type="number" min="1" max="9" value="5" inputMode="numeric" />
        </div>
        <Button type="submit" block>{t("planning.create")}</Button>
      </form>
    </Sheet>
  );
}

/** One order as a row of the table (a tablet) or a card (a phone): the whole row opens it. */
function OrderRow({ wo }: { wo: WorkOrder }) {
  const good = num(wo.good);
  const quantity = num(wo.quantity);
  return (
    <li>
      <a class={`wo-row${wo.late ? " late" : ""}`} href={recordPath("WO", wo.code)} data-late={wo.late}
        data-testid={`wo-${wo.code}`} onClick={(e) => { e.preventDefault(); navigate(recordPath("WO", wo.code)); }}>
        <strong class="wo-code nowrap">{wo.code}</strong>
        <span class="wo-item-cell"><span class="nowrap">{wo.item_code}</span> <span class="muted wo-item-name">{wo.item_name}</span></span>
        <span class="wo-cust">{wo.customer_order_ref || "—"}</span>
        <span class="wo-line nowrap">{wo.line ?? "—"}</span>
        <span class={`wo-made${overBy(good, quantity) ? " wo-over" : ""}`} data-testid={`made-${wo.code}`}>
          <span class="wo-progress-mini" aria-hidden="true">
            <span style={{ width: `${Math.min(100, (100 * good) / Math.max(1, quantity))}%` }} />
          </span>
          {madeOf(good, quantity, wo.overrun_percent === undefined ? null : num(wo.overrun_percent))}
        </span>
        <span class={`wo-due${wo.late ? " error-text" : ""}`}>
          <span class="nowrap">{wo.due_at ? formatDate(wo.due_at) : "—"}</span>
          {wo.late && <> <span class="nowrap">· {t("production.late")}</span></>}
        </span>
        <span class="wo-status"><StatusChip of="work_order" status={wo.status} /></span>
      </a>
    </li>
  );
}

/** The planner's work orders across the tablet's width: search (code, item, customer order),
 * filter by status, line and lateness; late ones in red; create one, import many. */
export function WorkOrders() {
  const [creating, setCreating] = useState(false);
  const [lineOptions, setLineOptions] = useState<ItemChoice[]>([]);
  useEffect(() => void lineChoices().then(setLineOptions, () => setLineOptions([])), []);
  // A search waits for the typing to pause; the other filters ask at once.
  useEffect(() => {
    const timer = setTimeout(() => void loadOrders(), orderSearch.value ? 300 : 0);
    return () => clearTimeout(timer);
  }, [statusFilter.value, orderSearch.value, lineFilter.value, lateOnly.value]);
  const progress = importProgress.value;
  return (
    <section class="work-orders">
      <div class="row">
        <Button onClick={() => setCreating(true)} data-testid="new-order-button">{t("planning.newOrder")}</Button>
        <label class="btn btn-secondary wo-import">
          {t("planning.importCsv")}
          <input type="file" accept=".csv,text/csv" class="visually-hidden" data-testid="import-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void file.text().then(importCsv);
              e.currentTarget.value = "";
            }} />
        </label>
        <Button variant="secondary" onClick={() => navigate("/plan")}>{t("planning.gantt")}</Button>
      </div>
      {progress && (
        <div class="wo-import-progress" data-testid="import-progress" data-done={progress.done} data-total={progress.total}>
          <progress max={progress.total} value={progress.done} />
          <span>{t("planning.imported", { done: progress.done, total: progress.total })}</span>
          {progress.error && <p class="error-text" role="alert">{progress.error}</p>}
        </div>
      )}
      <div class="wo-filters">
        <div class="field wo-search">
          <label for="wo-search" class="visually-hidden">{t("planning.search")}</label>
          <input id="wo-search" type="search" placeholder={t("planning.search")} data-testid="wo-search"
            value={orderSearch.value} onInput={(e) => (orderSearch.value = e.currentTarget.value)} />
        </div>
        <div class="field wo-line-filter">
          <label for="wo-line" class="visually-hidden">{t("planning.line")}</label>
          <select id="wo-line" data-testid="wo-line" value={lineFilter.value}
            onChange={(e) => (lineFilter.value = e.currentTarget.value)}>
            <option value="">{t("planning.allLines")}</option>
            {lineOptions.map((l) => <option key={l.code} value={l.code}>{l.code} · {l.name}</option>)}
          </select>
        </div>
        <label class={`choice wo-late-toggle${lateOnly.value ? " on" : ""}`}>
          <input type="checkbox" checked={lateOnly.value} data-testid="wo-late"
            onChange={(e) => (lateOnly.value = e.currentTarget.checked)} />
          {t("planning.lateOnly")}
        </label>
      </div>
      <div class="choices" role="tablist" aria-label={t("planning.status")}>
        {FILTERS.map((f) => (
          <button key={f} role="tab" type="button" class="choice" aria-selected={statusFilter.value === f}
            data-testid={`wo-status-${f}`} onClick={() => (statusFilter.value = f)}>
            {f === "open" ? t("planning.open") : statusWord("work_order", f)}
          </button>
        ))}
      </div>
      {planError.value && <p class="error-text" role="alert">{planError.value}</p>}
      <p class="muted" data-testid="wo-count">{t("planning.count", { shown: orders.value.length, total: ordersTotal.value })}</p>
      {orders.value.length === 0 ? <p class="muted">{t("planning.none")}</p> : (
        <div class="wo-table">
          <div class="wo-head" aria-hidden="true">
            <span>{t("planning.code")}</span><span>{t("planning.item")}</span><span>{t("planning.customerOrder")}</span>
            <span>{t("planning.line")}</span><span>{t("planning.good")}</span><span>{t("planning.due")}</span>
            <span>{t("planning.status")}</span>
          </div>
          <ul class="wo-rows" data-testid="work-orders">
            {orders.value.map((wo) => <OrderRow key={wo.code} wo={wo} />)}
          </ul>
        </div>
      )}
      {creating && <NewOrder onClose={() => { setCreating(false); void loadOrders(); }} />}
    </section>
  );
}
